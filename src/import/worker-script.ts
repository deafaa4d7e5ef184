/** What a worker thread is started with: its script and the arguments that script reads. */
export interface WorkerScript {
  url: URL;
  argv: string[];
}

/**
 * The script of a worker thread whose module is `source` and whose bundled build is dist/`built`.js (an entry
 * point of scripts/build.mjs, beside every chunk). From the sources a worker runs plain Node: it starts
 * worker-entry.js, which registers tsx and then imports the TypeScript module.
 */
export function workerScript(source: URL, built: string): WorkerScript {
  return import.meta.url.endsWith('.ts')
    ? { url: new URL('./worker-entry.js', import.meta.url), argv: [source.href] }
    : { url: new URL(`./${built}.js`, import.meta.url), argv: [] };
}
