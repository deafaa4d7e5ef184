import type { Day } from './dates.ts';
import { UserError } from './errors.ts';
import lunarFile from './lunar-holidays-vn.json' with { type: 'json' };
import shippedFile from './working-days-vn.json' with { type: 'json' };

// Vietnam's working days for the public sector (Monday–Friday, less public holidays and the government's swaps),
// the unit in which procedures set their durations (docs/working-days.md). A year that a calendar file lists is
// taken from the file, every day off of it; a year no file lists follows the rule of Bộ luật Lao động 2019.

export class CalendarError extends UserError {}

/** One year of a calendar file (checked by CalendarFileSchema, src/domain/working-days-file.ts). */
export interface CalendarYear {
  /** Where the days come from: the announcement, its number and date. */
  sources: string[];
  /** Every day off of the year beyond Saturdays and Sundays (those may be listed too), with its name. */
  daysOff: Record<Day, string>;
  /** Saturdays or Sundays worked to make up for a weekday off (a swap). */
  workingDays: Record<Day, string>;
  /** Days listed above that no primary source confirmed, with the reason. */
  uncertain?: Record<Day, string>;
}

/** A calendar file: the shipped one (src/domain/working-days-vn.json) or a user's. */
export interface CalendarFile {
  $comment?: string;
  years: Record<string, CalendarYear>;
}

/** The years whose lunar holidays are known (scripts/lunar-holidays-vn.ts). */
const LUNAR: Record<string, { newYearsEve: Day; tet: Day; hungKings: Day }> = lunarFile.years;
const LUNAR_YEARS = Object.keys(LUNAR).map(Number);
export const RULE_YEARS = { first: Math.min(...LUNAR_YEARS), last: Math.max(...LUNAR_YEARS) };

// Days as whole numbers of days since 1970-01-01 (UTC), so that stepping a day never meets a time zone.
const MS_PER_DAY = 86_400_000;
const toNumber = (day: Day) => Date.UTC(+day.slice(0, 4), +day.slice(5, 7) - 1, +day.slice(8, 10)) / MS_PER_DAY;
const toDay = (n: number) => new Date(n * MS_PER_DAY).toISOString().slice(0, 10);
/** 0 = Sunday … 6 = Saturday. */
const weekday = (n: number) => (((n + 4) % 7) + 7) % 7;
export function isWeekend(day: Day): boolean {
  const w = weekday(toNumber(day));
  return w === 0 || w === 6;
}
const plusDays = (day: Day, n: number) => toDay(toNumber(day) + n);
const viDate = (day: Day) => `${day.slice(8, 10)}/${day.slice(5, 7)}/${day.slice(0, 4)}`;
const DAY_FORM = /^\d{4}-\d{2}-\d{2}$/;
/** A 'yyyy-MM-dd' of a real day as its number (Date.UTC rolls 2024-02-30 over into March, which is caught here). */
function checked(day: Day): number {
  if (DAY_FORM.test(day)) {
    const month = +day.slice(5, 7);
    const date = new Date(Date.UTC(+day.slice(0, 4), month - 1, +day.slice(8, 10)));
    if (date.getUTCMonth() === month - 1 && date.getUTCDate() === +day.slice(8, 10)) return date.getTime() / MS_PER_DAY;
  }
  throw new CalendarError(`ngày không hợp lệ: "${day}" (dạng yyyy-MM-dd)`);
}

/** What a calendar knows of a year: its days off beyond weekends, its worked weekend days, and where they come from. */
export interface YearDays {
  year: number;
  /** Weekdays and weekend days off, with their names. */
  daysOff: Map<Day, string>;
  /** Weekend days worked. */
  workingDays: Map<Day, string>;
  /** 'file': an announced year from a calendar file; 'rule': Bộ luật Lao động's rule with the lunar dates. */
  basis: 'file' | 'rule';
  sources: string[];
  uncertain: Map<Day, string>;
}

/**
 * The days off of a year by the rule of Bộ luật Lao động 2019, Điều 112 (2012, Điều 115, before 2021), for years
 * no file lists: 1/1; Tết 5 days (the last two days of the lunar year and the first three of the next, the choice
 * the government made most often in 2020–2025); Giỗ Tổ 10/3 âm lịch; 30/4; 1/5; 2/9 and, from 2021, the day next to
 * it (3/9 when 2/9 is a Monday or Thursday, else 1/9, as 2021–2025 were announced); a holiday on a Saturday or
 * Sunday is made up on the next working day (Điều 111, khoản 3). The government decides each year which days of
 * Tết are off and may swap days: a rule-year is an estimate, and the calendar says so.
 */
