import type { Db } from '../db/connection.ts';
import { dialectOf } from '../db/dialect.ts';
import type { Period } from '../domain/periods.ts';
import type { Channel } from '../domain/channels.ts';
import type { Level } from '../domain/levels.ts';
import { computeStatsFromSummary, summaryAnswers } from './compute-summary.ts';
import { FIGURE_PREDICATES, figureCount, relevantTo, type FigureBuilder } from './figures.ts';
import { filterCondition, resolveFilters, unitsRelation, type ResolvedFilters } from './filters.ts';
import { halfMonthOf, lastDayOfHalfMonth } from './summary.ts';
import { assemble, normalizeBy } from './rows.ts';
import { completeRows } from './unit-rows.ts';
import { periodsRelation, subPeriodsOf, type SubPeriod } from './sub-periods.ts';
import { averageDays, dueOf, indicators766Of, progress766Of } from './rates.ts';
import {
  COUNT_FIGURES, DUE_COUNTS, INDICATOR_766_COUNTS, PROGRESS_766_COUNTS, type Counts, type DossierFigure, type GroupKey, type Indicator766Count,
  type StatsQuery, type StatsRow,
} from './types.ts';

export { normalizeBy, sortRows } from './rows.ts';

// Two ways to the same figures. Any period grouped by period, level, unit, field, procedure or channel is answered
// from the summaries by half-month (compute-summary.ts), which the importer keeps, with the dossiers of partial
// half-months; anything else (the receiving unit, the figures the summaries lack) reads the dossiers themselves,
// here. Tests check that
// both give the same rows.
//
// Reading the dossiers: one aggregate query per call. The periods relation p (one row per year or month when
// grouping by them) is joined to the dossiers on "takes part in the period", and each figure is
// count(*) filter (where <its rule>)
// (figures.ts). Dossiers are aggregated by unit code first and the small units table is joined to that result,
// so the big table is read once, without a join per dossier.

/** Columns of the first stage that carry a group key. */
const STAGE_ONE_COLUMNS = {
  unit_code: 'd.unit_code',
  receiving_unit: 'd.receiving_unit',
  field: 'd.field',
  procedure: 'd.procedure_name',
  channel: 'd.channel',
} as const;
type StageOneColumn = keyof typeof STAGE_ONE_COLUMNS;

/** How computeStatsFromDossiers reads the dossiers; the default is the fastest way measured (dossiersTakingPart). */
export interface DossierRead {
  /** false: joined to the sub-periods directly, as before dossiersTakingPart (the benchmarks' baseline). */
  wholePeriodOnce?: boolean;
}

/**
 * The figures of docs/rules.md for a period, grouped as asked. Rows are sorted by period, then by level (tỉnh,
 * huyện, xã), unit, field, procedure and channel. A group appears when it has at least one dossier taking part
 * in the period; with year or month grouping it appears in every sub-period (zeros where it had nothing), so a
 * yearly or monthly table has no holes. Without other keys the one group (everything) always appears.
 */
export async function computeStats(db: Db, query: StatsQuery): Promise<StatsRow[]> {
  // QĐ 766's progress figures (handled766, inTime766) and the due-basis ones (dueTotal, dueOnTime) are not in the
  // summary by half-month: a query that asks for them reads the dossiers, over its period as fitted (a period cut
  // at the data's last day is read as cut).
  if (query.progress766 || query.dueBasis || query.indicators766 || query.processingTime) {
    const rows = await computeStatsFromDossiers(db, query);
    return query.uncut ? markCut(rows, query) : rows;
  }
  if (query.uncut) return markCut(await computeCutStats(db, query), query);
  return summaryAnswers(query) ? computeStatsFromSummary(db, query) : computeStatsFromDossiers(db, query);
}

/**
 * A period cut at the data's last day C (fitToData): nothing of the selected units was received or ended after
 * C, so every figure over a period ending on C equals the one over the period extended to the end of C's
 * half-month, which the summary answers, except the split of pending dossiers against their due day, taken at
 * C instead: those due from C to the day before the half-month's end were overdue at its end but are still in
 * time at C. One pass over the pending dossiers counts them per group. Queries the summary cannot answer read
 * the dossiers over the cut period, as any other.
 */
