import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
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
    // No V8 options of its own: the import sets what it needs (src/import/heap-settings.ts), as in `tthc import`.
    const child = spawn(process.execPath, [...extraNodeArgs, ...(process.env.BENCH_NODE_ARGS?.split(' ').filter(Boolean) ?? []), '--import', 'tsx', join(BENCH_DIR, script), ...args], {
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

/**
 * CPU seconds per thread of this process, sampled every 100 ms until stop() (a thread that ends keeps its last
 * sample): the import's main thread, its parse worker (the busiest other thread) and the rest (V8's GC helpers,
 * libuv). On a machine shared with other work, these say which thread sets the pace better than wall time.
 */
export interface ThreadCpu {
  mainCpuSeconds: number;
  workerCpuSeconds: number;
  otherThreadsCpuSeconds: number;
  /** The other threads' CPU by thread name (V8's GC and compiler helpers, libuv's pool). */
  otherThreadsByName: Record<string, number>;
}
export function sampleThreadCpu(): () => ThreadCpu {
  const ticksPerSecond = 100; // USER_HZ on Linux
  const last = new Map<number, number>();
  const names = new Map<number, string>();
  const sample = () => {
    let tasks: string[] = [];
    try {
      tasks = readdirSync('/proc/self/task');
    } catch {
      return; // not Linux: no per-thread figures
    }
    for (const task of tasks) {
      try {
        const stat = readFileSync(`/proc/self/task/${task}/stat`, 'utf8');
        const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
        const ticks = Number(fields[11]) + Number(fields[12]); // utime + stime
        const tid = Number(task);
        last.set(tid, ticks);
        if (!names.has(tid)) names.set(tid, stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')')));
      } catch {}
    }
  };
  sample();
  const initial = new Map(last);
  const timer = setInterval(sample, 100);
  return (): ThreadCpu => {
    clearInterval(timer);
    sample();
    const used = [...last].map(([tid, ticks]) => ({ tid, seconds: (ticks - (initial.get(tid) ?? 0)) / ticksPerSecond }));
    const main = used.find((t) => t.tid === process.pid)?.seconds ?? 0;
    const others = used.filter((t) => t.tid !== process.pid).sort((a, b) => b.seconds - a.seconds);
    const worker = others[0]?.seconds ?? 0;
    const rest = others.slice(1).reduce((sum, t) => sum + t.seconds, 0);
    const byName: Record<string, number> = {};
    for (const t of others.slice(1)) byName[names.get(t.tid) ?? '?'] = (byName[names.get(t.tid) ?? '?'] ?? 0) + t.seconds;
    return { mainCpuSeconds: main, workerCpuSeconds: worker, otherThreadsCpuSeconds: rest, otherThreadsByName: byName };
  };
}
