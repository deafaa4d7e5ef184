import { InputError, type RawRow } from '../types.ts';
import { openCsv } from './csv-reader.ts';
import { detectFormat } from './detect.ts';
import { openWithSheetJs } from './sheetjs-reader.ts';
import type { FileSource, OpenOptions } from './source.ts';
import { openXlsx } from './xlsx-reader.ts';

export { sniffDelimiter } from './csv-reader.ts';
export type { FileFormat, FileSource, OpenOptions, SheetSource } from './source.ts';

/** A file that is not a spreadsheet or CSV export at all (a PDF, a Word file, a zip, an image): skipped, not failed. */
export class NotAnExport extends InputError {}

/**
 * Opens a file by the reader of what its bytes show it is, whatever its name: .xlsx/.xlsm and CSV/TSV text with
 * tthc's streaming readers; .xls, .xlsb, .ods, Excel 2003 XML and HTML tables saved as .xls with SheetJS, loaded
 * only for them. Errors are InputErrors naming the file, thrown here or when a sheet's rows are read.
 */
export async function openFileSource(path: string, options: OpenOptions = {}): Promise<FileSource> {
  const detected = await detectFormat(path);
  if ('unsupported' in detected) throw new NotAnExport(path, detected.unsupported);
  if (detected.format === 'xlsx') return openXlsx(path);
  if (detected.format === 'csv') return openCsv(path, options);
  return openWithSheetJs(path, detected.format, options);
}

/** Every physical row of every sheet of the file, one by one, sheet after sheet (for tests and benchmarks). */
export async function* readRawRows(path: string, options: OpenOptions = {}): AsyncIterable<RawRow> {
  for await (const batch of readRawRowBatches(path, options)) yield* batch;
}

/** Every physical row of every sheet of the file in batches, sheet after sheet (for tests and benchmarks). */
export async function* readRawRowBatches(path: string, options: OpenOptions = {}): AsyncIterable<RawRow[]> {
  const source = await openFileSource(path, options);
  try {
    for (const sheet of source.sheets) yield* sheet.rows();
  } finally {
    await source.close();
  }
}
