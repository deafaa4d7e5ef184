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

export function startsWith(bytes: Buffer, signature: Buffer): boolean {
  return bytes.length >= signature.length && bytes.subarray(0, signature.length).equals(signature);
}
