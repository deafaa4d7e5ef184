import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

// Each import runs in a child process of its own, so that its peak memory (the kernel's max RSS of that
// process) is the import's alone, not the generator's or another run's.

const BENCH_DIR = join(dirname(fileURLToPath(import.meta.url)), '..');
const RESULT_PREFIX = 'BENCH-RESULT ';

export interface WorkerResult {
  rows: number;
  seconds: number;
  /** Peak resident memory of the child process, MB. */
  peakMB: number;
  /** CPU time (user + system) of the timed part, in this process (not a database server's): with other work on the machine, wall time overstates. */
  cpuSeconds: number;
  [extra: string]: unknown;
}

/** Runs bench/<script> in a fresh Node process (through tsx) and returns what it reported. */
export function runWorker(script: string, args: string[], extraNodeArgs: string[] = []): Promise<WorkerResult> {
  return new Promise((resolve, reject) => {
    // The same V8 options as bin/tthc.js, so that the benchmark measures what `tthc import` does.
    const child = spawn(process.execPath, ['--max-semi-space-size=16', '--heap-growing-percent=50', ...extraNodeArgs, '--import', 'tsx', join(BENCH_DIR, script), ...args], {
      stdio: ['ignore', 'pipe', 'inherit'],
      env: process.env,
    });
    let out = '';
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      out += chunk;
    });
    child.on('error', reject);
    child.on('close', (code, signal) => {
      const line = out.split('\n').find((l) => l.startsWith(RESULT_PREFIX));
      if (code !== 0 || !line) {
        reject(new Error(`${script} ${args.join(' ')} failed (${signal ?? `exit ${code}`})\n${out.slice(-2000)}`));
        return;
      }
      resolve(JSON.parse(line.slice(RESULT_PREFIX.length)) as WorkerResult);
    });
  });
}

/** Called by a worker when done: its result and its peak memory. */
export function reportResult(result: Omit<WorkerResult, 'peakMB'>): void {
  const peakMB = process.resourceUsage().maxRSS / 1024;
  process.stdout.write(`${RESULT_PREFIX}${JSON.stringify({ ...result, peakMB })}\n`);
}

/** Seconds of CPU (user + system) since `start` (a process.cpuUsage() value). */
export function cpuSince(start: NodeJS.CpuUsage): number {
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1e6;
}
