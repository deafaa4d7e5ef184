import type { CellValue, RawRow } from '../types.ts';
import { decodeEntities, isSpace, latin1, NAME, nameId, skipSpecial, tagEnd, utf8 } from './xlsx-xml.ts';

// The rows of one worksheet part (xl/worksheets/sheetN.xml), read straight from its inflated bytes. Building
// exceljs Row and Cell objects (and a SAX event per tag) for every cell made a large export read at under 30,000
// rows/s, and decoding the whole sheet to JS strings first cost as much again: the scanner works on the bytes and
// makes a string only for a cell's text. The sheet grammar needed is small: <row r>, <c r s t>, <v>, <is><t>,
// optional namespace prefixes. A row cut by the end of a chunk is scanned again from its <row> tag with the
// next chunk, so a cell's text is always a range of the bytes at hand.

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
const T_TEXT = 2; // inlineStr, str, e, d (an ISO 8601 date as text)
const T_BOOLEAN = 3;

// How the text of the cell being read is held.
const TEXT_NONE = 0;
const TEXT_RANGE = 1; // one run: bytes textStart..textEnd of the chunk, entities still escaped
const TEXT_STRING = 2; // several runs or CDATA: decoded into this.textString

export class SheetXmlScanner {
  private carry: Buffer | null = null;
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  private rows: RawRow[] = [];

  private rowNumber = 0;
  private rowNumberBefore = 0;
  private rowStart = -1;
  private cells: CellValue[] | null = null;
  private anyValue = false;

  private inCell = false;
  private column = -1;
  private style = 0;
  private type = T_NUMBER;
  private textMode = TEXT_NONE;
  private textStart = 0;
  private textEnd = 0;
  private textString = '';
  /** Collecting text: inside <v>, or inside <t> of an inline string (not of its phonetic run). */
  private collecting = false;
  private inPhonetic = false;

  constructor(private readonly parts: WorkbookParts) {}

