import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { OUT_DIR } from './lib/export-files.ts';
import { machineLine, saveResults } from './lib/machine.ts';
import { countOption } from './lib/options.ts';
import { formatNumber, printTable, printTargets } from './lib/table.ts';

// npm run bench:startup [-- --runs 15]
// How long a command takes from the shell to its last byte, the built CLI (dist/, `npm run build` first) beside
// the floor: `node -e "require('better-sqlite3')"`, the least any command that opens a database can cost. The
// runs of the three are interleaved and the median of each is reported, so that the machine's drift from one
// moment to the next falls on all three alike.

const runs = countOption('runs', 'BENCH_RUNS', 15);
const root = join(import.meta.dirname, '..');
const bin = join(root, 'bin', 'tthc.js');
if (!existsSync(join(root, 'dist', 'cli.js'))) throw new Error('no dist/: run npm run build first');
mkdirSync(OUT_DIR, { recursive: true });
const demoDb = join(OUT_DIR, 'startup-demo.db');
if (!existsSync(demoDb)) {
  console.log(`building the demo database ${demoDb} (once)…`);
  const made = spawnSync(process.execPath, [bin, '--db', demoDb, 'demo', '--out', join(OUT_DIR, 'startup-demo'), '--report', join(OUT_DIR, 'startup-demo.xlsx')], { stdio: ['ignore', 'ignore', 'inherit'] });
  if (made.status !== 0) throw new Error('tthc demo failed');
}

const COMMANDS: Record<string, string[]> = {
  floor: ['-e', "require('better-sqlite3')"],
  'tthc --help': [bin, '--help'],
  'tthc stats --year 2022 --by level': [bin, '--db', demoDb, 'stats', '--year', '2022', '--by', 'level'],
};

const times: Record<string, number[]> = Object.fromEntries(Object.keys(COMMANDS).map((name) => [name, []]));
for (let run = 0; run < runs; run++) {
  for (const [name, args] of Object.entries(COMMANDS)) {
    const start = process.hrtime.bigint();
    const result = spawnSync(process.execPath, args, { cwd: root, stdio: ['ignore', 'ignore', 'pipe'] });
    const seconds = Number(process.hrtime.bigint() - start) / 1e9;
    if (result.status !== 0) throw new Error(`${name} failed: ${result.stderr}`);
    times[name].push(seconds);
  }
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const floor = median(times.floor);
console.log(`bench:startup — median of ${runs} interleaved runs of each command`);
console.log(machineLine());
console.log('');
const rows = Object.keys(COMMANDS).map((name) => [name, formatNumber(median(times[name]) * 1000), `${formatNumber(median(times[name]) / floor, 2)}×`]);
printTable(['command', 'ms', 'of the floor'], rows);
console.log('');
printTargets([
  { name: 'tthc --help ≤ 2× the floor', met: median(times['tthc --help']) <= 2 * floor, detail: `${formatNumber(median(times['tthc --help']) / floor, 2)}×` },
  {
    name: 'tthc stats --year 2022 --by level ≤ 3× the floor',
    met: median(times['tthc stats --year 2022 --by level']) <= 3 * floor,
    detail: `${formatNumber(median(times['tthc stats --year 2022 --by level']) / floor, 2)}×`,
  },
]);
saveResults('startup', { runs, times });
