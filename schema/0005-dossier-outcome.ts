import { sql, type Kysely, type Migration } from 'kysely';

// Each dossier's classification, stored at import (src/domain/outcome.ts): outcome (early, on_time, late,
// rejected, withdrawn, open) and overdue_from, the first day at whose end the dossier counts as overdue while open
// (the day after its due day; null without one). The figures read these instead of restating the rules.
//
// Frozen: the dossiers stored before this migration are classified by its own SQL, a copy of the rules as they
// were when it was written (comparing days; no due day = on time; the day after the due day computed with
// integer arithmetic and text that SQLite and PostgreSQL share). A rule changed later reaches stored dossiers
// through the rules version (src/audit/rules-version.ts), never through an edit here.
//
// No index: the figures read the classification in the same pass as the dates they already scan.

const year = 'cast(substr(due_at, 1, 4) as integer)';
const month = 'cast(substr(due_at, 6, 2) as integer)';
const day = 'cast(substr(due_at, 9, 2) as integer)';
const pad = (n: string) => `case when ${n} < 10 then '0' else '' end || cast(${n} as text)`;
const daysInMonth =
  `case when ${month} in (4, 6, 9, 11) then 30 when ${month} = 2 then ` +
  `case when (${year} % 4 = 0 and ${year} % 100 <> 0) or ${year} % 400 = 0 then 29 else 28 end else 31 end`;

const OVERDUE_FROM =
  `case when due_at is null then null ` +
  `when ${day} < ${daysInMonth} then substr(due_at, 1, 8) || ${pad(`${day} + 1`)} ` +
  `when ${month} < 12 then substr(due_at, 1, 5) || ${pad(`${month} + 1`)} || '-01' ` +
  `else cast(${year} + 1 as text) || '-01-01' end`;

const OUTCOME =
  `case when status = 'rejected' then 'rejected' when status = 'withdrawn' then 'withdrawn' ` +
  `when status in ('finished', 'returned') then case when due_at is null then 'on_time' ` +
  `when substr(ended_at, 1, 10) < substr(due_at, 1, 10) then 'early' ` +
  `when substr(ended_at, 1, 10) = substr(due_at, 1, 10) then 'on_time' else 'late' end ` +
  `else 'open' end`;

export const dossierOutcome: Migration = {
  async up(db: Kysely<any>) {
    await db.schema.alterTable('dossiers').addColumn('outcome', 'text').execute();
    await db.schema.alterTable('dossiers').addColumn('overdue_from', 'text').execute();
    await sql`update dossiers set outcome = ${sql.raw(OUTCOME)}, overdue_from = ${sql.raw(OVERDUE_FROM)}`.execute(db);
  },
};
