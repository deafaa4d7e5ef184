import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { computeStats } from '../../src/stats/compute.ts';
import { FIGURE_GROUP_LABELS, FIGURE_LABELS } from '../../src/stats/labels.ts';
import { COUNT_FIGURES, type StatsRow } from '../../src/stats/types.ts';
import { CHART_HEIGHT, CHART_SCALE, CHART_WIDTH, parseComparePeriods, SHEETS, writeReport } from '../../src/report/index.ts';
import { describeEachDatabase } from '../helpers/databases.ts';
import {
  evaluateSum,
  findRow,
  formulaOf,
  headerColumns,
  importFixture,
  num,
  PERIOD,
  readWorkbook,
  sheet,
  text,
} from './fixtures.ts';

const LEVEL_NAMES = { tinh: 'Cấp tỉnh', huyen: 'Cấp huyện', xa: 'Cấp xã' } as const;

/** Header path of each figure column of the yearly and monthly tables. */
function figureHeader(figure: keyof typeof FIGURE_LABELS): string {
  const group = FIGURE_GROUP_LABELS[figure];
  return group ? `${group} / ${FIGURE_LABELS[figure]}` : FIGURE_LABELS[figure];
}

/** Every count and rate of a stats row against the row `r` of a yearly/monthly sheet. */
function expectFlowRow(columns: Map<string, number>, ws: import('exceljs').Worksheet, r: number, row: StatsRow): void {
  for (const figure of COUNT_FIGURES) {
    const c = columns.get(figureHeader(figure));
    if (c === undefined) {
      // Postal and liên thông columns are left out when nobody used them.
      expect(row[figure], `${figure} has no column`).toBe(0);
      continue;
    }
    expect(num(ws.getCell(r, c)), `${ws.name} row ${r} ${figure}`).toBe(row[figure]);
  }
  for (const rate of ['directShare', 'onlineShare'] as const) {
    // Shares stand next to their channel, under the new-receipts group.
    const share = num(ws.getCell(r, columns.get(`${FIGURE_GROUP_LABELS.receivedTotal} / ${FIGURE_LABELS[rate]}`)!));
    if (row[rate] === null) expect(share).toBeNull();
    else expect(share).toBeCloseTo(row[rate]!, 12);
  }
  const onTime = num(ws.getCell(r, columns.get('Tỷ lệ giải quyết sớm và đúng hạn')!));
  if (row.onTimeRate === null) expect(onTime).toBeNull();
  else expect(onTime).toBeCloseTo(row.onTimeRate, 12);
  expect(num(ws.getCell(r, columns.get('Tổng số hồ sơ nhận giải quyết')!))).toBe(row.receivedTotal + row.carriedOver);
}

/** Every formula of a sheet that adds cells up has a cached result equal to the sum it states. */
function expectSumsAgree(ws: import('exceljs').Worksheet): number {
  let checked = 0;
  ws.eachRow((row) =>
    row.eachCell((cell) => {
      const formula = formulaOf(cell);
      if (!formula || formula.startsWith('IF(')) return;
      expect(num(cell), `${ws.name}!${cell.address} = ${formula}`).toBe(evaluateSum(ws, formula));
      checked++;
    }),
  );
  return checked;
}

