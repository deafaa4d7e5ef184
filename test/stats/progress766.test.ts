import { expect, it } from 'vitest';
import { openDatabase } from '../../src/db/connection.ts';
import { monthPeriod, quarterPeriod } from '../../src/domain/periods.ts';
import { computeStats } from '../../src/stats/compute.ts';
import { listDossiers } from '../../src/stats/dossiers.ts';
import type { StatsRow } from '../../src/stats/types.ts';
import { describeEachDatabase } from '../helpers/databases.ts';
import { tthc } from '../helpers/cli.ts';
import { COMMUNE, databaseWith, DISTRICT } from './fixtures.ts';
import { PROGRESS_766_ROWS } from './progress766-fixture.ts';

// QĐ 766's progress (docs/rules.md, "Progress by QĐ 766") on the dossiers of progress766-fixture.ts, counted by hand there.

const ROWS = PROGRESS_766_ROWS;

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
