import { join } from 'node:path';
import { expect, it } from 'vitest';
import { writeReport } from '../../src/report/index.ts';
import { describeEachDatabase } from '../helpers/databases.ts';
import { findRow, formulaOf, importFixture, PERIOD, readWorkbook, text } from './fixtures.ts';

// The finish a report writer prints as it is: Times New Roman, bold centred wrapped headers, thin borders,
// numbers stored as numbers with formats, frozen header rows, A4 landscape, header rows repeated, page numbers.

describeEachDatabase('report form', (t) => {
  it('every table sheet is ready to print', async () => {
    const db = await t.open();
    const dir = t.tempDir();
    await importFixture(db, dir, { procedures: true });
    const out = join(dir, 'form.xlsx');
    await writeReport(db, { query: { period: PERIOD, filters: { excludeField: ['Bảo hiểm xã hội'] } }, out });
    const wb = await readWorkbook(out);
    for (const ws of wb.worksheets) {
      expect(ws.pageSetup.paperSize, ws.name).toBe(9);
      expect(ws.pageSetup.orientation, ws.name).toBe('landscape');
      expect(ws.headerFooter.oddFooter, ws.name).toContain('&P');
      let cells = 0;
      ws.eachRow((row) =>
        row.eachCell((cell) => {
          if (cell.value === null) return;
          expect(cell.font?.name, `${ws.name}!${cell.address}`).toBe('Times New Roman');
          cells++;
        }),
      );
      expect(cells).toBeGreaterThan(5);
    }
    for (const [name, headerText, headerRows] of [
      ['Theo năm', 'Cấp', 2],
      ['Theo tháng', 'Tháng', 2],
      ['Theo đơn vị', 'STT', 3],
      ['Biểu 06', 'STT', 4],
      ['Danh mục TTHC', 'Cấp thực hiện', 2],
      ['Chỉ tiêu', 'Cấp', 1],
    ] as const) {
      const ws = wb.getWorksheet(name)!;
      const top = findRow(ws, 1, headerText);
      const bottom = top + headerRows - 1;
      expect(ws.pageSetup.printTitlesRow, name).toBe(`${top}:${bottom}`);
      expect(ws.views[0], name).toMatchObject({ state: 'frozen', ySplit: bottom });
      const header = ws.getCell(top, 1);
      expect(header.font?.bold, name).toBe(true);
      expect(header.alignment, name).toMatchObject({ horizontal: 'center', wrapText: true });
      expect(header.border?.top?.style, name).toBe('thin');
      // Two-level headers are merged cells.
      if (headerRows > 1) expect(header.isMerged, name).toBe(true);
      // The first figure cell: a number (not text), with a number format and a border.
      const figure = ws.getCell(bottom + 1, name === 'Theo tháng' ? 2 : 3);
      const row = name === 'Theo tháng' ? bottom + 2 : bottom + 1; // Theo tháng starts with a level heading
      const cell = ws.getCell(row, figure.col);
      expect(typeof (formulaOf(cell) ? cell.result : cell.value), `${name}!${cell.address}`).toBe('number');
      expect(cell.numFmt, `${name}!${cell.address}`).toMatch(/0/);
      expect(cell.border?.left?.style).toBe('thin');
      for (let c = 1; c <= ws.columnCount; c++) expect(ws.getColumn(c).width, `${name} column ${c}`).toBeGreaterThanOrEqual(5);
    }
    // Rates are Excel percentages.
    const nam = wb.getWorksheet('Theo năm')!;
    const top = findRow(nam, 1, 'Cấp');
    let rateColumn = 0;
    for (let c = 1; c <= nam.columnCount; c++) if (text(nam.getCell(top, c)) === 'Tỷ lệ giải quyết sớm và đúng hạn') rateColumn = c;
    expect(nam.getCell(top + 2, rateColumn).numFmt).toBe('0.0 %');
    expect(wb.getWorksheet('Theo năm')!.getCell(2, 1).value).toBe(
      'Từ ngày 01/01/2021 đến ngày 31/12/2022; không tính hồ sơ lĩnh vực Bảo hiểm xã hội',
    );
  });
});
