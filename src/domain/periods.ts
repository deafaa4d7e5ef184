import { addDays } from 'date-fns/addDays';
import { addMonths } from 'date-fns/addMonths';
import { endOfMonth } from 'date-fns/endOfMonth';
import { endOfQuarter } from 'date-fns/endOfQuarter';
import { format } from 'date-fns/format';
import { parseISO } from 'date-fns/parseISO';
import { startOfMonth } from 'date-fns/startOfMonth';
import { subMonths } from 'date-fns/subMonths';
import type { Day } from './dates.ts';
import { isDay } from './dates.ts';

/** A period of whole days, both ends included (DOMAIN.md, "Periods"). */
export interface Period {
  from: Day;
  to: Day;
}

const iso = (d: Date) => format(d, 'yyyy-MM-dd');

export class PeriodError extends Error {}

export function yearPeriod(year: number): Period {
  return { from: `${year}-01-01`, to: `${year}-12-31` };
}

export function monthPeriod(month: string): Period {
  const m = /^(\d{4})-(\d{2})$/.exec(month);
  if (!m || +m[2] < 1 || +m[2] > 12) throw new PeriodError(`tháng không hợp lệ: "${month}" (dạng yyyy-MM, ví dụ 2022-05)`);
  const start = parseISO(`${month}-01`);
  return { from: iso(start), to: iso(endOfMonth(start)) };
}

export function quarterPeriod(quarter: string): Period {
  const m = /^(\d{4})-?Q([1-4])$/i.exec(quarter);
  if (!m) throw new PeriodError(`quý không hợp lệ: "${quarter}" (dạng yyyy-Qn, ví dụ 2022-Q2)`);
  const start = parseISO(`${m[1]}-${String((+m[2] - 1) * 3 + 1).padStart(2, '0')}-01`);
  return { from: iso(start), to: iso(endOfQuarter(start)) };
}

/** Reporting month of Nghị định 09/2019: the 15th of the month before to the 14th of the month. */
export function reportingMonthPeriod(month: string): Period {
  const { from } = monthPeriod(month);
  const start = parseISO(from);
  return { from: iso(addDays(subMonths(start, 1), 14)), to: iso(addDays(start, 13)) };
}

/** Reporting year: 15/12 of the year before to 14/12. */
export function reportingYearPeriod(year: number): Period {
  return { from: `${year - 1}-12-15`, to: `${year}-12-14` };
}

export function rangePeriod(from: string, to: string): Period {
  if (!isDay(from)) throw new PeriodError(`ngày bắt đầu không hợp lệ: "${from}" (dạng yyyy-MM-dd)`);
  if (!isDay(to)) throw new PeriodError(`ngày kết thúc không hợp lệ: "${to}" (dạng yyyy-MM-dd)`);
  if (from > to) throw new PeriodError(`ngày bắt đầu ${from} sau ngày kết thúc ${to}`);
  return { from, to };
}

/** "2020-2023" or "2020" → the years. */
export function parseYears(text: string): number[] {
  const m = /^(\d{4})(?:\s*[-–]\s*(\d{4}))?$/.exec(text.trim());
  if (!m) throw new PeriodError(`năm không hợp lệ: "${text}" (dạng 2020-2023)`);
  const first = +m[1];
  const last = m[2] ? +m[2] : first;
  if (last < first) throw new PeriodError(`khoảng năm ngược: "${text}"`);
  return Array.from({ length: last - first + 1 }, (_, i) => first + i);
}

/** The calendar months a period touches, each cut to the period. */
export function monthsOf(period: Period): Period[] {
  const out: Period[] = [];
  for (let start = startOfMonth(parseISO(period.from)); iso(start) <= period.to; start = addMonths(start, 1)) {
    const from = iso(start) < period.from ? period.from : iso(start);
    const end = iso(endOfMonth(start));
    out.push({ from, to: end > period.to ? period.to : end });
  }
  return out;
}

/** The calendar years a period touches, each cut to the period. */
export function yearsOf(period: Period): Period[] {
  const out: Period[] = [];
  for (let y = +period.from.slice(0, 4); y <= +period.to.slice(0, 4); y++) {
    const p = yearPeriod(y);
    out.push({ from: p.from < period.from ? period.from : p.from, to: p.to > period.to ? period.to : p.to });
  }
  return out;
}

/** The day after, for half-open comparisons with stored wall-clock times. */
export function dayAfter(day: Day): Day {
  return iso(addDays(parseISO(day), 1));
}
