// Byte-level helpers for the few SpreadsheetML parts the .xlsx reader scans itself (shared strings, sheets).

/**
 * A workbook that breaks the format (its zip or its XML), found by the reader's own checks: the reader reports it
 * as a damaged file, with this detail (Vietnamese, one line). Any other error is a bug and is not reported so.
 */
export class XlsxFormatError extends Error {}

/** The element names the scanners act on; any other is NAME.other. */
export const NAME = { other: 0, row: 1, c: 2, v: 3, t: 4, rPh: 5, si: 6, sst: 7, f: 8 } as const;

export function isSpace(code: number): boolean {
  return code === 32 || code === 9 || code === 10 || code === 13;
}

/** The element name in buf[start, end) without its namespace prefix (x:row is row), as a NAME. */
export function nameId(buf: Uint8Array, start: number, end: number): number {
  while (end > start && isSpace(buf[end - 1])) end--;
  for (let k = end - 1; k >= start; k--) {
    if (buf[k] === 58 /* : */) {
      start = k + 1;
      break;
    }
  }
  switch (end - start) {
    case 1: {
      const a = buf[start];
      return a === 99 ? NAME.c : a === 118 ? NAME.v : a === 116 ? NAME.t : a === 102 ? NAME.f : NAME.other;
    }
    case 2:
      return buf[start] === 115 && buf[start + 1] === 105 ? NAME.si : NAME.other;
    case 3: {
      const a = buf[start];
      const b = buf[start + 1];
      const c = buf[start + 2];
      if (a === 114 && b === 111 && c === 119) return NAME.row;
      if (a === 114 && b === 80 && c === 104) return NAME.rPh;
      if (a === 115 && b === 115 && c === 116) return NAME.sst;
      return NAME.other;
    }
    default:
      return NAME.other;
  }
}

