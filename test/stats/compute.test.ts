import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../../src/db/connection.ts';
import { monthPeriod, reportingMonthPeriod, reportingYearPeriod, yearPeriod } from '../../src/domain/periods.ts';
import { computeStats } from '../../src/stats/compute.ts';
import { listDossiers } from '../../src/stats/dossiers.ts';
import { COUNT_FIGURES, StatsQueryError, type StatsQuery, type StatsRow } from '../../src/stats/types.ts';
import { describeEachDatabase } from '../helpers/databases.ts';
import { MAY, REPORTING } from './data.ts';
import { COMMUNE, DISTRICT, importRows } from './fixtures.ts';

const MAY_2022 = monthPeriod('2022-05');

/** The counts of a row that the test states; the rest must be 0. */
function expectCounts(row: StatsRow, expected: Partial<Record<(typeof COUNT_FIGURES)[number], number>>) {
  const actual = Object.fromEntries(COUNT_FIGURES.map((f) => [f, row[f]]));
  const wanted = Object.fromEntries(COUNT_FIGURES.map((f) => [f, expected[f] ?? 0]));
  expect(actual).toEqual(wanted);
}

describeEachDatabase('statistics on the May 2022 cases', (t) => {
  let db: Db;
  beforeAll(async () => {
    // One database for the describe's tests (t.open() would close it after the first test).
    db = await openDatabase(await t.newTarget());
    await importRows(db, t.tempDir(), MAY);
  });
  afterAll(() => db?.destroy());
  const stats = (query: StatsQuery) => computeStats(db, query);

  it('counts every case of the rules in May 2022', async () => {
    const rows = await stats({ period: MAY_2022 });
    expect(rows).toHaveLength(1);
    const [row] = rows;
    expect(row.from).toBe('2022-05-01');
    expect(row.to).toBe('2022-05-31');
    expectCounts(row, {
      receivedDirect: 6, receivedOnline: 2, receivedPostal: 1, receivedLienThong: 1, receivedTotal: 11,
      carriedOver: 4,
      resolvedEarly: 2, resolvedOnTime: 2, resolvedLate: 1, resolvedRejected: 1, resolvedTotal: 6,
      withdrawn: 1,
      pendingTotal: 8, pendingOnTime: 6, pendingOverdue: 2,
    });
    expect(row.onTimeRate).toBeCloseTo(4 / 6, 12);
    expect(row.onlineRate).toBeCloseTo(2 / 11, 12);
    expect(row.onlineShare).toBeCloseTo(2 / 11, 12);
    expect(row.directShare).toBeCloseTo(6 / 11, 12);
    expect(row.postalShare).toBeCloseTo(1 / 11, 12);
    expect(row.lienThongShare).toBeCloseTo(1 / 11, 12);
  });

  it('splits by month: June carries over what was pending at the end of May', async () => {
    const rows = await stats({ period: { from: '2022-05-01', to: '2022-06-30' }, by: ['month'] });
    expect(rows.map((r) => [r.month, r.from, r.to])).toEqual([
      ['2022-05', '2022-05-01', '2022-05-31'],
      ['2022-06', '2022-06-01', '2022-06-30'],
    ]);
    const [may, june] = rows;
    expect(may.pendingTotal).toBe(8);
    expect(june.carriedOver).toBe(may.pendingTotal);
    expectCounts(june, {
      receivedDirect: 1, receivedTotal: 1, carriedOver: 8,
      resolvedLate: 2, resolvedTotal: 2,
      pendingTotal: 7, pendingOnTime: 3, pendingOverdue: 4,
    });
    expect(june.onTimeRate).toBe(0);
    expect(june.onlineRate).toBe(0);
  });

  it('groups by year without holes: a year without dossiers shows zeros', async () => {
    const rows = await stats({ period: { from: '2021-01-01', to: '2022-12-31' }, by: ['year', 'level'] });
    expect(rows.map((r) => [r.year, r.level])).toEqual([[2021, 'huyen'], [2021, 'xa'], [2022, 'huyen'], [2022, 'xa']]);
    expectCounts(rows[0], {});
    expect(rows[0].onTimeRate).toBeNull();
    expect(rows[0].onlineRate).toBeNull();
    // 2022, district: 15 dossiers received; open at the end B, G, I, M, N, P; ended A (early), D J (on time),
    // C E F O (late), K (rejected), L (withdrawn).
    expectCounts(rows[2], {
      receivedDirect: 11, receivedOnline: 1, receivedPostal: 1, receivedLienThong: 1, receivedTotal: 15,
      resolvedEarly: 1, resolvedOnTime: 2, resolvedLate: 4, resolvedRejected: 1, resolvedTotal: 8, withdrawn: 1,
      pendingTotal: 6, pendingOnTime: 2, pendingOverdue: 4,
    });
    const plain = await stats({ period: { from: '2021-01-01', to: '2022-12-31' }, by: ['year'] });
    expect(plain.map((r) => [r.year, r.receivedTotal, r.pendingTotal])).toEqual([[2021, 0, 0], [2022, 17, 7]]);
  });

  it('groups by level, unit, field and channel', async () => {
    const byLevel = await stats({ period: MAY_2022, by: ['level'] });
    expect(byLevel.map((r) => r.level)).toEqual(['huyen', 'xa']);
    expectCounts(byLevel[0], {
      receivedDirect: 5, receivedOnline: 1, receivedPostal: 1, receivedLienThong: 1, receivedTotal: 9,
      carriedOver: 4, resolvedEarly: 1, resolvedOnTime: 2, resolvedLate: 1, resolvedRejected: 1, resolvedTotal: 5,
      withdrawn: 1, pendingTotal: 7, pendingOnTime: 5, pendingOverdue: 2,
    });
    expectCounts(byLevel[1], {
      receivedDirect: 1, receivedOnline: 1, receivedTotal: 2, resolvedEarly: 1, resolvedTotal: 1,
      pendingTotal: 1, pendingOnTime: 1,
    });

    const byUnit = await stats({ period: MAY_2022, by: ['unit'] });
    expect(byUnit.map((r) => [r.unitName, r.receivedTotal])).toEqual([[DISTRICT, 9], [COMMUNE, 2]]);
    expect(byUnit.every((r) => typeof r.unitCode === 'string' && r.unitCode.length > 0)).toBe(true);
    expect(byUnit[0]).not.toHaveProperty('level');

    const byField = await stats({ period: MAY_2022, by: ['field'] });
    expect(byField.map((r) => r.field)).toEqual(['Bảo hiểm xã hội', 'Đất đai', 'Hộ tịch', null]);
    expectCounts(byField[0], { receivedOnline: 1, receivedTotal: 1, resolvedEarly: 1, resolvedTotal: 1 });
    expectCounts(byField[1], {
      receivedDirect: 1, receivedOnline: 1, receivedTotal: 2, carriedOver: 1, resolvedEarly: 1, resolvedLate: 1,
      resolvedTotal: 2, pendingTotal: 1, pendingOverdue: 1,
    });
    expectCounts(byField[2], {
      receivedDirect: 5, receivedPostal: 1, receivedLienThong: 1, receivedTotal: 7, carriedOver: 3,
      resolvedOnTime: 2, resolvedRejected: 1, resolvedTotal: 3, withdrawn: 1,
      pendingTotal: 6, pendingOnTime: 5, pendingOverdue: 1,
    });
    expectCounts(byField[3], { receivedTotal: 1, pendingTotal: 1, pendingOnTime: 1 });

    const byChannel = await stats({ period: MAY_2022, by: ['channel'] });
    expect(byChannel.map((r) => [r.channel, r.receivedTotal, r.carriedOver])).toEqual([
      ['truc_tiep', 6, 4], ['truc_tuyen', 2, 0], ['buu_chinh', 1, 0], ['lien_thong', 1, 0], [null, 1, 0],
    ]);

    const combined = await stats({ period: MAY_2022, by: ['level', 'channel'] });
    expect(combined.map((r) => [r.level, r.channel, r.receivedTotal])).toEqual([
      ['huyen', 'truc_tiep', 5], ['huyen', 'truc_tuyen', 1], ['huyen', 'buu_chinh', 1], ['huyen', 'lien_thong', 1],
      ['huyen', null, 1], ['xa', 'truc_tiep', 1], ['xa', 'truc_tuyen', 1],
    ]);
  });

  it('filters by level, unit and field, and leaves a field out', async () => {
    const one = async (filters: StatsQuery['filters']) => (await stats({ period: MAY_2022, filters }))[0];
    expect((await one({ excludeField: ['bảo hiểm  xã hội'] })).receivedTotal).toBe(10);
    expect((await one({ excludeField: ['Bảo hiểm xã hội'] })).resolvedEarly).toBe(1);
    // The dossier without a field stays when a field is left out.
    expect((await one({ excludeField: ['Bảo hiểm xã hội', 'Hộ tịch'] })).receivedTotal).toBe(3);
    // A field known nowhere is a typo: leaving out nothing in silence would give the wrong figures.
    await expect(one({ excludeField: ['Không có lĩnh vực này'] })).rejects.toThrow(/--exclude-field: không có lĩnh vực "Không có lĩnh vực này"/);
    const land = await one({ field: ['ĐẤT ĐAI'] });
    expect([land.receivedTotal, land.carriedOver]).toEqual([2, 1]);
    expect((await one({ level: ['xa'] })).receivedTotal).toBe(2);
    expect((await one({ level: ['tinh'] })).receivedTotal).toBe(0);
    expect((await one({ unit: ['ubnd xã hiền lương'] })).receivedTotal).toBe(2);
    expect((await one({ unit: [COMMUNE, DISTRICT] })).receivedTotal).toBe(11);
    await expect(stats({ period: MAY_2022, filters: { unit: ['UBND xã Không Có'] } })).rejects.toThrow(StatsQueryError);
    await expect(stats({ period: MAY_2022, filters: { field: ['Không có'] } })).rejects.toThrow(/lĩnh vực "Không có"/);
  });

  it('lists the dossiers behind a figure', async () => {
    const codes = async (query: StatsQuery, figure: (typeof COUNT_FIGURES)[number]) =>
      (await listDossiers(db, query, figure)).map((d) => d.code);
    expect(await codes({ period: MAY_2022 }, 'pendingOverdue')).toEqual(['M', 'C']);
    expect(await codes({ period: MAY_2022 }, 'resolvedOnTime')).toEqual(['D', 'J']);
    expect(await codes({ period: MAY_2022 }, 'receivedTotal')).toEqual(['J', 'K', 'X1', 'X2', 'B', 'C', 'P', 'N', 'E', 'O', 'G']);
    // By month, a dossier is listed in each month it counts in: May's carried over, then June's.
    const both = await listDossiers(db, { period: { from: '2022-05-01', to: '2022-06-30' }, by: ['month'] }, 'carriedOver');
    expect(both.map((d) => `${d.month} ${d.code}`)).toEqual([
      ...['M', 'L', 'A', 'D'].map((c) => `2022-05 ${c}`),
      ...['M', 'X2', 'B', 'C', 'P', 'N', 'O', 'G'].map((c) => `2022-06 ${c}`),
    ]);
    const june = both.filter((d) => d.month === '2022-06');
    expect(june[0]).toMatchObject({ from: '2022-06-01', to: '2022-06-30' });
    const [m] = june;
    expect(m).toMatchObject({
      code: 'M', unitName: DISTRICT, level: 'huyen', procedure: 'Đăng ký khai sinh', field: 'Hộ tịch',
      channel: 'truc_tiep', receivedAt: '2022-04-01 08:00:00', dueAt: '2022-04-15 17:00:00', endedAt: null,
      status: 'supplement_requested',
    });
  });

  it('lists as many dossiers as every figure counts, for every figure', async () => {
    const queries: StatsQuery[] = [
      { period: MAY_2022 },
      { period: yearPeriod(2022), by: ['month', 'level'] },
      { period: { from: '2022-04-15', to: '2022-06-14' }, by: ['year', 'field'], filters: { excludeField: ['Bảo hiểm xã hội'] } },
      { period: MAY_2022, by: ['channel'], filters: { level: ['huyen'] } },
    ];
    for (const query of queries) {
      const rows = await stats(query);
      for (const figure of COUNT_FIGURES) {
        const listed = await listDossiers(db, query, figure);
        const counted = rows.reduce((sum, row) => sum + row[figure], 0);
        expect({ query, figure, n: listed.length }).toEqual({ query, figure, n: counted });
      }
    }
  });
});

