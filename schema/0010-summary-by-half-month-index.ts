import { sql, type Kysely, type Migration } from 'kysely';

// An index of the summary by half-month led by the half-month and holding every column, so that the statistics
// of a period read its half-months as one range of the index, already in the order of half-month, unit and
// channel they are grouped by, without touching the table (src/stats/compute-summary.ts). On the 5,000,000-dossier
// benchmark province (253,494 summary rows, 51,998 of them in a year) the read of a year's half-months grouped
// by unit and channel went from 112 ms (a scan of the key's index and a lookup of each row) to 67 ms
// (docs/serve.md).
//
// Frozen: the literal SQL of when it was written.
export const summaryHalfMonthIndex: Migration = {
  async up(db: Kysely<any>) {
    await sql`create index dossier_half_months_by_half_month on dossier_half_months (half_month, unit_code, channel, field,
      received, ended_early, ended_on_time, ended_late, ended_rejected, ended_withdrawn, overdue_in, overdue_out)`.execute(db);
  },
};
