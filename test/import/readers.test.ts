import ExcelJS from 'exceljs';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DOSSIER_COLUMNS } from '../../src/import/columns.ts';
import { readCsvBatches } from '../../src/import/readers/csv-reader.ts';
import { readRawRows } from '../../src/import/readers/index.ts';
import { openTable } from '../../src/import/table.ts';
import type { MappedRow, RawRow } from '../../src/import/types.ts';
import { tempDir } from '../helpers/databases.ts';
import { collect, inputError } from '../helpers/async.ts';

const HEADERS = ['STT', 'Mã hồ sơ', 'Đơn vị tiếp nhận', 'Tên thủ tục', 'Hình thức nộp', 'Ngày tiếp nhận', 'Trạng thái'];

async function readTable(path: string, overrides = {}) {
  const table = await openTable(path, DOSSIER_COLUMNS, { overrides });
  const rows = await collect(table.rows);
  return { ...table, rows };
}

/** An export as district one-stop systems give it: titles, merged cells, a blank row, footer lines. */
async function writeRealisticXlsx(path: string) {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet('Danh sách hồ sơ');
  sheet.addRow(['UBND HUYỆN HẠ HOÀ']);
  sheet.addRow(['DANH SÁCH HỒ SƠ TIẾP NHẬN Từ ngày 01/03/2021 đến ngày 30/04/2021']);
  sheet.mergeCells('A1:G1');
  sheet.mergeCells('A2:G2');
  sheet.getRow(3).getCell(1).value = null; // a blank row (row 3)
  sheet.getRow(4).values = HEADERS;
  const data: unknown[][] = [
    [1, 'H31.01', 'UBND xã Ấm Hạ', 'Đăng ký khai sinh', 'Trực tuyến', new Date(Date.UTC(2021, 2, 31, 23, 30)), 'Đang xử lý'],
    [2, 'H31.02', { richText: [{ text: 'UBND ' }, { font: { bold: true }, text: 'xã Gia Điền' }] }, 'Đăng ký kết hôn', 'Trực tiếp', new Date(Date.UTC(2021, 3, 1, 0, 10)), 'Đã trả kết quả'],
    [3, { text: 'H31.03', hyperlink: 'https://dichvucong.gov.vn/H31.03' }, 'UBND xã Ấm Hạ', 'Chứng thực', 'Trực tiếp', '01/04/2021 08:00', { formula: '"Đã "&"xử lý"', result: 'Đã xử lý' }],
  ];
  data.forEach((values, i) => (sheet.getRow(5 + i).values = values as ExcelJS.CellValue[]));
  for (const row of [5, 6]) sheet.getRow(row).getCell(6).numFmt = 'dd/mm/yyyy hh:mm';
  // Row 8 blank, then a dossier that must not be lost below it, then the footer.
  sheet.getRow(9).values = [4, 'H31.04', 'UBND xã Ấm Hạ', 'Đăng ký khai tử', 'Bưu chính', '02/04/2021', 'Đang xử lý'];
  sheet.getRow(11).values = ['Tổng số: 1.234 hồ sơ'];
  sheet.mergeCells('A11:E11');
  sheet.getRow(12).values = ['Tổng cộng', null, null, null, null, 4];
  sheet.getRow(14).values = [null, 'Người lập biểu', null, null, null, 'Hạ Hoà, ngày 05 tháng 4 năm 2021'];
  sheet.getRow(15).values = [null, '(Ký, ghi rõ họ tên)', null, null, null, 'Thủ trưởng đơn vị'];
  sheet.getRow(17).values = [null, 'Nguyễn Thị Lập', null, null, null, 'Trần Văn Trưởng'];
  await workbook.xlsx.writeFile(path);
}

