import { readRawRowBatches } from '../src/import/readers/index.ts';

// npx tsx bench/read.bench.ts FILE [--keep-sample]
// The reader alone: every row of a file through readRawRowBatches, nothing else; rows/s, CPU s and peak RSS.
const path = process.argv[2];
if (!path) throw new Error('usage: tsx bench/read.bench.ts FILE');
const start = process.hrtime.bigint();
const cpu0 = process.cpuUsage();
let rows = 0;
let batches = 0;
let cells = 0;
let check = 0;
for await (const batch of readRawRowBatches(path)) {
  batches++;
  rows += batch.length;
  for (const row of batch) {
    cells += row.cells.length;
    const c = row.cells[1];
    if (typeof c === 'string') check += c.length;
  }
}
const seconds = Number(process.hrtime.bigint() - start) / 1e9;
const cpu = process.cpuUsage(cpu0);
const cpuSeconds = (cpu.user + cpu.system) / 1e6;
const peakMB = process.resourceUsage().maxRSS / 1024;
console.log(
  `${rows} rows in ${batches} batches (${cells} cells, check ${check}): ${seconds.toFixed(2)} s, ` +
    `${Math.round(rows / seconds)} rows/s, ${cpuSeconds.toFixed(2)} CPU s (${Math.round(rows / cpuSeconds)} rows per CPU s), ` +
    `peak ${Math.round(peakMB)} MB`,
);
