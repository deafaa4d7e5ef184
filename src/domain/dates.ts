import { isMatch } from 'date-fns/isMatch';

// Every date-time is kept as Vietnam wall-clock time (UTC+7, no daylight saving) in the fixed-width text form
// 'yyyy-MM-dd HH:mm:ss'. Text of that form sorts like time on SQLite and PostgreSQL alike, and comparing a
// stored value with a bare day 'yyyy-MM-dd' splits exactly at midnight.
export type WallClock = string;
/** A calendar day, 'yyyy-MM-dd'. */
export type Day = string;

export type DateParse = { ok: true; value: WallClock } | NotADate;
/** Why a value is not a date (a reason an office reads). */
export type NotADate = { ok: false; reason: string };

// Every row of an export carries three or four dates, so this is the importer's hottest code: the checks below
// use a table of month lengths rather than building Date objects.
const MONTH_DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function exists(y: number, mo: number, d: number): boolean {
  if (mo < 1 || mo > 12 || d < 1) return false;
  const leap = mo === 2 && y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0);
  return d <= MONTH_DAYS[mo - 1] + (leap ? 1 : 0);
}

const NOT_A_DAY: NotADate = { ok: false, reason: 'ngày không tồn tại' };

function build(y: number, mo: number, d: number, h = 0, mi = 0, s = 0): DateParse {
  if (y < 1900 || y > 2100 || h > 23 || mi > 59 || s > 59 || !exists(y, mo, d)) return NOT_A_DAY;
  return { ok: true, value: wallClockText(y, mo, d, h, mi, s) };
}

/** Made in one piece from digits (see fastDmy): every date cell of an .xlsx comes this way. */
function wallClockText(y: number, mo: number, d: number, h: number, mi: number, s: number): WallClock {
  return String.fromCharCode(
    48 + Math.floor(y / 1000), 48 + (Math.floor(y / 100) % 10), 48 + (Math.floor(y / 10) % 10), 48 + (y % 10), 45,
    48 + Math.floor(mo / 10), 48 + (mo % 10), 45, 48 + Math.floor(d / 10), 48 + (d % 10), 32,
    48 + Math.floor(h / 10), 48 + (h % 10), 58, 48 + Math.floor(mi / 10), 48 + (mi % 10), 58,
    48 + Math.floor(s / 10), 48 + (s % 10),
  );
}

const isDigit = (c: number) => c >= 48 && c <= 57;

/**
 * 'dd/MM/yyyy' or 'dd/MM/yyyy HH:mm', the one-stop systems' usual form, read from its character codes: the
 * wall-clock text is made in one piece by String.fromCharCode, where slices joined by a template made four
 * strings per date and left a chain of them to be copied again when the row is handed over.
 */
function fastDmy(text: string): WallClock | NotADate | undefined {
  const n = text.length;
  if ((n !== 10 && n !== 16) || text.charCodeAt(2) !== 47 || text.charCodeAt(5) !== 47) return undefined;
  const d0 = text.charCodeAt(0), d1 = text.charCodeAt(1), m0 = text.charCodeAt(3), m1 = text.charCodeAt(4);
  const y0 = text.charCodeAt(6), y1 = text.charCodeAt(7), y2 = text.charCodeAt(8), y3 = text.charCodeAt(9);
  if (!isDigit(d0) || !isDigit(d1) || !isDigit(m0) || !isDigit(m1)) return undefined;
  if (!isDigit(y0) || !isDigit(y1) || !isDigit(y2) || !isDigit(y3)) return undefined;
  // '0' for the hour and minute of a bare day.
  let h0 = 48, h1 = 48, i0 = 48, i1 = 48;
  if (n === 16) {
    h0 = text.charCodeAt(11);
    h1 = text.charCodeAt(12);
    i0 = text.charCodeAt(14);
    i1 = text.charCodeAt(15);
    if (text.charCodeAt(10) !== 32 || text.charCodeAt(13) !== 58 || !isDigit(h0) || !isDigit(h1) || !isDigit(i0) || !isDigit(i1)) {
      return undefined;
    }
  }
  const y = (y0 - 48) * 1000 + (y1 - 48) * 100 + (y2 - 48) * 10 + (y3 - 48);
  const mo = (m0 - 48) * 10 + (m1 - 48);
  const d = (d0 - 48) * 10 + (d1 - 48);
  const h = (h0 - 48) * 10 + (h1 - 48);
  const mi = (i0 - 48) * 10 + (i1 - 48);
  if (y < 1900 || y > 2100 || h > 23 || mi > 59 || !exists(y, mo, d)) return NOT_A_DAY;
  return String.fromCharCode(y0, y1, y2, y3, 45, m0, m1, 45, d0, d1, 32, h0, h1, 58, i0, i1, 58, 48, 48);
}

