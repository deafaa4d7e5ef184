import type { Day } from './dates.ts';
import { foldMarks } from './text.ts';
import { CalendarError, vietnamCalendar, type WorkingCalendar } from './working-days.ts';

// What the working-day calendar is used for on a dossier (docs/working-days.md, "Uses"): a due day from the
// procedure's duration when an export gives none, and the working days a dossier took. Both count as Bộ luật Dân
// sự 2015 counts a time limit set in days: the day of receipt is not counted, the count starts on the next day
// (Điều 147, khoản 2); a limit whose last day is a weekend day or a holiday ends on the next working day (Điều 148,
// khoản 5).

/** 'working': ngày làm việc; 'calendar': ngày (calendar days, Bộ luật Dân sự 2015, Điều 145–146). */
export type DurationUnit = 'working' | 'calendar';

export interface Duration {
  days: number;
  unit: DurationUnit;
}

/**
 * A catalogue's "Thời hạn giải quyết" as a duration, or undefined when it is none tthc can read:
 * - "10 ngày làm việc", "Không quá 15 ngày làm việc kể từ ngày nhận đủ hồ sơ": working days;
 * - "05 ngày", "30 ngày kể từ …": calendar days (the legal meaning of a day, Bộ luật Dân sự 2015, Điều 145–146;
 *   a catalogue that means working days writes "làm việc");
 * - a number, or a text of digits alone ("10"): working days (the one-stop systems set durations in working days);
 * - "Trong ngày", "ngay trong ngày làm việc": 0 working days (due the day of receipt);
 * - a text of several durations (a longer one for a case needing verification): its first;
 * - hours, months, half days ("0,5 ngày"), words without a number: undefined (the caller warns).
 */
export function parseDuration(value: unknown): Duration | undefined {
  if (typeof value === 'number') return Number.isInteger(value) && value >= 0 && value <= 3650 ? { days: value, unit: 'working' } : undefined;
  if (typeof value !== 'string') return undefined;
  const text = foldMarks(value).replace(/\s+/g, ' ').trim();
  if (/^\d{1,4}$/.test(text)) return { days: Number(text), unit: 'working' };
  // Half days are no whole number of days: a fraction ("1/2 ngày") or "rưỡi" after the unit ("2 ngày rưỡi").
  if (/\d\s*\/\s*\d+\s*ngay/.test(text) || /\bngay( lam viec)? ruoi\b/.test(text)) return undefined;
  const first = /(\d+(?:[.,]\d+)?)\s*(ngay( lam viec)?|gio|thang|tuan|nam)\b/.exec(text);
  if (!first) return /^(ngay )?trong (ngay|ngay lam viec)\b/.test(text) ? { days: 0, unit: 'working' } : undefined;
  if (!first[2].startsWith('ngay') || !/^\d+$/.test(first[1])) return undefined;
  return { days: Number(first[1]), unit: first[3] ? 'working' : 'calendar' };
}

const MS_PER_DAY = 86_400_000;
const plusDays = (day: Day, n: number) =>
  new Date(Date.UTC(+day.slice(0, 4), +day.slice(5, 7) - 1, +day.slice(8, 10)) + n * MS_PER_DAY).toISOString().slice(0, 10);

/**
 * The due day of a dossier received on `received` ('yyyy-MM-dd…') for a procedure of this duration: N working
 * days after the day of receipt (that day not counted), or N calendar days after it moved to the next working day
 * when it is a day off. undefined when the calendar does not know the years (CalendarError).
 */
export function dueDayOf(received: string, duration: Duration, calendar: WorkingCalendar = vietnamCalendar()): Day | undefined {
  const day = received.slice(0, 10);
  // The importer asks for every dossier without a due day: a file repeats few (day, duration) pairs.
  let known = dueDays.get(calendar);
  if (!known) dueDays.set(calendar, (known = new Map()));
  const key = `${day}|${duration.days}|${duration.unit}`;
  if (known.has(key)) return known.get(key);
  const due = countDueDay(day, duration, calendar);
  known.set(key, due);
  return due;
}
const dueDays = new WeakMap<WorkingCalendar, Map<string, Day | undefined>>();

function countDueDay(day: Day, duration: Duration, calendar: WorkingCalendar): Day | undefined {
  try {
    // "Trong ngày" (0 working days) on a day off (an online receipt on a Saturday) is due the next working day.
    let due = duration.unit === 'working' ? calendar.addWorkingDays(day, duration.days) : plusDays(day, duration.days);
    while (!calendar.isWorkingDay(due)) due = plusDays(due, 1);
    return due;
  } catch (error) {
    if (error instanceof CalendarError) return undefined;
    throw error;
  }
}

/** Each day's working days after a fixed origin, per calendar: a dossier's count is then two lookups (the importer's hot path). */
const ordinals = new WeakMap<WorkingCalendar, Map<string, number | null>>();
const ORIGIN = '2000-01-01';

/** Working days after ORIGIN up to `day` (negative before it); null in a year the calendar does not know. */
function ordinal(calendar: WorkingCalendar, day: string): number | null {
  let known = ordinals.get(calendar);
  if (!known) ordinals.set(calendar, (known = new Map()));
  let n = known.get(day);
  if (n === undefined) {
    try {
      calendar.year(Number(day.slice(0, 4)));
      n = calendar.workingDaysBetween(ORIGIN, day);
    } catch (error) {
      if (!(error instanceof CalendarError)) throw error;
      n = null;
    }
    known.set(day, n);
  }
  return n;
}

/**
 * Each day from `from` to `to` with its running count of working days (null in a year the calendar does not know):
 * a dossier's processingWorkingDays is its end day's count minus its receipt day's, which lets SQL recount a table.
 */
export function workingDayOrdinals(calendar: WorkingCalendar, from: string, to: string): Array<{ day: string; ordinal: number | null }> {
  const out: Array<{ day: string; ordinal: number | null }> = [];
  for (let day = from; day <= to; day = plusDays(day, 1)) out.push({ day, ordinal: ordinal(calendar, day) });
  return out;
}

/**
 * The working days a dossier took: from the day of receipt (not counted) to the day processing ended, that day
 * counted; 0 for a dossier ended on the day it was received. null while open, or when either day falls in a year
 * the calendar does not know.
 */
export function processingWorkingDays(received: string, ended: string | null, calendar: WorkingCalendar = vietnamCalendar()): number | null {
  if (ended === null) return null;
  const from = ordinal(calendar, received.slice(0, 10));
  const to = ordinal(calendar, ended.slice(0, 10));
  return from === null || to === null ? null : to - from;
}
