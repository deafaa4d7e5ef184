// A worker thread started from the sources runs plain Node: register tsx, then run the TypeScript worker named
// by workerScript (worker-script.ts).
import { register } from 'tsx/esm/api';

register();
await import(process.argv[2]);
