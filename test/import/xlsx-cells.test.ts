import ExcelJS from 'exceljs';
import * as XLSX from '@e965/xlsx';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readRawRows } from '../../src/import/readers/index.ts';
import { parseIsoDate } from '../../src/import/readers/sheet-xml.ts';
import { SharedStringsBuilder } from '../../src/import/readers/xlsx-shared-strings.ts';
import { decodeEscapes } from '../../src/import/readers/xlsx-xml.ts';
import { UncomputedFormula, type CellValue } from '../../src/import/types.ts';
import { collect } from '../helpers/async.ts';
import { tempDir } from '../helpers/databases.ts';
import { workbookParts, writeWorkbook } from './xlsx-parts.ts';

// The cells the .xlsx reader must read as their writer meant them: ISO 8601 date cells (t="d"), text with
// SpreadsheetML's _xHHHH_ escapes, and formulas saved without their computed value.

/** The cells of every row, by row number. */
async function cellsOf(path: string): Promise<Record<number, CellValue[]>> {
  const rows: Record<number, CellValue[]> = {};
  for (const row of await collect(readRawRows(path))) rows[row.rowNumber] = row.cells;
  return rows;
}

const utc = (...fields: [number, number, number, number?, number?, number?, number?]) =>
  new Date(Date.UTC(fields[0], fields[1] - 1, fields[2], fields[3] ?? 0, fields[4] ?? 0, fields[5] ?? 0, fields[6] ?? 0));

describe('t="d" cells (ISO 8601 dates)', () => {
  it('reads the date and time as written, whatever the suffix: never moved by a time zone', async () => {
    const texts = [
      '2021-12-31T23:30:00Z', '2021-12-31T23:30:00.000Z', '2021-12-31T23:30:00+07:00', '2021-12-31T23:30:00-05:00',
      '2021-12-31T23:30:00', '2021-12-31T23:30', '2021-12-31', '2022-01-01T00:10:05.250+0700', '12:30:00', 'T08:15',
    ];
    const sheet = `<row r="1">${texts.map((text) => `<c t="d"><v>${text}</v></c>`).join('')}</row>`;
    const [row] = await collect(readRawRows(writeWorkbook(workbookParts({ sheets: [sheet] }))));
    expect(row.cells).toEqual([
      utc(2021, 12, 31, 23, 30), utc(2021, 12, 31, 23, 30), utc(2021, 12, 31, 23, 30), utc(2021, 12, 31, 23, 30),
      utc(2021, 12, 31, 23, 30), utc(2021, 12, 31, 23, 30), utc(2021, 12, 31), utc(2022, 1, 1, 0, 10, 5, 250),
      // A time alone is on Excel's day 0, as the serial 0.5 of a time-formatted number cell is.
      utc(1899, 12, 30, 12, 30), utc(1899, 12, 30, 8, 15),
    ]);
  });

  it('keeps a t="d" cell that is not a date as its text', async () => {
    const sheet = '<row r="1"><c t="d"><v>không phải ngày</v></c><c t="d"><v>2021-02-30</v></c><c t="d"><v>2021-13-01</v></c>' +
      '<c t="d"><v>2021-12-31T25:00:00Z</v></c><c t="d"><v></v></c><c t="d"><v>2024-02-29T24:00:00</v></c></row>';
    const [row] = await collect(readRawRows(writeWorkbook(workbookParts({ sheets: [sheet] }))));
    expect(row.cells).toEqual(['không phải ngày', '2021-02-30', '2021-13-01', '2021-12-31T25:00:00Z', null, utc(2024, 3, 1)]);
    expect(parseIsoDate('2020-02-29')).toEqual(utc(2020, 2, 29));
    expect(parseIsoDate('2021-02-29')).toBeNull();
  });

  it('reads the dates SheetJS writes as t="d" cells as the wall-clock time Excel shows', async () => {
    // SheetJS writes a Date's local wall-clock time with a Z suffix: Excel shows that time, and so must tthc.
    const dates = [new Date(2021, 11, 31, 23, 30), new Date(2022, 0, 1, 0, 10), new Date(2024, 1, 29, 7, 0, 30)];
    const sheet = XLSX.utils.aoa_to_sheet([['Ngày tiếp nhận'], ...dates.map((date) => [date])], { cellDates: true });
    const book = XLSX.utils.book_new();
    XLSX.utils.book_append_sheet(book, sheet, 'Hồ sơ');
    const path = join(tempDir(), 'sheetjs-dates.xlsx');
    const bytes = XLSX.write(book, { type: 'buffer', bookType: 'xlsx', cellDates: true }) as Buffer;
    writeFileSync(path, bytes);
    expect(partText(bytes, 'xl/worksheets/sheet1.xml')).toMatch(/<c r="A2"[^>]* t="d"><v>\d{4}-\d\d-\d\dT[\d:.]+Z<\/v>/);
    const wallClock = (date: Date) =>
      utc(date.getFullYear(), date.getMonth() + 1, date.getDate(), date.getHours(), date.getMinutes(), date.getSeconds());
    const rows = await cellsOf(path);
    expect([rows[2][0], rows[3][0], rows[4][0]]).toEqual(dates.map(wallClock));
  });
});

