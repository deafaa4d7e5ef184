/**
 * The dossier codes met so far in one file, each with a number (the importer keeps the sequence number of the
 * code's latest row): a Map<string, number> held in a few typed arrays. The importer asks it once per row, and a
 * file can hold millions of codes; as a Map of strings, that was a million objects for the garbage collector to
 * trace again at every major collection, and each key had to be copied out of the batch of text it was cut from
 * (or it would keep that whole batch alive). Here the codes' characters are copied into one growing array.
 */
export class CodeIndex {
  /** Entry + 1 per slot, 0 when empty; open addressing with linear probing, at most half full. */
  private slots = new Int32Array(1 << 16);
  private mask = this.slots.length - 1;
  private hashes = new Int32Array(1 << 15);
  private starts = new Int32Array(1 << 15);
  private lengths = new Int32Array(1 << 15);
  private numbers = new Float64Array(1 << 15);
  private chars = new Uint16Array(1 << 18);
  private charsUsed = 0;
  private entries = 0;

  get size(): number {
    return this.entries;
  }

  /** The number kept for this code, or undefined when the code has not been met. */
  get(code: string): number | undefined {
    const entry = this.find(code, hashOf(code));
    return entry < 0 ? undefined : this.numbers[entry];
  }

  /** Keeps a number for this code (adding the code, or replacing the number kept). */
  set(code: string, value: number): void {
    const hash = hashOf(code);
    const found = this.find(code, hash);
    if (found >= 0) {
      this.numbers[found] = value;
      return;
    }
    if ((this.entries + 1) * 2 > this.slots.length) this.growSlots();
    if (this.entries === this.hashes.length) this.growEntries();
    if (this.charsUsed + code.length > this.chars.length) this.growChars(code.length);
    const entry = this.entries++;
    this.hashes[entry] = hash;
    this.starts[entry] = this.charsUsed;
    this.lengths[entry] = code.length;
    this.numbers[entry] = value;
    for (let i = 0; i < code.length; i++) this.chars[this.charsUsed + i] = code.charCodeAt(i);
    this.charsUsed += code.length;
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
    if (this.lengths[entry] !== code.length) return false;
    const start = this.starts[entry];
    for (let i = 0; i < code.length; i++) if (this.chars[start + i] !== code.charCodeAt(i)) return false;
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
    this.numbers = grown(this.numbers, new Float64Array(size));
  }

  private growChars(atLeast: number): void {
    this.chars = grown(this.chars, new Uint16Array(Math.max(this.chars.length * 2, this.charsUsed + atLeast)));
  }
}

function grown<T extends Int32Array | Float64Array | Uint16Array>(from: T, to: T): T {
  to.set(from as never);
  return to;
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
