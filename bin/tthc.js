#!/usr/bin/env node
// The installed command: runs the build in dist/ (`npm run build`; `npm install` from a git clone builds it).
// `tthc … | head` closes the pipe early: that is the reader's choice, not an error.
process.stdout.on('error', (error) => {
  if (error.code === 'EPIPE') process.exit(0);
  throw error;
});
let cli;
try {
  cli = await import('../dist/cli.js');
} catch (error) {
  if (error?.code !== 'ERR_MODULE_NOT_FOUND' || !String(error.message).includes('dist/cli.js')) throw error;
  process.stderr.write('tthc: chưa có bản dựng dist/: chạy npm run build (hoặc npm install) trong thư mục của tthc\n');
  process.exit(2);
}
process.exitCode = await cli.main(process.argv);
