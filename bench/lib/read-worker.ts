import { createReadStream } from 'node:fs';
import { finished } from 'node:stream/promises';
import { parse } from 'csv-parse';
import ExcelJS from 'exceljs';
import { DOSSIER_COLUMNS } from '../../src/import/columns.ts';
import { inspectCsv } from '../../src/import/readers/csv-reader.ts';
import { openFileSource } from '../../src/import/readers/index.ts';
import { openTable } from '../../src/import/table.ts';
import { cpuSince, reportResult } from './child.ts';

// One reader reading one file, in a process of its own (see child.ts), for bench/read.bench.ts:
//   tthc FILE        tthc's reader (openFileSource, every sheet's rows): for a .csv, its encoding check (a pass over
//                    every byte before the first row, reported apart as openSeconds) and the SHA-256 of the bytes
//                    it reads are included
//   csv-parse FILE   csv-parse's streaming parser as a program would use it, a read stream piped into it and one
//                    record per 'data' event, from the header line on (the delimiter and header line are tthc's,
//                    found before the clock starts): on every record but the title rows
//   csv-parse-all-lines FILE   the same from the first line, title rows included. csv-parse then builds a
//                    CsvError, stack trace included, for every record whose length differs from the first one's,
//                    even with relax_column_count: twenty times slower, so only run when asked for
//   exceljs FILE     exceljs's streaming WorkbookReader, every row of every worksheet (shared strings and styles
//                    cached, so that dates come out as dates, as tthc's reader gives them)
// Each counts rows and cells and the length of every second cell that is text, so that no reader's work can be
// skipped, and reports its wall time, CPU time and peak memory.

const [mode, path] = process.argv.slice(2);
let rows = 0;
let cells = 0;
let check = 0;
const count = (values: unknown[]) => {
  rows++;
  cells += values.length;
  const c = values[1];
  if (typeof c === 'string') check += c.length;
};

let setup: (() => Promise<void>) | undefined;
let read: () => Promise<void>;
const extra: Record<string, unknown> = {};
if (mode === 'tthc') {
  read = async () => {
    const cpu = process.cpuUsage();
    const started = performance.now();
    const source = await openFileSource(path);
    extra.openSeconds = (performance.now() - started) / 1000;
    extra.openCpuSeconds = cpuSince(cpu);
    extra.encoding = source.encoding;
    try {
      for (const sheet of source.sheets) for await (const batch of sheet.rows()) for (const row of batch) count(row.cells);
    } finally {
      await source.close();
    }
  };
} else if (mode === 'csv-parse' || mode === 'csv-parse-all-lines') {
  let delimiter = ',';
  let fromLine = 1;
  setup = async () => {
    delimiter = (await inspectCsv(path)).delimiter;
    if (mode === 'csv-parse') {
      const table = await openTable(path, DOSSIER_COLUMNS);
      fromLine = table.layout.headerRowNumber;
      await table.close();
    }
  };
  read = async () => {
    const parser = parse({ delimiter, bom: true, relax_column_count: true, relax_quotes: true, from_line: fromLine });
    parser.on('data', (record: string[]) => count(record));
    createReadStream(path).pipe(parser);
    await finished(parser);
  };
} else if (mode === 'exceljs') {
  read = async () => {
    const workbook = new ExcelJS.stream.xlsx.WorkbookReader(path, {
      entries: 'emit',
      sharedStrings: 'cache',
      styles: 'cache',
      hyperlinks: 'ignore',
      worksheets: 'emit',
    });
    for await (const worksheet of workbook) {
      for await (const row of worksheet as AsyncIterable<ExcelJS.Row>) {
        // row.values is 1-based: its first item is always empty.
        count((row.values as unknown[]).slice(1));
      }
    }
  };
} else {
  throw new Error(`read-worker: unknown reader "${mode}"`);
}

await setup?.();
const cpu = process.cpuUsage();
const started = performance.now();
await read();
const seconds = (performance.now() - started) / 1000;
reportResult({ rows, seconds, cpuSeconds: cpuSince(cpu), cells, check, ...extra });
