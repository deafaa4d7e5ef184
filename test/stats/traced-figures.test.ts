import { CompiledQuery } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../../src/db/connection.ts';
import { BIEU_06_COLUMNS } from '../../src/report/sheets/bieu-06.ts';
import { computeStats } from '../../src/stats/compute.ts';
import { BIEU_06_TRACE, explainFigure, listDossiers, traceFigure } from '../../src/stats/dossiers.ts';
import { ratesOf } from '../../src/stats/rates.ts';
import { COUNT_FIGURES, type Counts, type StatsQuery, type StatsRow } from '../../src/stats/types.ts';
import { describeEachDatabase } from '../helpers/databases.ts';
import { MAY } from './data.ts';
import { importRows } from './fixtures.ts';

// Every column of the report's sheets can be traced to its dossiers: the names a user may give, the sums the
// sheets show (Biểu 06's (5), (7), (9), the per-unit sheet's "Một cửa"), and lists as long as the sheet's values.

const zero = Object.fromEntries(COUNT_FIGURES.map((f) => [f, 0])) as Counts;
const rowOf = (counts: Counts): StatsRow => ({ from: '2022-05-01', to: '2022-05-31', ...counts, ...ratesOf(counts) });

describe('traceFigure', () => {
  it('knows Biểu 06 columns by number, key and header', () => {
    for (const spelling of ['(5)', 'bieu06:5', 'Biểu 06 (5)', 'bieu-06:(5)', 'Trực tiếp và dịch vụ bưu chính', ' trực tiếp VÀ dịch vụ bưu chính ']) {
      expect(traceFigure(spelling)).toMatchObject({ name: 'bieu06:5', parts: ['receivedDirect', 'receivedPostal', 'receivedLienThong'] });
    }
    expect(traceFigure('(3)')).toMatchObject({ name: 'toHandle', parts: ['receivedTotal', 'carriedOver'] });
    expect(traceFigure('(4)').name).toBe('receivedOnline');
    expect(traceFigure('(7)').parts).toEqual(['resolvedTotal', 'withdrawn']);
    // The same header on the yearly sheet is resolvedOnTime alone: the sheet's name says which.
    expect(traceFigure('Biểu 06: Số hồ sơ đã giải quyết / Đúng hạn').parts).toEqual(['resolvedOnTime', 'resolvedRejected', 'withdrawn']);
    expect(traceFigure('Theo năm: Số hồ sơ đã giải quyết / Đúng hạn').parts).toEqual(['resolvedOnTime']);
    expect(() => traceFigure('Số hồ sơ đã giải quyết / Đúng hạn')).toThrow(/nhiều nghĩa.*resolvedOnTime.*bieu06:9/);
    expect(traceFigure('(13)').name).toBe('pendingOverdue');
    expect(traceFigure('Số hồ sơ đang giải quyết - Quá hạn').name).toBe('pendingOverdue');
  });

  it('knows the per-unit sheet and the JSON names, and sums with "+"', () => {
    for (const spelling of ['Một cửa', 'Một cửa (trực tiếp, bưu chính)', 'oneStop', 'receivedDirect+receivedPostal']) {
      expect(traceFigure(spelling)).toMatchObject({ name: 'oneStop', parts: ['receivedDirect', 'receivedPostal'] });
    }
    expect(traceFigure('Tổng số hồ sơ tiếp nhận').name).toBe('receivedTotal');
    expect(traceFigure('Theo đơn vị: Trong đó / Trực tuyến').name).toBe('receivedOnline');
    expect(traceFigure('RESOLVEDLATE').name).toBe('resolvedLate');
    expect(traceFigure('(4)+(5)').parts).toEqual(['receivedOnline', 'receivedDirect', 'receivedPostal', 'receivedLienThong']);
  });

  it('refuses what is not one count with a Vietnamese line', () => {
    expect(() => traceFigure('Quá hạn')).toThrow(/nhiều nghĩa.*resolvedLate.*pendingOverdue|nhiều nghĩa.*pendingOverdue.*resolvedLate/);
    expect(() => traceFigure('Đúng hạn')).toThrow(/nhiều nghĩa.*bieu06:9/);
    expect(() => traceFigure('(1)')).toThrow('số thứ tự');
    expect(() => traceFigure('(14)')).toThrow('(3) đến (13)');
    expect(() => traceFigure('onTimeRate')).toThrow('tử số --figure "resolvedEarly+resolvedOnTime", mẫu số --figure "resolvedTotal"');
    expect(() => traceFigure('(7)+withdrawn')).toThrow('hai lần');
    expect(() => traceFigure('late')).toThrow('resolvedLate');
  });

  it('adds up the same counts as the Biểu 06 sheet, column by column', () => {
    // Column i of the sheet is (i + 1); each count's weight in a column is the column's value with that count 1.
    for (const [n, trace] of Object.entries(BIEU_06_TRACE)) {
      const column = BIEU_06_COLUMNS[Number(n) - 1];
      expect(column.header).toEqual(trace.header);
      for (const f of COUNT_FIGURES) {
        const weight = column.value!(rowOf({ ...zero, [f]: 1 }));
        expect([f, weight]).toEqual([f, trace.parts.includes(f) ? 1 : 0]);
      }
    }
  });
});