export function ruleYear(year: number): YearDays {
  const lunar = LUNAR[year];
  if (!lunar) {
    throw new CalendarError(
      `chưa có lịch ngày nghỉ của năm ${year}: lịch tính sẵn các năm ${RULE_YEARS.first}–${RULE_YEARS.last}; ` +
        `thêm năm đó bằng tệp lịch riêng (--calendar)`,
    );
  }
  const holidays: [Day, string][] = [[`${year}-01-01`, 'Tết Dương lịch']];
  const tet = lunar.tet;
  holidays.push(
    [plusDays(tet, -2), 'Tết Nguyên đán (trước Giao thừa)'],
    [plusDays(tet, -1), 'Tết Nguyên đán (Giao thừa)'],
    [tet, 'Tết Nguyên đán (mùng 1)'],
    [plusDays(tet, 1), 'Tết Nguyên đán (mùng 2)'],
    [plusDays(tet, 2), 'Tết Nguyên đán (mùng 3)'],
    [lunar.hungKings, 'Giỗ Tổ Hùng Vương'],
    [`${year}-04-30`, 'Ngày Chiến thắng'],
    [`${year}-05-01`, 'Ngày Quốc tế Lao động'],
    [`${year}-09-02`, 'Quốc khánh'],
  );
  if (year >= 2021) {
    const w = weekday(toNumber(`${year}-09-02`));
    holidays.push([w === 1 || w === 4 ? `${year}-09-03` : `${year}-09-01`, 'Quốc khánh (ngày liền kề)']);
  }
  const daysOff = new Map<Day, string>(holidays);
  // Made-up days come after every holiday of the run they fall in (Tết on a weekend is made up after mùng 3).
  for (const [day, name] of [...holidays].sort(([a], [b]) => a.localeCompare(b))) {
    if (!isWeekend(day)) continue;
    let next = plusDays(day, 1);
    while (isWeekend(next) || daysOff.has(next)) next = plusDays(next, 1);
    daysOff.set(next, `Nghỉ bù ${name}`);
  }
  return { year, daysOff, workingDays: new Map(), basis: 'rule', sources: ['Bộ luật Lao động 2019, Điều 111–112 (ước tính theo quy tắc)'], uncertain: new Map() };
}

export interface WorkingCalendar {
  isWorkingDay(day: Day): boolean;
  /** The name of a day off other than a plain weekend day, undefined for a working day or a plain weekend. */
  dayOffName(day: Day): string | undefined;
  /** The day n working days after `day` (before it when n < 0); `day` itself for 0. */
  addWorkingDays(day: Day, n: number): Day;
  /** The working days after `from` up to and including `to` (negative when `to` is before `from`). */
  workingDaysBetween(from: Day, to: Day): number;
  /** Working days from `today` to the due day: 0 due today, negative overdue. */
  workingDaysLeft(today: Day, due: Day): number;
  /** What the calendar knows of a year and from where. */
  year(year: number): YearDays;
  /**
   * Every day from `from` to `to` with whether it is worked and `workingDays`, the working days after `from` up to
   * it: a table the database joins on to count the working days of each dossier in SQL (end's count − start's).
   */
  dayRows(from: Day, to: Day): { day: Day; working: boolean; workingDays: number }[];
  /**
   * What a count over `from`..`to` rests on that is not announced, as lines for the user (Vietnamese): the years
   * taken by the rule, and the days no primary source confirmed.
   */
  warnings(from: Day, to: Day): string[];
}

/**
 * A calendar from the shipped file of announced years and a user's files, applied in order: a user's year adds
 * its days to the shipped year of the same number (a later file's day overrides an earlier one's), or brings a
 * year the shipped file lacks.
 */
