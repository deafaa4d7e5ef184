import { sql, type Kysely, type Migration } from 'kysely';

// The index on overdue_from (schema/0007) extended by ended_at, in its place. The statistics of a range of days
// that is not made of whole half-months read, at its end, the dossiers becoming overdue in the days between it and
// the nearest whole half-months that had not ended by then (src/stats/partial-half-months.ts); with ended_at in
// the index the database leaves out the others without reading them. On the 5,000,000-dossier benchmark province,
// for the Hạ Hoà column (01/01–25/05/2023), it reads 449 dossiers instead of looking up the 15,783 becoming
// overdue in 26–31/05 (docs/benchmarks.md, "Ranges of days").
//
// Frozen: the literal SQL of when it was written.
export const overdueFromEndedAtIndex: Migration = {
  async up(db: Kysely<any>) {
    await sql`create index dossiers_overdue_from_ended_at on dossiers (overdue_from, ended_at)`.execute(db);
    await sql`drop index dossiers_overdue_from`.execute(db);
  },
};
