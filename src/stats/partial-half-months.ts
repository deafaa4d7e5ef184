import { sql, type Expression, type SqlBool } from 'kysely';
import type { Db } from '../db/connection.ts';
import type { Channel } from '../domain/channels.ts';
import type { Level } from '../domain/levels.ts';
import { figureCount, type FigureBuilder } from './figures.ts';
import { filterCondition, unitsRelation, type ResolvedFilters } from './filters.ts';
import type { Keys } from './rows.ts';
import { periodsRelation, type SubPeriod } from './sub-periods.ts';
import type { CountFigure, Counts, GroupKey } from './types.ts';

// The correction of a range that is not made of whole half-months (compute-summary.ts answers the nearest period
// that is from the summary by half-month): what its first and last sub-periods differ by, from the dossiers of
// the days between the two, read by the indexes of schema/0007.

/** The figures the summary gives (countsOverSubPeriods), which the dossiers of partial half-months correct. */
export const SUMMARY_FIGURES: readonly CountFigure[] = [
  'receivedDirect', 'receivedOnline', 'receivedPostal', 'receivedLienThong', 'receivedTotal', 'carriedOver',
  'resolvedEarly', 'resolvedOnTime', 'resolvedLate', 'resolvedRejected', 'resolvedTotal', 'withdrawn',
  'pendingTotal', 'pendingOnTime', 'pendingOverdue',
];
export const zeroCounts = () => Object.fromEntries(SUMMARY_FIGURES.map((f) => [f, 0])) as Counts;

/** What one group's figures in one sub-period (its index in the query's sub-periods) differ by. */
export interface Correction {
  index: number;
  keys: Keys;
  delta: Counts;
}

/** The figures that depend on the period's first day, and on its last. */
const FIRST_DAY_FIGURES = SUMMARY_FIGURES.filter((f) => !f.startsWith('pending'));
const LAST_DAY_FIGURES = SUMMARY_FIGURES.filter((f) => f !== 'carriedOver');

/**
 * What the figures of the first and last sub-periods as asked differ by from the nearest ones of whole
 * half-months (wholePeriods, which the summary answers), per group. At the start: the figures over the first
 * sub-period as asked minus over it from the whole half-months' first day, summed over the only dossiers for
 * which they can differ, those received or ended in the days between the two first days; so carried over at a
 * mid-half-month start is the open-at-start of the half-month plus what was received and minus what ended in its
 * days before the start. At the end likewise, with the dossiers received or ended, or becoming overdue
 * (overdue_from), in the days between the two last days. The figures are those of docs/rules.md (figures.ts),
 * and the dossiers are read by the indexes of schema/0007.
 */
