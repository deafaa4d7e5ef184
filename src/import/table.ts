import { matchKey } from '../domain/text.ts';
import { fieldOfHeader, isPersonalHeader, type ColumnSpec } from './columns.ts';
import { openFileSource, type FileFormat, type OpenOptions, type SheetSource } from './readers/index.ts';
import { InputError, type CellValue, type MappedRow, type RawRow, type SheetLayout, type TableLayout } from './types.ts';

// From the rows of a file to mapped rows: find the header among the title rows, map its columns, drop the
// personal ones, and tell data rows from the totals, signatures and blank lines around them.

/** The header is looked for among this many first non-blank rows of each sheet. */
const HEADER_SEARCH_ROWS = 30;

export interface TableStats {
  /** Blank rows, totals, signature lines, repeated headers below the header: skipped, not rejected. */
  footerRowsSkipped: number;
  /** Data rows returned. */
  rowsRead: number;
}

export interface TableOptions<F extends string> {
  /** Header of the file → field (--map, a profile): takes precedence over the aliases. */
  overrides?: Record<string, F>;
  /** --sheet: the sheets to read, by name or 1-based number; by default every visible sheet with a header. */
  sheets?: readonly string[];
  /** How the file is opened (--encoding). */
  open?: OpenOptions;
}

export interface OpenedTable<F extends string> {
  layout: TableLayout<F>;
  /** The data rows of every sheet read, sheet after sheet; can be iterated once (use either rows or rowBatches). */
  rows: AsyncIterable<MappedRow<F>>;
  /** The same data rows in batches (a batch never spans two sheets), for a caller that wants fewer awaits per row. */
  rowBatches: AsyncIterable<MappedRow<F>[]>;
  /** Filled as rows are iterated. */
  stats: TableStats;
  /** The file's SHA-256 (hex), once the rows have been read. */
  sha256(): Promise<string>;
  /** Releases the file when the rows are not read to the end. */
  close(): Promise<void>;
}

/** A sheet whose header was found: its column plan and its rows from just below the header. */
interface SheetToRead<F extends string> {
  sheet: SheetSource;
  plan: ColumnPlan<F>;
  /** Rows read while looking for the header, below it. */
  rest: RawRow[];
  source: AsyncIterator<RawRow[]>;
  ended: boolean;
}

/**
 * Opens a file as a table of the columns of `spec`: every sheet whose header names the required columns, in the
 * workbook's order (hidden sheets and sheets without such a header are skipped, and the layout says why), or the
 * sheets of `options.sheets`. Throws InputError when the file cannot be read or no sheet has such a header.
 */
