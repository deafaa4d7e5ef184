import type { Kysely, Migration } from 'kysely';
import { MONTHLY_COUNTS, rebuildMonthlySummary } from '../src/stats/monthly.ts';

// The monthly summary that month-aligned statistics read instead of every dossier (src/stats/monthly.ts).
// A database that already holds dossiers gets its summary built here, from the same contributions. No index
// on month: the table is small (units × fields × channels × months), a scan of it takes well under a second
// even for a province over five years, and an index made no difference to the statistics queries.
export const monthlySummary: Migration = {
  async up(db: Kysely<any>) {
    let table = db.schema
      .createTable('dossier_months')
      .addColumn('unit_code', 'text', (c) => c.notNull())
      .addColumn('field', 'text', (c) => c.notNull())
      .addColumn('channel', 'text', (c) => c.notNull())
      .addColumn('month', 'text', (c) => c.notNull());
    for (const count of MONTHLY_COUNTS) table = table.addColumn(count, 'integer', (c) => c.notNull().defaultTo(0));
    await table.addPrimaryKeyConstraint('dossier_months_pk', ['unit_code', 'field', 'channel', 'month']).execute();
    await rebuildMonthlySummary(db);
  },
};
