import { createReadStream } from 'node:fs';
import { pipeline } from 'node:stream';
import { createInflateRaw } from 'node:zlib';
import { InputError } from '../types.ts';
import { fileError, openForReading, readAt } from './file-head.ts';

// The zip container of an .xlsx, read by random access: the central directory at the end of the file lists the
// entries with their offsets, sizes and CRC-32; an entry is inflated as a stream straight from its place in the
// file. Reading the directory first means a truncated or foreign file is recognised before any row is read, the
// parts can be read in the order the reader needs them (styles and shared strings before the sheet, wherever the
// writer put them), and a damaged entry ends in an error (inflate error, size or CRC mismatch), never a wait.

export interface ZipEntry {
  name: string;
  method: number;
  flags: number;
  crc: number;
  compressedSize: number;
  uncompressedSize: number;
  localOffset: number;
}

export const TRUNCATED = 'tệp .xlsx bị hỏng hoặc không đầy đủ (tải về bị cắt cụt?)';
const LOCAL_MISMATCH = 'tệp .xlsx bị hỏng (phần đầu một mục trong tệp nén không khớp)';

const EOCD_SIGNATURE = 0x06054b50;
const ZIP64_LOCATOR_SIGNATURE = 0x07064b50;
const ZIP64_EOCD_SIGNATURE = 0x06064b50;
const CENTRAL_SIGNATURE = 0x02014b50;
const LOCAL_SIGNATURE = 0x04034b50;

/** An opened zip: its entries by name (as written, and lower-cased for lookups that ignore case). */
export class ZipArchive {
  private readonly byName = new Map<string, ZipEntry>();
  private readonly byLowerName = new Map<string, ZipEntry>();

  constructor(
    readonly path: string,
    readonly size: number,
    readonly entries: ZipEntry[],
  ) {
    for (const entry of entries) {
      // Some zip tools on Windows write "xl\worksheets\sheet1.xml".
      const name = entry.name.replace(/\\/g, '/').replace(/^\/+/, '');
      if (!this.byName.has(name)) this.byName.set(name, entry);
      const lower = name.toLowerCase();
      if (!this.byLowerName.has(lower)) this.byLowerName.set(lower, entry);
    }
  }

  get(name: string): ZipEntry | undefined {
    return this.byName.get(name) ?? this.byLowerName.get(name.toLowerCase());
  }

  /** The names of the entries (normalised). */
  names(): string[] {
    return [...this.byName.keys()];
  }

  /** A small entry, whole. */
  async read(entry: ZipEntry): Promise<Buffer> {
    const chunks: Buffer[] = [];
    for await (const chunk of this.stream(entry)) chunks.push(chunk);
    return Buffer.concat(chunks);
  }

  /** An entry's uncompressed bytes, in chunks; checked against the directory's size and CRC-32 at its end. */
  async *stream(entry: ZipEntry, chunkSize = 64 * 1024): AsyncGenerator<Buffer> {
    const damaged = (detail: string) => new InputError(this.path, `tệp .xlsx bị hỏng (mục "${entry.name}" ${detail})`);
    if (entry.flags & 0x01) {
      throw new InputError(this.path, 'tệp .xlsx được đặt mật khẩu (mã hoá): hãy mở bằng Excel, bỏ mật khẩu rồi lưu lại');
    }
    if (entry.method !== 0 && entry.method !== 8) throw damaged(`dùng kiểu nén ${entry.method} không được hỗ trợ`);
    const header = await readAt(this.path, entry.localOffset, 30);
    if (header.length < 30 || header.readUInt32LE(0) !== LOCAL_SIGNATURE) throw new InputError(this.path, LOCAL_MISMATCH);
    const nameLength = header.readUInt16LE(26);
    const extraLength = header.readUInt16LE(28);
    const start = entry.localOffset + 30 + nameLength + extraLength;
    if (start + entry.compressedSize > this.size) throw new InputError(this.path, TRUNCATED);

    const crc = new Crc32();
    let total = 0;
    if (entry.compressedSize > 0) {
      const input = createReadStream(this.path, { start, end: start + entry.compressedSize - 1, highWaterMark: 256 * 1024 });
      let source: AsyncIterable<Buffer> = input;
      if (entry.method === 8) {
        const inflate = createInflateRaw({ chunkSize });
        pipeline(input, inflate, () => undefined);
        source = inflate;
      }
      try {
        for await (const chunk of source) {
          total += chunk.length;
          if (total > entry.uncompressedSize) throw damaged('dài hơn kích thước ghi trong tệp nén');
          crc.update(chunk);
          yield chunk;
        }
      } catch (error) {
        if (error instanceof InputError) throw error;
        const code = (error as NodeJS.ErrnoException | undefined)?.code;
        if (typeof code === 'string' && code.startsWith('Z_')) {
          throw damaged('không giải nén được');
        }
        throw fileError(this.path, error);
      } finally {
        input.destroy();
      }
    }
    if (total !== entry.uncompressedSize) throw damaged('ngắn hơn kích thước ghi trong tệp nén');
    if (crc.digest() !== entry.crc) throw damaged('sai mã kiểm tra CRC-32');
  }
}