export async function openTable<F extends string>(
  path: string,
  spec: ColumnSpec<F>,
  options: TableOptions<F> = {},
): Promise<OpenedTable<F>> {
  const overrides = options.overrides ?? {};
  const file = await openFileSource(path, options.open);
  const toRead: Array<SheetToRead<F>> = [];
  const release = async () => {
    for (const sheet of toRead) await sheet.source.return?.(undefined).catch(() => undefined);
    await file.close();
  };
  try {
    const chosen = chooseSheets(path, file.sheets, options.sheets);
    const sheets: SheetLayout[] = [];
    const misses: HeaderMiss<F>[] = [];
    for (const sheet of file.sheets) {
      const where = { name: sheet.name, number: sheet.number, hidden: sheet.hidden };
      if (chosen && !chosen.has(sheet)) {
        sheets.push({ ...where, read: false, skipped: 'không được chọn (--sheet)' });
        continue;
      }
      if (!chosen && sheet.hidden) {
        sheets.push({ ...where, read: false, skipped: 'trang ẩn' });
        continue;
      }
      const source = sheet.rows()[Symbol.asyncIterator]();
      const { head, ended } = await readHead(source);
      const found = findHeader(head, spec, overrides);
      if ('miss' in found) {
        await source.return?.(undefined);
        misses.push({ sheet, ...found.miss });
        sheets.push({ ...where, read: false, skipped: found.miss.blank ? 'trang trống' : 'không có dòng tiêu đề' });
        continue;
      }
      const plan = planColumns(found.header.names, found.header.rawTexts, spec, overrides, file.format === 'csv' ? found.header.width : undefined);
      toRead.push({ sheet, plan, rest: head.slice(found.header.nextIndex), source, ended });
      sheets.push({
        ...where, read: true, headerRowNumber: found.header.rowNumber, headerRows: found.header.rows,
        mapped: plan.layout.mapped, personalColumnsDropped: plan.layout.personalColumnsDropped, ignored: plan.layout.ignored,
      });
    }
    if (toRead.length === 0) throw noHeaderError(path, spec, misses, file.sheets.length, chosen !== undefined);
    if (chosen) {
      const unreadable = misses.find((miss) => chosen.has(miss.sheet));
      if (unreadable) throw noHeaderError(path, spec, [unreadable], file.sheets.length, true);
    }

    const stats: TableStats = { footerRowsSkipped: 0, rowsRead: 0 };
    async function* rowBatches(): AsyncGenerator<MappedRow<F>[]> {
      try {
        for (const sheet of toRead) {
          const name = file.sheets.length > 1 ? sheet.sheet.name ?? `${sheet.sheet.number}` : undefined;
          let batch: RawRow[] | undefined = sheet.rest;
          while (batch !== undefined) {
            const mapped: MappedRow<F>[] = [];
            for (const row of batch) {
              if (sheet.plan.isFooter(row.cells)) stats.footerRowsSkipped++;
              else mapped.push(sheet.plan.map(row, name));
            }
            stats.rowsRead += mapped.length;
            if (mapped.length > 0) yield mapped;
            if (sheet.ended) break;
            const next = await sheet.source.next();
            batch = next.done ? undefined : next.value;
          }
        }
      } finally {
        await release();
      }
    }
    const batches = rowBatches();
    return {
      layout: fileLayout(file.format, file.encoding, sheets, overrides, toRead),
      rowBatches: batches,
      rows: flatten(batches),
      stats,
      sha256: () => file.sha256(),
      close: async () => {
        await batches.return(undefined);
        await release();
      },
    };
  } catch (error) {
    await release().catch(() => undefined);
    throw error;
  }
}

/** The first rows of a sheet, up to HEADER_SEARCH_ROWS non-blank ones (whole batches). */
async function readHead(source: AsyncIterator<RawRow[]>): Promise<{ head: RawRow[]; ended: boolean }> {
  const head: RawRow[] = [];
  let nonBlank = 0;
  while (nonBlank < HEADER_SEARCH_ROWS) {
    const next = await source.next();
    if (next.done) return { head, ended: true };
    for (const row of next.value) {
      head.push(row);
      if (!isBlankRow(row.cells)) nonBlank++;
    }
  }
  return { head, ended: false };
}

/** The sheets named by --sheet (by name as matchKey compares, or by number), or undefined for "choose by itself". */
function chooseSheets(path: string, sheets: SheetSource[], wanted: readonly string[] | undefined): Set<SheetSource> | undefined {
  if (!wanted || wanted.length === 0) return undefined;
  const chosen = new Set<SheetSource>();
  for (const text of wanted) {
    const byName = sheets.find((sheet) => sheet.name !== undefined && matchKey(sheet.name) === matchKey(text));
    const number = /^\s*\d+\s*$/.test(text) ? Number(text) : undefined;
    const sheet = byName ?? sheets.find((s) => s.number === number);
    if (!sheet) {
      throw new InputError(path, `không có trang "${text}" (--sheet); các trang của tệp: ${sheetList(sheets)}`);
    }
    chosen.add(sheet);
  }
  return chosen;
}

