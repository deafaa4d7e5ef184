import { createReadStream } from 'node:fs';
import ExcelJS from 'exceljs';
import { InputError, type CellValue, type RawRow } from '../types.ts';
import { SheetXmlScanner, type WorkbookParts } from './sheet-xml.ts';
import { fileError, OLE_SIGNATURE, readAt, readHead, startsWith, ZIP_SIGNATURE } from './file-head.ts';

// Workbooks are streamed sheet by sheet and row by row, never loaded whole. Shared strings and styles are cached
// because cells refer to them (styles tell a date cell from a number); nothing else is kept.
const READER_OPTIONS = {
  worksheets: 'emit',
  sharedStrings: 'cache',
  styles: 'cache',
  hyperlinks: 'ignore',
  entries: 'ignore',
} as const;

const WORKSHEET = /^xl\/worksheets\/sheet\d+\.xml$/;

/** Reads the rows of the first worksheet that has any, in batches (one batch per parsed piece of the sheet). */
export async function* readXlsxBatches(path: string): AsyncGenerator<RawRow[]> {
  await checkZip(path);
  const input = createReadStream(path);
  // exceljs pipes this stream into its unzipper, which does not pass read errors on: end the parse ourselves.
  let readError: unknown;
  input.on('error', (error) => {
    readError = error;
  });
  const guard = stallGuard(path, input);
  const workbook = new ExcelJS.stream.xlsx.WorkbookReader(input, READER_OPTIONS);
  const sheets = workbook[Symbol.asyncIterator]();
  try {
    for (;;) {
      const sheet = await guard(sheets.next());
      if (sheet.done) break;
      let found = false;
      const batches = worksheetRows(workbook as unknown as ExcelWorkbookReader, sheet.value);
      for (;;) {
        const batch = await guard(batches.next());
        if (batch.done) break;
        if (batch.value.length === 0) continue;
        found = true;
        yield batch.value;
      }
      if (found) return;
    }
    if (readError) throw readError;
  } catch (error) {
    if (error instanceof InputError) throw error;
    if (readError) throw fileError(path, readError);
    throw new InputError(path, `tệp .xlsx bị hỏng hoặc không đọc được (${describe(error)})`);
  } finally {
    input.destroy();
    // Ends exceljs's generator unless it is stuck on a promise that will never settle (then it is dropped).
    void Promise.race([sheets.return?.(undefined), Promise.resolve()]).catch(() => undefined);
  }
}

/** How long the unzipper may sit without progress once the whole file has been read. */
const STALL_MS = 10_000;

/**
 * A damaged local header can leave exceljs's unzipper waiting for bytes that never come: nothing is left to
 * do, and the process would simply exit in the middle of the import. Once the file has been read to its end,
 * a step of the parse that makes no progress for STALL_MS is taken for a damaged file.
 */
function stallGuard(path: string, input: NodeJS.EventEmitter) {
  let ended = false;
  const onEnd = new Set<() => void>();
  const markEnded = () => {
    ended = true;
    for (const arm of onEnd) arm();
    onEnd.clear();
  };
  input.once('end', markEnded);
  input.once('close', markEnded);
  return <T>(step: Promise<T>): Promise<T> =>
    new Promise<T>((resolve, reject) => {
      let timer: NodeJS.Timeout | undefined;
      const arm = () => {
        timer = setTimeout(
          () => reject(new InputError(path, 'tệp .xlsx bị hỏng (nội dung nén không đọc hết được)')),
          STALL_MS,
        );
      };
      if (ended) arm();
      else onEnd.add(arm);
      step.then(
        (value) => {
          clearTimeout(timer);
          onEnd.delete(arm);
          resolve(value);
        },
        (error) => {
          clearTimeout(timer);
          onEnd.delete(arm);
          reject(error);
        },
      );
    });
}

/** The parts of exceljs's WorkbookReader that the sheet scanner uses (filled as the zip is read). */
interface ExcelWorkbookReader {
  sharedStrings?: WorkbookParts['sharedStrings'];
  styles?: { getStyleModel(id: number): { numFmt?: string } | null };
  properties?: { model?: { date1904?: boolean } };
}

/**
 * The rows of one worksheet, in batches. The sheet's XML is scanned directly (see sheet-xml.ts); should a
 * future exceljs stop exposing the sheet's byte stream, its own (slower) row parser is used.
 */
async function* worksheetRows(workbook: ExcelWorkbookReader, worksheet: ExcelJS.stream.xlsx.WorksheetReader) {
  const source = (worksheet as unknown as { iterator?: AsyncIterable<Buffer> }).iterator;
  if (source === undefined || typeof source[Symbol.asyncIterator] !== 'function') {
    for await (const events of worksheet.parse() as unknown as AsyncIterable<Array<{ eventType: string; value: any }>>) {
      const rows: RawRow[] = [];
      for (const { eventType, value } of events) {
        if (eventType !== 'row') continue;
        const cells = rowCells(value.values as unknown[]);
        if (cells !== undefined) rows.push({ rowNumber: value.number as number, cells });
      }
      yield rows;
    }
    return;
  }
  const dateStyles = new Map<number, boolean>();
  const scanner = new SheetXmlScanner({
    sharedStrings: workbook.sharedStrings,
    date1904: workbook.properties?.model?.date1904 === true,
    isDateStyle(index) {
      let isDate = dateStyles.get(index);
      if (isDate === undefined) {
        isDate = isDateFormat(workbook.styles?.getStyleModel(index)?.numFmt);
        dateStyles.set(index, isDate);
      }
      return isDate;
    },
  });
  for await (const chunk of source) yield scanner.push(chunk);
  yield scanner.end();
}

