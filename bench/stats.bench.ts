import { openDatabase } from '../src/db/connection.ts';
import { explainPlan, inlineSql, lastSelect } from './lib/explain.ts';
import { machineLine, saveResults } from './lib/machine.ts';
import { benchRuns, benchSeed, hasFlag, statsDossiers } from './lib/options.ts';
import { ensureStatsDatabase, statsDbPath } from './lib/stats-db.ts';
import { STATS_HEADERS, STATS_QUERIES, statsRows, statsTargets, timeStats } from './lib/stats-queries.ts';
import { formatNumber, printTable, printTargets } from './lib/table.ts';
import { computeStats } from '../src/stats/compute.ts';

// npm run bench:stats [-- --dossiers 500k] [--runs 3] [--explain] [--no-full-scan]
// Issue 3, point 6: computeStats over a province's five years (5,000,000 dossiers), each query beside the
// ceiling measured in the same run: one plain SELECT count(*), sum(…) pass over the same table. The best of
// --runs timed runs is reported. computeStats answers these month-aligned queries from the summary by half-month
// the importer keeps; the same queries through the dossier scan (computeStatsFromDossiers, the path of other
// --from/--to ranges) are timed once each, for information. The query plans are printed when a target is
// missed, or with --explain.

const dossiers = statsDossiers();
const seed = benchSeed();
const runs = benchRuns();
console.log(`bench:stats — ${formatNumber(dossiers)} dossiers (1 province: 20 province bodies, 13 districts, 225 communes; 2020–2024), seed ${seed}, SQLite`);
console.log(machineLine());

const { target, loadSeconds } = await ensureStatsDatabase(statsDbPath(dossiers, seed), dossiers, seed);
if (loadSeconds) console.log(`database built in ${loadSeconds.toFixed(0)} s (cached for later runs: ${target})`);
const db = await openDatabase(target);
try {
  const result = await timeStats(db, runs, undefined, !hasFlag('no-full-scan'));
  console.log('');
  printTable(STATS_HEADERS, statsRows(result));
  console.log('');
  const targets = statsTargets('', result);
  printTargets(targets);
  const plans: Record<string, string> = {};
  if (hasFlag('explain') || targets.some((t) => !t.met)) {
    for (const { name, query } of STATS_QUERIES) {
      const compiled = await lastSelect(db, (d) => computeStats(d, query));
      plans[name] = await explainPlan(db, compiled);
      console.log(`\nEXPLAIN QUERY PLAN of computeStats ${name}:\n${plans[name]}`);
      if (hasFlag('sql')) console.log(`\nSQL:\n${inlineSql(compiled)}`);
    }
  }
  saveResults('stats', { dossiers, seed, runs, result, targets, plans });
} finally {
  await db.destroy();
}
