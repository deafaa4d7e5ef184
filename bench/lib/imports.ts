import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runWorker, type WorkerResult } from './child.ts';
import { OUT_DIR } from './export-files.ts';
import { formatNumber, type Target } from './table.ts';

// Shared by bench:import and bench:pg: one measured import run in a child process, and the targets of issue 2.

export const IMPORT_TARGETS = { csvRowsPerSecond: 150_000, csvShareOfCeiling: 0.3, xlsxRowsPerSecond: 40_000, peakMB: 500, installedPeakMB: 400 };

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

export interface ImportRun extends WorkerResult {
  name: string;
  rowsPerSecond: number;
}

export async function runImport(name: string, args: string[], profileDir?: string): Promise<ImportRun> {
  process.stderr.write(`${name} … `);
  const nodeArgs = profileDir ? ['--cpu-prof', '--cpu-prof-dir', profileDir] : [];
  const result = await runWorker('import-worker.ts', args, nodeArgs);
  const run = { ...result, name, rowsPerSecond: result.rows / result.seconds };
  process.stderr.write(`${result.seconds.toFixed(1)} s\n`);
  return run;
}

/**
 * `tthc import FILE --db DB` as a user runs it: the built CLI (bin/tthc.js over dist/) in a plain Node process,
 * no tsx, its peak memory and CPU written at exit by a preloaded module (lib/peak-rss.mjs). The wall time includes
 * the program's start (about 0.1 s).
 */
export async function runInstalledImport(name: string, file: string, dbPath: string, rows: number): Promise<ImportRun> {
  if (!existsSync(join(ROOT, 'dist', 'cli.js'))) throw new Error('no dist/: run npm run build first');
  process.stderr.write(`${name} … `);
  const rssFile = `${dbPath}.rss.json`;
  const started = performance.now();
  await new Promise<void>((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', join(ROOT, 'bench', 'lib', 'peak-rss.mjs'), join(ROOT, 'bin', 'tthc.js'), 'import', file, '--db', dbPath], {
      stdio: ['ignore', 'ignore', 'pipe'],
      env: { ...process.env, BENCH_RSS_FILE: rssFile },
    });
    let err = '';
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (err += chunk));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`tthc import ${file}: exit ${code}\n${err.slice(-2000)}`))));
  });
  const seconds = (performance.now() - started) / 1000;
  const { peakMB, cpuSeconds } = JSON.parse(readFileSync(rssFile, 'utf8')) as { peakMB: number; cpuSeconds: number };
  process.stderr.write(`${seconds.toFixed(1)} s\n`);
  return { name, rows, seconds, peakMB, cpuSeconds, rowsPerSecond: rows / seconds };
}

export function freshDir(name: string): string {
  const dir = join(OUT_DIR, 'tmp', `${name}-${process.pid}`);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  return dir;
}

export function importTargets(runs: ImportRun[], ceiling?: ImportRun): Target[] {
  const t = IMPORT_TARGETS;
  const targets: Target[] = [];
  const csv = runs.find((r) => r.name.startsWith('.csv'));
  const xlsx = runs.find((r) => r.name.startsWith('.xlsx'));
  if (csv) {
    targets.push({ name: `.csv ≥ ${formatNumber(t.csvRowsPerSecond)} rows/s`, met: csv.rowsPerSecond >= t.csvRowsPerSecond, detail: `${formatNumber(csv.rowsPerSecond)} rows/s` });
    if (ceiling) {
      const share = csv.rowsPerSecond / ceiling.rowsPerSecond;
      targets.push({ name: `.csv ≥ ${t.csvShareOfCeiling * 100} % of the ceiling`, met: share >= t.csvShareOfCeiling, detail: `${(share * 100).toFixed(0)} % of ${formatNumber(ceiling.rowsPerSecond)} rows/s` });
    }
  }
  if (xlsx) targets.push({ name: `.xlsx ≥ ${formatNumber(t.xlsxRowsPerSecond)} rows/s`, met: xlsx.rowsPerSecond >= t.xlsxRowsPerSecond, detail: `${formatNumber(xlsx.rowsPerSecond)} rows/s` });
  for (const r of [csv, xlsx]) {
    if (r) targets.push({ name: `${r.name.split(' ')[0]} peak memory < ${t.peakMB} MB`, met: r.peakMB < t.peakMB, detail: `${formatNumber(r.peakMB)} MB` });
  }
  // Issue 16's memory target is for the program users run: the built CLI.
  for (const r of runs.filter((run) => run.name.includes('tthc import'))) {
    targets.push({ name: `${r.name.split(' ')[0]} through tthc import: peak memory < ${t.installedPeakMB} MB`, met: r.peakMB < t.installedPeakMB, detail: `${formatNumber(r.peakMB)} MB` });
  }
  return targets;
}

