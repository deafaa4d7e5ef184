import type { Command } from 'commander';
import { loadCalendarFile } from '../domain/working-days-file.ts';
import { createCalendar, type WorkingCalendar } from '../domain/working-days.ts';
import { collect } from './common.ts';

// `--calendar FILE` of the commands that count working days (import, verify, dossiers --due-within): a user's
// calendar file applied over the shipped one (docs/working-days.md, "A user's file").

export function addCalendarOption(cmd: Command): Command {
  return cmd.option(
    '--calendar <file.json>',
    "a calendar file of days off and make-up days, over the shipped one (repeatable, later files win; format: docs/working-days.md)",
    collect,
  );
}

/** The calendar of the shipped file and the files given, or undefined (the shipped one) when none is. */
export function calendarFromOptions(opts: { calendar?: unknown }): WorkingCalendar | undefined {
  const files = Array.isArray(opts.calendar) ? (opts.calendar as string[]) : [];
  return files.length ? createCalendar(files.map((file) => loadCalendarFile(file))) : undefined;
}
