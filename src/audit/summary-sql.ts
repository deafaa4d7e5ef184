import { SUMMARY_KEY_COLUMNS, type SummaryTable } from '../db/summary-store.ts';

// The summaries by half-month computed by the database from the dossiers alone, in the shape of dossier_half_months
// and dossier_procedure_half_months.
// It is the second writing of src/stats/summary.ts's contributions, in SQL rather than JavaScript, so that `tthc
// verify` can compare the stored table with it in one aggregate pass instead of reading millions of dossiers into
// Node. The two writings are held equal by verify's own tests (every import scenario is followed by a verify).
// Like summary.ts it reads each dossier's stored classification (outcome, overdue_from: src/domain/outcome.ts),
// which verify checks separately against the dossier's own columns.
//
// Everything is integer arithmetic and text functions that SQLite and PostgreSQL share (substr, cast, ||, /, %):
// a half-month as a number, year × 24 + (month − 1) × 2 + (day ≥ 15), as halfMonthIndex does. The per-dossier
// values are MATERIALIZED (SQLite 3.35+, PostgreSQL 12+): inlined, every branch below would evaluate them again,
// which took 40 % longer on 500,000 dossiers.

/** The count columns, in the order of dossier_half_months (schema/0002). */
export const FRESH_SUMMARY_COUNTS = [
  'received', 'ended_early', 'ended_on_time', 'ended_late', 'ended_rejected', 'ended_withdrawn', 'overdue_in', 'overdue_out',
] as const;

const int = (text: string) => `cast(${text} as integer)`;
const halfMonthIndex = (t: string) =>
  `(${int(`substr(${t}, 1, 4)`)} * 24 + (${int(`substr(${t}, 6, 2)`)} - 1) * 2 + case when substr(${t}, 9, 2) >= '15' then 1 else 0 end)`;

// Per dossier: its key (unit, field, channel, and the procedure for dossier_procedure_half_months), the half-months it
// was received (r) and ended in (e, null while open), the half-month of overdue_from (o_from, null without a due
// day), and its outcome (o).
const perDossier = (key: string) =>
  `select ${key}, ` +
  `${halfMonthIndex('received_at')} as r, ` +
  `case when ended_at is null then null else ${halfMonthIndex('ended_at')} end as e, ` +
  `case when overdue_from is null then null else ${halfMonthIndex('overdue_from')} end as o_from, ` +
  `outcome as o from dossiers`;

/** The key columns of each summary table but the half-month, in the order of its primary key. */
export const FRESH_SUMMARY_KEYS: Record<SummaryTable, readonly string[]> = {
  dossier_half_months: SUMMARY_KEY_COLUMNS.dossier_half_months.filter((c) => c !== 'half_month'),
  dossier_procedure_half_months: SUMMARY_KEY_COLUMNS.dossier_procedure_half_months.filter((c) => c !== 'half_month'),
};
const KEY_OF_DOSSIER: Record<string, string> = {
  unit_code: 'unit_code',
  field: "coalesce(field, '') as field",
  channel: "coalesce(channel, '') as channel",
  procedure_name: "coalesce(procedure_name, '') as procedure_name",
};

/** The stored outcome each ended count counts. */
const OUTCOME_LETTERS = { ended_early: 'early', ended_on_time: 'on_time', ended_late: 'late', ended_rejected: 'rejected', ended_withdrawn: 'withdrawn' } as const;
type Counts = Partial<Record<(typeof FRESH_SUMMARY_COUNTS)[number], string>>;
const branch = (key: string, half: string, counts: Counts, where: string) =>
  `select ${key}, ${half} as h, ${FRESH_SUMMARY_COUNTS.map((c) => `${counts[c] ?? '0'} as ${c}`).join(', ')} ` +
  `from d${where ? ` where ${where}` : ''}`;
const outcomes = (condition: string): Counts =>
  Object.fromEntries(
    Object.entries(OUTCOME_LETTERS).map(([count, letter]) => [count, `case when ${condition}o = '${letter}' then 1 else 0 end`]),
  );

// A dossier adds rows at three half-months at most: its receipt's (with its outcome and the start of its overdue
// spell when they fall in the same half-month, as they mostly do), its end's, and the start of its overdue spell
// (s: max(r, o_from), kept only when it comes before the end). Folding them so leaves the database fewer rows to
// sort than one row per count.
const withSpell = (key: string) =>
  `select *, case when o_from is not null and (e is null or (case when o_from > r then o_from else r end) < e) ` +
  `then (case when o_from > r then o_from else r end) end as s from (${perDossier(key)}) d0`;

const contributions = (key: string) =>
  [
    branch(key, 'r', { received: '1', ...outcomes('e = r and '), overdue_in: 'case when s = r then 1 else 0 end' }, ''),
    branch(key, 'e', { ...outcomes(''), overdue_out: 'case when s is not null then 1 else 0 end' }, 'e is not null and e <> r'),
    branch(key, 's', { overdue_in: '1' }, 's is not null and s <> r'),
  ].join(' union all ');

const halfMonthText =
  `cast(h / 24 as text) || '-' || case when (h % 24) / 2 + 1 < 10 then '0' else '' end || ` +
  `cast((h % 24) / 2 + 1 as text) || '-' || cast(h % 2 + 1 as text)`;

function freshSummary(table: SummaryTable): string {
  const columns = FRESH_SUMMARY_KEYS[table];
  const key = columns.join(', ');
  return (
    `select ${key}, ${halfMonthText} as half_month, ` +
    FRESH_SUMMARY_COUNTS.map((c) => `sum(${c}) as ${c}`).join(', ') +
    ` from (with d as materialized (${withSpell(columns.map((c) => KEY_OF_DOSSIER[c]).join(', '))}) ${contributions(key)}) c group by ${key}, h`
  );
}

/**
 * Per summary table, SELECT its key columns, half_month, received, …, overdue_out: one row per key that some
 * dossier contributes to, as plain SQL text (the migrations that create the tables hold frozen copies of it).
 */
export const FRESH_SUMMARY_SELECT: Record<SummaryTable, string> = {
  dossier_half_months: freshSummary('dossier_half_months'),
  dossier_procedure_half_months: freshSummary('dossier_procedure_half_months'),
};
