import { describe, expect, it } from 'vitest';
import { dueDayOf, parseDuration, processingWorkingDays } from '../../src/domain/due-day.ts';
import { createCalendar } from '../../src/domain/working-days.ts';

// Durations as procedure catalogues write them, and due days counted by hand on the shipped calendar
// (src/domain/working-days-vn.json): the day of receipt not counted (Bộ luật Dân sự 2015, Điều 147).

describe('parseDuration', () => {
  it('reads working days, calendar days, a bare number and "trong ngày"; refuses the rest', () => {
    expect(parseDuration('10 ngày làm việc')).toEqual({ days: 10, unit: 'working' });
    expect(parseDuration('15 Ngày làm việc kể từ ngày nhận đủ hồ sơ hợp lệ')).toEqual({ days: 15, unit: 'working' });
    expect(parseDuration('Không quá 20 ngày làm việc (30 ngày nếu phải xác minh)')).toEqual({ days: 20, unit: 'working' });
    expect(parseDuration('05 ngày')).toEqual({ days: 5, unit: 'calendar' });
    expect(parseDuration('30 ngày kể từ ngày nhận hồ sơ')).toEqual({ days: 30, unit: 'calendar' });
    expect(parseDuration('10')).toEqual({ days: 10, unit: 'working' });
    expect(parseDuration(7)).toEqual({ days: 7, unit: 'working' });
    expect(parseDuration('Trong ngày')).toEqual({ days: 0, unit: 'working' });
    expect(parseDuration('trong ngày làm việc')).toEqual({ days: 0, unit: 'working' });
    for (const text of ['0,5 ngày', '04 giờ', '01 tháng', 'nửa tháng', 'Theo quy định', '', '1/2 ngày làm việc', '1/2 ngày', '2 ngày rưỡi']) {
      expect(parseDuration(text), text).toBeUndefined();
    }
    expect(parseDuration(2.5)).toBeUndefined();
  });
});

describe('dueDayOf and processingWorkingDays', () => {
  it('moves "Trong ngày" received on a day off to the next working day', () => {
    // Sat 10/02/2024, in Tết (08–14/02): due Thu 15/02; Sat 02/03/2024: Mon 04/03; a working Friday stays.
    expect(dueDayOf('2024-02-10', { days: 0, unit: 'working' })).toBe('2024-02-15');
    expect(dueDayOf('2024-03-02 10:00:00', { days: 0, unit: 'working' })).toBe('2024-03-04');
    expect(dueDayOf('2024-03-01', { days: 0, unit: 'working' })).toBe('2024-03-01');
  });

  it('count across Tết 2024, the 2024 and 2025 swaps, and move a calendar-day limit off a day off', () => {
    // Tết 2024: 08–14/02 off. After Mon 05/02: 06, 07, 15, 16, 19.
    expect(dueDayOf('2024-02-05 09:00:00', { days: 5, unit: 'working' })).toBe('2024-02-19');
    // 2024: Mon 29/04 off, Sat 04/05 worked. After Thu 25/04: 26/04, 02, 03, 04 (Sat), 06/05.
    expect(dueDayOf('2024-04-25', { days: 5, unit: 'working' })).toBe('2024-05-06');
    // 2025: Fri 02/05 off, Sat 26/04 worked. After Thu 24/04: 25, 26 (Sat).
    expect(dueDayOf('2025-04-24', { days: 2, unit: 'working' })).toBe('2025-04-26');
    // 5 calendar days after Mon 05/02/2024 is Sat 10/02, in Tết: the next working day, Thu 15/02 (Điều 148).
    expect(dueDayOf('2024-02-05', { days: 5, unit: 'calendar' })).toBe('2024-02-15');
    expect(dueDayOf('2024-03-05', { days: 0, unit: 'working' })).toBe('2024-03-05');
    // Received on a Saturday: the count starts on the Monday.
    expect(dueDayOf('2024-03-09', { days: 1, unit: 'working' })).toBe('2024-03-11');
    // A year the calendar does not know: no due day rather than a guess.
    expect(dueDayOf('2099-01-05', { days: 5, unit: 'working' })).toBeUndefined();

    expect(processingWorkingDays('2024-02-07 10:00:00', '2024-02-15 09:00:00')).toBe(1);
    expect(processingWorkingDays('2024-03-05 08:00:00', '2024-03-05 16:00:00')).toBe(0);
    expect(processingWorkingDays('2024-03-05 08:00:00', null)).toBeNull();
    // A user's calendar that rests Thu 15/02/2024 too.
    const calendar = createCalendar([{ years: { 2024: { sources: ['thử'], daysOff: { '2024-02-15': 'Nghỉ thêm' }, workingDays: {} } } }]);
    expect(processingWorkingDays('2024-02-07', '2024-02-16', calendar)).toBe(1);
    expect(dueDayOf('2024-02-05', { days: 5, unit: 'working' }, calendar)).toBe('2024-02-20');
  });
});
