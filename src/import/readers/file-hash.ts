import { createHash, type Hash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { fileError } from './file-head.ts';

/**
 * Adds every byte of a file to `hash`, by a read of its own: for a reader that does not read the file from
 * start to end (the .xlsx reader reads the zip's parts where they are). The .csv reader hashes what it reads.
 */
export async function hashFileInto(hash: Hash, path: string): Promise<void> {
  try {
    for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  } catch (error) {
    throw fileError(path, error);
  }
}

/** The SHA-256 (hex) of a file, by a read of its own. */
export async function sha256OfFile(path: string): Promise<string> {
  const hash = createHash('sha256');
  await hashFileInto(hash, path);
  return hash.digest('hex');
}
