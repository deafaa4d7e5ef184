import { sql } from 'kysely';
import type { Db } from '../db/connection.ts';
import { CHANNELS, type Channel } from '../domain/channels.ts';
import type { Level } from '../domain/levels.ts';
import type { Period } from '../domain/periods.ts';
import { resolveFilters, unitCodeIn, type ResolvedFilters } from './filters.ts';
import { partialHalfMonths, SUMMARY_FIGURES, zeroCounts } from './partial-half-months.ts';
import { ENDED_COUNTS, halfMonthOf, lastDayOfHalfMonth, lastDayOfMonth, nextHalfMonth, type SummaryCount } from './summary.ts';
import { assemble, normalizeBy, type Keys } from './rows.ts';
import { completeRows } from './unit-rows.ts';
import { subPeriodsOf, type SubPeriod } from './sub-periods.ts';
import type { Counts, GroupKey, StatsQuery, StatsRow } from './types.ts';

// Statistics of whole half-months from the summary by half-month (summary.ts says what each dossier adds to it):
// two small aggregates over dossier_half_months (the half-months before the period, and each half-month of it, by
// group and channel), then running sums per group give each sub-period's carried over and pending. A range that
// is not made of whole half-months is widened to them, and the difference corrected by the few dossiers whose
// days fall in the added days (partialHalfMonths). The rows are the same as computeStatsFromDossiers gives for
// the same query: same keys, rates, order and "no holes" rule.

const SUMMARY_GROUP_KEYS: readonly GroupKey[] = ['year', 'month', 'level', 'unit', 'field', 'procedure', 'channel'];

/** Whether a period is made of whole half-months: it starts on a 1st or a 15th and ends on a 14th or a last day. */
export function isHalfMonthAligned(period: Period): boolean {
  const { from, to } = period;
  const first = from.slice(8, 10);
  return (first === '01' || first === '15') && (to.slice(8, 10) === '14' || to === lastDayOfMonth(to.slice(0, 7)));
}

/**
 * Whether the summary can answer the query: grouped and filtered by what it holds (everything but the receiving
 * unit; grouping by procedure reads the summary by procedure). Sub-periods made of whole half-months (calendar
 * months, quarters and years, reporting months (15th to 14th) and years (15/12 to 14/12)) are read from the
 * summary alone; any other range also reads the dossiers of its partial half-months at each end.
 */
export function summaryAnswers(query: StatsQuery): boolean {
  const by = normalizeBy(query.by);
  // The summary has no receiving unit: a filter by it reads the dossiers.
  return by.every((key) => SUMMARY_GROUP_KEYS.includes(key)) && !query.filters?.receivingUnit?.length;
}

/** 'yyyy-MM-dd' of the half-month's first day: the 1st or the 15th. */
const firstDayOfHalfMonth = (halfMonth: string) => `${halfMonth.slice(0, 7)}-${halfMonth.endsWith('-1') ? '01' : '15'}`;

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

/** computeStats from the summary by half-month, and the dossiers of partial half-months; only for queries summaryAnswers accepts. */
export async function computeStatsFromSummary(db: Db, query: StatsQuery): Promise<StatsRow[]> {
  if (!summaryAnswers(query)) throw new Error('computeStatsFromSummary: grouped or filtered by what the summary does not hold');
  const by = normalizeBy(query.by);
  const periods = subPeriodsOf(query.period, by);
  const filters = await resolveShared(db, query.filters);
  // The nearest period of whole half-months, with the same sub-periods: the summary answers it.
  const whole = nearestWholeHalfMonths(query.period);
  const wholePeriods = subPeriodsOf(whole, by);

  const [groups, corrections] = await Promise.all([
    summaryGroups(db, by, filters, whole, wholePeriods),
    partialHalfMonths(db, by, filters, periods, wholePeriods),
  ]);
  for (const { index, keys, delta } of corrections) {
    const id = groupId(keys);
    let group = groups.get(id);
    if (!group) groups.set(id, (group = { keys, counts: wholePeriods.map(() => zeroCounts()) }));
    for (const figure of SUMMARY_FIGURES) group.counts[index][figure] += delta[figure];
  }

  const rows: StatsRow[] = [];
  for (const group of groups.values()) {
    periods.forEach((period, i) => {
      const counts = group.counts[i];
      // A group shows in a sub-period when a dossier takes part in it: carried over into it or received in it.
      if (counts.carriedOver + counts.receivedTotal > 0) rows.push(assemble(by, period, group.keys, counts));
    });
  }
  return completeRows(db, rows, by, query.period, periods, filters);
}

