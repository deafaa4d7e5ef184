import { spawn } from 'node:child_process';
import { join, resolve } from 'node:path';
import { expect, it } from 'vitest';
import { describeEachDatabase } from '../helpers/databases.ts';
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
