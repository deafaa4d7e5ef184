// Benchmark sizes and seeds: the issues' sizes by default, smaller ones from the environment or a flag so that
// anyone can try a benchmark in seconds (BENCH_ROWS=100000 npm run bench:import, or -- --rows 100k).

/** '1000000', '1_000_000', '100k', '5m' → a positive integer. */
export function parseCount(text: string, name: string): number {
  const m = /^(\d+(?:\.\d+)?)\s*([km]?)$/i.exec(text.replace(/[_,]/g, '').trim());
  const value = m ? Number(m[1]) * (m[2].toLowerCase() === 'k' ? 1e3 : m[2].toLowerCase() === 'm' ? 1e6 : 1) : NaN;
  if (!Number.isFinite(value) || value < 1) throw new Error(`${name}: not a positive count: "${text}"`);
  return Math.round(value);
}

/** The value of `--name value` or `--name=value` on the command line. */
export function flag(name: string, argv = process.argv.slice(2)): string | undefined {
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === `--${name}`) return argv[i + 1];
    if (argv[i].startsWith(`--${name}=`)) return argv[i].slice(name.length + 3);
  }
  return undefined;
}

export function hasFlag(name: string, argv = process.argv.slice(2)): boolean {
  return argv.includes(`--${name}`);
}

/** A count from --flag, else the environment variable, else the default. */
export function countOption(flagName: string, envName: string, fallback: number): number {
  const text = flag(flagName) ?? process.env[envName];
  return text === undefined || text === '' ? fallback : parseCount(text, flagName);
}

/** Rows of the import benchmark (issue 2: 1,000,000). */
export const importRows = () => countOption('rows', 'BENCH_ROWS', 1_000_000);
/** Dossiers of the statistics and report benchmarks (issue 3: 5,000,000). */
export const statsDossiers = () => countOption('dossiers', 'BENCH_DOSSIERS', 5_000_000);
/** Seed of the generated data: same seed, same rows. */
export const benchSeed = () => countOption('seed', 'BENCH_SEED', 20_240_101);
/** Timed runs of each statistics query (the best is reported). */
export const benchRuns = () => countOption('runs', 'BENCH_RUNS', 2);
