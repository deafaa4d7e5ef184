import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { sql } from 'kysely';
import { expect, it } from 'vitest';
import { openDatabase } from '../../src/db/connection.ts';
import { importFile } from '../../src/import/index.ts';
import { tthc } from '../helpers/cli.ts';
import { tempDir } from '../helpers/databases.ts';

// What goes wrong around a file rather than in it (issue 11, point 6): paths that are not there, folders with
// other files, a database that cannot take the write.

const CSV = 'Mã hồ sơ,Đơn vị tiếp nhận,Ngày tiếp nhận,Trạng thái\n';
const row = (code: string) => `${code},UBND xã Ấm Hạ,01/03/2021 08:00,Đang xử lý\n`;

async function countDossiers(db: string): Promise<number> {
  const opened = await openDatabase(db);
  try {
    const r = await opened.selectFrom('dossiers').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    return Number(r.n);
  } finally {
    await opened.destroy();
  }
}

it('imports the paths that exist when one of several is missing, names the missing one, and exits with 1', async () => {
  const dir = tempDir();
  writeFileSync(join(dir, 'a.csv'), CSV + row('A-1'));
  writeFileSync(join(dir, 'b.csv'), CSV + row('B-1'));
  const db = join(dir, 'tthc.db');
  const result = await tthc('--db', db, 'import', '--silent', join(dir, 'a.csv'), join(dir, 'khong-co.csv'), join(dir, 'b.csv'));
  expect(result.code).toBe(1);
  expect(result.stderr).toContain(`${join(dir, 'khong-co.csv')}: không tìm thấy tệp hoặc thư mục`);
  expect(result.stdout).toContain('a.csv');
  expect(result.stdout).toContain('b.csv');
  expect(await countDossiers(db)).toBe(2);
});

it('lists every file of a folder that it does not import, with why; lock files do not fail the run', async () => {
  const dir = tempDir();
  const folder = join(dir, 'thang-03');
  mkdirSync(folder);
  writeFileSync(join(folder, 'a.csv'), CSV + row('A-1'));
  writeFileSync(join(folder, 'bao-cao.pdf'), '%PDF-1.4\n');
  writeFileSync(join(folder, '~$a.xlsx'), 'lock');
  const db = join(dir, 'tthc.db');
  const result = await tthc('--db', db, 'import', '--silent', folder);
  expect(result.stderr).toContain(`${join(folder, 'bao-cao.pdf')}: bỏ qua, tệp PDF, không phải bảng tính`);
  expect(result.stderr).toContain(`${join(folder, '~$a.xlsx')}: bỏ qua, tệp tạm của Excel`);
  expect(result.code).toBe(1);
  expect(await countDossiers(db)).toBe(1);

  const clean = join(dir, 'sach');
  mkdirSync(clean);
  writeFileSync(join(clean, 'b.csv'), CSV + row('B-1'));
  writeFileSync(join(clean, '~$b.xlsx'), 'lock');
  expect((await tthc('--db', db, 'import', '--silent', clean)).code).toBe(0);
});

it('says in one line that the database is full, and stores nothing from the file', async () => {
  const dir = tempDir();
  const file = join(dir, 'big.csv');
  writeFileSync(file, CSV + Array.from({ length: 3000 }, (_, i) => row(`F-${i}`)).join(''));
  const target = join(dir, 'tthc.db');
  const db = await openDatabase(target);
  try {
    const { rows } = await sql<{ page_count: number }>`pragma page_count`.execute(db);
    // A database that cannot grow past its present size plus a few pages: SQLite's own "database or disk is full".
    await sql.raw(`pragma max_page_count = ${rows[0].page_count + 3}`).execute(db);
    const error = await importFile(db, file).then(() => undefined, (e: Error) => e);
    expect(error?.message).toMatch(/ổ đĩa \(hoặc cơ sở dữ liệu\) đã đầy.*không có gì từ tệp này được lưu/);
    expect(error?.message).not.toContain('cannot rollback');
    const n = await db.selectFrom('dossiers').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    expect(Number(n.n)).toBe(0);
    expect(await db.selectFrom('import_batches').selectAll().execute()).toEqual([]);
  } finally {
    await db.destroy();
  }
  const result = await tthc('--db', target, 'import', '--silent', file);
  expect(result.code).toBe(0); // the limit lived in the connection only
});

it('says in one line that the database is read-only', async () => {
  const dir = tempDir();
  const file = join(dir, 'a.csv');
  writeFileSync(file, CSV + row('A-1'));
  const db = await openDatabase(join(dir, 'tthc.db'));
  try {
    await sql`pragma query_only = 1`.execute(db);
    const error = await importFile(db, file).then(() => undefined, (e: Error) => e);
    expect(error?.message).toContain('cơ sở dữ liệu chỉ cho phép đọc');
    expect(error?.message.split('\n')).toHaveLength(1);
  } finally {
    await db.destroy();
  }
});
