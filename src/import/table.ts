import { matchKey } from '../domain/text.ts';
import { fieldOfHeader, isPersonalHeader, type ColumnSpec } from './columns.ts';
import { openFileSource, type OpenOptions, type SheetSource } from './readers/index.ts';
import { InputError, type CellValue, type MappedRow, type RawRow, type TableLayout } from './types.ts';

// From the rows of a file to mapped rows: find the header among the title rows, map its columns, drop the
// personal ones, and tell data rows from the totals, signatures and blank lines around them.

/** The header is looked for among this many first non-blank rows. */
const HEADER_SEARCH_ROWS = 30;

export interface TableStats {
  /** Blank rows, totals, signature lines, repeated headers below the header: skipped, not rejected. */
  footerRowsSkipped: number;
  /** Data rows returned. */
  rowsRead: number;
}

export interface OpenedTable<F extends string> {
  layout: TableLayout<F>;
  /** The data rows; can be iterated once (use either rows or rowBatches). */
  rows: AsyncIterable<MappedRow<F>>;
  /** The same data rows in batches, for a caller that wants fewer awaits per row. */
  rowBatches: AsyncIterable<MappedRow<F>[]>;
  /** Filled as rows are iterated. */
  stats: TableStats;
  /** The file's SHA-256 (hex), once the rows have been read. */
  sha256(): Promise<string>;
  /** Releases the file when the rows are not read to the end. */
  close(): Promise<void>;
}

/** The rows of the first sheet that has any. */
async function* chainSheets(sheets: SheetSource[]): AsyncGenerator<RawRow[]> {
  for (const sheet of sheets) {
    let found = false;
    for await (const batch of sheet.rows()) {
      found = true;
      yield batch;
    }
    if (found) return;
  }
}

/**
 * Opens a .xlsx or .csv file as a table of the columns of `spec`. `overrides` maps a header of the file to a
 * field (from --map or a profile) and takes precedence over the aliases. Throws InputError when the file
 * cannot be read or has no header with the required columns. With `hash`, every byte of the file has been added
 * to it once the rows end.
 */
export async function openTable<F extends string>(
  path: string,
  spec: ColumnSpec<F>,
  overrides: Record<string, F> = {},
  openOptions: OpenOptions = {},
): Promise<OpenedTable<F>> {
  const file = await openFileSource(path, openOptions);
  const source = chainSheets(file.sheets)[Symbol.asyncIterator]();
  try {
    const head: RawRow[] = [];
    let nonBlank = 0;
    let ended = false;
    while (nonBlank < HEADER_SEARCH_ROWS) {
      const next = await source.next();
      if (next.done) {
        ended = true;
        break;
      }
      for (const row of next.value) {
        head.push(row);
        if (!isBlankRow(row.cells)) nonBlank++;
      }
    }
    const header = findHeader(path, head, spec, overrides);
    const plan = planColumns(header.cells, spec, overrides);
    const stats: TableStats = { footerRowsSkipped: 0, rowsRead: 0 };
    const rest = head.slice(head.indexOf(header) + 1);

    async function* rowBatches(): AsyncGenerator<MappedRow<F>[]> {
      try {
        let batch: RawRow[] | undefined = rest;
        while (batch !== undefined) {
          const mapped: MappedRow<F>[] = [];
          for (const row of batch) {
            if (plan.isFooter(row.cells)) stats.footerRowsSkipped++;
            else mapped.push(plan.map(row));
          }
          stats.rowsRead += mapped.length;
          if (mapped.length > 0) yield mapped;
          if (ended) break;
          const next = await source.next();
          batch = next.done ? undefined : next.value;
        }
      } finally {
        await source.return?.(undefined);
      }
    }
    const batches = rowBatches();
    return {
      layout: { headerRowNumber: header.rowNumber, ...plan.layout },
      rowBatches: batches,
      rows: flatten(batches),
      stats,
      sha256: () => file.sha256(),
      close: async () => {
        await batches.return(undefined);
        await source.return?.(undefined);
      },
    };
  } catch (error) {
    await source.return?.(undefined).catch(() => undefined);
    throw error;
  }
}

