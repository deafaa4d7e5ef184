import ExcelJS from 'exceljs';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { summaryLine } from '../../src/cli/commands/import.ts';
import { DOSSIER_COLUMNS } from '../../src/import/columns.ts';
import { importFile } from '../../src/import/index.ts';
import { openTable } from '../../src/import/table.ts';
import { collect, inputError } from '../helpers/async.ts';
import { describeEachDatabase, tempDir } from '../helpers/databases.ts';

// Workbooks of several sheets and headers of two rows (issue 11, points 1 and 2). The files here are written by
// exceljs; test/fixtures/exports/ holds the same shapes written by openpyxl, LibreOffice and others.

const HEADER = ['STT', 'Mã hồ sơ', 'Đơn vị tiếp nhận', 'Hình thức nộp', 'Ngày tiếp nhận', 'Ngày hẹn trả', 'Ngày kết thúc xử lý', 'Trạng thái'];
const XA = 'UBND xã Ấm Hạ';

type SheetSpec = { name: string; state?: 'visible' | 'hidden' | 'veryHidden'; rows: unknown[][]; merges?: string[] };

async function workbook(sheets: SheetSpec[]): Promise<string> {
  const wb = new ExcelJS.Workbook();
  for (const sheet of sheets) {
    const ws = wb.addWorksheet(sheet.name, { state: sheet.state ?? 'visible' });
    for (const row of sheet.rows) ws.addRow(row);
    for (const range of sheet.merges ?? []) ws.mergeCells(range);
  }
  const path = join(tempDir(), 'export.xlsx');
  await wb.xlsx.writeFile(path);
  return path;
}

function dossierRows(prefix: string, n: number, month: number): unknown[][] {
  return Array.from({ length: n }, (_, i) => [i + 1, `${prefix}-${i + 1}`, XA, 'Trực tuyến', `0${i + 1}/0${month}/2021 08:00`, `1${i}/0${month}/2021`, null, 'Đang xử lý']);
}

it('reads the dossiers of a second sheet after an instructions sheet, and says why the first was skipped', async () => {
  const path = await workbook([
    { name: 'Hướng dẫn', rows: [['Hướng dẫn sử dụng'], ['Điền mỗi hồ sơ một dòng ở trang "Danh sách"']] },
    { name: 'Danh sách', rows: [['DANH SÁCH HỒ SƠ'], [], HEADER, ...dossierRows('A', 3, 3)] },
  ]);
  const table = await openTable(path, DOSSIER_COLUMNS);
  const rows = await collect(table.rows);
  expect(rows.map((row) => [row.sheet, row.rowNumber, row.values.code])).toEqual([
    ['Danh sách', 4, 'A-1'], ['Danh sách', 5, 'A-2'], ['Danh sách', 6, 'A-3'],
  ]);
  expect(table.layout.sheets.map((s) => [s.name, s.read, s.skipped ?? null, s.headerRowNumber ?? null])).toEqual([
    ['Hướng dẫn', false, 'không có dòng tiêu đề', null],
    ['Danh sách', true, null, 3],
  ]);
});

it('skips a hidden sheet even when it has a header, and reads one sheet per month in order', async () => {
  const path = await workbook([
    { name: 'DM', state: 'hidden', rows: [HEADER, [1, 'DM-1', XA, 'Trực tiếp', '01/01/2021', null, null, 'Đang xử lý']] },
    { name: 'T1', rows: [HEADER, ...dossierRows('T1', 2, 1)] },
    { name: 'T2', rows: [HEADER, ...dossierRows('T2', 1, 2)] },
    { name: 'T3', state: 'veryHidden', rows: [HEADER, ...dossierRows('T3', 1, 3)] },
  ]);
  const table = await openTable(path, DOSSIER_COLUMNS);
  const rows = await collect(table.rows);
  expect(rows.map((row) => `${row.sheet}:${row.values.code}`)).toEqual(['T1:T1-1', 'T1:T1-2', 'T2:T2-1']);
  expect(table.layout.sheets.map((s) => [s.name, s.hidden, s.read, s.skipped ?? null])).toEqual([
    ['DM', true, false, 'trang ẩn'],
    ['T1', false, true, null],
    ['T2', false, true, null],
    ['T3', true, false, 'trang ẩn'],
  ]);
});

