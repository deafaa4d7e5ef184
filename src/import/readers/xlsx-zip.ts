import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream';
import * as zlib from 'node:zlib';
import yauzl from 'yauzl';
import { InputError } from '../types.ts';
import { fileError } from './file-head.ts';

// The zip container of an .xlsx, read by random access through yauzl: the central directory at the end of the
// file lists the parts with their places, sizes and CRC-32, and a part is read straight from its place, so the
// reader takes them in the order it needs (styles and shared strings before the sheet, wherever the writer put
// them), and a truncated or foreign file is recognised before any row is read. yauzl hands over a part's raw
// bytes (decodeFileData: false) and they are inflated here in 128 KiB chunks: so a 1,000,000-row export reads
// with the same CPU time and memory as with the hand-written zip layer this replaced, where yauzl's own 16 KiB
// inflate took 20-25 % more CPU (bench/zip.bench.ts). yauzl checks no CRC-32: it is checked here, with the size,
// so that a damaged part ends in an error, never in wrong rows, by zlib.crc32 (3 to 5 times the speed of a
// CRC-32 in JavaScript). The file stays open from openZip to close(): what is read is the file as it was opened,
// even if it is replaced or removed meanwhile.

export interface ZipEntry {
  name: string;
  method: number;
  flags: number;
  crc: number;
  compressedSize: number;
  uncompressedSize: number;
  /** yauzl's entry, to open it. */
  readonly source: yauzl.Entry;
}

export const TRUNCATED = 'tệp .xlsx bị hỏng hoặc không đầy đủ (tải về bị cắt cụt?)';
const SHORTENED = 'tệp bị cắt ngắn trong lúc đang đọc (tệp đang được ghi hoặc chép vào?): hãy đọc lại khi tệp đã ghi xong';

// Node 20.15 and later have zlib.crc32; on an older Node 20 the parts are checked by their size and inflate only.
const crc32 = (zlib as { crc32?: (data: Uint8Array, value?: number) => number }).crc32;

/** An opened zip: its entries by name (as written, and lower-cased for lookups that ignore case). */
export class ZipArchive {
  private readonly byName = new Map<string, ZipEntry>();
  private readonly byLowerName = new Map<string, ZipEntry>();

  constructor(
    readonly path: string,
    private readonly zip: yauzl.ZipFile,
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

  /**
   * An entry's uncompressed bytes, in chunks; checked against the directory's size and CRC-32 at its end. Errors
   * are InputErrors (a damaged file, a file cut short while read, a read error) except a bug's, which is thrown
   * as it is.
   */
  async *stream(entry: ZipEntry, chunkSize = 64 * 1024): AsyncGenerator<Buffer> {
    const damaged = (detail: string) => new InputError(this.path, `tệp .xlsx bị hỏng (mục "${entry.name}" ${detail})`);
    if (!this.zip.isOpen) throw new Error(`${this.path}: read after close()`);
    if (entry.flags & 0x01) {
      throw new InputError(this.path, 'tệp .xlsx được đặt mật khẩu (mã hoá): hãy mở bằng Excel, bỏ mật khẩu rồi lưu lại');
    }
    if (entry.method !== 0 && entry.method !== 8) throw damaged(`dùng kiểu nén ${entry.method} không được hỗ trợ`);
    let raw: Readable;
    try {
      raw = await this.zip.openReadStreamPromise(entry.source, { decodeFileData: false });
    } catch (error) {
      // yauzl's errors here are the file's: a local header that does not match, data past the end of the file.
      throw isErrno(error) ? fileError(this.path, error) : damaged(`không đọc được: ${describe(error)}`);
    }
    // The compressed bytes read, to tell a file cut short while read from a damaged one.
    let rawBytes = 0;
    let source: AsyncIterable<Buffer> = raw;
    let inflate: zlib.InflateRaw | undefined;
    if (entry.method === 8) {
      raw.on('data', (chunk: Buffer) => {
        rawBytes += chunk.length;
      });
      inflate = zlib.createInflateRaw({ chunkSize });
      pipeline(raw, inflate, () => undefined);
      source = inflate;
    }
    let crc = 0;
    let total = 0;
    try {
      for await (const chunk of source) {
        total += chunk.length;
        if (!inflate) rawBytes = total;
        if (total > entry.uncompressedSize) throw damaged('dài hơn kích thước ghi trong tệp nén');
        if (crc32) crc = crc32(chunk, crc);
        yield chunk;
      }
    } catch (error) {
      if (error instanceof InputError) throw error;
      if (isErrno(error)) throw fileError(this.path, error);
      if (isZlibError(error)) throw rawBytes < entry.compressedSize ? new InputError(this.path, SHORTENED) : damaged('không giải nén được');
      throw error;
    } finally {
      raw.destroy();
      inflate?.destroy();
    }
    // yauzl ends the raw stream quietly at the end of the file: a file shortened since it was opened.
    if (rawBytes < entry.compressedSize) throw new InputError(this.path, SHORTENED);
    if (total !== entry.uncompressedSize) throw damaged('ngắn hơn kích thước ghi trong tệp nén');
    if (crc32 && crc !== entry.crc) throw damaged('sai mã kiểm tra CRC-32');
  }

  /** Closes the file (streams still open end with an error). */
  close(): void {
    this.zip.close();
  }
}

/**
 * Opens a zip by its central directory. Throws an InputError for a file that is not a whole zip (no directory,
 * a directory running past the end), so a truncated download is told apart before anything is read.
 */
export async function openZip(path: string): Promise<ZipArchive> {
  let zip: yauzl.ZipFile;
  try {
    // Names are decoded here (as UTF-8, as Office writes them): yauzl's decoding rejects the whole file for one
    // name it finds unsafe to extract (an absolute path), and nothing is extracted here.
    zip = await yauzl.openPromise(path, { autoClose: false, decodeStrings: false, validateEntrySizes: true });
  } catch (error) {
    if (isErrno(error)) throw fileError(path, error);
    throw new InputError(path, TRUNCATED);
  }
  let sources: yauzl.Entry[];
  try {
    sources = await new Promise<yauzl.Entry[]>((resolve, reject) => {
      const list: yauzl.Entry[] = [];
      zip.on('entry', (entry: yauzl.Entry) => {
        list.push(entry);
        zip.readEntry();
      });
      zip.once('end', () => resolve(list));
      zip.once('error', reject);
      zip.readEntry();
    });
  } catch (error) {
    zip.close();
    if (isErrno(error)) throw fileError(path, error);
    throw new InputError(path, TRUNCATED);
  }
  zip.removeAllListeners('entry');
  const entries = sources.map((source): ZipEntry => ({
    name: (source.fileName as unknown as Buffer).toString('utf8'),
    method: source.compressionMethod,
    flags: source.generalPurposeBitFlag,
    crc: source.crc32,
    compressedSize: source.compressedSize,
    uncompressedSize: source.uncompressedSize,
    source,
  }));
  return new ZipArchive(path, zip, entries);
}

/** A file-system error (ENOENT, EIO ...), as opposed to a damaged file or a bug. */
export function isErrno(error: unknown): error is NodeJS.ErrnoException {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  return typeof code === 'string' && /^E[A-Z]+$/.test(code) && typeof (error as NodeJS.ErrnoException).syscall === 'string';
}

/** zlib's error on bytes that do not inflate (Z_DATA_ERROR, Z_BUF_ERROR for a stream cut short). */
function isZlibError(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  return typeof code === 'string' && code.startsWith('Z_');
}

function describe(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.length > 120 ? `${message.slice(0, 117)}...` : message;
}
