import ExcelJS from 'exceljs';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { openDatabase } from '../../src/db/connection.ts';
import { loadProfile766 } from '../../src/domain/index-766.ts';
import { packageFile } from '../../src/domain/package-files.ts';
import { monthPeriod, quarterPeriod } from '../../src/domain/periods.ts';
import { rankUnits766 } from '../../src/rank/rank.ts';
import { writeReport } from '../../src/report/index.ts';
import { describeEachDatabase } from '../helpers/databases.ts';
import { tthc } from '../helpers/cli.ts';
import { databaseWith, DISTRICT, type ExportRow } from '../stats/fixtures.ts';

// Units ranked by hand, March 2024 (all received 01/03, due 10/03 unless said):
//   xã Hiền Lương  4 done 05/03, 2 of 4 online          progress 4/4 = 20 pts   online 50 %
//   xã Ấm Hạ       3 done 05/03, 1 pending due 05/03     progress 3/4 = 15 pts   online 25 %
//   xã Yên Kỳ      3 done 05/03, 1 done 08/03 due 05/03  progress 3/4 = 15 pts   online 0 %
//   huyện Hạ Hoà   1 done 05/03, 1 pending due 05/03     progress 1/2 = 10 pts   online 0 %
// Shipped profile (progress alone, 20 points): xã 1 Hiền Lương (100, Tốt), 2 Ấm Hạ and Yên Kỳ (75, Khá);
// huyện 1 Hạ Hoà (50, Trung bình). With the online share as the 12-point online indicator (full at 50 %): over 32
// points, Hiền Lương 20 + 12 = 32 (100), Ấm Hạ 15 + 6 = 21 (65.625, Khá), Yên Kỳ 15 + 0 (46.875, Yếu), Hạ Hoà 10
// (31.25, Yếu).

const HL = 'UBND xã Hiền Lương';
const AH = 'UBND xã Ấm Hạ';
const YK = 'UBND xã Yên Kỳ';
const done = (code: string, unit: string, channel = 'Trực tiếp', ended = '05/03/2024 10:00', due = '10/03/2024 17:00'): ExportRow =>
  ({ code, unit, channel, received: '01/03/2024 08:00', due, ended, status: 'Đã trả kết quả' });
const pending = (code: string, unit: string): ExportRow =>
  ({ code, unit, received: '01/03/2024 08:00', due: '05/03/2024 17:00', status: 'Đang xử lý' });

const ROWS: ExportRow[] = [
  done('X1', HL, 'Trực tuyến'), done('X2', HL, 'Trực tuyến'), done('X3', HL), done('X4', HL),
  done('Y1', AH, 'Trực tuyến'), done('Y2', AH), done('Y3', AH), pending('Y4', AH),
  done('Z1', YK), done('Z2', YK), done('Z3', YK), done('Z4', YK, 'Trực tiếp', '08/03/2024 10:00', '05/03/2024 17:00'),
  done('D1', DISTRICT), pending('D2', DISTRICT),
];

/** The shipped profile with the online share standing for the online-service indicator. */
function onlineProfile(dir: string): string {
  const profile = JSON.parse(readFileSync(packageFile('reports/index-766.json'), 'utf8'));
  const online = profile.groups.find((g: { id: string }) => g.id === 'trucTuyen');
  online.indicators[0] = { id: 'onlineReceipts', name: 'Hồ sơ tiếp nhận trực tuyến', points: 12, rate: 'onlineRate', fullAt: 0.5 };
  const path = join(dir, 'chi-so-766.json');
  writeFileSync(path, JSON.stringify(profile, null, 2));
  return path;
}

