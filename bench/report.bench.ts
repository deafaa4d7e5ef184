import { statSync } from 'node:fs';
import { join } from 'node:path';
import { openDatabase } from '../src/db/connection.ts';
import { writeReport } from '../src/report/index.ts';
import { OUT_DIR } from './lib/export-files.ts';
import { machineLine, saveResults } from './lib/machine.ts';
import { benchSeed, statsDossiers } from './lib/options.ts';
import { ensureStatsDatabase, statsDbPath } from './lib/stats-db.ts';
import { formatNumber, printTable, printTargets } from './lib/table.ts';

// npm run bench:report [-- --dossiers 500k]
// Issue 4: the whole report workbook (every sheet, charts included) over a province's five years,
// 5,000,000 dossiers, on the statistics benchmark's database. Target: under 15 s.

const TARGET_SECONDS = 15;
const dossiers = statsDossiers();
const seed = benchSeed();
console.log(`bench:report — writeReport, all sheets, 2020–2024, ${formatNumber(dossiers)} dossiers, seed ${seed}, SQLite`);
console.log(machineLine());

const { target, loadSeconds } = await ensureStatsDatabase(statsDbPath(dossiers, seed), dossiers, seed);
if (loadSeconds) console.log(`database built in ${loadSeconds.toFixed(0)} s (cached for later runs: ${target})`);
const db = await openDatabase(target);
try {
  const out = join(OUT_DIR, `report-${dossiers}.xlsx`);
  const started = performance.now();
  const result = await writeReport(db, { query: { period: { from: '2020-01-01', to: '2024-12-31' } }, out });
  const seconds = (performance.now() - started) / 1000;
  console.log('');
  printTable(
    ['run', 'seconds', 'computeStats calls', 'sheets', 'workbook'],
    [['writeReport 2020–2024, all sheets', seconds.toFixed(2), result.queries, result.sheets.length, `${formatNumber(statSync(result.path).size / 1024)} KB`]],
  );
  console.log(`sheets: ${result.sheets.join(', ')}`);
  console.log('');
  const targets = [{ name: `report < ${TARGET_SECONDS} s`, met: seconds < TARGET_SECONDS, detail: `${seconds.toFixed(2)} s` }];
  printTargets(targets);
  saveResults('report', { dossiers, seed, seconds, queries: result.queries, sheets: result.sheets, targets });
} finally {
  await db.destroy();
}
