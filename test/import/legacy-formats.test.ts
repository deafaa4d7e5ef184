import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openWithSheetJs } from '../../src/import/readers/sheetjs-reader.ts';
import type { FileFormat, FileSource } from '../../src/import/readers/source.ts';
import { UncomputedFormula, type CellValue, type RawRow } from '../../src/import/types.ts';
import { collect, inputError } from '../helpers/async.ts';
import { tempDir } from '../helpers/databases.ts';

// The SheetJS reader on files written by LibreOffice, SheetJS's own writers, and (HTML, MHT) as one-stop systems
// and Excel lay them out; test/fixtures/legacy/make.mjs wrote them. The expected cells are written out here.

const fixture = (name: string) => join(import.meta.dirname, '..', 'fixtures', 'legacy', name);

/** A wall-clock time as readers hand it over: a Date whose UTC fields are that time. */
const at = (y: number, m: number, d: number, h = 0, min = 0) => new Date(Date.UTC(y, m - 1, d, h, min));

// Vietnam's time zone, as on a user's machine: a reader that made local-time Dates would shift every date by 7 hours.
const zone = process.env.TZ;
beforeAll(() => {
  process.env.TZ = 'Asia/Ho_Chi_Minh';
  expect(new Date(2024, 0, 5).getTimezoneOffset()).toBe(-420);
});
afterAll(() => {
  if (zone === undefined) delete process.env.TZ;
  else process.env.TZ = zone;
});

async function rowsOf(source: FileSource, sheet = 0): Promise<RawRow[]> {
  return (await collect(source.sheets[sheet].rows())).flat();
}

async function open(name: string, format: FileFormat): Promise<FileSource> {
  return openWithSheetJs(fixture(name), format);
}

/** The dossier sheet of make.mjs's workbook, with the booleans as the file stores them. */
function dossierRows(yes: CellValue, no: CellValue): RawRow[] {
  return [
    { rowNumber: 1, cells: ['DANH SÁCH HỒ SƠ TIẾP NHẬN'] },
    { rowNumber: 3, cells: ['Mã hồ sơ', 'Tên thủ tục', 'Ngày tiếp nhận', 'Hạn xử lý', 'Số ngày', 'Đúng hạn', 'Ghi chú'] },
    {
      rowNumber: 4,
      cells: ['H56.01-240105-0001', 'Đăng ký khai sinh', at(2024, 1, 5, 8, 30), at(2024, 1, 10), 3, yes, 'Trễ hạn – đã xin lỗi'],
    },
    { rowNumber: 5, cells: ['H56.01-241231-0002', 'Cấp đổi giấy phép lái xe', at(2024, 12, 31, 23, 59), at(2025, 1, 3, 17), 2.5, no] },
    // E6 is =SUM(E4:E5), computed by the program that saved the file.
    { rowNumber: 6, cells: ['Tổng', null, null, null, 5.5] },
  ];
}

describe.each([
  // LibreOffice's booleans come from =TRUE() and =FALSE() in .ods, which it stores as the numbers 1 and 0.
  { file: 'lo-ho-so.xls', format: 'xls', by: 'LibreOffice (Excel 97-2003, BIFF8)', yes: true, no: false },
  { file: 'sj-ho-so.xls', format: 'xls', by: "SheetJS's BIFF8 writer", yes: true, no: false },
  { file: 'sj-ho-so.xlsb', format: 'xlsb', by: "SheetJS's Excel binary writer", yes: true, no: false },
  { file: 'lo-ho-so.ods', format: 'ods', by: 'LibreOffice (OpenDocument)', yes: 1, no: 0 },
  { file: 'lo-ho-so.fods', format: 'ods', by: 'LibreOffice (flat OpenDocument XML)', yes: 1, no: 0 },
  { file: 'sj-ho-so.xml', format: 'xml2003', by: "SheetJS's SpreadsheetML 2003 writer (DateTime cells)", yes: true, no: false },
] as const)('$file, written by $by', ({ file, format, yes, no }) => {
  it('gives every sheet with its name and hidden state, in the workbook order', async () => {
    const source = await open(file, format);
    expect(source.format).toBe(format);
    expect(source.sheets.map(({ name, number, hidden }) => ({ name, number, hidden }))).toEqual([
      { name: 'Hồ sơ', number: 1, hidden: false },
      { name: 'Ẩn', number: 2, hidden: true },
      { name: 'Tổng hợp', number: 3, hidden: false },
    ]);
  });

  it('gives the cells: NFC text, numbers, booleans, dates at their wall-clock minute, computed formulas', async () => {
    const source = await open(file, format);
    const rows = await rowsOf(source);
    expect(rows).toEqual(dossierRows(yes, no));
    const name = rows[2].cells[1] as string;
    expect(name).toBe(name.normalize('NFC'));
    expect(await rowsOf(source, 1)).toEqual([{ rowNumber: 1, cells: ['Bảng tạm', 1] }]);
    // B1 is =COUNTA('Hồ sơ'!A4:A5), a formula across sheets.
    expect(await rowsOf(source, 2)).toEqual([{ rowNumber: 1, cells: ['Số hồ sơ', 2] }]);
  });

  it('reads a sheet again from its start, and hashes the bytes of the file', async () => {
    const source = await open(file, format);
    expect(await rowsOf(source)).toEqual(await rowsOf(source));
    expect(await source.sha256()).toBe(createHash('sha256').update(readFileSync(fixture(file))).digest('hex'));
    await source.close();
    // Closing lets the parsed workbook go, even while the source is still held.
    expect(() => source.sheets[0].rows()).toThrow();
  });
});

