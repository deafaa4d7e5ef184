import ExcelJS from 'exceljs';
import { CHANNEL_LABELS } from '../../domain/channels.ts';
import { LEVEL_LABELS } from '../../domain/levels.ts';
import { formatCount } from '../../domain/numbers.ts';
import { STATUS_LABELS, type Status } from '../../domain/statuses.ts';
import { periodLabel } from '../../report/labels.ts';
import { countsBehind, dossierQuery, listDossiers, traceFigure, type DossierRow, type TracedFigure } from '../../stats/dossiers.ts';
import { DOSSIER_HEADERS } from '../../stats/labels.ts';
import { renderDossiers } from '../../stats/render.ts';
import { checkQuery } from '../../stats/warnings.ts';
import { StatsQueryError, type StatsQuery } from '../../stats/types.ts';
import { filterChoices, isUserError, type ServeContext } from '../context.ts';
import { queryForm } from '../forms.ts';
import { html, notice, scopeLine, viTime, type Html } from '../html.ts';
import { queryParams, statsQueryOf, wholePeriodsOf, withParams } from '../params.ts';
import { pageParams } from './dashboard.ts';
import { dueSoonLink, dueWithinOf, dueWithinPage } from './dossiers-due.ts';

// Hồ sơ: the dossiers behind one figure, as `tthc dossiers --figure` lists them (same period, filters and
// rule), a page at a time, sortable, and whole as CSV or xlsx. The count shown is the list's own length.

export const PAGE_SIZE = 100;

/** Columns the list sorts by, and the dossier column each stands for in listDossiers' query. */
const SORT_COLUMNS: Record<string, string> = {
  code: 'd.code',
  unitName: 'u.name',
  procedure: 'd.procedure_name',
  field: 'd.field',
  channel: 'd.channel',
  receivedAt: 'd.received_at',
  dueAt: 'd.due_at',
  endedAt: 'd.ended_at',
  status: 'd.status',
};

const SHOWN: Array<keyof DossierRow> = ['code', 'unitName', 'level', 'procedure', 'field', 'channel', 'receivedAt', 'dueAt', 'endedAt', 'status'];

export interface DossierSelection {
  params: URLSearchParams;
  figure: TracedFigure;
  query: StatsQuery;
  warnings: string[];
}

/** The figure and the fitted query the parameters name, as `tthc dossiers` fits them. */
export async function selectDossiers(ctx: ServeContext, search: URLSearchParams, defaultPeriod = true): Promise<DossierSelection> {
  const params = defaultPeriod ? await pageParams(ctx, search) : queryParams(search);
  const name = search.get('figure');
  if (!name) throw new StatsQueryError('thiếu tham số figure (ví dụ figure=receivedTotal, hoặc cột Biểu 06 như "(5)")');
  const figure = traceFigure(name);
  const query = statsQueryOf(params);
  const checked = await checkQuery(ctx.db, query, { wholePeriods: wholePeriodsOf(params), figures: countsBehind(figure.parts) });
  return { params, figure, query: checked.query, warnings: checked.warnings };
}

/** One page of the list and the list's length, through the query listDossiers runs. */
export async function dossierPage(
  ctx: ServeContext,
  selection: DossierSelection,
  page: number,
  sort: string | undefined,
  ascending: boolean,
): Promise<{ rows: DossierRow[]; count: number }> {
  const { compiled } = await dossierQuery(ctx.db, selection.query, selection.figure.parts);
  const base = compiled as any;
  const [{ n }] = await (ctx.db as any)
    .selectFrom(base.clearOrderBy().as('x'))
    .select((eb: any) => eb.fn.countAll().as('n'))
    .execute();
  const column = sort ? SORT_COLUMNS[sort] : undefined;
  const ordered = column ? base.clearOrderBy().orderBy(column, ascending ? 'asc' : 'desc').orderBy('p.from').orderBy('d.code') : base;
  const raw: Record<string, any>[] = await ordered.limit(PAGE_SIZE).offset((page - 1) * PAGE_SIZE).execute();
  const rows = raw.map((r) => ({
    from: r.from, to: r.to, code: r.code, unitCode: r.unit_code, unitName: r.unit_name, level: r.level,
    procedure: r.procedure_name, field: r.field, channel: r.channel, receivedAt: r.received_at, dueAt: r.due_at,
    endedAt: r.ended_at, returnedAt: r.returned_at, status: r.status,
  })) as DossierRow[];
  return { rows, count: Number(n) };
}


function shown(row: DossierRow, key: keyof DossierRow): string {
  switch (key) {
    case 'level': return LEVEL_LABELS[row.level] ?? '';
    case 'channel': return row.channel ? CHANNEL_LABELS[row.channel] : '(không ghi)';
    case 'status': return STATUS_LABELS[row.status as Status] ?? row.status;
    case 'receivedAt': case 'dueAt': case 'endedAt': case 'returnedAt': return viTime(row[key]);
    default: return String(row[key] ?? '(không ghi)');
  }
}

