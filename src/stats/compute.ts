import type { Db } from '../db/connection.ts';
import type { Channel } from '../domain/channels.ts';
import type { Level } from '../domain/levels.ts';
import { computeStatsFromSummary, summaryAnswers } from './compute-summary.ts';
import { figureCount, relevant, type FigureBuilder } from './figures.ts';
import { filterCondition, resolveFilters } from './filters.ts';
import { assemble, fillPeriods, normalizeBy, sortRows } from './rows.ts';
import { periodsRelation, subPeriodsOf, type SubPeriod } from './sub-periods.ts';
import { COUNT_FIGURES, type Counts, type GroupKey, type StatsQuery, type StatsRow } from './types.ts';

export { normalizeBy, sortRows } from './rows.ts';

// Two ways to the same figures. A period of whole half-months (calendar months, quarters, years, and the
// reporting months and years of Nghị định 09/2019) grouped by period, level, unit, field or channel is answered
// from the summary by half-month (compute-summary.ts), which the importer keeps; anything else (other ranges of
// days, grouping by procedure) reads the dossiers themselves, here. A test checks that both give the same rows.
//
// Reading the dossiers: one aggregate query per call. The periods relation p (one row per year or month when
// grouping by them) is joined to the dossiers on "takes part in the period", and each figure is
// count(*) filter (where <its rule>)
// (figures.ts). Dossiers are aggregated by unit code first and the small units table is joined to that result,
// so the big table is read once, without a join per dossier.

/** Columns of the first stage that carry a group key. */
const STAGE_ONE_COLUMNS = {
  unit_code: 'd.unit_code',
  field: 'd.field',
  procedure: 'd.procedure_name',
  channel: 'd.channel',
} as const;
type StageOneColumn = keyof typeof STAGE_ONE_COLUMNS;

/**
 * The figures of DOMAIN.md for a period, grouped as asked. Rows are sorted by period, then by level (tỉnh,
 * huyện, xã), unit, field, procedure and channel. A group appears when it has at least one dossier taking part
 * in the period; with year or month grouping it appears in every sub-period (zeros where it had nothing), so a
 * yearly or monthly table has no holes. Without other keys the one group (everything) always appears.
 */
export async function computeStats(db: Db, query: StatsQuery): Promise<StatsRow[]> {
  return summaryAnswers(query) ? computeStatsFromSummary(db, query) : computeStatsFromDossiers(db, query);
}

/** computeStats by reading every dossier taking part in the period: any period, any grouping. */
export async function computeStatsFromDossiers(db: Db, query: StatsQuery): Promise<StatsRow[]> {
  const by = normalizeBy(query.by);
  const periods = subPeriodsOf(query.period, by);
  const filters = await resolveFilters(db, query.filters);

  const stageOne: StageOneColumn[] = [];
  if (by.includes('level') || by.includes('unit')) stageOne.push('unit_code');
  if (by.includes('field')) stageOne.push('field');
  if (by.includes('procedure')) stageOne.push('procedure');
  if (by.includes('channel')) stageOne.push('channel');

  const first = db
    .selectFrom('dossiers as d')
    // CROSS JOIN keeps the dossiers as the outer loop on SQLite: one pass over the table.
    .crossJoin(periodsRelation(db, periods).as('p'))
    .where((eb) => relevant(eb as unknown as FigureBuilder))
    .where((eb) => filterCondition(eb as unknown as FigureBuilder, filters))
    .select(['p.from', 'p.to'])
    .select(stageOne.map((c) => `${STAGE_ONE_COLUMNS[c]} as ${c}` as any))
    .select((eb) => COUNT_FIGURES.map((f) => figureCount(eb as unknown as FigureBuilder, f).as(f)))
    .groupBy(['p.from', 'p.to', ...stageOne.map((c) => STAGE_ONE_COLUMNS[c])] as any);

  let raw: Record<string, unknown>[];
  if (stageOne.includes('unit_code')) {
    const keep = stageOne.filter((c) => c !== 'unit_code').map((c) => `s.${c}`);
    const unitColumns = [
      ...(by.includes('level') ? ['u.level as level'] : []),
      ...(by.includes('unit') ? ['u.code as unit_code', 'u.name as unit_name'] : []),
    ];
    raw = await (db as any)
      .selectFrom(first.as('s'))
      .innerJoin('units as u', 'u.code', 's.unit_code')
      .select(['s.from', 's.to', ...unitColumns, ...keep])
      .select((eb: any) => COUNT_FIGURES.map((f) => eb.fn.sum(`s.${f}`).as(f)))
      .groupBy(['s.from', 's.to', ...unitColumns.map((c) => c.split(' as ')[0]), ...keep])
      .execute();
  } else {
    raw = await first.execute();
  }

  const rows = raw.map((r) => toRow(r, by, periods));
  return sortRows(fillPeriods(rows, by, periods), by);
}

function periodOf(from: string, periods: readonly SubPeriod[]): SubPeriod {
  return periods.find((p) => p.from === from)!;
}

function toRow(r: Record<string, unknown>, by: GroupKey[], periods: readonly SubPeriod[]): StatsRow {
  const period = periodOf(String(r.from), periods);
  const counts = Object.fromEntries(COUNT_FIGURES.map((f) => [f, Number(r[f] ?? 0)])) as Counts;
  return assemble(by, period, {
    level: r.level as Level,
    unitCode: r.unit_code as string,
    unitName: r.unit_name as string,
    field: (r.field ?? null) as string | null,
    procedure: (r.procedure ?? null) as string | null,
    channel: (r.channel ?? null) as Channel | null,
  }, counts);
}