describe('_xHHHH_ escapes', () => {
  it('decodes them in shared and inline strings; _x005F_ escapes an underscore', async () => {
    const texts = [
      'dòng 1_x000D__x000A_dòng 2', 'a_x000d_b', '_x005F_x000D_', 'H_x005F_001', '_xD83D__xDE00_', 'tab_x0009_end',
      '_x00G1_ _x000D ok_x', 'a &amp; _x0026_ b', 'x_x005f_x005F_y',
    ];
    const expected = ['dòng 1\r\ndòng 2', 'a\rb', '_x000D_', 'H_001', '😀', 'tab\tend', '_x00G1_ _x000D ok_x', 'a & & b', 'x_x005F_y'];
    const sst = texts.map((text) => `<si><t>${text}</t></si>`).join('');
    const shared = texts.map((_, i) => `<c t="s"><v>${i}</v></c>`).join('');
    const inline = texts.map((text) => `<c t="inlineStr"><is><t>${text}</t></is></c>`).join('');
    const path = writeWorkbook(workbookParts({ sheets: [`<row r="1">${shared}</row><row r="2">${inline}</row>`], sharedStrings: sst }));
    const rows = await cellsOf(path);
    expect(rows[1]).toEqual(expected);
    expect(rows[2]).toEqual(expected);
    // An escape written with character references is still an escape once they are decoded.
    expect(decodeEscapes('&#95;x000D_'.replace('&#95;', '_'))).toBe('\r');
  });

  it('reads back the control characters SheetJS escapes so', async () => {
    const texts = ['Số 1\rSố 2', 'c\u0001d', 'Ghi chú\u001fcuối'];
    const sheet = XLSX.utils.aoa_to_sheet([texts]);
    const book = XLSX.utils.book_new();
    XLSX.utils.book_append_sheet(book, sheet, 'S');
    for (const bookSST of [true, false]) {
      const path = join(tempDir(), `sheetjs-escapes-${bookSST}.xlsx`);
      const bytes = XLSX.write(book, { type: 'buffer', bookType: 'xlsx', bookSST }) as Buffer;
      expect(partText(bytes, bookSST ? 'xl/sharedStrings.xml' : 'xl/worksheets/sheet1.xml')).toContain('c_x0001_d');
      writeFileSync(path, bytes);
      expect((await cellsOf(path))[1], `shared strings: ${bookSST}`).toEqual(texts);
    }
  });

  it('decodes an escape split across the chunks of a shared-strings part', () => {
    const xml = Buffer.from('<sst><si><t>a_x000D_b</t></si><si><t>_x005F_x000D_</t></si></sst>');
    for (let size = 1; size <= 12; size++) {
      const builder = new SharedStringsBuilder(xml.length);
      for (let i = 0; i < xml.length; i += size) builder.push(xml.subarray(i, i + size));
      const strings = builder.end();
      expect([strings.get(0), strings.get(1)], `chunks of ${size}`).toEqual(['a\rb', '_x000D_']);
    }
  });
});

