import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { fileError } from './readers/file-head.ts';

/** The SHA-256 of a file, as hex: the batch row keeps it, so that `tthc batches` shows which file was imported. */
export async function sha256File(path: string): Promise<string> {
  const hash = createHash('sha256');
  try {
    for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  } catch (error) {
    throw fileError(path, error);
  }
  return hash.digest('hex');
}