/** Rows one by one from batches, without an async generator's cost per row. */
function flatten<T>(batches: AsyncIterator<T[]>): AsyncIterableIterator<T> {
  let batch: T[] = [];
  let i = 0;
  const iterator: AsyncIterableIterator<T> = {
    async next(): Promise<IteratorResult<T>> {
      while (i >= batch.length) {
        const next = await batches.next();
        if (next.done) return { done: true, value: undefined };
        batch = next.value;
        i = 0;
      }
      return { done: false, value: batch[i++] };
    },
    async return(): Promise<IteratorResult<T>> {
      await batches.return?.(undefined);
      return { done: true, value: undefined };
    },
    [Symbol.asyncIterator]() {
      return iterator;
    },
  };
  return iterator;
}

// ---------------------------------------------------------------------------------------------------------
// Header

/** Header text as the layout reports it: single spaces, no line breaks. */
function headerText(cell: CellValue): string {
  return typeof cell === 'string' ? cell.normalize('NFC').replace(/[\s\u00a0]+/g, ' ').trim() : '';
}

function overrideIndex<F extends string>(overrides: Record<string, F>): Map<string, F> {
  return new Map(Object.entries(overrides).map(([header, field]) => [matchKey(header), field]));
}

function fieldsOf<F extends string>(cells: CellValue[], spec: ColumnSpec<F>, overrides: Map<string, F>): Set<F> {
  const found = new Set<F>();
  for (const cell of cells) {
    const text = headerText(cell);
    if (text === '') continue;
    const field = overrides.get(matchKey(text)) ?? fieldOfHeader(text, spec);
    if (field !== undefined) found.add(field);
  }
  return found;
}

/** The row among the first ones that names the most known columns, the required ones included. */
function findHeader<F extends string>(
  path: string,
  head: RawRow[],
  spec: ColumnSpec<F>,
  overrides: Record<string, F>,
): RawRow {
  const index = overrideIndex(overrides);
  const candidates = head.filter((row) => !isBlankRow(row.cells)).slice(0, HEADER_SEARCH_ROWS);
  if (candidates.length === 0) throw new InputError(path, 'tệp không có dữ liệu (không có dòng nào có nội dung)');
  let best: { row: RawRow; fields: Set<F> } | undefined;
  let closest: { row: RawRow; fields: Set<F> } | undefined;
  for (const row of candidates) {
    const fields = fieldsOf(row.cells, spec, index);
    if (!closest || fields.size > closest.fields.size) closest = { row, fields };
    if (spec.required.every((field) => fields.has(field)) && (!best || fields.size > best.fields.size)) {
      best = { row, fields };
    }
  }
  if (best) return best.row;
  // No row has the required columns: show the row most like a header, to help write a --map.
  const shown =
    closest && closest.fields.size > 0
      ? closest
      : {
          row: candidates.reduce((a, b) => (textCells(b.cells) > textCells(a.cells) ? b : a)),
          fields: new Set<F>(),
        };
  const missing = spec.required.filter((field) => !shown.fields.has(field));
  const accepted = missing
    .map((field) => `cột "${field}" (tên được chấp nhận: ${spec.aliases[field].map((a) => `"${a}"`).join(', ')})`)
    .join(' và ');
  const headers = shown.row.cells.map(headerText).filter((text) => text !== '');
  throw new InputError(
    path,
    `không tìm thấy ${accepted}; các cột có trong tệp (dòng ${shown.row.rowNumber}): ` +
      `${headers.map((h) => `"${h}"`).join(', ') || '(không có)'}; ` +
      `dùng --map "Tên cột trong tệp=trường" hoặc --profile để chỉ rõ cột`,
  );
}

function textCells(cells: CellValue[]): number {
  return cells.filter((cell) => headerText(cell) !== '').length;
}

// ---------------------------------------------------------------------------------------------------------
// Columns and rows

interface ColumnPlan<F extends string> {
  layout: Omit<TableLayout<F>, 'headerRowNumber'>;
  isFooter(cells: CellValue[]): boolean;
  map(row: RawRow): MappedRow<F>;
}

