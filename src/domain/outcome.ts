import type { Status } from './statuses.ts';

// How a dossier ended against its due day, and from which day it is overdue while open: the counting rules' (docs/rules.md) rules of a
// dossier on its own, which do not depend on the period asked about. This is the ONE place they are written; the
// importer stores the result on the dossier (columns outcome and overdue_from, schema/0005), and every figure
// reads the stored values: the SQL rules of src/stats/figures.ts ("ended in the period and outcome = 'late'",
// "pending at the end and overdue_from on or before the last day") and the summary by half-month
// (src/stats/summary.ts). schema/0005 holds a frozen SQL copy that classified the dossiers stored before it. A
// change here must raise SUMMARY_RULES_VERSION (src/stats/summary.ts), so that stored dossiers are classified again.
//
// - Finished or returned (a result): the day processing ended against the due day, comparing days (a dossier
//   ended at 16:00 on its due day is on time): earlier = early, same day = on time, later = late. Without a due
//   day: on time, as the one-stop systems count it.
// - Rejected, withdrawn: their own outcomes (rejected is a part of "resolved", withdrawn is not).
// - Processing, supplement requested: open.
// - Overdue while open: from the day after the due day, so that a dossier pending at the end of a period is
//   overdue exactly when its due day is before the period's last day. Without a due day it is never overdue.

export const OUTCOMES = ['early', 'on_time', 'late', 'rejected', 'withdrawn', 'open'] as const;
export type Outcome = (typeof OUTCOMES)[number];

/** The outcomes that count as resolved (đã giải quyết): a result, or a rejection. */
export const RESOLVED_OUTCOMES: readonly Outcome[] = ['early', 'on_time', 'late', 'rejected'];

/** What the classification reads of a dossier: stored times 'yyyy-MM-dd HH:mm:ss' (Vietnam wall-clock). */
export interface ClassifiedDossier {
  status: Status;
  due_at: string | null;
  ended_at: string | null;
}

/** The classification as stored on the dossier. */
export interface DossierClassification {
  outcome: Outcome;
  /** The first day 'yyyy-MM-dd' at whose end the dossier, still open, counts as overdue; null without a due day. */
  overdue_from: string | null;
}

/** A dossier whose status says it ended with a result but that has no end time: no outcome can be given. */
export class UnclassifiableDossierError extends Error {}

export function classifyDossier(d: ClassifiedDossier): DossierClassification {
  return { outcome: outcomeOf(d), overdue_from: overdueFrom(d.due_at) };
}

export function outcomeOf(d: ClassifiedDossier): Outcome {
  switch (d.status) {
    case 'rejected':
      return 'rejected';
    case 'withdrawn':
      return 'withdrawn';
    case 'finished':
    case 'returned': {
      if (d.due_at === null) return 'on_time';
      if (d.ended_at === null) throw new UnclassifiableDossierError(`status ${d.status} without an end time`);
      const order = compareDays(d.ended_at, d.due_at);
      return order < 0 ? 'early' : order === 0 ? 'on_time' : 'late';
    }
    default:
      return 'open';
  }
}

/** The day after the due day ('yyyy-MM-dd'), or null without a due day. */
export function overdueFrom(dueAt: string | null): string | null {
  if (dueAt === null) return null;
  const year = number(dueAt, 0, 4);
  const month = number(dueAt, 5, 2);
  const day = number(dueAt, 8, 2);
  if (day < daysInMonth(year, month)) return `${dueAt.slice(0, 8)}${pad2(day + 1)}`;
  if (month < 12) return `${dueAt.slice(0, 5)}${pad2(month + 1)}-01`;
  return `${String(year + 1).padStart(4, '0')}-01-01`;
}

/** Compares the days (first ten characters) of two stored times: negative, 0 or positive. */
function compareDays(a: string, b: string): number {
  for (let i = 0; i < 10; i++) {
    const diff = a.charCodeAt(i) - b.charCodeAt(i);
    if (diff !== 0) return diff;
  }
  return 0;
}

function number(text: string, at: number, length: number): number {
  let value = 0;
  for (let i = at; i < at + length; i++) value = value * 10 + (text.charCodeAt(i) - 48);
  return value;
}

const pad2 = (n: number) => (n < 10 ? `0${n}` : String(n));

function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}
