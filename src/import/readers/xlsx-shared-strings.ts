import type { CellValue } from '../types.ts';
import { AMP, cellText, isSpace, MAX_CELL_BYTES, nameId, NAME, skipSpecial, tagEnd, utf8, XlsxFormatError } from './xlsx-xml.ts';

// The shared-string table (xl/sharedStrings.xml) of a workbook, kept compactly: the text of every string as its
// raw UTF-8 bytes, one after the other in a single Buffer, with a Uint32Array of where each starts. A string is
// turned into a JS string only when a cell refers to it, and not kept: a large export's table holds every dossier
// code and every personal value of the file (names, phone numbers, addresses), which as millions of long-lived JS
// strings made most of the reader's memory. Entities (&amp; ...) and _xHHHH_ escapes stay in the bytes and are
// decoded then. A string's bytes beyond MAX_CELL_BYTES are dropped as they come (its text is cut at
// MAX_CELL_CHARS when decoded), so one huge string costs no more than that.

/** How many decoded strings are remembered, by index modulo this (units, procedures, statuses repeat a lot). */
const CACHE_SLOTS = 4096;

export class SharedStrings {
  private readonly cacheKeys = new Int32Array(CACHE_SLOTS).fill(-1);
  private readonly cacheValues: CellValue[] = new Array(CACHE_SLOTS).fill(null);

  constructor(
    private readonly bytes: Buffer,
    /** Start of string k at offsets[k], its end at offsets[k + 1]. */
    private readonly offsets: Uint32Array,
    readonly count: number,
  ) {}

  /** The string at `index` as a cell value: null for an empty or missing one. */
  get(index: number): CellValue {
    if (!(index >= 0 && index < this.count)) return null;
    const slot = index & (CACHE_SLOTS - 1);
    if (this.cacheKeys[slot] === index) return this.cacheValues[slot];
    const start = this.offsets[index];
    const end = this.offsets[index + 1];
    const value = start === end ? null : cellText(utf8(this.bytes, start, end));
    this.cacheKeys[slot] = index;
    this.cacheValues[slot] = value === '' ? null : value;
    return this.cacheValues[slot];
  }

  /** Bytes held (for tests and measurements). */
  get byteLength(): number {
    return this.bytes.length + this.offsets.byteLength;
  }
}

/**
 * Builds the table from the part's bytes, pushed in chunks as they are inflated. The text of an <si> is the
 * concatenation of its <t> elements (plain or the runs of rich text), phonetic runs (<rPh>) left out, as Excel
 * shows it. `sizeHint` is the part's uncompressed size: the text is never longer than the XML holding it.
 */
export class SharedStringsBuilder {
  private bytes: Buffer;
  private length = 0;
  private offsets: Uint32Array;
  private count = 0;
  private carry: Buffer | null = null;

  private inSi = false;
  private inText = false;
  private phonetic = 0;
  private sized = false;

  constructor(private readonly sizeHint: number) {
    this.bytes = Buffer.allocUnsafeSlow(Math.min(Math.max(sizeHint, 1024), 64 * 1024));
    this.offsets = new Uint32Array(1024);
  }

  push(chunk: Buffer): void {
    const buf = this.carry ? Buffer.concat([this.carry, chunk]) : chunk;
    const stop = this.scan(buf);
    this.carry = stop < buf.length ? Buffer.from(buf.subarray(stop)) : null;
  }

  end(): SharedStrings {
    if (this.inSi) this.closeSi(); // a table cut short: keep what was read
    // Give back the unused part of the buffers (the first estimate may have been generous).
    const bytes = this.bytes.length - this.length > 64 * 1024 ? Buffer.from(this.bytes.subarray(0, this.length)) : this.bytes;
    const offsets = this.offsets.slice(0, this.count + 1);
    return new SharedStrings(bytes, offsets, this.count);
  }