function planColumns<F extends string>(
  headerCells: CellValue[],
  spec: ColumnSpec<F>,
  overrides: Record<string, F>,
): ColumnPlan<F> {
  const overrideByKey = overrideIndex(overrides);
  const overridesUsed = new Set<string>();
  const texts = headerCells.map(headerText);
  const fieldAt = new Map<number, F>();
  const taken = new Set<F>();
  const personal: string[] = [];
  const ignored: string[] = [];

  // Overrides first, so that a column named on the command line wins over one recognised by its alias.
  texts.forEach((text, column) => {
    const field = text === '' ? undefined : overrideByKey.get(matchKey(text));
    if (field !== undefined && !taken.has(field)) {
      fieldAt.set(column, field);
      taken.add(field);
      overridesUsed.add(matchKey(text));
    }
  });
  texts.forEach((text, column) => {
    if (text === '' || fieldAt.has(column)) return;
    const field = overrideByKey.get(matchKey(text)) ?? fieldOfHeader(text, spec);
    if (field !== undefined && !taken.has(field)) {
      fieldAt.set(column, field);
      taken.add(field);
    } else if (field === undefined && isPersonalHeader(text)) {
      personal.push(text);
    } else {
      // Unknown columns, the STT column, and a second column for a field already taken.
      ignored.push(text);
    }
  });

  const columns = [...fieldAt.keys()].sort((a, b) => a - b);
  const fields = columns.map((column) => fieldAt.get(column) as F);
  const headers = columns.map((column) => uniqueHeader(texts[column], column, texts));
  const required = columns.filter((column) => spec.required.includes(fieldAt.get(column) as F));
  const headerKeys = columns.map((column) => matchKey(texts[column]));
  const rawHeaders = columns.map((column) => String(headerCells[column]).trim());
  const mapped: Record<string, F> = {};
  headers.forEach((header, i) => (mapped[header] = fields[i]));
  const overridesNotFound = Object.keys(overrides).filter((header) => !overridesUsed.has(matchKey(header)) && !headerKeys.includes(matchKey(header)));

  // Set once a total or signature line is met: from then on a row of one or two cells is a signer's name, not
  // a dossier; fuller rows are still read as data.
  let afterSignatures = false;
  return {
    layout: { mapped, personalColumnsDropped: personal, ignored, overridesNotFound },
    isFooter(cells) {
      let filled = 0;
      for (let i = 0; i < cells.length; i++) if (!isEmpty(cells[i])) filled++;
      if (filled === 0) return true;
      let mappedFilled = false;
      for (let i = 0; i < columns.length && !mappedFilled; i++) mappedFilled = !isEmpty(cells[columns[i]]);
      if (!mappedFilled) return true;
      if (filled <= 2) {
        let requiredFilled = false;
        for (const column of required) if (!isEmpty(cells[column])) requiredFilled = true;
        if (!requiredFilled || afterSignatures) return true;
      }
      if (isFooterText(cells, filled)) {
        // The signers' names come under the signature lines, often in the columns of the code and dates.
        afterSignatures = true;
        return true;
      }
      return isRepeatedHeader(cells, columns, rawHeaders) || isColumnNumbering(cells, filled);
    },
    map(row) {
      const cells = row.cells;
      const values: Partial<Record<F, CellValue>> = {};
      for (let i = 0; i < columns.length; i++) {
        const cell = cells[columns[i]];
        values[fields[i]] = cell === undefined || isEmpty(cell) ? null : cell;
      }
      return new Row(row.rowNumber, values, fields, headers);
    },
  };
}

/**
 * A mapped row. `original` is built only when asked for (for the few rows that are rejected): it holds the
 * cells of the recognised columns by the file's headers. Columns that were not recognised are left out even
 * when they look harmless, since free text ("Ghi chú", "Trích yếu") often carries names and phone numbers.
 */
class Row<F extends string> implements MappedRow<F> {
  constructor(
    readonly rowNumber: number,
    readonly values: Partial<Record<F, CellValue>>,
    private readonly fields: F[],
    private readonly headers: string[],
  ) {}

  get original(): Record<string, CellValue> {
    const original: Record<string, CellValue> = {};
    for (let i = 0; i < this.fields.length; i++) original[this.headers[i]] = this.values[this.fields[i]] ?? null;
    return original;
  }

  toJSON() {
    return { rowNumber: this.rowNumber, values: this.values, original: this.original };
  }
}

