import { UncomputedFormula, type CellValue, type RawRow } from '../types.ts';
import {
  attributeValue, cellText, decodeEntities, isSpace, latin1, MAX_CELL_BYTES, NAME, nameId, skipSpecial, tagEnd, TextBytes, utf8,
  XlsxFormatError,
} from './xlsx-xml.ts';

// The rows of one worksheet part (xl/worksheets/sheetN.xml), read straight from its inflated bytes. Building
// exceljs Row and Cell objects (and a SAX event per tag) for every cell made a large export read at under 30,000
// rows/s, and decoding the whole sheet to JS strings first cost as much again: the scanner works on the bytes and
// makes a string only for a cell's text. The sheet grammar needed is small: <row r>, <c r s t>, <v>, <f>,
// <is><t>, optional namespace prefixes. The row and cell being read stay open across chunks: a tag or a short
// text cut by the end of a chunk is scanned again whole with the next one, and only a long text (a cell of
// megabytes) is taken in pieces, up to MAX_CELL_BYTES, so that a cell costs at most that much whatever its size.

/** What the scanner needs from the rest of the workbook. */
export interface WorkbookParts {
  /** The shared string at an index as a cell value (null when empty or missing). */
  sharedString(index: number): CellValue;
  /** Whether a cell style (by index) shows numbers as dates. */
  isDateStyle(styleIndex: number): boolean;
  date1904: boolean;
}

const MS_PER_DAY = 86_400_000;
// Excel serial 25569 is 1970-01-01; the 1904 system starts 1462 days later.
const UNIX_EPOCH_SERIAL = 25569;
const DATE1904_OFFSET = 1462;

// Cell types (the t attribute).
const T_NUMBER = 0;
const T_SHARED = 1;
const T_TEXT = 2; // inlineStr, str, e
const T_BOOLEAN = 3;
const T_DATE = 4; // d: an ISO 8601 date and time as text

// How the text of the cell being read (its value, or its formula) is held.
const TEXT_NONE = 0;
const TEXT_RANGE = 1; // one run: bytes start..end of the chunk being scanned, entities still escaped
const TEXT_BYTES = 2; // several runs, CDATA, or a text that went on past a chunk: copied into a TextBytes

/** An unfinished text run shorter than this is scanned again with the next chunk, a longer one taken in pieces. */
const SHORT_RUN = 64 * 1024;

/** The value or formula text of the cell being read: a range of the chunk at hand, or bytes copied out of it. */
class CellText {
  mode = TEXT_NONE;
  start = 0;
  end = 0;
  readonly bytes = new TextBytes();

  reset(): void {
    if (this.mode === TEXT_BYTES) this.bytes.reset();
    this.mode = TEXT_NONE;
  }

  add(buf: Buffer, start: number, end: number): void {
    if (this.mode === TEXT_NONE) {
      this.mode = TEXT_RANGE;
      this.start = start;
      this.end = end;
      return;
    }
    this.toBytes(buf);
    this.bytes.append(buf, start, end);
  }

  addCdata(buf: Buffer, start: number, end: number): void {
    this.toBytes(buf);
    this.bytes.appendCdata(buf, start, end);
  }

  /** Copies a range out of `buf` before the chunk goes. */
  toBytes(buf: Buffer): void {
    if (this.mode === TEXT_BYTES) return;
    this.bytes.reset();
    if (this.mode === TEXT_RANGE) this.bytes.append(buf, this.start, this.end);
    this.mode = TEXT_BYTES;
  }

  isEmpty(): boolean {
    return this.mode === TEXT_NONE || (this.mode === TEXT_RANGE ? this.start === this.end : this.bytes.length === 0);
  }

  /** The raw text (entities still escaped), at most MAX_CELL_BYTES of it. */
  raw(buf: Buffer): string {
    if (this.mode === TEXT_RANGE) return utf8(buf, this.start, Math.min(this.end, this.start + MAX_CELL_BYTES));
    return this.mode === TEXT_BYTES ? this.bytes.raw() : '';
  }
}

/** An Excel serial date-time as a Date whose UTC fields are the wall-clock time the cell shows (as exceljs does). */
export function serialToDate(serial: number, date1904: boolean): Date {
  return new Date(Math.round((serial - UNIX_EPOCH_SERIAL + (date1904 ? DATE1904_OFFSET : 0)) * MS_PER_DAY));
}

export class SheetXmlScanner {
  private carry: Buffer | null = null;
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  private rows: RawRow[] = [];

  private rowNumber = 0;
  private cells: CellValue[] | null = null;
  private anyValue = false;