function sheetList(sheets: SheetSource[]): string {
  return sheets.map((sheet) => `${sheet.number}. ${sheetName(sheet)}${sheet.hidden ? ' (ẩn)' : ''}`).join(', ');
}

function sheetName(sheet: { name: string | undefined; number: number }): string {
  return sheet.name === undefined ? `trang ${sheet.number}` : `'${sheet.name}'`;
}

/** The file's layout: each sheet's, and the columns of the sheets read taken together. */
function fileLayout<F extends string>(
  format: FileFormat,
  encoding: string | undefined,
  sheets: SheetLayout[],
  overrides: Record<string, F>,
  read: Array<SheetToRead<F>>,
): TableLayout<F> {
  const union = (pick: (layout: ColumnPlan<F>['layout']) => string[]) => [...new Set(read.flatMap((sheet) => pick(sheet.plan.layout)))];
  const mapped: Record<string, F> = {};
  for (const sheet of read) Object.assign(mapped, sheet.plan.layout.mapped);
  const used = new Set(read.flatMap((sheet) => [...sheet.plan.overridesUsed]));
  return {
    format,
    encoding,
    sheets,
    headerRowNumber: sheets.find((sheet) => sheet.read)?.headerRowNumber ?? 0,
    mapped,
    fields: [...new Set(read.flatMap((sheet) => Object.values(sheet.plan.layout.mapped) as F[]))],
    personalColumnsDropped: union((layout) => layout.personalColumnsDropped),
    ignored: union((layout) => layout.ignored),
    overridesNotFound: Object.keys(overrides).filter((header) => !used.has(matchKey(header))),
  };
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
function headerText(cell: CellValue | undefined): string {
  return typeof cell === 'string' ? cell.normalize('NFC').replace(/[\s\u00a0]+/g, ' ').trim() : '';
}

function overrideIndex<F extends string>(overrides: Record<string, F>): Map<string, F> {
  return new Map(Object.entries(overrides).map(([header, field]) => [matchKey(header), field]));
}

/** A header found: each column's name (the text that names its field, '' for none) and where the data starts. */
interface FoundHeader {
  rowNumber: number;
  /** 1 for a one-row header; 2 for a group row over a row of sub-headers. */
  rows: 1 | 2;
  names: string[];
  /** Each column's header texts as the file writes them (for telling a repeated header from data). */
  rawTexts: string[][];
  /** Index in the head of the first row below the header. */
  nextIndex: number;
  /** The header's number of cells (of its last row, for two). */
  width: number;
}

/** Why a sheet has no header: the row most like one, to show the user what was seen. */
interface HeaderMiss<F extends string> {
  sheet: SheetSource;
  blank: boolean;
  rowNumber?: number;
  headers: string[];
  fields: Set<F>;
}

/**
 * The column names a header of one row, or of a group row over a sub-header row, gives. For a column under a
 * group (a merged cell over several columns keeps its text in the first one), the name is the sub-header when
 * that names a field, else the group and the sub-header together ("Ngày" + "Tiếp nhận" → "Ngày Tiếp nhận"); a
 * column whose cell spans both rows (sub-header empty) is named by its top cell.
 */
function columnNames<F extends string>(
  top: CellValue[],
  sub: CellValue[] | undefined,
  fieldOf: (text: string) => F | undefined,
): string[] {
  const width = Math.max(top.length, sub?.length ?? 0);
  const names: string[] = [];
  let group = '';
  for (let column = 0; column < width; column++) {
    const upper = headerText(top[column]);
    if (!sub) {
      names.push(upper);
      continue;
    }
    const lower = headerText(sub[column]);
    if (upper !== '') group = lower === '' ? '' : upper;
    if (lower === '') {
      names.push(upper);
      continue;
    }
    const combined = group === '' ? lower : `${group} ${lower}`;
    names.push(fieldOf(lower) !== undefined ? lower : combined);
  }
  return names;
}

/** A row that can be a row of sub-headers: text cells only. */
function isTextRow(cells: CellValue[]): boolean {
  for (const cell of cells) if (cell !== null && cell !== undefined && typeof cell !== 'string') return false;
  return true;
}

/**
 * The header among a sheet's first rows: the row, or the pair of a group row and its sub-header row, that names
 * the most known columns, the required ones included; a pair is taken only when it names more than its top row.
 */
function findHeader<F extends string>(
  head: RawRow[],
  spec: ColumnSpec<F>,
  overrides: Record<string, F>,
): { header: FoundHeader } | { miss: Omit<HeaderMiss<F>, 'sheet'> } {
  const index = overrideIndex(overrides);
  const fieldOf = (text: string) => (text === '' ? undefined : (index.get(matchKey(text)) ?? fieldOfHeader(text, spec)));
  const fieldsOf = (names: string[]) => {
    const found = new Set<F>();
    for (const name of names) {
      const field = fieldOf(name);
      if (field !== undefined) found.add(field);
    }
    return found;
  };
  const candidates = head.map((row, i) => ({ row, i })).filter(({ row }) => !isBlankRow(row.cells)).slice(0, HEADER_SEARCH_ROWS);
  if (candidates.length === 0) return { miss: { blank: true, headers: [], fields: new Set() } };
  let best: { header: FoundHeader; fields: Set<F> } | undefined;
  let closest: { row: RawRow; names: string[]; fields: Set<F> } | undefined;
  const hasRequired = (fields: Set<F>) => spec.required.every((field) => fields.has(field));
  for (const { row, i } of candidates) {
    const names = columnNames(row.cells, undefined, fieldOf);
    const fields = fieldsOf(names);
    if (!closest || fields.size > closest.fields.size) closest = { row, names, fields };
    let header: FoundHeader = {
      rowNumber: row.rowNumber, rows: 1, names, rawTexts: names.map((n) => [n]), nextIndex: i + 1, width: row.cells.length,
    };
    let headerFields = fields;
    const below = head[i + 1];
    // A group row has a cell above each group and the cells that span both rows: two at least (a title row
    // above a one-row header has one).
    if (below && below.rowNumber === row.rowNumber + 1 && textCells(row.cells) >= 2 && !isBlankRow(below.cells) && isTextRow(below.cells)) {
      const pairNames = columnNames(row.cells, below.cells, fieldOf);
      const pairFields = fieldsOf(pairNames);
      if (pairFields.size > fields.size && pairFields.size > fieldsOf(columnNames(below.cells, undefined, fieldOf)).size) {
        if (!closest || pairFields.size > closest.fields.size) closest = { row, names: pairNames, fields: pairFields };
        const rawTexts = pairNames.map((_, c) => [headerText(row.cells[c]), headerText(below.cells[c])].filter((t) => t !== ''));
        header = { rowNumber: row.rowNumber, rows: 2, names: pairNames, rawTexts, nextIndex: i + 2, width: below.cells.length };
        headerFields = pairFields;
      }
    }
    if (hasRequired(headerFields) && (!best || headerFields.size > best.fields.size)) best = { header, fields: headerFields };
  }
  if (best) return { header: best.header };
  const shown =
    closest && closest.fields.size > 0
      ? closest
      : (() => {
          const row = candidates.map((c) => c.row).reduce((a, b) => (textCells(b.cells) > textCells(a.cells) ? b : a));
          return { row, names: columnNames(row.cells, undefined, fieldOf), fields: new Set<F>() };
        })();
  return { miss: { blank: false, rowNumber: shown.row.rowNumber, headers: shown.names.filter((n) => n !== ''), fields: shown.fields } };
}

/** No sheet to read: the required columns that were not found, and what each sheet has instead. */
function noHeaderError<F extends string>(
  path: string,
  spec: ColumnSpec<F>,
  misses: Array<HeaderMiss<F>>,
  sheetCount: number,
  byHand: boolean,
): InputError {
  // The cells of a row are shown only when it names a known column, so is a header: a row that names none may
  // be a row of data, and its cells names or phone numbers.
  const seen = (miss: HeaderMiss<F>) =>
    miss.blank
      ? 'trang trống'
      : miss.fields.size === 0
        ? 'không dòng nào trong 30 dòng đầu có tên cột nhận ra được'
        : `các cột có trong tệp (dòng ${miss.rowNumber}): ${miss.headers.map((h) => `"${h}"`).join(', ') || '(không có)'}`;
  const hint = 'dùng --map "Tên cột trong tệp=trường" hoặc --profile để chỉ rõ cột';
  const accepted = (fields: Set<F>) =>
    spec.required
      .filter((field) => !fields.has(field))
      .map((field) => `cột "${field}" (tên được chấp nhận: ${spec.aliases[field].map((a) => `"${a}"`).join(', ')})`)
      .join(' và ');
  if (misses.length === 1 && (sheetCount === 1 || byHand)) {
    const [miss] = misses;
    if (miss.blank) return new InputError(path, sheetCount === 1 ? 'tệp không có dữ liệu (không có dòng nào có nội dung)' : `trang ${sheetName(miss.sheet)} không có dữ liệu`, undefined, miss.sheet.name);
    return new InputError(path, `không tìm thấy ${accepted(miss.fields)}; ${seen(miss)}; ${hint}`, undefined, sheetCount > 1 ? miss.sheet.name : undefined);
  }
  const required = spec.required.map((field) => `"${spec.aliases[field][0]}"`).join(', ');
  const perSheet = misses.length
    ? misses.map((miss) => `trang ${sheetName(miss.sheet)}${miss.sheet.hidden ? ' (ẩn)' : ''}: ${seen(miss)}`).join('; ')
    : 'mọi trang đều bị ẩn';
  return new InputError(path, `không trang nào có dòng tiêu đề với các cột ${required}: ${perSheet}; ${hint}; hoặc chọn trang bằng --sheet`);
}

function textCells(cells: CellValue[]): number {
  return cells.filter((cell) => headerText(cell) !== '').length;
}

// ---------------------------------------------------------------------------------------------------------
// Columns and rows

interface ColumnPlan<F extends string> {
  layout: Pick<TableLayout<F>, 'mapped' | 'personalColumnsDropped' | 'ignored'>;
  /** Match keys of the overrides this sheet used. */
  overridesUsed: Set<string>;
  isFooter(cells: CellValue[]): boolean;
  map(row: RawRow, sheet: string | undefined): MappedRow<F>;
}

function planColumns<F extends string>(
  texts: string[],
  rawTexts: string[][],
  spec: ColumnSpec<F>,
  overrides: Record<string, F>,
  /** For a CSV file, the header's number of cells: a row with another number of cells cannot be read. */
  width?: number,
): ColumnPlan<F> {
  const overrideByKey = overrideIndex(overrides);
  const overridesUsed = new Set<string>();
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

  // A field the file has no column for, read from the column of its stand-in (ColumnSpec.standIns).
  for (const [field, standIn] of Object.entries(spec.standIns ?? {}) as Array<[F, F]>) {
    if (taken.has(field)) continue;
    const column = [...fieldAt].find(([c, f]) => f === standIn && !overrideByKey.has(matchKey(texts[c])))?.[0];
    if (column === undefined) continue;
    fieldAt.set(column, field);
    taken.delete(standIn);
    taken.add(field);
  }
  const columns = [...fieldAt.keys()].sort((a, b) => a - b);
  const fields = columns.map((column) => fieldAt.get(column) as F);
  const headers = columns.map((column) => uniqueHeader(texts[column], column, texts));
  const required = columns.filter((column) => spec.required.includes(fieldAt.get(column) as F));
  const columnTexts = columns.map((column) => rawTexts[column] ?? []);
  const firstChars = headerFirstChars(columnTexts);
  const mapped: Record<string, F> = {};
  headers.forEach((header, i) => (mapped[header] = fields[i]));

  // Set once a total or signature line is met: from then on a row of one or two cells is a signer's name, not
  // a dossier; fuller rows are still read as data.
  let afterSignatures = false;
  return {
    layout: { mapped, personalColumnsDropped: personal, ignored },
    overridesUsed,
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
      return isRepeatedHeader(cells, columns, columnTexts, firstChars) || isColumnNumbering(cells, filled);
    },
    map(row, sheet) {
      const cells = row.cells;
      if (width !== undefined && (cells.length < width || hasCellFrom(cells, width))) {
        return new Row(row.rowNumber, sheet, {}, [], [], `số ô không khớp dòng tiêu đề (${cells.length} ô, tiêu đề có ${width} cột), không đọc dòng này`);
      }
      const values: Partial<Record<F, CellValue>> = {};
      for (let i = 0; i < columns.length; i++) {
        const cell = cells[columns[i]];
        values[fields[i]] = cell === undefined || isEmpty(cell) ? null : cell;
      }
      return new Row(row.rowNumber, sheet, values, fields, headers);
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
    readonly sheet: string | undefined,
    readonly values: Partial<Record<F, CellValue>>,
    private readonly fields: F[],
    private readonly headers: string[],
    readonly malformed?: string,
  ) {}

  get original(): Record<string, CellValue> {
    const original: Record<string, CellValue> = {};
    for (let i = 0; i < this.fields.length; i++) {
      const value = this.values[this.fields[i]] ?? null;
      // No stored text is longer than this: a cell can hold a whole document pasted by mistake.
      original[this.headers[i]] = typeof value === 'string' && value.length > MAX_STORED_TEXT ? `${value.slice(0, MAX_STORED_TEXT - 1)}…` : value;
    }
    return original;
  }

  toJSON() {
    return { rowNumber: this.rowNumber, sheet: this.sheet, values: this.values, original: this.original };
  }
}

/** The longest text of a rejected row's cell that is stored. */
const MAX_STORED_TEXT = 1000;

/** A header as a key of `original`: made unique if the file repeats it. */
function uniqueHeader(text: string, column: number, texts: string[]): string {
  const same = texts.slice(0, column).filter((t) => t === text).length;
  return same === 0 ? text : `${text} (${same + 1})`;
}

/** A cell with a value at `from` or after it. */
function hasCellFrom(cells: CellValue[], from: number): boolean {
  for (let i = from; i < cells.length; i++) if (!isEmpty(cells[i])) return true;
  return false;
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

/**
 * Multi-page exports repeat the header row (or either row of a two-row header), as the system wrote it first.
 * Every row is tested: a cell is normalised only when its first character is one a header of its column starts
 * with (in NFC or NFD), which a dossier's code, date or name almost never is.
 */
function isRepeatedHeader(cells: CellValue[], columns: number[], columnTexts: string[][], firstChars: Array<Set<number>>): boolean {
  let same = 0;
  for (let i = 0; i < columns.length; i++) {
    const cell = cells[columns[i]];
    if (typeof cell !== 'string' || cell.length === 0) continue;
    const first = cell.charCodeAt(0) > 32 ? cell.charCodeAt(0) : cell.trimStart().charCodeAt(0);
    if (firstChars[i].has(first) && columnTexts[i].includes(headerText(cell))) same++;
  }
  return same >= Math.min(2, columns.length);
}

/** The first characters the header texts of each column start with, in NFC and in NFD. */
function headerFirstChars(columnTexts: string[][]): Array<Set<number>> {
  return columnTexts.map((texts) => new Set(texts.flatMap((text) => [text.charCodeAt(0), text.normalize('NFD').charCodeAt(0)])));
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

