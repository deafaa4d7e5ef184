import type { CompiledQuery, KyselyPlugin, PluginTransformQueryArgs, PluginTransformResultArgs, RootOperationNode } from 'kysely';
import { openDatabase, type Db } from '../src/db/connection.ts';
import { explainPlan, inlineSql } from './lib/explain.ts';
import { machineLine, saveResults } from './lib/machine.ts';
import { benchRuns, benchSeed, hasFlag, statsDossiers } from './lib/options.ts';
import { ensureStatsDatabase, statsDbPath } from './lib/stats-db.ts';
import { STATS_HEADERS, STATS_QUERIES, statsRows, statsTargets, timeStats } from './lib/stats-queries.ts';
import { formatNumber, printTable, printTargets } from './lib/table.ts';
import { computeStats } from '../src/stats/compute.ts';

// npm run bench:stats [-- --dossiers 500k] [--runs 3] [--explain] [--sql] [--no-full-scan]
// Issue 3, point 6: computeStats over a province's five years (5,000,000 dossiers), each query beside the
// ceiling measured in the same run: one plain SELECT count(*), sum(…) pass over the same table. The best of
// --runs timed runs is reported. computeStats answers periods of whole half-months from the summary by half-month
// the importer keeps, and other ranges of days from the summary of the nearest whole half-months corrected by the
// dossiers of the days between (issue 16, point 1: each range within 2× its aligned period, timed in the same
// run, and under 1 s); the same queries through the dossier scan (computeStatsFromDossiers, the path of --by
// procedure) are timed once each, for information. The query plans of the queries that read the summary or the
// dossiers are printed when a target is missed, or with --explain.

const dossiers = statsDossiers();
const seed = benchSeed();
const runs = benchRuns();
console.log(`bench:stats — ${formatNumber(dossiers)} dossiers (1 province: 20 province bodies, 13 districts, 225 communes; 2020–2024), seed ${seed}, SQLite`);
console.log(machineLine());

/** The queries `run` sends that read the summary or the dossiers, compiled (the subqueries left out). */
async function sentReads(db: Db, run: (db: Db) => Promise<unknown>): Promise<CompiledQuery[]> {
  const nodes: RootOperationNode[] = [];
  const keep: KyselyPlugin = {
    transformQuery: (args: PluginTransformQueryArgs) => (nodes.push(args.node), args.node),
    transformResult: async (args: PluginTransformResultArgs) => args.result,
  };
  await run(db.withPlugin(keep));
  const compiled = nodes.filter((n) => n.kind === 'SelectQueryNode').map((n) => db.getExecutor().compileQuery(n, { queryId: 'explain' } as never));
  return compiled.filter((q) => /"(dossiers|dossier_half_months)"/.test(q.sql) && !compiled.some((o) => o !== q && o.sql.includes(q.sql)));
}

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
      const reads = await sentReads(db, (d) => computeStats(d, query));
      const explained: string[] = [];
      for (const compiled of reads) {
        explained.push(await explainPlan(db, compiled));
        if (hasFlag('sql')) explained.push(`SQL: ${inlineSql(compiled)}`);
      }
      plans[name] = explained.join('\n--\n');
      console.log(`\nEXPLAIN QUERY PLAN of computeStats ${name} (each query reading the summary or the dossiers):\n${plans[name]}`);
    }
  }
  saveResults('stats', { dossiers, seed, runs, result, targets, plans });
} finally {
  await db.destroy();
}