it('reads the sheets named by --sheet, hidden ones included, by name or number', async () => {
  const path = await workbook([
    { name: 'DM', state: 'hidden', rows: [HEADER, [1, 'DM-1', XA, 'Trực tiếp', '01/01/2021', null, null, 'Đang xử lý']] },
    { name: 'Tháng 1', rows: [HEADER, ...dossierRows('T1', 2, 1)] },
    { name: 'Tháng 2', rows: [HEADER, ...dossierRows('T2', 1, 2)] },
  ]);
  const byName = await openTable(path, DOSSIER_COLUMNS, { sheets: ['tháng 2'] });
  expect((await collect(byName.rows)).map((row) => row.values.code)).toEqual(['T2-1']);
  expect(byName.layout.sheets.map((s) => s.skipped ?? 'read')).toEqual(['không được chọn (--sheet)', 'không được chọn (--sheet)', 'read']);
  const byNumber = await openTable(path, DOSSIER_COLUMNS, { sheets: ['1', '2'] });
  expect((await collect(byNumber.rows)).map((row) => row.values.code)).toEqual(['DM-1', 'T1-1', 'T1-2']);

  const missing = await inputError(openTable(path, DOSSIER_COLUMNS, { sheets: ['Tháng 3'] }));
  expect(missing.message).toContain('không có trang "Tháng 3"');
  expect(missing.message).toContain("1. 'DM' (ẩn), 2. 'Tháng 1', 3. 'Tháng 2'");
});

it('fails a workbook where no sheet has a header, naming every sheet and what it holds (never cells of a row that may be data)', async () => {
  const path = await workbook([
    { name: 'Bìa', rows: [['BÁO CÁO'], ['Quý I/2021']] },
    { name: 'Số liệu', rows: [['Đơn vị', 'Tiếp nhận', 'Đã giải quyết'], [XA, 10, 8]] },
    { name: 'Trống', rows: [] },
  ]);
  const error = await inputError(openTable(path, DOSSIER_COLUMNS));
  expect(error.message).toContain('không trang nào có dòng tiêu đề');
  expect(error.message).toContain(`trang 'Bìa': không dòng nào trong 30 dòng đầu có tên cột nhận ra được`);
  expect(error.message).toContain(`trang 'Số liệu': các cột có trong tệp (dòng 1): "Đơn vị", "Tiếp nhận", "Đã giải quyết"`);
  expect(error.message).toContain('--sheet');
});

const GROUP_TOP = ['STT', 'Mã hồ sơ', 'Họ tên người nộp', 'Ngày', null, null, null, 'Trạng thái'];
const GROUP_SUB = [null, null, null, 'Tiếp nhận', 'Hẹn trả', 'Kết thúc xử lý', 'Trả kết quả', null];

it('recognises a two-row grouped header: "Ngày" over "Tiếp nhận", "Hẹn trả", …', async () => {
  const path = await workbook([
    {
      name: 'DS',
      rows: [
        ['UBND XÃ ẤM HẠ'], ['DANH SÁCH HỒ SƠ THÁNG 3/2021'], [],
        GROUP_TOP, GROUP_SUB,
        [1, 'G-1', 'Nguyễn Văn Canary', '01/03/2021 08:00', '05/03/2021', '04/03/2021 10:00', '04/03/2021 15:00', 'Đã trả kết quả'],
        [2, 'G-2', 'Trần Thị Canary', '02/03/2021 09:00', '09/03/2021', null, null, 'Đang xử lý'],
        [], [null, 'Người lập biểu', null, null, null, 'Thủ trưởng đơn vị'], [null, '(Ký, ghi rõ họ tên)'],
      ],
      merges: ['A4:A5', 'B4:B5', 'C4:C5', 'D4:G4', 'H4:H5'],
    },
  ]);
  const table = await openTable(path, DOSSIER_COLUMNS, { overrides: {} });
  const rows = await collect(table.rows);
  expect(table.layout.sheets[0].headerRows).toBe(2);
  expect(table.layout.headerRowNumber).toBe(4);
  expect(table.layout.mapped).toEqual({
    // "Hẹn trả" names the due date by itself; "Tiếp nhận" needs its group.
    'Mã hồ sơ': 'code', 'Ngày Tiếp nhận': 'receivedAt', 'Hẹn trả': 'dueAt', 'Ngày Kết thúc xử lý': 'endedAt',
    'Ngày Trả kết quả': 'returnedAt', 'Trạng thái': 'status',
  });
  expect(table.layout.personalColumnsDropped).toEqual(['Họ tên người nộp']);
  expect(rows.map((row) => [row.rowNumber, row.values.code, row.values.receivedAt, row.values.dueAt, row.values.endedAt])).toEqual([
    [6, 'G-1', '01/03/2021 08:00', '05/03/2021', '04/03/2021 10:00'],
    [7, 'G-2', '02/03/2021 09:00', '09/03/2021', null],
  ]);
  expect(JSON.stringify(rows)).not.toContain('Canary');
  expect(table.stats.footerRowsSkipped).toBeGreaterThanOrEqual(2);
});

