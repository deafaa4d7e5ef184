import ExcelJS from 'exceljs';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { sql } from 'kysely';
import { expect, it } from 'vitest';
import type { Db } from '../../src/db/connection.ts';
import { importFile, importFiles, importUnits } from '../../src/import/index.ts';
import { InputError } from '../../src/import/types.ts';
import { describeEachDatabase } from '../helpers/databases.ts';
import { EXPORT_HEADERS, excelDate, writeCsv, writeXlsx, type Cell } from '../helpers/exports.ts';

const HH = 'UBND huyện Hạ Hoà';
const XA = 'UBND xã Hiền Lương';

/** A row in EXPORT_HEADERS order: STT, code, unit, procedure, field, channel, received, due, ended, returned, status. */
function row(code: string, unit: string, channel: string, received: Cell, due: Cell, ended: Cell, returned: Cell, status: string): Cell[] {
  return [1, code, unit, 'Đăng ký khai sinh', 'Hộ tịch', channel, received, due, ended, returned, status];
}

async function dossiers(db: Db) {
  return db.selectFrom('dossiers').selectAll().orderBy('code').execute();
}
async function count(db: Db, table: 'dossiers' | 'import_batches' | 'rejected_rows' | 'units') {
  const r = await db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  return Number(r.n);
}

