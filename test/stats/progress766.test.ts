import { expect, it } from 'vitest';
import { openDatabase } from '../../src/db/connection.ts';
import { monthPeriod, quarterPeriod } from '../../src/domain/periods.ts';
import { computeStats } from '../../src/stats/compute.ts';
import { listDossiers } from '../../src/stats/dossiers.ts';
import type { StatsRow } from '../../src/stats/types.ts';
import { describeEachDatabase } from '../helpers/databases.ts';
import { tthc } from '../helpers/cli.ts';
import { COMMUNE, databaseWith, DISTRICT, type ExportRow } from './fixtures.ts';

// QĐ 766's progress (docs/rules.md, "Progress by QĐ 766") on dossiers counted by hand. March 2024:
//
// District                                   handled  in time   (onTimeRate: resolved, early+on time)
//  A received 01/02, due 10/03, done 05/03       1        1        resolved, early
//  B due 10/03, done 10/03 16:00                 1        1        resolved, on time
//  C due 10/03, done 12/03                       1        0        resolved, late
//  D due 08/03, rejected 07/03                   1        1        resolved (rejected), not early/on time
//  E due 05/03, withdrawn 20/03                  1        0        (not resolved)
//  F pending, due 31/03 (the last day)           1        1
//  G pending, due 30/03                          1        0
//  H pending, no due day                         1        1
//  I done 20/02                                  0        0        (ended before March)
//  J received 01/04                              0        0
//  K due 25/03, done 02/04 (pending on 31/03)    1        0
//  L done 15/03, no due day                      1        1        resolved, on time
//  M due 20/03, rejected 18/03                   1        1        resolved (rejected)
//                                               11        7        onTimeRate 3/6
// Commune
//  N pending, due 05/03                          1        0
//  O online, due 05/03, done 04/03               1        1        resolved, early
//                                                2        1
// February: A pending in time, I done early (due 25/02): handled 2, in time 2. January: nothing.

const ROWS: ExportRow[] = [
  { code: 'A', received: '01/02/2024 08:00', due: '10/03/2024 17:00', ended: '05/03/2024 09:00', status: 'Đã trả kết quả' },
  { code: 'B', received: '01/03/2024 08:00', due: '10/03/2024 17:00', ended: '10/03/2024 16:00', status: 'Đã trả kết quả' },
  { code: 'C', received: '01/03/2024 08:30', due: '10/03/2024 17:00', ended: '12/03/2024 09:00', status: 'Đã xử lý xong' },
  { code: 'D', received: '02/03/2024 08:00', due: '08/03/2024 17:00', ended: '07/03/2024 10:00', status: 'Từ chối' },
  { code: 'E', received: '02/03/2024 09:00', due: '05/03/2024 17:00', ended: '20/03/2024 10:00', status: 'Công dân rút hồ sơ' },
  { code: 'F', received: '10/03/2024 08:00', due: '31/03/2024 17:00', status: 'Đang xử lý' },
  { code: 'G', received: '10/03/2024 09:00', due: '30/03/2024 17:00', status: 'Yêu cầu bổ sung' },
  { code: 'H', received: '15/03/2024 08:00', status: 'Đang xử lý' },
  { code: 'I', received: '01/02/2024 09:00', due: '25/02/2024 17:00', ended: '20/02/2024 10:00', status: 'Đã trả kết quả' },
  { code: 'J', received: '01/04/2024 08:00', due: '10/04/2024 17:00', status: 'Đang xử lý' },
  { code: 'K', received: '20/03/2024 08:00', due: '25/03/2024 17:00', ended: '02/04/2024 10:00', status: 'Đã trả kết quả' },
  { code: 'L', received: '12/03/2024 08:00', ended: '15/03/2024 10:00', status: 'Đã trả kết quả' },
  { code: 'M', received: '05/03/2024 08:00', due: '20/03/2024 17:00', ended: '18/03/2024 10:00', status: 'Từ chối' },
  { code: 'N', unit: COMMUNE, received: '01/03/2024 08:00', due: '05/03/2024 17:00', status: 'Đang xử lý' },
  { code: 'O', unit: COMMUNE, channel: 'Trực tuyến', received: '01/03/2024 08:00', due: '05/03/2024 17:00', ended: '04/03/2024 10:00', status: 'Đã trả kết quả' },
];