  private inCell = false;
  private column = -1;
  private style = 0;
  private type = T_NUMBER;
  private readonly text = new CellText();
  /** Collecting text: inside <v>, or inside <t> of an inline string (not of its phonetic run). */
  private collecting = false;
  private inPhonetic = false;

  /** The cell has a <v>, even an empty one. */
  private hasValue = false;
  /** The cell has an <f>: a formula, whose text is kept in case the cell has no computed value. */
  private hasFormula = false;
  private inFormula = false;
  private readonly formula = new CellText();
  /** The shared-formula group (si) of the cell's <f t="shared">, or -1. */
  private sharedFormula = -1;
  /** The text of each shared formula, by si, from the group's first cell (the others carry none). */
  private readonly sharedFormulas = new Map<number, string>();

  constructor(private readonly parts: WorkbookParts) {}

  private started = false;

  /** Scans a piece of the sheet and returns the rows completed in it. */
  push(chunk: Buffer): RawRow[] {
    if (!this.started) this.checkStart(chunk);
    let buf = chunk;
    if (this.carry) {
      // What was cut by the end of the last chunk is scanned again once at least as many new bytes have come as
      // it has, so that a huge tag costs a few rescans, not one per chunk.
      this.pending.push(chunk);
      this.pendingBytes += chunk.length;
      if (this.pendingBytes < this.carry.length) return [];
      buf = Buffer.concat([this.carry, ...this.pending]);
      this.pending = [];
      this.pendingBytes = 0;
    }
    const stop = this.scan(buf);
    this.carry = stop < buf.length ? buf.subarray(stop) : null;
    const rows = this.rows;
    this.rows = [];
    return rows;
  }

  /**
   * The rows completed by the last bytes. Throws an XlsxFormatError when the part ends inside a row or a tag: its
   * XML was cut short (a file damaged where its CRC-32 could not tell, or a writer that stopped half-way).
   */
  end(): RawRow[] {
    if (this.carry && this.pending.length > 0) {
      const buf = Buffer.concat([this.carry, ...this.pending]);
      this.carry = buf.subarray(this.scan(buf));
      if (this.carry.length === 0) this.carry = null;
    }
    if (this.carry || this.cells) throw new XlsxFormatError('phần XML của trang tính bị cắt cụt');
    const rows = this.rows;
    this.rows = [];
    this.carry = null;
    this.pending = [];
    return rows;
  }

  /** A sheet part starts with its XML declaration or root element (after a byte order mark and spaces). */
  private checkStart(chunk: Buffer): void {
    let k = chunk[0] === 0xef && chunk[1] === 0xbb && chunk[2] === 0xbf ? 3 : 0;
    while (k < chunk.length && isSpace(chunk[k])) k++;
    if (k === chunk.length) return;
    this.started = true;
    if (chunk[k] !== 60 /* < */) throw new XlsxFormatError('trang tính không phải XML');
  }

  /** Returns where scanning stopped: the start of an unfinished tag, comment or short text. */
  private scan(buf: Buffer): number {
    const n = buf.length;
    let i = 0;
    while (i < n) {
      if (buf[i] !== 60 /* < */) {
        // Text runs between tags are short: a loop beats Buffer#indexOf's call into C++.
        let lt = i + 1;
        while (lt < n && buf[lt] !== 60) lt++;
        if (lt === n) {
          if (this.collecting || this.inFormula) {
            // A short run is read again whole with the next chunk; a long one is taken as it comes.
            if (n - i < SHORT_RUN) return this.stop(buf, i);
            (this.collecting ? this.text : this.formula).toBytes(buf);
            (this.collecting ? this.text : this.formula).add(buf, i, n);
          }
          return this.stop(buf, n);
        }
        if (this.collecting) this.text.add(buf, i, lt);
        else if (this.inFormula) this.formula.add(buf, i, lt);
        i = lt;
        continue;
      }
      if (i + 1 >= n) return this.stop(buf, i);
      const next = buf[i + 1];
      if (next === 47 /* / */) {
        let gt = i + 2;
        while (gt < n && buf[gt] !== 62) gt++;
        if (gt === n) return this.stop(buf, i);
        this.close(nameId(buf, i + 2, gt), buf);
        i = gt + 1;
      } else if (next === 33 /* ! */ || next === 63 /* ? */) {
        const end = this.special(buf, i);
        if (end === -1) return this.stop(buf, i);
        i = end;
      } else {
        let j = i + 1;
        while (j < n) {
          const code = buf[j];
          if (code === 32 || code === 62 || code === 47 || code === 9 || code === 10 || code === 13) break;
          j++;
        }
        const gt = tagEnd(buf, j);
        if (gt === -1) return this.stop(buf, i);
        const name = nameId(buf, i + 1, j);
        const selfClosing = buf[gt - 1] === 47;
        if (name === NAME.row) this.openRow(buf, j, selfClosing ? gt - 1 : gt);
        else if (name === NAME.c) this.openCell(buf, j, selfClosing ? gt - 1 : gt);
        else if (name === NAME.v) {
          if (this.inCell) {
            this.collecting = true;
            this.hasValue = true;
          }
        } else if (name === NAME.t) {
          if (this.inCell && !this.inPhonetic) this.collecting = true;
        } else if (name === NAME.f) {
          if (this.inCell) this.openFormula(buf, j, selfClosing ? gt - 1 : gt);
        } else if (name === NAME.rPh) this.inPhonetic = true;
        if (selfClosing) this.close(name, buf);
        i = gt + 1;
      }
    }
    return this.stop(buf, n);
  }