describe('formula cells', () => {
  it('reads a formula without a computed value as an UncomputedFormula, one with a value as that value', async () => {
    const sheet =
      '<row r="1">' +
      '<c r="A1"><v>3</v></c>' +
      '<c r="B1"><f>A1*2</f></c>' + // no <v>
      '<c r="C1"><f>A1*3</f><v></v></c>' + // openpyxl's empty <v>
      '<c r="D1"><f>A1*4</f><v/></c>' +
      '<c r="E1"><f>A1*5</f><v>15</v></c>' +
      '<c r="F1" t="str"><f>IF(A1&gt;0,"x&amp;y","")</f><v>x&amp;y</v></c>' +
      '<c r="G1" t="str"><f>IF(A1&gt;9,"x","")</f><v></v></c>' + // computed: the empty string
      '<c r="H1"><f>IF(A1&gt;0,"x&amp;y","")</f></c>' +
      '<c r="I1" t="b"><f>A1&gt;0</f></c>' +
      '<c r="J1" t="e"><f>1/0</f><v>#DIV/0!</v></c>' +
      '<c r="K1" t="b"><f>A1&gt;0</f><v>1</v></c>' +
      '</row>';
    const rows = await cellsOf(writeWorkbook(workbookParts({ sheets: [sheet] })));
    expect(rows[1]).toStrictEqual([
      3, new UncomputedFormula('A1*2'), new UncomputedFormula('A1*3'), new UncomputedFormula('A1*4'), 15, 'x&y', null,
      new UncomputedFormula('IF(A1>0,"x&y","")'), new UncomputedFormula('A1>0'), '#DIV/0!', true,
    ]);
  });

  it('reads shared and array formulas without values as UncomputedFormula, with values as their values', async () => {
    const sheet =
      '<row r="1"><c r="A1"><v>1</v></c><c r="B1"><f t="shared" ref="B1:B3" si="0">A1+1</f></c>' +
      '<c r="C1"><f t="array" ref="C1:C1">SUM(A1:A3)</f></c><c r="D1"><f t="shared" ref="D1:D2" si="1">A1*10</f><v>10</v></c></row>' +
      '<row r="2"><c r="A2"><v>2</v></c><c r="B2"><f t="shared" si="0"/></c><c r="D2"><f t="shared" si="1"/><v>20</v></c></row>' +
      '<row r="3"><c r="A3"><v>3</v></c><c r="B3"><f t="shared" si="0"/><v></v></c><c r="E3"><f t="shared" si="7"/></c></row>';
    const rows = await cellsOf(writeWorkbook(workbookParts({ sheets: [sheet] })));
    expect(rows).toStrictEqual({
      // A cell of a shared formula's group shows the group's formula as its first cell has it.
      1: [1, new UncomputedFormula('A1+1'), new UncomputedFormula('SUM(A1:A3)'), 10],
      2: [2, new UncomputedFormula('A1+1'), null, 20],
      3: [3, new UncomputedFormula('A1+1'), null, null, new UncomputedFormula('')],
    });
  });

  it('reads formulas across chunk boundaries: every row of a large sheet of formulas', async () => {
    const count = 20_000;
    const rows: string[] = [];
    for (let i = 1; i <= count; i++) {
      const formula = `CONCATENATE("Hồ sơ số ",A${i},"-","${'đ'.repeat(i % 50)}")`;
      rows.push(`<row r="${i}"><c r="A${i}"><v>${i}</v></c><c r="B${i}" t="str"><f>${formula.replace(/"/g, '&quot;')}</f>${i % 3 === 0 ? `<v>v${i}</v>` : ''}</c></row>`);
    }
    const read = await collect(readRawRows(writeWorkbook(workbookParts({ sheets: [rows.join('')] }))));
    expect(read).toHaveLength(count);
    for (const row of read) {
      const i = row.rowNumber;
      const expected = i % 3 === 0 ? `v${i}` : new UncomputedFormula(`CONCATENATE("Hồ sơ số ",A${i},"-","${'đ'.repeat(i % 50)}")`);
      if (row.cells[0] !== i || !isEqual(row.cells[1], expected)) expect(row.cells).toEqual([i, expected]);
    }
  });

  it('reads the formulas exceljs writes without a result as UncomputedFormula, with one as the result', async () => {
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('Hồ sơ');
    sheet.addRow([2, { formula: 'A1*2' }, { formula: 'A1*3', result: 6 }, { formula: 'A1&"x"', result: '2x' }]);
    const path = join(tempDir(), 'exceljs-formulas.xlsx');
    await workbook.xlsx.writeFile(path);
    expect((await cellsOf(path))[1]).toStrictEqual([2, new UncomputedFormula('A1*2'), 6, '2x']);
  });
});

/** A part of a zip as SheetJS's own zip reader reads it. */
function partText(bytes: Buffer, name: string): string {
  const archive = XLSX.CFB.read(bytes, { type: 'buffer' });
  const entry = XLSX.CFB.find(archive, `/${name}`);
  if (!entry?.content) throw new Error(`no ${name}`);
  return Buffer.from(entry.content as Uint8Array).toString('utf8');
}

function isEqual(a: CellValue, b: CellValue): boolean {
  return JSON.stringify(a) === JSON.stringify(b) && (a instanceof UncomputedFormula) === (b instanceof UncomputedFormula);
}
