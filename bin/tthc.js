#!/usr/bin/env -S node --heap-growing-percent=50
// Runs the TypeScript sources directly through tsx, so a clean clone works right after `npm install`
// without a build step.
import { register } from 'tsx/esm/api';

register();
// `tthc … | head` closes the pipe early: that is the reader's choice, not an error.
process.stdout.on('error', (error) => {
  if (error.code === 'EPIPE') process.exit(0);
  throw error;
});
const { main } = await import('../src/cli/index.ts');
process.exitCode = await main(process.argv);