  /** Where to go on with the next chunk (`at`); the text of the cell being read is first copied out of `buf`. */
  private stop(buf: Buffer, at: number): number {
    if (this.inCell) {
      if (this.text.mode === TEXT_RANGE) this.text.toBytes(buf);
      if (this.formula.mode === TEXT_RANGE) this.formula.toBytes(buf);
    }
    return at;
  }

  /** Comments, processing instructions, declarations and CDATA; returns the index after it, or -1. */
  private special(buf: Buffer, i: number): number {
    return skipSpecial(buf, i, (from, to) => {
      if (this.collecting) this.text.addCdata(buf, from, to);
      else if (this.inFormula) this.formula.addCdata(buf, from, to);
    });
  }

  private openRow(buf: Buffer, from: number, to: number): void {
    const r = findAttribute(buf, from, to, 114 /* r */);
    this.rowNumber = r === -1 ? this.rowNumber + 1 : parseUint(buf, r, to);
    this.cells = [];
    this.anyValue = false;
    this.column = -1;
    this.inCell = false;
  }

  private openCell(buf: Buffer, from: number, to: number): void {
    if (!this.cells) return;
    let column = -1;
    let style = 0;
    let type = T_NUMBER;
    // The attributes r, s and t, in whatever order.
    let k = from;
    while (k < to) {
      while (k < to && isSpace(buf[k])) k++;
      const nameStart = k;
      while (k < to && buf[k] !== 61 /* = */ && !isSpace(buf[k])) k++;
      const nameEnd = k;
      while (k < to && buf[k] !== 34 && buf[k] !== 39) k++;
      if (k >= to) break;
      const quote = buf[k];
      const valueStart = k + 1;
      let valueEnd = buf.indexOf(quote, valueStart);
      if (valueEnd === -1 || valueEnd > to) valueEnd = to;
      k = valueEnd + 1;
      const attr = localAttribute(buf, nameStart, nameEnd);
      if (attr === 114 /* r */) column = columnIndex(buf, valueStart, valueEnd);
      else if (attr === 115 /* s */) style = parseUint(buf, valueStart, valueEnd);
      else if (attr === 116 /* t */) type = cellType(buf, valueStart, valueEnd);
    }
    this.column = column >= 0 ? column : this.column + 1;
    this.style = style;
    this.type = type;
    this.text.reset();
    this.hasValue = false;
    if (this.hasFormula) {
      this.formula.reset();
      this.hasFormula = false;
      this.sharedFormula = -1;
    }
    this.inCell = true;
  }

  /** <f>, <f t="shared" ref=".." si="0">, <f t="array" ref="..">: the text is collected until </f>. */
  private openFormula(buf: Buffer, from: number, to: number): void {
    this.hasFormula = true;
    this.inFormula = true;
    this.formula.reset();
    if (from < to && attributeValue(buf, from, to, 't') === 'shared') {
      const si = Number(attributeValue(buf, from, to, 'si'));
      this.sharedFormula = Number.isInteger(si) ? si : -1;
    }
  }

