import { describe, expect, it } from 'vitest';
import { parseDateTime, readDateTime } from '../../src/domain/dates.ts';
import { monthPeriod, quarterPeriod, reportingMonthPeriod, reportingYearPeriod } from '../../src/domain/periods.ts';

const value = (input: unknown) => {
  const r = parseDateTime(input);
  return r && (r.ok ? r.value : `error: ${r.reason}`);
};

describe('parseDateTime', () => {
  it('reads every form of docs/rules.md as Vietnam wall-clock time', () => {
    expect(value('05/04/2021')).toBe('2021-04-05 00:00:00');
    expect(value('5/4/2021 7:05')).toBe('2021-04-05 07:05:00');
    expect(value('05/04/2021 16:30:15')).toBe('2021-04-05 16:30:15');
    expect(value('2021-04-05')).toBe('2021-04-05 00:00:00');
    expect(value('2021-04-05 16:30')).toBe('2021-04-05 16:30:00');
    expect(value('2021-04-05T16:30:15')).toBe('2021-04-05 16:30:15');
    expect(value('20210405163015')).toBe('2021-04-05 16:30:15');
    // An explicit offset is the same instant in Vietnam time.
    expect(value('2021-03-31T20:00:00Z')).toBe('2021-04-01 03:00:00');
    expect(value('2021-03-31T20:00:00+07:00')).toBe('2021-03-31 20:00:00');
    expect(value(new Date(Date.UTC(2021, 2, 31, 23, 30)))).toBe('2021-03-31 23:30:00');
    // Excel serial 44286 is 2021-04-01; .5 is noon.
    expect(value(44287.5)).toBe('2021-04-01 12:00:00');
  });

  it('refuses days that do not exist instead of rolling them over', () => {
    expect(value('31/02/2021')).toMatch(/^error/);
    expect(value('29/02/2021')).toMatch(/^error/);
    expect(value('29/02/2020')).toBe('2020-02-29 00:00:00');
    expect(value('2021-13-01')).toMatch(/^error/);
    expect(value('01/03/2021 24:10')).toMatch(/^error/);
    expect(value('hôm qua')).toMatch(/^error/);
    // A number of days in a due-date column is not a day of 1900.
    expect(value('15')).toMatch(/^error/);
    expect(value(15)).toMatch(/^error/);
  });

  it('treats empty cells as missing', () => {
    expect(parseDateTime('')).toBeUndefined();
    expect(parseDateTime('  ')).toBeUndefined();
    expect(parseDateTime(null)).toBeUndefined();
  });
});

describe('readDateTime', () => {
  it('gives a good date as its wall-clock text and a bad one as parseDateTime does', () => {
    for (const input of ['05/04/2021', '05/04/2021 16:30', ' 05/04/2021 ', '2021-04-05T16:30:15', 44287.5, new Date(Date.UTC(2021, 2, 31, 23, 30))]) {
      const parsed = parseDateTime(input);
      expect(parsed?.ok && readDateTime(input)).toBe(parsed?.ok && parsed.value);
    }
    expect(readDateTime('31/02/2021')).toEqual(parseDateTime('31/02/2021'));
    expect(readDateTime('32/01/2021 10:00')).toEqual({ ok: false, reason: 'ngày không tồn tại' });
    expect(readDateTime('hôm qua')).toEqual(parseDateTime('hôm qua'));
    expect(readDateTime('')).toBeUndefined();
    expect(readDateTime(null)).toBeUndefined();
  });
});

describe('periods', () => {
  it('knows calendar and reporting periods', () => {
    expect(monthPeriod('2024-02')).toEqual({ from: '2024-02-01', to: '2024-02-29' });
    expect(quarterPeriod('2022-Q2')).toEqual({ from: '2022-04-01', to: '2022-06-30' });
    expect(reportingMonthPeriod('2022-05')).toEqual({ from: '2022-04-15', to: '2022-05-14' });
    expect(reportingMonthPeriod('2022-01')).toEqual({ from: '2021-12-15', to: '2022-01-14' });
    expect(reportingYearPeriod(2022)).toEqual({ from: '2021-12-15', to: '2022-12-14' });
  });
});
