import * as XLSX from '@e965/xlsx';
import { readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { isEncryptedOle } from '../../src/import/readers/file-head.ts';
import { readRawRows } from '../../src/import/readers/index.ts';
import { openXlsx } from '../../src/import/readers/xlsx-reader.ts';
import { InputError, UncomputedFormula, type RawRow } from '../../src/import/types.ts';
import { collect, inputError } from '../helpers/async.ts';
import { tempDir } from '../helpers/databases.ts';
import { workbookParts, writeWorkbook, zip } from './xlsx-parts.ts';

// Whole workbook files: macro-enabled ones, OLE files (a password-protected workbook, an Excel 97-2003 one), and
// files that fail while read (cut short, removed, damaged XML), each with the one line a user reads.

const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), '../fixtures/xlsx');
const utc = (y: number, m: number, d: number, h = 0, min = 0) => new Date(Date.UTC(y, m - 1, d, h, min));

/** A part of a zip as SheetJS's own zip reader reads it. */
function partText(bytes: Buffer, name: string): string {
  const entry = XLSX.CFB.find(XLSX.CFB.read(bytes, { type: 'buffer' }), `/${name}`);
  if (!entry?.content) throw new Error(`no ${name}`);
  return Buffer.from(entry.content as Uint8Array).toString('utf8');
}

// What openpyxl wrote (test/fixtures/xlsx/make-fixtures.py): formulas without values, a date, a CR LF text.
const OPENPYXL_ROWS: RawRow[] = [
  { rowNumber: 1, cells: ['Mã hồ sơ', 'Số ngày', 'Gấp đôi', 'Ghi chú', 'Ngày tiếp nhận'] },
  { rowNumber: 2, cells: ['H001', 3, new UncomputedFormula('B2*2'), 'dòng 1\r\ndòng 2', utc(2021, 12, 31, 23, 30), new UncomputedFormula('SUM(B2:B3)')] },
  { rowNumber: 3, cells: ['H002', 4, new UncomputedFormula('B3*2'), new UncomputedFormula('CONCATENATE(A3,"-",B3)'), utc(2022, 1, 1, 0, 10)] },
];

describe('workbooks written by other programs', () => {
  it('reads what openpyxl writes: formulas without values, dates, a hidden sheet', async () => {
    const source = await openXlsx(join(FIXTURES, 'openpyxl-formulas.xlsx'));
    try {
      expect(source.sheets.map((sheet) => [sheet.name, sheet.hidden])).toEqual([['Hồ sơ', false], ['Ẩn', true]]);
      expect((await collect(source.sheets[0].rows())).flat()).toStrictEqual(OPENPYXL_ROWS);
    } finally {
      await source.close();
    }
  });

  it('reads a macro-enabled workbook (.xlsm) as an .xlsx', async () => {
    const path = join(FIXTURES, 'openpyxl-macro.xlsm');
    const bytes = readFileSync(path);
    expect(partText(bytes, '[Content_Types].xml')).toContain('application/vnd.ms-excel.sheet.macroEnabled.main+xml');
    expect(partText(bytes, 'xl/_rels/workbook.xml.rels')).toContain('vbaProject.bin');
    const rows = await collect(readRawRows(path));
    expect(rows).toStrictEqual([...OPENPYXL_ROWS, { rowNumber: 1, cells: ['ẩn'] }]);

    const book = XLSX.utils.book_new();
    XLSX.utils.book_append_sheet(book, XLSX.utils.aoa_to_sheet([['Mã hồ sơ', 'Số ngày'], ['H001', 3]]), 'Hồ sơ');
    const sheetjs = join(tempDir(), 'sheetjs.xlsm');
    writeFileSync(sheetjs, XLSX.write(book, { type: 'buffer', bookType: 'xlsm' }) as Buffer);
    expect(partText(readFileSync(sheetjs), '[Content_Types].xml')).toContain('macroEnabled.main+xml');
    expect(await collect(readRawRows(sheetjs))).toEqual([
      { rowNumber: 1, cells: ['Mã hồ sơ', 'Số ngày'] },
      { rowNumber: 2, cells: ['H001', 3] },
    ]);
  });
});

describe('OLE files given as .xlsx', () => {
  /** An OLE file as a password-protected workbook is (its streams' content made up), written by SheetJS's CFB. */
  function encryptedWorkbook(): Buffer {
    const cfb = XLSX.CFB.utils.cfb_new();
    // Streams enough for a directory of several sectors, so that the stream is found by following its chain.
    for (let i = 0; i < 40; i++) XLSX.CFB.utils.cfb_add(cfb, `/S${i}`, Buffer.alloc(8, i));
    XLSX.CFB.utils.cfb_add(cfb, '/EncryptionInfo', Buffer.from([4, 0, 4, 0, 0x40, 0, 0, 0]));
    XLSX.CFB.utils.cfb_add(cfb, '/EncryptedPackage', Buffer.alloc(5000, 7));
    return Buffer.from(XLSX.CFB.write(cfb, { type: 'buffer' }) as Uint8Array);
  }

  it('says a password-protected workbook is one, in one line', async () => {
    const bytes = encryptedWorkbook();
    const firstDirectorySector = (bytes.readUInt32LE(0x30) + 1) * 512;
    const name = bytes.indexOf(Buffer.from('EncryptedPackage', 'utf16le'));
    expect(name < firstDirectorySector || name >= firstDirectorySector + 512, 'the stream is past the first directory sector').toBe(true);
    const path = join(tempDir(), 'mat-khau.xlsx');
    writeFileSync(path, bytes);
    expect(await isEncryptedOle(path)).toBe(true);
    const error = await inputError(collect(readRawRows(path)));
    expect(error.message).toContain(`${path}: tệp Excel được đặt mật khẩu (mã hoá): hãy mở bằng Excel, bỏ mật khẩu`);
    expect(error.message.split('\n')).toHaveLength(1);
  });

  it('says an Excel 97-2003 workbook named .xlsx is one', async () => {
    const book = XLSX.utils.book_new();
    XLSX.utils.book_append_sheet(book, XLSX.utils.aoa_to_sheet([['Mã hồ sơ'], ['H001']]), 'S');
    const path = join(tempDir(), 'cu.xlsx');
    writeFileSync(path, XLSX.write(book, { type: 'buffer', bookType: 'biff8' }) as Buffer);
    expect(await isEncryptedOle(path)).toBe(false);
    const error = await inputError(openXlsx(path));
    expect(error.message).toContain('Excel 97-2003 (.xls), không phải .xlsx');
  });
});