describeEachDatabase('tthc rank', (t) => {
  it('ranks units within their level by the profile, ties sharing a rank, classed by the score on 100', async () => {
    const target = await databaseWith(t, ROWS);
    const db = await openDatabase(target);
    try {
      const shipped = await rankUnits766(db, { period: monthPeriod('2024-03') }, loadProfile766());
      expect(shipped.countedMax).toBe(20);
      expect(shipped.indicators.filter((i) => i.counted).map((i) => i.id)).toEqual(['progress']);
      expect(shipped.rows.map((r) => [r.level, r.unitName, r.rank, r.total, r.score, r.class])).toEqual([
        ['huyen', DISTRICT, 1, 10, 50, 'Trung bình'],
        ['xa', HL, 1, 20, 100, 'Tốt'],
        ['xa', AH, 2, 15, 75, 'Khá'],
        ['xa', YK, 2, 15, 75, 'Khá'],
      ]);

      const online = await rankUnits766(db, { period: monthPeriod('2024-03') }, loadProfile766(onlineProfile(t.tempDir())));
      expect(online.countedMax).toBe(32);
      expect(online.rows.map((r) => [r.unitName, r.rank, r.indicators.onlineReceipts.points, r.total, r.class])).toEqual([
        [DISTRICT, 1, 0, 10, 'Yếu'],
        [HL, 1, 12, 32, 'Tốt'],
        [AH, 2, 6, 21, 'Khá'],
        [YK, 3, 0, 15, 'Yếu'],
      ]);
      expect(online.rows[2].score).toBeCloseTo(65.625, 12);
    } finally {
      await db.destroy();
    }
  });

  it('prints the table with what the rank is computed over, CSV and JSON; a broken profile is a one-line error', async () => {
    const target = await databaseWith(t, ROWS);
    const table = await tthc('--db', target, 'rank', '--month', '2024-03');
    expect(table.code).toBe(0);
    expect(table.stdout).toContain('Xếp hạng trên 20/100 điểm tính được');
    expect(table.stdout).toContain('Không có dữ liệu, không tính (80 điểm)');
    const line = table.stdout.split('\n').find((l) => l.includes('Ấm Hạ'))!;
    expect(line.trim().split(/\s{2,}/)).toEqual(['Cấp xã', '2', AH, '4', '3', '75,0 %', '15,00', '15,00', '75,00', 'Khá']);

    const csv = (await tthc('--db', target, 'rank', '--month', '2024-03', '--format', 'csv')).stdout.replace('\uFEFF', '').trim().split('\n');
    expect(csv[0]).toBe('from,to,level,rank,unitCode,unitName,receivedTotal,handled766,inTime766,progressRate,progressPoints,total,knownMax,countedMax,score,class');
    const yk = csv.find((l) => l.includes('Yên Kỳ'))!.split(',');
    expect([...yk.slice(0, 4), ...yk.slice(5)]).toEqual(['2024-03-01', '2024-03-31', 'xa', '2', YK, '4', '4', '3', '0.75', '15', '15', '20', '20', '75', 'Khá']);

    const json = JSON.parse((await tthc('--db', target, 'rank', '--month', '2024-03', '--format', 'json', '--profile-766', onlineProfile(t.tempDir()))).stdout);
    expect(json.countedMax).toBe(32);
    expect(json.rows.find((r: { unitName: string }) => r.unitName === YK).rank).toBe(3);

    const broken = join(t.tempDir(), 'hong.json');
    writeFileSync(broken, '{ "name": "x" }');
    const failed = await tthc('--db', target, 'rank', '--month', '2024-03', '--profile-766', broken);
    expect(failed.code).not.toBe(0);
    expect(failed.stderr.trim().split('\n')).toHaveLength(1);
    expect(failed.stderr).toContain('hồ sơ chỉ số 766');

    const by = await tthc('--db', target, 'rank', '--month', '2024-03', '--by', 'unit');
    expect(by.stderr).toContain('--by của rank chỉ nhận year, month');
  });

  it('writes the "Xếp hạng" sheet of the report: units by level with their rank, points and class', async () => {
    const target = await databaseWith(t, ROWS);
    const db = await openDatabase(target);
    const out = join(t.tempDir(), 'bao-cao.xlsx');
    try {
      const result = await writeReport(db, { query: { period: monthPeriod('2024-03') }, out, sheets: ['xep-hang'] });
      expect(result.sheets).toEqual(['Xếp hạng']);
    } finally {
      await db.destroy();
    }
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.readFile(out);
    const ws = workbook.getWorksheet('Xếp hạng')!;
    const rows: unknown[][] = [];
    ws.eachRow((row) => rows.push((row.values as unknown[]).slice(1)));
    const body = rows.filter((r) => typeof r[0] === 'number' || (r[0] === '' && typeof r[1] === 'string'));
    expect(body).toEqual([
      ['', 'Cấp huyện'],
      [1, DISTRICT, 2, 1, 0.5, 10, 10, 50, 'Trung bình'],
      ['', 'Cấp xã'],
      [1, HL, 4, 4, 1, 20, 20, 100, 'Tốt'],
      [2, AH, 4, 3, 0.75, 15, 15, 75, 'Khá'],
      [2, YK, 4, 3, 0.75, 15, 15, 75, 'Khá'],
    ]);
    expect(rows.flat().some((c) => typeof c === 'string' && c.includes('Xếp hạng trên 20/100 điểm tính được'))).toBe(true);

    // tthc report --profile-766: the sheet ranks over the profile's counted points.
    const cli = join(t.tempDir(), 'bao-cao-tinh.xlsx');
    const run = await tthc('--db', target, 'report', '--month', '2024-03', '--sheets', 'xep-hang', '--profile-766', onlineProfile(t.tempDir()), '--out', cli);
    expect(run.code).toBe(0);
    const again = new ExcelJS.Workbook();
    await again.xlsx.readFile(cli);
    const texts: unknown[] = [];
    again.getWorksheet('Xếp hạng')!.eachRow((row) => texts.push(...(row.values as unknown[])));
    expect(texts).toContain('Tổng điểm (trên 32)');
  });

  it('writes the "Chỉ số 766" sheet: each unit\'s progress rate by month, then the counts, rate and points of the period', async () => {
    const db = await openDatabase(await databaseWith(t, ROWS));
    const out = join(t.tempDir(), 'chi-so.xlsx');
    try {
      await writeReport(db, { query: { period: quarterPeriod('2024-Q1') }, out, sheets: ['chi-so-766'] });
    } finally {
      await db.destroy();
    }
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.readFile(out);
    const ws = workbook.getWorksheet('Chỉ số 766')!;
    const rows: unknown[][] = [];
    const value = (v: unknown) => (v && typeof v === 'object' && 'result' in v ? (v as { result: unknown }).result : v);
    // An empty cell reads back as a hole of the row's array: null here.
    ws.eachRow((row) => rows.push(Array.from((row.values as unknown[]).slice(1), (v) => value(v) ?? null)));
    const header = rows.findIndex((r) => r[0] === 'Đơn vị');
    expect(rows[header + 1].slice(1, 4)).toEqual(['01/2024', '02/2024', '03/2024']);
    const body = rows.filter((r) => [DISTRICT, HL, AH, YK, 'Cấp huyện', 'Cấp xã'].includes(r[0] as string));
    // Months without dossiers are empty, never 0 %; the period's points are 20 × in time / handled.
    expect(body.map((r) => r.slice(0, 8))).toEqual([
      ['Cấp huyện', null, null, 0.5, 2, 1, 0.5, 10],
      [DISTRICT, null, null, 0.5, 2, 1, 0.5, 10],
      ['Cấp xã', null, null, 10 / 12, 12, 10, 10 / 12, 20 * 10 / 12],
      [AH, null, null, 0.75, 4, 3, 0.75, 15],
      [HL, null, null, 1, 4, 4, 1, 20],
      [YK, null, null, 0.75, 4, 3, 0.75, 15],
    ]);
  });
});
