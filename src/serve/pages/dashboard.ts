import { emptiness } from '../../cli/first-steps.ts';
import type { Db } from '../../db/connection.ts';
import { LEVEL_LABELS } from '../../domain/levels.ts';
import { monthLabel, yearLabel } from '../../report/labels.ts';
import { computeStats } from '../../stats/compute.ts';
import { fieldsTakingPart, shareSummaryReads } from '../../stats/compute-summary.ts';
import { dataHalfMonths } from '../../stats/coverage.ts';
import { traceRate } from '../../stats/dossiers.ts';
import { FIGURE_HEADERS } from '../../stats/labels.ts';
import { checkQuery } from '../../stats/warnings.ts';
import type { CountFigure, RateFigure, StatsQuery, StatsRow } from '../../stats/types.ts';
import { monthlyRateSvg } from '../charts.ts';
import { filterChoices, isUserError, type ServeContext } from '../context.ts';
import { queryForm } from '../forms.ts';
import { countLink, html, notice, percent, raw, scopeLine, type Html } from '../html.ts';
import { hasPeriod, queryParams, statsQueryOf, wholePeriodsOf, withDays, withParams } from '../params.ts';

// Tổng quan: the key figures of a period, the table by level and year or month, the table by unit and the
// monthly charts; every count is a link to the dossiers behind it (Hồ sơ), with the same parameters.

/**
 * The parameters of the page, with the data's last year as the period when none is chosen: the year of the
 * summary's last half-month with data, which is that of the data's last day, read without the dossiers.
 */
export async function pageParams(ctx: ServeContext, search: URLSearchParams): Promise<URLSearchParams> {
  const params = queryParams(search);
  if (hasPeriod(params)) return params;
  const span = await dataHalfMonths(ctx.db);
  return withParams(params, { year: (span?.last ?? new Date().toISOString()).slice(0, 4) });
}

/** The link to the dossiers behind a figure, over the given parameters. */
export const dossiersHref = (params: URLSearchParams, figure: string) =>
  `/ho-so?${withParams(params, { figure, page: undefined, sort: undefined, dir: undefined })}`;

/** A count cell, or a rate cell whose link lists the dossiers of its numerator. */
function cell(row: StatsRow, figure: CountFigure | RateFigure, params: URLSearchParams): Html {
  const rate = traceRate(figure);
  if (rate) {
    const numerator = rate.numerator.join('+');
    return html`<a class="rate" href="${dossiersHref(params, numerator)}" title="Tử số: ${numerator}">${percent(row[figure as RateFigure])}</a>`;
  }
  return countLink(row[figure as CountFigure], dossiersHref(params, figure), figure);
}

const KEY_FIGURES: Array<{ title: string; figures: Array<CountFigure | RateFigure> }> = [
  { title: 'Tiếp nhận mới', figures: ['receivedTotal', 'receivedDirect', 'receivedOnline', 'receivedPostal', 'receivedLienThong'] },
  { title: 'Đã giải quyết', figures: ['resolvedTotal', 'resolvedEarly', 'resolvedOnTime', 'resolvedLate', 'resolvedRejected'] },
  { title: 'Tỷ lệ', figures: ['onTimeRate', 'onlineRate'] },
  { title: 'Đang giải quyết', figures: ['carriedOver', 'pendingTotal', 'pendingOnTime', 'pendingOverdue', 'withdrawn'] },
];

/** The columns of the tables by level and by unit. */
const TABLE_FIGURES: Array<CountFigure | RateFigure> = [
  'carriedOver', 'receivedTotal', 'receivedOnline', 'resolvedTotal', 'resolvedEarly', 'resolvedOnTime', 'resolvedLate',
  'onTimeRate', 'onlineRate', 'pendingTotal', 'pendingOverdue',
];

const SORTABLE = new Set<string>(['unitName', 'level', ...TABLE_FIGURES]);