const groupId = (keys: Keys) =>
  JSON.stringify([keys.level ?? null, keys.unitCode ?? null, keys.field ?? null, keys.procedure ?? null, keys.channel ?? null]);

/** The counts of each group in each sub-period of a period of whole half-months, from the summary. */
async function summaryGroups(
  db: Db,
  by: GroupKey[],
  filters: ResolvedFilters,
  period: Period,
  periods: readonly SubPeriod[],
): Promise<Map<string, { keys: Keys; counts: Counts[] }>> {
  const firstHalfMonth = halfMonthOf(period.from);
  const lastHalfMonth = halfMonthOf(period.to);
  const reads = sharedReads.get(db);
  // Shared reads are by unit code whatever the grouping, so that one read serves every grouping of a page, and
  // the state at the start by field too, which costs no more and also gives the fields carried over
  // (fieldsTakingPart).
  const grain: SummaryGrain = {
    unit: reads !== undefined || by.includes('level') || by.includes('unit'),
    field: by.includes('field'),
    channel: by.includes('channel'),
    procedure: by.includes('procedure'),
  };
  const [before, inside, units] = await Promise.all([
    readSummary(db, reads, filters, reads ? { ...grain, field: true } : grain, { before: firstHalfMonth }),
    readSummary(db, reads, filters, grain, { from: firstHalfMonth, to: lastHalfMonth }),
    grain.unit ? unitsOf(db, reads, filters) : undefined,
  ]);

  const groups = new Map<string, Group>();
  // The group of each (unit code, field, channel) of the rows, found once: a year's read has thousands of rows.
  const groupOfRow = new Map<string, Group | undefined>();
  const groupOf = (row: ReadRow): Group | undefined => {
    let group = groupOfRow.get(row.key);
    if (group === undefined && !groupOfRow.has(row.key)) groupOfRow.set(row.key, (group = findGroup(row)));
    return group;
  };
  // The group a summary row adds to, or none when its unit is not in the units relation (as an inner join).
  const findGroup = (row: ReadRow): Group | undefined => {
    let level: Level | undefined;
    let unitCode: string | undefined;
    let unitName: string | undefined;
    if (by.includes('level') || by.includes('unit')) {
      const unit = units!.get(row.unit_code!);
      if (!unit) return undefined;
      if (by.includes('level')) level = unit.level;
      if (by.includes('unit')) [unitCode, unitName] = [unit.code, unit.name];
    }
    const keys: Keys = {
      level,
      unitCode,
      unitName,
      field: !by.includes('field') ? undefined : row.field === '' ? null : row.field,
      procedure: !by.includes('procedure') ? undefined : row.procedure_name || null,
      channel: row.channel === undefined || !by.includes('channel') ? undefined : row.channel === '' ? null : (row.channel as Channel),
    };
    const id = groupId(keys);
    let group = groups.get(id);
    if (!group) {
      group = { keys, start: { open: 0, overdue: 0 }, halfMonths: new Map() };
      groups.set(id, group);
    }
    return group;
  };

  for (const row of before as OpenRow[]) {
    const group = groupOf(row);
    if (!group) continue;
    group.start.open += row.open;
    group.start.overdue += row.overdue;
  }
  for (const row of inside as FlowRow[]) {
    const group = groupOf(row);
    if (!group) continue;
    const flow = group.halfMonths.get(row.half_month);
    if (flow) addFlow(flow, row.flow);
    else group.halfMonths.set(row.half_month, addFlow(emptyFlow(), row.flow));
  }

  const out = new Map<string, { keys: Keys; counts: Counts[] }>();
  for (const [id, group] of groups) out.set(id, { keys: group.keys, counts: countsOverSubPeriods(group.start, group.halfMonths, periods) });
  return out;
}

/**
 * The period of whole half-months nearest to `period`: each end moved to the nearer edge of its half-month,
 * outwards or inwards, so that the fewest days lie between them; inwards only within the same month (grouping by
 * month or year must cut it into the same sub-periods) and never past the other end (a period is left).
 */