describe('xlsx exports', () => {
  it('finds the header below the titles and skips blank, total and signature rows', async () => {
    const path = join(tempDir(), 'ds.xlsx');
    await writeRealisticXlsx(path);
    const table = await readTable(path);

    expect(table.layout.headerRowNumber).toBe(4);
    expect(table.layout.mapped).toEqual({
      'Mã hồ sơ': 'code', 'Đơn vị tiếp nhận': 'unit', 'Tên thủ tục': 'procedure', 'Hình thức nộp': 'channel',
      'Ngày tiếp nhận': 'receivedAt', 'Trạng thái': 'status',
    });
    expect(table.layout.ignored).toEqual(['STT']);
    expect(table.rows.map((row) => row.rowNumber)).toEqual([5, 6, 7, 9]);
    expect(table.rows.map((row) => row.values.code)).toEqual(['H31.01', 'H31.02', 'H31.03', 'H31.04']);
    // Rows 8 (blank), 10 (blank), 11, 12, 13 (blank), 14, 15, 16 (blank) and 17 (the signers' names).
    // exceljs does not store rows without any value, so only the written ones reach the table: 11, 12, 14, 15, 17.
    expect(table.stats).toEqual({ rowsRead: 4, footerRowsSkipped: 5 });
  });

  it('gives rich text, hyperlinks and formulas as their text', async () => {
    const path = join(tempDir(), 'ds.xlsx');
    await writeRealisticXlsx(path);
    const { rows } = await readTable(path);
    expect(rows[1].values.unit).toBe('UBND xã Gia Điền');
    expect(rows[2].values.code).toBe('H31.03');
    expect(rows[2].values.status).toBe('Đã xử lý');
    expect(rows[2].values.receivedAt).toBe('01/04/2021 08:00');
  });

  it('hands date cells over with the wall-clock time the cell shows in their UTC fields', async () => {
    const path = join(tempDir(), 'ds.xlsx');
    await writeRealisticXlsx(path);
    const { rows } = await readTable(path);
    const march = rows[0].values.receivedAt as Date;
    const april = rows[1].values.receivedAt as Date;
    expect(march).toBeInstanceOf(Date);
    expect([march.getUTCFullYear(), march.getUTCMonth() + 1, march.getUTCDate(), march.getUTCHours(), march.getUTCMinutes()])
      .toEqual([2021, 3, 31, 23, 30]);
    expect([april.getUTCFullYear(), april.getUTCMonth() + 1, april.getUTCDate(), april.getUTCHours(), april.getUTCMinutes()])
      .toEqual([2021, 4, 1, 0, 10]);
  });

  it('returns merged title cells once, the covered cells empty', async () => {
    const path = join(tempDir(), 'ds.xlsx');
    await writeRealisticXlsx(path);
    const raw = await collect(readRawRows(path));
    expect(raw[0]).toEqual({ rowNumber: 1, cells: ['UBND HUYỆN HẠ HOÀ'] });
    const total = raw.find((row) => row.rowNumber === 11) as RawRow;
    expect(total.cells).toEqual(['Tổng số: 1.234 hồ sơ']);
  });

  it('reads cells as exceljs itself reads the workbook', async () => {
    const path = join(tempDir(), 'kinds.xlsx');
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('S');
    sheet.addRow(['a & b <c>', 12.5, true, false, -3, "O'Brien \"x\"", 'Hoà Bình', 'line 1\nline 2']);
    sheet.addRow([null, null, 'only C']);
    sheet.getCell('J2').value = new Date(Date.UTC(2020, 1, 29, 13, 45, 30));
    sheet.getCell('J2').numFmt = 'yyyy-mm-dd hh:mm:ss';
    sheet.getCell('K2').value = { formula: '1+1', result: 2 };
    sheet.getCell('L2').value = { error: '#N/A' };
    sheet.getCell('AB3').value = 'far right';
    await workbook.xlsx.writeFile(path);

    const expected = new ExcelJS.Workbook();
    await expected.xlsx.readFile(path);
    const rows = await collect(readRawRows(path));
    expect(rows.map((row) => row.rowNumber)).toEqual([1, 2, 3]);
    const loaded = expected.worksheets[0];
    for (const row of rows) {
      row.cells.forEach((cell, i) => {
        const value = loaded.getRow(row.rowNumber).getCell(i + 1).value;
        if (value && typeof value === 'object' && 'formula' in value) expect(cell).toBe(value.result);
        else if (value && typeof value === 'object' && 'error' in value) expect(cell).toBe(value.error);
        else expect(cell).toEqual(value ?? null);
      });
    }
    expect(rows[2].cells.length).toBe(28);
  });
});

