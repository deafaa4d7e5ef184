import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { importUnits } from '../../src/import/index.ts';
import { writeReport } from '../../src/report/index.ts';
import { describeEachDatabase } from '../helpers/databases.ts';
import { tthc } from '../helpers/cli.ts';
import { findRow, num, readWorkbook, sheet, text } from '../report/fixtures.ts';
import { importRows } from '../stats/fixtures.ts';

// The commands: units map / history, --units-as-of and --current-units on stats and dossiers, and the per-unit
// sheet listing a catalogue unit without dossiers as Phụ lục 02 does (UBND huyện Phù Ninh, June 2020: 0 / 0 / 0).

const CATALOGUE = [
  'Mã đơn vị,Tên đơn vị,Cấp',
  'H1,UBND huyện Hạ Hoà,huyen',
  'H2,UBND huyện Phù Ninh,huyen',
  'X1,UBND xã Hiền Lương,xa',
  'X2,UBND xã Xuân Áng,xa',
].join('\n');

describeEachDatabase('units over time from the command line', (t) => {
  it('maps a reform, prints a chain, and counts by the units of a day', async () => {
    const target = await t.newTarget();
    const dir = t.tempDir();
    const db = await t.open(target);
    writeFileSync(join(dir, 'don-vi.csv'), CATALOGUE + '\n');
    await importUnits(db, join(dir, 'don-vi.csv'));
    await importRows(db, dir, [
      { code: 'A1', unit: 'UBND xã Hiền Lương', received: '10/06/2025 08:00', channel: 'Trực tuyến' },
      { code: 'A2', unit: 'UBND xã Xuân Áng', received: '11/06/2025 08:00' },
      { code: 'A3', unit: 'UBND huyện Hạ Hoà', received: '12/06/2025 08:00' },
    ]);
    writeFileSync(
      join(dir, 'sap-xep.csv'),
      ['Tên đơn vị cũ,Mã đơn vị mới,Tên đơn vị mới,Từ ngày', 'UBND xã Hiền Lương,XM,UBND xã Hiền Xuân,01/07/2025', 'UBND xã Xuân Áng,XM,,01/07/2025'].join('\n') + '\n',
    );
    const map = await tthc('--db', target, 'units', 'map', join(dir, 'sap-xep.csv'));
    expect(map.stderr).toBe('');
    expect(map.stdout).toContain('2 đơn vị cũ có đơn vị kế thừa; thêm 1 đơn vị mới: XM');

    const history = await tthc('--db', target, 'units', 'history', 'UBND xã Hiền Xuân', '--format', 'json');
    expect(JSON.parse(history.stdout).map((e: any) => [e.relation, e.code, e.validFrom, e.validTo])).toEqual([
      ['trước', 'X1', null, '2025-06-30'],
      ['trước', 'X2', null, '2025-06-30'],
      ['đơn vị', 'XM', '2025-07-01', null],
    ]);

    const byTime = await tthc('--db', target, 'stats', '--month', '2025-06', '--by', 'unit', '--format', 'json');
    expect(JSON.parse(byTime.stdout).map((r: any) => [r.unitCode, r.receivedTotal])).toEqual([['H1', 1], ['H2', 0], ['X1', 1], ['X2', 1]]);
    const today = await tthc('--db', target, 'stats', '--month', '2025-06', '--by', 'unit', '--current-units', '--format', 'json');
    expect(today.code).toBe(0);
    const rows = JSON.parse(today.stdout);
    expect(rows.map((r: any) => [r.unitCode, r.receivedTotal, r.onlineRate])).toEqual([
      ['H1', 1, 0], ['H2', 0, null], ['XM', 2, 0.5],
    ]);
    const dossiers = await tthc('--db', target, 'dossiers', '--month', '2025-06', '--units-as-of', '2025-07-01', '--unit', 'XM', '--figure', 'receivedTotal', '--format', 'json');
    expect(JSON.parse(dossiers.stdout).map((d: any) => [d.code, d.unitCode])).toEqual([['A1', 'XM'], ['A2', 'XM']]);

    const bad = await tthc('--db', target, 'stats', '--month', '2025-06', '--units-as-of', '01/07/2025');
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toContain('--units-as-of phải là một ngày dạng yyyy-MM-dd');
  });

  it('lists a catalogue unit without dossiers in the per-unit sheet with 0 and 0,00 %', async () => {
    const db = await t.open();
    const dir = t.tempDir();
    writeFileSync(join(dir, 'don-vi.csv'), CATALOGUE + '\n');
    await importUnits(db, join(dir, 'don-vi.csv'));
    await importRows(db, dir, [{ code: 'B1', unit: 'UBND huyện Hạ Hoà', received: '10/06/2020 08:00', channel: 'Trực tuyến' }]);
    const out = join(dir, 'bao-cao.xlsx');
    await writeReport(db, { query: { period: { from: '2020-06-01', to: '2020-06-30' } }, out, sheets: ['theo-don-vi'] });
    const ws = sheet(await readWorkbook(out), 'Theo đơn vị');
    const row = findRow(ws, 2, 'UBND huyện Phù Ninh');
    expect([3, 4, 5, 6].map((c) => num(ws.getCell(row, c)))).toEqual([0, 0, 0, 0]);
    expect(ws.getCell(row, 6).numFmt).toBe('0.00 %'); // "0,00 %" as the report's text writes rates
    expect(text(ws.getCell(findRow(ws, 2, 'Cấp xã'), 2))).toBe('Cấp xã');
  });
});
