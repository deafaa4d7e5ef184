import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { expect, it } from 'vitest';
import { importFiles } from '../../src/import/index.ts';
import { tthc } from '../helpers/cli.ts';
import { describeEachDatabase } from '../helpers/databases.ts';
import { exportCsv } from '../stats/fixtures.ts';

// `tthc check FILE` against a database whose figures are known by hand: each published figure with its
// recomputed value and difference, the commands that list the dossiers behind it (they do), and the workbook
// with the wrong cells marked.

const XA = 'UBND xã Hiền Lương';
const HUYEN = 'UBND huyện Hạ Hoà';

/** Splits a printed command into arguments (double quotes group). */
const words = (command: string) => [...command.matchAll(/"((?:[^"\\]|\\.)*)"|(\S+)/g)].map((m) => m[1] ?? m[2]);

function noteText(note: ExcelJS.Comment | string | undefined): string {
  if (note === undefined) return '';
  return typeof note === 'string' ? note : (note.texts ?? []).map((t) => t.text).join('');
}

describeEachDatabase('tthc check (database)', (t) => {
  it('gives each published figure its recomputed value, the difference and the dossiers behind it', async () => {
    const target = await t.newTarget();
    const db = await t.open(target);
    const dir = t.tempDir();
    const exportFile = join(dir, 'ho-so.csv');
    writeFileSync(exportFile, exportCsv([
      { code: 'C-1', unit: XA, channel: 'Trực tuyến', received: '10/03/2022 08:00', due: '20/03/2022 17:00', ended: '15/03/2022 09:00', status: 'Đã trả kết quả' },
      { code: 'C-2', unit: XA, channel: 'Trực tiếp', received: '11/03/2022 08:00', due: '20/03/2022 17:00', ended: '25/03/2022 09:00', status: 'Đã trả kết quả' },
      { code: 'C-3', unit: XA, channel: 'Trực tiếp', received: '12/04/2022 08:00', due: '30/04/2022 17:00' },
      { code: 'C-4', unit: HUYEN, channel: 'Trực tuyến', received: '01/02/2022 08:00', due: '10/02/2022 17:00', ended: '10/02/2022 09:00', status: 'Đã trả kết quả' },
      { code: 'C-5', unit: HUYEN, channel: 'Trực tiếp', received: '20/12/2021 08:00', due: '05/01/2022 17:00', ended: '04/01/2022 09:00', status: 'Đã trả kết quả' },
      // Left out by --exclude-field BHXH.
      { code: 'C-6', unit: XA, field: 'Bảo hiểm xã hội', received: '05/05/2022 08:00', due: '10/05/2022 17:00', ended: '06/05/2022 09:00', status: 'Đã trả kết quả' },
    ]));
    await importFiles(db, [exportFile]);
    const table = join(dir, 'so-lieu.csv');
    writeFileSync(table, [
      'Kỳ,Cấp / đơn vị,Chỉ tiêu,Giá trị công bố',
      'Năm 2022,Cấp xã,receivedTotal,3',
      'Năm 2022,Cấp xã,Tiếp nhận trực tuyến,1',
      'Năm 2022,Cấp xã,onTimeRate,"50,0 %"',
      'Năm 2022,Cấp xã,Tỷ lệ trực tuyến,"33,4 %"',
      'Năm 2022,Cấp huyện,Tổng số hồ sơ nhận giải quyết,2',
      'Năm 2022,Toàn huyện,Tổng mới tiếp nhận,5',
      `Tháng 3/2022,${XA},resolvedLate,1`,
      'Năm 2022,UBND xã Không Có,receivedTotal,1',
    ].join('\n') + '\n');

    const out = join(dir, 'ket-qua.xlsx');
    const run = await tthc('--db', target, 'check', table, '--exclude-field', 'BHXH', '--out', out);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('Đối chiếu với cơ sở dữ liệu: 8 số liệu, 5 khớp, 3 khác.');

    const json = JSON.parse((await tthc('--db', target, 'check', table, '--exclude-field', 'BHXH', '--format', 'json')).stdout);
    const results = json.database.map((c: any) => [c.figure.rowNumber, c.recomputed === undefined ? null : Math.round(c.recomputed * 1000) / 1000, c.agrees]);
    expect(results).toEqual([
      [2, 3, true],
      [3, 1, true],
      [4, 50, true],
      [5, 33.333, false],
      [6, 2, true],
      [7, 4, false],
      [8, 1, true],
      [9, null, false],
    ]);
    expect(json.database[5].difference).toBe(1);
    expect(json.database[7].problem).toContain('không tìm thấy đơn vị "UBND xã Không Có"');

    // The command printed for the total lists the four dossiers it counts.
    const command = json.database[5].commands[0] as string;
    expect(command).toContain('dossiers --from 2022-01-01 --to 2022-12-31 --exclude-field BHXH --figure receivedTotal');
    const listed = await tthc(...words(command).slice(1), '--format', 'json');
    expect(listed.code).toBe(0);
    expect(JSON.parse(listed.stdout).map((d: any) => d.code).sort()).toEqual(['C-1', 'C-2', 'C-3', 'C-4']);
    expect(run.stdout).toContain(`dòng 7: ${command}`);

    // The workbook: the three wrong values filled and annotated, the others not.
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.readFile(out);
    const sheet = workbook.getWorksheet('Số liệu công bố')!;
    const marked: number[] = [];
    sheet.eachRow((row, n) => {
      const cell = row.getCell(5);
      if ((cell.fill as ExcelJS.FillPattern | undefined)?.fgColor?.argb === 'FFFFC7CE') marked.push(Number(row.getCell(1).value));
      else expect(noteText(cell.note)).toBe('');
      if (n > 1) expect(row.getCell(8).value).toBe(marked.includes(Number(row.getCell(1).value)) ? 'sai' : 'khớp');
    });
    expect(marked).toEqual([5, 7, 9]);
    expect(noteText(sheet.getRow(3 + 4).getCell(5).note)).toBe(
      `tính lại từ dữ liệu: 4 (công bố 5). Xem hồ sơ: ${command}`,
    );
    expect(noteText(sheet.getRow(5).getCell(5).note)).toContain('tính lại từ dữ liệu: 33,333 % (công bố 33,4 %)');
  });

  it('refuses a missing database instead of creating it, and --self needs none', async () => {
    const dir = t.tempDir();
    const table = join(dir, 'so-lieu.csv');
    writeFileSync(table, 'Kỳ,Chỉ tiêu,Giá trị công bố\n2022,receivedTotal,10\n2022,receivedDirect,4\n2022,receivedOnline,5\n');
    const self = await tthc('--db', join(dir, 'khong-co.db'), 'check', table, '--self');
    expect(self.code).toBe(1);
    expect(self.stdout).toContain('4 + 5 = 9, công bố 10');
    if (t.dialect === 'sqlite') {
      const missing = await tthc('--db', join(dir, 'khong-co.db'), 'check', table);
      expect(missing.code).toBe(1);
      expect(missing.stderr).toContain('khong-co.db');
    }
  });
});