async function computeCutStats(db: Db, query: StatsQuery): Promise<StatsRow[]> {
  const cut = query.period.to;
  const halfMonthEnd = lastDayOfHalfMonth(halfMonthOf(cut));
  const plain: StatsQuery = { period: query.period, by: query.by, filters: query.filters };
  const extended: StatsQuery = { ...plain, period: { from: query.period.from, to: halfMonthEnd } };
  if (cut === halfMonthEnd || !summaryAnswers(extended)) return computeStats(db, plain);
  const by = normalizeBy(query.by);
  // Resolved before either query starts: a filter that names nothing must not leave the other query's failure unheard.
  const filters = await resolveFilters(db, query.filters);
  const [rows, dueLater] = await Promise.all([
    computeStatsFromSummary(db, extended),
    overdueBetween(db, by, filters, cut, halfMonthEnd),
  ]);
  for (const row of rows) {
    if (row.to !== halfMonthEnd) continue;
    const inTime = dueLater.get(cutGroupKey(row)) ?? 0;
    row.pendingOverdue -= inTime;
    row.pendingOnTime += inTime;
    row.to = cut;
  }
  return rows;
}

const cutGroupKey = (keys: Pick<StatsRow, 'level' | 'unitCode' | 'field' | 'procedure' | 'channel'>) =>
  JSON.stringify([keys.level ?? null, keys.unitCode ?? null, keys.field ?? null, keys.procedure ?? null, keys.channel ?? null]);

/**
 * Per group of the query's level, unit, field, procedure and channel keys: the dossiers still pending (none ends after
 * `from`) that are in time at the end of `from` and overdue at the end of `to` (from < overdue_from ≤ to).
 */
async function overdueBetween(db: Db, by: GroupKey[], filters: ResolvedFilters, from: string, to: string): Promise<Map<string, number>> {
  const rows = await db
    .selectFrom('dossiers as d')
    .where('d.ended_at', 'is', null)
    .where('d.overdue_from', '>', from)
    .where('d.overdue_from', '<=', to)
    .where((eb) => filterCondition(eb as unknown as FigureBuilder, filters))
    .select(['d.unit_code', 'd.field', 'd.procedure_name', 'd.channel'])
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .groupBy(['d.unit_code', 'd.field', 'd.procedure_name', 'd.channel'])
    .execute();
  const map = filters.unitMap?.byCode;
  const levels = by.includes('level')
    ? map
      ? new Map([...map].map(([code, u]) => [code, u.level]))
      : new Map((await db.selectFrom('units').select(['code', 'level']).execute()).map((u) => [u.code, u.level]))
    : undefined;
  const out = new Map<string, number>();
  for (const r of rows) {
    const key = cutGroupKey({
      level: levels?.get(r.unit_code),
      unitCode: by.includes('unit') ? (map?.get(r.unit_code)?.code ?? r.unit_code) : undefined,
      field: by.includes('field') ? r.field : undefined,
      procedure: by.includes('procedure') ? r.procedure_name : undefined,
      channel: by.includes('channel') ? r.channel : undefined,
    });
    out.set(key, (out.get(key) ?? 0) + Number(r.n));
  }
  return out;
}

/** Marks the rows whose sub-period the cut at the data's last day shortened (cutAtDataEnd after `to`). */
function markCut(rows: StatsRow[], query: StatsQuery): StatsRow[] {
  const whole = new Map(subPeriodsOf(query.uncut!, normalizeBy(query.by)).map((p) => [p.from, p.to]));
  return rows.map((row) => {
    if (!(row.to < (whole.get(row.from) ?? row.to))) return row;
    const marked: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(row)) {
      marked[key] = value;
      if (key === 'to') marked.cutAtDataEnd = true;
    }
    return marked as unknown as StatsRow;
  });
}

