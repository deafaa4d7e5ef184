import ExcelJS from 'exceljs';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readRawRowBatches, readRawRows } from '../../src/import/readers/index.ts';
import { parseNumber } from '../../src/import/readers/sheet-xml.ts';
import { SharedStringsBuilder } from '../../src/import/readers/xlsx-shared-strings.ts';
import type { RawRow } from '../../src/import/types.ts';
import { tempDir } from '../helpers/databases.ts';
import { collect, inputError } from '../helpers/async.ts';
import { workbookParts, writeWorkbook, zip } from './xlsx-parts.ts';

// The .xlsx reader on workbooks written by hand: the zip and the XML as other spreadsheet programs write them
// (namespace prefixes, parts in another order, rich and phonetic text, stored entries), and damaged ones.

const STYLES =
  '<numFmts count="2"><numFmt numFmtId="164" formatCode="dd/mm/yyyy&quot; giờ &quot;hh:mm"/><numFmt numFmtId="165" formatCode="#,##0&quot; đ&quot;"/></numFmts>' +
  '<cellStyleXfs count="1"><xf numFmtId="14"/></cellStyleXfs>' +
  '<cellXfs count="5"><xf numFmtId="0"/><xf numFmtId="164" applyNumberFormat="1"><alignment wrapText="1"/></xf><xf numFmtId="165"/><xf numFmtId="14"/><xf numFmtId="22"/></cellXfs>';