export async function dashboardPage(ctx: ServeContext, search: URLSearchParams): Promise<Html> {
  const why = await emptiness(ctx.db, 'dossiers');
  if (why) {
    return html`${notice('info', [`Cơ sở dữ liệu ${ctx.dbLabel} chưa có hồ sơ nào.`])}
<p><a class="button" href="/nhap-du-lieu">Nhập dữ liệu</a> từ các tệp xuất của hệ thống một cửa (.xlsx, .csv…).</p>`;
  }
  const params = await pageParams(ctx, search);
  let query: StatsQuery;
  try {
    query = statsQueryOf(params);
  } catch (error) {
    if (!isUserError(error)) throw error;
    return html`${notice('error', [error.message])}${queryForm('/', params, await filterChoices(ctx, []))}`;
  }
  let checked;
  try {
    checked = await checkQuery(ctx.db, { ...query, by: [] }, { wholePeriods: wholePeriodsOf(params) });
  } catch (error) {
    if (!isUserError(error)) throw error;
    return html`${notice('error', [error.message])}${queryForm('/', params, await filterChoices(ctx, []))}`;
  }
  const q = checked.query;
  const multiYear = isMultiYear(q);
  const [{ total, byTime, byUnit, monthly }, fields] = await Promise.all([dashboardFigures(ctx.db, q), fieldsWithData(ctx, q)]);
  const [onlineSvg, onTimeSvg] = await Promise.all([monthlyRateSvg(monthly, 'onlineRate'), monthlyRateSvg(monthly, 'onTimeRate')]);
  const choices = await filterChoices(ctx, fields);

  const sort = SORTABLE.has(search.get('sort') ?? '') ? search.get('sort')! : 'receivedTotal';
  const dir = search.get('dir') === 'asc' ? 1 : -1;
  const units = [...byUnit].sort((a, b) => dir * compare(a, b, sort) || (a.unitName ?? '').localeCompare(b.unitName ?? '', 'vi'));

  return html`${queryForm('/', params, choices)}
${notice('warning', checked.warnings)}
${scopeLine(q)}
<section class="cards">${KEY_FIGURES.map(
    (group) => html`<div class="card"><h2>${group.title}</h2><dl>${group.figures.map(
      (f) => html`<dt>${FIGURE_HEADERS[f]}</dt><dd>${cell(total, f, params)}</dd>`,
    )}</dl></div>`,
  )}</section>
<section><h2>Theo cấp và ${multiYear ? 'năm' : 'tháng'}</h2>
<div class="scroll"><table class="figures" id="theo-cap"><thead><tr><th>${multiYear ? 'Năm' : 'Tháng'}</th><th>Cấp</th>${TABLE_FIGURES.map(
    (f) => html`<th>${FIGURE_HEADERS[f]}</th>`,
  )}</tr></thead><tbody>${byTime.map((row) => {
    const rowParams = withParams(withDays(params, row.from, row.to), { level: row.level });
    return html`<tr><td>${row.year !== undefined ? yearLabel(row) : monthLabel(row.month!)}</td><td>${row.level ? LEVEL_LABELS[row.level] : ''}</td>${TABLE_FIGURES.map(
      (f) => html`<td class="n">${cell(row, f, rowParams)}</td>`,
    )}</tr>`;
  })}</tbody></table></div></section>
<section><h2>Theo đơn vị</h2>
<div class="scroll"><table class="figures" id="theo-don-vi"><thead><tr>${sortHeader(params, 'unitName', 'Đơn vị', sort, dir)}${sortHeader(
    params, 'level', 'Cấp', sort, dir,
  )}${TABLE_FIGURES.map((f) => sortHeader(params, f, FIGURE_HEADERS[f], sort, dir))}</tr></thead><tbody>${units.map((row) => {
    const rowParams = withParams(params, { unit: row.unitCode, level: undefined });
    return html`<tr><td>${row.unitName}</td><td>${row.level ? LEVEL_LABELS[row.level] : ''}</td>${TABLE_FIGURES.map(
      (f) => html`<td class="n">${cell(row, f, rowParams)}</td>`,
    )}</tr>`;
  })}</tbody></table></div></section>
<section class="charts"><h2>Tỷ lệ theo tháng</h2>
${[onlineSvg, onTimeSvg].map((svg) =>
    svg ? html`<img class="chart" alt="Biểu đồ tỷ lệ theo tháng" src="data:image/svg+xml;base64,${raw(Buffer.from(svg).toString('base64'))}">` : '',
  )}
</section>`;
}

