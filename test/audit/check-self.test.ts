import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, describe, expect, it } from 'vitest';
import { parseFigure, parsePeriod, parseValue, readPublishedTable } from '../../src/audit/published.ts';
import { checkSelf, percentConsistent, type SelfFinding } from '../../src/audit/self-check.ts';

// `tthc check --self` on the Hạ Hoà report's figures, whose known faults are listed by hand in the reference
// file's notes, and on a table of consistent figures with planted errors: every fault found, nothing else.

const dir = mkdtempSync(join(tmpdir(), 'tthc-check-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

type Row = [period: string, scope: string, figure: string, value: string | number];
const csv = (rows: Row[]) =>
  ['Kỳ,Cấp / đơn vị,Chỉ tiêu,Giá trị công bố', ...rows.map((r) => r.map((c) => (/[",]/.test(String(c)) ? `"${String(c).replace(/"/g, '""')}"` : String(c))).join(','))].join('\n') + '\n';
let files = 0;
async function check(rows: Row[]): Promise<SelfFinding[]> {
  const file = join(dir, `bang-${++files}.csv`);
  writeFileSync(file, csv(rows));
  const { figures, unread } = await readPublishedTable(file);
  expect(unread).toEqual([]);
  expect(figures).toHaveLength(rows.length);
  return checkSelf(figures);
}
/** A finding as "row: rule", the row being the file's line (the header is line 1). */
const found = (findings: SelfFinding[]) => findings.map((f) => `${f.figure.rowNumber}: ${f.rule}`).sort();

interface ReferencePeriod {
  level: 'huyen' | 'xa';
  from: string;
  to: string;
  received: { direct: number; online: number; lien_thong: number; carried_over: number | null };
  resolved: { early: number; on_time: number; late: number; rejected: number; total: number };
  pending: number | null;
  published_total_received: number | null;
  published_on_time_rate: number | null;
  published_pct: Record<string, number>;
}

/**
 * The reference file as a writer would copy the report into a table. The percentages are shares of the sentence's
 * total, "đã tiếp nhận, giải quyết N hồ sơ" (receipts + carried over: 2021's 43,1 % + 54 % + 2,87 % = 100 % of
 * 11.450), so each is written "X / toHandle". A percentage is written with the digits the file's number has:
 * 70.0 and 54.0 are the report's "70%" and "54%" (69,75 % and 54,03 % round to them; the notes find no fault).
 */
function hahoaRows(): Array<Row & { key: string }> {
  const reference = JSON.parse(readFileSync(new URL('../fixtures/reference/ha-hoa-2020-2023.json', import.meta.url), 'utf8'));
  const rows: Array<Row & { key: string }> = [];
  const pct = (x: number) => `${String(x).replace('.', ',')} %`;
  const shareOf: Record<string, string> = { direct: 'receivedDirect', online: 'receivedOnline', lien_thong: 'receivedLienThong', carried_over: 'carriedOver' };
  for (const p of reference.periods as ReferencePeriod[]) {
    const period = p.to.endsWith('-12-31') ? `Năm ${p.from.slice(0, 4)}` : `${p.from}..${p.to}`;
    const scope = p.level === 'huyen' ? 'Cấp huyện' : 'Cấp xã';
    const add = (figure: string, value: number | string | null) => {
      if (value === null) return;
      const row = [period, scope, figure, value] as Row & { key: string };
      row.key = `${p.level} ${p.from.slice(0, 4)} ${figure}`;
      rows.push(row);
    };
    add('receivedDirect', p.received.direct);
    add('receivedOnline', p.received.online);
    add('receivedLienThong', p.received.lien_thong);
    add('carriedOver', p.received.carried_over);
    add('Tổng số hồ sơ nhận giải quyết', p.published_total_received);
    add('resolvedEarly', p.resolved.early);
    add('resolvedOnTime', p.resolved.on_time);
    add('resolvedLate', p.resolved.late);
    add('resolvedRejected', p.resolved.rejected);
    add('resolvedTotal', p.resolved.total);
    add('pendingTotal', p.pending);
    add('Tỷ lệ giải quyết sớm và đúng hạn', p.published_on_time_rate === null ? null : pct(p.published_on_time_rate));
    for (const [what, value] of Object.entries(p.published_pct)) add(`${shareOf[what]} / toHandle`, pct(value));
  }
  return rows;
}

describe('tthc check --self on the Hạ Hoà report', () => {
  it('finds the faults the reference notes list, and those the notes missed, nothing else', async () => {
    const rows = hahoaRows();
    const findings = await check(rows);
    const at = (key: string) => rows.findIndex((r) => r.key === key) + 2;
    const toHandle = 'Tổng số hồ sơ nhận giải quyết';
    expect(found(findings)).toEqual(
      [
        // "huyen 2020: percentages use direct+online (10,639) as denominator": none of the three is a share of the
        // 10.861 dossiers handled (99,6 + 0,33 + 2,09 = 102 %).
        `${at('huyen 2020 receivedDirect / toHandle')}: rate`,
        `${at('huyen 2020 receivedOnline / toHandle')}: rate`,
        `${at('huyen 2020 carriedOver / toHandle')}: rate`,
        // "huyen 2022: parts 486+2,889+9,317+572 = 13,264, not 13,358; 572/13,358 = 4.3%, printed 4,8%". The note's
        // "resolved 12,623 + pending 434 = 13,057" is no contradiction while withdrawn dossiers go unpublished: the
        // 301 left would be them.
        `${at(`huyen 2022 ${toHandle}`)}: parts`,
        `${at('huyen 2022 carriedOver / toHandle')}: rate`,
        // "huyen 2023: parts sum to 4,459, not 4,568; percentages use new receipts (3,964) as denominator and are
        // truncated": the four shares fit neither the total nor, rounded, the new receipts.
        `${at(`huyen 2023 ${toHandle}`)}: parts`,
        `${at('huyen 2023 receivedDirect / toHandle')}: rate`,
        `${at('huyen 2023 receivedOnline / toHandle')}: rate`,
        `${at('huyen 2023 receivedLienThong / toHandle')}: rate`,
        `${at('huyen 2023 carriedOver / toHandle')}: rate`,
        // "xa 2021: parts sum to 34,369, not 34,390".
        `${at(`xa 2021 ${toHandle}`)}: parts`,
        // "xa 2022: total 33,813 = direct+online only (carried 14 left out); 13,899/33,813 = 41.1%, printed 41,2%".
        `${at(`xa 2022 ${toHandle}`)}: parts`,
        `${at('xa 2022 receivedOnline / toHandle')}: rate`,
        // "xa 2023: resolved 10,662 + pending 56 exceeds received 10,322 with no carried-over figure given".
        `${at(`xa 2023 ${toHandle}`)}: flow`,
        // Not in the notes, and as wrong by the same measure. xa 2020: 16 / 65.522 = 0,024 %, printed 0,01 %.
        `${at('xa 2020 receivedOnline / toHandle')}: rate`,
        // xa 2021: 26.682 / 34.390 = 77,59 %, printed 77,5 %; xa 2022: 19.914 / 33.813 = 58,89 %, printed 58,8 %:
        // truncated, as the notes say of huyen 2023.
        `${at('xa 2021 receivedDirect / toHandle')}: rate`,
        `${at('xa 2022 receivedDirect / toHandle')}: rate`,
      ].sort(),
    );
    // What the findings say, checked on two of them by hand.
    const xa2023 = findings.find((f) => f.rule === 'flow')!;
    expect(xa2023.expected).toBe(10_662 + 56);
    expect(xa2023.message).toContain('10.718');
    const huyen2022 = findings.find((f) => f.figure.rowNumber === at(`huyen 2022 ${toHandle}`))!;
    expect(huyen2022.expected).toBe(486 + 9_317 + 2_889 + 572);
    // xa 2020's 99,9 % for 65.506 / 65.522 = 99,976 %: not all, so not printed 100 %; accepted.
    expect(rows[at('xa 2020 receivedDirect / toHandle') - 2][3]).toBe('99,9 %');
  });

  it('finds the two faults of the 2021 figures restated in the 2022 paragraph', async () => {
    // "a second paragraph (inside the 2022 text) gives 2021 as 12,499 received: direct 4,522 (36,2%), online 7,449
    // (60%), carried 401 (3,8%), liên thông 5; these parts sum to 12,377 and 401/12,499 = 3.2%".
    const rows: Row[] = [
      ['Năm 2021', 'Cấp huyện', 'Tổng số hồ sơ nhận giải quyết', '12.499'],
      ['Năm 2021', 'Cấp huyện', 'Tiếp nhận trực tiếp', '4.522'],
      ['Năm 2021', 'Cấp huyện', 'Tiếp nhận trực tiếp / Tổng số hồ sơ nhận giải quyết', '36,2%'],
      ['Năm 2021', 'Cấp huyện', 'Tiếp nhận trực tuyến', '7.449'],
      ['Năm 2021', 'Cấp huyện', 'receivedOnline / toHandle', '60%'],
      ['Năm 2021', 'Cấp huyện', 'Từ kỳ trước', '401'],
      ['Năm 2021', 'Cấp huyện', 'carriedOver / toHandle', '3,8%'],
      ['Năm 2021', 'Cấp huyện', 'Tiếp nhận liên thông', '5'],
    ];
    const findings = await check(rows);
    expect(found(findings)).toEqual(['2: parts', '8: rate']);
    expect(findings.find((f) => f.rule === 'parts')!.expected).toBe(12_377);
    expect(findings.find((f) => f.rule === 'rate')!.expected).toBeCloseTo((100 * 401) / 12_499, 9);
  });
});

/**
 * A table that adds up everywhere: a year of a district by level and in total, the year and its twelve months
 * (receipts by channel), and a province's quarter. The counts are made up; every rate is rounded as printed.
 */
function consistentTable(): Row[] {
  const rows: Row[] = [];
  const levels = {
    'Cấp huyện': { direct: 486, online: 9317, lienThong: 2889, carried: 572, early: 7866, onTime: 4494, late: 114, rejected: 149, withdrawn: 207, pendingOnTime: 400, pendingOverdue: 34 },
    'Cấp xã': { direct: 19914, online: 13899, lienThong: 0, carried: 14, early: 33443, onTime: 0, late: 272, rejected: 20, withdrawn: 54, pendingOnTime: 30, pendingOverdue: 8 },
  };
  const figures = (scope: string, v: (typeof levels)['Cấp huyện']) => {
    const received = v.direct + v.online + v.lienThong;
    const resolved = v.early + v.onTime + v.late + v.rejected;
    const pending = v.pendingOnTime + v.pendingOverdue;
    const pct = (part: number, whole: number) => `${(Math.round((1000 * part) / whole) / 10).toFixed(1).replace('.', ',')} %`;
    rows.push(
      ['Năm 2022', scope, 'Tiếp nhận trực tiếp', v.direct],
      ['Năm 2022', scope, 'Tiếp nhận trực tuyến', v.online],
      ['Năm 2022', scope, 'Tiếp nhận liên thông', v.lienThong],
      ['Năm 2022', scope, 'Tổng số mới tiếp nhận', received],
      ['Năm 2022', scope, 'Từ kỳ trước', v.carried],
      ['Năm 2022', scope, 'Tổng số hồ sơ nhận giải quyết', received + v.carried],
      ['Năm 2022', scope, 'Giải quyết trước hạn', v.early],
      ['Năm 2022', scope, 'Giải quyết đúng hạn', v.onTime],
      ['Năm 2022', scope, 'Giải quyết quá hạn', v.late],
      ['Năm 2022', scope, 'Từ chối giải quyết', v.rejected],
      ['Năm 2022', scope, 'Tổng đã giải quyết', resolved],
      ['Năm 2022', scope, 'Công dân rút hồ sơ', v.withdrawn],
      ['Năm 2022', scope, 'Đang giải quyết trong hạn', v.pendingOnTime],
      ['Năm 2022', scope, 'Đang giải quyết quá hạn', v.pendingOverdue],
      ['Năm 2022', scope, 'Tổng đang giải quyết', pending],
      ['Năm 2022', scope, 'Tỷ lệ giải quyết sớm và đúng hạn', pct(v.early + v.onTime, resolved)],
      ['Năm 2022', scope, 'Tỷ lệ trực tuyến', pct(v.online, received)],
    );
    // The flow holds by construction: pending = carried + received − resolved − withdrawn.
    expect(v.carried + received - resolved - v.withdrawn).toBe(pending);
  };
  figures('Cấp huyện', levels['Cấp huyện']);
  figures('Cấp xã', levels['Cấp xã']);
  const h = levels['Cấp huyện'];
  const x = levels['Cấp xã'];
  const sum = (k: keyof typeof h) => h[k] + x[k];
  figures('Toàn huyện', Object.fromEntries(Object.keys(h).map((k) => [k, sum(k as keyof typeof h)])) as typeof h);
  // The district level's year by month: receipts by channel.
  const months = Array.from({ length: 12 }, (_, i) => ({
    direct: i < 6 ? 40 : 41,
    online: i === 11 ? 9317 - 11 * 776 : 776,
    lienThong: i === 0 ? 2889 - 11 * 240 : 240,
  }));
  months.forEach((m, i) => {
    const period = `Tháng ${i + 1}/2022`;
    rows.push(
      [period, 'Cấp huyện', 'receivedDirect', m.direct],
      [period, 'Cấp huyện', 'receivedOnline', m.online],
      [period, 'Cấp huyện', 'receivedLienThong', m.lienThong],
      [period, 'Cấp huyện', 'receivedTotal', m.direct + m.online + m.lienThong],
    );
  });
  // A province's quarter, with rates at the edges of their rounding: 97,85 % printed 97,9 %, 99,976 % printed 99,9 %.
  rows.push(
    ['Quý I/2023', 'Cấp tỉnh', 'receivedOnline', '2.521'],
    ['Quý I/2023', 'Cấp tỉnh', 'receivedDirect', '4.255'],
    ['Quý I/2023', 'Cấp tỉnh', 'receivedTotal', '6.776'],
    ['Quý I/2023', 'Cấp tỉnh', 'onlineRate', '37,2 %'],
    ['Quý I/2023', 'Cấp tỉnh', 'directShare', '62,8%'],
    ['Quý I/2023', 'Cấp tỉnh', 'resolvedEarly', 3_000],
    ['Quý I/2023', 'Cấp tỉnh', 'resolvedOnTime', 914],
    ['Quý I/2023', 'Cấp tỉnh', 'resolvedLate', 86],
    ['Quý I/2023', 'Cấp tỉnh', 'resolvedTotal', 4_000],
    ['Quý I/2023', 'Cấp tỉnh', 'onTimeRate', '97,9 %'],
    ['2023-Q2', 'Cấp tỉnh', 'resolvedEarly', 41_990],
    ['2023-Q2', 'Cấp tỉnh', 'resolvedLate', 10],
    ['2023-Q2', 'Cấp tỉnh', 'resolvedOnTime', 0],
    ['2023-Q2', 'Cấp tỉnh', 'resolvedRejected', 0],
    ['2023-Q2', 'Cấp tỉnh', 'onTimeRate', '99,9 %'],
  );
  expect((100 * 3914) / 4000).toBe(97.85);
  return rows;
}

describe('tthc check --self on planted errors', () => {
  it('finds nothing in a table that adds up', async () => {
    expect(await check(consistentTable())).toEqual([]);
  });

  it('finds every planted error and no other', async () => {
    const rows = consistentTable();
    const line = (period: string, scope: string, figure: string) => {
      const i = rows.findIndex((r) => r[0] === period && r[1] === scope && r[2] === figure);
      expect(i, `${period} ${scope} ${figure}`).toBeGreaterThanOrEqual(0);
      return i;
    };
    // 1. The district total's new receipts off by one (13.358 → 13.359 would be 36.506 → 36.507 here).
    const total = line('Năm 2022', 'Toàn huyện', 'Tổng số mới tiếp nhận');
    rows[total][3] = Number(rows[total][3]) + 1;
    // 2. Kon Tum Q1/2023: 2.521 / 6.776 printed 37,76 %; it is 37,20 %.
    const rate = line('Quý I/2023', 'Cấp tỉnh', 'onlineRate');
    rows[rate][3] = '37,76 %';
    // 3. May's online receipts 10 more than the year's months leave room for (the month itself adds up).
    const mayOnline = line('Tháng 5/2022', 'Cấp huyện', 'receivedOnline');
    const mayTotal = line('Tháng 5/2022', 'Cấp huyện', 'receivedTotal');
    rows[mayOnline][3] = Number(rows[mayOnline][3]) + 10;
    rows[mayTotal][3] = Number(rows[mayTotal][3]) + 10;

    const findings = await check(rows);
    const yearOnline = line('Năm 2022', 'Cấp huyện', 'Tiếp nhận trực tuyến');
    const yearTotal = line('Năm 2022', 'Cấp huyện', 'Tổng số mới tiếp nhận');
    expect(found(findings)).toEqual(
      [
        // The total against its own channels, and against the levels; and "to handle", which adds it up.
        `${total + 2}: parts`,
        `${total + 2}: levels`,
        `${line('Năm 2022', 'Toàn huyện', 'Tổng số hồ sơ nhận giải quyết') + 2}: parts`,
        `${rate + 2}: rate`,
        // The year's online and total receipts against the sum of the months.
        `${yearOnline + 2}: months`,
        `${yearTotal + 2}: months`,
      ].sort(),
    );
    const kontum = findings.find((f) => f.rule === 'rate')!;
    expect(kontum.expected).toBeCloseTo((100 * 2521) / 6776, 9);
    expect(kontum.message).toBe('2.521 / 6.776 = 37,2048 %, công bố 37,76 %');
    const months = findings.find((f) => f.rule === 'months' && f.figure.rowNumber === yearOnline + 2)!;
    expect(months.expected).toBe(9317 + 10);
    expect(months.parts.map((p) => p.rowNumber)).toContain(mayOnline + 2);
    expect(findings.find((f) => f.rule === 'levels')!.expected).toBe(486 + 9317 + 2889 + 19914 + 13899);
  });

  it('reads the table from a workbook with title rows above its header', async () => {
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('Số liệu');
    sheet.addRow(['SỐ LIỆU TRÍCH TỪ BÁO CÁO QUÝ I/2023']);
    sheet.addRow([]);
    sheet.addRow(['Kỳ', 'Cấp / đơn vị', 'Chỉ tiêu', 'Giá trị công bố', 'Nguồn']);
    sheet.addRow(['Quý I/2023', 'Tỉnh', 'Tiếp nhận trực tuyến', 2521, 'trang 3']);
    sheet.addRow(['Quý I/2023', 'Tỉnh', 'Tổng mới tiếp nhận', '6.776', 'trang 3']);
    sheet.addRow(['Quý I/2023', 'Tỉnh', 'Tỷ lệ trực tuyến', '37,76 %', 'trang 3']);
    const file = join(dir, 'kon-tum.xlsx');
    await workbook.xlsx.writeFile(file);
    const { figures } = await readPublishedTable(file);
    expect(figures.map((f) => [f.rowNumber, f.period, f.scope, f.figure, f.value, f.decimals, f.source])).toEqual([
      [4, { from: '2023-01-01', to: '2023-03-31' }, { kind: 'level', level: 'tinh' }, { kind: 'count', name: 'receivedOnline' }, 2521, 0, 'trang 3'],
      [5, { from: '2023-01-01', to: '2023-03-31' }, { kind: 'level', level: 'tinh' }, { kind: 'count', name: 'receivedTotal' }, 6776, 0, 'trang 3'],
      [6, { from: '2023-01-01', to: '2023-03-31' }, { kind: 'level', level: 'tinh' }, { kind: 'rate', name: 'onlineRate' }, 37.76, 2, 'trang 3'],
    ]);
    expect(found(checkSelf(figures))).toEqual(['6: rate']);
  });
});

describe('published values', () => {
  it('reads periods as reports write them', () => {
    expect(parsePeriod('2022')).toEqual({ from: '2022-01-01', to: '2022-12-31' });
    expect(parsePeriod('Năm 2022')).toEqual({ from: '2022-01-01', to: '2022-12-31' });
    expect(parsePeriod('2022-05')).toEqual({ from: '2022-05-01', to: '2022-05-31' });
    expect(parsePeriod('Tháng 2/2024')).toEqual({ from: '2024-02-01', to: '2024-02-29' });
    expect(parsePeriod('Quý I/2023')).toEqual({ from: '2023-01-01', to: '2023-03-31' });
    expect(parsePeriod('Quý IV năm 2022')).toEqual({ from: '2022-10-01', to: '2022-12-31' });
    expect(parsePeriod('2023-Q2')).toEqual({ from: '2023-04-01', to: '2023-06-30' });
    expect(parsePeriod('Tháng 1–6/2021')).toEqual({ from: '2021-01-01', to: '2021-06-30' });
    expect(parsePeriod('6 tháng đầu năm 2023')).toEqual({ from: '2023-01-01', to: '2023-06-30' });
    expect(parsePeriod('2023-01-01..2023-05-25')).toEqual({ from: '2023-01-01', to: '2023-05-25' });
    expect(parsePeriod('Từ ngày 01/01/2023 đến ngày 25/05/2023')).toEqual({ from: '2023-01-01', to: '2023-05-25' });
    expect(() => parsePeriod('năm ngoái')).toThrow('không đọc được kỳ');
  });

  it('reads counts with either thousands mark and rates with their printed digits', () => {
    expect(parseValue('13.358', false)).toMatchObject({ value: 13358, decimals: 0 });
    expect(parseValue('13,358', false)).toMatchObject({ value: 13358, decimals: 0 });
    expect(parseValue('1 234 567', false)).toMatchObject({ value: 1234567 });
    expect(parseValue('97,9 %', true)).toMatchObject({ value: 97.9, decimals: 1 });
    expect(parseValue('97.9%', true)).toMatchObject({ value: 97.9, decimals: 1 });
    expect(parseValue('0,33%', true)).toMatchObject({ value: 0.33, decimals: 2 });
    expect(parseValue('60%', true)).toMatchObject({ value: 60, decimals: 0 });
    expect(parseValue(99.6, true)).toMatchObject({ value: 99.6, decimals: 1 });
    expect(() => parseValue('13.35', false)).toThrow('không đọc được số hồ sơ');
  });

  it('knows figures by their JSON names, their Vietnamese headers and as shares', () => {
    expect(parseFigure('receivedTotal')).toEqual({ kind: 'count', name: 'receivedTotal' });
    expect(parseFigure('Tổng số đã giải quyết')).toEqual({ kind: 'count', name: 'resolvedTotal' });
    expect(parseFigure('Tỷ lệ sớm và đúng hạn')).toEqual({ kind: 'rate', name: 'onTimeRate' });
    expect(parseFigure('Tổng số hồ sơ nhận giải quyết')).toEqual({ kind: 'count', name: 'toHandle' });
    expect(parseFigure('Từ kỳ trước / Tổng số hồ sơ nhận giải quyết')).toEqual({ kind: 'share', numerator: 'carriedOver', denominator: 'toHandle' });
    // "Quá hạn" alone is both resolved late and pending overdue: not guessed.
    expect(parseFigure('Quá hạn')).toBeUndefined();
  });

  it('holds a rate to its printed rounding', () => {
    expect(percentConsistent(97.9, 1, 97.85, 3914, 4000)).toBe(true);
    expect(percentConsistent(97.9, 1, 97.95, 3918, 4000)).toBe(false);
    expect(percentConsistent(97.9, 1, 97.8499, 1, 2)).toBe(false);
    expect(percentConsistent(99.9, 1, 99.976, 65_506, 65_522)).toBe(true);
    expect(percentConsistent(100, 1, 100, 5, 5)).toBe(true);
    expect(percentConsistent(0.1, 1, 0.02, 1, 5000)).toBe(true);
    expect(percentConsistent(37.76, 2, (100 * 2521) / 6776, 2521, 6776)).toBe(false);
  });
});