/** computeStats by reading every dossier taking part in the period: any period, any grouping. */
export async function computeStatsFromDossiers(db: Db, query: StatsQuery, read: DossierRead = {}): Promise<StatsRow[]> {
  const by = normalizeBy(query.by);
  const periods = subPeriodsOf(query.period, by);
  const filters = await resolveFilters(db, query.filters);
  const figures: DossierFigure[] = [
    ...COUNT_FIGURES, ...(query.progress766 ? PROGRESS_766_COUNTS : []), ...(query.dueBasis ? DUE_COUNTS : []),
    ...(query.indicators766 ? INDICATOR_766_COUNTS : []),
  ];

  const stageOne: StageOneColumn[] = [];
  if (by.includes('level') || by.includes('unit')) stageOne.push('unit_code');
  if (by.includes('receiving-unit')) stageOne.push('receiving_unit');
  if (by.includes('field')) stageOne.push('field');
  if (by.includes('procedure')) stageOne.push('procedure');
  if (by.includes('channel')) stageOne.push('channel');

  const first = db
    .selectFrom(dossiersTakingPart(db, query.period, periods, figures, read))
    // CROSS JOIN keeps the dossiers as the outer loop on SQLite: one pass over the table.
    .crossJoin(periodsRelation(db, periods).as('p'))
    .where((eb) => relevantTo(figures)(eb as unknown as FigureBuilder))
    .where((eb) => filterCondition(eb as unknown as FigureBuilder, filters))
    .select(['p.from', 'p.to'])
    .select(stageOne.map((c) => `${STAGE_ONE_COLUMNS[c]} as ${c}` as any))
    .select((eb) => figures.map((f) => figureCount(eb as unknown as FigureBuilder, f).as(f)))
    .select((eb) => (query.processingTime ? processingSums(eb as unknown as FigureBuilder) : []))
    .groupBy(['p.from', 'p.to', ...stageOne.map((c) => STAGE_ONE_COLUMNS[c])] as any);
  const sums: string[] = [...figures, ...(query.processingTime ? PROCESSING_SUMS : [])];

  let raw: Record<string, unknown>[];
  if (stageOne.includes('unit_code')) {
    const keep = stageOne.filter((c) => c !== 'unit_code').map((c) => `s.${c}`);
    // By the units of a day, each unit code of the data joins the unit it counts under (unitsRelation).
    const unitColumns = [
      ...(by.includes('level') ? ['u.level as level'] : []),
      ...(by.includes('unit') ? ['u.eff_code as unit_code', 'u.name as unit_name'] : []),
    ];
    raw = await (db as any)
      .selectFrom(first.as('s'))
      .innerJoin(unitsRelation(db, filters.unitMap), 'u.code', 's.unit_code')
      .select(['s.from', 's.to', ...unitColumns, ...keep])
      .select((eb: any) => sums.map((f) => eb.fn.sum(`s.${f}`).as(f)))
      .groupBy(['s.from', 's.to', ...unitColumns.map((c) => c.split(' as ')[0]), ...keep])
      .execute();
  } else {
    raw = await first.execute();
  }

  const rows = await completeRows(db, raw.map((r) => toRow(r, by, periods)), by, query.period, periods, filters);
  // Rows that completeRows added (a group without dossiers in a sub-period) have nothing handled or due.
  for (const row of rows) {
    if (query.progress766 && row.handled766 === undefined) Object.assign(row, progress766Of({ handled766: 0, inTime766: 0 }));
    if (query.dueBasis && row.dueTotal === undefined) Object.assign(row, dueOf({ dueTotal: 0, dueOnTime: 0 }));
    if (query.indicators766 && row.withFee === undefined) {
      Object.assign(row, indicators766Of({ ...zeroIndicatorCounts(), resolvedLate: row.resolvedLate, resolvedTotal: row.resolvedTotal }));
    }
    if (query.processingTime && row.avgProcessingDays === undefined) row.avgProcessingDays = null;
  }
  return rows;
}

