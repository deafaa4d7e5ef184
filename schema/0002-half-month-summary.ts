import type { Kysely, Migration } from 'kysely';
import { SUMMARY_COUNTS } from '../src/stats/summary.ts';
import { rebuildSummary } from '../src/stats/summary-writer.ts';

// The summary by half-month that statistics of half-month-aligned periods (calendar months, quarters, years,
// reporting months and years) read instead of every dossier (src/stats/summary.ts). A database that already holds
// dossiers gets its summary built here, from the same contributions. No index on half_month: the table is small
// (units × fields × channels × half-months), a scan of it takes well under a second even for a province over five
// years, and an index made no difference to the statistics queries.
export const halfMonthSummary: Migration = {
  async up(db: Kysely<any>) {
    let table = db.schema
      .createTable('dossier_half_months')
      .addColumn('unit_code', 'text', (c) => c.notNull())
      .addColumn('field', 'text', (c) => c.notNull())
      .addColumn('channel', 'text', (c) => c.notNull())
      .addColumn('half_month', 'text', (c) => c.notNull());
    for (const count of SUMMARY_COUNTS) table = table.addColumn(count, 'integer', (c) => c.notNull().defaultTo(0));
    await table.addPrimaryKeyConstraint('dossier_half_months_pk', ['unit_code', 'field', 'channel', 'half_month']).execute();
    await rebuildSummary(db);
  },
};