export function nearestWholeHalfMonths(period: Period): Period {
  const fromHalf = halfMonthOf(period.from);
  const toHalf = halfMonthOf(period.to);
  const widerFrom = firstDayOfHalfMonth(fromHalf);
  const widerTo = lastDayOfHalfMonth(toHalf);
  // The inward edges: the 15th after a start in days 2–14, the 14th before an end from the 15th on.
  const narrowerFrom = fromHalf.endsWith('-1') && widerFrom !== period.from ? `${period.from.slice(0, 7)}-15` : widerFrom;
  const narrowerTo = toHalf.endsWith('-2') && widerTo !== period.to ? `${period.to.slice(0, 7)}-14` : widerTo;
  // Of the ends' choices that leave a period, the one with the fewest days between it and the period asked.
  let best: Period = { from: widerFrom, to: widerTo };
  let bestDays = Infinity;
  for (const from of [widerFrom, narrowerFrom]) {
    for (const to of [widerTo, narrowerTo]) {
      const days = Math.abs(daysBetween(period.from, from)) + Math.abs(daysBetween(period.to, to));
      if (from <= to && days < bestDays) [best, bestDays] = [{ from, to }, days];
    }
  }
  return best;
}

const daysBetween = (from: string, to: string) => (Date.parse(to) - Date.parse(from)) / 86_400_000;

const n = (value: unknown) => Number(value ?? 0);

/**
 * What a read of the summary is grouped by besides the half-month: the unit code, the field, the channel, the
 * procedure (read from the summary by procedure).
 */
interface SummaryGrain {
  unit: boolean;
  field: boolean;
  channel: boolean;
  procedure: boolean;
}

/** The half-months a read covers: those before a half-month (the state at its start), or a range of them. */
type HalfMonths = { before: string } | { from: string; to: string };

/**
 * Reads of the summary and the units relation shared by the statistics computed on one database handle (a page's
 * read snapshot, shareSummaryReads), keyed by what they read.
 */
type SharedReads = Map<string, Promise<unknown>>;
const sharedReads = new WeakMap<Db, SharedReads>();

/**
 * From now on, statistics from the summary computed on `db` share their reads of it: the several groupings of one
 * period and filters (a page's total, its table by month and level, its table by unit) add up one read, grouped
 * by unit code, instead of each reading the summary again. Only for a transaction on one snapshot of the
 * database that only reads (inSnapshot), since a read is reused as it was; on any other handle it does nothing.
 */
export function shareSummaryReads(db: Db): void {
  if (db.isTransaction && !sharedReads.has(db)) sharedReads.set(db, new Map());
}

function shared<T>(reads: SharedReads | undefined, key: string, read: () => Promise<T>): Promise<T> {
  if (!reads) return read();
  let promise = reads.get(key) as Promise<T> | undefined;
  if (!promise) reads.set(key, (promise = read()));
  return promise;
}

/** The column of a range read that sums the receipts of one channel. */
const receivedColumn = (channel: Channel) => `received_${channel}`;
const RECEIVED_COLUMNS = CHANNELS.map((channel) => [RECEIVED_BY_CHANNEL[channel], receivedColumn(channel)] as const);

/** A row of a read of the summary: its group's columns, and `key` made of them. */
interface ReadRow {
  key: string;
  unit_code?: string;
  field?: string;
  channel?: string;
  procedure_name?: string;
}
/** A group's state at the start of a half-month. */
interface OpenRow extends ReadRow {
  open: number;
  overdue: number;
}
/** A group's flow in one half-month. */
interface FlowRow extends ReadRow {
  half_month: string;
  flow: HalfMonthFlow;
}