/**
 * The dossiers a call reads, as `d`. On PostgreSQL a call by month first takes the dossiers taking part in the
 * whole period, bounded by its days and fenced (`offset 0`) so that they are read once: joined to the months
 * directly, PostgreSQL reads them again for each month (`--year 2023 --by month,unit` over 5,000,000 dossiers
 * 2.7 times slower: docs/benchmarks.md, "The dossier path by month"). By year the fence cost more than it saved
 * (the whole table read without parallel workers: 0.8×). The bound is the same rule (relevantTo), which a
 * dossier meeting it for any sub-period meets for the whole. SQLite reads the table once either way (the cross
 * join below keeps it the outer loop).
 */
function dossiersTakingPart(
  db: Db, period: Period, periods: readonly SubPeriod[], figures: readonly DossierFigure[], read: DossierRead,
): 'dossiers as d' {
  if (read.wholePeriodOnce === false || periods.length === 1 || periods[0].month === undefined || dialectOf(db) !== 'postgres') return 'dossiers as d';
  return db
    .selectFrom('dossiers as d')
    // The months cut the period whole (subPeriodsOf): the period itself, as one sub-period, bounds them.
    .crossJoin(periodsRelation(db, subPeriodsOf(period, [])).as('p'))
    .where((eb) => relevantTo(figures)(eb as unknown as FigureBuilder))
    .selectAll('d')
    .offset(0)
    // Typed as the table it stands for: every column of the dossiers, under the same alias.
    .as('d') as unknown as 'dossiers as d';
}

/** The sums behind avgProcessingDays: the working days of the dossiers resolved in the period, and how many have them. */
const PROCESSING_SUMS = ['processingDays', 'processingCounted'] as const;

/**
 * sum(processing_working_days) and count(*) over the dossiers resolved in the period (resolvedTotal's rule) that
 * have their working days stored (a day outside the calendar's years leaves them null).
 */
function processingSums(eb: FigureBuilder) {
  const counted = eb.and([FIGURE_PREDICATES.resolvedTotal(eb), eb('d.processing_working_days', 'is not', null)]);
  return [
    eb.fn.sum<number>('d.processing_working_days').filterWhere(counted).as('processingDays'),
    eb.fn.countAll<number>().filterWhere(counted).as('processingCounted'),
  ];
}

function periodOf(from: string, periods: readonly SubPeriod[]): SubPeriod {
  return periods.find((p) => p.from === from)!;
}

function toRow(r: Record<string, unknown>, by: GroupKey[], periods: readonly SubPeriod[]): StatsRow {
  const period = periodOf(String(r.from), periods);
  const counts = Object.fromEntries(COUNT_FIGURES.map((f) => [f, Number(r[f] ?? 0)])) as Counts;
  const row = assemble(by, period, {
    level: r.level as Level,
    unitCode: r.unit_code as string,
    unitName: r.unit_name as string,
    receivingUnit: (r.receiving_unit ?? null) as string | null,
    field: (r.field ?? null) as string | null,
    procedure: (r.procedure ?? null) as string | null,
    channel: (r.channel ?? null) as Channel | null,
  }, counts);
  if ('handled766' in r) Object.assign(row, progress766Of({ handled766: Number(r.handled766 ?? 0), inTime766: Number(r.inTime766 ?? 0) }));
  if ('dueTotal' in r) Object.assign(row, dueOf({ dueTotal: Number(r.dueTotal ?? 0), dueOnTime: Number(r.dueOnTime ?? 0) }));
  if ('withFee' in r) {
    const indicatorCounts = Object.fromEntries(INDICATOR_766_COUNTS.map((f) => [f, Number(r[f] ?? 0)])) as Record<Indicator766Count, number>;
    Object.assign(row, indicators766Of({ ...indicatorCounts, resolvedLate: counts.resolvedLate, resolvedTotal: counts.resolvedTotal }));
  }
  if ('processingCounted' in r) row.avgProcessingDays = averageDays(Number(r.processingDays ?? 0), Number(r.processingCounted ?? 0));
  return row;
}

const zeroIndicatorCounts = () => Object.fromEntries(INDICATOR_766_COUNTS.map((f) => [f, 0])) as Record<Indicator766Count, number>;