  /** Scans a piece of the sheet and returns the rows completed in it. */
  push(chunk: Buffer): RawRow[] {
    let buf = chunk;
    if (this.carry) {
      // An unfinished row is scanned again once at least as many new bytes have come as it already has, so a
      // huge row costs a few rescans, not one per chunk.
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

  end(): RawRow[] {
    if (this.carry && this.pending.length > 0) {
      const buf = Buffer.concat([this.carry, ...this.pending]);
      this.scan(buf);
    }
    const rows = this.rows;
    this.rows = [];
    this.carry = null;
    this.pending = [];
    return rows;
  }

  /** Returns where scanning stopped: the start of an unfinished row, tag or comment. */
  private scan(buf: Buffer): number {
    const n = buf.length;
    let i = 0;
    while (i < n) {
      if (buf[i] !== 60 /* < */) {
        // Text runs between tags are short: a loop beats Buffer#indexOf's call into C++.
        let lt = i + 1;
        while (lt < n && buf[lt] !== 60) lt++;
        if (lt === n) return this.stop(n);
        if (this.collecting) this.addText(buf, i, lt);
        i = lt;
        continue;
      }
      if (i + 1 >= n) return this.stop(i);
      const next = buf[i + 1];
      if (next === 47 /* / */) {
        let gt = i + 2;
        while (gt < n && buf[gt] !== 62) gt++;
        if (gt === n) return this.stop(i);
        this.close(nameId(buf, i + 2, gt), buf);
        i = gt + 1;
      } else if (next === 33 /* ! */ || next === 63 /* ? */) {
        const end = this.special(buf, i);
        if (end === -1) return this.stop(i);
        i = end;
      } else {
        let j = i + 1;
        while (j < n) {
          const code = buf[j];
          if (code === 32 || code === 62 || code === 47 || code === 9 || code === 10 || code === 13) break;
          j++;
        }
        const gt = tagEnd(buf, j);
        if (gt === -1) return this.stop(i);
        const name = nameId(buf, i + 1, j);
        const selfClosing = buf[gt - 1] === 47;
        if (name === NAME.row) this.openRow(buf, j, selfClosing ? gt - 1 : gt, i);
        else if (name === NAME.c) this.openCell(buf, j, selfClosing ? gt - 1 : gt);
        else if (name === NAME.v) {
          if (this.inCell) this.collecting = true;
        } else if (name === NAME.t) {
          if (this.inCell && !this.inPhonetic) this.collecting = true;
        } else if (name === NAME.rPh) this.inPhonetic = true;
        if (selfClosing) this.close(name, buf);
        i = gt + 1;
      }
    }
    return this.stop(n);
  }

  /**
   * Where to go on with the next chunk: inside a row, its <row> tag (the row is dropped and read again whole),
   * otherwise `at`.
   */
  private stop(at: number): number {
    if (this.cells === null) return at;
    const start = this.rowStart;
    this.rowNumber = this.rowNumberBefore;
    this.cells = null;
    this.inCell = false;
    this.collecting = false;
    this.inPhonetic = false;
    return start;
  }

  /** Comments, processing instructions, declarations and CDATA; returns the index after it, or -1. */
  private special(buf: Buffer, i: number): number {
    return skipSpecial(buf, i, (from, to) => {
      if (this.collecting) {
        this.textString = this.text(buf) + buf.toString('utf8', from, to);
        this.textMode = TEXT_STRING;
      }
    });
  }

  private openRow(buf: Buffer, from: number, to: number, tagStart: number): void {
    const r = findAttribute(buf, from, to, 114 /* r */);
    this.rowNumberBefore = this.rowNumber;
    this.rowNumber = r === -1 ? this.rowNumber + 1 : parseUint(buf, r, to);
    this.rowStart = tagStart;
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
    this.textMode = TEXT_NONE;
    this.inCell = true;
  }

  private close(name: number, buf: Buffer): void {
    switch (name) {
      case NAME.v:
      case NAME.t:
        this.collecting = false;
        break;
      case NAME.rPh:
        this.inPhonetic = false;
        break;
      case NAME.c:
        if (this.inCell && this.cells) {
          const value = this.cellValue(buf);
          if (value !== null) {
            const cells = this.cells;
            while (cells.length < this.column) cells.push(null);
            cells[this.column] = value;
            this.anyValue = true;
          }
        }
        this.inCell = false;
        this.collecting = false;
        break;
      case NAME.row:
        if (this.cells && this.anyValue) this.rows.push({ rowNumber: this.rowNumber, cells: this.cells });
        this.cells = null;
        break;
    }
  }

  private addText(buf: Buffer, start: number, end: number): void {
    if (this.textMode === TEXT_NONE) {
      this.textMode = TEXT_RANGE;
      this.textStart = start;
      this.textEnd = end;
    } else {
      this.textString = this.text(buf) + decodeEntities(utf8(buf, start, end));
      this.textMode = TEXT_STRING;
    }
  }

  /** The cell's text so far, decoded. */
  private text(buf: Buffer): string {
    if (this.textMode === TEXT_RANGE) return decodeEntities(utf8(buf, this.textStart, this.textEnd));
    return this.textMode === TEXT_STRING ? this.textString : '';
  }

  private cellValue(buf: Buffer): CellValue {
    const mode = this.textMode;
    if (mode === TEXT_NONE) return null;
    switch (this.type) {
      case T_SHARED: {
        const index = mode === TEXT_RANGE ? parseIndex(buf, this.textStart, this.textEnd) : Number(this.textString.trim());
        return Number.isInteger(index) ? this.parts.sharedString(index) : null;
      }
      case T_TEXT: {
        const text = this.text(buf);
        return text === '' ? null : text;
      }
      case T_BOOLEAN: {
        const text = this.text(buf);
        return text === '' ? null : text.trim() !== '0';
      }
      default: {
        let number: number;
        if (mode === TEXT_RANGE) {
          if (this.textStart === this.textEnd) return null;
          number = parseNumber(buf, this.textStart, this.textEnd);
        } else {
          if (this.textString === '') return null;
          number = Number(this.textString);
        }
        if (Number.isNaN(number)) return this.text(buf);
        if (!this.parts.isDateStyle(this.style)) return number;
        // As exceljs does: a Date whose UTC fields are the wall-clock time the cell shows.
        const serial = number - UNIX_EPOCH_SERIAL + (this.parts.date1904 ? DATE1904_OFFSET : 0);
        return new Date(Math.round(serial * MS_PER_DAY));
      }
    }
  }
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
    if (code === 101 /* e */ || code === 100 /* d */) return T_TEXT;
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
