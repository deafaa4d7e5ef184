#!/usr/bin/env -S node --heap-growing-percent=50 --no-allocation-site-pretenuring
// Runs the TypeScript sources directly through tsx, so a clean clone works right after `npm install`
// without a build step.
// V8 options (the benchmarks read them from the line above): the heap grows by half at a time, which keeps a
// large import under 500 MB; and no allocation-site pretenuring: in about one import in five V8 started to
// allocate the parse's short-lived row objects directly in the old generation, where, dead, they kept the young
// values they point to alive, and the parse worker then ran a full collection every 100 ms, 20-30 % slower
// (docs/benchmarks.md).
import { register } from 'tsx/esm/api';

register();
// `tthc … | head` closes the pipe early: that is the reader's choice, not an error.
process.stdout.on('error', (error) => {
  if (error.code === 'EPIPE') process.exit(0);
  throw error;
});
const { main } = await import('../src/cli/index.ts');
process.exitCode = await main(process.argv);