describe('xlsx reader (zip parts and XML scanning)', () => {
  it('reads shared strings (plain, rich, phonetic, entities, CDATA), inline strings and cell types', async () => {
    const sst =
      '<si><t>Mã hồ sơ</t></si>' +
      '<si><r><rPr><b/></rPr><t xml:space="preserve">UBND </t></r><r><t>xã Gia Điền</t></r><rPh sb="0" eb="1"><t>ふりがな</t></rPh></si>' +
      '<si><t>a &amp; b &lt;c&gt; &#272;&#x1EA1;i</t></si>' +
      '<si><t><![CDATA[x & <y>]]></t></si>' +
      '<si><t/></si>' +
      '<si><t>Hoà Bình</t></si>';
    const sheet =
      '<row r="1"><c r="A1" t="s"><v>0</v></c><c r="C1" t="s"><v>1</v></c></row>' +
      '<row r="3" spans="1:9"><c r="A3" t="s"><v>2</v></c><c r="B3" t="s"><v>3</v></c><c r="C3" t="s"><v>4</v></c>' +
      '<c r="D3" t="inlineStr"><is><r><t>Trần </t></r><r><t>V&#259;n</t></r><rPh><t>x</t></rPh></is></c>' +
      '<c r="E3" t="b"><v>1</v></c><c r="F3" t="b"><v>0</v></c><c r="G3" t="e"><v>#N/A</v></c>' +
      '<c r="H3" t="str"><f>A1&amp;""</f><v>Mã hồ sơ</v></c><c r="I3" s="2"><v>-12.5</v></c></row>' +
      '<row r="4"><c r="B4" t="s"><v>99</v></c></row>' + // a missing shared string: no value, no row
      '<row r="5"><c t="s"><v>5</v></c><c><v>7</v></c><c r="E5"><v>1e3</v></c></row>';
    const path = writeWorkbook(workbookParts({ sheets: [sheet], sharedStrings: sst, styles: STYLES }));
    expect(await collect(readRawRows(path))).toEqual([
      { rowNumber: 1, cells: ['Mã hồ sơ', null, 'UBND xã Gia Điền'] },
      { rowNumber: 3, cells: ['a & b <c> Đại', 'x & <y>', null, 'Trần Văn', true, false, '#N/A', 'Mã hồ sơ', -12.5] },
      { rowNumber: 5, cells: ['Hoà Bình', 7, null, null, 1000] },
    ]);
  });

  it('tells date cells by their style: custom formats with d/m/y/h, built-in date formats, the 1904 system', async () => {
    // 44286.9791666667 is 2021-03-31 23:30; 44287.0069444444 is 2021-04-01 00:10.
    const sheet =
      '<row r="1"><c r="A1" s="1"><v>44286.979166666664</v></c><c r="B1" s="1"><v>44287.006944444445</v></c>' +
      '<c r="C1" s="2"><v>44286</v></c><c r="D1" s="3"><v>44286</v></c><c r="E1" s="4"><v>44286.5</v></c><c r="F1" s="9"><v>3</v></c></row>';
    const wallClock = (date: unknown) => (date as Date).toISOString().slice(0, 16);
    const [row] = await collect(readRawRows(writeWorkbook(workbookParts({ sheets: [sheet], styles: STYLES }))));
    expect(row.cells.map((cell) => (cell instanceof Date ? wallClock(cell) : cell))).toEqual([
      '2021-03-31T23:30', '2021-04-01T00:10', 44286, '2021-03-31T00:00', '2021-03-31T12:00', 3,
    ]);
    const [row1904] = await collect(readRawRows(writeWorkbook(workbookParts({
      sheets: ['<row r="1"><c r="A1" s="3"><v>42824</v></c></row>'], styles: STYLES, workbookPr: '<workbookPr date1904="1"/>',
    }))));
    expect(wallClock(row1904.cells[0])).toBe('2021-03-31T00:00');
  });

  it('reads numbers as Number() reads their text', async () => {
    const texts = ['0', '-0', '0.1', '43873.70833333333', '43873.020138888891', '-12.5', '123456789012345', '1234567890123456789',
      '1e-7', '2.5E+3', '.5', '5.', '00012', '3.14159265358979', '0.30000000000000004', '999999999999999.9', ' 7 ',
      '9007199254740991', '9007199254740993', '9.007199254740993', '43831.020138888891', '0.000000000000000000000001', '1.7976931348623157e308'];
    const sheet = `<row r="1">${texts.map((text) => `<c><v>${text}</v></c>`).join('')}</row>`;
    const [row] = await collect(readRawRows(writeWorkbook(workbookParts({ sheets: [sheet] }))));
    expect(row.cells).toEqual(texts.map(Number));
  });

  it('parses numbers in place exactly as Number() does (dates and times with 16 or 17 digits too)', () => {
    let seed = 12345;
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
    for (let i = 0; i < 20_000; i++) {
      const x = random() * 10 ** Math.floor(random() * 12) * (random() < 0.1 ? -1 : 1);
      const serial = 43831 + Math.floor(random() * 2000) + Math.floor(random() * 1440) / 1440;
      for (const text of [String(x), x.toPrecision(16), x.toPrecision(17), x.toFixed(i % 12), String(serial)]) {
        const bytes = Buffer.from(text);
        if (!Object.is(parseNumber(bytes, 0, bytes.length), Number(text))) expect([text, parseNumber(bytes, 0, bytes.length)]).toEqual([text, Number(text)]);
      }
    }
  });

  it('reads a workbook whose elements carry a namespace prefix, entries stored uncompressed', async () => {
    const parts = workbookParts({
      prefix: 'x',
      sheets: ['<x:row r="2"><x:c r="B2" t="s"><x:v>0</x:v></x:c><x:c r="C2" s="1"><x:v>44286.5</x:v></x:c></x:row>'],
      sharedStrings: '<x:si><x:t>Đơn vị</x:t></x:si>',
      styles: STYLES.replace(/<(\/?)/g, '<$1x:'),
    });
    const path = writeWorkbook(parts, parts.map(([name]) => name));
    const rows = await collect(readRawRows(path));
    expect(rows).toHaveLength(1);
    expect(rows[0].rowNumber).toBe(2);
    expect(rows[0].cells[1]).toBe('Đơn vị');
    expect(rows[0].cells[2]).toBeInstanceOf(Date);
  });

  it('reads every sheet in the workbook order, each from its own first row', async () => {
    const parts = workbookParts({
      sheets: ['<row r="1"><c r="A1"/></row>', '<row r="7"><c r="A7"><v>2</v></c></row>', '<row r="1"><c r="A1"><v>3</v></c></row>'],
    });
    expect(await collect(readRawRows(writeWorkbook(parts)))).toEqual([{ rowNumber: 7, cells: [2] }, { rowNumber: 1, cells: [3] }]);
  });

  it('reads a large sheet across chunk boundaries: multi-byte text, rows cut anywhere, batches of rows', async () => {
    const count = 60_000;
    const strings: string[] = [];
    const rows: string[] = [];
    for (let i = 1; i <= count; i++) {
      strings.push(`<si><t>Nguyễn Thị Hường ${i} &amp; Đỗ</t></si>`);
      rows.push(
        `<row r="${i}"><c r="A${i}"><v>${i}</v></c><c r="B${i}" t="s"><v>${i - 1}</v></c>` +
          `<c r="C${i}" t="inlineStr"><is><t>Phường Hà Đông ${i}</t></is></c><c r="D${i}" s="1"><v>${44197 + i / 1440}</v></c></row>`,
      );
    }
    const path = writeWorkbook(workbookParts({ sheets: [rows.join('\n')], sharedStrings: strings.join(''), styles: STYLES }));
    const batches = await collect(readRawRowBatches(path));
    expect(batches.length).toBeGreaterThan(1);
    const all: RawRow[] = batches.flat();
    expect(all).toHaveLength(count);
    for (let k = 0; k < count; k++) {
      const i = k + 1;
      const row = all[k];
      if (
        row.rowNumber !== i || row.cells[0] !== i || row.cells[1] !== `Nguyễn Thị Hường ${i} & Đỗ` ||
        row.cells[2] !== `Phường Hà Đông ${i}` ||
        (row.cells[3] as Date).getTime() !== Math.round((44197 + i / 1440 - 25569) * 86_400_000)
      ) {
        expect(row).toEqual({ rowNumber: i });
      }
    }
  });

  it('reads a row longer than many chunks', async () => {
    const cells = Array.from({ length: 16_000 }, (_, i) => `<c t="inlineStr"><is><t>Ô ${i} ${'đ'.repeat(40)}</t></is></c>`).join('');
    const path = writeWorkbook(workbookParts({ sheets: [`<row r="1"><c><v>1</v></c></row><row r="2">${cells}</row><row r="3"><c><v>3</v></c></row>`] }));
    const rows = await collect(readRawRows(path));
    expect(rows.map((row) => [row.rowNumber, row.cells.length])).toEqual([[1, 1], [2, 16_000], [3, 1]]);
    expect(rows[1].cells[15_999]).toBe(`Ô 15999 ${'đ'.repeat(40)}`);
  });

  it('keeps shared strings as bytes, whatever the chunk boundaries', () => {
    const xml = Buffer.from('<sst uniqueCount="3"><si><t>Đỗ &amp; Hà</t></si><si><r><t>a</t></r><r><t>ộ</t></r></si><si><t></t></si></sst>');
    for (const size of [1, 2, 3, 7, 1000]) {
      const builder = new SharedStringsBuilder(xml.length);
      for (let i = 0; i < xml.length; i += size) builder.push(xml.subarray(i, i + size));
      const strings = builder.end();
      expect([strings.get(0), strings.get(1), strings.get(2), strings.get(3)], `chunks of ${size}`).toEqual(['Đỗ & Hà', 'aộ', null, null]);
    }
  });

  it('rejects a damaged entry by its CRC-32 even when it inflates', async () => {
    const parts = workbookParts({ sheets: ['<row r="1"><c r="A1"><v>12345</v></c></row>'] });
    const bytes = zip(parts, ['xl/worksheets/sheet1.xml']);
    const at = bytes.indexOf('12345');
    bytes[at] = '9'.charCodeAt(0);
    const path = join(tempDir(), 'crc.xlsx');
    writeFileSync(path, bytes);
    const error = await inputError(collect(readRawRows(path)));
    expect(error.message).toContain('bị hỏng');
    expect(error.message).toContain('CRC-32');
    expect(error.message.split('\n')).toHaveLength(1);
  });

  it('rejects a zip that is not a workbook, and a workbook whose sheet data is cut short', async () => {
    const other = join(tempDir(), 'other.xlsx');
    writeFileSync(other, zip([['readme.txt', 'hello'], ['word/document.xml', '<w:document/>']]));
    // What its bytes show it is decides, not its name: a zip of Word's parts is a Word file.
    expect((await inputError(collect(readRawRows(other)))).message).toContain('tệp Word (.docx), không phải bảng tính');

    const parts = workbookParts({ sheets: [Array.from({ length: 2000 }, (_, i) => `<row r="${i + 1}"><c><v>${i * 7919}</v></c></row>`).join('')] });
    const bytes = zip(parts);
    // Keep the directory but drop the end of the sheet's deflate stream (its entry then runs into the next one).
    const name = Buffer.from('xl/worksheets/sheet1.xml');
    const header = bytes.indexOf(name) - 30;
    const size = bytes.readUInt32LE(header + 18);
    const dataStart = header + 30 + name.length;
    const cut = Buffer.concat([bytes.subarray(0, dataStart + Math.floor(size / 2)), Buffer.alloc(size - Math.floor(size / 2), 0x41), bytes.subarray(dataStart + size)]);
    const path = join(tempDir(), 'cut.xlsx');
    writeFileSync(path, cut);
    expect((await inputError(collect(readRawRows(path)))).message).toContain('bị hỏng');
  });

  it('reads the same rows as exceljs from a workbook exceljs streams (sheet before shared strings)', async () => {
    const path = join(tempDir(), 'streamed.xlsx');
    const writer = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: path, useSharedStrings: true, useStyles: true });
    const sheet = writer.addWorksheet('Danh sách');
    const expected: RawRow[] = [];
    for (let i = 1; i <= 3000; i++) {
      const received = new Date(Date.UTC(2021, 2, 31, 23, i % 60));
      const row = sheet.addRow([i, `H${i}`, `Ủy ban nhân dân xã Ấm Hạ ${i % 17}`, received, i % 3 === 0 ? null : 'Đúng hạn']);
      row.getCell(4).numFmt = 'dd/mm/yyyy hh:mm';
      row.commit();
      const cells = [i, `H${i}`, `Ủy ban nhân dân xã Ấm Hạ ${i % 17}`, received, ...(i % 3 === 0 ? [] : ['Đúng hạn'])];
      expected.push({ rowNumber: i, cells });
    }
    await writer.commit();
    expect(readFileSync(path).indexOf('xl/worksheets/sheet1.xml')).toBeLessThan(readFileSync(path).indexOf('xl/sharedStrings.xml'));
    expect(await collect(readRawRows(path))).toEqual(expected);
  });
});
