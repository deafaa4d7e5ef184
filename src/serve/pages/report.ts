import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LEVELS } from '../../domain/levels.ts';
import { formatCount } from '../../domain/numbers.ts';
import { checkSheets, reportText, SHEETS, writeReport } from '../../report/index.ts';
import { levelLabel, periodLabel, roman } from '../../report/labels.ts';
import { BIEU_06_COLUMNS } from '../../report/sheets/bieu-06.ts';
import { computeStats } from '../../stats/compute.ts';
import { fitToData } from '../../stats/coverage.ts';
import type { StatsQuery, StatsRow } from '../../stats/types.ts';
import { filterChoices, isUserError, type ServeContext } from '../context.ts';
import { queryForm } from '../forms.ts';
import { countLink, html, notice, type Html } from '../html.ts';
import { statsQueryOf, wholePeriodsOf, withDays, withParams } from '../params.ts';
import { dossiersHref, pageParams } from './dashboard.ts';

// Báo cáo: the workbook `tthc report` writes, the Thuyết minh paragraphs to copy, and Biểu 06 as a table whose
// every count links to its dossiers (the column's figure as `tthc dossiers --figure "(n)"` traces it).

/** The sheets the parameters choose (`sheets`, repeatable or comma-separated); undefined: every sheet. */
function sheetsOf(search: URLSearchParams): string[] | undefined {
  const slugs = search.getAll('sheets').flatMap((s) => s.split(',')).map((s) => s.trim()).filter(Boolean);
  return slugs.length ? checkSheets(slugs) : undefined;
}

/** The report workbook of the parameters, written to a temporary folder, read, and the folder removed. */
export async function reportWorkbook(ctx: ServeContext, search: URLSearchParams): Promise<{ name: string; bytes: Buffer; warnings: string[] }> {
  const params = await pageParams(ctx, search);
  const query = statsQueryOf(params);
  const sheets = sheetsOf(search);
  const dir = mkdtempSync(join(tmpdir(), 'tthc-report-'));
  try {
    const result = await writeReport(ctx.db, { query, out: join(dir, 'bao-cao.xlsx'), sheets, wholePeriods: wholePeriodsOf(params) });
    const name = `bao-cao-${result.period.from}-${result.period.to}.xlsx`;
    return { name, bytes: readFileSync(result.path), warnings: result.warnings };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function reportPage(ctx: ServeContext, search: URLSearchParams): Promise<Html> {
  const params = await pageParams(ctx, search);
  const chosen = new Set(search.getAll('sheets').flatMap((s) => s.split(',')));
  const sheetBoxes = html`<fieldset class="sheets"><legend>Các trang của báo cáo</legend>${SHEETS.map(
    (s) => html`<label><input type="checkbox" name="sheets" value="${s.slug}"${chosen.size === 0 || chosen.has(s.slug) ? html` checked` : ''}> ${s.name}</label>`,
  )}</fieldset>`;
  let query: StatsQuery;
  try {
    query = statsQueryOf(params);
    sheetsOf(search);
  } catch (error) {
    if (!isUserError(error)) throw error;
    return html`${notice('error', [error.message])}${queryForm('/bao-cao', params, await filterChoices(ctx, []), sheetBoxes)}`;
  }
  const wholePeriods = wholePeriodsOf(params);
  const fitted = await fitToData(ctx.db, query, { wholePeriods });
  const q = fitted.query;
  const [text, fields, levels, [total]] = await Promise.all([
    reportText(ctx.db, query, { wholePeriods }),
    computeStats(ctx.db, { ...q, by: ['level', 'field'] }),
    computeStats(ctx.db, { ...q, by: ['level'] }),
    computeStats(ctx.db, { ...q, by: [] }),
  ]);
  const choices = await filterChoices(ctx, fields.map((r) => r.field));
  const download = new URLSearchParams(params);
  for (const s of search.getAll('sheets')) download.append('sheets', s);
  return html`${queryForm('/bao-cao', params, choices, sheetBoxes)}
<p><a class="button" id="tai-bao-cao" href="/bao-cao/tai-ve.xlsx?${download}">Tải báo cáo Excel (xlsx)</a></p>
${notice('warning', text.warnings)}
<section><h2>Thuyết minh</h2>
${text.paragraphs.length
    ? html`<div class="paragraphs" id="thuyet-minh">${text.paragraphs.map((p) => html`<p>${p.text}</p>`)}</div>
<button type="button" data-copy="#thuyet-minh" hidden>Chép các đoạn văn</button>`
    : html`<p>Không có hồ sơ trong kỳ.</p>`}
</section>
<section><h2>Biểu 06 – ${periodLabel(q.period)}</h2>
${bieu06Table(params, q, fields, levels, total)}
</section>`;
}

/** Biểu số 06/VPCP/KSTT as an HTML table: the sheet's columns, levels with their fields, and the total. */
function bieu06Table(params: URLSearchParams, q: StatsQuery, fields: StatsRow[], levels: StatsRow[], total: StatsRow): Html {
  const columns = BIEU_06_COLUMNS;
  const depth = Math.max(...columns.map((c) => c.header.length));
  const headerRows: Html[] = [];
  for (let level = 0; level < depth; level++) {
    const cells: Html[] = [];
    for (let i = 0; i < columns.length; ) {
      const header = columns[i].header;
      if (header.length <= level) {
        i++;
        continue;
      }
      const key = JSON.stringify(header.slice(0, level + 1));
      let span = 1;
      while (i + span < columns.length && JSON.stringify(columns[i + span].header.slice(0, level + 1)) === key && columns[i + span].header.length > level) span++;
      const rowspan = header.length === level + 1 ? depth - level : 1;
      cells.push(html`<th colspan="${String(span)}" rowspan="${String(rowspan)}">${header[level]}</th>`);
      i += span;
    }
    headerRows.push(html`<tr>${cells}</tr>`);
  }
  const numbers = html`<tr class="numbers">${columns.map((_, i) => html`<th>(${String(i + 1)})</th>`)}</tr>`;
  const days = withDays(params, q.period.from, q.period.to);
  const line = (kind: string, stt: string, label: string, row: StatsRow, rowParams: URLSearchParams | undefined) =>
    html`<tr class="${kind}"><td>${stt}</td><td>${label}</td>${columns.slice(2).map((c, i) => {
      const value = c.value!(row) as number;
      return html`<td class="n">${rowParams ? countLink(value, dossiersHref(rowParams, `(${i + 3})`), `(${i + 3})`) : formatCount(value)}</td>`;
    })}</tr>`;
  const lines: Html[] = [];
  let group = 0;
  for (const level of LEVELS) {
    const levelRow = levels.find((r) => r.level === level);
    if (!levelRow) continue;
    const levelParams = withParams(days, { level });
    lines.push(line('subtotal', roman(++group), levelLabel(level), levelRow, levelParams));
    fields
      .filter((r) => r.level === level)
      .forEach((r, i) =>
        lines.push(
          line('data', String(i + 1), r.field ?? 'Chưa xác định lĩnh vực', r, r.field ? withParams(levelParams, { field: r.field }) : undefined),
        ),
      );
  }
  lines.push(line('total', '', 'Tổng cộng', total, days));
  return html`<div class="scroll"><table class="figures bieu-06" id="bieu-06"><thead>${headerRows}${numbers}</thead><tbody>${lines}</tbody></table></div>`;
}