export async function partialHalfMonths(
  db: Db,
  by: GroupKey[],
  filters: ResolvedFilters,
  periods: readonly SubPeriod[],
  wholePeriods: readonly SubPeriod[],
): Promise<Correction[]> {
  const last = periods.length - 1;
  const corrections: Array<Promise<{ index: number; rows: Record<string, unknown>[] }>> = [];
  const asked = periods[0];
  const whole = wholePeriods[0];
  if (asked.from !== whole.from) {
    const [lo, hi] = asked.from < whole.from ? [asked.from, whole.from] : [whole.from, asked.from];
    const window = (eb: FigureBuilder) =>
      eb.or([
        eb.and([eb('d.received_at', '>=', lo), eb('d.received_at', '<', hi)]),
        eb.and([eb('d.ended_at', '>=', lo), eb('d.ended_at', '<', hi)]),
      ]);
    const fromWhole: SubPeriod = { ...asked, from: whole.from };
    corrections.push(difference(db, by, filters, asked, fromWhole, FIRST_DAY_FIGURES, window).then((rows) => ({ index: 0, rows })));
  }
  if (periods[last].to !== wholePeriods[last].to) {
    const toAsked: SubPeriod = { ...periods[last], from: wholePeriods[last].from };
    const toWhole = wholePeriods[last];
    const [lo, hi] = toAsked.to < toWhole.to ? [toAsked, toWhole] : [toWhole, toAsked];
    const window = (eb: FigureBuilder) =>
      eb.or([
        eb.and([eb('d.received_at', '>=', lo.toNext), eb('d.received_at', '<', hi.toNext)]),
        eb.and([eb('d.ended_at', '>=', lo.toNext), eb('d.ended_at', '<', hi.toNext)]),
        eb.and([eb('d.overdue_from', '>', lo.to), eb('d.overdue_from', '<=', hi.to)]),
      ]);
    corrections.push(difference(db, by, filters, toAsked, toWhole, LAST_DAY_FIGURES, window).then((rows) => ({ index: last, rows })));
  }

  const out: Correction[] = [];
  for (const { index, rows } of await Promise.all(corrections)) {
    for (const r of rows) {
      const keys: Keys = {
        level: by.includes('level') ? (r.level as Level) : undefined,
        unitCode: by.includes('unit') ? (r.unit_code as string) : undefined,
        unitName: by.includes('unit') ? (r.unit_name as string) : undefined,
        // The summary keeps a dossier without a field or channel under '': one group with those stored as null.
        field: by.includes('field') ? ((r.field as string | null) || null) : undefined,
        channel: by.includes('channel') ? ((r.channel as Channel | null) || null) : undefined,
      };
      const delta = zeroCounts();
      for (const f of SUMMARY_FIGURES) delta[f] += n(r[f]);
      out.push({ index, keys, delta });
    }
  }
  return out;
}

/**
 * Per group, Σ over the dossiers in `window` of each figure over `asked` minus over `whole`: the two periods
 * joined as p, and the count over `whole` taken away.
 */
async function difference(
  db: Db,
  by: GroupKey[],
  filters: ResolvedFilters,
  asked: SubPeriod,
  whole: SubPeriod,
  figures: readonly CountFigure[],
  window: (eb: FigureBuilder) => Expression<SqlBool>,
): Promise<Record<string, unknown>[]> {
  const stageOne: string[] = ['d.unit_code'];
  if (by.includes('field')) stageOne.push('d.field');
  if (by.includes('channel')) stageOne.push('d.channel');
  const first = db
    .selectFrom('dossiers as d')
    .crossJoin(periodsRelation(db, [asked, whole]).as('p'))
    .where((eb) => window(eb as unknown as FigureBuilder))
    .where((eb) => filterCondition(eb as unknown as FigureBuilder, filters))
    .select(['p.from', 'p.to', ...stageOne] as any)
    .select((eb) => figures.map((f) => figureCount(eb as unknown as FigureBuilder, f).as(f)))
    .groupBy(['p.from', 'p.to', ...stageOne] as any);
  const keep = stageOne.filter((c) => c !== 'd.unit_code').map((c) => `s.${c.slice(2)}`);
  const unitColumns = [
    ...(by.includes('level') ? ['u.level as level'] : []),
    ...(by.includes('unit') ? ['u.eff_code as unit_code', 'u.name as unit_name'] : []),
  ];
  const isAsked = sql`case when s."from" = ${asked.from} and s."to" = ${asked.to} then 1 else -1 end`;
  const groupBy = [...unitColumns.map((c) => c.split(' as ')[0]), ...keep];
  let q = (db as any)
    .selectFrom(first.as('s'))
    .innerJoin(unitsRelation(db, filters.unitMap), 'u.code', 's.unit_code')
    .select((eb: any) => figures.map((f) => eb.fn.sum(sql`${isAsked} * ${sql.ref(`s.${f}`)}`).as(f)));
  if (groupBy.length) q = q.select([...unitColumns, ...keep]).groupBy(groupBy);
  return q.execute();
}


const n = (value: unknown) => Number(value ?? 0);
