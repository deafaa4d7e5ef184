import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { runWorker, type WorkerResult } from './child.ts';
import { OUT_DIR } from './export-files.ts';
import { formatNumber, type Target } from './table.ts';

// Shared by bench:import and bench:pg: one measured import run in a child process, and the targets of issue 2.

export const IMPORT_TARGETS = { csvRowsPerSecond: 150_000, csvShareOfCeiling: 0.3, xlsxRowsPerSecond: 40_000, peakMB: 500 };

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
  return targets;
}

