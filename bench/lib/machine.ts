import { cpus, loadavg, totalmem } from 'node:os';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { OUT_DIR } from './export-files.ts';

/** One line naming the machine and runtime, printed above every result table. */
export function machineLine(): string {
  const cpu = cpus();
  return `${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC · ${cpu[0]?.model.trim() ?? 'cpu'} × ${cpu.length} · ${(totalmem() / 2 ** 30).toFixed(0)} GiB · Node ${process.version} · load average ${loadavg().map((l) => l.toFixed(1)).join(' ')} at start`;
}

/** Keeps a benchmark's results as JSON under bench/out/results/, for docs/benchmarks.md. */
export function saveResults(name: string, results: unknown): string {
  const dir = join(OUT_DIR, 'results');
  mkdirSync(dir, { recursive: true });
  const path = join(dir, `${name}.json`);
  writeFileSync(path, JSON.stringify({ machine: machineLine(), results }, null, 2));
  return path;
}