describeEachDatabase('import', (t) => {
  it('imports an .xlsx with title rows and a footer, and a semicolon .csv with BOM', async () => {
    const db = await t.open();
    const dir = t.tempDir();
    await writeXlsx(join(dir, 'a.xlsx'), EXPORT_HEADERS, [
      row('H-1', HH, 'Trực tiếp', '01/03/2021 08:00', '05/03/2021', '04/03/2021 10:00', '04/03/2021 15:00', 'Đã trả kết quả'),
      row('H-2', HH, 'Trực tuyến', '02/03/2021 09:00', '09/03/2021', null, null, 'Đang xử lý'),
    ]);
    writeCsv(join(dir, 'b.csv'), EXPORT_HEADERS, [
      row('X-1', XA, 'Một cửa', '2021-03-03 07:45', '2021-03-03', '2021-03-03 16:00', null, 'Đã xử lý xong'),
    ], { delimiter: ';', bom: true });
    const [a, b] = await importFiles(db, [dir]);
    expect([a.rowsRead, a.newDossiers, a.rejected, a.footerRowsSkipped > 0]).toEqual([2, 2, 0, true]);
    expect([b.rowsRead, b.newDossiers]).toEqual([1, 1]);
    const rows = await dossiers(db);
    expect(rows.map((r) => [r.code, r.channel, r.status, r.received_at, r.ended_at])).toEqual([
      ['H-1', 'truc_tiep', 'returned', '2021-03-01 08:00:00', '2021-03-04 10:00:00'],
      ['H-2', 'truc_tuyen', 'processing', '2021-03-02 09:00:00', null],
      ['X-1', 'truc_tiep', 'finished', '2021-03-03 07:45:00', '2021-03-03 16:00:00'],
    ]);
    const units = await db.selectFrom('units').select(['name', 'level']).orderBy('name').execute();
    expect(units).toEqual([{ name: HH, level: 'huyen' }, { name: XA, level: 'xa' }]);
    expect(a.unitsCreated).toEqual([HH]);
  });

  it('keeps Excel date cells at the wall-clock time they show, on month edges', async () => {
    const db = await t.open();
    const file = join(t.tempDir(), 'edges.xlsx');
    await writeXlsx(file, EXPORT_HEADERS, [
      row('E-1', XA, 'Trực tiếp', excelDate(2021, 3, 31, 23, 30), null, null, null, 'Đang xử lý'),
      row('E-2', XA, 'Trực tiếp', excelDate(2021, 4, 1, 0, 10), null, null, null, 'Đang xử lý'),
    ]);
    await importFile(db, file);
    expect((await dossiers(db)).map((r) => r.received_at)).toEqual(['2021-03-31 23:30:00', '2021-04-01 00:10:00']);
  });

  it('rejects a row whose date cell holds a number beyond any date, and imports the others', async () => {
    const db = await t.open();
    const file = join(t.tempDir(), 'huge-date.xlsx');
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('Danh sách');
    sheet.addRow(EXPORT_HEADERS);
    sheet.addRow(row('H-1', XA, 'Trực tiếp', excelDate(2021, 3, 1, 8, 0), null, null, null, 'Đang xử lý'));
    const huge = sheet.addRow(row('H-2', XA, 'Trực tiếp', 1e15, null, null, null, 'Đang xử lý'));
    huge.getCell(EXPORT_HEADERS.indexOf('Ngày tiếp nhận') + 1).numFmt = 'dd/mm/yyyy hh:mm';
    const codeIsHugeDate = row('', XA, 'Trực tiếp', excelDate(2021, 3, 2, 8, 0), null, null, null, 'Đang xử lý');
    codeIsHugeDate[EXPORT_HEADERS.indexOf('Mã hồ sơ')] = 1e15;
    const hugeCode = sheet.addRow(codeIsHugeDate);
    hugeCode.getCell(EXPORT_HEADERS.indexOf('Mã hồ sơ') + 1).numFmt = 'dd/mm/yyyy';
    await workbook.xlsx.writeFile(file);

    const s = await importFile(db, file);
    expect([s.rowsRead, s.newDossiers, s.rejected]).toEqual([3, 1, 2]);
    expect((await dossiers(db)).map((r) => r.code)).toEqual(['H-1']);
    const reasons = (await db.selectFrom('rejected_rows').select('reasons').orderBy('row_number').execute()).map((r) => JSON.parse(r.reasons).join(' | '));
    expect(reasons[0]).toMatch(/ngày tiếp nhận/);
    expect(reasons[1]).toMatch(/thiếu mã hồ sơ/);
  });

  it('rejects each bad row with one reason per problem and imports the good rows', async () => {
    const db = await t.open();
    const file = join(t.tempDir(), 'bad.csv');
    writeCsv(file, EXPORT_HEADERS, [
      row('', XA, 'Trực tiếp', '01/03/2021', null, null, null, 'Đang xử lý'),
      row('R-2', XA, 'Trực tiếp', '', null, null, null, 'Đang xử lý'),
      row('R-3', XA, 'Trực tiếp', '31/02/2021', null, null, null, 'Đang xử lý'),
      row('R-4', XA, 'Fax', '01/03/2021', null, null, null, 'Đang xử lý'),
      row('R-5', XA, 'Trực tiếp', '05/03/2021', null, '01/03/2021', null, 'Đã xử lý xong'),
      row('R-6', XA, 'Trực tiếp', '01/03/2021', null, '02/03/2021', null, 'Đang xử lý'),
      row('R-7', XA, 'Trực tiếp', '01/03/2021', null, null, null, 'Đã xử lý xong'),
      row('OK-1', XA, 'Trực tiếp', '01/03/2021', null, null, '03/03/2021 10:00', 'Đã trả kết quả'),
      row('R-9', XA, 'Fax', '31/02/2021', null, null, null, 'Đang xử lý'),
    ]);
    const s = await importFile(db, file);
    expect([s.rowsRead, s.newDossiers, s.rejected]).toEqual([9, 1, 8]);
    const ok = await dossiers(db);
    // Finished with no end date: the returned date stands in as the end.
    expect(ok.map((r) => [r.code, r.ended_at])).toEqual([['OK-1', '2021-03-03 10:00:00']]);
    const rejects = await db.selectFrom('rejected_rows').selectAll().orderBy('row_number').execute();
    const reasons = rejects.map((r) => [r.row_number, JSON.parse(r.reasons)]);
    expect(reasons.map(([n]) => n)).toEqual([2, 3, 4, 5, 6, 7, 8, 10]);
    const text = reasons.map(([, r]) => (r as string[]).join(' | '));
    expect(text[0]).toMatch(/thiếu mã hồ sơ/);
    expect(text[1]).toMatch(/thiếu ngày tiếp nhận/);
    expect(text[2]).toMatch(/31\/02\/2021.*không tồn tại/);
    expect(text[3]).toMatch(/hình thức nộp không rõ: "Fax"/);
    expect(text[4]).toMatch(/trước ngày tiếp nhận/);
    expect(text[5]).toMatch(/Đang xử lý.*có ngày kết thúc/);
    expect(text[6]).toMatch(/không có ngày kết thúc/);
    expect((reasons[7][1] as string[]).length).toBe(2);
    expect(JSON.parse(rejects[3].row_values)['Hình thức nộp']).toBe('Fax');
  });

  it('with --strict stores nothing from a file with a bad row', async () => {
    const db = await t.open();
    const file = join(t.tempDir(), 'strict.csv');
    writeCsv(file, EXPORT_HEADERS, [
      row('S-1', XA, 'Trực tiếp', '01/03/2021', null, null, null, 'Đang xử lý'),
      row('S-2', XA, 'Trực tiếp', '31/02/2021', null, null, null, 'Đang xử lý'),
    ]);
    await expect(importFile(db, file, { strict: true })).rejects.toThrow(/strict\.csv, dòng 3: ngày tiếp nhận không hợp lệ/);
    expect([await count(db, 'dossiers'), await count(db, 'import_batches'), await count(db, 'units')]).toEqual([0, 0, 0]);
  });

  it('re-imports safely: the same file twice gives 0 new and 0 updated', async () => {
    const db = await t.open();
    const file = join(t.tempDir(), 'same.csv');
    writeCsv(file, EXPORT_HEADERS, [
      row('D-1', XA, 'Trực tiếp', '01/03/2021', '05/03/2021', null, null, 'Đang xử lý'),
      row('D-2', XA, 'Trực tuyến', '01/03/2021', '05/03/2021', '04/03/2021', null, 'Đã xử lý xong'),
    ]);
    await importFile(db, file);
    const again = await importFile(db, file);
    expect([again.newDossiers, again.updated, again.unchanged]).toEqual([0, 0, 2]);
    expect(await count(db, 'dossiers')).toBe(2);
  });

  it('never moves progress backward, whatever order the snapshots come in', async () => {
    const dir = t.tempDir();
    const march = join(dir, '2021-03.csv');
    const april = join(dir, '2021-04.csv');
    writeCsv(march, EXPORT_HEADERS, [
      row('P-1', XA, 'Trực tiếp', '25/03/2021 08:00', '02/04/2021', null, null, 'Đang xử lý'),
      row('P-2', XA, 'Trực tiếp', '26/03/2021 08:00', '', null, null, 'Yêu cầu bổ sung'),
    ]);
    writeCsv(april, EXPORT_HEADERS, [
      row('P-1', XA, 'Trực tiếp', '25/03/2021 08:00', '', '01/04/2021 09:00', '02/04/2021 10:00', 'Đã trả kết quả'),
      row('P-2', XA, '', '26/03/2021 08:00', '06/04/2021', '05/04/2021 09:00', null, 'Từ chối'),
    ]);
    const forward = await t.open();
    await importFile(forward, march);
    const second = await importFile(forward, april);
    expect([second.newDossiers, second.updated]).toEqual([0, 2]);
    const backward = await t.open();
    await importFile(backward, april);
    const older = await importFile(backward, march);
    // The older export still fills what the newer one left empty (P-1's due date, P-2's channel).
    expect([older.newDossiers, older.updated, older.unchanged]).toEqual([0, 2, 0]);
    const strip = (rows: Awaited<ReturnType<typeof dossiers>>) => rows.map(({ created_batch_id, updated_batch_id, ...r }) => r);
    const a = strip(await dossiers(forward));
    expect(a).toEqual(strip(await dossiers(backward)));
    expect(a.map((r) => [r.code, r.status, r.due_at, r.ended_at, r.channel])).toEqual([
      ['P-1', 'returned', '2021-04-02 00:00:00', '2021-04-01 09:00:00', 'truc_tiep'],
      ['P-2', 'rejected', '2021-04-06 00:00:00', '2021-04-05 09:00:00', 'truc_tiep'],
    ]);
  });

  it('counts a dossier repeated far apart in one file once', async () => {
    const db = await t.open();
    const file = join(t.tempDir(), 'repeat.csv');
    const rows = Array.from({ length: 3001 }, (_, i) => row(`RP-${i}`, XA, 'Trực tiếp', '01/03/2021 08:00', '10/03/2021', null, null, 'Đang xử lý'));
    // The first dossier again, 3,000 rows later (past the first chunk written), now finished.
    rows.push(row('RP-0', XA, 'Trực tiếp', '01/03/2021 08:00', '10/03/2021', '05/03/2021 09:00', null, 'Đã xử lý xong'));
    writeCsv(file, EXPORT_HEADERS, rows);
    const s = await importFile(db, file);
    expect([s.rowsRead, s.newDossiers, s.updated, s.unchanged, s.repeatedInFile, s.rejected]).toEqual([3002, 3001, 0, 0, 1, 0]);
    expect(await count(db, 'dossiers')).toBe(3001);
    const first = await db.selectFrom('dossiers').select(['status', 'ended_at']).where('code', '=', 'RP-0').executeTakeFirstOrThrow();
    expect(first).toEqual({ status: 'finished', ended_at: '2021-03-05 09:00:00' });
  });

  it('imports a dossier whose first row was rejected for its unit from its later rows, once', async () => {
    const file = join(t.tempDir(), 'unit-first.csv');
    const unclear = 'Bộ phận tiếp nhận chung'; // does not tell its level, and no catalogue names it
    writeCsv(file, EXPORT_HEADERS, [
      row('UR-1', unclear, 'Trực tiếp', '01/03/2021 08:00', '10/03/2021', null, null, 'Đang xử lý'),
      row('UR-1', XA, 'Trực tiếp', '01/03/2021 08:00', '10/03/2021', null, null, 'Đang xử lý'),
      row('UR-2', XA, 'Trực tuyến', '02/03/2021 08:00', '10/03/2021', null, null, 'Đang xử lý'),
      row('UR-1', XA, 'Trực tiếp', '01/03/2021 08:00', '10/03/2021', '04/03/2021 09:00', null, 'Đã xử lý xong'),
    ]);
    for (const parseThread of ['main', 'worker'] as const) {
      const db = await t.open();
      const s = await importFile(db, file, { parseThread });
      expect([s.rowsRead, s.newDossiers, s.repeatedInFile, s.rejected], parseThread).toEqual([4, 2, 1, 1]);
      const stored = await dossiers(db);
      expect(stored.map((d) => [d.code, d.status, d.ended_at])).toEqual([
        ['UR-1', 'finished', '2021-03-04 09:00:00'],
        ['UR-2', 'processing', null],
      ]);
    }
  });

  it('keeps the end date an export gave when a later export only has the returned date', async () => {
    const dir = t.tempDir();
    const finished = join(dir, 'a.csv');
    const returned = join(dir, 'b.csv');
    writeCsv(finished, EXPORT_HEADERS, [row('EN-1', XA, 'Trực tiếp', '01/03/2021 08:00', '05/03/2021', '05/03/2021 09:00', null, 'Đã xử lý xong')]);
    writeCsv(returned, EXPORT_HEADERS, [row('EN-1', XA, 'Trực tiếp', '01/03/2021 08:00', '05/03/2021', null, '10/03/2021 10:00', 'Đã trả kết quả')]);
    for (const order of [[finished, returned], [returned, finished]]) {
      const db = await t.open();
      for (const file of order) await importFile(db, file);
      const d = await db.selectFrom('dossiers').select(['status', 'ended_at', 'returned_at']).executeTakeFirstOrThrow();
      // Ended on its due day: on time, even though the result was handed over on the 10th.
      expect(d).toEqual({ status: 'returned', ended_at: '2021-03-05 09:00:00', returned_at: '2021-03-10 10:00:00' });
    }
  });

  it('fails a corrupt, binary or empty file with one line and leaves the database unchanged', async () => {
    const db = await t.open();
    const dir = t.tempDir();
    const good = join(dir, 'good.xlsx');
    await writeXlsx(good, EXPORT_HEADERS, [row('C-1', XA, 'Trực tiếp', '01/03/2021', null, null, null, 'Đang xử lý')]);
    const { readFileSync, writeFileSync } = await import('node:fs');
    const bytes = readFileSync(good);
    writeFileSync(join(dir, 'truncated.xlsx'), bytes.subarray(0, Math.floor(bytes.length / 2)));
    writeFileSync(join(dir, 'binary.csv'), Buffer.from([0, 1, 2, 255, 254, 0, 7, 8, 0, 0, 13, 10]));
    writeFileSync(join(dir, 'empty.csv'), '');
    writeCsv(join(dir, 'noheader.csv'), ['a', 'b'], [['1', '2']]);
    for (const name of ['truncated.xlsx', 'binary.csv', 'empty.csv', 'noheader.csv']) {
      const error = await importFile(db, join(dir, name)).catch((e) => e);
      expect(error, name).toBeInstanceOf(InputError);
      expect(error.message, name).toContain(name);
      expect(error.message.split('\n').length, name).toBe(1);
    }
    expect([await count(db, 'dossiers'), await count(db, 'import_batches')]).toEqual([0, 0]);
  });

  it('imports folders in name order, sub-folders too, and goes on past a bad file', async () => {
    const db = await t.open();
    const dir = t.tempDir();
    mkdirSync(join(dir, '2021', '04'), { recursive: true });
    writeCsv(join(dir, '2021', '03.csv'), EXPORT_HEADERS, [row('F-1', XA, 'Trực tiếp', '01/03/2021', null, null, null, 'Đang xử lý')]);
    writeCsv(join(dir, '2021', '04', 'x.csv'), EXPORT_HEADERS, [row('F-1', XA, 'Trực tiếp', '01/03/2021', null, '02/04/2021', null, 'Đã xử lý xong')]);
    writeCsv(join(dir, '2021', '05.csv'), ['a'], [['b']]);
    const errors: string[] = [];
    const summaries = await importFiles(db, [dir], { onFileError: (e) => errors.push(e.message) });
    expect(summaries.map((s) => s.file.slice(dir.length))).toEqual(['/2021/03.csv', '/2021/04/x.csv']);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/05\.csv/);
    expect((await dossiers(db))[0].status).toBe('finished');
  });

  it('matches unit names of the catalogue whatever their Unicode form and tone placement', async () => {
    const db = await t.open();
    const dir = t.tempDir();
    writeCsv(join(dir, 'units.csv'), ['Mã đơn vị', 'Tên đơn vị', 'Cấp', 'Mã đơn vị cấp trên'], [
      ['HH', 'UBND huyện Hạ Hoà', 'Huyện', ''],
      ['XA01', 'UBND xã Phụ Khánh', 'Xã', 'HH'],
    ]);
    await importUnits(db, join(dir, 'units.csv'));
    const file = join(dir, 'd.csv');
    writeCsv(file, EXPORT_HEADERS, [
      row('U-1', 'ubnd  HUYỆN Hạ Hòa'.normalize('NFD'), 'Trực tiếp', '01/03/2021', null, null, null, 'Đang xử lý'),
      row('U-2', 'UBND xã Phụ Khánh'.normalize('NFD'), 'Trực tiếp', '01/03/2021', null, null, null, 'Đang xử lý'),
      row('U-3', 'Bộ phận không rõ', 'Trực tiếp', '01/03/2021', null, null, null, 'Đang xử lý'),
    ]);
    const s = await importFile(db, file);
    expect([s.newDossiers, s.rejected, s.unitsCreated]).toEqual([2, 1, []]);
    expect((await dossiers(db)).map((r) => r.unit_code)).toEqual(['HH', 'XA01']);
  });

  it('stores codes without control characters, and finds them again on re-import', async () => {
    const db = await t.open();
    const file = join(t.tempDir(), 'control.csv');
    writeCsv(file, EXPORT_HEADERS, [
      row('CC-\u0007001\u0001', XA, 'Trực tiếp', '01/03/2021', null, null, null, 'Đang xử lý'),
      row('L'.repeat(201), XA, 'Trực tiếp', '01/03/2021', null, null, null, 'Đang xử lý'),
    ]);
    const first = await importFile(db, file);
    expect([first.newDossiers, first.rejected]).toEqual([1, 1]);
    expect((await dossiers(db)).map((r) => r.code)).toEqual(['CC-001']);
    const reasons = await db.selectFrom('rejected_rows').select('reasons').execute();
    expect(JSON.parse(reasons[0].reasons)[0]).toMatch(/mã hồ sơ dài 201 ký tự/);
    const again = await importFile(db, file);
    expect([again.newDossiers, again.updated, again.unchanged, again.rejected]).toEqual([0, 0, 1, 1]);
  });

  it('reports the database’s own error when a chunk cannot be written, even with rejects in the same chunk', async () => {
    const db = await t.open();
    // A trigger stands in for any failure of the dossiers' insert (a full disk, a constraint added by hand).
    if (t.dialect === 'postgres') {
      await sql`create function refuse_boom() returns trigger language plpgsql as $$ begin if new.code = 'BOOM' then raise exception 'refused BOOM'; end if; return new; end $$`.execute(db);
      await sql`create trigger refuse_boom before insert on dossiers for each row execute function refuse_boom()`.execute(db);
    } else {
      await sql`create trigger refuse_boom before insert on dossiers when new.code = 'BOOM' begin select raise(abort, 'refused BOOM'); end`.execute(db);
    }
    const file = join(t.tempDir(), 'boom.csv');
    writeCsv(file, EXPORT_HEADERS, [
      row('BOOM', XA, 'Trực tiếp', '01/03/2021', null, null, null, 'Đang xử lý'),
      row('BAD-1', XA, 'Trực tiếp', '31/02/2021', null, null, null, 'Đang xử lý'),
    ]);
    await expect(importFile(db, file)).rejects.toThrow(/refused BOOM/);
    expect([await count(db, 'dossiers'), await count(db, 'import_batches'), await count(db, 'rejected_rows')]).toEqual([0, 0, 0]);
  });
});