describeEachDatabase('the dossiers behind every sheet column', (t) => {
  let db: Db;
  beforeAll(async () => {
    // One database for the file's tests (t.open's closes after each test).
    db = await openDatabase(await t.newTarget());
    await importRows(db, t.tempDir(), MAY);
  });
  afterAll(async () => {
    await db.destroy();
  });
  const may: StatsQuery = { period: { from: '2022-05-01', to: '2022-05-31' } };

  it('lists Biểu 06 (5), (7), (9) and Một cửa as the comments of the May cases add them up', async () => {
    const codes = async (name: string) => (await listDossiers(db, may, traceFigure(name).parts)).map((d) => d.code).sort();
    // Direct B C K N O X2, postal G, liên thông J (P has no channel).
    expect(await codes('(5)')).toEqual(['B', 'C', 'G', 'J', 'K', 'N', 'O', 'X2']);
    expect(await codes('Một cửa')).toEqual(['B', 'C', 'G', 'K', 'N', 'O', 'X2']);
    // Resolved A D E J K X1, withdrawn L.
    expect(await codes('(7)')).toEqual(['A', 'D', 'E', 'J', 'K', 'L', 'X1']);
    // On time D J, rejected K, withdrawn L.
    expect(await codes('(9)')).toEqual(['D', 'J', 'K', 'L']);
  });

  it('gives as many dossiers as the sheet shows, each once per sub-period, by month and by level', async () => {
    for (const query of [
      { period: { from: '2022-04-01', to: '2022-06-30' }, by: ['month'] },
      { period: { from: '2022-05-01', to: '2022-05-31' }, by: ['level'] },
    ] as StatsQuery[]) {
      const rows = await computeStats(db, query);
      const sheet = [
        ...Object.keys(BIEU_06_TRACE).map((n) => ({ name: `(${n})`, value: BIEU_06_COLUMNS[Number(n) - 1].value! })),
        { name: 'Một cửa', value: (s: StatsRow) => s.receivedDirect + s.receivedPostal },
      ];
      for (const { name, value } of sheet) {
        const listed = await listDossiers(db, query, traceFigure(name).parts);
        const keys = listed.map((d) => `${d.from} ${d.code}`);
        expect(new Set(keys).size).toBe(keys.length);
        expect([name, listed.length]).toEqual([name, rows.reduce((sum, r) => sum + Number(value(r)), 0)]);
      }
    }
  });

  it('explains a figure with SQL that, run as printed, lists its dossiers', async () => {
    const e = await explainFigure(db, may, traceFigure('(9)'));
    expect(e.figure.name).toBe('bieu06:9');
    expect(e.rules.map((r) => r.split(' ')[0])).toEqual(['resolvedOnTime', 'resolvedRejected', 'withdrawn']);
    expect(e.rules[2]).toContain('công dân rút hồ sơ');
    expect(e.parameters).toContain('2022-05-01');
    const result = await db.executeQuery<{ code: string }>(CompiledQuery.raw(e.sql, [...e.parameters]));
    expect(result.rows.map((r) => r.code).sort()).toEqual(['D', 'J', 'K', 'L']);
  });
});
