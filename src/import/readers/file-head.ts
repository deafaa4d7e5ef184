import { open, type FileHandle } from 'node:fs/promises';
import { InputError } from '../types.ts';

/** The first bytes and the size of a file, read once to recognise what it is before streaming it. */
export interface FileHead {
  size: number;
  bytes: Buffer;
}

export async function readHead(path: string, length = 64 * 1024): Promise<FileHead> {
  const handle = await openForReading(path);
  try {
    const { size } = await handle.stat();
    if (size === 0) throw new InputError(path, 'tệp rỗng (0 byte)');
    const bytes = Buffer.alloc(Math.min(size, length));
    await handle.read(bytes, 0, bytes.length, 0);
    return { size, bytes };
  } finally {
    await handle.close();
  }
}

/** Reads `length` bytes at `position` (fewer at the end of the file). */
export async function readAt(path: string, position: number, length: number): Promise<Buffer> {
  const handle = await openForReading(path);
  try {
    const bytes = Buffer.alloc(length);
    const { bytesRead } = await handle.read(bytes, 0, length, position);
    return bytes.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}

/** Opens a file to read it; a file-system error becomes the one line a user reads (fileError). */
export async function openForReading(path: string): Promise<FileHandle> {
  try {
    return await open(path, 'r');
  } catch (error) {
    throw fileError(path, error);
  }
}

/** A file-system error as a user reads it. */
export function fileError(path: string, error: unknown): InputError {
  if (error instanceof InputError) return error;
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'ENOENT') return new InputError(path, 'không tìm thấy tệp');
  if (code === 'EISDIR') return new InputError(path, 'là một thư mục, không phải tệp');
  if (code === 'EACCES' || code === 'EPERM') return new InputError(path, 'không có quyền đọc tệp');
  return new InputError(path, `không đọc được tệp (${(error as Error)?.message ?? String(error)})`);
}

export const ZIP_SIGNATURE = Buffer.from([0x50, 0x4b, 0x03, 0x04]);
// Excel 97-2003 workbooks and password-protected .xlsx files are both OLE compound files.
export const OLE_SIGNATURE = Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]);

const ENCRYPTED_PACKAGE = Buffer.from('EncryptedPackage', 'utf16le');
const END_OF_CHAIN = 0xfffffffe;

/**
 * Whether an OLE compound file (OLE_SIGNATURE) is a password-protected workbook: an .xlsx, .xlsm or .xlsb saved
 * with a password is an OLE file whose directory holds an "EncryptedPackage" stream (MS-OFFCRYPTO 2.3.4.4), where
 * an Excel 97-2003 workbook holds a "Workbook" stream. Only the directory is read (its sectors, by the file's
 * allocation table); a file too damaged to tell is not called encrypted.
 */
export async function isEncryptedOle(path: string): Promise<boolean> {
  const handle = await openForReading(path);
  try {
    const at = async (position: number, length: number) => {
      const bytes = Buffer.alloc(length);
      const { bytesRead } = await handle.read(bytes, 0, length, position);
      return bytes.subarray(0, bytesRead);
    };
    const header = await at(0, 512);
    if (header.length < 512 || !startsWith(header, OLE_SIGNATURE)) return false;
    const shift = header.readUInt16LE(0x1e);
    if (shift !== 9 && shift !== 12) return false;
    const sectorSize = 1 << shift;
    const perFatSector = sectorSize / 4;
    const fatSectors = Math.min(header.readUInt32LE(0x2c), 109); // those listed in the header (files up to ~6.8 GB)
    let sector = header.readUInt32LE(0x30);
    // The directory is a chain of sectors; a bound on its length stops a loop in a damaged chain.
    for (let visited = 0; sector < END_OF_CHAIN && visited < 4096; visited++) {
      const directory = await at((sector + 1) * sectorSize, sectorSize);
      if (directory.length < sectorSize) return false;
      for (let entry = 0; entry + 128 <= sectorSize; entry += 128) {
        const nameLength = directory.readUInt16LE(entry + 0x40);
        const type = directory[entry + 0x42];
        if (type === 2 && nameLength === ENCRYPTED_PACKAGE.length + 2 &&
          directory.subarray(entry, entry + ENCRYPTED_PACKAGE.length).equals(ENCRYPTED_PACKAGE)) return true;
      }
      const fatIndex = Math.floor(sector / perFatSector);
      if (fatIndex >= fatSectors) return false;
      const fatSector = header.readUInt32LE(0x4c + 4 * fatIndex);
      const next = await at((fatSector + 1) * sectorSize + (sector % perFatSector) * 4, 4);
      if (next.length < 4) return false;
      sector = next.readUInt32LE(0);
    }
    return false;
  } finally {
    await handle.close();
  }
}

export function startsWith(bytes: Buffer, signature: Buffer): boolean {
  return bytes.length >= signature.length && bytes.subarray(0, signature.length).equals(signature);
}