describeEachDatabase('QĐ 766 progress', (t) => {
  it('counts handled and in-time dossiers per unit by the hand-counted rule, and differs from onTimeRate', async () => {
    const db = await openDatabase(await databaseWith(t, ROWS));
    try {
      const rows = await computeStats(db, { period: monthPeriod('2024-03'), by: ['unit'], progress766: true });
      const byName = new Map(rows.map((r) => [r.unitName, r]));
      const district = byName.get(DISTRICT)!;
      expect([district.handled766, district.inTime766]).toEqual([11, 7]);
      expect(district.progressRate766).toBeCloseTo(7 / 11, 12);
      expect(district.progressPoints766).toBeCloseTo(20 * 7 / 11, 12);
      expect(district.onTimeRate).toBeCloseTo(3 / 6, 12);
      const commune = byName.get(COMMUNE)!;
      expect([commune.handled766, commune.inTime766, commune.progressRate766, commune.progressPoints766]).toEqual([2, 1, 0.5, 10]);

      // The other figures are those of the summary path, which leaves the progress figures out.
      const plain = await computeStats(db, { period: monthPeriod('2024-03'), by: ['unit'] });
      expect(plain.every((r) => !('handled766' in r))).toBe(true);
      const strip = (r: StatsRow) =>
        Object.fromEntries(Object.entries(r).filter(([k]) => !['handled766', 'inTime766', 'progressRate766', 'progressPoints766'].includes(k)));
      expect(rows.map(strip)).toEqual(plain.map(strip));

      // The dossiers behind each count are exactly the ones counted by hand.
      const codes = async (figure: 'handled766' | 'inTime766') =>
        (await listDossiers(db, { period: monthPeriod('2024-03') }, figure)).map((d) => d.code).sort();
      expect(await codes('inTime766')).toEqual(['A', 'B', 'D', 'F', 'H', 'L', 'M', 'O']);
      expect(await codes('handled766')).toEqual(['A', 'B', 'C', 'D', 'E', 'F', 'G', 'H', 'K', 'L', 'M', 'N', 'O']);
    } finally {
      await db.destroy();
    }
  });

  it('gives every month of a quarter, with no rate where nothing was handled', async () => {
    const db = await openDatabase(await databaseWith(t, ROWS));
    try {
      const rows = await computeStats(db, { period: quarterPeriod('2024-Q1'), by: ['month'], progress766: true });
      expect(rows.map((r) => [r.month, r.handled766, r.inTime766, r.progressRate766])).toEqual([
        ['2024-01', 0, 0, null],
        ['2024-02', 2, 2, 1],
        ['2024-03', 13, 8, 8 / 13],
      ]);
      expect(rows[0].progressPoints766).toBeNull();
    } finally {
      await db.destroy();
    }
  });

  it('tthc stats --progress-766 prints the figures in JSON, CSV and the table; dossiers --figure lists them', async () => {
    const target = await databaseWith(t, ROWS);
    const json = JSON.parse((await tthc('--db', target, 'stats', '--month', '2024-03', '--progress-766', '--format', 'json')).stdout);
    expect(json[0]).toMatchObject({ handled766: 13, inTime766: 8, progressRate766: 8 / 13 });
    const csv = (await tthc('--db', target, 'stats', '--month', '2024-03', '--columns', 'handled766,inTime766,progressPoints766', '--format', 'csv')).stdout;
    expect(csv.replace('\uFEFF', '').trim().split('\n')).toEqual(['handled766,inTime766,progressPoints766', `13,8,${20 * 8 / 13}`]);
    const table = (await tthc('--db', target, 'stats', '--month', '2024-03', '--columns', 'progressRate766,progressPoints766')).stdout;
    expect(table.replace(/\s+/g, ' ')).toContain('Tỷ lệ');
    expect(table.trim().split('\n').at(-1)!.trim().split(/\s+/)).toEqual(['61,5', '%', '12,31']);
    const listed = await tthc('--db', target, 'dossiers', '--month', '2024-03', '--figure', 'inTime766', '--format', 'json', '--explain');
    expect(JSON.parse(listed.stdout).map((d: { code: string }) => d.code).sort()).toEqual(['A', 'B', 'D', 'F', 'H', 'L', 'M', 'O']);
    expect(listed.stderr).toContain('Chỉ số 766, hồ sơ đúng tiến độ');
    const explained = await tthc('--db', target, 'stats', '--month', '2024-03', '--explain', 'progressRate766', '--format', 'json');
    expect(explained.stderr).toContain('progressRate766: Tỷ lệ đúng tiến độ (766) = (inTime766) / (handled766)');
  });
});