/** A header as a key of `original`: made unique if the file repeats it. */
function uniqueHeader(text: string, column: number, texts: string[]): string {
  const same = texts.slice(0, column).filter((t) => t === text).length;
  return same === 0 ? text : `${text} (${same + 1})`;
}

function isEmpty(cell: CellValue | undefined): boolean {
  if (cell === null || cell === undefined) return true;
  if (typeof cell !== 'string') return false;
  const first = cell.charCodeAt(0);
  if (first > 32 && first !== 160) return false;
  return cell.trim() === '';
}

function isBlankRow(cells: CellValue[]): boolean {
  for (let i = 0; i < cells.length; i++) if (!isEmpty(cells[i])) return false;
  return true;
}

// Matched on NFC lower-case text (cheaper than matchKey on every row): none of these words has a vowel pair
// whose tone mark can sit in two places.
const FOOTER_STARTS = [
  'tổng', 'cộng', 'người lập', 'người tổng hợp', 'người ký', 'thủ trưởng', 'lãnh đạo', 'xác nhận', 'ký', 'kí',
  '(ký', '(kí', 'ghi chú', 'nơi nhận', 'kt.', 'kt ', 'tm.', 'tm ', 't/m', 'q.', 'chủ tịch', 'phó chủ tịch',
  'giám đốc', 'phó giám đốc', 'trưởng phòng', 'phó trưởng phòng', 'chánh văn phòng', 'văn phòng', 'trưởng bộ phận',
  'đã ký',
].map((word) => word.normalize('NFC'));
// "Hạ Hoà, ngày 05 tháng 4 năm 2021" and the blank form "ngày ... tháng ... năm ...".
const DATED_LINE = new RegExp('ngày\\s*[\\d.…_ ]+\\s*tháng\\s*[\\d.…_ ]+\\s*năm'.normalize('NFC'));

// The first characters of FOOTER_STARTS that are ASCII, lower-cased. A cell that begins with another ASCII
// character that is not white space (a row number, a dossier code, a date) starts with none of the words: neither
// NFC nor lower-casing turns a leading ASCII character into one of these.
const FOOTER_FIRST_ASCII = new Set(FOOTER_STARTS.map((word) => word.charCodeAt(0)).filter((c) => c < 128));

function footerText(cell: CellValue): boolean {
  if (typeof cell !== 'string') return false;
  const first = cell.charCodeAt(0);
  // Every row is tested: most cells are settled here without normalising them. DATED_LINE needs "ngày", hence
  // an n or N (no other character becomes an n by NFC or lower-casing).
  if (first > 32 && first < 128 && !FOOTER_FIRST_ASCII.has(first | 32)) {
    if (cell.indexOf('n') === -1 && cell.indexOf('N') === -1) return false;
  }
  const text = cell.normalize('NFC').toLowerCase().trimStart();
  return FOOTER_STARTS.some((start) => text.startsWith(start)) || DATED_LINE.test(text);
}

/** Totals and signature lines: two cells at most with such text, or every filled cell being such text. */
function isFooterText(cells: CellValue[], filled: number): boolean {
  let footer = 0;
  for (const cell of cells) {
    if (isEmpty(cell)) continue;
    if (!footerText(cell)) {
      if (filled > 2) return false;
      continue;
    }
    footer++;
  }
  return footer > 0;
}

/** Multi-page exports repeat the header row, as the same system wrote it the first time. */
function isRepeatedHeader(cells: CellValue[], columns: number[], rawHeaders: string[]): boolean {
  let same = 0;
  for (let i = 0; i < columns.length; i++) {
    const cell = cells[columns[i]];
    if (typeof cell === 'string' && cell.length >= rawHeaders[i].length && cell.trim() === rawHeaders[i]) same++;
  }
  return same >= Math.min(2, columns.length);
}

/** The row of column numbers under a header: (1) (2) (3) … */
function isColumnNumbering(cells: CellValue[], filled: number): boolean {
  if (filled < 3) return false;
  for (const cell of cells) {
    if (isEmpty(cell)) continue;
    if (typeof cell === 'number') {
      if (!(Number.isInteger(cell) && cell >= 0 && cell < 100)) return false;
    } else if (typeof cell !== 'string' || !/^\s*\(?\d{1,2}\)?\s*$/.test(cell)) {
      return false;
    }
  }
  return true;
}

