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
import { UserError } from './errors.ts';
import { isWorkingDay, RULE_YEARS } from './working-days.ts';

/** A period of whole days, both ends included (docs/rules.md, "Periods"). */
export interface Period {
  from: Day;
  to: Day;
}

const iso = (d: Date) => format(d, 'yyyy-MM-dd');

export class PeriodError extends UserError {}

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

/** 'yyyy-MM-dd' → 'dd/MM/yyyy', as Vietnamese text writes a day. */
export function viDay(day: Day): string {
  return `${day.slice(8, 10)}/${day.slice(5, 7)}/${day.slice(0, 4)}`;
}

/** The period is one or more whole calendar years (what --year and --years give). */
export function isWholeYears(p: Period): boolean {
  return p.from.slice(5) === '01-01' && p.to.slice(5) === '12-31';
}

const ROMAN = ['I', 'II', 'III', 'IV'];

/**
 * A period's name in a sentence, lower case: "năm 2022", "năm 2020–2023", "quý II/2022", "tháng 6/2020",
 * "tháng 1–6/2021", else "kỳ từ 15/12/2021 đến 14/12/2022".
 */
export function periodName(p: Period): string {
  const y1 = p.from.slice(0, 4);
  const y2 = p.to.slice(0, 4);
  if (isWholeYears(p)) return y1 === y2 ? `năm ${y1}` : `năm ${y1}–${y2}`;
  if (p.from.slice(8) === '01' && iso(endOfMonth(parseISO(p.to))) === p.to) {
    const m1 = Number(p.from.slice(5, 7));
    const m2 = Number(p.to.slice(5, 7));
    if (y1 === y2 && m1 === m2) return `tháng ${m1}/${y1}`;
    if (y1 === y2 && (m1 - 1) % 3 === 0 && m2 === m1 + 2) return `quý ${ROMAN[(m1 - 1) / 3]}/${y1}`;
    if (y1 === y2) return `tháng ${m1}–${m2}/${y1}`;
    return `tháng ${m1}/${y1} – tháng ${m2}/${y2}`;
  }
  return `kỳ từ ${viDay(p.from)} đến ${viDay(p.to)}`;
}

// Days a one-stop office is closed: Saturdays and Sundays not worked, public holidays and the government's swaps,
// from the working-day calendar. Outside the years the calendar knows, the holidays of fixed date
// (Bộ luật Lao động 2019, Điều 112: 1/1, 30/4, 1/5, 2/9) and weekends.
const FIXED_HOLIDAYS = new Set(['01-01', '04-30', '05-01', '09-02']);

export function isDayOff(day: Day): boolean {
  const year = Number(day.slice(0, 4));
  if (year >= RULE_YEARS.first && year <= RULE_YEARS.last) return !isWorkingDay(day);
  const weekday = parseISO(day).getDay();
  return weekday === 0 || weekday === 6 || FIXED_HOLIDAYS.has(day.slice(5));
}

/** The day before. */
export function dayBefore(day: Day): Day {
  return iso(addDays(parseISO(day), -1));
}

/** Whether every day from `first` to `last` (both included) is a day off; true when first > last. */
export function allDaysOff(first: Day, last: Day): boolean {
  // No run of days off is longer than Tết's nine days (2025, 2026) with a swapped day beside them.
  let seen = 0;
  for (let day = first; day <= last; day = dayAfter(day)) if (!isDayOff(day) || ++seen > 12) return false;
  return true;
}
