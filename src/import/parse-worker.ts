import { parentPort, workerData } from 'node:worker_threads';
import { parseFile, type ParseOptions } from './parsed-file.ts';
import { NotAnExport } from './readers/index.ts';
import { InputError } from './types.ts';
import type { WorkerMessage } from './parse-in-worker.ts';

// The worker side of parse-in-worker.ts: reads and validates one file and posts its batches, a few ahead of
// the importer at most (it acknowledges each batch it takes), so memory stays flat however large the file.

const { path, options, maxAhead } = workerData as { path: string; options: ParseOptions; maxAhead: number };
const port = parentPort!;
let credits = maxAhead;
let wake: (() => void) | undefined;
port.on('message', (message) => {
  if (message === 'ack') {
    credits++;
    wake?.();
    wake = undefined;
  }
});
const post = (message: WorkerMessage) => port.postMessage(message);

try {
  const file = await parseFile(path, options);
  post({ type: 'layout', layout: file.layout });
  for await (const batch of file.batches) {
    while (credits === 0) await new Promise<void>((resolve) => (wake = resolve));
    credits--;
    post({ type: 'batch', batch });
  }
  post({ type: 'end', footerRowsSkipped: file.footerRowsSkipped(), sha256: file.sha256(), dateEvidence: file.dateEvidence() });
} catch (error) {
  if (error instanceof InputError) {
    post({ type: 'input-error', file: error.file, detail: error.detail, rowNumber: error.rowNumber, sheet: error.sheet, notAnExport: error instanceof NotAnExport });
  }
  else post({ type: 'failure', message: error instanceof Error ? error.message : String(error), stack: error instanceof Error ? error.stack : undefined });
}