describe('csv exports', () => {
  it('reads a semicolon file with a BOM, title rows and a footer', async () => {
    const path = join(tempDir(), 'ds.csv');
    writeFileSync(
      path,
      '\uFEFFUBND HUYỆN HẠ HOÀ;;;;;;\r\nDANH SÁCH HỒ SƠ;;;;;;\r\n;;;;;;\r\n' +
        `${HEADERS.join(';')}\r\n` +
        '1;H31.01;UBND xã Ấm Hạ;Đăng ký khai sinh, kết hôn;Trực tuyến;31/03/2021 23:30;Đang xử lý\r\n' +
        '2;H31.02;UBND xã Ấm Hạ;Chứng thực;Trực tiếp;01/04/2021 00:10;Đã trả kết quả\r\n' +
        ';;;;;;\r\n' +
        '3;H31.03;UBND xã Ấm Hạ;Chứng thực;Trực tiếp;02/04/2021;Đã trả kết quả\r\n' +
        'Tổng số: 3 hồ sơ;;;;;;\r\n;Người lập biểu;;;;Thủ trưởng đơn vị;\r\n',
    );
    const table = await readTable(path);
    expect(table.layout.headerRowNumber).toBe(4);
    expect(table.rows.map((row) => [row.rowNumber, row.values.code, row.values.receivedAt])).toEqual([
      [5, 'H31.01', '31/03/2021 23:30'],
      [6, 'H31.02', '01/04/2021 00:10'],
      [8, 'H31.03', '02/04/2021'],
    ]);
    expect(table.rows[0].values.procedure).toBe('Đăng ký khai sinh, kết hôn');
    expect(table.stats).toEqual({ rowsRead: 3, footerRowsSkipped: 3 });
  });

  it('reads a tab-separated file', async () => {
    const path = join(tempDir(), 'ds.csv');
    writeFileSync(path, `${HEADERS.join('\t')}\n1\tH31.01\tUBND xã Ấm Hạ\tĐăng ký khai sinh\tTrực tuyến\t31/03/2021\tĐang xử lý\n`);
    const { rows, layout } = await readTable(path);
    expect(layout.headerRowNumber).toBe(1);
    expect(rows.map((row) => row.values)).toEqual([{
      code: 'H31.01', unit: 'UBND xã Ấm Hạ', procedure: 'Đăng ký khai sinh', channel: 'Trực tuyến',
      receivedAt: '31/03/2021', status: 'Đang xử lý',
    }]);
  });

  it('reads quoted fields holding delimiters, quotes and line breaks', async () => {
    const path = join(tempDir(), 'ds.csv');
    writeFileSync(
      path,
      'Mã hồ sơ,Tên thủ tục,Ngày tiếp nhận,Trạng thái\r\n' +
        'A1,"Đăng ký khai sinh, kết hôn",01/03/2021,Đang xử lý\r\n' +
        'A2,"Cấp bản sao ""trích lục""\r\ndòng thứ hai",02/03/2021,"Đã trả kết quả"\r\n' +
        '"A3","Chứng thực","03/03/2021",""\r\n' +
        'A4,Màn hình 5" cũ,04/03/2021,Đang xử lý\r\n' +
        'A5,"x\ny",05/03/2021,Đang xử lý\r\n' +
        'A6,Thường,06/03/2021,Đang xử lý',
    );
    const { rows } = await readTable(path);
    expect(rows.map((row) => [row.rowNumber, row.values.code, row.values.procedure, row.values.status])).toEqual([
      [2, 'A1', 'Đăng ký khai sinh, kết hôn', 'Đang xử lý'],
      [3, 'A2', 'Cấp bản sao "trích lục"\r\ndòng thứ hai', 'Đã trả kết quả'],
      [4, 'A3', 'Chứng thực', null],
      [5, 'A4', 'Màn hình 5" cũ', 'Đang xử lý'],
      [6, 'A5', 'x\ny', 'Đang xử lý'],
      [7, 'A6', 'Thường', 'Đang xử lý'],
    ]);
  });

  it('returns every physical row with its number, blank lines and title rows included', async () => {
    const path = join(tempDir(), 'ds.csv');
    writeFileSync(path, 'Tiêu đề\n\na;b\n"c\nd";e\nf;g');
    const rows = await collect(readRawRows(path));
    expect(rows).toEqual([
      { rowNumber: 1, cells: ['Tiêu đề'] },
      { rowNumber: 2, cells: [null] },
      { rowNumber: 3, cells: ['a', 'b'] },
      { rowNumber: 4, cells: ['c\nd', 'e'] },
      { rowNumber: 5, cells: ['f', 'g'] },
    ]);
  });

  it('drops one BOM only, and reads a character cut by the end of a large file as U+FFFD', async () => {
    const path = join(tempDir(), 'ds.csv');
    const bom = '\ufeff';
    // Larger than the 64 KiB head read first; a character cut off by the end of the file is not refused as
    // non-UTF-8 (anywhere else it would be).
    const filler = 'x;y\n'.repeat(20_000);
    writeFileSync(path, Buffer.concat([Buffer.from(`${bom}${bom}a;b\n"Hoà, Bình";"x ""y"""\n${filler}c;`), Buffer.from('ệ').subarray(0, 2)]));
    const rows = await collect(readRawRows(path));
    expect(rows.slice(0, 2)).toEqual([
      { rowNumber: 1, cells: [`${bom}a`, 'b'] },
      { rowNumber: 2, cells: ['Hoà, Bình', 'x "y"'] },
    ]);
    expect(rows.at(-1)).toEqual({ rowNumber: 20_003, cells: ['c', '\ufffd'] });
  });

  it('reads the same rows whatever the chunks the file is read in', async () => {
    const path = join(tempDir(), 'ds.csv');
    writeFileSync(
      path,
      '\ufeffTiêu đề\r\n\r\nMã;Địa chỉ;Ghi chú\r\nH1;"Thôn 5; xã Hương Xạ";"nói ""có"""\r\n' +
        'H2;"hai\r\ndòng";x\r\nH3;Màn hình 5" cũ;y\r\n;;\r\nH4;"";"Hoà"\r\nH5;cuối',
    );
    const whole = (await collect(readCsvBatches(path))).flat();
    expect(whole.map((row) => row.cells[1])).toEqual([undefined, undefined, 'Địa chỉ', 'Thôn 5; xã Hương Xạ', 'hai\r\ndòng', 'Màn hình 5" cũ', null, null, 'cuối']);
    for (const chunkSize of [1, 2, 3, 5, 8, 13]) {
      expect((await collect(readCsvBatches(path, chunkSize))).flat()).toEqual(whole);
    }
  });

  it('reads a large file across chunk boundaries the same as a small one', async () => {
    const path = join(tempDir(), 'big.csv');
    const lines = ['Mã hồ sơ;Tên thủ tục;Ngày tiếp nhận'];
    for (let i = 1; i <= 30_000; i++) {
      lines.push(i % 7 === 0 ? `H${i};"Thủ tục ""${i}""\nhai dòng";01/03/2021` : `H${i};Thủ tục ${i} Hoà Bình;01/03/2021`);
    }
    writeFileSync(path, lines.join('\n'));
    const { rows } = await readTable(path);
    expect(rows.length).toBe(30_000);
    expect(rows[6].values).toEqual({ code: 'H7', procedure: 'Thủ tục "7"\nhai dòng', receivedAt: '01/03/2021' });
    expect(rows[29_999].values.procedure).toBe('Thủ tục 30000 Hoà Bình');
    expect(rows.every((row, i) => row.values.code === `H${i + 1}` && row.rowNumber === i + 2)).toBe(true);
  });
});

