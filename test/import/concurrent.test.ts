import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { expect, it } from 'vitest';
import { describeEachDatabase } from '../helpers/databases.ts';
import { untilImportWrites } from '../helpers/import-progress.ts';
import { EXPORT_HEADERS, writeCsv } from '../helpers/exports.ts';

const BIN = resolve(import.meta.dirname, '../../bin/tthc.js');

function run(args: string[]): Promise<{ code: number | null; stderr: string }> {
  return new Promise((done) => {
    const child = spawn(process.execPath, [BIN, ...args], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    child.on('exit', (code) => done({ code, stderr }));
  });
}

describeEachDatabase('concurrent imports', (t) => {
  it('two processes importing the same dossiers at once: no duplicate, no lost update', async () => {
    const target = await t.newTarget();
    const db = await t.open(target);
    const dir = t.tempDir();
    const row = (i: number, done: boolean) => [
      i, `C-${i}`, `UBND xã Số ${i % 5}`, 'Khai sinh', 'Hộ tịch', 'Trực tiếp', '01/03/2021 08:00', '10/03/2021',
      done ? '05/03/2021 09:00' : null, null, done ? 'Đã xử lý xong' : 'Đang xử lý',
    ];
    // a: dossiers 1..3000 still in progress; b: 2001..5000, finished. Whichever runs first, 2001..3000 end finished.
    writeCsv(join(dir, 'a.csv'), EXPORT_HEADERS, Array.from({ length: 3000 }, (_, i) => row(i + 1, false)));
    writeCsv(join(dir, 'b.csv'), EXPORT_HEADERS, Array.from({ length: 3000 }, (_, i) => row(i + 2001, true)));
    const results = await Promise.all([
      run(['--db', target, 'import', join(dir, 'a.csv')]),
      run(['--db', target, 'import', join(dir, 'b.csv')]),
    ]);
    for (const r of results) expect(r.stderr).toBe('');
    expect(results.map((r) => r.code)).toEqual([0, 0]);
    const rows = await db
      .selectFrom('dossiers')
      .select(['status', (eb) => eb.fn.countAll<number>().as('n')])
      .groupBy('status')
      .orderBy('status')
      .execute();
    expect(rows.map((r) => [r.status, Number(r.n)])).toEqual([['finished', 3000], ['processing', 2000]]);
    const units = await db.selectFrom('units').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    expect(Number(units.n)).toBe(5);
  });
});

describeEachDatabase('reading during an import', (t) => {
  it("a command that reads while a file is imported sees the database before the file or after it, and does not fail", async () => {
    const target = await t.newTarget();
    const dir = t.tempDir();
    const rows = (from: number, count: number) => Array.from({ length: count }, (_, i) => [
      i, `R-${from + i}`, `UBND xã Số ${i % 20}`, 'Khai sinh', 'Hộ tịch', i % 2 ? 'Trực tuyến' : 'Trực tiếp',
      `${String((i % 28) + 1).padStart(2, '0')}/03/2021 08:00`, '30/03/2021', null, null, 'Đang xử lý',
    ]);
    writeCsv(join(dir, 'first.csv'), EXPORT_HEADERS, rows(0, 10));
    writeCsv(join(dir, 'big.csv'), EXPORT_HEADERS, rows(10, 200_000));
    expect((await run(['--db', target, 'import', join(dir, 'first.csv')])).code).toBe(0);

    const importing = run(['--db', target, 'import', join(dir, 'big.csv')]);
    let done = false;
    void importing.then(() => (done = true));
    await untilImportWrites(await t.open(target), target);
    expect(done).toBe(false);
    // Reads through the CLI, as an auditor would run them, one after the other until the import has ended.
    const seen: string[] = [];
    do {
      const read = await runOut(['--db', target, 'stats', '--year', '2021', '--format', 'json']);
      // The coverage warnings of a year past the data are expected; nothing else.
      expect(read.stderr.split('\n').filter((l) => l && !l.startsWith('tthc: cảnh báo:'))).toEqual([]);
      expect(read.code).toBe(0);
      seen.push(String(JSON.parse(read.stdout)[0]?.receivedTotal));
    } while (!done);
    expect((await importing).code).toBe(0);
    for (const total of seen) expect(['10', '200010']).toContain(total);
  });
});

function runOut(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((done) => {
    const child = spawn(process.execPath, [BIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('exit', (code) => done({ code, stdout, stderr }));
  });
}

describeEachDatabase('catalogue import during an import', (t) => {
  it('a unit catalogue imported while another process writes waits for it instead of failing', async () => {
    const target = await t.newTarget();
    const db = await t.open(target);
    const dir = t.tempDir();
    writeFileSync(join(dir, 'don-vi.csv'), 'Mã đơn vị,Tên đơn vị,Cấp\nX01,UBND xã Một,xa\nX02,UBND xã Hai,xa\n');
    // Another writer in the middle of its transaction, as an import is between its first write and its commit.
    const trx = await db.startTransaction().execute();
    await trx.insertInto('import_batches').values({
      file_name: 'x.csv', sha256: '', imported_at: '2025-01-01 00:00:00', rows_read: 0, new_count: 0,
      updated_count: 0, unchanged_count: 0, rejected_count: 0, footer_rows_skipped: 0,
      personal_columns_dropped: '[]', units_created: '[]', seconds: 0,
    }).execute();
    const importing = run(['--db', target, 'units', 'import', join(dir, 'don-vi.csv')]);
    // Hold the transaction for a while (or until the catalogue import gives up), then commit.
    let ended = false;
    void importing.then(() => (ended = true));
    for (let waited = 0; waited < 4000 && !ended; waited += 100) await new Promise((r) => setTimeout(r, 100));
    await trx.commit().execute();
    const result = await importing;
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const units = await db.selectFrom('units').select('code').orderBy('code').execute();
    expect(units.map((u) => u.code)).toEqual(['X01', 'X02']);
  });
});
