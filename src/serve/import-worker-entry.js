// A worker thread runs plain Node: register tsx here, as bin/tthc.js does, then run the TypeScript worker.
import { register } from 'tsx/esm/api';

register();
await import('./import-worker.ts');