describe('workbooks in the 1904 date system', () => {
  it.each([
    { file: 'lo-1904.xls', format: 'xls' },
    { file: 'lo-1904.ods', format: 'ods' },
    { file: 'sj-1904.xml', format: 'xml2003' },
  ] as const)('$file: the date is the one the cell shows', async ({ file, format }) => {
    const source = await open(file, format);
    expect(source.sheets.map((sheet) => sheet.name)).toEqual(['Ngày 1904']);
    expect(await rowsOf(source)).toEqual([
      { rowNumber: 1, cells: ['Mã hồ sơ', 'Ngày tiếp nhận', 'Số ngày'] },
      { rowNumber: 2, cells: ['H56.01-240105-0001', at(2024, 1, 5, 8, 30), 3] },
    ]);
  });
});

describe('formulas', () => {
  it('a formula saved without its value is an UncomputedFormula, never an empty cell', async () => {
    // No .xls or .ods writer here stores a formula without its value (LibreOffice and SheetJS always store one,
    // or drop the cell); SheetJS's .xlsx writer does, and SheetJS reads it as it reads the other formats.
    const source = await open('sj-cong-thuc.xlsx', 'xlsx');
    const rows = await rowsOf(source);
    expect(rows[0]).toEqual({ rowNumber: 1, cells: ['Số ngày', 'Gấp đôi'] });
    expect(rows[1].cells[0]).toBe(3);
    expect(rows[1].cells[1]).toBeInstanceOf(UncomputedFormula);
    expect((rows[1].cells[1] as UncomputedFormula).formula).toBe('A2*2');
  });
});

