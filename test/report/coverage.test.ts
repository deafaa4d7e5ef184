import { join } from 'node:path';
import type ExcelJS from 'exceljs';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { openDatabase, type Db } from '../../src/db/connection.ts';
import { reportText, writeReport } from '../../src/report/index.ts';
import { FIGURE_GROUP_LABELS, FIGURE_LABELS } from '../../src/stats/labels.ts';
import { tthc } from '../helpers/cli.ts';
import { describeEachDatabase } from '../helpers/databases.ts';
import { COLUMN, importColumns, UNTIL_25_MAY } from '../stats/coverage-data.ts';
import { importRows } from '../stats/fixtures.ts';
import { findRow, headerColumns, num, readWorkbook, sheet, text } from './fixtures.ts';

// The report over data that ends on 25/05/2023 (test/stats/coverage-data.ts), with one more district dossier
// from an export without a due-date column: D1, received 03/04/2023 and ended 10/04/2023, on time for want of a
// due day. The district's 2023 to 25/05: 7 received (P3 online), E1 early, D1 on time, P1–P5 pending of which
// P1 overdue; at 31/12/2023, P1–P4 overdue and P5 in time.

const CUT = 'dữ liệu chỉ đến 25/05/2023: số liệu năm 2023 tính đến ngày đó';
const NO_DUE = 'không có cột ngày hẹn trả: không phân biệt được đúng hạn / quá hạn (1 hồ sơ trong kỳ, từ tệp khong-han.csv)';
const YEARS = { from: '2020-01-01', to: '2023-12-31' };

/** The notes a sheet ends with ("Lưu ý: …"). */
function warningNotes(ws: ExcelJS.Worksheet): string[] {
  const out: string[] = [];
  ws.eachRow((row) => {
    const first = text(row.getCell(1));
    if (first.startsWith('Lưu ý:')) out.push(first);
  });
  return out;
}

function figure(columns: Map<string, number>, name: keyof typeof FIGURE_LABELS): number {
  const group = FIGURE_GROUP_LABELS[name];
  return columns.get(group ? `${group} / ${FIGURE_LABELS[name]}` : FIGURE_LABELS[name])!;
}

