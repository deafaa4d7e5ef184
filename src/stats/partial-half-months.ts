import { sql, type AliasedExpression } from 'kysely';
import type { Db } from '../db/connection.ts';
import type { Level } from '../domain/levels.ts';
import { dayBefore } from '../domain/periods.ts';
import { figureCount, type FigureBuilder, type Predicate } from './figures.ts';
import { filterCondition, unitsRelation, type ResolvedFilters } from './filters.ts';
import type { Keys } from './rows.ts';
import type { SubPeriod } from './sub-periods.ts';
import type { CountFigure, Counts, GroupKey } from './types.ts';

// The correction of a range that is not made of whole half-months (compute-summary.ts answers the nearest period
// that is from the summary by half-month): what its first and last sub-periods differ by, from the dossiers of
// the days between the two, read by the indexes of schema/0007 and 0012.
//
// One pass over those dossiers per end (in disjoint parts, edgeCounts), grouped as the query is. Each figure's
// difference between the two periods follows from the figures (figures.ts) over the days between them, so each
// dossier is counted once, against one period, rather than against both:
// - a receipt or an end is counted in a period when its day is in it, so a flow figure (receipts, resolved,
//   withdrawn) over the longer period is the one over the shorter plus the one over the days between;
// - carried over (pending at the start) and pending at the end change between two days by what was received
//   minus what ended between them, every ended dossier being resolved or withdrawn (the importer stores an end
//   time exactly for those);
// - pending overdue is counted at both last days (its rule, evaluated at each), and pending on time is pending
//   less overdue.

/** The figures the summary gives (countsOverSubPeriods), which the dossiers of partial half-months correct. */
export const SUMMARY_FIGURES: readonly CountFigure[] = [
  'receivedDirect', 'receivedOnline', 'receivedPostal', 'receivedLienThong', 'receivedTotal', 'carriedOver',
  'resolvedEarly', 'resolvedOnTime', 'resolvedLate', 'resolvedRejected', 'resolvedTotal', 'withdrawn',
  'pendingTotal', 'pendingOnTime', 'pendingOverdue',
];
export const zeroCounts = () => Object.fromEntries(SUMMARY_FIGURES.map((f) => [f, 0])) as Counts;

/** The figures counted on the days between the two periods: those of the events (a receipt, an end) in them. */
const FLOW_FIGURES: readonly CountFigure[] = [
  'receivedDirect', 'receivedOnline', 'receivedPostal', 'receivedLienThong', 'receivedTotal',
  'resolvedEarly', 'resolvedOnTime', 'resolvedLate', 'resolvedRejected', 'resolvedTotal', 'withdrawn',
];

/**
 * The dossier columns a correction is grouped by besides the unit code (the units relation gives the level and
 * the unit), each with the grouping that asks for it, which is also the key of the rows it fills.
 */
const GROUPED_COLUMNS: ReadonlyArray<{ key: GroupKey & keyof Keys; column: string }> = [
  { key: 'field', column: 'field' },
  { key: 'channel', column: 'channel' },
  { key: 'procedure', column: 'procedure_name' },
];
const groupedColumns = (by: readonly GroupKey[]) => GROUPED_COLUMNS.filter((c) => by.includes(c.key));

/** What one group's figures in one sub-period (its index in the query's sub-periods) differ by. */
export interface Correction {
  index: number;
  keys: Keys;
  delta: Counts;
}

/** One end of the range: the days between the period asked and the one of whole half-months. */
interface Edge {
  /** The sub-period's index. */
  index: number;
  /** The days between the two first days, or the two last days, as a period (from, to, toNext). */
  days: SubPeriod;
  /** 1 when the period asked holds these days and the whole one does not, −1 the other way. */
  sign: 1 | -1;
  /** At the end: the earlier and the later of the two periods, at whose last days pending overdue is counted. */
  ends?: { earlier: SubPeriod; later: SubPeriod };
}