/**
 * Opens a zip by its central directory. Throws an InputError for a file that is not a whole zip (no directory,
 * a directory or an entry running past the end), so a truncated download is told apart before anything is read.
 */
export async function openZip(path: string): Promise<ZipArchive> {
  const handle = await openForReading(path);
  try {
    const { size } = await handle.stat();
    const at = async (position: number, length: number) => {
      const bytes = Buffer.alloc(length);
      const { bytesRead } = await handle.read(bytes, 0, length, position);
      return bytes.subarray(0, bytesRead);
    };
    // The end-of-central-directory record sits in the last 22 bytes plus an optional comment of up to 64 KiB.
    const tailLength = Math.min(size, 22 + 0xffff);
    const tailStart = size - tailLength;
    const tail = await at(tailStart, tailLength);
    let eocd = -1;
    for (let i = tail.length - 22; i >= 0; i--) {
      if (tail.readUInt32LE(i) === EOCD_SIGNATURE) {
        eocd = i;
        break;
      }
    }
    const truncated = new InputError(path, TRUNCATED);
    if (eocd === -1) throw truncated;
    let count = tail.readUInt16LE(eocd + 10);
    let directorySize = tail.readUInt32LE(eocd + 12);
    let directoryOffset = tail.readUInt32LE(eocd + 16);
    let directoryEnd = tailStart + eocd;
    if (count === 0xffff || directorySize === 0xffffffff || directoryOffset === 0xffffffff) {
      // ZIP64: a locator just before the record points at the 64-bit end-of-directory record.
      if (eocd < 20 || tail.readUInt32LE(eocd - 20) !== ZIP64_LOCATOR_SIGNATURE) throw truncated;
      const recordOffset = Number(tail.readBigUInt64LE(eocd - 20 + 8));
      const record = await at(recordOffset, 56);
      if (record.length < 56 || record.readUInt32LE(0) !== ZIP64_EOCD_SIGNATURE) throw truncated;
      count = Number(record.readBigUInt64LE(32));
      directorySize = Number(record.readBigUInt64LE(40));
      directoryOffset = Number(record.readBigUInt64LE(48));
      directoryEnd = recordOffset;
    }
    if (directoryOffset + directorySize > directoryEnd) throw truncated;
    const directory = await at(directoryOffset, directorySize);
    const entries: ZipEntry[] = [];
    let p = 0;
    for (let n = 0; n < count; n++) {
      if (p + 46 > directory.length || directory.readUInt32LE(p) !== CENTRAL_SIGNATURE) throw truncated;
      const nameLength = directory.readUInt16LE(p + 28);
      const extraLength = directory.readUInt16LE(p + 30);
      const commentLength = directory.readUInt16LE(p + 32);
      if (p + 46 + nameLength + extraLength > directory.length) throw truncated;
      const entry: ZipEntry = {
        name: directory.toString('utf8', p + 46, p + 46 + nameLength),
        flags: directory.readUInt16LE(p + 8),
        method: directory.readUInt16LE(p + 10),
        crc: directory.readUInt32LE(p + 16),
        compressedSize: directory.readUInt32LE(p + 20),
        uncompressedSize: directory.readUInt32LE(p + 24),
        localOffset: directory.readUInt32LE(p + 42),
      };
      if (entry.uncompressedSize === 0xffffffff || entry.compressedSize === 0xffffffff || entry.localOffset === 0xffffffff) {
        readZip64Extra(directory.subarray(p + 46 + nameLength, p + 46 + nameLength + extraLength), entry);
      }
      if (entry.localOffset + 30 + nameLength + entry.compressedSize > directoryOffset) throw truncated;
      entries.push(entry);
      p += 46 + nameLength + extraLength + commentLength;
    }
    // The local headers must agree with the directory (a damaged one means a damaged file).
    for (const entry of entries) {
      const nameBytes = Buffer.from(entry.name, 'utf8');
      const header = await at(entry.localOffset, 30 + nameBytes.length);
      if (header.length < 30 + nameBytes.length || header.readUInt32LE(0) !== LOCAL_SIGNATURE) throw new InputError(path, LOCAL_MISMATCH);
      if (!header.subarray(30).equals(nameBytes)) throw new InputError(path, LOCAL_MISMATCH);
      const usesDescriptor = (header.readUInt16LE(6) & 0x08) !== 0;
      const localSize = header.readUInt32LE(18);
      if (!usesDescriptor && localSize !== 0xffffffff && localSize !== entry.compressedSize) throw new InputError(path, LOCAL_MISMATCH);
    }
    return new ZipArchive(path, size, entries);
  } catch (error) {
    throw fileError(path, error);
  } finally {
    await handle.close();
  }
}