describe('headers', () => {
  it('recognises headers typed in NFD, in another case, spacing and tone placement', async () => {
    const path = join(tempDir(), 'ds.csv');
    const headers = ['MÃ  HỒ SƠ', 'Ngày tiếp nhận'.normalize('NFD'), 'Hình thức nộp'.normalize('NFD'), 'Đơn vị', 'Lĩnh vực', 'Tình trạng'];
    writeFileSync(path, `${headers.join(',')}\nH1,01/03/2021,Trực tuyến,UBND xã Thuỷ Trạm,Hộ tịch,Đang xử lý\n`);
    const { layout, rows } = await readTable(path);
    expect(Object.values(layout.mapped)).toEqual(['code', 'receivedAt', 'channel', 'unit', 'field', 'status']);
    expect(rows[0].values.unit).toBe('UBND xã Thuỷ Trạm');
  });

  it('recognises "Hoà"/"Hòa" tone placements in headers', async () => {
    const path = join(tempDir(), 'ds.csv');
    // "Ngày hoàn thành" with the tone mark on the other vowel: "hòan" vs "hoàn".
    writeFileSync(path, 'Mã hồ sơ,Ngày nhận,Ngày hòan thành\nH1,01/03/2021,05/03/2021\n');
    const { layout } = await readTable(path);
    expect(layout.mapped['Ngày hòan thành']).toBe('endedAt');
  });

  it('fails with the headers found and the names accepted when a required column is missing', async () => {
    const path = join(tempDir(), 'ds.csv');
    writeFileSync(path, 'Danh sách\nSTT;Số biên nhận;Ngày nộp;Trạng thái\n1;X1;01/03/2021;Đang xử lý\n');
    const error = await inputError(openTable(path, DOSSIER_COLUMNS));
    expect(error.message).toContain(path);
    expect(error.message).toContain('"code"');
    expect(error.message).toContain('"Mã hồ sơ", "Số hồ sơ", "Mã HS"');
    expect(error.message).toContain('dòng 2');
    expect(error.message).toContain('"STT", "Số biên nhận", "Ngày nộp", "Trạng thái"');
    expect(error.message).not.toContain('receivedAt');
    expect(error.message.split('\n')).toHaveLength(1);
  });
});