describeEachDatabase('report', (t) => {
  it('writes every sheet; Theo năm and Theo tháng hold the figures of computeStats, month totals equal the yearly row', async () => {
    const db = await t.open();
    const dir = t.tempDir();
    await importFixture(db, dir, { procedures: true });
    const out = join(dir, 'out', 'bao-cao.xlsx');
    const result = await writeReport(db, { query: { period: PERIOD }, out });
    expect(result.path).toBe(out);
    expect(result.sheets).toEqual(SHEETS.filter((s) => !['chi-so-766', 'xep-hang'].includes(s.slug)).map((s) => s.name));
    expect(result.sheets).toEqual(['Theo năm', 'Theo tháng', 'Theo đơn vị', 'Biểu 06', 'Danh mục TTHC', 'Chỉ tiêu', 'Biểu đồ', 'Thuyết minh']);

    const wb = await readWorkbook(out);
    expect(wb.worksheets.map((w) => w.name)).toEqual(result.sheets);

    // Theo năm: one row per level and year.
    const years = await computeStats(db, { period: PERIOD, by: ['year', 'level'] });
    const nam = sheet(wb, 'Theo năm');
    const top = findRow(nam, 1, 'Cấp');
    const columns = headerColumns(nam, top, 2);
    expect(years.length).toBe(4);
    for (const row of years) {
      let r = findRow(nam, 1, LEVEL_NAMES[row.level!], top + 1);
      while (text(nam.getCell(r, 2)) !== String(row.year)) r++;
      expectFlowRow(columns, nam, r, row);
    }
    // By hand, district 2021: 2 online + 1 liên thông new, 1 carried over from 2020; early, on time, late one
    // each; the liên thông one still pending (due 10/01/2022) → 2/3 early or on time.
    const h2021 = findRow(nam, 1, 'Cấp huyện', top + 1);
    expect(text(nam.getCell(h2021, 2))).toBe('2021');
    const at = (header: string) => num(nam.getCell(h2021, columns.get(header)!));
    expect(at(figureHeader('receivedOnline'))).toBe(2);
    expect(at(figureHeader('receivedLienThong'))).toBe(1);
    expect(at(figureHeader('receivedTotal'))).toBe(3);
    expect(at(figureHeader('carriedOver'))).toBe(1);
    expect(at('Tổng số hồ sơ nhận giải quyết')).toBe(4);
    expect(at(figureHeader('resolvedEarly'))).toBe(1);
    expect(at(figureHeader('resolvedOnTime'))).toBe(1);
    expect(at(figureHeader('resolvedLate'))).toBe(1);
    expect(at(figureHeader('pendingOnTime'))).toBe(1);
    expect(at('Tỷ lệ giải quyết sớm và đúng hạn')).toBeCloseTo(2 / 3, 12);
    // Totals are formulas over their parts, with the results cached.
    expect(formulaOf(nam.getCell(h2021, columns.get(figureHeader('receivedTotal'))!))).toMatch(/\+/);
    expect(formulaOf(nam.getCell(h2021, columns.get('Tỷ lệ giải quyết sớm và đúng hạn')!))).toMatch(/^IF\(/);
    expect(expectSumsAgree(nam)).toBeGreaterThan(0);

    // Theo tháng: each month as computeStats says, and "Cộng năm" lines that equal the yearly rows.
    const months = await computeStats(db, { period: PERIOD, by: ['month', 'level'] });
    const thang = sheet(wb, 'Theo tháng');
    const mTop = findRow(thang, 1, 'Tháng');
    const mColumns = headerColumns(thang, mTop, 2);
    for (const level of ['huyen', 'xa'] as const) {
      const start = findRow(thang, 1, LEVEL_NAMES[level], mTop + 1);
      for (const row of months.filter((m) => m.level === level)) {
        const r = findRow(thang, 1, `${row.month!.slice(5)}/${row.month!.slice(0, 4)}`, start);
        expectFlowRow(mColumns, thang, r, row);
      }
      for (const row of years.filter((y) => y.level === level)) {
        const r = findRow(thang, 1, `Cộng năm ${row.year}`, start);
        expectFlowRow(mColumns, thang, r, row);
        expect(formulaOf(thang.getCell(r, mColumns.get(figureHeader('resolvedEarly'))!))).toMatch(/^SUM\(/);
      }
    }
    expect(expectSumsAgree(thang)).toBeGreaterThan(20);
  });

  it('Theo đơn vị: units grouped by level with subtotal lines, sorted by online rate, one column group per --compare period', async () => {
    const db = await t.open();
    const dir = t.tempDir();
    await importFixture(db, dir);
    const out = join(dir, 'don-vi.xlsx');
    const compare = parseComparePeriods(['2021', '2022-01..2022-06', '2022']);
    await writeReport(db, { query: { period: PERIOD }, out, sheets: ['theo-don-vi'], compare });
    const wb = await readWorkbook(out);
    expect(wb.worksheets.map((w) => w.name)).toEqual(['Theo đơn vị']);
    const ws = sheet(wb, 'Theo đơn vị');
    const top = findRow(ws, 1, 'STT');
    const columns = headerColumns(ws, top, 3);
    const col = (period: string, name: string) => {
      const c = columns.get(`${period} / ${name}`) ?? columns.get(`${period} / Trong đó / ${name}`);
      if (!c) throw new Error(`no column ${period} / ${name}: ${[...columns.keys()].join(' | ')}`);
      return c;
    };
    const P = ['Năm 2021', 'Tháng 1–6/2022', 'Năm 2022'];
    const figures = (r: number, p: string) => [
      num(ws.getCell(r, col(p, 'Tổng số hồ sơ tiếp nhận'))),
      num(ws.getCell(r, col(p, 'Một cửa (trực tiếp, bưu chính)'))),
      num(ws.getCell(r, col(p, 'Trực tuyến'))),
      num(ws.getCell(r, col(p, 'Tỷ lệ trực tuyến'))),
    ];
    // Lines in order: group I (district) and its office, group II (communes) and its communes, the grand total.
    const labels = [];
    for (let r = top + 3; r <= top + 8; r++) labels.push(text(ws.getCell(r, 2)));
    // Communes sorted by the 2022 online rate: Ấm Hạ 1/1 before Gia Điền 1/2.
    expect(labels).toEqual(['Cấp huyện', 'UBND huyện Hạ Hoà', 'Cấp xã', 'UBND xã Ấm Hạ', 'UBND xã Gia Điền', 'Tổng cộng']);
    const [groupH, h, groupX, x1, x2, total] = [0, 1, 2, 3, 4, 5].map((i) => top + 3 + i);
    // By hand: district 2021 = 2 online + 1 liên thông; first half 2022 = 1 direct + 1 online;
    // 2022 = 1 direct + 1 online + 1 postal.
    expect(figures(h, P[0])).toEqual([3, 0, 2, 2 / 3]);
    expect(figures(h, P[1])).toEqual([2, 1, 1, 0.5]);
    expect(figures(h, P[2])).toEqual([3, 2, 1, 1 / 3]);
    expect(figures(x1, P[0])).toEqual([2, 1, 1, 0.5]);
    // No receipts: 0 / 0 / 0 and a rate of 0, shown "0,00 %" as Phụ lục 02 prints it.
    expect(figures(x1, P[1])).toEqual([0, 0, 0, 0]);
    expect(figures(x1, P[2])).toEqual([1, 0, 1, 1]);
    expect(figures(x2, P[0])).toEqual([0, 0, 0, 0]);
    expect(ws.getCell(x2, col(P[0], 'Tỷ lệ trực tuyến')).numFmt).toBe('0.00 %');
    expect(figures(x2, P[2])).toEqual([2, 1, 1, 0.5]);
    expect(figures(groupX, P[0])).toEqual([2, 1, 1, 0.5]);
    expect(figures(groupX, P[2])).toEqual([3, 1, 2, 2 / 3]);
    expect(figures(groupH, P[2])).toEqual([3, 2, 1, 1 / 3]);
    expect(figures(total, P[0])).toEqual([5, 1, 3, 0.6]);
    // 2022: direct H-5, X2-1; postal H-7; online H-6, X1-3, X2-2.
    expect(figures(total, P[2])).toEqual([6, 3, 3, 0.5]);
    // Subtotals add their units up and the grand total adds the groups.
    const c = col(P[2], 'Tổng số hồ sơ tiếp nhận');
    const letter = ws.getColumn(c).letter;
    expect(formulaOf(ws.getCell(groupX, c))).toBe(`SUM(${letter}${x1}:${letter}${x2})`);
    expect(formulaOf(ws.getCell(total, c))).toBe(`SUM(${letter}${groupH},${letter}${groupX})`);
    expect(expectSumsAgree(ws)).toBe(3 * 3 * 3);
    expect(ws.getCell(total, col(P[2], 'Tỷ lệ trực tuyến')).numFmt).toBe('0.00 %');
  });

  it('Biểu 06: the form with its 13 numbered columns, rows by level then field, subtotals and total', async () => {
    const db = await t.open();
    const dir = t.tempDir();
    await importFixture(db, dir);
    const out = join(dir, 'bieu-06.xlsx');
    await writeReport(db, { query: { period: { from: '2022-01-01', to: '2022-12-31' } }, out, sheets: ['bieu-06'] });
    const ws = sheet(await readWorkbook(out), 'Biểu 06');
    const all: string[] = [];
    ws.eachRow((row) => row.eachCell((cell) => all.push(text(cell))));
    expect(all.some((s) => s.startsWith('Biểu số 06/VPCP/KSTT'))).toBe(true);
    expect(all).toContain('TÌNH HÌNH, KẾT QUẢ GIẢI QUYẾT TTHC TẠI CƠ QUAN, ĐƠN VỊ TRỰC TIẾP GIẢI QUYẾT TTHC');
    expect(all).toContain('(Từ ngày 01/01/2022 đến ngày 31/12/2022)');
    expect(all).toContain('Đơn vị tính: Số hồ sơ TTHC');
    expect(all.some((s) => s.includes('"Đúng hạn" bao gồm cả hồ sơ trả lại'))).toBe(true);

    const top = findRow(ws, 1, 'STT');
    const numbered = findRow(ws, 1, '(1)');
    expect(numbered).toBe(top + 3);
    expect(Array.from({ length: 13 }, (_, i) => text(ws.getCell(numbered, i + 1)))).toEqual(
      Array.from({ length: 13 }, (_, i) => `(${i + 1})`),
    );
    expect(text(ws.getCell(numbered, 14))).toBe('');
    const headers = headerColumns(ws, top, 3);
    expect([...headers.keys()].slice(0, 13)).toEqual([
      'STT',
      'Lĩnh vực',
      'Số hồ sơ nhận giải quyết / Tổng số',
      'Số hồ sơ nhận giải quyết / Trong kỳ / Trực tuyến',
      'Số hồ sơ nhận giải quyết / Trong kỳ / Trực tiếp và dịch vụ bưu chính',
      'Số hồ sơ nhận giải quyết / Từ kỳ trước',
      'Số hồ sơ đã giải quyết / Tổng số',
      'Số hồ sơ đã giải quyết / Trước hạn',
      'Số hồ sơ đã giải quyết / Đúng hạn',
      'Số hồ sơ đã giải quyết / Quá hạn',
      'Số hồ sơ đang giải quyết / Tổng số',
      'Số hồ sơ đang giải quyết / Trong hạn',
      'Số hồ sơ đang giải quyết / Quá hạn',
    ]);
    const line = (r: number) => Array.from({ length: 11 }, (_, i) => num(ws.getCell(r, i + 3)));
    const rowOf = (label: string) => findRow(ws, 2, label, numbered);
    const huyen = rowOf('Cấp huyện');
    expect(text(ws.getCell(huyen, 1))).toBe('I');
    // By hand (2022). District: BHXH online early; Đất đai: rejected (→ Đúng hạn) and postal pending overdue;
    // Hộ tịch: carried over from 2021, early.
    expect(line(findRow(ws, 2, 'Bảo hiểm xã hội', huyen))).toEqual([1, 1, 0, 0, 1, 1, 0, 0, 0, 0, 0]);
    expect(line(findRow(ws, 2, 'Đất đai', huyen))).toEqual([2, 0, 2, 0, 1, 0, 1, 0, 1, 0, 1]);
    expect(line(findRow(ws, 2, 'Hộ tịch', huyen))).toEqual([1, 0, 0, 1, 1, 1, 0, 0, 0, 0, 0]);
    expect(line(huyen)).toEqual([4, 1, 2, 1, 3, 2, 1, 0, 1, 0, 1]);
    const xa = rowOf('Cấp xã');
    expect(text(ws.getCell(xa, 1))).toBe('II');
    expect(line(findRow(ws, 2, 'Đất đai', xa))).toEqual([1, 0, 1, 0, 1, 0, 1, 0, 0, 0, 0]);
    expect(line(findRow(ws, 2, 'Hộ tịch', xa))).toEqual([2, 2, 0, 0, 1, 0, 1, 0, 1, 1, 0]);
    expect(line(xa)).toEqual([3, 2, 1, 0, 2, 0, 2, 0, 1, 1, 0]);
    const total = rowOf('Tổng cộng');
    expect(line(total)).toEqual([7, 3, 3, 1, 5, 2, 3, 0, 2, 1, 1]);
    expect(formulaOf(ws.getCell(total, 4))).toBe(`SUM(D${huyen},D${xa})`);
    expect(formulaOf(ws.getCell(huyen, 3))).toBe(`D${huyen}+E${huyen}+F${huyen}`);
    expectSumsAgree(ws);
  });

  it('Danh mục TTHC and Chỉ tiêu (with --targets), with shares and the gap to the target', async () => {
    const db = await t.open();
    const dir = t.tempDir();
    await importFixture(db, dir, { procedures: true });
    const out = join(dir, 'chi-tieu.xlsx');
    const targets = { source: 'Kế hoạch thử', year: 2025, onlineRate: { huyen: 0.5, xa: 0.9, all: 0.6 } };
    await writeReport(db, { query: { period: PERIOD }, out, sheets: ['chi-tieu', 'danh-muc'], targets });
    const wb = await readWorkbook(out);
    expect(wb.worksheets.map((w) => w.name)).toEqual(['Danh mục TTHC', 'Chỉ tiêu']);

    const dm = sheet(wb, 'Danh mục TTHC');
    const dTop = findRow(dm, 1, 'Cấp thực hiện');
    const h = findRow(dm, 1, 'Cấp huyện', dTop + 1);
    // District: 2 at mức độ 2, 1 at 3, 1 at 4 (written "Toàn trình"); communes: one at 2, one at 4.
    expect(Array.from({ length: 7 }, (_, i) => num(dm.getCell(h, i + 2)))).toEqual([4, 2, 0.5, 1, 0.25, 1, 0.25]);
    const x = findRow(dm, 1, 'Cấp xã', dTop + 1);
    expect(Array.from({ length: 7 }, (_, i) => num(dm.getCell(x, i + 2)))).toEqual([2, 1, 0.5, 0, 0, 1, 0.5]);
    const total = findRow(dm, 1, 'Tổng cộng', dTop + 1);
    expect(num(dm.getCell(total, 2))).toBe(6);
    expect(num(dm.getCell(total, 3))).toBe(3);
    expect(formulaOf(dm.getCell(total, 3))).toBe(`SUM(C${h}:C${x})`);

    const ct = sheet(wb, 'Chỉ tiêu');
    const cTop = findRow(ct, 1, 'Cấp');
    const cols = headerColumns(ct, cTop, 1);
    const rowFor = (level: string, year: string) => {
      let r = findRow(ct, 1, level, cTop);
      while (text(ct.getCell(r, 2)) !== year) r++;
      return r;
    };
    const get = (r: number, header: string) => ct.getCell(r, cols.get(header)!);
    // District 2022: 1 online of 3 → 33,33 % against 50 %: gap −16,67 points, not met.
    const h22 = rowFor('Cấp huyện', '2022');
    expect(num(get(h22, 'Tỷ lệ trực tuyến'))).toBeCloseTo(1 / 3, 12);
    expect(num(get(h22, 'Chỉ tiêu năm 2025'))).toBe(0.5);
    expect(num(get(h22, 'Chênh lệch so với chỉ tiêu'))).toBeCloseTo(1 / 3 - 0.5, 12);
    expect(text(get(h22, 'Đánh giá'))).toBe('Chưa đạt');
    // Communes 2022: 2 online of 3 (66,67 %) against 90 %; 2021: 1 of 2.
    expect(text(get(rowFor('Cấp xã', '2022'), 'Đánh giá'))).toBe('Chưa đạt');
    // All levels 2021: 3 online of 5 new = 60 % against 60 %: met.
    const all21 = rowFor('Chung các cấp', '2021');
    expect(num(get(all21, 'Tỷ lệ trực tuyến'))).toBeCloseTo(0.6, 12);
    expect(text(get(all21, 'Đánh giá'))).toBe('Đạt');
    expect(formulaOf(get(all21, 'Đánh giá'))).toMatch(/Đạt/);
  });

  it('Biểu đồ: two charts as PNG and SVG beside the workbook, embedded, with the figures behind them', async () => {
    const db = await t.open();
    const dir = t.tempDir();
    await importFixture(db, dir);
    const out = join(dir, 'bieu-do.xlsx');
    const result = await writeReport(db, { query: { period: PERIOD }, out, sheets: ['bieu-do'] });
    for (const name of ['bieu-do-ty-le-truc-tuyen', 'bieu-do-ty-le-dung-han']) {
      const png = readFileSync(join(dir, `${name}.png`));
      expect(png.subarray(1, 4).toString('latin1')).toBe('PNG');
      expect(png.subarray(12, 16).toString('latin1')).toBe('IHDR');
      expect(png.readUInt32BE(16)).toBe(CHART_WIDTH * CHART_SCALE);
      expect(png.readUInt32BE(20)).toBe(CHART_HEIGHT * CHART_SCALE);
      const svg = readFileSync(join(dir, `${name}.svg`), 'utf8');
      expect(svg).toContain(`width="${CHART_WIDTH}" height="${CHART_HEIGHT}"`);
      expect(svg).toContain('Cấp huyện');
      expect(result.files).toContain(join(dir, `${name}.png`));
    }
    const wb = await readWorkbook(out);
    const ws = sheet(wb, 'Biểu đồ');
    expect(ws.getImages().length).toBe(2);
    const months = await computeStats(db, { period: PERIOD, by: ['month', 'level'] });
    const top = findRow(ws, 1, 'Tháng');
    const columns = headerColumns(ws, top, 2);
    for (const row of months) {
      const r = findRow(ws, 1, `${row.month!.slice(5)}/${row.month!.slice(0, 4)}`, top);
      const online = num(ws.getCell(r, columns.get(`Tỷ lệ trực tuyến / ${LEVEL_NAMES[row.level!]}`)!));
      const onTime = num(ws.getCell(r, columns.get(`Tỷ lệ sớm và đúng hạn / ${LEVEL_NAMES[row.level!]}`)!));
      expect(online).toBe(row.onlineRate);
      expect(onTime).toBe(row.onTimeRate);
    }
  });
});

describeEachDatabase('report text', (t) => {
  it('Thuyết minh: the Hạ Hoà sentence for each level and year, vi-VN numbers, the excluded field named', async () => {
    const db = await t.open();
    const dir = t.tempDir();
    await importFixture(db, dir);
    const out = join(dir, 'thuyet-minh.xlsx');
    const filters = { excludeField: ['Bảo hiểm xã hội'] };
    await writeReport(db, { query: { period: { from: '2022-01-01', to: '2022-12-31' }, filters }, out, sheets: ['thuyet-minh'] });
    const ws = sheet(await readWorkbook(out), 'Thuyết minh');
    const r = findRow(ws, 1, 'Cấp huyện');
    // District 2022 without BHXH: 1 carried over + 2 new (1 direct, 1 postal); resolved: 1 early (carried one),
    // 1 rejected; the postal one pending → 1/2 early or on time.
    expect(text(ws.getCell(r, 3))).toBe(
      'Năm 2022, hệ thống một cửa điện tử của huyện đã tiếp nhận, giải quyết 3 hồ sơ (không tính hồ sơ lĩnh vực Bảo hiểm xã hội). ' +
        'Trong đó số từ kỳ trước chuyển sang 1 hồ sơ; số mới tiếp nhận 2 hồ sơ, gồm: tiếp nhận trực tiếp 1 hồ sơ, chiếm 50,0 %; ' +
        'tiếp nhận trực tuyến 0 hồ sơ, chiếm 0,0 %; tiếp nhận qua dịch vụ bưu chính công ích 1 hồ sơ, chiếm 50,0 %. ' +
        'Đã giải quyết 2 hồ sơ, trong đó trước hạn 1 hồ sơ, đúng hạn 0 hồ sơ, quá hạn 0 hồ sơ, từ chối giải quyết 1 hồ sơ; ' +
        'đang giải quyết 1 hồ sơ; tỷ lệ giải quyết sớm và đúng hạn đạt 50,0 %.',
    );
    const x = findRow(ws, 1, 'Cấp xã');
    expect(text(ws.getCell(x, 3))).toContain('hệ thống một cửa điện tử cấp xã đã tiếp nhận, giải quyết 3 hồ sơ');
    expect(text(ws.getCell(x, 3))).toContain('tỷ lệ giải quyết sớm và đúng hạn đạt 100,0 %.');
    expect(existsSync(join(dir, 'thuyet-minh-ty-le-truc-tuyen.png'))).toBe(false);
  });
});