/** The 64-bit sizes and offset of a ZIP64 entry, in the order the fields that overflowed appear. */
function readZip64Extra(extra: Buffer, entry: ZipEntry): void {
  let p = 0;
  while (p + 4 <= extra.length) {
    const id = extra.readUInt16LE(p);
    const length = extra.readUInt16LE(p + 2);
    if (id === 0x0001) {
      let q = p + 4;
      const next = () => {
        const value = q + 8 <= p + 4 + length ? Number(extra.readBigUInt64LE(q)) : -1;
        q += 8;
        return value;
      };
      if (entry.uncompressedSize === 0xffffffff) entry.uncompressedSize = next();
      if (entry.compressedSize === 0xffffffff) entry.compressedSize = next();
      if (entry.localOffset === 0xffffffff) entry.localOffset = next();
      return;
    }
    p += 4 + length;
  }
}


// CRC-32 (IEEE 802.3, as zip uses it), eight bytes at a time ("slicing-by-8"): Node 20 has no zlib.crc32.
const CRC_TABLES = (() => {
  const tables = new Int32Array(8 * 256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    tables[n] = c;
  }
  for (let n = 0; n < 256; n++) {
    let c = tables[n];
    for (let t = 1; t < 8; t++) {
      c = tables[c & 0xff] ^ (c >>> 8);
      tables[t * 256 + n] = c;
    }
  }
  return tables;
})();

export class Crc32 {
  private crc = -1;

  update(bytes: Uint8Array): void {
    const t = CRC_TABLES;
    let crc = this.crc;
    let i = 0;
    const n = bytes.length;
    const end8 = n - (n & 7);
    for (; i < end8; i += 8) {
      const a = crc ^ (bytes[i] | (bytes[i + 1] << 8) | (bytes[i + 2] << 16) | (bytes[i + 3] << 24));
      const b = bytes[i + 4] | (bytes[i + 5] << 8) | (bytes[i + 6] << 16) | (bytes[i + 7] << 24);
      crc =
        t[1792 + (a & 0xff)] ^ t[1536 + ((a >>> 8) & 0xff)] ^ t[1280 + ((a >>> 16) & 0xff)] ^ t[1024 + (a >>> 24)] ^
        t[768 + (b & 0xff)] ^ t[512 + ((b >>> 8) & 0xff)] ^ t[256 + ((b >>> 16) & 0xff)] ^ t[b >>> 24];
    }
    for (; i < n; i++) crc = t[(crc ^ bytes[i]) & 0xff] ^ (crc >>> 8);
    this.crc = crc;
  }

  digest(): number {
    return (this.crc ^ -1) >>> 0;
  }
}
