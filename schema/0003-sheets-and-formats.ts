import type { Kysely, Migration } from 'kysely';

// What a batch was read as (format, encoding, the sheets read and skipped, the fields it had a column for), and
// the sheet of a rejected row: a row number alone does not find a row in a workbook of several sheets.
export const sheetsAndFormats: Migration = {
  async up(db: Kysely<any>) {
    for (const column of ['format', 'encoding', 'sheets', 'fields']) {
      await db.schema.alterTable('import_batches').addColumn(column, 'text').execute();
    }
    await db.schema.alterTable('rejected_rows').addColumn('sheet', 'text').execute();
  },
};
