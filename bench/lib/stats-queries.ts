import type { Db } from '../../src/db/connection.ts';
import { dialectOf } from '../../src/db/dialect.ts';
import { reportingYearPeriod, yearPeriod } from '../../src/domain/periods.ts';
import { computeStats, computeStatsFromDossiers } from '../../src/stats/compute.ts';
import type { StatsQuery } from '../../src/stats/types.ts';
import { singlePass } from './stats-db.ts';
import { formatNumber, type Target } from './table.ts';

// The two queries of issue 3, point 6 (and the reporting year of the official form), and the single pass they
// are measured against.

export const STATS_TARGETS = { seconds: 3, timesCeiling: 4 };

/**
 * `aligned`: the query over whole half-months that a range's time is compared with; `byProcedure`: a query of
 * issue 16, point 2 (grouped by procedure, read from the summary by procedure, under 1 s).
 */
export const STATS_QUERIES: Array<{ name: string; query: StatsQuery; aligned?: string; byProcedure?: true }> = [
  { name: '--years 2020-2024 --by year,level', query: { period: { from: '2020-01-01', to: '2024-12-31' }, by: ['year', 'level'] } },
  { name: '--year 2023 --by month,unit', query: { period: yearPeriod(2023), by: ['month', 'unit'] } },
  // Not in the targets: the period of Biểu 06 (Nghị định 09/2019), 15/12/2022–14/12/2023.
  { name: '--reporting-year 2023 --by level', query: { period: reportingYearPeriod(2023), by: ['level'] } },
  // Issue 16, point 1: ranges of days that are not made of whole half-months, each within 2× the time of the
  // aligned period around it (timed just before it) and under 1 s. The Hạ Hoà report's own 2023 column first.
  { name: '--from 2023-01-01 --to 2023-05-31 --by level', query: { period: { from: '2023-01-01', to: '2023-05-31' }, by: ['level'] } },
  {
    name: '--from 2023-01-01 --to 2023-05-25 --by level',
    query: { period: { from: '2023-01-01', to: '2023-05-25' }, by: ['level'] },
    aligned: '--from 2023-01-01 --to 2023-05-31 --by level',
  },
  {
    name: '--from 2023-01-10 --to 2023-11-20 --by month,unit',
    query: { period: { from: '2023-01-10', to: '2023-11-20' }, by: ['month', 'unit'] },
    aligned: '--year 2023 --by month,unit',
  },
  // Both ends inside one half-month, grouped by what the dossiers of the edge days are grouped by themselves.
  { name: '--from 2023-03-01 --to 2023-03-14 --by field,channel', query: { period: { from: '2023-03-01', to: '2023-03-14' }, by: ['field', 'channel'] } },
  {
    name: '--from 2023-03-03 --to 2023-03-10 --by field,channel',
    query: { period: { from: '2023-03-03', to: '2023-03-10' }, by: ['field', 'channel'] },
    aligned: '--from 2023-03-01 --to 2023-03-14 --by field,channel',
  },
  // Issue 16, point 2: grouped by procedure, under 1 s.
  { name: '--year 2023 --by procedure', query: { period: yearPeriod(2023), by: ['procedure'] }, byProcedure: true },
  { name: '--years 2020-2024 --by year,procedure', query: { period: { from: '2020-01-01', to: '2024-12-31' }, by: ['year', 'procedure'] }, byProcedure: true },
  { name: '--year 2023 --by unit,procedure', query: { period: yearPeriod(2023), by: ['unit', 'procedure'] }, byProcedure: true },
  { name: '--from 2023-01-01 --to 2023-05-25 --by procedure', query: { period: { from: '2023-01-01', to: '2023-05-25' }, by: ['procedure'] }, byProcedure: true },
];

/** Issue 16's target for a query grouped by procedure. */
export const PROCEDURE_TARGETS = { seconds: 1 };

/** Issue 16's targets for a range that is not made of whole half-months. */
export const RANGE_TARGETS = { seconds: 1, timesAligned: 2 };

export interface Timing {
  name: string;
  /** Best of the runs, seconds. */
  best: number;
  median: number;
  runs: number[];
  rows: number;
}

async function time(name: string, runs: number, fn: () => Promise<number>): Promise<Timing> {
  const times: number[] = [];
  let rows = 0;
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    rows = await fn();
    times.push((performance.now() - started) / 1000);
  }
  const sorted = [...times].sort((a, b) => a - b);
  return { name, best: sorted[0], median: sorted[Math.floor(sorted.length / 2)], runs: times, rows };
}

