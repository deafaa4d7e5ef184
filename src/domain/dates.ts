import { isMatch } from 'date-fns';

// Every date-time is kept as Vietnam wall-clock time (UTC+7, no daylight saving) in the fixed-width text form
// 'yyyy-MM-dd HH:mm:ss'. Text of that form sorts like time on SQLite and PostgreSQL alike, and comparing a
// stored value with a bare day 'yyyy-MM-dd' splits exactly at midnight.
export type WallClock = string;
/** A calendar day, 'yyyy-MM-dd'. */
export type Day = string;

export type DateParse = { ok: true; value: WallClock } | { ok: false; reason: string };

// Every row of an export carries three or four dates, so this is the importer's hottest code: the checks below
// use a table of month lengths and two-digit strings rather than building Date objects.
const TWO = Array.from({ length: 60 }, (_, i) => String(i).padStart(2, '0'));
const MONTH_DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function exists(y: number, mo: number, d: number): boolean {
  if (mo < 1 || mo > 12 || d < 1) return false;
  const leap = mo === 2 && y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0);
  return d <= MONTH_DAYS[mo - 1] + (leap ? 1 : 0);
}

const NOT_A_DAY: DateParse = { ok: false, reason: 'ngày không tồn tại' };

function build(y: number, mo: number, d: number, h = 0, mi = 0, s = 0): DateParse {
  if (y < 1900 || y > 2100 || h > 23 || mi > 59 || s > 59 || !exists(y, mo, d)) return NOT_A_DAY;
  return { ok: true, value: `${y}-${TWO[mo]}-${TWO[d]} ${TWO[h]}:${TWO[mi]}:${TWO[s]}` };
}

const isDigit = (text: string, i: number) => {
  const c = text.charCodeAt(i);
  return c >= 48 && c <= 57;
};
const num2 = (text: string, i: number) => (text.charCodeAt(i) - 48) * 10 + text.charCodeAt(i + 1) - 48;

/** 'dd/MM/yyyy' or 'dd/MM/yyyy HH:mm', the one-stop systems' usual form, read without a regular expression. */
function fastDmy(text: string): DateParse | undefined {
  const n = text.length;
  if ((n !== 10 && n !== 16) || text.charCodeAt(2) !== 47 || text.charCodeAt(5) !== 47) return undefined;
  // Unrolled: a loop over an array of positions allocated that array on every call.
  if (!isDigit(text, 0) || !isDigit(text, 1) || !isDigit(text, 3) || !isDigit(text, 4)) return undefined;
  if (!isDigit(text, 6) || !isDigit(text, 7) || !isDigit(text, 8) || !isDigit(text, 9)) return undefined;
  if (n === 16 && (text.charCodeAt(10) !== 32 || text.charCodeAt(13) !== 58 || !isDigit(text, 11) || !isDigit(text, 12) || !isDigit(text, 14) || !isDigit(text, 15))) {
    return undefined;
  }
  const y = num2(text, 6) * 100 + num2(text, 8);
  const mo = num2(text, 3);
  const d = num2(text, 0);
  const h = n === 16 ? num2(text, 11) : 0;
  const mi = n === 16 ? num2(text, 14) : 0;
  if (y < 1900 || y > 2100 || h > 23 || mi > 59 || !exists(y, mo, d)) return NOT_A_DAY;
  const day = `${text.slice(6, 10)}-${text.slice(3, 5)}-${text.slice(0, 2)}`;
  return { ok: true, value: n === 16 ? `${day} ${text.slice(11, 16)}:00` : `${day} 00:00:00` };
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
  if (value === null || value === undefined) return undefined;
  if (value instanceof Date) return fromUtcFields(value);
  if (typeof value === 'number') return fromExcelSerial(value);
  const text = typeof value === 'string' ? value.trim() : String(value).trim();
  if (text === '') return undefined;
  const fast = fastDmy(text);
  if (fast) return fast;
  let m = DMY.exec(text);
  if (m) return build(+m[3], +m[2], +m[1], +(m[4] ?? 0), +(m[5] ?? 0), +(m[6] ?? 0));
  m = YMD.exec(text);
  if (m && m[7]) {
    // An explicit offset (…Z, …+00:00): the same instant, as Vietnam wall-clock time.
    const instant = Date.parse(text.replace(' ', 'T'));
    return Number.isNaN(instant) ? { ok: false, reason: `không đọc được ngày "${text}"` } : fromUtcFields(new Date(instant + VIETNAM_OFFSET_MS));
  }
  if (m) return build(+m[1], +m[2], +m[3], +(m[4] ?? 0), +(m[5] ?? 0), +(m[6] ?? 0));
  m = TIME_DMY.exec(text);
  if (m) return build(+m[6], +m[5], +m[4], +m[1], +m[2], +(m[3] ?? 0));
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
