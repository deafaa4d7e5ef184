import { CHANNEL_LABELS } from '../../domain/channels.ts';
import { formatCount } from '../../domain/numbers.ts';
import { viDay } from '../../domain/periods.ts';
import { STATUS_LABELS } from '../../domain/statuses.ts';
import { vietnamCalendar } from '../../domain/working-days.ts';
import { listDueWithin, type DueDossierRow } from '../../stats/due-within.ts';
import { DOSSIER_HEADERS } from '../../stats/labels.ts';
import { todayInVietnam } from '../../units/chain.ts';
import { isUserError, type ServeContext } from '../context.ts';
import { html, notice, viTime, type Html } from '../html.ts';
import { dueWithinOf, filtersOf, queryParams, withParams, type DueWithinParams } from '../params.ts';

// Hồ sơ, "Sắp đến hạn" (`/ho-so?due-within=2`): the office's daily list, as `tthc dossiers --due-within` gives it
// (src/stats/due-within.ts): pending dossiers due within the next N working days, by due day.

/** The link to the list of the dossiers due within 2 working days, carrying the filters of `params` on. */
export function dueSoonLink(params: URLSearchParams): Html {
  const filters = withParams(queryParams(params), { 'due-within': '2' });
  return html`<a href="/ho-so?${filters}" id="sap-den-han">Sắp đến hạn</a>`;
}

export async function dueWithinPage(ctx: ServeContext, search: URLSearchParams, asked: DueWithinParams): Promise<Html> {
  const asOf = asked.asOf ?? todayInVietnam();
  const params = queryParams(search);
  let result;
  try {
    result = await listDueWithin(ctx.db, {
      asOf, workingDays: asked.workingDays, filters: filtersOf(params, asOf), includeOverdue: asked.includeOverdue, calendar: vietnamCalendar(),
    });
  } catch (error) {
    if (!isUserError(error)) throw error;
    return notice('error', [error.message]);
  }
  const here = withParams(params, { 'due-within': String(asked.workingDays), 'as-of': asked.asOf });
  const other = (n: number) => html`<a href="/ho-so?${withParams(here, { 'due-within': String(n) })}">${String(n)}</a>`;
  const overdue = result.overdue && !asked.includeOverdue
    ? html`<p>${formatCount(result.overdue)} hồ sơ đã quá hạn vào ${viDay(asOf)}, không liệt kê ·
<a href="/ho-so?${withParams(here, { 'include-overdue': '1' })}" id="ca-qua-han">Liệt kê cả hồ sơ quá hạn</a></p>`
    : '';
  const cell = (row: DueDossierRow, key: string): string => {
    switch (key) {
      case 'channel': return row.channel ? CHANNEL_LABELS[row.channel] : '(không ghi)';
      case 'status': return STATUS_LABELS[row.status] ?? row.status;
      case 'receivedAt': return viTime(row.receivedAt);
      case 'dueAt': return row.dueComputed ? `${viDay(row.dueAt.slice(0, 10))} (tính)` : viTime(row.dueAt);
      case 'workingDaysLeft': return row.workingDaysLeft < 0 ? `quá hạn ${row.workingDaysLeft * -1}` : String(row.workingDaysLeft);
      default: return String((row as unknown as Record<string, unknown>)[key] ?? '(không ghi)');
    }
  };
  const columns: Array<[string, string]> = [
    ['code', DOSSIER_HEADERS.code], ['unitName', DOSSIER_HEADERS.unitName], ['procedure', DOSSIER_HEADERS.procedure],
    ['field', DOSSIER_HEADERS.field], ['channel', DOSSIER_HEADERS.channel], ['receivedAt', DOSSIER_HEADERS.receivedAt],
    ['dueAt', DOSSIER_HEADERS.dueAt], ['status', DOSSIER_HEADERS.status], ['workingDaysLeft', 'Còn (ngày làm việc)'],
  ];
  return html`<p class="figure-name"><strong>Hồ sơ sắp đến hạn</strong>: đang giải quyết cuối ngày ${viDay(asOf)}, hạn xử lý trong
${String(asked.workingDays)} ngày làm việc tới (đến ${viDay(result.lastDueDay)}) · số ngày: ${other(0)} ${other(1)} ${other(2)} ${other(3)} ${other(5)}</p>
${notice('warning', vietnamCalendar().warnings(asOf, result.lastDueDay))}
<p class="count">Tổng số: <strong id="so-ho-so" data-count="${String(result.rows.length)}">${formatCount(result.rows.length)}</strong> hồ sơ</p>
${overdue}
<div class="scroll"><table class="list" id="danh-sach"><thead><tr><th>STT</th>${columns.map(([, header]) => html`<th>${header}</th>`)}</tr></thead><tbody>${result.rows.map(
    (row, i) => html`<tr><td class="n">${formatCount(i + 1)}</td>${columns.map(([key]) => html`<td>${cell(row, key)}</td>`)}</tr>`,
  )}</tbody></table></div>
${result.rows.some((r) => r.dueComputed) ? html`<p>(tính): hạn tính từ thời hạn giải quyết của thủ tục theo ngày làm việc.</p>` : ''}`;
}

export { dueWithinOf };