/** The index of the '>' that ends a tag whose attributes start at `from`, skipping quoted values; -1 if not here. */
export function tagEnd(buf: Uint8Array, from: number): number {
  const n = buf.length;
  let quote = 0;
  for (let i = from; i < n; i++) {
    const code = buf[i];
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

const ENTITY = /&(#x[0-9a-fA-F]+|#[0-9]+|lt|gt|amp|quot|apos);/g;
const NAMED: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

/** XML character and entity references replaced by what they stand for (others left as written). */
export function decodeEntities(text: string): string {
  if (text.indexOf('&') === -1) return text;
  return text.replace(ENTITY, (whole, entity: string) => {
    if (entity[0] !== '#') return NAMED[entity] ?? whole;
    const code = entity[1] === 'x' ? parseInt(entity.slice(2), 16) : parseInt(entity.slice(1), 10);
    return Number.isFinite(code) && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
  });
}

/**
 * The most characters of a cell's text kept: Excel's own limit for a cell (32,767), so that no workbook Excel
 * writes loses any; a longer cell (only a hand-made or damaged file has one) is cut there. Its bytes beyond
 * MAX_CELL_BYTES are not even kept while it is read, so a cell of many megabytes costs neither the memory nor
 * the time of a string that size.
 */
export const MAX_CELL_CHARS = 32_767;
/**
 * The raw XML bytes of a cell's text kept before decoding: enough for MAX_CELL_CHARS characters however they are
 * written (a character reference such as &#65535; takes 8 bytes for one UTF-16 unit).
 */
export const MAX_CELL_BYTES = 8 * MAX_CELL_CHARS;

/** The text of a cell or shared string from its raw (escaped) XML text: entities, then _xHHHH_ escapes, cut. */
export function cellText(raw: string): string {
  let text = decodeEntities(raw);
  if (text.indexOf('_x') !== -1) text = decodeEscapes(text);
  if (text.length > MAX_CELL_CHARS) {
    // Not between the two halves of a surrogate pair.
    const cut = (text.charCodeAt(MAX_CELL_CHARS - 1) & 0xfc00) === 0xd800 ? MAX_CELL_CHARS - 1 : MAX_CELL_CHARS;
    text = text.slice(0, cut);
  }
  return text;
}

const ESCAPE = /_x([0-9A-Fa-f]{4})_/g;

/**
 * SpreadsheetML's escapes of characters XML cannot hold (ECMA-376 Part 1, 22.9.2.19 ST_Xstring): _x000D_ is a
 * carriage return, _xHHHH_ any UTF-16 unit, and _x005F_ an underscore, so that _x005F_x000D_ is the literal
 * text _x000D_ (matches never overlap: the escape after _x005F_ starts with the x that follows it).
 */
export function decodeEscapes(text: string): string {
  return text.replace(ESCAPE, (_whole, hex: string) => String.fromCharCode(parseInt(hex, 16)));
}

/**
 * A cell's raw text bytes collected across chunks (a text cut by the end of a chunk, several runs, CDATA): at
 * most MAX_CELL_BYTES are kept, the rest is dropped as it comes. Entities stay escaped until the text is decoded.
 */
export class TextBytes {
  private bytes = Buffer.allocUnsafe(1024);
  length = 0;

  reset(): void {
    this.length = 0;
    // A huge cell's buffer is not kept for the next one.
    if (this.bytes.length > 64 * 1024) this.bytes = Buffer.allocUnsafe(1024);
  }

  append(source: Buffer, start: number, end: number): void {
    const room = MAX_CELL_BYTES - this.length;
    if (end - start > room) end = start + room;
    const size = end - start;
    if (size <= 0) return;
    if (this.length + size > this.bytes.length) {
      const grown = Buffer.allocUnsafe(Math.min(MAX_CELL_BYTES, Math.max(this.length + size, this.bytes.length * 2)));
      this.bytes.copy(grown, 0, 0, this.length);
      this.bytes = grown;
    }
    source.copy(this.bytes, this.length, start, end);
    this.length += size;
  }

  /** CDATA text: kept with its '&' escaped, as it is decoded with the rest. */
  appendCdata(source: Buffer, start: number, end: number): void {
    let from = start;
    for (let k = start; k < end; k++) {
      if (source[k] !== 38 /* & */) continue;
      this.append(source, from, k);
      this.append(AMP, 0, AMP.length);
      from = k + 1;
    }
    this.append(source, from, end);
  }

  /** The raw text (entities still escaped). */
  raw(): string {
    return utf8(this.bytes, 0, this.length);
  }
}

export const AMP = Buffer.from('&amp;');

/** The value of attribute `name` (local name, any prefix) in a tag's attribute text buf[from, to), or undefined. */
export function attributeValue(buf: Buffer, from: number, to: number, name: string): string | undefined {
  const text = latin1(buf, from, to);
  for (const match of text.matchAll(/([\w.:-]+)\s*=\s*(?:"([^"]*)"|'([^']*)')/g)) {
    const key = match[1];
    const local = key.slice(key.indexOf(':') + 1);
    if (local === name && key !== `xmlns:${name}`) return match[2] ?? match[3];
  }
  return undefined;
}

// Buffer#utf8Slice and #latin1Slice are what Buffer#toString calls for these encodings, without its argument
// handling: they halve the cost of turning a cell's few bytes into a string.
interface SliceBuffer {
  utf8Slice?(start: number, end: number): string;
  latin1Slice?(start: number, end: number): string;
}
const fastSlices = typeof (Buffer.prototype as SliceBuffer).utf8Slice === 'function' &&
  typeof (Buffer.prototype as SliceBuffer).latin1Slice === 'function';

export function utf8(buf: Buffer, start: number, end: number): string {
  return fastSlices ? (buf as SliceBuffer).utf8Slice!(start, end) : buf.toString('utf8', start, end);
}

export function latin1(buf: Buffer, start: number, end: number): string {
  return fastSlices ? (buf as SliceBuffer).latin1Slice!(start, end) : buf.toString('latin1', start, end);
}

/**
 * Where a comment, processing instruction, declaration or CDATA section that starts at `i` ('<!' or '<?') ends:
 * the index after it, or -1 when the buffer ends first (the caller waits for more bytes). `cdata` is called
 * with the bounds of a CDATA section's text.
 */
export function skipSpecial(buf: Buffer, i: number, cdata: (from: number, to: number) => void): number {
  if (buf.length - i < 9) return -1; // could still become <![CDATA[
  if (buf[i + 2] === 91 /* [ */ && buf.toString('latin1', i, i + 9) === '<![CDATA[') {
    const end = buf.indexOf(']]>', i + 9, 'latin1');
    if (end === -1) return -1;
    cdata(i + 9, end);
    return end + 3;
  }
  if (buf[i + 2] === 45 && buf[i + 3] === 45) {
    const end = buf.indexOf('-->', i + 4, 'latin1');
    return end === -1 ? -1 : end + 3;
  }
  const end = buf.indexOf(62, i);
  return end === -1 ? -1 : end + 1;
}