const isMultiYear = (q: StatsQuery) => q.period.from.slice(0, 4) !== q.period.to.slice(0, 4);

/** The statistics the page shows, each the rows of computeStats for its grouping. */
export interface DashboardFigures {
  total: StatsRow;
  /** By level and month, or by level and year over several years. */
  byTime: StatsRow[];
  byUnit: StatsRow[];
  /** By level and month, for the charts. */
  monthly: StatsRow[];
}

/**
 * The page's statistics of a checked query (checkQuery), on `db`: this request's snapshot, on which the groupings
 * of the one period add up one read of the summary (shareSummaryReads).
 */
export async function dashboardFigures(db: Db, q: StatsQuery): Promise<DashboardFigures> {
  shareSummaryReads(db);
  const multiYear = isMultiYear(q);
  const [[total], byTime, byUnit, byMonth] = await Promise.all([
    computeStats(db, { ...q, by: [] }),
    computeStats(db, { ...q, by: [multiYear ? 'year' : 'month', 'level'] }),
    computeStats(db, { ...q, by: ['level', 'unit'] }),
    multiYear ? computeStats(db, { ...q, by: ['month', 'level'] }) : undefined,
  ]);
  return { total, byTime, byUnit, monthly: byMonth ?? byTime };
}

/**
 * The fields with dossiers in the query's period and units (field filters aside), for the filter's choices. Kept
 * until the next import: a choice list a little stale after a CLI import changes no figure.
 */
async function fieldsWithData(ctx: ServeContext, q: StatsQuery): Promise<Array<string | null | undefined>> {
  const { field: _field, excludeField: _excluded, ...filters } = q.filters ?? {};
  const [latest] = await ctx.db.selectFrom('import_batches').select((eb) => eb.fn.max('id').as('id')).execute();
  const key = JSON.stringify([latest?.id ?? 0, q.period, filters]);
  // Keyed by the writing connection: the pages read through a snapshot of their own on each request.
  let cache = fieldCaches.get(ctx.writer);
  if (!cache) fieldCaches.set(ctx.writer, (cache = new Map()));
  let fields = cache.get(key);
  if (!fields) {
    fields = await fieldsTakingPart(ctx.db, q);
    if (cache.size >= 32) cache.delete(cache.keys().next().value!);
    cache.set(key, fields);
  }
  return fields;
}
let fieldCaches = new WeakMap<object, Map<string, Array<string | null | undefined>>>();

/** Forgets the field choices kept (the speed benchmark measures the page without them). */
export function clearFieldChoices(): void {
  fieldCaches = new WeakMap();
}

function compare(a: StatsRow, b: StatsRow, key: string): number {
  const x = (a as unknown as Record<string, unknown>)[key];
  const y = (b as unknown as Record<string, unknown>)[key];
  if (typeof x === 'number' || typeof y === 'number') return (typeof x === 'number' ? x : -1) - (typeof y === 'number' ? y : -1);
  return String(x ?? '').localeCompare(String(y ?? ''), 'vi');
}

function sortHeader(params: URLSearchParams, key: string, label: string, sort: string, dir: number): Html {
  const next = key === sort && dir === -1 ? 'asc' : 'desc';
  const mark = key === sort ? (dir === -1 ? ' ▼' : ' ▲') : '';
  return html`<th><a href="/?${withParams(params, { sort: key, dir: next })}#theo-don-vi">${label}${mark}</a></th>`;
}