/** Times the single pass (the ceiling) and each statistics query; the table is read once before, untimed. */
export async function timeStats(db: Db, runs: number, log = (s: string) => process.stderr.write(s), fullScan = true): Promise<{ ceiling: Timing; queries: Timing[]; fullScan: Timing[]; monthApart: Timing[]; dossiers: number }> {
  log('warming up … ');
  const { dossiers } = await singlePass(db);
  log('single pass … ');
  const ceiling = await time('ceiling: one SELECT count(*), sum(…) pass', runs, async () => {
    await singlePass(db);
    return 1;
  });
  const queries: Timing[] = [];
  for (const { name, query } of STATS_QUERIES) {
    log(`${name} … `);
    queries.push(await time(`computeStats ${name}`, runs, async () => (await computeStats(db, query)).length));
  }
  // For information: the same queries read from the dossiers themselves, the path computeStats took before the
  // summaries answered them (ranges of days, grouping by procedure) and still takes for the receiving unit.
  const full: Timing[] = [];
  if (fullScan) {
    for (const { name, query } of STATS_QUERIES) {
      log(`${name} (dossier scan) … `);
      full.push(await time(`computeStatsFromDossiers ${name}`, 1, async () => (await computeStatsFromDossiers(db, query)).length));
    }
  }
  // The dossier path by month as it read before dossiersTakingPart (each month apart), beside it: PostgreSQL only.
  const monthApart: Timing[] = [];
  if (fullScan && dialectOf(db) === 'postgres') {
    for (const { name, query } of STATS_QUERIES.filter((q) => q.query.by?.includes('month'))) {
      log(`${name} (dossier scan, each month apart) … `);
      monthApart.push(await time(`computeStatsFromDossiers ${name}, each month apart`, 1, async () => (await computeStatsFromDossiers(db, query, { wholePeriodOnce: false })).length));
    }
  }
  log('done\n');
  return { ceiling, queries, fullScan: full, monthApart, dossiers: Number(dossiers) };
}

const ms = (seconds: number) => `${(seconds * 1000).toFixed(0)} ms`;

/** Issue 16's two targets for each range, beside its aligned period timed in the same run. */
export function rangeTargets(label: string, result: { queries: Timing[] }): Target[] {
  const timing = (name: string) => result.queries.find((q) => q.name === `computeStats ${name}`);
  return STATS_QUERIES.filter((q) => q.aligned).flatMap(({ name, aligned }) => {
    const range = timing(name);
    const whole = timing(aligned!);
    if (!range || !whole) return [];
    return [
      { name: `${label}${name} < ${RANGE_TARGETS.seconds} s`, met: range.best < RANGE_TARGETS.seconds, detail: `${ms(range.best)}` },
      {
        name: `${label}${name} ≤ ${RANGE_TARGETS.timesAligned}× ${aligned}`,
        met: range.best <= RANGE_TARGETS.timesAligned * whole.best,
        detail: `${(range.best / whole.best).toFixed(2)}×: ${ms(range.best)} against ${ms(whole.best)}`,
      },
    ];
  });
}

/** Issue 16's target for each query grouped by procedure. */
export function procedureTargets(label: string, result: { queries: Timing[] }): Target[] {
  return STATS_QUERIES.filter((q) => q.byProcedure).flatMap(({ name }) => {
    const timing = result.queries.find((q) => q.name === `computeStats ${name}`);
    return timing ? [{ name: `${label}${name} < ${PROCEDURE_TARGETS.seconds} s`, met: timing.best < PROCEDURE_TARGETS.seconds, detail: ms(timing.best) }] : [];
  });
}

export function statsTargets(label: string, result: { ceiling: Timing; queries: Timing[] }, withCeiling = true): Target[] {
  return [...rangeTargets(label, result), ...procedureTargets(label, result), ...result.queries.flatMap((q) => [
    { name: `${label}${q.name.replace('computeStats ', '')} < ${STATS_TARGETS.seconds} s`, met: q.best < STATS_TARGETS.seconds, detail: `${q.best.toFixed(2)} s` },
    ...(withCeiling
      ? [{
          name: `${label}${q.name.replace('computeStats ', '')} ≤ ${STATS_TARGETS.timesCeiling}× the single pass`,
          met: q.best <= STATS_TARGETS.timesCeiling * result.ceiling.best,
          detail: `${(q.best / result.ceiling.best).toFixed(1)}× of ${result.ceiling.best.toFixed(2)} s`,
        }]
      : []),
  ])];
}

export function statsRows(result: { ceiling: Timing; queries: Timing[]; fullScan?: Timing[] }) {
  return [result.ceiling, ...result.queries, ...(result.fullScan ?? [])].map((t) => [
    t.name, t.best.toFixed(3), t.median.toFixed(3), t === result.ceiling ? '1.0×' : `${(t.best / result.ceiling.best).toFixed(1)}×`, formatNumber(t.rows),
  ]);
}
export const STATS_HEADERS = ['query', 'best s', 'median s', '× single pass', 'rows out'];