/** exceljs's rule for a number format that shows a date or time (quoted text and [..] sections ignored). */
function isDateFormat(format: string | undefined): boolean {
  if (!format) return false;
  return /[ymdhMsb]/.test(format.replace(/\[[^\]]*]/g, '').replace(/"[^"]*"/g, ''));
}

/** A row's cells as the sheet shows them; undefined for a row without any value. */
function rowCells(values: unknown[]): CellValue[] | undefined {
  // row.values is 1-based and sparse: index 0 and empty cells are holes.
  const cells: CellValue[] = new Array(Math.max(0, values.length - 1));
  let any = false;
  for (let i = 1; i < values.length; i++) {
    const cell = toCellValue(values[i]);
    cells[i - 1] = cell;
    if (cell !== null) any = true;
  }
  return any ? cells : undefined;
}

function toCellValue(value: unknown): CellValue {
  if (value === undefined || value === null) return null;
  switch (typeof value) {
    case 'string':
      return value === '' ? null : value;
    case 'number':
    case 'boolean':
      return value;
    case 'object':
      // A date cell arrives as a Date whose UTC fields are the wall-clock time shown: passed on unchanged.
      if (value instanceof Date) return value;
      return objectCellValue(value as Record<string, unknown>);
    default:
      return null;
  }
}

function objectCellValue(value: Record<string, unknown>): CellValue {
  if (Array.isArray(value.richText)) {
    return (value.richText as Array<{ text?: string }>).map((run) => run.text ?? '').join('') || null;
  }
  if ('formula' in value || 'sharedFormula' in value) {
    return value.result === undefined ? null : toCellValue(value.result);
  }
  if ('error' in value) return String(value.error);
  if ('text' in value) return toCellValue(value.text);
  return null;
}

/**
 * Checks the zip structure before streaming it: a truncated or foreign file is told apart from a workbook
 * here, with a clear message, instead of leaving the streaming unzipper waiting for bytes that never come.
 */
async function checkZip(path: string): Promise<void> {
  const { bytes, size } = await readHead(path, 8);
  if (startsWith(bytes, OLE_SIGNATURE)) {
    throw new InputError(
      path,
      'tệp là bảng tính Excel 97-2003 (.xls) hoặc được đặt mật khẩu: hãy mở bằng Excel, bỏ mật khẩu và lưu dưới dạng .xlsx',
    );
  }
  if (!startsWith(bytes, ZIP_SIGNATURE)) throw new InputError(path, 'tệp không phải bảng tính .xlsx (sai định dạng)');
  // The end-of-central-directory record sits in the last 22 bytes plus an optional comment of up to 64 KiB.
  const tailLength = Math.min(size, 22 + 0xffff);
  const tail = await readAt(path, size - tailLength, tailLength);
  let eocd = -1;
  for (let i = tail.length - 22; i >= 0; i--) {
    if (tail.readUInt32LE(i) === 0x06054b50) {
      eocd = i;
      break;
    }
  }
  const truncated = new InputError(path, 'tệp .xlsx bị hỏng hoặc không đầy đủ (tải về bị cắt cụt?)');
  if (eocd === -1) throw truncated;
  const entries = tail.readUInt16LE(eocd + 10);
  const directorySize = tail.readUInt32LE(eocd + 12);
  const directoryOffset = tail.readUInt32LE(eocd + 16);
  if (entries === 0xffff || directorySize === 0xffffffff || directoryOffset === 0xffffffff) return; // ZIP64
  const eocdOffset = size - tailLength + eocd;
  if (directoryOffset + directorySize > eocdOffset) throw truncated;
  const directory = await readAt(path, directoryOffset, directorySize);
  let sheets = 0;
  const locals: Array<{ localOffset: number; name: string; compressedSize: number }> = [];
  let p = 0;
  for (let n = 0; n < entries; n++) {
    if (p + 46 > directory.length || directory.readUInt32LE(p) !== 0x02014b50) throw truncated;
    const compressedSize = directory.readUInt32LE(p + 20);
    const nameLength = directory.readUInt16LE(p + 28);
    const extraLength = directory.readUInt16LE(p + 30);
    const commentLength = directory.readUInt16LE(p + 32);
    const localOffset = directory.readUInt32LE(p + 42);
    const name = directory.toString('utf8', p + 46, p + 46 + nameLength);
    if (localOffset + 30 + nameLength + compressedSize > directoryOffset) throw truncated;
    if (WORKSHEET.test(name)) sheets++;
    locals.push({ localOffset, name, compressedSize });
    p += 46 + nameLength + extraLength + commentLength;
  }
  // The streaming unzipper reads the local headers, not the directory: they must agree with it.
  const damaged = new InputError(path, 'tệp .xlsx bị hỏng (phần đầu một mục trong tệp nén không khớp)');
  for (const entry of locals) {
    const header = await readAt(path, entry.localOffset, 30 + Buffer.byteLength(entry.name));
    if (header.length < 30 || header.readUInt32LE(0) !== 0x04034b50) throw damaged;
    if (header.toString('utf8', 30) !== entry.name) throw damaged;
    const usesDescriptor = (header.readUInt16LE(6) & 0x08) !== 0;
    if (!usesDescriptor && header.readUInt32LE(18) !== entry.compressedSize) throw damaged;
  }
  if (sheets === 0) throw new InputError(path, 'tệp .xlsx không có trang tính nào (không phải bảng tính Excel?)');
}

function describe(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.length > 120 ? `${message.slice(0, 117)}...` : message;
}
