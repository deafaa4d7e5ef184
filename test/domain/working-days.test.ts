import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { allDaysOff, isDayOff } from '../../src/domain/periods.ts';
import {
  addWorkingDays, CalendarError, createCalendar, isWorkingDay, vietnamCalendar, workingDaysBetween, workingDaysLeft,
} from '../../src/domain/working-days.ts';
import { CalendarFileSchema, loadCalendarFile } from '../../src/domain/working-days-file.ts';
import shippedCalendar from '../../src/domain/working-days-vn.json' with { type: 'json' };
import { FIRST_LUNAR_YEAR, LAST_LUNAR_YEAR, lunarHolidaysFromLibrary } from '../../scripts/lunar-holidays-source.ts';

const dir = mkdtempSync(join(tmpdir(), 'tthc-calendar-'));

it('the shipped calendar file is a valid calendar file (it is not checked at run time)', () => {
  expect(() => CalendarFileSchema.parse(shippedCalendar)).not.toThrow();
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The days from `from` to `to`, both included. */
function days(from: string, to: string): string[] {
  const out: string[] = [];
  for (let t = Date.parse(`${from}T00:00:00Z`); t <= Date.parse(`${to}T00:00:00Z`); t += 86_400_000) {
    out.push(new Date(t).toISOString().slice(0, 10));
  }
  return out;
}

describe('Tết as announced', () => {
  // Each break from the announcement, with the working day on either side of it.
  it.each([
    // Công văn 8056/VPCP-KGVX (2022): 20/01 to 26/01/2023.
    ['2023', '2023-01-19', '2023-01-20', '2023-01-26', '2023-01-27'],
    // Thông báo 5015/TB-LĐTBXH (2023): 08/02 to 14/02/2024.
    ['2024', '2024-02-07', '2024-02-08', '2024-02-14', '2024-02-15'],
    // Thông báo 6150/TB-LĐTBXH (2024): 25/01 to 02/02/2025.
    ['2025', '2025-01-24', '2025-01-25', '2025-02-02', '2025-02-03'],
    // Thông báo 9441/TB-BNV (2025): 14/02 to 22/02/2026.
    ['2026', '2026-02-13', '2026-02-14', '2026-02-22', '2026-02-23'],
  ])('Tết %s: off from %s+1 to the day before the next working day', (_year, before, first, last, after) => {
    expect(isWorkingDay(before)).toBe(true);
    expect(days(first, last).filter(isWorkingDay)).toEqual([]);
    expect(isWorkingDay(after)).toBe(true);
    // The break is no working day at all: from the day before it, the next working day is the day after it.
    expect(addWorkingDays(before, 1)).toBe(after);
    expect(workingDaysBetween(before, after)).toBe(1);
  });

  it('names the days of Tết from the announcement', () => {
    const cal = vietnamCalendar();
    expect(cal.dayOffName('2025-01-27')).toBe('Tết Nguyên đán (28 tháng Chạp)');
    expect(cal.dayOffName('2026-02-20')).toBe('Tết Nguyên đán (mùng 4)');
    expect(cal.dayOffName('2025-02-03')).toBeUndefined();
    expect(cal.year(2024).basis).toBe('file');
    expect(cal.year(2024).sources.join(' ')).toContain('5015/TB-LĐTBXH');
  });
});

describe('swaps and the days next to a holiday', () => {
  it('works the make-up Saturday and rests the swapped weekday', () => {
    // Công văn 2450/VPCP-KGVX (2024): Monday 29/04 off, Saturday 04/05/2024 worked.
    expect(isWorkingDay('2024-04-29')).toBe(false);
    expect(isWorkingDay('2024-05-04')).toBe(true);
    expect(isWorkingDay('2024-05-05')).toBe(false);
    // Thông báo 6150/TB-LĐTBXH: Friday 02/05 off, Saturday 26/04/2025 worked.
    expect(isWorkingDay('2025-04-26')).toBe(true);
    expect(isWorkingDay('2025-05-02')).toBe(false);
    // Công văn 12729/VPCP-KGVX (2025): Friday 02/01 off, Saturday 10/01/2026 worked.
    expect(isWorkingDay('2026-01-02')).toBe(false);
    expect(isWorkingDay('2026-01-10')).toBe(true);
    // From Friday 25/04/2025 the next working day is the Saturday, then Tuesday 29/04 (30/04–04/05 off).
    expect(addWorkingDays('2025-04-25', 1)).toBe('2025-04-26');
    expect(addWorkingDays('2025-04-26', 1)).toBe('2025-04-28');
    expect(addWorkingDays('2025-04-28', 2)).toBe('2025-05-05');
  });

  it('rests 2/9 and the day next to it', () => {
    // 2024: 31/08 to 03/09 (Monday 2/9 and Tuesday 3/9).
    expect(days('2024-08-31', '2024-09-03').filter(isWorkingDay)).toEqual([]);
    expect(isWorkingDay('2024-09-04')).toBe(true);
    // 2025: 30/08 to 02/09 (Monday 1/9 and Tuesday 2/9).
    expect(days('2025-08-30', '2025-09-02').filter(isWorkingDay)).toEqual([]);
    expect(isWorkingDay('2025-08-29')).toBe(true);
    expect(isWorkingDay('2025-09-03')).toBe(true);
    // 2023: 01/09 to 04/09 (2/9 on a Saturday, made up on Monday 4/9).
    expect(days('2023-09-01', '2023-09-04').filter(isWorkingDay)).toEqual([]);
    expect(isWorkingDay('2023-09-05')).toBe(true);
    // 2020, under the Labour Code of 2012: 2/9 alone.
    expect(isWorkingDay('2020-09-02')).toBe(false);
    expect(isWorkingDay('2020-09-01')).toBe(true);
    expect(isWorkingDay('2020-09-03')).toBe(true);
  });

  it('makes up a holiday on a weekend on the next working day', () => {
    // 2023: Giỗ Tổ on Saturday 29/04 and 30/04 on Sunday, made up on 02/05 and 03/05 beside 01/05.
    expect(days('2023-04-29', '2023-05-03').filter(isWorkingDay)).toEqual([]);
    expect(isWorkingDay('2023-05-04')).toBe(true);
    // 2026: Giỗ Tổ on Sunday 26/04, made up on Monday 27/04.
    expect(isWorkingDay('2026-04-27')).toBe(false);
    expect(isWorkingDay('2026-04-28')).toBe(true);
  });
});

describe('counting working days', () => {
  it('adds working days across Tết, forwards and back', () => {
    // 2025: Thursday 23/01 (1), Friday 24/01 (2), then Tết to 02/02; Monday 03/02 (3), Tuesday 04/02 (4), Wednesday 05/02 (5).
    expect(addWorkingDays('2025-01-22', 5)).toBe('2025-02-05');
    expect(addWorkingDays('2025-02-05', -5)).toBe('2025-01-22');
    expect(addWorkingDays('2024-02-15', -1)).toBe('2024-02-07');
    expect(addWorkingDays('2024-02-10', 0)).toBe('2024-02-10');
  });

  it('counts the working days of February 2024 after the 1st: 20 weekdays less 5 of Tết', () => {
    // Weekdays of 02–29/02/2024: Fri 2, 5–9, 12–16, 19–23, 26–29 = 1 + 5 + 5 + 5 + 4 = 20; Tết takes 8, 9, 12, 13, 14.
    expect(workingDaysBetween('2024-02-01', '2024-02-29')).toBe(15);
    expect(workingDaysBetween('2024-02-29', '2024-02-01')).toBe(-15);
    expect(workingDaysBetween('2024-02-07', '2024-02-07')).toBe(0);
  });

  it('answers the same before and after it builds its tables for many questions', () => {
    const cal = createCalendar();
    const span = days('2024-01-01', '2026-12-31');
    const first = span.map(cal.isWorkingDay);
    // 21,000 more questions make it build the tables of 2000–2050.
    for (let i = 0; i < 21; i++) days('2027-01-01', '2029-09-26').forEach(cal.isWorkingDay);
    expect(span.map(cal.isWorkingDay)).toEqual(first);
    expect(first.filter(Boolean).length).toBe(cal.workingDaysBetween('2023-12-31', '2026-12-31'));
  });

  it('counts the working days of a year by hand', () => {
    // 2024 (leap, from a Monday): 52 weeks and Mon 30, Tue 31/12 = 262 weekdays; off: 1/1, Tết 8, 9, 12, 13, 14/2,
    // 18/4, 29/4, 30/4, 1/5, 2/9, 3/9 = 12; Saturday 4/5 worked: 262 − 12 + 1 = 251.
    expect(workingDaysBetween('2023-12-31', '2024-12-31')).toBe(251);
    // 2025 (from a Wednesday): 52 weeks and Wed 31/12 = 261; off: 1/1, Tết 27–31/1, 7/4, 30/4, 1/5, 2/5, 1/9, 2/9
    // = 12; Saturday 26/4 worked: 261 − 12 + 1 = 250.
    expect(workingDaysBetween('2024-12-31', '2025-12-31')).toBe(250);
  });

  it('gives a table of days for the database to count in SQL', () => {
    const rows = vietnamCalendar().dayRows('2024-02-01', '2024-02-29');
    expect(rows).toHaveLength(29);
    expect(rows[0]).toEqual({ day: '2024-02-01', working: true, workingDays: 0 });
    // After 01/02: Friday 02, then 05, 06, 07; Tết to 14/02; Thursday 15 is the fifth.
    expect(rows.find((r) => r.day === '2024-02-08')).toEqual({ day: '2024-02-08', working: false, workingDays: 4 });
    expect(rows.find((r) => r.day === '2024-02-15')).toEqual({ day: '2024-02-15', working: true, workingDays: 5 });
    expect(rows.at(-1)).toEqual({ day: '2024-02-29', working: true, workingDays: 15 });
  });

  it('gives the working days left before a due day, negative when overdue', () => {
    expect(workingDaysLeft('2024-02-07', '2024-02-16')).toBe(2);
    expect(workingDaysLeft('2024-02-16', '2024-02-16')).toBe(0);
    expect(workingDaysLeft('2024-02-19', '2024-02-07')).toBe(-3);
  });

  it('follows the Labour Code for a year no file lists, and says so', () => {
    // 2027: Tết on Saturday 06/02; rule: 04/02–08/02, the Saturday and Sunday made up on 09/02 and 10/02.
    const cal = vietnamCalendar();
    expect(cal.year(2027).basis).toBe('rule');
    expect(days('2027-02-04', '2027-02-10').filter(cal.isWorkingDay)).toEqual([]);
    expect(cal.isWorkingDay('2027-02-03')).toBe(true);
    expect(cal.isWorkingDay('2027-02-11')).toBe(true);
    // Giỗ Tổ 10/3 âm lịch: Friday 16/04/2027.
    expect(cal.isWorkingDay('2027-04-16')).toBe(false);
  });

  it('says what a count rests on that was not announced', () => {
    const cal = vietnamCalendar();
    expect(cal.warnings('2024-01-01', '2025-12-31')).toEqual([]);
    expect(cal.warnings('2026-08-01', '2027-01-31')).toEqual([
      'ngày nghỉ 01/09/2026 (Quốc khánh (ngày liền kề)) chưa xác minh: Thông báo 9441/TB-BNV cũng định lịch nghỉ Quốc khánh 2026 nhưng chưa tra được nội dung: ngày liền kề (và hoán đổi nếu có) chưa xác minh',
      'ngày nghỉ năm 2027 tính theo Bộ luật Lao động, chưa theo thông báo chính thức (Tết, hoán đổi có thể khác; thêm bằng tệp lịch riêng)',
    ]);
    expect(cal.warnings('2026-10-01', '2026-12-31')).toEqual([]);
  });

  it('refuses a year it cannot know', () => {
    expect(() => isWorkingDay('2051-03-01')).toThrow(CalendarError);
    expect(() => isWorkingDay('2051-03-01')).toThrow('chưa có lịch ngày nghỉ của năm 2051');
    expect(() => addWorkingDays('2024-02-30', 1)).toThrow('ngày không hợp lệ: "2024-02-30"');
    expect(() => workingDaysBetween('2024-13-01', '2024-12-01')).toThrow('ngày không hợp lệ: "2024-13-01"');
    expect(() => isWorkingDay('1/2/2024')).toThrow(CalendarError);
  });
});

describe("a user's calendar file", () => {
  const file = (name: string, text: string) => {
    const path = join(dir, name);
    writeFileSync(path, text);
    return path;
  };

  it('extends an announced year and adds a year', () => {
    const path = file('lich.json', JSON.stringify({
      years: {
        2024: { sources: ['Quyết định của UBND tỉnh (ví dụ)'], daysOff: { '2024-03-26': 'Ngày nghỉ của tỉnh' }, workingDays: {} },
        2027: {
          sources: ['Thông báo (ví dụ)'],
          daysOff: { '2027-01-01': 'Tết Dương lịch', '2027-02-05': 'Tết (Giao thừa)', '2027-02-08': 'Tết', '2027-02-09': 'Tết', '2027-02-10': 'Tết', '2027-02-11': 'Tết' },
          workingDays: { '2027-02-20': 'Làm bù' },
        },
      },
    }, null, 2));
    const cal = createCalendar([loadCalendarFile(path)]);
    expect(cal.isWorkingDay('2024-03-26')).toBe(false);
    // The shipped days of 2024 stay.
    expect(cal.isWorkingDay('2024-02-08')).toBe(false);
    expect(cal.isWorkingDay('2024-05-04')).toBe(true);
    // 2027 is the file's: 11/02 off, 04/02 worked (the rule would rest it), Saturday 20/02 worked.
    expect(cal.year(2027).basis).toBe('file');
    expect(cal.isWorkingDay('2027-02-11')).toBe(false);
    expect(cal.isWorkingDay('2027-02-04')).toBe(true);
    expect(cal.isWorkingDay('2027-02-20')).toBe(true);
    expect(cal.workingDaysBetween('2027-02-04', '2027-02-12')).toBe(1);
    // The default calendar is not changed by it.
    expect(isWorkingDay('2024-03-26')).toBe(true);
  });

  it('names the line of a mistake, in Vietnamese', () => {
    const text = [
      '{',
      '  "years": {',
      '    "2027": {',
      '      "sources": ["x"],',
      '      "daysOff": {',
      '        "2027-02-30": "Tết"',
      '      }',
      '    }',
      '  }',
      '}',
    ].join('\n');
    expect(() => loadCalendarFile(file('sai-ngay.json', text))).toThrow(/sai-ngay\.json, dòng 6: lịch ngày nghỉ sai ở "years\.2027\.daysOff\.2027-02-30": ngày phải có dạng yyyy-MM-dd và có thật$/);
    const weekday = text.replace('"daysOff": {', '"workingDays": { "2027-03-03": "x" }, "daysOff": {').replace('2027-02-30', '2027-02-08');
    expect(() => loadCalendarFile(file('sai-lam-bu.json', weekday))).toThrow('dòng 5: lịch ngày nghỉ sai ở "years.2027.workingDays.2027-03-03": ngày làm bù 2027-03-03 không phải thứ Bảy hay Chủ nhật');
    expect(() => loadCalendarFile(file('thieu-phay.json', text.replace('"sources": ["x"],', '"sources": ["x"]'))))
      .toThrow('thieu-phay.json, dòng 5: tệp lịch ngày nghỉ không phải JSON hợp lệ (cần dấu phẩy hoặc dấu })');
    expect(() => loadCalendarFile(join(dir, 'khong-co.json'))).toThrow('không đọc được tệp lịch ngày nghỉ');
  });
});

describe('the lunar dates and the periods', () => {
  it('ships the lunar dates date-holidays gives (run scripts/lunar-holidays-vn.ts after upgrading it)', async () => {
    const shipped = JSON.parse(readFileSync(new URL('../../src/domain/lunar-holidays-vn.json', import.meta.url), 'utf8'));
    expect(shipped.years).toEqual(await lunarHolidaysFromLibrary(FIRST_LUNAR_YEAR, LAST_LUNAR_YEAR));
    // Mùng 1 Tết as the announcements name it: 22/01/2023, 10/02/2024, 29/01/2025, 17/02/2026.
    expect([2023, 2024, 2025, 2026].map((y) => shipped.years[y].tet)).toEqual(['2023-01-22', '2024-02-10', '2025-01-29', '2026-02-17']);
  });

  it('treats Tết as days off when a period ends in it', () => {
    expect(isDayOff('2025-01-27')).toBe(true);
    expect(isDayOff('2025-02-03')).toBe(false);
    // Data that ends on Friday 24/01/2025 covers a period to 02/02/2025: the days after are all off.
    expect(allDaysOff('2025-01-25', '2025-02-02')).toBe(true);
    expect(allDaysOff('2025-01-25', '2025-02-03')).toBe(false);
    // Outside the calendar's years, weekends and the fixed holidays.
    expect(isDayOff('1999-09-02')).toBe(true);
    expect(isDayOff('1999-09-03')).toBe(false);
  });
});
