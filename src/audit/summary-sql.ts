import { sql, type RawBuilder } from 'kysely';

// The summary by half-month computed by the database from the dossiers alone, in the shape of dossier_half_months.
// It is the second writing of src/stats/summary.ts's contributions, in SQL rather than JavaScript, so that `tthc
// verify` can compare the stored table with it in one aggregate pass instead of reading millions of dossiers into
// Node. The two writings are held equal by verify's own tests (every import scenario is followed by a verify).
//
// Everything is integer arithmetic and text functions that SQLite and PostgreSQL share (substr, cast, ||, /, %):
// - a half-month as a number, year × 24 + (month − 1) × 2 + (day ≥ 15), as halfMonthIndex does;
// - the first half-month at whose end a pending dossier is overdue: its due day's, unless the due day is that
//   half-month's last day (the 14th, or the month's last day), then the next one;
// - outcomes compare days (the first ten characters), as the statistics do.

/** The count columns, in the order of dossier_half_months (schema/0002). */
export const FRESH_SUMMARY_COUNTS = [
  'received', 'ended_early', 'ended_on_time', 'ended_late', 'ended_rejected', 'ended_withdrawn', 'overdue_in', 'overdue_out',
] as const;

const int = (text: string) => `cast(${text} as integer)`;
const halfMonthIndex = (t: string) =>
  `(${int(`substr(${t}, 1, 4)`)} * 24 + (${int(`substr(${t}, 6, 2)`)} - 1) * 2 + case when substr(${t}, 9, 2) >= '15' then 1 else 0 end)`;

const dueYear = int('substr(due_at, 1, 4)');
const dueMonth = int('substr(due_at, 6, 2)');
const dueDay = int('substr(due_at, 9, 2)');
const daysInDueMonth =
  `case when ${dueMonth} in (4, 6, 9, 11) then 30 when ${dueMonth} = 2 then ` +
  `case when (${dueYear} % 4 = 0 and ${dueYear} % 100 <> 0) or ${dueYear} % 400 = 0 then 29 else 28 end else 31 end`;
const overdueIndex = `(${halfMonthIndex('due_at')} + case when ${dueDay} = 14 or ${dueDay} = ${daysInDueMonth} then 1 else 0 end)`;

const outcome =
  `case when status = 'rejected' then 'r' when status = 'withdrawn' then 'w' ` +
  `when status in ('finished', 'returned') then case when due_at is null then 'o' ` +
  `when substr(ended_at, 1, 10) < substr(due_at, 1, 10) then 'e' ` +
  `when substr(ended_at, 1, 10) = substr(due_at, 1, 10) then 'o' else 'l' end end`;

// Per dossier: its key, the half-months it was received (r) and ended in (e, null while open), the half-month from
// which it is overdue while open (s, null without a due day), and its outcome (o).
const perDossier =
  `select unit_code, coalesce(field, '') as field, coalesce(channel, '') as channel, ` +
  `${halfMonthIndex('received_at')} as r, ` +
  `case when ended_at is null then null else ${halfMonthIndex('ended_at')} end as e, ` +
  `case when due_at is null then null else ${overdueIndex} end as o_from, ` +
  `${outcome} as o from dossiers`;

const zeros = (except: number, value: string) =>
  FRESH_SUMMARY_COUNTS.map((c, i) => `${i === except ? value : '0'} as ${c}`).join(', ');
const branch = (half: string, counts: string, where: string) =>
  `select unit_code, field, channel, ${half} as h, ${counts} from d${where ? ` where ${where}` : ''}`;
const overdueFrom = 'case when o_from > r then o_from else r end';
/** The letter `outcome` gives each ended count. */
const OUTCOME_LETTERS = { ended_early: 'e', ended_on_time: 'o', ended_late: 'l', ended_rejected: 'r', ended_withdrawn: 'w' } as const;

const contributions = [
  branch('r', zeros(0, '1'), ''),
  branch('e', FRESH_SUMMARY_COUNTS.map((c) => `${c in OUTCOME_LETTERS ? `case when o = '${OUTCOME_LETTERS[c as keyof typeof OUTCOME_LETTERS]}' then 1 else 0 end` : '0'} as ${c}`).join(', '), 'e is not null'),
  branch(overdueFrom, zeros(6, '1'), `o_from is not null and (e is null or ${overdueFrom} < e)`),
  branch('e', zeros(7, '1'), `o_from is not null and e is not null and ${overdueFrom} < e`),
].join(' union all ');

const halfMonthText =
  `cast(h / 24 as text) || '-' || case when (h % 24) / 2 + 1 < 10 then '0' else '' end || ` +
  `cast((h % 24) / 2 + 1 as text) || '-' || cast(h % 2 + 1 as text)`;

/**
 * SELECT unit_code, field, channel, half_month, received, …, overdue_out: one row per key that some dossier
 * contributes to, as plain SQL text (the migration that creates the table holds a frozen copy of it).
 */
export const FRESH_SUMMARY_SELECT =
  `select unit_code, field, channel, ${halfMonthText} as half_month, ` +
  FRESH_SUMMARY_COUNTS.map((c) => `sum(${c}) as ${c}`).join(', ') +
  ` from (with d as (${perDossier}) ${contributions}) c group by unit_code, field, channel, h`;

export function freshSummarySelect(): RawBuilder<unknown> {
  return sql.raw(FRESH_SUMMARY_SELECT);
}
