import { sql, type Kysely, type Migration } from 'kysely';
import { autoIdType } from '../src/db/dialect.ts';

export const initial: Migration = {
  async up(db: Kysely<any>) {
    await db.schema
      .createTable('units')
      .addColumn('code', 'text', (c) => c.primaryKey())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('name_key', 'text', (c) => c.notNull())
      .addColumn('level', 'text', (c) => c.notNull().check(sqlIn('level', ['tinh', 'huyen', 'xa'])))
      .addColumn('parent_code', 'text')
      .addColumn('valid_from', 'text')
      .addColumn('valid_to', 'text')
      .addColumn('successor_code', 'text')
      .execute();
    await db.schema.createIndex('units_name_key').on('units').column('name_key').execute();

    await db.schema
      .createTable('procedures')
      .addColumn('code', 'text', (c) => c.primaryKey())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('name_key', 'text', (c) => c.notNull())
      .addColumn('field', 'text')
      .addColumn('online_level', 'integer')
      .addColumn('level', 'text')
      .execute();
    await db.schema.createIndex('procedures_name_key').on('procedures').column('name_key').execute();

    await db.schema
      .createTable('import_batches')
      .addColumn('id', autoIdType(db), (c) => c.primaryKey())
      .addColumn('file_name', 'text', (c) => c.notNull())
      .addColumn('sha256', 'text', (c) => c.notNull())
      .addColumn('imported_at', 'text', (c) => c.notNull())
      .addColumn('rows_read', 'integer', (c) => c.notNull())
      .addColumn('new_count', 'integer', (c) => c.notNull())
      .addColumn('updated_count', 'integer', (c) => c.notNull())
      .addColumn('unchanged_count', 'integer', (c) => c.notNull())
      .addColumn('rejected_count', 'integer', (c) => c.notNull())
      .addColumn('footer_rows_skipped', 'integer', (c) => c.notNull())
      .addColumn('personal_columns_dropped', 'text', (c) => c.notNull())
      .addColumn('units_created', 'text', (c) => c.notNull())
      .addColumn('seconds', 'real', (c) => c.notNull())
      .execute();

    await db.schema
      .createTable('dossiers')
      .addColumn('code', 'text', (c) => c.primaryKey())
      .addColumn('unit_code', 'text', (c) => c.notNull().references('units.code'))
      .addColumn('procedure_code', 'text')
      .addColumn('procedure_name', 'text')
      .addColumn('field', 'text')
      .addColumn('channel', 'text')
      .addColumn('received_at', 'text', (c) => c.notNull())
      .addColumn('due_at', 'text')
      .addColumn('ended_at', 'text')
      .addColumn('end_from_returned', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('returned_at', 'text')
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('created_batch_id', 'integer', (c) => c.notNull())
      .addColumn('updated_batch_id', 'integer', (c) => c.notNull())
      .execute();
    // No secondary index on dossiers: half-month-aligned statistics read the summary by half-month, and the rest (day
    // ranges, dossier lists) scan every dossier of the period anyway. Each index would more than halve the
    // import's speed for queries that a scan of a few million rows answers in about a second.

    await db.schema
      .createTable('rejected_rows')
      .addColumn('id', autoIdType(db), (c) => c.primaryKey())
      .addColumn('batch_id', 'integer', (c) => c.notNull().references('import_batches.id'))
      .addColumn('row_number', 'integer', (c) => c.notNull())
      .addColumn('reasons', 'text', (c) => c.notNull())
      .addColumn('row_values', 'text', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('rejected_rows_batch_id').on('rejected_rows').column('batch_id').execute();
  },
};

function sqlIn(column: string, values: string[]) {
  return sql.raw(`${column} in (${values.map((v) => `'${v}'`).join(', ')})`);
}
