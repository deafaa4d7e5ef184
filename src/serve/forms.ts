import { LEVEL_LABELS, LEVELS } from '../domain/levels.ts';
import { html, type Html } from './html.ts';
import { PERIOD_KINDS } from './params.ts';

// The period picker and the filters, shared by Tổng quan, Hồ sơ and Báo cáo. Each field is named as the CLI's
// option, so the form's GET is the JSON API's query too. Without script every period field shows and the
// chosen kind (`ky`) decides which count; the script shows only the chosen kind's fields.

const KIND_LABELS: Record<string, string> = {
  year: 'Năm',
  quarter: 'Quý',
  month: 'Tháng',
  'reporting-month': 'Kỳ báo cáo tháng (15 tháng trước – 14)',
  'reporting-year': 'Kỳ báo cáo năm (15/12 – 14/12)',
  years: 'Nhiều năm',
  range: 'Khoảng ngày',
};

interface PeriodField {
  name: string;
  kind: string;
  label: string;
  type: string;
  placeholder: string;
  pattern?: string;
}

const PERIOD_FIELDS: PeriodField[] = [
  { name: 'year', kind: 'year', label: 'Năm', type: 'text', placeholder: '2023', pattern: '\\d{4}' },
  { name: 'quarter', kind: 'quarter', label: 'Quý', type: 'text', placeholder: '2023-Q2', pattern: '\\d{4}-?[Qq][1-4]' },
  { name: 'month', kind: 'month', label: 'Tháng', type: 'month', placeholder: '2023-05' },
  { name: 'reporting-month', kind: 'reporting-month', label: 'Tháng báo cáo', type: 'month', placeholder: '2023-05' },
  { name: 'reporting-year', kind: 'reporting-year', label: 'Năm báo cáo', type: 'text', placeholder: '2023', pattern: '\\d{4}' },
  { name: 'years', kind: 'years', label: 'Các năm', type: 'text', placeholder: '2020-2023', pattern: '\\d{4}(-\\d{4})?' },
  { name: 'from', kind: 'range', label: 'Từ ngày', type: 'date', placeholder: '2023-01-01' },
  { name: 'to', kind: 'range', label: 'Đến ngày', type: 'date', placeholder: '2023-05-25' },
];

/** The kind of period the parameters choose (the first period parameter present). */
export function periodKind(params: URLSearchParams): string {
  for (const [kind, names] of Object.entries(PERIOD_KINDS)) if (names.some((n) => params.has(n))) return kind;
  return 'year';
}

export interface FilterChoices {
  /** Units with data, code and name. */
  units: Array<{ code: string; name: string }>;
  /** Fields with data in the period. */
  fields: string[];
}

/** The form: period, level, unit, field, excluded field; `extra` adds fields (hidden or shown) before the button. */
export function queryForm(action: string, params: URLSearchParams, choices: FilterChoices, extra: Html = html``): Html {
  const kind = periodKind(params);
  const levels = new Set(params.getAll('level').flatMap((l) => l.split(',')));
  const units = new Set(params.getAll('unit'));
  const fields = new Set(params.getAll('field'));
  const excluded = new Set(params.getAll('exclude-field'));
  const fieldList = [...new Set([...choices.fields, ...fields, ...excluded])];
  return html`<form class="query" method="get" action="${action}">
<fieldset class="period"><legend>Kỳ</legend>
<label>Loại kỳ <select name="ky" data-period-kind>${Object.entries(KIND_LABELS).map(
    ([value, label]) => html`<option value="${value}"${value === kind ? html` selected` : ''}>${label}</option>`,
  )}</select></label>
${PERIOD_FIELDS.map(
    (f) => html`<label data-kind="${f.kind}">${f.label} <input name="${f.name}" type="${f.type}" placeholder="${f.placeholder}"${
      f.pattern ? html` pattern="${f.pattern}"` : ''
    } value="${f.kind === kind ? (params.get(f.name) ?? '') : ''}"></label>`,
  )}
</fieldset>
<fieldset><legend>Cấp</legend>${LEVELS.map(
    (l) => html`<label><input type="checkbox" name="level" value="${l}"${levels.has(l) ? html` checked` : ''}> ${LEVEL_LABELS[l]}</label>`,
  )}</fieldset>
<fieldset><legend>Đơn vị</legend><select name="unit"><option value="">Tất cả đơn vị</option>${choices.units.map(
    (u) => html`<option value="${u.code}"${units.has(u.code) || units.has(u.name) ? html` selected` : ''}>${u.name}</option>`,
  )}</select></fieldset>
<details class="fields"><summary>Lĩnh vực${
    fields.size ? html` · chỉ tính: ${[...fields].join(', ')}` : ''
  }${excluded.size ? html` · không tính: ${[...excluded].join(', ')}` : ''}</summary>
<table class="field-choices"><thead><tr><th>Lĩnh vực</th><th>Chỉ tính</th><th>Không tính</th></tr></thead><tbody>${fieldList.map(
    (f) => html`<tr><td>${f}</td><td><input type="checkbox" name="field" value="${f}" aria-label="Chỉ tính ${f}"${
      fields.has(f) ? html` checked` : ''
    }></td><td><input type="checkbox" name="exclude-field" value="${f}" aria-label="Không tính ${f}"${excluded.has(f) ? html` checked` : ''}></td></tr>`,
  )}</tbody></table></details>
${extra}
<button type="submit">Xem</button>
</form>`;
}
