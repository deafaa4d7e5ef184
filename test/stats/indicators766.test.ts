import * as XLSX from '@e965/xlsx';
import ExcelJS from 'exceljs';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { openDatabase, type Db } from '../../src/db/connection.ts';
import { loadProfile766 } from '../../src/domain/index-766.ts';
import { monthPeriod } from '../../src/domain/periods.ts';
import { importFiles, importProcedures } from '../../src/import/index.ts';
import { rankUnits766 } from '../../src/rank/rank.ts';
import { writeReport } from '../../src/report/index.ts';
import { computeStats } from '../../src/stats/compute.ts';
import { listDossiers } from '../../src/stats/dossiers.ts';
import { describeEachDatabase, type TestDatabases } from '../helpers/databases.ts';
import { tthc } from '../helpers/cli.ts';
import { databaseWith } from './fixtures.ts';

// QĐ 766's other indicators from the optional export columns (docs/index-766.md). The export is a workbook that
// SheetJS writes (openpyxl is not installed here), with the columns under headers other than tthc's first ones and
// their values written in the ways offices write them: words, ticks, 1/0, a boolean cell, an amount for the fee.
//
// Catalogue: 1.001 Đăng ký khai sinh toàn trình (mức độ 4); 1.002 Cấp phép xây dựng một phần (mức độ 3).
// March 2024, received 01/03 08:00, due 10/03 17:00 unless said. "–" = blank cell.
//
//        proc   channel     ends                 fee         paid   digitised  e-result  rating
//   H1   1.001  Trực tuyến  05/03                Có          Có     x          ✓         Rất hài lòng
//   H2   1.001  Trực tiếp   05/03                Không       Không  Đã         1         Hài lòng
//   H3   1.001  Trực tuyến  12/03 (late)         50000       TRUE   Chưa       0         Không hài lòng
//   H4   1.002  Trực tuyến  05/03                50.000 đ    Không  –          Có        Chưa đánh giá
//   H5   1.002  Trực tiếp   pending, due 31/03   Có          –      1          –         –
//   A1   1.001  Trực tiếp   05/03                –           –      –          –         –
//   A2   1.002  Trực tiếp   rejected 06/03       Có          ✓      x          ✓         Không hài lòng
//
// By hand, xã Hiền Lương (H1–H5):
//   toàn trình: received of 1.001 = H1 H2 H3 = 3, of them online H1 H3 = 2              → 2/3
//   payment: with a fee and a payment value = H1 H3 H4 = 3 (H5 says nothing of payment), paid H1 H3 = 2 → 2/3
//   digitised: results (H1–H4) saying = H1 H2 H3 = 3, digitised H1 H2 = 2                 → 2/3
//   electronic result: results saying = H1 H2 H3 H4 = 4, electronic H1 H2 H4 = 3          → 3/4
//   satisfaction: resolved 4, late 1 (H3); rated (not rated included) 4, dissatisfied 1 (H3) → 1 − 1/4 − 1/4 = 1/2
//   progress 766: handled 5 (H1–H4 ended, H5 pending), in time H1 H2 H4 H5 = 4           → 4/5
// xã Ấm Hạ (A1, A2):
//   toàn trình 0/1 = 0; payment 1/1; digitised and electronic result: A1, the only result, says nothing → no data;
//   satisfaction: resolved 2 (A1, A2 rejected), late 0, rated 1 (A2), dissatisfied 1 → 1 − 0 − 1 = 0;
//   progress 2/2 (the rejection ended before its due day).
// Together: toàn trình 2/4, payment 3/4, digitised 2/3, electronic 3/4, satisfaction 1 − 1/6 − 2/5 = 13/30.

const HL = 'UBND xã Hiền Lương';
const AH = 'UBND xã Ấm Hạ';
const HEADER = [
  'Mã hồ sơ', 'Đơn vị tiếp nhận', 'Mã thủ tục', 'Hình thức nộp', 'Ngày tiếp nhận', 'Ngày hẹn trả', 'Ngày kết thúc xử lý', 'Trạng thái',
  'Phí, lệ phí', 'Đã thanh toán trực tuyến', 'Hồ sơ được số hoá', 'Trả kết quả điện tử', 'Mức độ hài lòng',
];
type Cell = string | number | boolean | null;
const row = (code: string, unit: string, procedure: string, channel: string, ended: string | null, status: string, due: string, ...values: Cell[]): Cell[] =>
  [code, unit, procedure, channel, '01/03/2024 08:00', due, ended, status, ...values];