describeEachDatabase('report over data that ends on 25/05/2023', (t) => {
  let db: Db;
  let target: string;
  let dir: string;
  beforeAll(async () => {
    target = await t.newTarget();
    dir = t.tempDir();
    db = await openDatabase(target);
    await importRows(db, dir, UNTIL_25_MAY);
    const { code, unit, procedure, field, channel, received, ended, returned, status } = COLUMN;
    await importColumns(db, dir, 'khong-han.csv', [code, unit, procedure, field, channel, received, ended, returned, status], [
      { code: 'D1', received: '03/04/2023 08:00', ended: '10/04/2023 15:00' },
    ]);
  });
  afterAll(() => db?.destroy());

  it('cuts the yearly sheets at 25/05/2023, labels the year so, and notes what the data cannot tell', async () => {
    const out = join(dir, 'bao-cao.xlsx');
    const result = await writeReport(db, { query: { period: YEARS }, out });
    expect(result.period).toEqual({ from: '2020-01-01', to: '2023-05-25' });
    expect(result.warnings).toEqual([CUT, NO_DUE]);
    const wb = await readWorkbook(out);

    const nam = sheet(wb, 'Theo năm');
    const top = findRow(nam, 1, 'Cấp');
    const columns = headerColumns(nam, top, 2);
    let r = findRow(nam, 1, 'Cấp huyện', top);
    while (text(nam.getCell(r, 2)) !== '2023 (01/01–25/05)') r++;
    const at = (name: keyof typeof FIGURE_LABELS) => num(nam.getCell(r, figure(columns, name)));
    expect([at('receivedTotal'), at('resolvedEarly'), at('resolvedOnTime'), at('pendingOnTime'), at('pendingOverdue')]).toEqual([7, 1, 1, 4, 1]);
    expect(warningNotes(nam)).toEqual([`Lưu ý: ${CUT}.`, `Lưu ý: ${NO_DUE}.`]);

    // Theo tháng ends with May cut at the 25th; Biểu 06 covers the real span.
    expect(warningNotes(sheet(wb, 'Theo tháng'))).toEqual([`Lưu ý: ${CUT}.`, `Lưu ý: ${NO_DUE}.`]);
    const bieu06 = sheet(wb, 'Biểu 06');
    expect(findRow(bieu06, 1, '(Từ ngày 01/01/2020 đến ngày 25/05/2023)')).toBeGreaterThan(0);
    expect(warningNotes(bieu06)).toEqual([`Lưu ý: ${CUT}.`, `Lưu ý: ${NO_DUE}.`]);
    // The online rate does not rest on due dates; the catalogue rests on no dossier.
    expect(warningNotes(sheet(wb, 'Chỉ tiêu'))).toEqual([`Lưu ý: ${CUT}.`]);
    expect(warningNotes(sheet(wb, 'Danh mục TTHC'))).toEqual([]);
    expect(warningNotes(sheet(wb, 'Thuyết minh'))).toEqual([`Lưu ý: ${CUT}.`, `Lưu ý: ${NO_DUE}.`]);
    const minh = sheet(wb, 'Thuyết minh');
    expect(text(minh.getCell(findRow(minh, 2, '2023 (01/01–25/05)'), 3))).toMatch(/^Từ ngày 01\/01\/2023 đến ngày 25\/05\/2023, hệ thống một cửa điện tử của huyện đã tiếp nhận, giải quyết 7 hồ sơ\./);
  });

  it('keeps the whole year with wholePeriods, and says the figures run past the data', async () => {
    const out = join(dir, 'ca-nam.xlsx');
    const result = await writeReport(db, { query: { period: YEARS }, out, sheets: ['theo-nam'], wholePeriods: true });
    expect(result.period).toEqual(YEARS);
    const whole = 'dữ liệu chỉ đến 25/05/2023: không có số liệu từ 26/05/2023 đến 31/12/2023, hồ sơ chưa kết thúc được tính là đang giải quyết đến 31/12/2023 và quá hạn theo ngày đó';
    expect(result.warnings).toEqual([whole, NO_DUE]);
    const nam = sheet(await readWorkbook(out), 'Theo năm');
    const top = findRow(nam, 1, 'Cấp');
    const columns = headerColumns(nam, top, 2);
    let r = findRow(nam, 1, 'Cấp huyện', top);
    while (text(nam.getCell(r, 2)) !== '2023') r++;
    expect([num(nam.getCell(r, figure(columns, 'pendingOnTime'))), num(nam.getCell(r, figure(columns, 'pendingOverdue')))]).toEqual([1, 4]);
    expect(warningNotes(nam)).toEqual([`Lưu ý: ${whole}.`, `Lưu ý: ${NO_DUE}.`]);
  });

  it('the paragraphs name the real span; tthc report prints the warnings on stderr', async () => {
    const { text: paragraphs, warnings } = await reportText(db, { period: YEARS });
    expect(paragraphs).toContain('Từ ngày 01/01/2023 đến ngày 25/05/2023, hệ thống một cửa điện tử của huyện đã tiếp nhận, giải quyết 7 hồ sơ.');
    expect(paragraphs).not.toContain('Năm 2023');
    expect(warnings).toEqual([CUT, NO_DUE]);

    const cli = await tthc('--db', target, 'report', '--years', '2020-2023', '--sheets', 'theo-nam', '--out', join(dir, 'cli.xlsx'));
    expect(cli.code).toBe(0);
    expect(cli.stderr).toBe(`tthc: cảnh báo: ${CUT}\ntthc: cảnh báo: ${NO_DUE}\n`);
    const textCli = await tthc('--db', target, 'report', '--year', '2022', '--text');
    expect(textCli.code).toBe(0);
    expect(textCli.stdout).toContain('Năm 2022, hệ thống một cửa điện tử cấp xã');
    expect(textCli.stderr).toBe('');
  });
});
