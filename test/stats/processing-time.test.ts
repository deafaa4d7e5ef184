import { expect, it } from 'vitest';
import { openDatabase } from '../../src/db/connection.ts';
import { monthPeriod } from '../../src/domain/periods.ts';
import { computeStats } from '../../src/stats/compute.ts';
import { describeEachDatabase } from '../helpers/databases.ts';
import { tthc } from '../helpers/cli.ts';
import { COMMUNE, databaseWith, DISTRICT, type ExportRow } from './fixtures.ts';

// avgProcessingDays (docs/working-days.md, "Processing time") counted by hand: the working days after the day of
// receipt up to the day processing ended, over the dossiers resolved (finished or rejected) in the period.
//
// March 2024                                                  working days
//  District, Hộ tịch  P1 Mon 04/03 → Fri 08/03                    4
//                     P2 Fri 08/03 → Mon 11/03                    1
//  District, Đất đai  P4 Fri 01/03 → rejected Fri 15/03           10
//                     P5 withdrawn 05/03                          (not resolved)
//                     P6 pending                                  (not resolved)
//  Commune, Hộ tịch   P7 Tue 05/03 08:00 → 16:00 the same day     0
//                     P8 Sat 09/03 (online) → Mon 11/03           1
// May 2024: P3 Thu 25/04 → Mon 06/05: Fri 26/04, Thu 02, Fri 03, Sat 04/05 (worked for Mon 29/04), Mon 06 = 5.

const ROWS: ExportRow[] = [
  { code: 'P1', received: '04/03/2024 08:00', due: '15/03/2024 17:00', ended: '08/03/2024 10:00' },
  { code: 'P2', received: '08/03/2024 08:00', due: '15/03/2024 17:00', ended: '11/03/2024 10:00' },
  { code: 'P3', received: '25/04/2024 08:00', due: '10/05/2024 17:00', ended: '06/05/2024 10:00' },
  { code: 'P4', field: 'Đất đai', procedure: 'Cấp GCN', received: '01/03/2024 08:00', due: '20/03/2024 17:00', ended: '15/03/2024 10:00', status: 'Từ chối' },
  { code: 'P5', field: 'Đất đai', procedure: 'Cấp GCN', received: '01/03/2024 08:00', ended: '05/03/2024 10:00', status: 'Công dân rút hồ sơ' },
  { code: 'P6', field: 'Đất đai', procedure: 'Cấp GCN', received: '01/03/2024 09:00', due: '30/03/2024 17:00', status: 'Đang xử lý' },
  { code: 'P7', unit: COMMUNE, received: '05/03/2024 08:00', ended: '05/03/2024 16:00' },
  { code: 'P8', unit: COMMUNE, channel: 'Trực tuyến', received: '09/03/2024 10:00', ended: '11/03/2024 09:00' },
];

describeEachDatabase('average processing time in working days', (t) => {
  it('averages the stored working days of the resolved dossiers per unit, field and month, as counted by hand', async () => {
    const target = await databaseWith(t, ROWS);
    const db = await openDatabase(target);
    try {
      const march = monthPeriod('2024-03');
      const avg = async (by: Parameters<typeof computeStats>[1]['by']) =>
        (await computeStats(db, { period: march, by, processingTime: true })).map((r) => [r.unitName ?? r.field ?? '', r.avgProcessingDays]);
      expect(await avg([])).toEqual([['', 16 / 5]]);
      expect(await avg(['unit'])).toEqual([[DISTRICT, 5], [COMMUNE, 0.5]]);
      expect(await avg(['field'])).toEqual([['Đất đai', 10], ['Hộ tịch', 1.5]]);
      const byBoth = await computeStats(db, { period: march, by: ['unit', 'field'], processingTime: true });
      expect(byBoth.map((r) => [r.unitName, r.field, r.avgProcessingDays])).toEqual([
        [DISTRICT, 'Đất đai', 10], [DISTRICT, 'Hộ tịch', 2.5], [COMMUNE, 'Hộ tịch', 0.5],
      ]);
      // By month: April resolved nothing (no average, not 0), May only P3.
      const months = await computeStats(db, { period: { from: '2024-04-01', to: '2024-05-31' }, by: ['month'], processingTime: true });
      expect(months.map((r) => [r.month, r.avgProcessingDays])).toEqual([['2024-04', null], ['2024-05', 5]]);
      // The other figures are those of the query without it.
      const plain = await computeStats(db, { period: march, by: ['unit'] });
      const rows = await computeStats(db, { period: march, by: ['unit'], processingTime: true });
      expect(rows.map(({ avgProcessingDays: _, ...r }) => r)).toEqual(plain);
    } finally {
      await db.destroy();
    }

    const table = await tthc('--db', target, 'stats', '--month', '2024-03', '--by', 'unit', '--processing-time');
    expect(table.code).toBe(0);
    // The header wraps over lines: each of its words is there.
    for (const word of 'Thời gian giải quyết bình quân (ngày làm việc)'.split(' ')) expect(table.stdout).toContain(word);
    const line = (name: string) => table.stdout.split('\n').find((l) => l.includes(name))!;
    expect(line(DISTRICT)).toMatch(/\s5,0(\s|$)/);
    expect(line(COMMUNE)).toMatch(/\s0,5(\s|$)/);
    const json = await tthc('--db', target, 'stats', '--month', '2024-03', '--by', 'field', '--format', 'json', '--columns', 'field,avgProcessingDays');
    expect(json.code).not.toBe(0);
    const csv = await tthc('--db', target, 'stats', '--month', '2024-03', '--by', 'field', '--format', 'csv', '--columns', 'field,avgProcessingDays');
    expect(csv.stdout.trim().split('\n')).toEqual(['field,avgProcessingDays', 'Đất đai,10', 'Hộ tịch,1.5']);
  });
});