/**
 * What the figures of the first and last sub-periods as asked differ by from the nearest ones of whole
 * half-months (wholePeriods, which the summary answers), per group: at the start, the figures over the first
 * sub-period as asked minus over it from the whole half-months' first day; at the end, over the last
 * sub-period to the last day asked minus to the whole half-months' last day. Only the dossiers received or ended
 * in the days between, or (at the end) becoming overdue in them while pending, can differ.
 */
export async function partialHalfMonths(
  db: Db,
  by: GroupKey[],
  filters: ResolvedFilters,
  periods: readonly SubPeriod[],
  wholePeriods: readonly SubPeriod[],
): Promise<Correction[]> {
  const last = periods.length - 1;
  const edges: Edge[] = [];
  const asked = periods[0];
  const whole = wholePeriods[0];
  if (asked.from !== whole.from) {
    const [lo, hi] = asked.from < whole.from ? [asked.from, whole.from] : [whole.from, asked.from];
    // The days between must lie in the sub-period, which nearestWholeHalfMonths's periods ensure.
    if (hi > asked.toNext) throw new Error(`partialHalfMonths: the first days ${lo}–${hi} pass the sub-period's end ${asked.to}`);
    edges.push({ index: 0, days: { from: lo, to: dayBefore(hi), toNext: hi }, sign: asked.from < whole.from ? 1 : -1 });
  }
  if (periods[last].to !== wholePeriods[last].to) {
    // Both from the whole sub-period's first day, so that this is the difference of the last days alone (that of
    // the first days is the start's correction).
    const toAsked: SubPeriod = { ...periods[last], from: wholePeriods[last].from };
    const toWhole = wholePeriods[last];
    const [earlier, later] = toAsked.to < toWhole.to ? [toAsked, toWhole] : [toWhole, toAsked];
    if (earlier.toNext < toWhole.from) {
      throw new Error(`partialHalfMonths: the last days after ${earlier.to} start before the sub-period's start ${toWhole.from}`);
    }
    edges.push({
      index: last,
      days: { from: earlier.toNext, to: later.to, toNext: later.toNext },
      sign: toAsked.to > toWhole.to ? 1 : -1,
      ends: { earlier, later },
    });
  }

  const out: Correction[] = [];
  const results = await Promise.all(edges.map(async (edge) => ({ edge, rows: await edgeCounts(db, by, filters, edge) })));
  for (const { edge, rows } of results) {
    const { sign } = edge;
    for (const r of rows) {
      const keys: Keys = {
        level: by.includes('level') ? (r.level as Level) : undefined,
        unitCode: by.includes('unit') ? (r.unit_code as string) : undefined,
        unitName: by.includes('unit') ? (r.unit_name as string) : undefined,
      };
      // The summaries keep a dossier without a field, channel or procedure under '': one group with those stored as null.
      for (const { key } of groupedColumns(by)) (keys as Record<string, unknown>)[key] = (r[key] as string | null) || null;
      const delta = zeroCounts();
      for (const f of FLOW_FIGURES) delta[f] = sign * n(r[f]);
      // Received minus ended in the days between (signed as the figures): how much more is pending after them
      // than before.
      const pendingChange = delta.receivedTotal - delta.resolvedTotal - delta.withdrawn;
      if (edge.ends) {
        delta.pendingTotal = pendingChange;
        delta.pendingOverdue = sign * n(r.overdueChange);
        delta.pendingOnTime = delta.pendingTotal - delta.pendingOverdue;
      } else {
        delta.carriedOver = -pendingChange;
      }
      out.push({ index: edge.index, keys, delta });
    }
  }
  return out;
}

/**
 * Per group, over the dossiers of one edge: each flow figure over its days, and at the end pending overdue at
 * the later last day minus at the earlier. The dossiers are read in disjoint parts, each one range of one index
 * (schema/0007, 0012) and counted once: those received in the days; those ended in them, received before; at the
 * end, those becoming overdue in them, received before and not ended by then (ended_at is the second column of
 * the index on overdue_from, so that the others are left out unread); no other dossier's figures differ. A single
 * query with the three as OR read the same rows, but PostgreSQL planned it as a bitmap scan costed three times
 * over, high enough to compile it (JIT), which took longer than the query.
 */
