// Byte-level helpers for the few SpreadsheetML parts the .xlsx reader scans itself (shared strings, sheets).

/** The element names the scanners act on; any other is NAME.other. */
export const NAME = { other: 0, row: 1, c: 2, v: 3, t: 4, rPh: 5, si: 6, sst: 7 } as const;

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
      return a === 99 ? NAME.c : a === 118 ? NAME.v : a === 116 ? NAME.t : NAME.other;
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