it('maps a grouped column by --map in either form: the sub-header or "group sub-header"', async () => {
  const dir = tempDir();
  const path = join(dir, 'grouped.csv');
  writeFileSync(
    path,
    'Số biên nhận,Thời gian,,Kết quả\n,Nộp,Hạn,\nB-1,01/03/2021,05/03/2021,Đang xử lý\n',
  );
  const bySub = await openTable(path, DOSSIER_COLUMNS, { overrides: { 'Số biên nhận': 'code', Nộp: 'receivedAt', 'Thời gian Hạn': 'dueAt', 'Kết quả': 'status' } });
  expect(bySub.layout.sheets[0].headerRows).toBe(2);
  expect((await collect(bySub.rows)).map((row) => row.values)).toEqual([
    { code: 'B-1', receivedAt: '01/03/2021', dueAt: '05/03/2021', status: 'Đang xử lý' },
  ]);
});

it('keeps a title row above a one-row header out of the column names', async () => {
  const path = join(tempDir(), 'titled.csv');
  writeFileSync(path, 'DANH SÁCH HỒ SƠ,,\nMã hồ sơ,Ngày tiếp nhận,Trạng thái\nT-1,01/03/2021,Đang xử lý\n');
  const table = await openTable(path, DOSSIER_COLUMNS);
  await collect(table.rows);
  expect(table.layout.headerRowNumber).toBe(2);
  expect(table.layout.sheets[0].headerRows).toBe(1);
  expect(Object.keys(table.layout.mapped)).toEqual(['Mã hồ sơ', 'Ngày tiếp nhận', 'Trạng thái']);
});

describeEachDatabase('import of several sheets', (t) => {
  it('imports every sheet in one transaction, with each rejected row under its sheet', async () => {
    const db = await t.open();
    const path = await workbook([
      { name: 'Hướng dẫn', rows: [['Xem trang sau']] },
      { name: 'T1', rows: [HEADER, ...dossierRows('T1', 2, 1)] },
      { name: 'T2', rows: [HEADER, ...dossierRows('T2', 1, 2), [2, 'T2-bad', XA, 'Trực tiếp', '31/02/2021', null, null, 'Đang xử lý']] },
    ]);
    const summary = await importFile(db, path);
    expect([summary.rowsRead, summary.newDossiers, summary.rejected]).toEqual([4, 3, 1]);
    const rejects = await db.selectFrom('rejected_rows').select(['sheet', 'row_number']).execute();
    expect(rejects).toEqual([{ sheet: 'T2', row_number: 3 }]);
    const batch = await db.selectFrom('import_batches').select(['format', 'sheets', 'fields']).executeTakeFirstOrThrow();
    expect(batch.format).toBe('xlsx');
    expect(JSON.parse(batch.sheets ?? '[]').map((s: { name: string; read: boolean }) => [s.name, s.read])).toEqual([
      ['Hướng dẫn', false], ['T1', true], ['T2', true],
    ]);
    expect(JSON.parse(batch.fields ?? '[]')).toEqual(['code', 'unit', 'channel', 'receivedAt', 'dueAt', 'endedAt', 'status']);
    const line = summaryLine(summary);
    expect(line).toContain("đã đọc 2 trang 'T1', 'T2'");
    expect(line).toContain("bỏ qua trang 'Hướng dẫn': không có dòng tiêu đề");

    const strict = await inputError(importFile(db, path, { strict: true }));
    expect(strict.message).toContain("trang 'T2', dòng 3");
  });
});