const DUE = '10/03/2024 17:00';
const ROWS: Cell[][] = [
  row('H1', HL, '1.001', 'Trực tuyến', '05/03/2024 10:00', 'Đã trả kết quả', DUE, 'Có', 'Có', 'x', '✓', 'Rất hài lòng'),
  row('H2', HL, '1.001', 'Trực tiếp', '05/03/2024 10:00', 'Đã trả kết quả', DUE, 'Không', 'Không', 'Đã', 1, 'Hài lòng'),
  row('H3', HL, '1.001', 'Trực tuyến', '12/03/2024 10:00', 'Đã trả kết quả', DUE, 50000, true, 'Chưa', 0, 'Không hài lòng'),
  row('H4', HL, '1.002', 'Trực tuyến', '05/03/2024 10:00', 'Đã trả kết quả', DUE, '50.000 đ', 'Không', null, 'Có', 'Chưa đánh giá'),
  row('H5', HL, '1.002', 'Trực tiếp', null, 'Đang xử lý', '31/03/2024 17:00', 'Có', null, 1, null, null),
  row('A1', AH, '1.001', 'Trực tiếp', '05/03/2024 10:00', 'Đã trả kết quả', DUE, null, null, null, null, null),
  row('A2', AH, '1.002', 'Trực tiếp', '06/03/2024 10:00', 'Từ chối giải quyết', DUE, 'Có', '✓', 'x', '✓', 'Không hài lòng'),
];

function workbook(path: string, rows: Cell[][], header = HEADER): string {
  const book = XLSX.utils.book_new();
  XLSX.utils.book_append_sheet(book, XLSX.utils.aoa_to_sheet([header, ...rows]), 'Danh sách hồ sơ');
  writeFileSync(path, XLSX.write(book, { type: 'buffer', bookType: 'xlsx' }) as Buffer);
  return path;
}

async function seeded(t: TestDatabases): Promise<{ target: string; dir: string }> {
  const dir = t.tempDir();
  const target = await t.newTarget();
  const db = await openDatabase(target);
  try {
    const catalogue = join(dir, 'thu-tuc.csv');
    writeFileSync(catalogue, 'Mã thủ tục,Tên thủ tục,Lĩnh vực,Mức độ\n1.001,Đăng ký khai sinh,Hộ tịch,Toàn trình\n1.002,Cấp giấy phép xây dựng,Xây dựng,Một phần\n');
    await importProcedures(db, catalogue);
    const [summary] = await importFiles(db, [workbook(join(dir, 'ho-so.xlsx'), ROWS)]);
    expect(summary.rejectedByReason).toEqual({});
    expect(summary.newDossiers).toBe(7);
  } finally {
    await db.destroy();
  }
  return { target, dir };
}

const INDICATORS = [
  'receivedFullOnline', 'fullOnlineEligible', 'fullOnlineRate', 'paidOnline', 'withFee', 'onlinePaymentRate', 'digitised', 'digitisedBase',
  'digitisedRate', 'electronicResult', 'electronicResultBase', 'electronicResultRate', 'dissatisfied', 'satisfactionBase', 'satisfactionRate',
] as const;
const pick = (row: object) => Object.fromEntries(INDICATORS.map((k) => [k, (row as Record<string, unknown>)[k]]));

async function withDb<T>(target: string, body: (db: Db) => Promise<T>): Promise<T> {
  const db = await openDatabase(target);
  try {
    return await body(db);
  } finally {
    await db.destroy();
  }
}