  private close(name: number, buf: Buffer): void {
    switch (name) {
      case NAME.v:
      case NAME.t:
        this.collecting = false;
        break;
      case NAME.f:
        this.inFormula = false;
        break;
      case NAME.rPh:
        this.inPhonetic = false;
        break;
      case NAME.c:
        if (this.inCell && this.cells) {
          const value = this.hasFormula ? this.formulaCellValue(buf) : this.cellValue(buf);
          if (value !== null) {
            const cells = this.cells;
            while (cells.length < this.column) cells.push(null);
            cells[this.column] = value;
            this.anyValue = true;
          }
        }
        this.inCell = false;
        this.collecting = false;
        this.inFormula = false;
        break;
      case NAME.row:
        if (this.cells && this.anyValue) this.rows.push({ rowNumber: this.rowNumber, cells: this.cells });
        this.cells = null;
        break;
    }
  }

  /**
   * A formula cell: its computed value (<v>) when the writer saved one. Without one (openpyxl and others write
   * formulas without computing them, with an empty <v></v> or none), its value is unknown: an UncomputedFormula,
   * never an empty cell. A text formula whose computed value is the empty string (t="str" and an empty <v>, as
   * Excel writes =IF(A1="";"";A1)) is an empty cell.
   */
  private formulaCellValue(buf: Buffer): CellValue {
    let formula = this.formula.isEmpty() ? '' : cellText(this.formula.raw(buf));
    if (this.sharedFormula >= 0) {
      // The group's first cell holds its text; the others show it too (as written for the first cell).
      if (formula !== '') this.sharedFormulas.set(this.sharedFormula, formula);
      else formula = this.sharedFormulas.get(this.sharedFormula) ?? '';
    }
    if (!this.text.isEmpty() || (this.type === T_TEXT && this.hasValue)) return this.cellValue(buf);
    return new UncomputedFormula(formula);
  }