describe('personal data', () => {
  it('drops personal columns in the reader: their values appear nowhere', async () => {
    const path = join(tempDir(), 'ds.xlsx');
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('S');
    const personal = ['Họ tên người nộp', 'Địa chỉ', 'Số điện thoại', 'CCCD/CMND', 'Email', 'Chủ hồ sơ'];
    sheet.addRow(['Mã hồ sơ', ...personal, 'Ngày tiếp nhận', 'Ghi chú']);
    sheet.addRow(['H1', 'Zyxwvutsrq Độc Nhất', 'Thôn Qwertyuiop', '0912345678', '001099012345', 'zz@example.vn', 'Chủ Độc Nhất', '01/03/2021', 'gọi 0987654321']);
    await workbook.xlsx.writeFile(path);

    const table = await openTable(path, DOSSIER_COLUMNS);
    const rows: MappedRow[] = await collect(table.rows);
    expect(table.layout.personalColumnsDropped).toEqual(personal);
    expect(table.layout.ignored).toEqual(['Ghi chú']);
    const everything = JSON.stringify({ layout: table.layout, rows, originals: rows.map((row) => row.original) });
    for (const secret of ['Zyxwvutsrq', 'Qwertyuiop', '0912345678', '001099012345', 'zz@example', 'Chủ Độc Nhất', '0987654321']) {
      expect(everything).not.toContain(secret);
    }
    expect(rows[0].original).toEqual({ 'Mã hồ sơ': 'H1', 'Ngày tiếp nhận': '01/03/2021' });
  });
});

