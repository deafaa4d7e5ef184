import { StringDecoder } from 'node:string_decoder';
import type { CellValue, RawRow } from '../types.ts';

// The rows of one worksheet part (xl/worksheets/sheetN.xml), read straight from its XML text. exceljs still
// unzips the workbook and reads the shared strings and styles; only the sheet's rows are scanned here, because
// building exceljs Row and Cell objects (and a SAX event per tag) for every cell made a large export read at
// under 30,000 rows/s. The sheet grammar needed is small: <row r>, <c r s t>, <v>, <is><t>, optional prefixes.

/** What the scanner needs from the workbook: exceljs's caches, as its WorkbookReader holds them. */
export interface WorkbookParts {
  /** Shared strings: plain text, or { richText: [{ text }] }. */
  sharedStrings?: Array<string | { richText?: Array<{ text?: string }> } | null>;
  /** Whether a cell style (by index) shows numbers as dates. */
  isDateStyle(styleIndex: number): boolean;
  date1904: boolean;
}

const MS_PER_DAY = 86_400_000;
// Excel serial 25569 is 1970-01-01; the 1904 system starts 1462 days later.
const UNIX_EPOCH_SERIAL = 25569;
const DATE1904_OFFSET = 1462;

export class SheetXmlScanner {
  private readonly decoder = new StringDecoder('utf8');
  private carry = '';
  private rows: RawRow[] = [];

  private rowNumber = 0;
  private cells: CellValue[] | null = null;
  private anyValue = false;

  private inCell = false;
  private column = -1;
  private style = 0;
  private type = '';
  private text = '';
  /** Collecting text: inside <v>, or inside <t> of an inline string (not of its phonetic run). */
  private collecting = false;
  private inPhonetic = false;

  constructor(private readonly parts: WorkbookParts) {}

  /** Scans a piece of the sheet and returns the rows completed in it. */
  push(chunk: Buffer | string): RawRow[] {
    const text = this.carry + (typeof chunk === 'string' ? chunk : this.decoder.write(chunk));
    const stop = this.scan(text);
    this.carry = stop < text.length ? text.slice(stop) : '';
    const rows = this.rows;
    this.rows = [];
    return rows;
  }

  end(): RawRow[] {
    return this.push(this.decoder.end());
  }

  /** Returns where scanning stopped: the start of an unfinished tag or text run. */
  private scan(xml: string): number {
    let i = 0;
    const n = xml.length;
    while (i < n) {
      if (xml.charCodeAt(i) !== 60 /* < */) {
        const lt = xml.indexOf('<', i);
        if (lt === -1) return i;
        if (this.collecting) this.text += decodeEntities(xml.slice(i, lt));
        i = lt;
        continue;
      }
      const next = xml.charCodeAt(i + 1);
      if (next === 47 /* / */) {
        const gt = xml.indexOf('>', i);
        if (gt === -1) return i;
        this.close(localName(xml.slice(i + 2, gt).trim()));
        i = gt + 1;
      } else if (next === 33 /* ! */ || next === 63 /* ? */) {
        const end = this.special(xml, i);
        if (end === -1) return i;
        i = end;
      } else {
        if (i + 1 >= n) return i;
        const gt = tagEnd(xml, i + 1);
        if (gt === -1) return i;
        const selfClosing = xml.charCodeAt(gt - 1) === 47;
        const body = xml.slice(i + 1, selfClosing ? gt - 1 : gt);
        let nameEnd = 0;
        while (nameEnd < body.length && !isSpace(body.charCodeAt(nameEnd))) nameEnd++;
        const name = localName(body.slice(0, nameEnd));
        this.open(name, body, nameEnd);
        if (selfClosing) this.close(name);
        i = gt + 1;
      }
    }
    return i;
  }

  /** Comments, processing instructions, declarations and CDATA; returns the index after it, or -1. */
  private special(xml: string, i: number): number {
    if (xml.startsWith('<![CDATA[', i)) {
      const end = xml.indexOf(']]>', i);
      if (end === -1) return -1;
      if (this.collecting) this.text += xml.slice(i + 9, end);
      return end + 3;
    }
    if (xml.startsWith('<!--', i)) {
      const end = xml.indexOf('-->', i);
      return end === -1 ? -1 : end + 3;
    }
    if (xml.length - i < 9) return -1; // could still become <![CDATA[
    const end = xml.indexOf('>', i);
    return end === -1 ? -1 : end + 1;
  }

