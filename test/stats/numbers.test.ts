import { describe, expect, it } from 'vitest';
import { formatCount, formatDecimal, formatPercent } from '../../src/domain/numbers.ts';
import { ratesOf } from '../../src/stats/rates.ts';
import { renderStatsTable } from '../../src/stats/render.ts';
import { COUNT_FIGURES, RATE_FIGURES, type Counts, type StatsRow } from '../../src/stats/types.ts';

describe('vi-VN numbers', () => {
  it('groups thousands with "." and writes decimals with ","', () => {
    expect(formatCount(13358)).toBe('13.358');
    expect(formatCount(0)).toBe('0');
    expect(formatCount(999)).toBe('999');
    expect(formatCount(1000)).toBe('1.000');
    expect(formatCount(5000000)).toBe('5.000.000');
    expect(formatDecimal(1234.56, 1)).toBe('1.234,6');
  });

  it('writes rates as percentages with a space before "%"', () => {
    // Hạ Hoà 2022, district level: (7.866 + 4.494) / 12.623.
    expect(formatPercent((7866 + 4494) / 12623, 1)).toBe('97,9 %');
    // Phú Thọ, June 2020: 6.352 / 13.448.
    expect(formatPercent(6352 / 13448, 2)).toBe('47,23 %');
    expect(formatPercent(1)).toBe('100,0 %');
    expect(formatPercent(0)).toBe('0,0 %');
    expect(formatPercent(null)).toBe('–');
  });
});

const counts = (values: Partial<Counts>): Counts =>
  ({ ...Object.fromEntries(COUNT_FIGURES.map((f) => [f, 0])), ...values }) as Counts;

describe('rates', () => {
  it('keeps rejected dossiers in the on-time denominator', () => {
    const rates = ratesOf(counts({ resolvedEarly: 7866, resolvedOnTime: 4494, resolvedLate: 200, resolvedRejected: 63, resolvedTotal: 12623 }));
    expect(rates.onTimeRate).toBe(12360 / 12623);
  });

  it('takes shares of the new receipts, and null without any', () => {
    const rates = ratesOf(counts({ receivedDirect: 2, receivedOnline: 5, receivedPostal: 1, receivedLienThong: 1, receivedTotal: 10 }));
    expect(rates).toEqual({ onTimeRate: null, onlineRate: 0.5, onlineShare: 0.5, directShare: 0.2, postalShare: 0.1, lienThongShare: 0.1 });
    expect(ratesOf(counts({}))).toEqual(Object.fromEntries(RATE_FIGURES.map((f) => [f, null])));
  });
});

describe('renderStatsTable', () => {
  const row: StatsRow = {
    year: 2022, level: 'huyen', from: '2022-01-01', to: '2022-12-31',
    ...counts({ receivedDirect: 486, receivedOnline: 12872, receivedTotal: 13358, resolvedEarly: 7866, resolvedOnTime: 4494, resolvedLate: 200, resolvedRejected: 63, resolvedTotal: 12623 }),
    ...ratesOf(counts({ receivedDirect: 486, receivedOnline: 12872, receivedTotal: 13358, resolvedEarly: 7866, resolvedOnTime: 4494, resolvedLate: 200, resolvedRejected: 63, resolvedTotal: 12623 })),
  };

  it('prints Vietnamese headers and vi-VN numbers', () => {
    const table = renderStatsTable([row], 'table');
    expect(table).toContain('Cấp huyện');
    expect(table).toContain('13.358');
    expect(table).toContain('97,9 %');
    expect(table).toContain('01/01/2022');
    // Long headers wrap over several lines above the rule.
    expect(table).toMatch(/Tỷ lệ sớm/);
    expect(table.split('\n').findIndex((l) => l.startsWith('─'))).toBeGreaterThan(1);
  });

  it('writes CSV with the JSON names and unformatted numbers', () => {
    const [header, line] = renderStatsTable([row], 'csv').trim().split('\n');
    expect(header.split(',')).toEqual(['year', 'level', 'from', 'to', ...COUNT_FIGURES, ...RATE_FIGURES]);
    expect(line.split(',').slice(0, 6)).toEqual(['2022', 'huyen', '2022-01-01', '2022-12-31', '486', '12872']);
    expect(Number(line.split(',')[4 + COUNT_FIGURES.length])).toBe(12360 / 12623);
  });
});