/** A workbook of `count` rows whose sheet compresses poorly (pseudo-random numbers), so that its part is large. */
function largeWorkbook(count: number): { path: string; value: (row: number) => number } {
  const value = (row: number) => ((row * 2654435761) % 4294967296) * 1000 + (row % 997);
  const rows: string[] = [];
  for (let i = 1; i <= count; i++) rows.push(`<row r="${i}"><c><v>${i}</v></c><c><v>${value(i)}</v></c><c><v>${value(i * 7)}</v></c></row>`);
  return { path: writeWorkbook(workbookParts({ sheets: [rows.join(''), '<row r="1"><c><v>42</v></c></row>'] })), value };
}

describe('a file that fails while it is read', () => {
  it('says a file cut short while its rows are read was cut, naming it', async () => {
    const { path } = largeWorkbook(150_000);
    const source = await openXlsx(path);
    try {
      const batches = source.sheets[0].rows()[Symbol.asyncIterator]();
      const first = await batches.next();
      expect(first.done).toBe(false);
      truncateSync(path, Math.floor(readFileSync(path).length / 2));
      const error = await inputError((async () => {
        for (let next = await batches.next(); !next.done; next = await batches.next());
      })());
      expect(error.message).toBe(`${path}: tệp bị cắt ngắn trong lúc đang đọc (tệp đang được ghi hoặc chép vào?): hãy đọc lại khi tệp đã ghi xong`);
    } finally {
      await source.close();
    }
  });

  it('reads a file removed while its rows are read to its end, as it was when opened', async () => {
    const count = 100_000;
    const { path, value } = largeWorkbook(count);
    const source = await openXlsx(path);
    try {
      const rows: RawRow[] = [];
      for await (const batch of source.sheets[0].rows()) {
        if (rows.length === 0) rmSync(path);
        rows.push(...batch);
      }
      expect(rows).toHaveLength(count);
      for (const row of rows) {
        const i = row.rowNumber;
        if (row.cells[0] !== i || row.cells[1] !== value(i) || row.cells[2] !== value(i * 7)) expect(row.cells).toEqual([i, value(i), value(i * 7)]);
      }
      expect(await collect(source.sheets[1].rows())).toEqual([[{ rowNumber: 1, cells: [42] }]]);
    } finally {
      await source.close();
    }
  });

  it('calls a sheet whose XML is cut short or is not XML a damaged file', async () => {
    const cut = writeWorkbook(workbookParts({ sheets: ['<row r="1"><c><v>1</v></c></row><row r="2"><c><v>2</v></c>'] }));
    expect((await inputError(collect(readRawRows(cut)))).message).toBe(`${cut}: tệp .xlsx bị hỏng (phần XML của trang tính bị cắt cụt)`);
    const parts = workbookParts({ sheets: ['<row r="1"><c><v>1</v></c></row>'] });
    parts[0][1] = Buffer.from(Array.from({ length: 300 }, (_, i) => (i * 7 + 1) % 256)).toString('latin1');
    const binary = writeWorkbook(parts);
    expect((await inputError(collect(readRawRows(binary)))).message).toBe(`${binary}: tệp .xlsx bị hỏng (trang tính không phải XML)`);
  });

  it('calls a part that does not inflate a damaged file, in one line', async () => {
    const parts = workbookParts({ sheets: ['<row r="1"><c><v>1</v></c></row>'] });
    const bytes = zip(parts);
    const name = Buffer.from('xl/worksheets/sheet1.xml');
    const data = bytes.indexOf(name) + name.length;
    bytes.fill(0xff, data, data + 8); // an invalid deflate block type
    const path = join(tempDir(), 'inflate.xlsx');
    writeFileSync(path, bytes);
    const error = await inputError(collect(readRawRows(path)));
    expect(error.message).toBe(`${path}: tệp .xlsx bị hỏng (mục "xl/worksheets/sheet1.xml" không giải nén được)`);
  });

  it('does not call a reader\'s misuse a damaged file: rows read after close() fail as they are', async () => {
    const source = await openXlsx(writeWorkbook(workbookParts({ sheets: ['<row r="1"><c><v>1</v></c></row>'] })));
    await source.close();
    const failure = await collect(source.sheets[0].rows()).then(() => undefined, (error: unknown) => error);
    expect(failure).toBeInstanceOf(Error);
    expect(failure).not.toBeInstanceOf(InputError);
    expect(String(failure)).toContain('read after close()');
  });
});
