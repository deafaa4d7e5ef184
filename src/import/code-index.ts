/**
 * The dossier codes met so far in one file, each with a number (the parse keeps the number of the code's first
 * good row, parsed-file.ts): a Map<string, number> held in a few typed arrays. The parse asks it once per row, and a
 * file can hold millions of codes; as a Map of strings, that was a million objects for the garbage collector to
 * trace again at every major collection, and each key had to be copied out of the batch of text it was cut from
 * (or it would keep that whole batch alive). Here the codes' characters are copied into one growing array of
 * bytes: one byte per character for codes in Latin-1 (all codes in practice), two for any other code.
 */
export class CodeIndex {
  /** Entry + 1 per slot, 0 when empty; open addressing with linear probing, at most half full. */
  private slots = new Int32Array(1 << 16);
  private mask = this.slots.length - 1;
  private hashes = new Int32Array(1 << 15);
  private starts = new Int32Array(1 << 15);
  /** The code's length in characters; negative for a code stored two bytes per character. */
  private lengths = new Int32Array(1 << 15);
  /** The numbers kept: a row's sequence number in a file, below 2^31. */
  private numbers = new Int32Array(1 << 15);
  private bytes = new Uint8Array(1 << 18);
  private bytesUsed = 0;
  private entries = 0;

  get size(): number {
    return this.entries;
  }

  /** The number kept for this code, or undefined when the code has not been met. */
  get(code: string): number | undefined {
    const entry = this.find(code, hashOf(code));
    return entry < 0 ? undefined : this.numbers[entry];
  }

  /** The number kept for this code; or, for a code not met yet, -1, and the code is added with this number. */
  firstOrAdd(code: string, value: number): number {
    const hash = hashOf(code);
    const found = this.find(code, hash);
    if (found >= 0) return this.numbers[found];
    this.add(code, hash, value);
    return -1;
  }

  private add(code: string, hash: number, value: number): void {
    if ((this.entries + 1) * 2 > this.slots.length) this.growSlots();
    if (this.entries === this.hashes.length) this.growEntries();
    const narrow = isLatin1(code);
    const size = narrow ? code.length : code.length * 2;
    if (this.bytesUsed + size > this.bytes.length) this.growBytes(size);
    const entry = this.entries++;
    this.hashes[entry] = hash;
    this.starts[entry] = this.bytesUsed;
    this.lengths[entry] = narrow ? code.length : -code.length;
    this.numbers[entry] = value;
    const at = this.bytesUsed;
    if (narrow) for (let i = 0; i < code.length; i++) this.bytes[at + i] = code.charCodeAt(i);
    else {
      for (let i = 0; i < code.length; i++) {
        const unit = code.charCodeAt(i);
        this.bytes[at + 2 * i] = unit >> 8;
        this.bytes[at + 2 * i + 1] = unit & 0xff;
      }
    }
    this.bytesUsed += size;
    this.place(entry, hash);
  }

  /** The entry holding this code, or -1. */
  private find(code: string, hash: number): number {
    for (let slot = hash & this.mask; ; slot = (slot + 1) & this.mask) {
      const held = this.slots[slot];
      if (held === 0) return -1;
      const entry = held - 1;
      if (this.hashes[entry] === hash && this.holds(entry, code)) return entry;
    }
  }

  private holds(entry: number, code: string): boolean {
    const length = this.lengths[entry];
    const start = this.starts[entry];
    if (length === code.length) {
      for (let i = 0; i < length; i++) if (this.bytes[start + i] !== code.charCodeAt(i)) return false;
      return true;
    }
    if (length !== -code.length) return false;
    for (let i = 0; i < code.length; i++) {
      if (((this.bytes[start + 2 * i] << 8) | this.bytes[start + 2 * i + 1]) !== code.charCodeAt(i)) return false;
    }
    return true;
  }

  private place(entry: number, hash: number): void {
    let slot = hash & this.mask;
    while (this.slots[slot] !== 0) slot = (slot + 1) & this.mask;
    this.slots[slot] = entry + 1;
  }

  private growSlots(): void {
    this.slots = new Int32Array(this.slots.length * 2);
    this.mask = this.slots.length - 1;
    for (let entry = 0; entry < this.entries; entry++) this.place(entry, this.hashes[entry]);
  }

  private growEntries(): void {
    const size = this.hashes.length * 2;
    this.hashes = grown(this.hashes, new Int32Array(size));
    this.starts = grown(this.starts, new Int32Array(size));
    this.lengths = grown(this.lengths, new Int32Array(size));
    this.numbers = grown(this.numbers, new Int32Array(size));
  }

  private growBytes(atLeast: number): void {
    this.bytes = grown(this.bytes, new Uint8Array(Math.max(this.bytes.length * 2, this.bytesUsed + atLeast)));
  }
}

function grown<T extends Int32Array | Uint8Array>(from: T, to: T): T {
  to.set(from as never);
  return to;
}

function isLatin1(code: string): boolean {
  for (let i = 0; i < code.length; i++) if (code.charCodeAt(i) > 0xff) return false;
  return true;
}

/** FNV-1a over the UTF-16 code units, with a final mix so that the low bits (the slot) depend on every character. */
function hashOf(code: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < code.length; i++) h = Math.imul(h ^ code.charCodeAt(i), 0x01000193);
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  return h | 0;
}
