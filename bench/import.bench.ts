import { execFileSync } from 'node:child_process';
import { readdirSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ensureExport } from './lib/export-files.ts';
import { freshDir, importTargets, runImport, runInstalledImport, type ImportRun } from './lib/imports.ts';
import { machineLine, saveResults } from './lib/machine.ts';
import { benchSeed, flag, hasFlag, importRows } from './lib/options.ts';
import { printProfile, summarizeProfile } from './lib/profile.ts';
import { formatNumber, printTable, printTargets } from './lib/table.ts';

// npm run bench:import [-- --rows 100k] [--profile] [--only ceiling,csv,xlsx,cli-csv,cli-xlsx]
// Issue 2, point 10: a million generated dossiers as .csv and as .xlsx, each imported into a fresh SQLite
// database through importFile, beside the ceiling measured in the same run: the same rows, already parsed, put in
// with a plain better-sqlite3 prepared INSERT in one transaction. Each run is a child process of its own, so
// its peak memory is its own. Then the same files through the built CLI (`tthc import`, dist/ built first), the
// program users run: its peak memory is issue 16's target.

async function main() {
  const rows = importRows();
  const seed = benchSeed();
  const only = new Set((flag('only') ?? 'ceiling,csv,xlsx,cli-csv,cli-xlsx').split(','));
  const profile = hasFlag('profile');
  console.log(`bench:import — ${formatNumber(rows)} dossiers, seed ${seed}, SQLite`);
  console.log(machineLine());

  const csv = only.has('csv') || only.has('cli-csv') ? await ensureExport('csv', rows, seed) : undefined;
  const xlsx = only.has('xlsx') || only.has('cli-xlsx') ? await ensureExport('xlsx', rows, seed) : undefined;
  if (only.has('cli-csv') || only.has('cli-xlsx')) {
    process.stderr.write('building dist/ (npm run build, JavaScript only) … ');
    execFileSync(process.execPath, ['scripts/build.mjs', '--js-only'], { stdio: 'inherit' });
    process.stderr.write('done\n');
  }
  const work = freshDir('import');
  const profileDir = profile ? join(work, 'profiles') : undefined;

  const runs: ImportRun[] = [];
  try {
    if (only.has('ceiling')) runs.push(await runImport('ceiling: prepared INSERT, parsed rows', ['ceiling', String(rows), String(seed), join(work, 'ceiling.db')]));
    if (csv && only.has('csv')) runs.push(await runImport('.csv through importFile', ['import', csv.path, join(work, 'csv.db')], profileDir && join(profileDir, 'csv')));
    if (xlsx && only.has('xlsx')) runs.push(await runImport('.xlsx through importFile', ['import', xlsx.path, join(work, 'xlsx.db')], profileDir && join(profileDir, 'xlsx')));
    if (csv && only.has('cli-csv')) runs.push(await runInstalledImport('.csv through tthc import (built CLI)', csv.path, join(work, 'cli-csv.db'), rows));
    if (xlsx && only.has('cli-xlsx')) runs.push(await runInstalledImport('.xlsx through tthc import (built CLI)', xlsx.path, join(work, 'cli-xlsx.db'), rows));

    const ceiling = runs.find((r) => r.name.startsWith('ceiling'));
    console.log('');
    printTable(
      ['run', 'rows', 'seconds', 'rows/s', '% of ceiling', 'peak MB', 'process CPU s', 'main / worker / other threads CPU s'],
      runs.map((r) => [
        r.name, formatNumber(r.rows), r.seconds.toFixed(2), formatNumber(r.rowsPerSecond),
        ceiling && r !== ceiling ? `${((r.rowsPerSecond / ceiling.rowsPerSecond) * 100).toFixed(0)} %` : '', formatNumber(r.peakMB), r.cpuSeconds.toFixed(1),
        r.mainCpuSeconds === undefined ? '' : [r.mainCpuSeconds, r.workerCpuSeconds, r.otherThreadsCpuSeconds].map((s) => Number(s).toFixed(1)).join(' / '),
      ]),
    );
    console.log('');
    const targets = importTargets(runs, ceiling);
    printTargets(targets);
    for (const r of runs) if (r.rejected) console.log(`note: ${r.name} rejected ${formatNumber(Number(r.rejected))} rows`);
    for (const r of runs) {
      const queries = r.queries as Record<string, { count: number; seconds: number }> | undefined;
      if (!queries) continue;
      const inDb = Object.values(queries).reduce((a, q) => a + q.seconds, 0);
      console.log(`\n${r.name}: ${inDb.toFixed(1)} s of ${r.seconds.toFixed(1)} s in database statements (Kysely compile + SQLite), the rest reading and parsing:`);
      for (const [kind, q] of Object.entries(queries).slice(0, 6)) {
        console.log(`  ${q.seconds.toFixed(2).padStart(7)} s  ${String(q.count).padStart(5)} × ${kind}`);
      }
    }

    if (profileDir) {
      for (const kind of ['csv', 'xlsx']) {
        let files: string[] = [];
        try {
          files = readdirSync(join(profileDir, kind)).filter((f) => f.endsWith('.cpuprofile'));
        } catch {}
        // One profile per thread: the main thread's is the busiest (the others are tsx's loader, mostly idle).
        const summaries = files.map((file) => summarizeProfile(join(profileDir, kind, file), resolve('.')));
        const main = summaries.sort((a, b) => b.busyMs - a.busyMs)[0];
        if (main) {
          console.log('');
          printProfile(`.${kind} import`, main);
        }
      }
    }
    saveResults('import', { rows, seed, runs, targets });
  } finally {
    if (!hasFlag('keep')) rmSync(work, { recursive: true, force: true });
  }
}

await main();
