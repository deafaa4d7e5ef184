import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import type { Db } from '../../src/db/connection.ts';
import { importFile, type FileSummary } from '../../src/import/index.ts';
import { InputError } from '../../src/import/types.ts';
import { describeEachDatabase } from '../helpers/databases.ts';
import { EXPORT_HEADERS, excelDate, writeCsv, writeXlsx, type Cell } from '../helpers/exports.ts';

// Large files are read and validated in a worker thread (src/import/parse-in-worker.ts). These tests force the
// worker on small files and check that it gives what the importer's own thread gives, errors included.

const XA = 'UBND xã Hiền Lương';
const UNCLEAR = 'Bộ phận một cửa liên thông'; // a name that does not tell its level: rejected unless catalogued

function row(code: string, unit: string, channel: string, received: Cell, due: Cell, ended: Cell, returned: Cell, status: string): Cell[] {
  return [1, code, unit, 'Đăng ký khai sinh', 'Hộ tịch', channel, received, due, ended, returned, status];
}

/** 5,000 rows: good ones on many days, a repeated dossier far apart, bad rows of several kinds. */
function mixedRows(): Cell[][] {
  const rows: Cell[][] = [];
  for (let i = 0; i < 5000; i++) {
    const day = String((i % 28) + 1).padStart(2, '0');
    const month = String((i % 12) + 1).padStart(2, '0');
    const done = i % 3 === 0;
    rows.push(row(`W-${i}`, i % 2 ? XA : 'UBND huyện Hạ Hoà', i % 5 ? 'Trực tiếp' : 'Trực tuyến', `${day}/${month}/2022 08:00`,
      `${day}/${month}/2022 17:00`, done ? `${day}/${month}/2022 16:00` : null, null, done ? 'Đã xử lý xong' : 'Đang xử lý'));
  }
  rows[100] = row('W-100', XA, 'Fax', '01/03/2022', null, null, null, 'Đang xử lý');
  rows[2500] = row('W-2500', XA, 'Trực tiếp', '31/02/2022', null, null, null, 'Đang xử lý');
  rows[4000] = row('W-4000', UNCLEAR, 'Trực tiếp', '01/03/2022', null, null, null, 'Đang xử lý');
  // W-1 again near the end, now finished: merged into the first, counted once.
  rows.push(row('W-1', XA, 'Trực tiếp', '02/02/2022 08:00', '02/02/2022 17:00', '02/02/2022 10:00', null, 'Đã xử lý xong'));
  return rows;
}

async function contents(db: Db) {
  return {
    dossiers: await db.selectFrom('dossiers').selectAll().orderBy('code').execute(),
    rejects: await db.selectFrom('rejected_rows').select(['row_number', 'reasons', 'row_values']).orderBy('row_number').execute(),
    summary: await db.selectFrom('dossier_half_months').selectAll().orderBy('unit_code').orderBy('field').orderBy('channel').orderBy('half_month').execute(),
  };
}

function counts(s: FileSummary) {
  const { seconds: _s, batchId: _b, ...rest } = s;
  return rest;
}

