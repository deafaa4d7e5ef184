import { main } from '../../src/cli/index.ts';

/**
 * Runs the CLI's main() in the test's process (a spawned tsx costs seconds on this machine), with what it writes
 * to stdout and stderr captured.
 */
export async function tthc(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const stdoutWrite = process.stdout.write;
  const stderrWrite = process.stderr.write;
  process.stdout.write = ((chunk: string) => out.push(String(chunk)) > 0) as typeof process.stdout.write;
  process.stderr.write = ((chunk: string) => err.push(String(chunk)) > 0) as typeof process.stderr.write;
  let code: number;
  try {
    process.exitCode = undefined;
    code = await main(['node', 'tthc', ...args]);
  } finally {
    process.stdout.write = stdoutWrite;
    process.stderr.write = stderrWrite;
    process.exitCode = undefined;
  }
  return { code, stdout: out.join(''), stderr: err.join('') };
}