/** The row of a read with its numbers as numbers (PostgreSQL's sums come as text), made once per read. */
function readRow(r: SummaryRow, range: boolean): OpenRow | FlowRow {
  const unit_code = r.unit_code === undefined ? undefined : String(r.unit_code);
  const field = r.field === undefined ? undefined : String(r.field);
  const channel = r.channel === undefined ? undefined : String(r.channel);
  const procedure_name = r.procedure_name === undefined ? undefined : String(r.procedure_name);
  // A column the read is not grouped by is absent, which no value of one that it is grouped by equals.
  const key = `${unit_code ?? '\u0001'}\u0000${field ?? '\u0001'}\u0000${channel ?? '\u0001'}\u0000${procedure_name ?? '\u0001'}`;
  if (!range) return { key, unit_code, field, channel, procedure_name, open: n(r.open), overdue: n(r.overdue) };
  const flow = emptyFlow();
  flow.receivedTotal = n(r.received);
  for (const [figure, column] of RECEIVED_COLUMNS) flow[figure] = n(r[column]);
  flow.resolvedEarly = n(r.ended_early);
  flow.resolvedOnTime = n(r.ended_on_time);
  flow.resolvedLate = n(r.ended_late);
  flow.resolvedRejected = n(r.ended_rejected);
  flow.withdrawn = n(r.ended_withdrawn);
  flow.overdueChange = n(r.overdue_change);
  return { key, unit_code, field, channel, procedure_name, half_month: String(r.half_month), flow };
}

function addFlow(into: HalfMonthFlow, flow: HalfMonthFlow): HalfMonthFlow {
  into.receivedDirect += flow.receivedDirect;
  into.receivedOnline += flow.receivedOnline;
  into.receivedPostal += flow.receivedPostal;
  into.receivedLienThong += flow.receivedLienThong;
  into.receivedTotal += flow.receivedTotal;
  into.resolvedEarly += flow.resolvedEarly;
  into.resolvedOnTime += flow.resolvedOnTime;
  into.resolvedLate += flow.resolvedLate;
  into.resolvedRejected += flow.resolvedRejected;
  into.withdrawn += flow.withdrawn;
  into.overdueChange += flow.overdueChange;
  return into;
}

/** The filters resolved (resolveFilters), once per handle sharing its reads: names are matched against the data. */
function resolveShared(db: Db, filters: StatsQuery['filters']): Promise<ResolvedFilters> {
  return shared(sharedReads.get(db), JSON.stringify(['filters', filters ?? {}]), () => resolveFilters(db, filters));
}

/**
 * Sums of the summary's rows, grouped by `grain`, with the filters: for the half-months before a half-month,
 * each group's open dossiers (received − ended) and overdue ones (overdue_in − overdue_out) at its start; for a
 * range, by half-month too, the receipts (in all and by channel: the figures split receipts by channel whatever
 * the grouping), the ends by outcome and overdue_in − overdue_out. The channels are columns rather than groups
 * because a read costs mostly the rows it returns: a year of a province by unit is 6,000 rows instead of 22,000.
 */
function readSummary(db: Db, reads: SharedReads | undefined, filters: ResolvedFilters, grain: SummaryGrain, halfMonths: HalfMonths): Promise<Array<OpenRow | FlowRow>> {
  const { unitMap: _map, receivingUnits: _receiving, ...selecting } = filters;
  // Named one by one: grains built in different orders are the same read.
  const key = JSON.stringify(['summary', grain.unit, grain.field, grain.channel, grain.procedure, halfMonths, selecting]);
  return shared(reads, key, () => {
    const range = 'from' in halfMonths;
    // In the order of the summary's key (unit, field, channel), or of its index by half-month (half-month, unit,
    // channel, field) for a range; the summary by procedure's key and index have the procedure first and second
    // (schema/0011): the rows come grouped, without a sort.
    const procedure = grain.procedure ? ['m.procedure_name'] : [];
    const columns: string[] = range
      ? ['m.half_month', ...procedure, ...(grain.unit ? ['m.unit_code'] : []), ...(grain.channel ? ['m.channel'] : []), ...(grain.field ? ['m.field'] : [])]
      : [...procedure, ...(grain.unit ? ['m.unit_code'] : []), ...(grain.field ? ['m.field'] : []), ...(grain.channel ? ['m.channel'] : [])];
    let q = db.selectFrom(grain.procedure ? 'dossier_procedure_half_months as m' : 'dossier_half_months as m') as any;
    q = range ? q.where('m.half_month', '>=', halfMonths.from).where('m.half_month', '<=', halfMonths.to) : q.where('m.half_month', '<', halfMonths.before);
    q = selectUnits(db, filters, q, range);
    if (filters.fields) q = q.where('m.field', 'in', filters.fields);
    if (filters.excludeFields?.length) {
      const excluded = filters.excludeFields;
      q = q.where((eb: any) => eb.or([eb('m.field', '=', ''), eb('m.field', 'not in', excluded)]));
    }
    if (columns.length) q = q.select(columns).groupBy(columns);
    q = range
      ? q.select((eb: any) => [
          eb.fn.sum('m.received').as('received'),
          ...CHANNELS.map((channel) =>
            eb.fn.sum(eb.case().when('m.channel', '=', channel).then(eb.ref('m.received')).else(0).end()).as(receivedColumn(channel)),
          ),
          ...ENDED_COUNTS.map((c) => eb.fn.sum(`m.${c}`).as(c)),
          sql<number>`sum(${sql.ref('m.overdue_in')} - ${sql.ref('m.overdue_out')})`.as('overdue_change'),
        ])
      : q.select([
          sql<number>`sum(${sql.join([sql.ref('m.received'), ...ENDED_COUNTS.map((c) => sql.ref(`m.${c}`))], sql` - `)})`.as('open'),
          sql<number>`sum(${sql.ref('m.overdue_in')} - ${sql.ref('m.overdue_out')})`.as('overdue'),
        ]);
    return (q.execute() as Promise<SummaryRow[]>).then((rows) => rows.map((r) => readRow(r, range)));
  });
}

