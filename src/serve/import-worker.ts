import { parentPort, workerData } from 'node:worker_threads';
import { openDatabase } from '../db/connection.ts';
import { importUploads, type UploadOptions } from './import-uploads.ts';

// The server's import worker: imports of uploaded files on a connection of its own, in its own thread, so that
// the server's thread keeps answering the pages (which read, in WAL mode, the database as it was before the
// file) while a file's transaction runs. It lives as long as the server, taking one job at a time.

export interface ImportJob {
  id: number;
  dir: string;
  names: string[];
  options: UploadOptions;
}

const { target } = workerData as { target: string };
const db = await openDatabase(target);
parentPort!.on('message', async (job: ImportJob | 'close') => {
  if (job === 'close') {
    await db.destroy();
    parentPort!.close();
    return;
  }
  try {
    parentPort!.postMessage({ id: job.id, results: await importUploads(db, job.dir, job.names, job.options) });
  } catch (error) {
    parentPort!.postMessage({ id: job.id, failure: (error as Error)?.stack ?? String(error) });
  }
});
parentPort!.postMessage({ ready: true });
