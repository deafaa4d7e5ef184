import { expect, it } from 'vitest';
import { openDatabase } from '../../src/db/connection.ts';
import { monthPeriod } from '../../src/domain/periods.ts';
import { computeStats } from '../../src/stats/compute.ts';
import { listDossiers } from '../../src/stats/dossiers.ts';
import { renderStatsTable } from '../../src/stats/render.ts';
import { describeEachDatabase } from '../helpers/databases.ts';
import { tthc } from '../helpers/cli.ts';
import { databaseWith, type ExportRow } from './fixtures.ts';

// The on-time rate on its three bases (--on-time-basis), March 2024, counted by hand:
//
//                                          resolved basis      QĐ 766               due in March
//  P1 due 05/03, done 20/02                 –                   –                    due, on time
//  P2 due 10/03, done 10/03                 resolved, on time   handled, in time     due, on time
//  P3 due 10/03, done 12/03                 resolved, late      handled              due
//  P4 due 15/03, rejected 14/03             resolved            handled, in time     due
//  P5 due 15/03, withdrawn 14/03            –                   handled, in time     – (withdrawn)
//  P6 due 20/03, pending                    –                   handled (overdue)    due
//  P7 due 05/04, done 20/03                 resolved, early     handled, in time     –
//  P8 no due day, done 05/03                resolved, on time   handled, in time     –
//  P9 due 31/03, pending                    –                   handled, in time     due
//                                           3 / 5               6 / 8                2 / 6

const ROWS: ExportRow[] = [
  { code: 'P1', received: '01/02/2024 08:00', due: '05/03/2024 17:00', ended: '20/02/2024 10:00', status: 'Đã trả kết quả' },
  { code: 'P2', received: '01/03/2024 08:00', due: '10/03/2024 17:00', ended: '10/03/2024 10:00', status: 'Đã trả kết quả' },
  { code: 'P3', received: '01/03/2024 08:00', due: '10/03/2024 17:00', ended: '12/03/2024 10:00', status: 'Đã trả kết quả' },
  { code: 'P4', received: '01/03/2024 08:00', due: '15/03/2024 17:00', ended: '14/03/2024 10:00', status: 'Từ chối' },
  { code: 'P5', received: '01/03/2024 08:00', due: '15/03/2024 17:00', ended: '14/03/2024 10:00', status: 'Công dân rút hồ sơ' },
  { code: 'P6', received: '01/03/2024 08:00', due: '20/03/2024 17:00', status: 'Đang xử lý' },
  { code: 'P7', received: '01/03/2024 08:00', due: '05/04/2024 17:00', ended: '20/03/2024 10:00', status: 'Đã trả kết quả' },
  { code: 'P8', received: '01/03/2024 08:00', ended: '05/03/2024 10:00', status: 'Đã trả kết quả' },
  { code: 'P9', received: '25/03/2024 08:00', due: '31/03/2024 17:00', status: 'Đang xử lý' },
];

describeEachDatabase('on-time rate bases', (t) => {
  it('gives the three rates of the same dossiers, and the dossiers behind the due basis', async () => {
    const db = await openDatabase(await databaseWith(t, ROWS));
    try {
      const [row] = await computeStats(db, { period: monthPeriod('2024-03'), progress766: true, dueBasis: true });
      expect(row.onTimeRate).toBeCloseTo(3 / 5, 12);
      expect([row.handled766, row.inTime766, row.progressRate766]).toEqual([8, 6, 0.75]);
      expect([row.dueTotal, row.dueOnTime]).toEqual([6, 2]);
      expect(row.dueOnTimeRate).toBeCloseTo(1 / 3, 12);
      // Widening the dossiers read for the due basis changes no other figure.
      const [plain] = await computeStats(db, { period: monthPeriod('2024-03') });
      for (const [key, value] of Object.entries(plain)) expect(row[key as keyof typeof row]).toEqual(value);

      const codes = async (figure: 'dueTotal' | 'dueOnTime') =>
        (await listDossiers(db, { period: monthPeriod('2024-03') }, figure)).map((d) => d.code).sort();
      expect(await codes('dueOnTime')).toEqual(['P1', 'P2']);
      expect(await codes('dueTotal')).toEqual(['P1', 'P2', 'P3', 'P4', 'P6', 'P9']);

      // The table puts the basis's rate in the on-time rate's place.
      const table = renderStatsTable([row], 'table', { onTimeBasis: 'due' }).trim().split('\n');
      const values = table.at(-1)!;
      expect(values).toContain('33,3 %');
      expect(values).not.toContain('60,0 %');
    } finally {
      await db.destroy();
    }
  });

  it('tthc stats --on-time-basis names the basis and rejects an unknown one', async () => {
    const target = await databaseWith(t, ROWS);
    const due = JSON.parse((await tthc('--db', target, 'stats', '--month', '2024-03', '--on-time-basis', 'due', '--format', 'json')).stdout);
    expect(due[0]).toMatchObject({ dueTotal: 6, dueOnTime: 2 });
    expect(due[0].handled766).toBeUndefined();
    const p766 = JSON.parse((await tthc('--db', target, 'stats', '--month', '2024-03', '--on-time-basis', '766', '--format', 'json')).stdout);
    expect(p766[0]).toMatchObject({ handled766: 8, inTime766: 6, progressRate766: 0.75 });
    const csv = (await tthc('--db', target, 'stats', '--month', '2024-03', '--columns', 'dueOnTimeRate', '--format', 'csv')).stdout;
    expect(Number(csv.replace('\uFEFF', '').trim().split('\n')[1])).toBeCloseTo(1 / 3, 12);
    const bad = await tthc('--db', target, 'stats', '--month', '2024-03', '--on-time-basis', 'han');
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toContain('--on-time-basis không hợp lệ: "han"');
    const listed = await tthc('--db', target, 'dossiers', '--month', '2024-03', '--figure', 'dueOnTime', '--format', 'json');
    expect(JSON.parse(listed.stdout).map((d: { code: string }) => d.code).sort()).toEqual(['P1', 'P2']);
  });
});