/**
 * A read of the summary `m` narrowed to the units the level and unit filters select. A read of a range of
 * half-months compares the unit code as an expression, so that the database reads the range of the index by
 * half-month rather than every half-month of the units by the key.
 */
function selectUnits<Q extends { where(...args: any[]): Q }>(db: Db, filters: ResolvedFilters, q: Q, range: boolean): Q {
  const unitCode = range ? sql<string>`${sql.ref('m.unit_code')} || ''` : sql.ref<string>('m.unit_code');
  // No code at all selects nothing (unitCodeIn).
  const codeIn = (codes: readonly string[]) => (eb: any) => (codes.length ? eb(unitCode, 'in', codes) : unitCodeIn(eb, 'm.unit_code', codes));
  if (filters.levelUnitCodes) q = q.where(codeIn(filters.levelUnitCodes));
  else if (filters.levels) q = q.where(unitCode, 'in', db.selectFrom('units').select('code').where('level', 'in', filters.levels));
  if (filters.unitCodes) q = q.where(codeIn(filters.unitCodes));
  return q;
}

/** Each unit code with the unit it counts under (itself, or by the units of a day its effective unit). */
function unitsOf(db: Db, reads: SharedReads | undefined, filters: ResolvedFilters): Promise<Map<string, { code: string; name: string; level: Level }>> {
  if (filters.unitMap && filters.unitMap.byCode.size > 0) return Promise.resolve(filters.unitMap.byCode);
  return shared(reads, 'units', async () => {
    const units = await db.selectFrom('units').select(['code', 'name', 'level']).execute();
    return new Map(units.map((u) => [u.code, u]));
  });
}

/**
 * The fields with a dossier taking part in a period (carried over into it or received in it) among the units the
 * filters select, the field filters aside: the groups computeStats by field gives (for a period not made of whole
 * half-months, those of the nearest one that is), for a filter's choices. The receiving-unit filter is left aside
 * too: the summary does not hold it. The state at the period's start is the read that statistics on a handle
 * sharing its reads (shareSummaryReads) make anyway; the receipts, a range of the summary's index.
 */
export async function fieldsTakingPart(db: Db, query: StatsQuery): Promise<string[]> {
  const { field: _field, excludeField: _excluded, receivingUnit: _receiving, ...unitFilters } = query.filters ?? {};
  const filters = await resolveShared(db, unitFilters);
  const reads = sharedReads.get(db);
  const whole = nearestWholeHalfMonths(query.period);
  const first = halfMonthOf(whole.from);
  const received = selectUnits(db, filters, db.selectFrom('dossier_half_months as m'), true)
    .select('m.field')
    .distinct()
    .where('m.half_month', '>=', first)
    .where('m.half_month', '<=', halfMonthOf(whole.to))
    .where('m.received', '>', 0);
  const [open, withReceipts] = await Promise.all([
    readSummary(db, reads, filters, { unit: reads !== undefined, field: true, channel: false, procedure: false }, { before: first }),
    received.execute(),
  ]);
  const fields = new Set(withReceipts.map((r) => r.field));
  for (const row of open as OpenRow[]) if (row.open > 0) fields.add(row.field!);
  fields.delete('');
  return [...fields];
}