describe('unreadable files', () => {
  it('rejects a truncated workbook with one clear line', async () => {
    const dir = tempDir();
    const good = join(dir, 'good.xlsx');
    await writeRealisticXlsx(good);
    const bytes = readFileSync(good);
    for (const fraction of [0.3, 0.6, 0.95]) {
      const path = join(dir, `cut-${fraction}.xlsx`);
      writeFileSync(path, bytes.subarray(0, Math.floor(bytes.length * fraction)));
      const error = await inputError(openTable(path, DOSSIER_COLUMNS));
      expect(error.message).toContain('bị hỏng hoặc không đầy đủ');
    }
  });

  it('rejects a workbook whose compressed data is damaged, without crashing or hanging', async () => {
    const dir = tempDir();
    const good = join(dir, 'good.xlsx');
    await writeRealisticXlsx(good);
    const bytes = Buffer.from(readFileSync(good));
    // Damage the middle of every entry's data while keeping the zip directory intact.
    for (let i = 200; i < bytes.length - 400; i += 97) bytes[i] ^= 0x5a;
    const path = join(dir, 'damaged.xlsx');
    writeFileSync(path, bytes);
    const error = await inputError(openTable(path, DOSSIER_COLUMNS));
    expect(error.message).toContain(path);
  });

  it('ends with an InputError, without waiting, when part of a sheet\'s compressed data is zeroed', async () => {
    const dir = tempDir();
    const good = join(dir, 'good.xlsx');
    await writeRealisticXlsx(good);
    const bytes = Buffer.from(readFileSync(good));
    const name = 'xl/worksheets/sheet1.xml';
    let header = bytes.indexOf('PK\x03\x04');
    while (bytes.toString('utf8', header + 30, header + 30 + name.length) !== name) header = bytes.indexOf('PK\x03\x04', header + 1);
    bytes.fill(0, header + 30 + name.length + 50, header + 30 + name.length + 250);
    const path = join(dir, 'zeroed.xlsx');
    writeFileSync(path, bytes);
    const error = await inputError((async () => collect((await openTable(path, DOSSIER_COLUMNS)).rows))());
    expect(error.message).toContain('bị hỏng');
  });

  it('rejects binary files, empty files and other types', async () => {
    const dir = tempDir();
    const binary = Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 37) % 256));
    for (const name of ['binary.xlsx', 'binary.csv']) writeFileSync(join(dir, name), binary);
    writeFileSync(join(dir, 'empty.xlsx'), '');
    writeFileSync(join(dir, 'empty.csv'), '');
    writeFileSync(join(dir, 'blank.csv'), '\uFEFF\r\n\r\n;;\r\n');
    writeFileSync(join(dir, 'notes.pdf'), '%PDF-1.4\n');
    // "Mã hồ sơ,Ngày tiếp nhận" in TCVN3 (ABC), a legacy-font encoding no decoder reads.
    writeFileSync(join(dir, 'old.csv'), Buffer.from('M\xb7 h\xe5 s\xac,Ng\xb5y ti\xd5p nh\xcbn\n', 'latin1'));

    expect((await inputError(openTable(join(dir, 'binary.xlsx'), DOSSIER_COLUMNS))).message).toContain('không phải bảng tính hay văn bản CSV');
    expect((await inputError(openTable(join(dir, 'binary.csv'), DOSSIER_COLUMNS))).message).toContain('nhị phân');
    expect((await inputError(openTable(join(dir, 'empty.xlsx'), DOSSIER_COLUMNS))).message).toContain('tệp rỗng');
    expect((await inputError(openTable(join(dir, 'empty.csv'), DOSSIER_COLUMNS))).message).toContain('tệp rỗng');
    expect((await inputError(openTable(join(dir, 'blank.csv'), DOSSIER_COLUMNS))).message).toContain('không có dữ liệu');
    expect((await inputError(openTable(join(dir, 'notes.pdf'), DOSSIER_COLUMNS))).message).toContain('.pdf');
    expect((await inputError(openTable(join(dir, 'old.csv'), DOSSIER_COLUMNS))).message).toContain('UTF-8');
    expect((await inputError(openTable(join(dir, 'missing.csv'), DOSSIER_COLUMNS))).message).toContain('không tìm thấy tệp');
  });

  it('reads a workbook renamed .csv as the workbook it is, and rejects a csv whose quote is never closed', async () => {
    const dir = tempDir();
    const workbook = join(dir, 'ds.xlsx');
    await writeRealisticXlsx(workbook);
    writeFileSync(join(dir, 'renamed.csv'), readFileSync(workbook));
    writeFileSync(join(dir, 'open.csv'), 'Mã hồ sơ,Ngày tiếp nhận\nH1,"01/03/2021\nH2,02/03/2021\n');
    const renamed = await openTable(join(dir, 'renamed.csv'), DOSSIER_COLUMNS);
    expect(renamed.layout.format).toBe('xlsx');
    expect((await collect(renamed.rows)).length).toBeGreaterThan(0);
    const error = await inputError((async () => collect((await openTable(join(dir, 'open.csv'), DOSSIER_COLUMNS)).rows))());
    expect(error.message).toContain('ngoặc kép');
  });
});
