import { statSync } from 'node:fs';
import { Worker } from 'node:worker_threads';
import { parseFile, type DateEvidence, type ParsedBatch, type ParsedFile, type ParseOptions } from './parsed-file.ts';
import { NotAnExport } from './readers/index.ts';
import { InputError, type TableLayout } from './types.ts';
import { workerScript } from './worker-script.ts';

// Large files are read and validated in a worker thread while the importer's thread merges and writes the
// previous batch: on a machine with two cores or more, the slower of the two sets the pace instead of their sum.

export type WorkerMessage =
  | { type: 'layout'; layout: TableLayout }
  | { type: 'batch'; batch: ParsedBatch }
  | { type: 'end'; footerRowsSkipped: number; sha256: string; dateEvidence: DateEvidence }
  | { type: 'input-error'; file: string; detail: string; rowNumber?: number; sheet?: string; notAnExport?: boolean }
  | { type: 'failure'; message: string; stack?: string };

/** Files from this size on are parsed in a worker: below it, starting the worker costs more than it saves. */
export const WORKER_MIN_BYTES = 4 * 1024 * 1024;
/**
 * The worker's young generation: 48 MB gives it 16 MB semi-spaces (V8 rounds to a power of two), the default
 * size, set here so that it holds however the process is started. The parse makes short-lived values by the
 * million, but twice that (32 MB semi-spaces) was no faster in runs alternated in the same minutes (2026-12-04, 1,000,000 rows: `.csv` 16.3/16.3/16.6 s
 * against 18.7/15.9/16.0 s, `.xlsx` 19.6/21.5 s against 22.0/22.1 s) and took 20–40 MB more (`.csv` 386–405 MB
 * against 418–435 MB, `.xlsx` 434–436 MB against 455–457 MB, the kernel's peak RSS).
 * A process-wide --max-semi-space-size would override this, so bin/tthc.js sets none.
 */
const WORKER_YOUNG_GENERATION_MB = 48;
const WORKER = workerScript(new URL('./parse-worker.ts', import.meta.url), 'parse-worker');
/** Batches the worker may parse ahead of the importer. */
const MAX_AHEAD = 4;

/** Where a file is parsed: 'auto' picks the worker for large files. */
export type ParseThread = 'auto' | 'worker' | 'main';

/** Reads and validates a file, in a worker thread or in this one (see ParseThread). */
export async function openParsedFile(path: string, options: ParseOptions, thread: ParseThread = 'auto'): Promise<ParsedFile> {
  if (thread === 'main' || (thread === 'auto' && !isLarge(path))) return parseFile(path, options);
  return parseInWorker(path, options);
}

function isLarge(path: string): boolean {
  try {
    return statSync(path).size >= WORKER_MIN_BYTES;
  } catch {
    return false; // parseFile reports the missing or unreadable file
  }
}

async function parseInWorker(path: string, options: ParseOptions): Promise<ParsedFile> {
  const worker = new Worker(WORKER.url, {
    argv: WORKER.argv,
    workerData: { path, options, maxAhead: MAX_AHEAD },
    resourceLimits: { maxYoungGenerationSizeMb: WORKER_YOUNG_GENERATION_MB },
  });
  const inbox = new Inbox();
  let finished = false;
  worker.on('message', (message: WorkerMessage) => inbox.push(message));
  worker.on('error', (error) => inbox.push({ type: 'failure', message: error.message, stack: error.stack }));
  worker.on('exit', (code) => {
    if (!finished) inbox.push({ type: 'failure', message: `the parse worker stopped (exit code ${code})` });
  });
  const close = async () => {
    finished = true;
    await worker.terminate();
  };

  let footerRowsSkipped = 0;
  let dateEvidence: DateEvidence = { undecided: false };
  let sha256: string | undefined;
  const take = async (): Promise<WorkerMessage> => {
    const message = await inbox.next();
    if (message.type === 'input-error') {
      if (message.notAnExport) throw new NotAnExport(message.file, message.detail);
      throw new InputError(message.file, message.detail, message.rowNumber, message.sheet);
    }
    if (message.type === 'failure') {
      // A bug in the worker: its message for the one line, its own stack for TTHC_DEBUG.
      const failure = new Error(`the parse worker failed: ${message.message}`);
      if (message.stack) failure.stack = `${failure.message}\n(worker) ${message.stack}`;
      throw failure;
    }
    return message;
  };

  try {
    const first = await take();
    if (first.type !== 'layout') throw new Error(`parse worker: expected the layout, got ${first.type}`);
    async function* batches(): AsyncGenerator<ParsedBatch> {
      try {
        for (;;) {
          const message = await take();
          if (message.type === 'end') {
            footerRowsSkipped = message.footerRowsSkipped;
            dateEvidence = message.dateEvidence;
            sha256 = message.sha256;
            return;
          }
          if (message.type !== 'batch') throw new Error(`parse worker: unexpected ${message.type}`);
          worker.postMessage('ack');
          yield message.batch;
        }
      } finally {
        await close();
      }
    }
    const hash = () => {
      if (sha256 === undefined) throw new Error('parse worker: the hash is known once every batch is read');
      return sha256;
    };
    return {
      layout: first.layout, batches: batches(), footerRowsSkipped: () => footerRowsSkipped, dateEvidence: () => dateEvidence, sha256: hash, close,
    };
  } catch (error) {
    await close();
    throw error;
  }
}

/** Messages in arrival order, each taken once. */
class Inbox {
  private readonly messages: WorkerMessage[] = [];
  private waiting: ((message: WorkerMessage) => void) | undefined;

  push(message: WorkerMessage): void {
    if (this.waiting) {
      const resolve = this.waiting;
      this.waiting = undefined;
      resolve(message);
    } else this.messages.push(message);
  }

  next(): Promise<WorkerMessage> {
    const message = this.messages.shift();
    if (message) return Promise.resolve(message);
    return new Promise((resolve) => (this.waiting = resolve));
  }
}
