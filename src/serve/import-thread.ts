import { Worker } from 'node:worker_threads';
import type { UploadOptions, UploadResult } from './import-uploads.ts';
import type { ImportJob } from './import-worker.ts';
import { workerScript } from '../import/worker-script.ts';

const WORKER = workerScript(new URL('./import-worker.ts', import.meta.url), 'import-worker');

/** The server's side of its import worker (import-worker.ts): started on the first import, stopped with the server. */
export class ImportWorker {
  private worker: Worker | undefined;
  private ready: Promise<void> | undefined;
  private nextId = 1;
  private readonly waiting = new Map<number, { resolve: (r: UploadResult[]) => void; reject: (e: Error) => void }>();

  constructor(private readonly target: string) {}

  private start(): Promise<void> {
    if (this.ready) return this.ready;
    const worker = new Worker(WORKER.url, { argv: WORKER.argv, workerData: { target: this.target } });
    this.worker = worker;
    this.ready = new Promise((resolve, reject) => {
      worker.on('message', (message: { ready: true } | { id: number; results?: UploadResult[]; failure?: string }) => {
        if ('ready' in message) return resolve();
        const job = this.waiting.get(message.id);
        this.waiting.delete(message.id);
        if (message.results) job?.resolve(message.results);
        else job?.reject(new Error(message.failure));
      });
      const fail = (error: Error) => {
        reject(error);
        for (const job of this.waiting.values()) job.reject(error);
        this.waiting.clear();
        this.worker = undefined;
        this.ready = undefined;
      };
      worker.on('error', fail);
      worker.on('exit', (code) => fail(new Error(`the import worker stopped (exit code ${code})`)));
    });
    return this.ready;
  }

  /** Imports the files saved in `dir`, in the worker; one job at a time is the caller's to ensure. */
  async run(dir: string, names: string[], options: UploadOptions = {}): Promise<UploadResult[]> {
    await this.start();
    const job: ImportJob = { id: this.nextId++, dir, names, options };
    return new Promise((resolve, reject) => {
      this.waiting.set(job.id, { resolve, reject });
      this.worker!.postMessage(job);
    });
  }

  /** Stops the worker; an import under way is rolled back by SQLite (its transaction never commits). */
  async close(): Promise<void> {
    const worker = this.worker;
    if (!worker) return;
    this.worker = undefined;
    if (this.waiting.size) {
      await worker.terminate();
      return;
    }
    const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
    worker.postMessage('close');
    await exited;
  }
}