  private cellValue(buf: Buffer): CellValue {
    const text = this.text;
    const mode = text.mode;
    if (mode === TEXT_NONE) return null;
    switch (this.type) {
      case T_SHARED: {
        const index = mode === TEXT_RANGE ? parseIndex(buf, text.start, text.end) : Number(text.raw(buf).trim());
        return Number.isInteger(index) ? this.parts.sharedString(index) : null;
      }
      case T_TEXT: {
        const value = cellText(text.raw(buf));
        return value === '' ? null : value;
      }
      case T_BOOLEAN: {
        const value = cellText(text.raw(buf));
        return value === '' ? null : value.trim() !== '0';
      }
      case T_DATE: {
        const value = cellText(text.raw(buf));
        return value === '' ? null : (parseIsoDate(value) ?? value);
      }
      default: {
        let number: number;
        if (mode === TEXT_RANGE) {
          if (text.start === text.end) return null;
          number = parseNumber(buf, text.start, text.end);
        } else {
          if (text.bytes.length === 0) return null;
          number = Number(cellText(text.raw(buf)));
        }
        if (Number.isNaN(number)) return cellText(text.raw(buf));
        if (!this.parts.isDateStyle(this.style)) return number;
        return serialToDate(number, this.parts.date1904);
      }
    }
  }
}

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?)?\s*(?:Z|[+-]\d{2}(?::?\d{2})?)?$/i;
const ISO_TIME = /^T?(\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?\s*(?:Z|[+-]\d{2}(?::?\d{2})?)?$/i;

/**
 * The value of a t="d" cell (ISO 8601 text: 2021-12-31T23:30:00Z as SheetJS writes it, with an offset, or with
 * neither) as the wall-clock time it states: a Date whose UTC fields are the date and time as written, whatever
 * the suffix, as a number date cell is read; a time alone is on Excel's day 0 (1899-12-30), as the serial 0.5 is.
 * Null for a text that is not such a date.
 */
export function parseIsoDate(text: string): Date | null {
  const trimmed = text.trim();
  let date = ISO_DATE.exec(trimmed);
  let year = 1899;
  let month = 12;
  let day = 30;
  let at = 4;
  if (date) {
    year = Number(date[1]);
    month = Number(date[2]);
    day = Number(date[3]);
  } else {
    date = ISO_TIME.exec(trimmed);
    if (!date) return null;
    at = 1;
  }
  const hour = Number(date[at] ?? 0);
  const minute = Number(date[at + 1] ?? 0);
  const second = Number(date[at + 2] ?? 0);
  const fraction = date[at + 3] ? Math.round(Number(`0.${date[at + 3]}`) * 1000) : 0;
  if (month < 1 || month > 12 || day < 1 || day > new Date(Date.UTC(year, month, 0)).getUTCDate()) return null;
  if (year < 100 || hour > 24 || minute > 59 || second > 59 || (hour === 24 && minute + second + fraction > 0)) return null;
  return new Date(Date.UTC(year, month - 1, day, hour, minute, second, fraction));
}

/** The one-letter local name of an attribute (r, s, t), or 0; xmlns declarations are not attributes here. */
function localAttribute(buf: Buffer, start: number, end: number): number {
  if (end - start === 1) return buf[start];
  if (end - start >= 3 && buf[end - 2] === 58 /* : */) {
    // p:r, unless it is xmlns:r
    if (end - start === 7 && buf.toString('latin1', start, end - 2) === 'xmlns') return 0;
    return buf[end - 1];
  }
  return 0;
}

/** The start of the value of the one-letter attribute `letter` in buf[from, to), or -1. */
function findAttribute(buf: Buffer, from: number, to: number, letter: number): number {
  let k = from;
  while (k < to) {
    while (k < to && isSpace(buf[k])) k++;
    const nameStart = k;
    while (k < to && buf[k] !== 61 && !isSpace(buf[k])) k++;
    const nameEnd = k;
    while (k < to && buf[k] !== 34 && buf[k] !== 39) k++;
    if (k >= to) return -1;
    const quote = buf[k];
    const valueEnd = buf.indexOf(quote, k + 1);
    if (valueEnd === -1 || valueEnd > to) return -1;
    if (localAttribute(buf, nameStart, nameEnd) === letter) return k + 1;
    k = valueEnd + 1;
  }
  return -1;
}

function cellType(buf: Buffer, start: number, end: number): number {
  const length = end - start;
  if (length === 1) {
    const code = buf[start];
    if (code === 115 /* s */) return T_SHARED;
    if (code === 98 /* b */) return T_BOOLEAN;
    if (code === 101 /* e */) return T_TEXT;
    if (code === 100 /* d */) return T_DATE;
    return T_NUMBER;
  }
  if (length === 3 || length === 9) {
    const type = buf.toString('latin1', start, end);
    if (type === 'str' || type === 'inlineStr') return T_TEXT;
  }
  return T_NUMBER;
}

/** A run of decimal digits as a number (0 when there are none). */
function parseUint(buf: Buffer, start: number, end: number): number {
  let value = 0;
  for (let k = start; k < end; k++) {
    const digit = buf[k] - 48;
    if (digit < 0 || digit > 9) break;
    value = value * 10 + digit;
  }
  return value;
}

/** A shared-string index; NaN unless the text is digits (spaces around them allowed). */
function parseIndex(buf: Buffer, start: number, end: number): number {
  while (start < end && isSpace(buf[start])) start++;
  while (end > start && isSpace(buf[end - 1])) end--;
  if (start === end || end - start > 15) return NaN;
  let value = 0;
  for (let k = start; k < end; k++) {
    const digit = buf[k] - 48;
    if (digit < 0 || digit > 9) return NaN;
    value = value * 10 + digit;
  }
  return value;
}

const POWERS_OF_TEN = Array.from({ length: 23 }, (_, k) => 10 ** k);

/**
 * The number in a <v>. Integers and decimals whose digits make an integer below 2^53 (dates and times are such)
 * are computed here: that exact integer divided by an exact power of ten is the correctly rounded value, as
 * Number() gives.
 * Anything else (exponents, more digits) goes through Number().
 */
export function parseNumber(buf: Buffer, start: number, end: number): number {
  let k = start;
  const negative = buf[k] === 45; /* - */
  if (negative) k++;
  let mantissa = 0;
  let digits = 0;
  let decimals = -1;
  for (; k < end; k++) {
    const code = buf[k];
    if (code >= 48 && code <= 57) {
      mantissa = mantissa * 10 + (code - 48);
      digits++;
      if (decimals >= 0) decimals++;
    } else if (code === 46 /* . */ && decimals < 0) {
      decimals = 0;
    } else {
      break;
    }
  }
  // Below 2^53 the digits were summed exactly (every partial sum is smaller than the last).
  if (k === end && digits > 0 && mantissa < 2 ** 53 && decimals !== 0 && decimals <= 22) {
    const value = decimals > 0 ? mantissa / POWERS_OF_TEN[decimals] : mantissa;
    return negative ? -value : value;
  }
  return Number(decodeEntities(latin1(buf, start, end)));
}

/** 0-based column index of a cell reference such as "AB12"; -1 without letters. */
function columnIndex(buf: Buffer, start: number, end: number): number {
  let column = 0;
  for (let k = start; k < end; k++) {
    const code = buf[k];
    if (code >= 65 && code <= 90) column = column * 26 + (code - 64);
    else if (code >= 97 && code <= 122) column = column * 26 + (code - 96);
    else break;
  }
  return column - 1;
}
