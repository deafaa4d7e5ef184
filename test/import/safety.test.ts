import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { sql } from 'kysely';
import { expect, it } from 'vitest';
import { openDatabase } from '../../src/db/connection.ts';
import { dialectOf } from '../../src/db/dialect.ts';
import { importFile } from '../../src/import/index.ts';
import { describeEachDatabase } from '../helpers/databases.ts';
import { untilImportWrites } from '../helpers/import-progress.ts';
import { EXPORT_HEADERS, writeCsv, writeXlsx } from '../helpers/exports.ts';

const BIN = resolve(import.meta.dirname, '../../bin/tthc.js');
const PERSONAL = ['Họ tên người nộp', 'Địa chỉ', 'Số điện thoại', 'CCCD/CMND', 'Email'];

describeEachDatabase('import: nothing personal, nothing half-written', (t) => {
  it('drops personal-data columns in the reader: their values are nowhere in the database', async () => {
    const target = await t.newTarget();
    const db = await t.open(target);
    const dir = t.tempDir();
    const name = 'Nguyễn Thị Độc Nhất Zyxwvq';
    const phone = '0987654321999';
    const headers = [...EXPORT_HEADERS, ...PERSONAL];
    const personal = [name, 'Thôn Zyxwvq, xã Hiền Lương', phone, '025123456789', 'zyxwvq@example.vn'];
    const good = [1, 'PD-1', 'UBND xã Hiền Lương', 'Chứng thực', 'Chứng thực', 'Trực tiếp', '01/03/2021', null, null, null, 'Đang xử lý', ...personal];
    const bad = [2, 'PD-2', 'UBND xã Hiền Lương', 'Chứng thực', 'Chứng thực', 'Fax', '01/03/2021', null, null, null, 'Đang xử lý', ...personal];
    await writeXlsx(join(dir, 'p.xlsx'), headers, [good, bad]);
    writeCsv(join(dir, 'p.csv'), headers, [good.map((v, i) => (i === 1 ? 'PD-3' : v)), bad.map((v, i) => (i === 1 ? 'PD-4' : v))]);
    const a = await importFile(db, join(dir, 'p.xlsx'));
    const b = await importFile(db, join(dir, 'p.csv'));
    expect([a.newDossiers, a.rejected, b.newDossiers, b.rejected]).toEqual([1, 1, 1, 1]);
    expect(a.personalColumnsDropped.sort()).toEqual([...PERSONAL].sort());
    await db.destroy();
    const needles = [name, phone, 'Zyxwvq', 'zyxwvq'];
    if (dialectOf(db) === 'sqlite') {
      for (const file of [target, `${target}-journal`, `${target}-wal`, `${target}-shm`].filter(existsSync)) {
        const bytes = readFileSync(file);
        for (const needle of needles) {
          expect(bytes.includes(Buffer.from(needle, 'utf8')), `${needle} in ${file}`).toBe(false);
          expect(bytes.includes(Buffer.from(needle.normalize('NFD'), 'utf8'))).toBe(false);
        }
      }
    } else {
      const again = await openDatabase(target);
      const { rows } = await sql<{ dump: string }>`
        select (select coalesce(string_agg(d::text, ' '), '') from dossiers d) || (select coalesce(string_agg(r::text, ' '), '') from rejected_rows r)
          || (select coalesce(string_agg(u::text, ' '), '') from units u) || (select coalesce(string_agg(b::text, ' '), '') from import_batches b) as dump`.execute(again);
      await again.destroy();
      for (const needle of needles) expect(rows[0].dump.includes(needle)).toBe(false);
      expect(rows[0].dump).toContain('PD-3');
    }
  });

  it('a process killed with SIGKILL in the middle of a file leaves the database as it was before that file', async () => {
    const target = await t.newTarget();
    const dir = t.tempDir();
    writeCsv(join(dir, 'small.csv'), EXPORT_HEADERS, [[1, 'K-0', 'UBND xã Hiền Lương', 'Khai sinh', 'Hộ tịch', 'Trực tiếp', '01/03/2021', null, null, null, 'Đang xử lý']]);
    const big = join(dir, 'big.csv');
    const rows = Array.from({ length: 400_000 }, (_, i) => [
      i, `K-${i + 1}`, `UBND xã Số ${i % 20}`, 'Khai sinh', 'Hộ tịch', i % 2 ? 'Trực tuyến' : 'Trực tiếp',
      `${String((i % 28) + 1).padStart(2, '0')}/03/2021 08:00`, '30/03/2021', null, null, 'Đang xử lý',
    ]);
    writeCsv(big, EXPORT_HEADERS, rows);
    const db = await openDatabase(target);
    await importFile(db, join(dir, 'small.csv'));

    const child = spawn(process.execPath, [BIN, '--db', target, 'import', big], { stdio: 'ignore' });
    const exited = new Promise<NodeJS.Signals | null>((done) => child.on('exit', (_code, signal) => done(signal)));
    // Wait until the import is inside its transaction and writing, then kill it.
    await untilImportWrites(db, target);
    await new Promise((r) => setTimeout(r, 300));
    child.kill('SIGKILL');
    expect(await exited).toBe('SIGKILL');
    await db.destroy();

    const after = await openDatabase(target);
    const dossiers = await after.selectFrom('dossiers').select('code').execute();
    const batches = await after.selectFrom('import_batches').select('file_name').execute();
    await after.destroy();
    expect(dossiers.map((d) => d.code)).toEqual(['K-0']);
    expect(batches.map((b) => b.file_name)).toEqual(['small.csv']);
  });
});