export async function dossiersPage(ctx: ServeContext, search: URLSearchParams): Promise<Html> {
  let dueWithin;
  try {
    dueWithin = dueWithinOf(search);
  } catch (error) {
    if (!isUserError(error)) throw error;
    return notice('error', [error.message]);
  }
  if (dueWithin) return dueWithinPage(ctx, search, dueWithin);
  if (!search.get('figure')) {
    return html`${notice('info', ['Chọn một số liệu ở trang Tổng quan hoặc Báo cáo để xem các hồ sơ đằng sau nó.'])}
<p><a class="button" href="/">Về Tổng quan</a> ${dueSoonLink(search)}</p>`;
  }
  let selection: DossierSelection;
  try {
    selection = await selectDossiers(ctx, search);
  } catch (error) {
    if (!isUserError(error)) throw error;
    return notice('error', [error.message]);
  }
  const page = Math.max(1, Number.parseInt(search.get('page') ?? '1', 10) || 1);
  const sort = search.get('sort') && SORT_COLUMNS[search.get('sort')!] ? search.get('sort')! : undefined;
  const ascending = search.get('dir') !== 'desc';
  const { rows, count } = await dossierPage(ctx, selection, page, sort, ascending);
  const pages = Math.max(1, Math.ceil(count / PAGE_SIZE));
  const { params, figure, query } = selection;
  const here = withParams(params, { figure: figure.name });
  const link = (changes: Record<string, string | undefined>) => `/ho-so?${withParams(withParams(here, { page: search.get('page') ?? undefined, sort, dir: sort ? (ascending ? 'asc' : 'desc') : undefined }), changes)}`;
  const header = (key: keyof DossierRow) => {
    if (!SORT_COLUMNS[key]) return html`<th>${DOSSIER_HEADERS[key as keyof typeof DOSSIER_HEADERS]}</th>`;
    const next = sort === key && ascending ? 'desc' : 'asc';
    const mark = sort === key ? (ascending ? ' ▲' : ' ▼') : '';
    return html`<th><a href="${link({ sort: key, dir: next, page: undefined })}">${DOSSIER_HEADERS[key as keyof typeof DOSSIER_HEADERS]}${mark}</a></th>`;
  };
  const choices = await filterChoices(ctx, []);
  return html`<p class="figure-name"><strong>${figure.label}</strong> <code>${figure.name}</code></p>
${scopeLine(query)}
${notice('warning', selection.warnings)}
<p class="count">Tổng số: <strong id="so-ho-so" data-count="${String(count)}">${formatCount(count)}</strong> hồ sơ
· <a href="/ho-so/tai-ve.xlsx?${here}">Tải xlsx</a> · <a href="/ho-so/tai-ve.csv?${here}">Tải csv</a>
· <a href="/api/dossiers?${here}">JSON</a> · ${dueSoonLink(params)}</p>
<div class="scroll"><table class="list" id="danh-sach"><thead><tr><th>STT</th>${SHOWN.map(header)}</tr></thead><tbody>${rows.map(
    (row, i) => html`<tr><td class="n">${formatCount((page - 1) * PAGE_SIZE + i + 1)}</td>${SHOWN.map((k) => html`<td>${shown(row, k)}</td>`)}</tr>`,
  )}</tbody></table></div>
${pages > 1
    ? html`<nav class="pager">${page > 1 ? html`<a href="${link({ page: String(page - 1) })}" rel="prev">‹ Trang trước</a>` : ''}
<span>Trang ${formatCount(page)}/${formatCount(pages)}</span>
${page < pages ? html`<a href="${link({ page: String(page + 1) })}" rel="next">Trang sau ›</a>` : ''}</nav>`
    : ''}
<details><summary>Đổi kỳ hoặc bộ lọc</summary>${queryForm('/ho-so', params, choices, html`<input type="hidden" name="figure" value="${figure.name}">`)}</details>`;
}


/** The whole list as CSV (the CLI's, with a BOM so that Excel reads Vietnamese right). */
export async function dossiersCsv(ctx: ServeContext, selection: DossierSelection): Promise<string> {
  return `\uFEFF${renderDossiers(await listDossiers(ctx.db, selection.query, selection.figure.parts), 'csv')}`;
}

/** The whole list as a workbook of one sheet, Vietnamese headers, shown values. */
export async function dossiersXlsx(ctx: ServeContext, selection: DossierSelection): Promise<Buffer> {
  const rows = await listDossiers(ctx.db, selection.query, selection.figure.parts);
  const columns: Array<keyof DossierRow> = ['code', 'unitCode', 'unitName', 'level', 'procedure', 'field', 'channel', 'receivedAt', 'dueAt', 'endedAt', 'returnedAt', 'status'];
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'tthc';
  const sheet = workbook.addWorksheet('Hồ sơ');
  sheet.addRow([`${selection.figure.label} – ${periodLabel(selection.query.period)}: ${formatCount(rows.length)} hồ sơ`]).font = { bold: true };
  sheet.addRow(['STT', ...columns.map((c) => DOSSIER_HEADERS[c as keyof typeof DOSSIER_HEADERS])]).font = { bold: true };
  rows.forEach((row, i) => sheet.addRow([i + 1, ...columns.map((c) => (c === 'unitCode' ? row.unitCode : shown(row, c)))]));
  sheet.columns.forEach((column, i) => {
    column.width = i === 0 ? 6 : 18;
  });
  sheet.views = [{ state: 'frozen', ySplit: 2 }];
  return Buffer.from(await workbook.xlsx.writeBuffer());
}
