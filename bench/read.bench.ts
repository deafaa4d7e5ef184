import { extname } from 'node:path';
import { runWorker, type WorkerResult } from './lib/child.ts';
import { machineLine, saveResults } from './lib/machine.ts';
import { countOption, flag } from './lib/options.ts';

// npm run bench:read -- FILE [--runs N] [--only tthc,csv-parse,csv-parse-all-lines]
// tthc's reader alone on FILE, beside the library it stands in for on the same file: csv-parse's streaming
// parser for a .csv (from the header line on; csv-parse-all-lines, only when named in --only, reads the title
// rows too, twenty times slower: see lib/read-worker.ts), exceljs's streaming WorkbookReader for a .xlsx. Each run
// is a fresh process (peak memory is its own); with --runs N the readers take turns N times, so that a slower
// stretch of a shared machine falls on each. Prints rows/s and CPU seconds for each run and the best of each
// reader; the results go to bench/out/results/read.json. Export files to read: npx tsx bench/generate.ts
// (BENCH_ROWS=… for another size than 1,000,000).

const path = process.argv.slice(2).find((arg, i, args) => !arg.startsWith('--') && !args[i - 1]?.match(/^--(runs|only)$/));
if (!path) throw new Error('usage: npm run bench:read -- FILE [--runs N] [--only tthc,csv-parse,csv-parse-all-lines]');
const extension = extname(path).toLowerCase();
const libraries = extension === '.csv' ? ['csv-parse', 'csv-parse-all-lines'] : extension === '.xlsx' || extension === '.xlsm' ? ['exceljs'] : [];
const only = flag('only')?.split(',') ?? ['tthc', 'csv-parse', 'exceljs'];
const readers = ['tthc', ...libraries].filter((reader) => only.includes(reader));
const runs = countOption('runs', 'BENCH_RUNS', 1);

console.log(machineLine());
console.log(`${path}: ${readers.join(' and ')}, ${runs} run${runs > 1 ? 's' : ''} each`);
const results: Array<WorkerResult & { reader: string; run: number }> = [];
for (let run = 1; run <= runs; run++) {
  for (const reader of readers) {
    const result = await runWorker('lib/read-worker.ts', [reader, path]);
    results.push({ reader, run, ...result });
    console.log(`  ${line(reader, result)}`);
  }
}
if (runs > 1) {
  console.log('best of each:');
  for (const reader of readers) {
    const own = results.filter((result) => result.reader === reader);
    const best = own.reduce((a, b) => (b.cpuSeconds < a.cpuSeconds ? b : a));
    const fastest = Math.min(...own.map((result) => result.seconds));
    console.log(`  ${line(reader, { ...best, seconds: fastest })}`);
  }
}
// csv-parse from the header line leaves out the title rows above it; every other reader returns every row.
const rowCounts = new Set(results.filter((result) => result.reader !== 'csv-parse').map((result) => result.rows));
if (rowCounts.size > 1) console.log(`note: the readers returned different row counts (${[...rowCounts].join(', ')})`);
console.log(`results: ${saveResults('read', results)}`);

function line(reader: string, r: WorkerResult): string {
  return (
    `${reader.padEnd(19)} ${r.rows} rows (${r.cells} cells, check ${r.check}): ${r.seconds.toFixed(2)} s, ` +
    `${Math.round(r.rows / r.seconds).toLocaleString('en')} rows/s, ${r.cpuSeconds.toFixed(2)} CPU s ` +
    `(${Math.round(r.rows / r.cpuSeconds).toLocaleString('en')} rows per CPU s), peak ${Math.round(r.peakMB)} MB` +
    (typeof r.openSeconds === 'number'
      ? `; ${r.encoding ?? 'opened'} in ${r.openSeconds.toFixed(2)} s, ${(r.openCpuSeconds as number).toFixed(2)} CPU s of it`
      : '')
  );
}
