import type { Day } from '../domain/dates.ts';

// The demo's calendar: days as integers (days since 1970-01-01) for fast arithmetic, and the working days of
// a Vietnamese one-stop office (Monday–Friday, without public holidays), on which dossiers are received,
// due and handled.

export type DayNumber = number;

const MS_PER_DAY = 86_400_000;

export function dayNumber(day: Day): DayNumber {
  return Math.round(Date.UTC(+day.slice(0, 4), +day.slice(5, 7) - 1, +day.slice(8, 10)) / MS_PER_DAY);
}

const dayCache = new Map<DayNumber, Day>();
export function dayText(n: DayNumber): Day {
  let text = dayCache.get(n);
  if (text === undefined) {
    text = new Date(n * MS_PER_DAY).toISOString().slice(0, 10);
    dayCache.set(n, text);
  }
  return text;
}

// Days off of 2019–2023 (Bộ luật Lao động; Tết Nguyên đán and Giỗ Tổ Hùng Vương — a big day in Phú Thọ —
// follow the lunar calendar; a holiday on a weekend is moved to the next working day).
const HOLIDAYS = new Set<Day>([
  '2020-01-01', '2020-01-23', '2020-01-24', '2020-01-27', '2020-01-28', '2020-01-29',
  '2020-04-02', '2020-04-30', '2020-05-01', '2020-09-02',
  '2021-01-01', '2021-02-10', '2021-02-11', '2021-02-12', '2021-02-15', '2021-02-16',
  '2021-04-21', '2021-04-30', '2021-05-03', '2021-09-02', '2021-09-03',
  '2022-01-03', '2022-01-31', '2022-02-01', '2022-02-02', '2022-02-03', '2022-02-04',
  '2022-04-11', '2022-05-02', '2022-05-03', '2022-09-01', '2022-09-02',
  '2023-01-02', '2023-01-20', '2023-01-23', '2023-01-24', '2023-01-25', '2023-01-26',
  '2023-05-01', '2023-05-02', '2023-05-03',
]);

export function isWorkingDay(n: DayNumber): boolean {
  const weekday = new Date(n * MS_PER_DAY).getUTCDay();
  return weekday !== 0 && weekday !== 6 && !HOLIDAYS.has(dayText(n));
}

/** The working days between two days, both included, in order; with the helpers the generator needs. */
export class WorkingDays {
  readonly days: DayNumber[] = [];
  private readonly indexOf = new Map<DayNumber, number>();

  constructor(first: Day, last: Day) {
    for (let n = dayNumber(first); n <= dayNumber(last); n++) {
      if (isWorkingDay(n)) {
        this.indexOf.set(n, this.days.length);
        this.days.push(n);
      }
    }
  }

  /** Index of the first working day on or after n. */
  lowerBound(n: DayNumber): number {
    let lo = 0;
    let hi = this.days.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.days[mid] < n) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** The working day `count` working days after the working day n (n itself for 0). */
  add(n: DayNumber, count: number): DayNumber {
    const i = this.indexOf.get(n) ?? this.lowerBound(n);
    return this.days[Math.min(i + count, this.days.length - 1)];
  }

  /** The working days in [from, to], as an index range [start, end). */
  range(from: DayNumber, to: DayNumber): [number, number] {
    return [this.lowerBound(from), this.lowerBound(to + 1)];
  }
}
