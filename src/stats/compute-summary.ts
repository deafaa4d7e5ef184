import type { Db } from '../db/connection.ts';
import type { Channel } from '../domain/channels.ts';
import type { Level } from '../domain/levels.ts';
import type { Period } from '../domain/periods.ts';
import { resolveFilters, unitCodeIn, unitsRelation, type ResolvedFilters } from './filters.ts';
import { ENDED_COUNTS, halfMonthOf, lastDayOfMonth, nextHalfMonth, SUMMARY_COUNTS, type SummaryCount } from './summary.ts';
import { assemble, normalizeBy, type Keys } from './rows.ts';
import { completeRows } from './unit-rows.ts';
import { subPeriodsOf, type SubPeriod } from './sub-periods.ts';
import type { Counts, GroupKey, StatsQuery, StatsRow } from './types.ts';

// Statistics of whole half-months from the summary by half-month (summary.ts says what each dossier adds to it):
// two small aggregates over dossier_half_months (the half-months before the period, and each half-month of it, by
// group and channel), then running sums per group give each sub-period's carried over and pending. The rows are
// the same as computeStatsFromDossiers gives for the same query: same keys, rates, order and "no holes" rule.

const SUMMARY_GROUP_KEYS: readonly GroupKey[] = ['year', 'month', 'level', 'unit', 'field', 'channel'];

/** Whether a period is made of whole half-months: it starts on a 1st or a 15th and ends on a 14th or a last day. */
export function isHalfMonthAligned(period: Period): boolean {
  const { from, to } = period;
  const first = from.slice(8, 10);
  return (first === '01' || first === '15') && (to.slice(8, 10) === '14' || to === lastDayOfMonth(to.slice(0, 7)));
}

/**
 * Whether the summary can answer the query: grouped by keys the summary holds, over a period whose sub-periods
 * (the period itself, or its calendar years or months cut to it) are all made of whole half-months. Calendar
 * months, quarters and years qualify, and so do the reporting months (15th to 14th) and years (15/12 to 14/12).
 */
export function summaryAnswers(query: StatsQuery): boolean {
  const by = normalizeBy(query.by);
  return (
    by.every((key) => SUMMARY_GROUP_KEYS.includes(key)) &&
    // The summary has no receiving unit: a filter by it reads the dossiers.
    !query.filters?.receivingUnit?.length &&
    isHalfMonthAligned(query.period) &&
    subPeriodsOf(query.period, by).every(isHalfMonthAligned)
  );
}

/** One half-month of one group, channels folded into the receipt figures. */
export interface HalfMonthFlow {
  receivedDirect: number;
  receivedOnline: number;
  receivedPostal: number;
  receivedLienThong: number;
  receivedTotal: number;
  resolvedEarly: number;
  resolvedOnTime: number;
  resolvedLate: number;
  resolvedRejected: number;
  withdrawn: number;
  /** overdue_in − overdue_out */
  overdueChange: number;
}

/** A group's state at the start of the period: dossiers still open, and of those the overdue ones. */
export interface OpenAtStart {
  open: number;
  overdue: number;
}

const RECEIVED_BY_CHANNEL: Record<Channel, keyof HalfMonthFlow> = {
  truc_tiep: 'receivedDirect',
  truc_tuyen: 'receivedOnline',
  buu_chinh: 'receivedPostal',
  lien_thong: 'receivedLienThong',
};

const emptyFlow = (): HalfMonthFlow => ({
  receivedDirect: 0, receivedOnline: 0, receivedPostal: 0, receivedLienThong: 0, receivedTotal: 0,
  resolvedEarly: 0, resolvedOnTime: 0, resolvedLate: 0, resolvedRejected: 0, withdrawn: 0, overdueChange: 0,
});

/**
 * The counts of each sub-period (consecutive, in order, of whole half-months) of one group, by running sums from its
 * state at the start of the first: carried over = open at the start, pending = open at the end, of which overdue
 * the running sum of overdue changes.
 */
export function countsOverSubPeriods(start: OpenAtStart, halfMonths: ReadonlyMap<string, HalfMonthFlow>, periods: readonly SubPeriod[]): Counts[] {
  let { open, overdue } = start;
  return periods.map((period) => {
    const sum = emptyFlow();
    const last = halfMonthOf(period.to);
    for (let halfMonth = halfMonthOf(period.from); halfMonth <= last; halfMonth = nextHalfMonth(halfMonth)) {
      const flow = halfMonths.get(halfMonth);
      if (!flow) continue;
      for (const key of Object.keys(sum) as Array<keyof HalfMonthFlow>) sum[key] += flow[key];
    }
    const carriedOver = open;
    const resolvedTotal = sum.resolvedEarly + sum.resolvedOnTime + sum.resolvedLate + sum.resolvedRejected;
    open += sum.receivedTotal - resolvedTotal - sum.withdrawn;
    overdue += sum.overdueChange;
    return {
      receivedDirect: sum.receivedDirect,
      receivedOnline: sum.receivedOnline,
      receivedPostal: sum.receivedPostal,
      receivedLienThong: sum.receivedLienThong,
      receivedTotal: sum.receivedTotal,
      carriedOver,
      resolvedEarly: sum.resolvedEarly,
      resolvedOnTime: sum.resolvedOnTime,
      resolvedLate: sum.resolvedLate,
      resolvedRejected: sum.resolvedRejected,
      resolvedTotal,
      withdrawn: sum.withdrawn,
      pendingTotal: open,
      pendingOnTime: open - overdue,
      pendingOverdue: overdue,
    };
  });
}

interface Group {
  keys: Keys;
  start: OpenAtStart;
  halfMonths: Map<string, HalfMonthFlow>;
}