  private scan(buf: Buffer): number {
    const n = buf.length;
    let i = 0;
    while (i < n) {
      if (buf[i] !== 60 /* < */) {
        let lt = buf.indexOf(60, i);
        if (lt === -1) lt = n;
        if (this.inText) this.append(buf, i, lt); // raw bytes: an entity or a character cut here is whole later
        i = lt;
        continue;
      }
      if (i + 1 >= n) return i;
      const next = buf[i + 1];
      if (next === 47 /* / */) {
        const gt = buf.indexOf(62, i + 2);
        if (gt === -1) return i;
        this.close(nameId(buf, i + 2, gt));
        i = gt + 1;
      } else if (next === 33 /* ! */ || next === 63 /* ? */) {
        const end = this.special(buf, i);
        if (end === -1) return i;
        i = end;
      } else {
        let j = i + 1;
        while (j < n && !isSpace(buf[j]) && buf[j] !== 47 && buf[j] !== 62) j++;
        const gt = tagEnd(buf, j);
        if (gt === -1) return i;
        const name = nameId(buf, i + 1, j);
        if (name === NAME.sst && !this.sized && this.count === 0) this.sizeFrom(buf, j, gt);
        this.open(name);
        if (buf[gt - 1] === 47) this.close(name);
        i = gt + 1;
      }
    }
    return i;
  }

  /** The table's uniqueCount, read from <sst>, sizes the buffers once. */
  private sizeFrom(buf: Buffer, from: number, to: number): void {
    this.sized = true;
    const match = /uniqueCount\s*=\s*["'](\d+)["']/.exec(buf.toString('latin1', from, to));
    const unique = match ? Number(match[1]) : 0;
    if (!(unique > 0 && unique < 2 ** 31)) return;
    this.offsets = new Uint32Array(unique + 1);
    // Each <si><t>…</t></si> takes at least 16 bytes of markup around its text.
    const estimate = Math.max(64 * 1024, this.sizeHint - 16 * unique + 1024);
    if (estimate > this.bytes.length) this.bytes = Buffer.allocUnsafeSlow(estimate);
  }

  /** Comments, processing instructions and CDATA (kept as text, its '&' escaped); the index after it, or -1. */
  private special(buf: Buffer, i: number): number {
    return skipSpecial(buf, i, (from, to) => {
      if (!this.inText) return;
      for (let k = from; k < to; k++) {
        if (buf[k] === 38) this.append(AMP, 0, AMP.length);
        else this.append(buf, k, k + 1);
      }
    });
  }

  private open(name: number): void {
    switch (name) {
      case NAME.si:
        if (this.inSi) this.closeSi();
        this.inSi = true;
        this.phonetic = 0;
        this.offsets[this.count] = this.length;
        break;
      case NAME.t:
        if (this.inSi && this.phonetic === 0) this.inText = true;
        break;
      case NAME.rPh:
        this.phonetic++;
        break;
    }
  }

  private close(name: number): void {
    switch (name) {
      case NAME.t:
        this.inText = false;
        break;
      case NAME.rPh:
        if (this.phonetic > 0) this.phonetic--;
        break;
      case NAME.si:
        if (this.inSi) this.closeSi();
        break;
    }
  }

  private closeSi(): void {
    this.inSi = false;
    this.inText = false;
    this.count++;
    if (this.count + 1 > this.offsets.length) {
      const grown = new Uint32Array(this.offsets.length * 2);
      grown.set(this.offsets);
      this.offsets = grown;
    }
    this.offsets[this.count] = this.length;
  }

  private append(source: Buffer, start: number, end: number): void {
    const room = MAX_CELL_BYTES - (this.length - this.offsets[this.count]);
    if (end - start > room) end = start + room;
    const size = end - start;
    if (size <= 0) return;
    if (this.length + size > this.bytes.length) {
      const capacity = Math.max(this.length + size, Math.ceil(this.bytes.length * 1.5));
      if (capacity > 0xffffffff) throw new XlsxFormatError('bảng chuỗi dùng chung (sharedStrings.xml) lớn hơn 4 GB');
      const grown = Buffer.allocUnsafeSlow(capacity);
      this.bytes.copy(grown, 0, 0, this.length);
      this.bytes = grown;
    }
    if (size === 1) this.bytes[this.length] = source[start];
    else source.copy(this.bytes, this.length, start, end);
    this.length += size;
  }
}
