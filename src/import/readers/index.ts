import { extname } from 'node:path';
import { InputError, type RawRow } from '../types.ts';
import { openCsv } from './csv-reader.ts';
import type { FileSource, OpenOptions } from './source.ts';
import { openXlsx } from './xlsx-reader.ts';

export { sniffDelimiter } from './csv-reader.ts';
export type { FileFormat, FileSource, OpenOptions, SheetSource } from './source.ts';

/** The file types the importer reads, by extension (lower case, with the dot). */
export const READABLE_EXTENSIONS = ['.xlsx', '.xlsm', '.csv', '.tsv', '.txt'] as const;

/** True for a file the importer can read, judged by its name. */
export function isReadableFile(path: string): boolean {
  return (READABLE_EXTENSIONS as readonly string[]).includes(extname(path).toLowerCase());
}

/**
 * Opens a file by its reader. Errors are InputErrors naming the file, thrown here or when a sheet's rows are
 * read and meet the problem.
 */
export async function openFileSource(path: string, options: OpenOptions = {}): Promise<FileSource> {
  const extension = extname(path).toLowerCase();
  if (extension === '.xlsx' || extension === '.xlsm') return openXlsx(path);
  if (extension === '.csv' || extension === '.tsv' || extension === '.txt') return openCsv(path, options);
  throw new InputError(
    path,
    extension === '.xls'
      ? 'tệp Excel 97-2003 (.xls) không được hỗ trợ: hãy mở bằng Excel và lưu dưới dạng .xlsx'
      : `loại tệp "${extension || '(không có đuôi)'}" không được hỗ trợ: chỉ nhận .xlsx và .csv`,
  );
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