type SummaryRow = Record<string, string | number | null> & Record<SummaryCount, number>;

/** computeStats from the summary by half-month; only for queries summaryAnswers accepts. */
export async function computeStatsFromSummary(db: Db, query: StatsQuery): Promise<StatsRow[]> {
  if (!summaryAnswers(query)) throw new Error('computeStatsFromSummary: not a period of whole half-months with summary keys');
  const by = normalizeBy(query.by);
  const periods = subPeriodsOf(query.period, by);
  const filters = await resolveFilters(db, query.filters);
  const firstHalfMonth = halfMonthOf(query.period.from);
  const lastHalfMonth = halfMonthOf(query.period.to);

  const [before, inside] = await Promise.all([
    summaryQuery(db, by, filters, false).where('m.half_month', '<', firstHalfMonth).execute() as Promise<SummaryRow[]>,
    summaryQuery(db, by, filters, true)
      .where('m.half_month', '>=', firstHalfMonth)
      .where('m.half_month', '<=', lastHalfMonth)
      .execute() as Promise<SummaryRow[]>,
  ]);

  const groups = new Map<string, Group>();
  const groupOf = (row: SummaryRow): Group => {
    const keys: Keys = {
      level: (row.level ?? undefined) as Level | undefined,
      unitCode: (row.unit_code ?? undefined) as string | undefined,
      unitName: (row.unit_name ?? undefined) as string | undefined,
      field: row.field === undefined ? undefined : row.field === '' ? null : (row.field as string),
      channel: row.channel === undefined || !by.includes('channel') ? undefined : row.channel === '' ? null : (row.channel as Channel),
    };
    const id = JSON.stringify([keys.level, keys.unitCode, keys.field, keys.channel]);
    let group = groups.get(id);
    if (!group) {
      group = { keys, start: { open: 0, overdue: 0 }, halfMonths: new Map() };
      groups.set(id, group);
    }
    return group;
  };

  for (const row of before) {
    const group = groupOf(row);
    group.start.open += n(row.received) - ENDED_COUNTS.reduce((sum, c) => sum + n(row[c]), 0);
    group.start.overdue += n(row.overdue_in) - n(row.overdue_out);
  }
  for (const row of inside) {
    const group = groupOf(row);
    const halfMonth = String(row.half_month);
    let flow = group.halfMonths.get(halfMonth);
    if (!flow) group.halfMonths.set(halfMonth, (flow = emptyFlow()));
    const received = n(row.received);
    flow.receivedTotal += received;
    const channelFigure = RECEIVED_BY_CHANNEL[row.channel as Channel];
    if (channelFigure) flow[channelFigure] += received;
    flow.resolvedEarly += n(row.ended_early);
    flow.resolvedOnTime += n(row.ended_on_time);
    flow.resolvedLate += n(row.ended_late);
    flow.resolvedRejected += n(row.ended_rejected);
    flow.withdrawn += n(row.ended_withdrawn);
    flow.overdueChange += n(row.overdue_in) - n(row.overdue_out);
  }

  const rows: StatsRow[] = [];
  for (const group of groups.values()) {
    const counts = countsOverSubPeriods(group.start, group.halfMonths, periods);
    periods.forEach((period, i) => {
      // A group shows in a sub-period when a dossier takes part in it: carried over into it or received in it.
      if (counts[i].carriedOver + counts[i].receivedTotal > 0) rows.push(assemble(by, period, group.keys, counts[i]));
    });
  }
  return completeRows(db, rows, by, query.period, periods, filters);
}

const n = (value: unknown) => Number(value ?? 0);

/**
 * Sums of the summary by the query's groups (and by channel and half-month when `byHalfMonth`: receipts are split
 * by channel whatever the grouping), with the query's filters.
 */
function summaryQuery(db: Db, by: GroupKey[], filters: ResolvedFilters, byHalfMonth: boolean) {
  const columns: string[] = [];
  if (by.includes('level')) columns.push('u.level');
  // By the units of a day, u is the units relation that gives each unit code the unit it counts under.
  const unitCode = filters.unitMap ? 'u.eff_code' : 'm.unit_code';
  if (by.includes('unit')) columns.push(unitCode, 'u.name');
  if (by.includes('field')) columns.push('m.field');
  if (by.includes('channel') || byHalfMonth) columns.push('m.channel');
  if (byHalfMonth) columns.push('m.half_month');
  const joinUnits = by.includes('level') || by.includes('unit') || filters.levels !== undefined;

  let q = db.selectFrom('dossier_half_months as m') as any;
  if (joinUnits) q = q.innerJoin(filters.unitMap ? unitsRelation(db, filters.unitMap) : 'units as u', 'u.code', 'm.unit_code');
  if (filters.levels) q = q.where('u.level', 'in', filters.levels);
  if (filters.unitCodes) q = q.where((eb: any) => unitCodeIn(eb, 'm.unit_code', filters.unitCodes!));
  if (filters.fields) q = q.where('m.field', 'in', filters.fields);
  if (filters.excludeFields?.length) {
    const excluded = filters.excludeFields;
    q = q.where((eb: any) => eb.or([eb('m.field', '=', ''), eb('m.field', 'not in', excluded)]));
  }
  const aliases: Record<string, string> = { 'u.name': 'u.name as unit_name', 'u.eff_code': 'u.eff_code as unit_code' };
  if (columns.length) q = q.select(columns.map((c) => aliases[c] ?? c)).groupBy(columns);
  return q.select((eb: any) => SUMMARY_COUNTS.map((c) => eb.fn.sum(`m.${c}`).as(c))) as {
    where(...args: unknown[]): any;
    execute(): Promise<unknown[]>;
  };
}
