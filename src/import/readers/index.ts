import type { Hash } from 'node:crypto';
import { extname } from 'node:path';
import { hashFileInto } from './file-hash.ts';
import { InputError, type RawRow } from '../types.ts';
import { readCsvBatches } from './csv-reader.ts';
import { readXlsxBatches } from './xlsx-reader.ts';

export { sniffDelimiter } from './csv-reader.ts';

/** The file types the importer reads, by extension (lower case, with the dot). */
export const READABLE_EXTENSIONS = ['.xlsx', '.csv'] as const;

/** True for a file the importer can read, judged by its name. */
export function isReadableFile(path: string): boolean {
  return (READABLE_EXTENSIONS as readonly string[]).includes(extname(path).toLowerCase());
}

/**
 * Every physical row of the file in batches, each with its 1-based row number: title rows, blank lines and
 * footers included (for .xlsx, rows without any value are not stored in the file and so are not returned).
 * Errors are InputErrors naming the file, thrown when iteration starts or meets the problem. With `hash`, every
 * byte of the file has been added to it once the batches end.
 */
export function readRawRowBatches(path: string, hash?: Hash): AsyncIterable<RawRow[]> {
  const extension = extname(path).toLowerCase();
  if (extension === '.xlsx') return hash ? withFileHash(readXlsxBatches(path), path, hash) : readXlsxBatches(path);
  if (extension === '.csv') return readCsvBatches(path, undefined, hash);
  throw new InputError(
    path,
    extension === '.xls'
      ? 'tệp Excel 97-2003 (.xls) không được hỗ trợ: hãy mở bằng Excel và lưu dưới dạng .xlsx'
      : `loại tệp "${extension || '(không có đuôi)'}" không được hỗ trợ: chỉ nhận .xlsx và .csv`,
  );
}

/** The batches, and meanwhile the file's bytes added to `hash` by a read of their own; both done at the end. */
async function* withFileHash(batches: AsyncIterable<RawRow[]>, path: string, hash: Hash): AsyncGenerator<RawRow[]> {
  const hashing = hashFileInto(hash, path);
  hashing.catch(() => undefined); // awaited below; a reader's error comes first
  yield* batches;
  await hashing;
}

/** Every physical row of the file, one by one (see readRawRowBatches). */
export async function* readRawRows(path: string): AsyncIterable<RawRow> {
  for await (const batch of readRawRowBatches(path)) yield* batch;
}