describeEachDatabase('statistics on reporting periods', (t) => {
  let db: Db;
  beforeAll(async () => {
    db = await openDatabase(await t.newTarget());
    await importRows(db, t.tempDir(), REPORTING);
  });
  afterAll(() => db?.destroy());

  it('runs a reporting month from the 15th to the 14th', async () => {
    const [may] = await computeStats(db, { period: reportingMonthPeriod('2022-05') });
    expect([may.from, may.to]).toEqual(['2022-04-15', '2022-05-14']);
    // Carried over: R1, and R9 and R10 still open since December 2021.
    expectCounts(may, {
      receivedDirect: 4, receivedOnline: 1, receivedTotal: 5, carriedOver: 3,
      resolvedOnTime: 1, resolvedLate: 1, resolvedTotal: 2,
      pendingTotal: 6, pendingOnTime: 5, pendingOverdue: 1,
    });
    const [june] = await computeStats(db, { period: reportingMonthPeriod('2022-06') });
    expect(june.carriedOver).toBe(may.pendingTotal);
    expect(june.receivedTotal).toBe(1);
  });

  it('runs a reporting year from 15/12 to 14/12', async () => {
    const [year] = await computeStats(db, { period: reportingYearPeriod(2022) });
    expect([year.from, year.to]).toEqual(['2021-12-15', '2022-12-14']);
    expect([year.receivedTotal, year.carriedOver]).toEqual([10, 1]);
  });
});

describe('no database needed', () => {
  it('keeps the figure names of the issue', () => {
    expect(COUNT_FIGURES).toEqual([
      'receivedDirect', 'receivedOnline', 'receivedPostal', 'receivedLienThong', 'receivedTotal', 'carriedOver',
      'resolvedEarly', 'resolvedOnTime', 'resolvedLate', 'resolvedRejected', 'resolvedTotal', 'withdrawn',
      'pendingTotal', 'pendingOnTime', 'pendingOverdue',
    ]);
  });
});
