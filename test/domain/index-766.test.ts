import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { classify, loadProfile766, pointsFor, Profile766Error, rankUnits } from '../../src/domain/index-766.ts';

const dir = mkdtempSync(join(tmpdir(), 'tthc-766-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const profile = loadProfile766();
const shippedText = readFileSync(new URL('../../reports/index-766.json', import.meta.url), 'utf8');

describe('the shipped profile of QĐ 766', () => {
  it('has the five groups of 2022 and 100 points', () => {
    expect(profile.groups.map((g) => [g.name, g.points])).toEqual([
      ['Công khai, minh bạch', 18],
      ['Tiến độ, kết quả giải quyết', 20],
      ['Số hoá hồ sơ', 22],
      ['Cung cấp dịch vụ trực tuyến (gồm thanh toán trực tuyến)', 22],
      ['Mức độ hài lòng', 18],
    ]);
    expect(pointsFor({}, profile).max).toBe(100);
  });
});

describe('points', () => {
  it('gives 20 × the 766 progress rate, and nothing for what the data lacks', () => {
    const p = pointsFor({ progressRate766: 0.8 }, profile);
    const progress = p.indicators.find((i) => i.id === 'progress')!;
    expect(progress.points).toBe(16);
    // Every other indicator is unknown: null, never 0.
    expect(p.indicators.filter((i) => i.id !== 'progress').every((i) => i.points === null)).toBe(true);
    expect(p.groups.find((g) => g.id === 'congKhai')!.points).toBeNull();
    expect([p.total, p.knownMax, p.score]).toEqual([16, 20, 80]);
  });

  it('caps an indicator at its threshold and sums over what is known', () => {
    const p = pointsFor({
      progressRate766: 0.95, // 20 × 0.95 = 19
      digitisedRate: 0.6, // 4 × 0.6 / 0.8 = 3
      fullOnlineRate: 0.3, // 12 × 0.3 / 0.5 = 7.2
      onlinePaymentRate: 0.5, // 6 × 0.5 = 3
      satisfactionRate: 0.99, // 6, full from 0.9
      electronicResultRate: null, // the export lacks it
      onlineRate: 0.7, // not in the profile: no points
    }, profile);
    const byId = Object.fromEntries(p.indicators.map((i) => [i.id, i.points]));
    expect(byId.progress).toBeCloseTo(19, 10);
    expect(byId.digitised).toBeCloseTo(3, 10);
    expect(byId.fullOnline).toBeCloseTo(7.2, 10);
    expect(byId.onlinePayment).toBeCloseTo(3, 10);
    expect(byId.satisfaction).toBe(6);
    expect(byId.electronicResult).toBeNull();
    const groups = Object.fromEntries(p.groups.map((g) => [g.id, [g.points, g.knownMax, g.max]]));
    expect(groups.tienDo).toEqual([19, 20, 20]);
    expect(groups.soHoa[0]).toBeCloseTo(3, 10);
    expect(groups.soHoa.slice(1)).toEqual([4, 22]);
    expect(groups.trucTuyen[0]).toBeCloseTo(10.2, 10);
    expect(groups.trucTuyen.slice(1)).toEqual([18, 22]);
    expect(groups.haiLong).toEqual([6, 6, 18]);
    // 19 + 3 + 7.2 + 3 + 6 = 38.2 of 20 + 4 + 12 + 6 + 6 = 48 known points: 79.58 of 100.
    expect(p.total).toBeCloseTo(38.2, 10);
    expect(p.knownMax).toBe(48);
    expect(p.score!).toBeCloseTo(79.5833, 3);
    expect(classify(p.score, profile)).toBe('Khá');
    // The indicators whose formula is not confirmed say so.
    expect(p.indicators.find((i) => i.id === 'fullOnline')!.uncertain).toMatch(/chưa đối chiếu/);
  });

  it('refuses a rate outside 0..1 (a bug upstream, not a score)', () => {
    expect(() => pointsFor({ progressRate766: 1.2 }, profile)).toThrow(RangeError);
  });
});

describe('classes and ranks', () => {
  it('classes by the thresholds, as the score is shown', () => {
    expect(classify(80, profile)).toBe('Tốt');
    expect(classify(79.996, profile)).toBe('Tốt');
    expect(classify(79.99, profile)).toBe('Khá');
    expect(classify(65, profile)).toBe('Khá');
    expect(classify(64.99, profile)).toBe('Trung bình');
    expect(classify(50, profile)).toBe('Trung bình');
    expect(classify(49.5, profile)).toBe('Yếu');
    expect(classify(0, profile)).toBe('Yếu');
    expect(classify(null, profile)).toBeNull();
  });

  it('ranks with ties sharing a rank, the unknown last', () => {
    const ranked = rankUnits([
      { unit: 'A', total: 38.2 },
      { unit: 'B', total: 16 },
      { unit: 'C', total: 19.1 + 19.1 }, // 38.2 as shown, 38.2000…01 in binary
      { unit: 'D', total: null },
      { unit: 'E', total: 40 },
    ]);
    expect(ranked.map((r) => [r.unit, r.rank])).toEqual([['E', 1], ['A', 2], ['C', 2], ['B', 4], ['D', null]]);
    expect(rankUnits([])).toEqual([]);
  });
});

describe("a user's profile", () => {
  const write = (name: string, text: string) => {
    const path = join(dir, name);
    writeFileSync(path, text);
    return path;
  };

  it('takes other weights and thresholds (the six groups of the live scheme)', () => {
    const six = JSON.parse(shippedText);
    six.groups[3] = { id: 'trucTuyen', name: 'Cung cấp dịch vụ trực tuyến', points: 12, indicators: [six.groups[3].indicators[0]] };
    six.groups.push({
      id: 'thanhToan', name: 'Thanh toán trực tuyến', points: 10,
      indicators: [{ id: 'onlinePayment', name: 'Thanh toán trực tuyến', points: 6, rate: 'onlinePaymentRate' }],
    });
    six.classes.levels = [{ name: 'Đạt', min: 70 }, { name: 'Chưa đạt', min: 0 }];
    const mine = loadProfile766(write('sau-nhom.json', JSON.stringify(six, null, 2)));
    const p = pointsFor({ progressRate766: 0.5, onlinePaymentRate: 1 }, mine);
    // 20 × 0.5 + 6 × 1 = 16 of 26 known points: 61.54, under 70.
    expect([p.total, p.knownMax, p.max]).toEqual([16, 26, 100]);
    expect(classify(p.score, mine)).toBe('Chưa đạt');
  });

  it('names the line of a mistake, in Vietnamese', () => {
    const tooMany = shippedText.replace('"points": 20, "rate": "progressRate766"', '"points": 25, "rate": "progressRate766"');
    const line = shippedText.split('\n').findIndex((l) => l.includes('"id": "tienDo"')) + 1;
    expect(() => loadProfile766(write('qua-diem.json', tooMany)))
      .toThrow(`qua-diem.json, dòng ${line + 2}: hồ sơ chỉ số 766 sai ở "groups.1.points": tổng điểm các chỉ tiêu (25) lớn hơn điểm của nhóm (20)`);
    const rising = shippedText.replace('{ "name": "Khá", "min": 65 }', '{ "name": "Khá", "min": 85 }');
    const khaLine = shippedText.split('\n').findIndex((l) => l.includes('"Khá"')) + 1;
    expect(() => loadProfile766(write('nguong.json', rising)))
      .toThrow(`nguong.json, dòng ${khaLine}: hồ sơ chỉ số 766 sai ở "classes.levels.1.min": ngưỡng phải giảm dần từ loại cao xuống loại thấp`);
    const noRate = shippedText.replace('"rate": "progressRate766", ', '');
    expect(() => loadProfile766(write('thieu.json', noRate))).toThrow(/thieu\.json, dòng \d+: hồ sơ chỉ số 766 sai ở "groups\.1\.indicators\.0\.rate": thiếu giá trị/);
    expect(() => loadProfile766(join(dir, 'khong-co.json'))).toThrow(Profile766Error);
  });
});
