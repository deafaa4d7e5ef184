import { z } from 'zod';
import { isDay } from './dates.ts';
import { parseJsonText, readJsonFile } from './json-file.ts';
import { CalendarError, isWeekend, type CalendarFile } from './working-days.ts';

// A calendar file's schema and loaders, apart from the calendar itself: only a command given --calendar loads zod
// for it.

const dayText = z.string().refine(isDay, { message: 'ngày phải có dạng yyyy-MM-dd và có thật' });

const CalendarYearSchema = z.strictObject({
  /** Where the days come from: the announcement, its number and date. */
  sources: z.array(z.string().min(1)).min(1),
  /** Every day off of the year beyond Saturdays and Sundays (those may be listed too), with its name. */
  daysOff: z.record(dayText, z.string().min(1)),
  /** Saturdays or Sundays worked to make up for a weekday off (a swap). */
  workingDays: z.record(dayText, z.string().min(1)).default({}),
  /** Days listed above that no primary source confirmed, with the reason. */
  uncertain: z.record(dayText, z.string().min(1)).optional(),
});

export const CalendarFileSchema = z.strictObject({
  $comment: z.string().optional(),
  years: z.record(z.string().regex(/^\d{4}$/, { message: 'năm phải có 4 chữ số' }), CalendarYearSchema),
}).superRefine((file, ctx) => {
  for (const [year, entry] of Object.entries(file.years)) {
    for (const list of ['daysOff', 'workingDays', 'uncertain'] as const) {
      for (const day of Object.keys(entry[list] ?? {})) {
        if (day.slice(0, 4) !== year) {
          ctx.addIssue({ code: 'custom', path: ['years', year, list, day], message: `ngày ${day} không thuộc năm ${year}` });
        }
      }
    }
    for (const day of Object.keys(entry.workingDays)) {
      if (!isWeekend(day)) {
        ctx.addIssue({ code: 'custom', path: ['years', year, 'workingDays', day], message: `ngày làm bù ${day} không phải thứ Bảy hay Chủ nhật` });
      }
      if (day in entry.daysOff) {
        ctx.addIssue({ code: 'custom', path: ['years', year, 'workingDays', day], message: `ngày ${day} vừa là ngày nghỉ vừa là ngày làm bù` });
      }
    }
  }
});

/** Reads a user's calendar file (`--calendar FILE`); a mistake is reported with its line. */
export function loadCalendarFile(path: string): CalendarFile {
  return readJsonFile(path, CalendarFileSchema, 'lịch ngày nghỉ', CalendarError);
}

/** A calendar file's text, checked as loadCalendarFile does; `name` names it in a message. */
export function parseCalendarFile(text: string, name: string): CalendarFile {
  return parseJsonText(text, name, CalendarFileSchema, 'lịch ngày nghỉ', CalendarError);
}
