import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { tthc } from '../helpers/cli.ts';
import { tempDir } from '../helpers/databases.ts';
import { tinyDatabase, TINY_2023 } from './fixtures.ts';

// `tthc serve` as a user starts it: a real process, on the database of --db, stopped with Ctrl+C (SIGINT).

const BIN = join(import.meta.dirname, '../../bin/tthc.js');

it('serves the database of --db on 127.0.0.1, prints its address, and stops on SIGINT', async () => {
  const target = await tinyDatabase(tempDir('tthc-serve-cli-'));
  const child = spawn(process.execPath, [BIN, '--db', target, 'serve', '--port', '0', '--no-open'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stderr.on('data', (chunk) => (stderr += chunk));
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout.on('data', (chunk) => {
      stdout += chunk;
      const m = /http:\/\/127\.0\.0\.1:\d+/.exec(stdout);
      if (m) resolve(m[0]);
    });
    child.once('exit', (code) => reject(new Error(`tthc serve exited (${code}): ${stderr}`)));
  });
  expect(stdout).toContain(`(cơ sở dữ liệu ${target})`);
  // While it serves, the file is in WAL mode, so that the pages read while an import writes.
  expect(existsSync(`${target}-wal`)).toBe(true);
  const [row] = (await (await fetch(`${url}/api/stats?year=2023`)).json()) as Array<{ receivedTotal: number }>;
  expect(row.receivedTotal).toBe(TINY_2023.receivedTotal);
  const code = await new Promise<number | null>((resolve) => {
    child.once('exit', resolve);
    child.kill('SIGINT');
  });
  expect(stderr).toBe('');
  expect(code).toBe(0);
  // Stopped, it leaves the file as tthc keeps it: a rollback journal, no WAL beside it.
  expect(existsSync(`${target}-wal`)).toBe(false);
});

it('refuses to listen on an address other computers reach without a password', async () => {
  const db = join(tempDir('tthc-serve-cli-'), 'x.db');
  const open = await tthc('--db', db, 'serve', '--host', '0.0.0.0', '--no-open');
  expect(open.code).toBe(1);
  expect(open.stderr).toBe('tthc: --host 0.0.0.0 mở trang cho máy khác: cần --password hoặc --password-file (hoặc dùng 127.0.0.1)\n');
  const short = await tthc('--db', db, 'serve', '--host', '0.0.0.0', '--password', 'ngan', '--no-open');
  expect(short.code).toBe(1);
  expect(short.stderr).toBe('tthc: mật khẩu cần ít nhất 8 ký tự\n');
  expect(existsSync(db)).toBe(false);
});