const DMY = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})(?:[ T,]+(\d{1,2}):(\d{2})(?::(\d{2}))?)?$/;
const TIME_DMY = /^(\d{1,2}):(\d{2})(?::(\d{2}))?[ ,]+(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$/;
const YMD = /^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/;
const COMPACT = /^(\d{4})(\d{2})(\d{2})(\d{2})?(\d{2})?(\d{2})?$/;

const VIETNAM_OFFSET_MS = 7 * 3600_000;

// Excel's day 0 is 1899-12-30 (with the 1900 leap-year bug folded in for dates after February 1900).
const EXCEL_EPOCH_MS = Date.UTC(1899, 11, 30);

// Serial numbers are taken for dates only from 2000-01-01 (36526) to 2099-12-31: a small number in a date
// column ("Hạn xử lý: 15", a number of days) is not a day of 1900.
function fromExcelSerial(serial: number): DateParse {
  if (!(serial >= 36526 && serial < 73051)) return { ok: false, reason: `không phải ngày: ${serial}` };
  return fromUtcFields(new Date(EXCEL_EPOCH_MS + Math.round(serial * 86400) * 1000));
}

// exceljs hands a date cell over as a Date whose UTC fields are the wall-clock time the cell shows.
function fromUtcFields(date: Date): DateParse {
  // An invalid Date holds NaN (what date-fns's isValid checks, through a copy of the date: too slow here, where
  // every date cell of an .xlsx passes).
  if (Number.isNaN(date.getTime())) return { ok: false, reason: 'ngày không hợp lệ' };
  return build(
    date.getUTCFullYear(), date.getUTCMonth() + 1, date.getUTCDate(),
    date.getUTCHours(), date.getUTCMinutes(), date.getUTCSeconds(),
  );
}

/**
 * Reads a date-time as exports give it: dd/MM/yyyy or d/M/yyyy with an optional HH:mm[:ss]; yyyy-MM-dd with an
 * optional time after a space or T; yyyyMMddHHmmss (the national portal); Excel date cells and serial numbers.
 * Returns undefined for an empty value, and a reason for a value that is not a real date (31/02/2021).
 */
export function parseDateTime(value: unknown): DateParse | undefined {
  const read = readDateTime(value);
  return typeof read === 'string' ? { ok: true, value: read } : read;
}

/**
 * The order of day and month in a date written with slashes: Vietnamese d/M (the default), or M/d as software
 * made for the US writes it (4/2/2021 = 2 April).
 */
export type DateOrder = 'dmy' | 'mdy';

/**
 * parseDateTime for the importer's rows: a good date is its wall-clock text, without a result object made for
 * each of the three or four dates of every row. `order` says how to read d/M/yyyy-shaped text.
 */
export function readDateTime(value: unknown, order: DateOrder = 'dmy'): WallClock | NotADate | undefined {
  if (value === null || value === undefined) return undefined;
  if (typeof value === 'string' && order === 'dmy') {
    const fast = fastDmy(value);
    if (fast !== undefined) return fast;
  }
  const parsed = parseOtherDateTime(value, order);
  return parsed?.ok ? parsed.value : parsed;
}

/**
 * What a date written with slashes proves about its file's order: a first part above 12 can only be a day
 * (d/M), a second part above 12 only a day (M/d); 'either' when both parts are 12 or less; undefined for other forms.
 */
export function dateOrderOf(text: string): DateOrder | 'either' | undefined {
  // Most dates are 'dd/MM/yyyy…': read from their character codes, as fastDmy does (every date of a file is seen).
  if (text.length >= 10 && text.charCodeAt(2) === 47 && text.charCodeAt(5) === 47) {
    const a0 = text.charCodeAt(0), a1 = text.charCodeAt(1), b0 = text.charCodeAt(3), b1 = text.charCodeAt(4);
    if (isDigit(a0) && isDigit(a1) && isDigit(b0) && isDigit(b1)) {
      const first = (a0 - 48) * 10 + (a1 - 48);
      const second = (b0 - 48) * 10 + (b1 - 48);
      return first > 12 && second <= 12 ? 'dmy' : second > 12 && first <= 12 ? 'mdy' : first <= 12 ? 'either' : undefined;
    }
  }
  const m = SLASHED.exec(text);
  if (!m) return undefined;
  const first = +m[1];
  const second = +m[2];
  if (first > 12 && second <= 12) return 'dmy';
  if (second > 12 && first <= 12) return 'mdy';
  return first <= 12 ? 'either' : undefined;
}
const SLASHED = /^\s*(?:\d{1,2}:\d{2}(?::\d{2})?[ ,]+)?(\d{1,2})[/.-](\d{1,2})[/.-]\d{4}\b/;

/** The forms other than an untrimmed 'dd/MM/yyyy[ HH:mm]'. */
function parseOtherDateTime(value: unknown, order: DateOrder = 'dmy'): DateParse | undefined {
  if (value === null || value === undefined) return undefined;
  if (value instanceof Date) return fromUtcFields(value);
  if (typeof value === 'number') return fromExcelSerial(value);
  const text = typeof value === 'string' ? value.trim() : String(value).trim();
  if (text === '') return undefined;
  if (order === 'dmy') {
    const fast = fastDmy(text);
    if (typeof fast === 'string') return { ok: true, value: fast };
    if (fast) return fast;
  }
  const [day, month] = order === 'dmy' ? [1, 2] : [2, 1];
  let m = DMY.exec(text);
  if (m) return build(+m[3], +m[1 + month - 1], +m[1 + day - 1], +(m[4] ?? 0), +(m[5] ?? 0), +(m[6] ?? 0));
  m = YMD.exec(text);
  if (m && m[7]) {
    // An explicit offset (…Z, …+00:00): the same instant, as Vietnam wall-clock time.
    const instant = Date.parse(text.replace(' ', 'T'));
    return Number.isNaN(instant) ? { ok: false, reason: `không đọc được ngày "${text}"` } : fromUtcFields(new Date(instant + VIETNAM_OFFSET_MS));
  }
  if (m) return build(+m[1], +m[2], +m[3], +(m[4] ?? 0), +(m[5] ?? 0), +(m[6] ?? 0));
  m = TIME_DMY.exec(text);
  if (m) return build(+m[6], +m[3 + month], +m[3 + day], +m[1], +m[2], +(m[3] ?? 0));
  m = COMPACT.exec(text);
  if (m && (text.length === 8 || text.length === 12 || text.length === 14)) {
    return build(+m[1], +m[2], +m[3], +(m[4] ?? 0), +(m[5] ?? 0), +(m[6] ?? 0));
  }
  if (/^\d+(\.\d+)?$/.test(text)) return fromExcelSerial(Number(text));
  return { ok: false, reason: `không đọc được ngày "${text}"` };
}

/** Checks a 'yyyy-MM-dd' given on the command line. */
export function isDay(text: string): boolean {
  return /^\d{4}-\d{2}-\d{2}$/.test(text) && isMatch(text, 'yyyy-MM-dd');
}