export function createCalendar(files: CalendarFile[] = []): WorkingCalendar {
  const announced = new Map<number, YearDays>();
  for (const file of [SHIPPED, ...files]) {
    for (const [key, entry] of Object.entries(file.years)) {
      const year = Number(key);
      const known: YearDays = announced.get(year) ?? { year, daysOff: new Map(), workingDays: new Map(), basis: 'file', sources: [], uncertain: new Map() };
      for (const [day, name] of Object.entries(entry.daysOff)) {
        known.workingDays.delete(day);
        known.daysOff.set(day, name);
      }
      for (const [day, name] of Object.entries(entry.workingDays)) {
        known.daysOff.delete(day);
        known.workingDays.set(day, name);
      }
      for (const [day, why] of Object.entries(entry.uncertain ?? {})) known.uncertain.set(day, why);
      known.sources.push(...entry.sources);
      announced.set(year, known);
    }
  }
  const byYear = new Map<number, YearDays>(announced);
  const year = (y: number): YearDays => {
    let known = byYear.get(y);
    if (!known) byYear.set(y, (known = ruleYear(y)));
    return known;
  };
  const computeWorks = (n: number): boolean => {
    const day = toDay(n);
    const known = year(+day.slice(0, 4));
    const w = weekday(n);
    if (w === 0 || w === 6) return known.workingDays.has(day);
    return !known.daysOff.has(day);
  };
  // Whether each day of the years the rule knows is worked, and the working days before it (about 19,000 days):
  // counting the working days of every dossier of a unit is then two lookups each.
  const spanStart = toNumber(`${RULE_YEARS.first}-01-01`);
  const spanEnd = toNumber(`${RULE_YEARS.last}-12-31`);
  let works: Uint8Array | undefined;
  let before: Uint32Array | undefined;
  const tables = () => {
    works = new Uint8Array(spanEnd - spanStart + 1);
    before = new Uint32Array(spanEnd - spanStart + 2);
    for (let i = 0; i <= spanEnd - spanStart; i++) {
      works[i] = computeWorks(spanStart + i) ? 1 : 0;
      before[i + 1] = before[i] + works[i];
    }
  };
  // A few questions (whether the days after the data are days off) are answered without the tables, which take
  // some 40 ms to build; many (a due day per dossier) build them.
  let asked = 0;
  const worksOn = (n: number): boolean => {
    if (n < spanStart || n > spanEnd) return computeWorks(n);
    if (!works) {
      if (++asked < 2000) return computeWorks(n);
      tables();
    }
    return works![n - spanStart] === 1;
  };
  const between = (from: Day, to: Day): number => {
    const a = checked(from);
    const b = checked(to);
    const [low, high] = a <= b ? [a, b] : [b, a];
    let count = 0;
    if (low >= spanStart && high <= spanEnd) {
      if (!before) tables();
      count = before![high - spanStart + 1] - before![low - spanStart + 1];
    }
    else for (let n = low + 1; n <= high; n++) if (worksOn(n)) count++;
    return b >= a ? count : -count;
  };
  return {
    isWorkingDay: (day) => worksOn(checked(day)),
    dayOffName: (day) => {
      checked(day);
      return year(+day.slice(0, 4)).daysOff.get(day);
    },
    addWorkingDays(day, n) {
      if (!Number.isInteger(n)) throw new CalendarError(`số ngày làm việc phải là số nguyên: ${n}`);
      let at = checked(day);
      const step = n < 0 ? -1 : 1;
      for (let left = Math.abs(n); left > 0; ) {
        at += step;
        if (worksOn(at)) left--;
      }
      return toDay(at);
    },
    workingDaysBetween: between,
    workingDaysLeft: (today, due) => between(today, due),
    year,
    warnings(from, to) {
      const out: string[] = [];
      const [first, last] = [checked(from), checked(to)];
      for (let y = +from.slice(0, 4); y <= +to.slice(0, 4); y++) {
        const known = year(y);
        if (known.basis === 'rule') {
          out.push(`ngày nghỉ năm ${y} tính theo Bộ luật Lao động, chưa theo thông báo chính thức (Tết, hoán đổi có thể khác; thêm bằng tệp lịch riêng)`);
        }
        for (const [day, why] of known.uncertain) {
          const n = toNumber(day);
          if (n >= first && n <= last) out.push(`ngày nghỉ ${viDate(day)} (${known.daysOff.get(day) ?? known.workingDays.get(day)}) chưa xác minh: ${why}`);
        }
      }
      return out;
    },
    dayRows(from, to) {
      const rows: { day: Day; working: boolean; workingDays: number }[] = [];
      let count = 0;
      for (let n = checked(from), last = checked(to); n <= last; n++) {
        const working = worksOn(n);
        if (working && rows.length > 0) count++;
        rows.push({ day: toDay(n), working, workingDays: count });
      }
      return rows;
    },
  };
}

// Checked against CalendarFileSchema by a test rather than at every start: zod's schema code is large to load.
const SHIPPED = shippedFile as CalendarFile;

let defaultCalendar: WorkingCalendar | undefined;
/** The calendar of the shipped file and the rule, without a user's file. */
export function vietnamCalendar(): WorkingCalendar {
  return (defaultCalendar ??= createCalendar());
}

export const isWorkingDay = (day: Day) => vietnamCalendar().isWorkingDay(day);
export const addWorkingDays = (day: Day, n: number) => vietnamCalendar().addWorkingDays(day, n);
export const workingDaysBetween = (from: Day, to: Day) => vietnamCalendar().workingDaysBetween(from, to);
export const workingDaysLeft = (today: Day, due: Day) => vietnamCalendar().workingDaysLeft(today, due);