describeEachDatabase('QĐ 766 indicators from optional export columns', (t) => {
  it('stores the values of every variant as 1, 0 or NULL, and counts the hand-counted rates per unit and together', async () => {
    const { target } = await seeded(t);
    await withDb(target, async (db) => {
      const stored = await db.selectFrom('dossiers').select(['code', 'has_fee', 'paid_online', 'digitised', 'electronic_result', 'satisfaction']).orderBy('code').execute();
      expect(stored.map((d) => [d.code, d.has_fee, d.paid_online, d.digitised, d.electronic_result, d.satisfaction])).toEqual([
        ['A1', null, null, null, null, null],
        ['A2', 1, 1, 1, 1, 'dissatisfied'],
        ['H1', 1, 1, 1, 1, 'very_satisfied'],
        ['H2', 0, 0, 1, 1, 'satisfied'],
        ['H3', 1, 1, 0, 0, 'dissatisfied'],
        ['H4', 1, 0, null, 1, 'not_rated'],
        ['H5', 1, null, 1, null, null],
      ]);

      const query = { period: monthPeriod('2024-03'), indicators766: true };
      const [all] = await computeStats(db, query);
      expect(pick(all)).toEqual({
        receivedFullOnline: 2, fullOnlineEligible: 4, fullOnlineRate: 2 / 4,
        paidOnline: 3, withFee: 4, onlinePaymentRate: 3 / 4,
        digitised: 2, digitisedBase: 3, digitisedRate: 2 / 3,
        electronicResult: 3, electronicResultBase: 4, electronicResultRate: 3 / 4,
        dissatisfied: 2, satisfactionBase: 5, satisfactionRate: expect.closeTo(13 / 30, 12),
      });
      const units = await computeStats(db, { ...query, by: ['unit'] });
      const byUnit = Object.fromEntries(units.map((r) => [r.unitName, pick(r)]));
      expect(byUnit[HL]).toEqual({
        receivedFullOnline: 2, fullOnlineEligible: 3, fullOnlineRate: 2 / 3,
        paidOnline: 2, withFee: 3, onlinePaymentRate: 2 / 3,
        digitised: 2, digitisedBase: 3, digitisedRate: 2 / 3,
        electronicResult: 3, electronicResultBase: 4, electronicResultRate: 3 / 4,
        dissatisfied: 1, satisfactionBase: 4, satisfactionRate: 1 / 2,
      });
      // Ấm Hạ's one result says nothing of digitisation or an electronic result: no data, never 0 %.
      expect(byUnit[AH]).toEqual({
        receivedFullOnline: 0, fullOnlineEligible: 1, fullOnlineRate: 0,
        paidOnline: 1, withFee: 1, onlinePaymentRate: 1,
        digitised: 0, digitisedBase: 0, digitisedRate: null,
        electronicResult: 0, electronicResultBase: 0, electronicResultRate: null,
        dissatisfied: 1, satisfactionBase: 1, satisfactionRate: 0,
      });
      // Without the flag, nothing changes: the rows carry none of these figures.
      const [plain] = await computeStats(db, { period: monthPeriod('2024-03') });
      expect('withFee' in plain).toBe(false);

      // The dossiers behind each count are those counted by hand.
      const codes = async (figure: Parameters<typeof listDossiers>[2]) => (await listDossiers(db, query, figure)).map((d) => d.code).sort();
      expect(await codes('paidOnline')).toEqual(['A2', 'H1', 'H3']);
      expect(await codes('withFee')).toEqual(['A2', 'H1', 'H3', 'H4']);
      expect(await codes('fullOnlineEligible')).toEqual(['A1', 'H1', 'H2', 'H3']);
      expect(await codes('receivedFullOnline')).toEqual(['H1', 'H3']);
      expect(await codes('digitisedBase')).toEqual(['H1', 'H2', 'H3']);
      expect(await codes('electronicResult')).toEqual(['H1', 'H2', 'H4']);
      expect(await codes('satisfactionBase')).toEqual(['A2', 'H1', 'H2', 'H3', 'H4']);
      expect(await codes('dissatisfied')).toEqual(['A2', 'H3']);
    });
  });

  it('ranks units on the indicators each has, with the points counted by hand', async () => {
    const { target } = await seeded(t);
    const ranking = await withDb(target, (db) => rankUnits766(db, { period: monthPeriod('2024-03') }, loadProfile766()));
    // Shipped profile: progress 20; electronic result 6 (full at 100 %); digitised 4 (80 %); toàn trình 12 (50 %);
    // payment 6 (100 %); satisfaction 6 (90 %). Every one of them some unit has: 54 points counted.
    expect(ranking.countedMax).toBe(54);
    expect(ranking.indicators.filter((i) => i.counted).map((i) => i.id)).toEqual([
      'progress', 'electronicResult', 'digitised', 'fullOnline', 'onlinePayment', 'satisfaction',
    ]);
    const [hl, ah] = [HL, AH].map((name) => ranking.rows.find((r) => r.unitName === name)!);
    const points = (r: typeof hl) => Object.fromEntries(Object.entries(r.indicators).map(([id, v]) => [id, v.points]));
    // Hiền Lương: 20 × 4/5 = 16; 6 × 3/4 = 4.5; 4 × (2/3) / 0.8 = 10/3; 12 (2/3 ≥ 50 %); 6 × 2/3 = 4; 6 × (1/2) / 0.9 = 10/3.
    expect(points(hl)).toEqual({
      progress: 16, electronicResult: 4.5, digitised: expect.closeTo(10 / 3, 12), fullOnline: 12, onlinePayment: 4,
      satisfaction: expect.closeTo(10 / 3, 12),
    });
    expect(hl.total).toBeCloseTo(16 + 4.5 + 10 / 3 + 12 + 4 + 10 / 3, 12);
    expect(hl.knownMax).toBe(54);
    // 43.1667 × 100 / 54 = 79.94: Khá, not Tốt.
    expect(hl.score).toBeCloseTo((43 + 1 / 6) * 100 / 54, 10);
    expect([hl.rank, hl.class]).toEqual([1, 'Khá']);
    // Ấm Hạ: 20 + toàn trình 0 + payment 6 + satisfaction 0 = 26 over 20 + 12 + 6 + 6 = 44 (no data on the other two).
    expect(points(ah)).toEqual({ progress: 20, electronicResult: null, digitised: null, fullOnline: 0, onlinePayment: 6, satisfaction: 0 });
    expect([ah.total, ah.knownMax, ah.rank, ah.class]).toEqual([26, 44, 2, 'Trung bình']);
    expect(ah.score).toBeCloseTo(2600 / 44, 10);
    expect(ranking.warnings).toEqual([]);

    const table = await tthc('--db', target, 'rank', '--month', '2024-03');
    expect(table.code).toBe(0);
    expect(table.stdout).toContain('Xếp hạng trên 54/100 điểm tính được');
    const line = table.stdout.split('\n').find((l) => l.includes(AH))!;
    expect(line).toContain('không có dữ liệu');
    expect(line).toContain('26,00 (/44)');
  });

  it('writes the rates and points into the "Chỉ số 766" and "Xếp hạng" sheets, "không có dữ liệu" where a unit lacks one', async () => {
    const { target, dir } = await seeded(t);
    const out = join(dir, 'bao-cao.xlsx');
    await withDb(target, (db) => writeReport(db, { query: { period: monthPeriod('2024-03') }, out, sheets: ['chi-so-766', 'xep-hang'] }));
    const book = new ExcelJS.Workbook();
    await book.xlsx.readFile(out);
    const value = (v: unknown) => (v && typeof v === 'object' && 'result' in v ? (v as { result: unknown }).result : v);
    const rowsOf = (name: string) => {
      const rows: unknown[][] = [];
      book.getWorksheet(name)!.eachRow((r) => rows.push(Array.from((r.values as unknown[]).slice(1), (v) => value(v) ?? null)));
      return rows;
    };
    const chiSo = rowsOf('Chỉ số 766');
    const ah = chiSo.find((r) => r[0] === AH)!;
    // Unit, March, handled, in time, rate, points; then per indicator of the profile (electronic result, digitised,
    // toàn trình, payment, satisfaction) its rate and points.
    expect(ah.slice(0, 6)).toEqual([AH, 1, 2, 2, 1, 20]);
    expect(ah.slice(6)).toEqual(['không có dữ liệu', null, 'không có dữ liệu', null, 0, 0, 1, 6, 0, 0]);
    const hl = chiSo.find((r) => r[0] === HL)!;
    expect(hl.slice(6, 12)).toEqual([3 / 4, 4.5, 2 / 3, expect.closeTo(10 / 3, 12), 2 / 3, 12]);

    const xepHang = rowsOf('Xếp hạng');
    const ranked = xepHang.find((r) => r[1] === AH)!;
    expect(ranked).toContain('không có dữ liệu');
    // The total 26 is over 44 of the 54 points counted, said in its own column.
    expect(ranked.slice(-4)).toEqual([26, 44, expect.closeTo(2600 / 44, 10), 'Trung bình']);
  });

  it('keeps the values through a re-import without the columns, and takes a later export\'s value where none was known', async () => {
    const { target, dir } = await seeded(t);
    // The same dossiers again from an export without the optional columns: nothing is lost.
    const plainHeader = HEADER.slice(0, 8);
    await withDb(target, async (db) => {
      const [again] = await importFiles(db, [workbook(join(dir, 'ho-so-khong-cot.xlsx'), ROWS.map((r) => r.slice(0, 8)), plainHeader)]);
      expect(again.unchanged).toBe(7);
      // A later export says what A1's said nothing of, and says "no" of what H1 was: yes stays (paid once is paid).
      const later = [
        row('A1', AH, '1.001', 'Trực tiếp', '05/03/2024 10:00', 'Đã trả kết quả', DUE, 'Không', 'Không', 'Có', 'Không', 'Hài lòng'),
        row('H1', HL, '1.001', 'Trực tuyến', '05/03/2024 10:00', 'Đã trả kết quả', DUE, 'Có', 'Không', 'Không', 'Không', 'Chưa đánh giá'),
      ];
      const [merged] = await importFiles(db, [workbook(join(dir, 'ho-so-sau.xlsx'), later)]);
      expect([merged.updated, merged.unchanged]).toEqual([1, 1]);
      const stored = await db.selectFrom('dossiers').select(['code', 'has_fee', 'paid_online', 'digitised', 'electronic_result', 'satisfaction'])
        .where('code', 'in', ['A1', 'H1']).orderBy('code').execute();
      expect(stored.map((d) => [d.code, d.has_fee, d.paid_online, d.digitised, d.electronic_result, d.satisfaction])).toEqual([
        ['A1', 0, 0, 1, 0, 'satisfied'],
        ['H1', 1, 1, 1, 1, 'very_satisfied'],
      ]);
    });
  });

  it('says "không có dữ liệu" in every format where no export had the columns, never 0, with a warning naming the column', async () => {
    const target = await databaseWith(t, [
      { code: 'K1', received: '01/03/2024 08:00', due: '10/03/2024 17:00', ended: '05/03/2024 10:00' },
      { code: 'K2', received: '02/03/2024 08:00', due: '10/03/2024 17:00', channel: 'Trực tuyến' },
    ]);
    const [row0] = await withDb(target, (db) => computeStats(db, { period: monthPeriod('2024-03'), indicators766: true }));
    expect([row0.fullOnlineRate, row0.onlinePaymentRate, row0.digitisedRate, row0.electronicResultRate, row0.satisfactionRate]).toEqual([null, null, null, null, null]);

    const table = await tthc('--db', target, 'stats', '--month', '2024-03', '--indicators-766', '--columns', 'receivedTotal,onlinePaymentRate,satisfactionRate');
    expect(table.code).toBe(0);
    const dataLine = table.stdout.trim().split('\n').at(-1)!;
    expect(dataLine.trim().split(/\s{2,}/)).toEqual(['2', 'không có dữ liệu', 'không có dữ liệu']);
    expect(table.stderr).toContain('cột "Thanh toán trực tuyến" và cột "Có phí, lệ phí"');
    expect(table.stderr).toContain('cột "Đánh giá hài lòng"');
    expect(table.stderr).toContain('chưa nhập danh mục thủ tục');

    // Naming a rate in --columns implies the flag; CSV leaves the cell empty, JSON says null; both warn.
    const csv = await tthc('--db', target, 'stats', '--month', '2024-03', '--format', 'csv', '--columns', 'receivedTotal,digitisedRate');
    expect(csv.stdout.replace('\uFEFF', '').trim().split('\n')).toEqual(['receivedTotal,digitisedRate', '2,']);
    expect(csv.stderr).toContain('cột "Số hoá"');
    const json = await tthc('--db', target, 'stats', '--month', '2024-03', '--format', 'json', '--indicators-766');
    const [parsed] = JSON.parse(json.stdout);
    expect([parsed.electronicResultRate, parsed.electronicResultBase]).toEqual([null, 0]);
    expect(json.stderr).toContain('cột "Kết quả điện tử"');

    const listed = await tthc('--db', target, 'dossiers', '--month', '2024-03', '--figure', 'paidOnline');
    expect(listed.code).toBe(0);
    expect(listed.stdout).toContain('Không có hồ sơ nào');
    expect(listed.stderr).toContain('cột "Thanh toán trực tuyến"');

    // The rank counts none of them: progress alone, as before.
    const rank = await tthc('--db', target, 'rank', '--month', '2024-03');
    expect(rank.stdout).toContain('Xếp hạng trên 20/100 điểm tính được');
  });
});
