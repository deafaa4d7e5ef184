import { sql, type Kysely, type Migration } from 'kysely';
import { RULE_YEARS, vietnamCalendar } from '../src/domain/working-days.ts';

// Working days (docs/working-days.md):
// - procedures.duration_days and duration_unit: the catalogue's "Thời hạn giải quyết" as a number of days and
//   whether they are working days ('working') or calendar days ('calendar'); null when the catalogue gives none.
// - dossiers.due_computed: 1 when due_at was computed from the procedure's duration (the export gave no due
//   day), so that a real due day of a later export replaces it and a reader can tell the two apart.
// - dossiers.processing_working_days: the working days from the day of receipt to the day processing ended, the
//   day of receipt not counted; null while open. The importer stores it; this migration fills it for the
//   dossiers stored before, with the shipped calendar, by a join on a table of days and their running count.
export const workingDays: Migration = {
  async up(db: Kysely<any>) {
    await sql`alter table procedures add column duration_days integer`.execute(db);
    await sql`alter table procedures add column duration_unit text`.execute(db);
    await sql`alter table dossiers add column due_computed integer not null default 0`.execute(db);
    await sql`alter table dossiers add column processing_working_days integer`.execute(db);
    const span = await sql<{ first: string | null; last: string | null }>`
      select min(received_at) as first, max(ended_at) as last from dossiers where ended_at is not null`.execute(db);
    const { first, last } = span.rows[0] ?? { first: null, last: null };
    if (first === null || last === null) return;
    const from = maxText(first.slice(0, 10), `${RULE_YEARS.first}-01-01`);
    const to = minText(last.slice(0, 10), `${RULE_YEARS.last}-12-31`);
    if (from > to) return;
    await sql`create temporary table working_day_counts (day text primary key, working_days integer not null)`.execute(db);
    const rows = vietnamCalendar().dayRows(from, to);
    for (let i = 0; i < rows.length; i += 400) {
      const chunk = rows.slice(i, i + 400);
      await sql`insert into working_day_counts (day, working_days) values ${sql.join(chunk.map((r) => sql`(${r.day}, ${r.workingDays})`))}`.execute(db);
    }
    await sql`
      update dossiers set processing_working_days =
        (select e.working_days from working_day_counts e where e.day = substr(dossiers.ended_at, 1, 10)) -
        (select r.working_days from working_day_counts r where r.day = substr(dossiers.received_at, 1, 10))
      where ended_at is not null`.execute(db);
    await sql`drop table working_day_counts`.execute(db);
  },
};

const maxText = (a: string, b: string) => (a > b ? a : b);
const minText = (a: string, b: string) => (a < b ? a : b);
