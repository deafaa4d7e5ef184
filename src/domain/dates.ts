import { isExists, isMatch, isValid } from 'date-fns';

// Every date-time is kept as Vietnam wall-clock time (UTC+7, no daylight saving) in the fixed-width text form
// 'yyyy-MM-dd HH:mm:ss'. Text of that form sorts like time on SQLite and PostgreSQL alike, and comparing a
// stored value with a bare day 'yyyy-MM-dd' splits exactly at midnight.
export type WallClock = string;
/** A calendar day, 'yyyy-MM-dd'. */
export type Day = string;

export type DateParse = { ok: true; value: WallClock } | { ok: false; reason: string };

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

function build(y: number, mo: number, d: number, h = 0, mi = 0, s = 0): DateParse {
  if (y < 1900 || y > 2100 || h > 23 || mi > 59 || s > 59 || !isExists(y, mo - 1, d)) {
    return { ok: false, reason: `ngày không tồn tại` };
  }
  return { ok: true, value: `${pad(y, 4)}-${pad(mo)}-${pad(d)} ${pad(h)}:${pad(mi)}:${pad(s)}` };
}

const DMY = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})(?:[ T,]+(\d{1,2}):(\d{2})(?::(\d{2}))?)?$/;
const TIME_DMY = /^(\d{1,2}):(\d{2})(?::(\d{2}))?[ ,]+(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$/;
const YMD = /^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/;
const COMPACT = /^(\d{4})(\d{2})(\d{2})(\d{2})?(\d{2})?(\d{2})?$/;

// Excel's day 0 is 1899-12-30 (with the 1900 leap-year bug folded in for dates after February 1900).
const EXCEL_EPOCH_MS = Date.UTC(1899, 11, 30);

function fromExcelSerial(serial: number): DateParse {
  if (!(serial > 0 && serial < 2958466)) return { ok: false, reason: `số ngày Excel không hợp lệ: ${serial}` };
  return fromUtcFields(new Date(EXCEL_EPOCH_MS + Math.round(serial * 86400) * 1000));
}

// exceljs hands a date cell over as a Date whose UTC fields are the wall-clock time the cell shows.
function fromUtcFields(date: Date): DateParse {
  if (!isValid(date)) return { ok: false, reason: 'ngày không hợp lệ' };
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
  const text = String(value).trim();
  if (text === '') return undefined;
  let m = DMY.exec(text);
  if (m) return build(+m[3], +m[2], +m[1], +(m[4] ?? 0), +(m[5] ?? 0), +(m[6] ?? 0));
  m = YMD.exec(text);
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

/** The day part of a wall-clock time. */
export function dayOf(time: WallClock): Day {
  return time.slice(0, 10);
}

/** Checks a 'yyyy-MM-dd' given on the command line. */
export function isDay(text: string): boolean {
  return /^\d{4}-\d{2}-\d{2}$/.test(text) && isMatch(text, 'yyyy-MM-dd');
}