async function edgeCounts(db: Db, by: GroupKey[], filters: ResolvedFilters, edge: Edge): Promise<Record<string, unknown>[]> {
  const { days, ends } = edge;
  const receivedBefore = (eb: FigureBuilder) => eb('d.received_at', '<', days.from);
  const parts: Predicate[] = [
    (eb) => eb.and([eb('d.received_at', '>=', days.from), eb('d.received_at', '<', days.toNext)]),
    (eb) => eb.and([eb('d.ended_at', '>=', days.from), eb('d.ended_at', '<', days.toNext), receivedBefore(eb)]),
  ];
  if (ends) {
    parts.push((eb) =>
      eb.and([
        eb('d.overdue_from', '>', ends.earlier.to),
        eb('d.overdue_from', '<=', ends.later.to),
        eb.or([eb('d.ended_at', 'is', null), eb('d.ended_at', '>=', days.toNext)]),
        receivedBefore(eb),
      ]),
    );
  }
  const counted = await Promise.all(parts.map((part) => partCounts(db, by, filters, edge, part)));
  return counted.flat();
}

/** The counts of edgeCounts over the dossiers `part` selects, grouped by unit code (and the grouped columns), then joined to the units. */
function partCounts(db: Db, by: GroupKey[], filters: ResolvedFilters, edge: Edge, part: Predicate): Promise<Record<string, unknown>[]> {
  const { days, ends } = edge;
  const grouped = groupedColumns(by).map((c) => `d.${c.column}`);
  const inner = db
    .selectFrom('dossiers as d')
    .where((eb) => part(eb as unknown as FigureBuilder))
    .where((eb) => filterCondition(eb as unknown as FigureBuilder, filters))
    .select(['d.unit_code', ...grouped] as any)
    .select((eb) => {
      const within = atPeriod(eb as unknown as FigureBuilder, days);
      const counts: AliasedExpression<unknown, string>[] = FLOW_FIGURES.map((f) => figureCount(within, f).as(f));
      if (ends) {
        const overdueAt = (period: SubPeriod) => figureCount(atPeriod(eb as unknown as FigureBuilder, period), 'pendingOverdue');
        counts.push(sql<number>`${overdueAt(ends.later)} - ${overdueAt(ends.earlier)}`.as('overdueChange'));
      }
      return counts as any;
    })
    .groupBy(['d.unit_code', ...grouped] as any);
  const sums = [...FLOW_FIGURES, ...(ends ? ['overdueChange'] : [])];
  const keep = groupedColumns(by).map((c) => `s.${c.column} as ${c.key}`);
  const unitColumns = [
    ...(by.includes('level') ? ['u.level as level'] : []),
    ...(by.includes('unit') ? ['u.eff_code as unit_code', 'u.name as unit_name'] : []),
  ];
  const groupBy = [...unitColumns, ...keep].map((c) => c.split(' as ')[0]);
  let q = (db as any)
    .selectFrom(inner.as('s'))
    .innerJoin(unitsRelation(db, filters.unitMap), 'u.code', 's.unit_code')
    .select((eb: any) => sums.map((f) => eb.fn.sum(`s.${f}`).as(f)));
  if (groupBy.length) q = q.select([...unitColumns, ...keep]).groupBy(groupBy);
  return q.execute();
}

/**
 * The builder `eb` with the period `p` of the figures' conditions (figures.ts) bound to one period's days, so
 * that a figure is counted over that period without joining a relation of periods.
 */
function atPeriod(eb: FigureBuilder, period: SubPeriod): FigureBuilder {
  const days: Record<string, string> = { 'p.from': period.from, 'p.to': period.to, 'p.to_next': period.toNext };
  return new Proxy(eb, {
    get(target, property) {
      if (property === 'ref') return (reference: string) => (reference in days ? sql.val(days[reference]) : target.ref(reference as any));
      return Reflect.get(target, property);
    },
  });
}

const n = (value: unknown) => Number(value ?? 0);