describeEachDatabase('import with the parse worker', (t) => {
  it('gives the same database and summary line as parsing in the importer’s thread', async () => {
    const file = join(t.tempDir(), 'mixed.csv');
    writeCsv(file, EXPORT_HEADERS, mixedRows());
    const inThread = await t.open();
    const inWorker = await t.open();
    const a = await importFile(inThread, file, { parseThread: 'main' });
    const b = await importFile(inWorker, file, { parseThread: 'worker' });

    expect(counts(b)).toEqual(counts(a));
    expect([b.rowsRead, b.newDossiers, b.repeatedInFile, b.rejected]).toEqual([5001, 4997, 1, 3]);
    const [fromThread, fromWorker] = [await contents(inThread), await contents(inWorker)];
    expect(fromWorker).toEqual(fromThread);
    expect(fromWorker.dossiers).toHaveLength(4997);
    expect(fromWorker.rejects.map((r) => r.row_number)).toEqual([102, 2502, 4002]);
    const unclear = fromWorker.rejects[2];
    expect(JSON.parse(unclear.reasons)[0]).toMatch(/chưa có trong danh mục/);
    expect(JSON.parse(unclear.row_values)['Đơn vị tiếp nhận']).toBe(UNCLEAR);
    const w1 = fromWorker.dossiers.find((d) => d.code === 'W-1')!;
    expect([w1.status, w1.ended_at]).toEqual(['finished', '2022-02-02 10:00:00']);
    // The batch keeps the file's SHA-256, hashed while the file is parsed and written.
    const fileHash = createHash('sha256').update(readFileSync(file)).digest('hex');
    for (const db of [inThread, inWorker]) {
      expect(await db.selectFrom('import_batches').select('sha256').execute()).toEqual([{ sha256: fileHash }]);
    }
  });

  it('reads .xlsx date cells at the wall-clock time they show', async () => {
    const db = await t.open();
    const file = join(t.tempDir(), 'edges.xlsx');
    await writeXlsx(file, EXPORT_HEADERS, [
      row('E-1', XA, 'Trực tiếp', excelDate(2021, 3, 31, 23, 30), null, null, null, 'Đang xử lý'),
      row('E-2', XA, 'Trực tiếp', excelDate(2021, 4, 1, 0, 10), null, null, null, 'Đang xử lý'),
    ]);
    const s = await importFile(db, file, { parseThread: 'worker' });
    expect([s.rowsRead, s.newDossiers, s.footerRowsSkipped > 0]).toEqual([2, 2, true]);
    const received = await db.selectFrom('dossiers').select('received_at').orderBy('code').execute();
    expect(received.map((r) => r.received_at)).toEqual(['2021-03-31 23:30:00', '2021-04-01 00:10:00']);
    // The .xlsx reader reads the zip's parts where they are; the file's hash is still of every byte.
    const fileHash = createHash('sha256').update(readFileSync(file)).digest('hex');
    const inThread = await t.open();
    await importFile(inThread, file, { parseThread: 'main' });
    for (const each of [db, inThread]) {
      expect(await each.selectFrom('import_batches').select('sha256').execute()).toEqual([{ sha256: fileHash }]);
    }
  });

  it('stops a --strict file at its first bad row and stores nothing from it', async () => {
    const db = await t.open();
    const file = join(t.tempDir(), 'strict.csv');
    writeCsv(file, EXPORT_HEADERS, mixedRows());
    await expect(importFile(db, file, { strict: true, parseThread: 'worker' })).rejects.toThrow(/strict\.csv, dòng 102: hình thức nộp không rõ: "Fax"/);
    const n = await db.selectFrom('dossiers').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    expect(Number(n.n)).toBe(0);
  });

  it('reports an unreadable file as one line and leaves the database unchanged', async () => {
    const db = await t.open();
    const dir = t.tempDir();
    const good = join(dir, 'good.xlsx');
    await writeXlsx(good, EXPORT_HEADERS, [row('C-1', XA, 'Trực tiếp', '01/03/2021', null, null, null, 'Đang xử lý')]);
    const bytes = readFileSync(good);
    writeFileSync(join(dir, 'truncated.xlsx'), bytes.subarray(0, Math.floor(bytes.length / 2)));
    writeCsv(join(dir, 'noheader.csv'), ['a', 'b'], [['1', '2']]);
    for (const name of ['truncated.xlsx', 'noheader.csv']) {
      const error = await importFile(db, join(dir, name), { parseThread: 'worker' }).catch((e) => e);
      expect(error, name).toBeInstanceOf(InputError);
      expect(error.message, name).toContain(name);
      expect(error.message.split('\n'), name).toHaveLength(1);
    }
    expect(await db.selectFrom('import_batches').selectAll().execute()).toEqual([]);
  });

  it('keeps every value of a column with more distinct words than the parsed rows number at once', async () => {
    // Units, procedures, fields, channels and statuses travel as word numbers, restarted past 50,000 words
    // (parsed-file.ts): a file with a distinct procedure name and field on every row crosses that limit.
    const rows: Cell[][] = [];
    for (let i = 0; i < 60_000; i++) {
      rows.push([i, `P-${i}`, i % 3 ? XA : 'UBND huyện Hạ Hoà', `Thủ tục số ${i}`, `Lĩnh vực ${i % 7 ? i : 'chung'}`, i % 2 ? 'Trực tuyến' : 'Trực tiếp',
        '05/01/2023 08:00', null, null, null, 'Đang xử lý']);
    }
    const file = join(t.tempDir(), 'many-words.csv');
    writeCsv(file, EXPORT_HEADERS, rows);
    const db = await t.open();
    const summary = await importFile(db, file, { parseThread: 'worker' });
    expect(summary.newDossiers).toBe(60_000);
    const stored = await db.selectFrom('dossiers').select(['code', 'unit_code', 'procedure_name', 'field', 'channel', 'status']).execute();
    const units = new Map((await db.selectFrom('units').select(['code', 'name']).execute()).map((u) => [u.code, u.name]));
    const wrong = stored.filter((d) => {
      const i = Number(d.code.slice(2));
      return (
        d.procedure_name !== `Thủ tục số ${i}` || d.field !== `Lĩnh vực ${i % 7 ? i : 'chung'}` ||
        d.channel !== (i % 2 ? 'truc_tuyen' : 'truc_tiep') || d.status !== 'processing' ||
        units.get(d.unit_code) !== (i % 3 ? XA : 'UBND huyện Hạ Hoà')
      );
    });
    expect(stored).toHaveLength(60_000);
    expect(wrong.slice(0, 3)).toEqual([]);
  });
});
