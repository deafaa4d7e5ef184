import { sql, type Kysely, type Migration } from 'kysely';

// Indexes on the days a dossier was received, ended and became overdue, so that statistics of a range of days
// that is not made of whole half-months read only the dossiers of its partial half-months at each end (by these
// indexes) beside the summary by half-month (src/stats/compute-summary.ts), instead of every dossier.
//
// Frozen: the literal SQL of when it was written.
export const periodIndexes: Migration = {
  async up(db: Kysely<any>) {
    await sql`create index dossiers_received_at on dossiers (received_at)`.execute(db);
    await sql`create index dossiers_ended_at on dossiers (ended_at)`.execute(db);
    await sql`create index dossiers_overdue_from on dossiers (overdue_from)`.execute(db);
  },
};