describe('HTML tables saved as .xls', () => {
  it('a Windows-1258 page with entities, as one-stop systems export it: text cells as in a CSV file', async () => {
    const source = await open('export-1258.xls', 'xls-html');
    expect(source.encoding).toBe('windows-1258');
    // Excel's worksheet list in the page names the one table.
    expect(source.sheets.map(({ name, number, hidden }) => ({ name, number, hidden }))).toEqual([
      { name: 'DanhSachHoSo', number: 1, hidden: false },
    ]);
    const rows = await rowsOf(source);
    expect(rows).toEqual([
      { rowNumber: 1, cells: ['DANH SÁCH HỒ SƠ TIẾP NHẬN'] },
      { rowNumber: 2, cells: ['STT', 'Mã hồ sơ', 'Tên thủ tục', 'Ngày tiếp nhận', 'Số ngày', 'Ghi chú'] },
      // Dates stay the text the page shows (dd/mm/yyyy), never a US month/day guess; &#7877; &#x1EA1; &amp; decoded.
      { rowNumber: 3, cells: ['1', 'H56.01-240105-0001', 'Đăng ký khai sinh', '05/01/2024 08:30', '3', 'Trễ hạn & đã xin lỗi'] },
      // A cell of &nbsp; alone is empty.
      { rowNumber: 4, cells: ['2', 'H56.01-241231-0002', 'Chứng thực bản sao từ bản chính', '31/12/2024 23:59', '2,5'] },
    ]);
    // Windows-1258 writes tone marks as combining characters; they come out composed.
    for (const row of rows) for (const cell of row.cells) expect(cell).toBe((cell as string).normalize('NFC'));
  });

  it("LibreOffice's HTML export: one sheet per table, without names", async () => {
    const source = await open('lo-ho-so-html.xls', 'xls-html');
    expect(source.encoding).toBe('utf-8');
    // LibreOffice leaves the hidden sheet out of its HTML.
    expect(source.sheets.map(({ name, number, hidden }) => ({ name, number, hidden }))).toEqual([
      { name: undefined, number: 1, hidden: false },
      { name: undefined, number: 2, hidden: false },
    ]);
    const rows = await rowsOf(source);
    expect(rows[0]).toEqual({ rowNumber: 1, cells: ['DANH SÁCH HỒ SƠ TIẾP NHẬN'] });
    expect(rows[2]).toEqual({
      rowNumber: 4,
      cells: ['H56.01-240105-0001', 'Đăng ký khai sinh', '05/01/2024 08:30', '10/01/2024', '3', '1', 'Trễ hạn – đã xin lỗi'],
    });
    expect(await rowsOf(source, 1)).toEqual([{ rowNumber: 1, cells: ['Số hồ sơ', '2'] }]);
  });

  it("SheetJS's HTML export", async () => {
    const source = await open('sj-ho-so.html', 'xls-html');
    const rows = await rowsOf(source);
    expect(rows.map((row) => row.rowNumber)).toEqual([1, 3, 4, 5, 6]);
    expect(rows[3].cells).toEqual(['H56.01-241231-0002', 'Cấp đổi giấy phép lái xe', '31/12/2024 23:59', '03/01/2025 17:00', '2.5', 'FALSE']);
  });

  it('an MHT (single-file web page) workbook: its sheets by name, the hidden one marked, the tab strip left out', async () => {
    const source = await open('excel-ho-so.mht', 'xls-html');
    expect(source.encoding).toBe('utf-8');
    expect(source.sheets.map(({ name, number, hidden }) => ({ name, number, hidden }))).toEqual([
      { name: 'Hồ sơ', number: 1, hidden: false },
      { name: 'Ẩn', number: 2, hidden: true },
    ]);
    expect(await rowsOf(source)).toEqual([
      { rowNumber: 1, cells: ['Mã hồ sơ', 'Tên thủ tục', 'Ngày tiếp nhận'] },
      { rowNumber: 2, cells: ['H56.01-240105-0001', 'Đăng ký khai sinh', '05/01/2024 08:30'] },
    ]);
    expect(await rowsOf(source, 1)).toEqual([{ rowNumber: 1, cells: ['Bảng tạm', '1'] }]);
  });

  it('a page in Windows-1258 that does not say so: an error naming the encoding, unless --encoding gives it', async () => {
    const path = join(tempDir(), 'khong-khai-bao.xls');
    const page = readFileSync(fixture('export-1258.xls'), 'latin1').replace(/<meta http-equiv="Content-Type"[^>]*>/, '');
    writeFileSync(path, page, 'latin1');
    const error = await inputError(openWithSheetJs(path, 'xls-html'));
    expect(error.detail).toBe(
      'tệp HTML không phải mã UTF-8 và không khai báo bảng mã (có thể là Windows-1258 hoặc TCVN3): hãy mở bằng Excel và lưu dưới dạng .xlsx',
    );
    const source = await openWithSheetJs(path, 'xls-html', { encoding: 'windows-1258' });
    expect(source.encoding).toBe('windows-1258');
    expect((await rowsOf(source))[2].cells[2]).toBe('Đăng ký khai sinh');
  });

  it('a page without a table', async () => {
    const path = join(tempDir(), 'trang.xls');
    writeFileSync(path, '<html><body><p>Không có dữ liệu</p></body></html>');
    expect((await inputError(openWithSheetJs(path, 'xls-html'))).detail).toBe(
      'tệp HTML không có bảng nào (không phải danh sách xuất ra từ hệ thống?)',
    );
  });
});

describe('damaged and protected files', () => {
  it('a password-protected .xls (LibreOffice, RC4) says so', async () => {
    expect((await inputError(open('lo-mat-khau.xls', 'xls'))).detail).toBe(
      'tệp .xls được đặt mật khẩu (mã hoá): hãy mở bằng Excel, bỏ mật khẩu rồi lưu lại dưới dạng .xlsx',
    );
  });

  it('a truncated .xls is a damaged file, one line, no stack trace', async () => {
    const path = join(tempDir(), 'cut.xls');
    writeFileSync(path, readFileSync(fixture('lo-ho-so.xls')).subarray(0, 6000));
    const error = await inputError(openWithSheetJs(path, 'xls'));
    expect(error.detail).toMatch(/^tệp \.xls bị hỏng hoặc không đọc được \(.+\)$/);
    expect(error.message).not.toContain('\n');
  });

  it('an empty file', async () => {
    const path = join(tempDir(), 'empty.xls');
    writeFileSync(path, '');
    expect((await inputError(openWithSheetJs(path, 'xls'))).detail).toBe('tệp rỗng (0 byte)');
  });

  it('a missing file', async () => {
    expect((await inputError(openWithSheetJs(join(tempDir(), 'none.xls'), 'xls'))).detail).toBe('không tìm thấy tệp');
  });
});