  private open(name: string, body: string, nameEnd: number): void {
    switch (name) {
      case 'row': {
        const r = attribute(body, nameEnd, 'r');
        this.rowNumber = r === undefined ? this.rowNumber + 1 : Number(r);
        this.cells = [];
        this.anyValue = false;
        this.column = -1;
        break;
      }
      case 'c': {
        if (!this.cells) break;
        const ref = attribute(body, nameEnd, 'r');
        const column = ref === undefined ? -1 : columnIndex(ref);
        this.column = column >= 0 ? column : this.column + 1;
        const s = attribute(body, nameEnd, 's');
        this.style = s === undefined ? 0 : Number(s);
        this.type = attribute(body, nameEnd, 't') ?? '';
        this.text = '';
        this.inCell = true;
        break;
      }
      case 'v':
        if (this.inCell) this.collecting = true;
        break;
      case 't':
        if (this.inCell && !this.inPhonetic) this.collecting = true;
        break;
      case 'rPh':
        this.inPhonetic = true;
        break;
    }
  }

  private close(name: string): void {
    switch (name) {
      case 'v':
      case 't':
        this.collecting = false;
        break;
      case 'rPh':
        this.inPhonetic = false;
        break;
      case 'c':
        if (this.inCell && this.cells) {
          const value = this.cellValue();
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
      case 'row':
        if (this.cells && this.anyValue) this.rows.push({ rowNumber: this.rowNumber, cells: this.cells });
        this.cells = null;
        break;
    }
  }

  private cellValue(): CellValue {
    const text = this.text;
    switch (this.type) {
      case 's': {
        if (text === '') return null;
        const shared = this.parts.sharedStrings?.[Number(text)];
        if (shared === undefined || shared === null) return null;
        if (typeof shared === 'string') return shared === '' ? null : shared;
        return (shared.richText ?? []).map((run) => run.text ?? '').join('') || null;
      }
      case 'inlineStr':
      case 'str':
      case 'e':
      case 'd': // an ISO 8601 date as text
        return text === '' ? null : text;
      case 'b':
        return text === '' ? null : text.trim() !== '0';
      default: {
        if (text === '') return null;
        const number = Number(text);
        if (Number.isNaN(number)) return text;
        if (!this.parts.isDateStyle(this.style)) return number;
        // As exceljs does: a Date whose UTC fields are the wall-clock time the cell shows.
        const serial = number - UNIX_EPOCH_SERIAL + (this.parts.date1904 ? DATE1904_OFFSET : 0);
        return new Date(Math.round(serial * MS_PER_DAY));
      }
    }
  }
}

function isSpace(code: number): boolean {
  return code === 32 || code === 9 || code === 10 || code === 13;
}

/** The element name without a namespace prefix (x:row → row). */
function localName(name: string): string {
  const colon = name.indexOf(':');
  return colon === -1 ? name : name.slice(colon + 1);
}

/** The index of the '>' that ends the tag starting before `from`, skipping quoted attribute values. */
function tagEnd(xml: string, from: number): number {
  let quote = 0;
  for (let i = from; i < xml.length; i++) {
    const code = xml.charCodeAt(i);
    if (quote !== 0) {
      if (code === quote) quote = 0;
    } else if (code === 34 || code === 39) {
      quote = code;
    } else if (code === 62) {
      return i;
    }
  }
  return -1;
}

/** The value of the attribute `name` in a tag body (after the element name). */
function attribute(body: string, from: number, name: string): string | undefined {
  let i = from;
  const n = body.length;
  while (i < n) {
    while (i < n && isSpace(body.charCodeAt(i))) i++;
    const eq = body.indexOf('=', i);
    if (eq === -1) return undefined;
    const attrName = body.slice(i, eq).trim();
    let q = eq + 1;
    while (q < n && isSpace(body.charCodeAt(q))) q++;
    const quote = body[q];
    const end = body.indexOf(quote, q + 1);
    if (end === -1) return undefined;
    if (localName(attrName) === name && !attrName.startsWith('xmlns')) return decodeEntities(body.slice(q + 1, end));
    i = end + 1;
  }
  return undefined;
}

/** 0-based column index of a cell reference such as "AB12". */
function columnIndex(ref: string): number {
  let column = 0;
  for (let i = 0; i < ref.length; i++) {
    const code = ref.charCodeAt(i);
    if (code >= 65 && code <= 90) column = column * 26 + (code - 64);
    else if (code >= 97 && code <= 122) column = column * 26 + (code - 96);
    else break;
  }
  return column - 1;
}

const ENTITY = /&(#x[0-9a-fA-F]+|#[0-9]+|lt|gt|amp|quot|apos);/g;
const NAMED: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

function decodeEntities(text: string): string {
  if (text.indexOf('&') === -1) return text;
  return text.replace(ENTITY, (whole, entity: string) => {
    if (entity[0] !== '#') return NAMED[entity] ?? whole;
    const code = entity[1] === 'x' ? parseInt(entity.slice(2), 16) : parseInt(entity.slice(1), 10);
    return Number.isFinite(code) && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
  });
}
