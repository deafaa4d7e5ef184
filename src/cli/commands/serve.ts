import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { redact, resolveDbTarget } from '../../db/connection.ts';
import { DEFAULT_HOST, DEFAULT_PORT, DEFAULT_UPLOAD_LIMIT } from '../../serve/defaults.ts';
import { UserError, withDb } from '../common.ts';
import { SUMMARIES } from '../summaries.ts';

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '::1']);

export function register(program: Command): void {
  program
    .command('serve')
    .description(SUMMARIES.serve)
    .option('--port <n>', 'port to listen on', String(DEFAULT_PORT))
    .option('--host <address>', 'address to listen on; any other than 127.0.0.1, localhost or ::1 requires --password or --password-file', DEFAULT_HOST)
    .option('--password <text>', 'require a login with this password (for a --host other computers reach)')
    .option('--password-file <file>', 'the same, the password being the first line of this file (not shown in the process list)')
    .option('--max-upload <MB>', 'largest file the import page accepts, in MB', String(DEFAULT_UPLOAD_LIMIT / 1024 / 1024))
    .option('--no-open', 'do not open the page in a browser (it opens only when the terminal is interactive)')
    .action(async (opts: { port: string; host: string; maxUpload: string; open: boolean; password?: string; passwordFile?: string }, command: Command) => {
      const port = Number(opts.port);
      if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UserError(`--port phải là số cổng từ 0 đến 65535 (nhận được "${opts.port}")`);
      const maxUpload = Number(opts.maxUpload);
      if (!(maxUpload > 0)) throw new UserError(`--max-upload phải là số MB lớn hơn 0 (nhận được "${opts.maxUpload}")`);
      const password = readPassword(opts.password, opts.passwordFile);
      // Without a login only this computer may reach the page.
      if (!LOOPBACK.has(opts.host) && password === undefined) {
        throw new UserError(`--host ${opts.host} mở trang cho máy khác: cần --password hoặc --password-file (hoặc dùng 127.0.0.1)`);
      }
      const dbLabel = redact(resolveDbTarget(command.optsWithGlobals().db));
      // The server (hono, the pages, the report writer) is loaded only when it runs.
      const { startServer } = await import('../../serve/index.ts');
      await withDb(command, async (db) => {
        const server = await startServer({ db, target: resolveDbTarget(command.optsWithGlobals().db), dbLabel, host: opts.host, port, uploadLimit: maxUpload * 1024 * 1024, password });
        process.stdout.write(`tthc serve: ${server.url} (cơ sở dữ liệu ${dbLabel}); dừng bằng Ctrl+C\n`);
        if (opts.open && process.stdout.isTTY) openBrowser(server.url);
        await new Promise<void>((resolve) => {
          const stop = () => resolve();
          process.once('SIGINT', stop);
          process.once('SIGTERM', stop);
        });
        await server.close();
      });
    });
}

/** The password of --password or the first line of --password-file; at least 8 characters. */
function readPassword(text: string | undefined, file: string | undefined): string | undefined {
  if (text !== undefined && file !== undefined) throw new UserError('chỉ chọn một trong --password và --password-file');
  let password = text;
  if (file !== undefined) {
    try {
      password = readFileSync(file, 'utf8').split(/\r?\n/)[0];
    } catch (error) {
      throw new UserError(`--password-file: không đọc được ${file} (${(error as Error).message})`);
    }
  }
  if (password !== undefined && password.length < 8) throw new UserError('mật khẩu cần ít nhất 8 ký tự');
  return password;
}

/** Opens the page in the desktop's browser; a failure only means the user opens the address printed. */
function openBrowser(url: string): void {
  const [cmd, args] =
    process.platform === 'darwin' ? ['open', [url]] : process.platform === 'win32' ? ['cmd', ['/c', 'start', '', url]] : ['xdg-open', [url]];
  try {
    const child = spawn(cmd, args as string[], { stdio: 'ignore', detached: true });
    child.on('error', () => {});
    child.unref();
  } catch {
    // The address is printed above.
  }
}
