import { join } from 'node:path';
import { sql } from 'kysely';
import { expect, it } from 'vitest';
import type { Db } from '../../src/db/connection.ts';
import { dialectOf } from '../../src/db/dialect.ts';
import { insertNewDossiers, setAsideDossierKeysAndIndexes } from '../../src/db/dossier-store.ts';
import type { DossierTable } from '../../src/db/schema.ts';
import { importFile } from '../../src/import/index.ts';
import { describeEachDatabase } from '../helpers/databases.ts';
import { EXPORT_HEADERS, writeCsv } from '../helpers/exports.ts';

// A first import into PostgreSQL writes its dossiers with the dossiers' foreign keys and secondary indexes dropped,
// and makes them again, the keys checked, before the file commits (src/db/dossier-store.ts,
// setAsideDossierKeysAndIndexes). The database must end as the migrations made it, and a dossier whose unit is not
// stored must still fail the file.

/** The dossiers' constraints and indexes as the database describes them. */
async function dossierSchema(db: Db): Promise<unknown[]> {
  if (dialectOf(db) === 'postgres') {
    const { rows: constraints } = await sql`select conname, contype, pg_get_constraintdef(oid) as definition, convalidated, condeferrable
      from pg_constraint where conrelid = 'dossiers'::regclass order by conname`.execute(db);
    const { rows: indexes } = await sql`select indexname, indexdef from pg_indexes where tablename = 'dossiers' order by indexname`.execute(db);
    return [...constraints, ...indexes];
  }
  const { rows: keys } = await sql`select * from pragma_foreign_key_list('dossiers')`.execute(db);
  const { rows: indexes } = await sql`select name, sql from sqlite_master where tbl_name = 'dossiers' order by name`.execute(db);
  return [...keys, ...indexes];
}

const DOSSIER: DossierTable = {
  code: 'H45-240101-0001', unit_code: 'NO-SUCH-UNIT', receiving_unit: null, procedure_code: null, procedure_name: null,
  field: null, channel: null, received_at: '2024-01-01 08:00:00', due_at: null, ended_at: null, end_from_returned: 0,
  returned_at: null, status: 'processing', created_batch_id: 1, updated_batch_id: 1, outcome: 'open', overdue_from: null,
  paid_online: null, has_fee: null, digitised: null, electronic_result: null, satisfaction: null, due_computed: 0,
  processing_working_days: null,
};

describeEachDatabase('keys and indexes around a first import', (t) => {
  it('a first import and a second one leave the dossiers\' keys and indexes as the migrations made them', async () => {
    const dir = t.tempDir();
    const untouched = await dossierSchema(await t.open());
    expect(untouched.length).toBeGreaterThan(4);
    const db = await t.open();
    const rows = Array.from({ length: 7_000 }, (_, i) => [i + 1, `K-${i}`, `UBND xã ${i % 3}`, 'Đăng ký khai sinh', 'Hộ tịch', 'Trực tuyến', '02/03/2024 08:00', '05/03/2024', null, null, 'Đang xử lý']);
    writeCsv(join(dir, 'first.csv'), EXPORT_HEADERS, rows);
    writeCsv(join(dir, 'second.csv'), EXPORT_HEADERS, rows.slice(0, 10));
    expect((await importFile(db, join(dir, 'first.csv'))).newDossiers).toBe(7_000);
    expect(await dossierSchema(db)).toEqual(untouched);
    expect((await importFile(db, join(dir, 'second.csv'))).unchanged).toBe(10);
    expect(await dossierSchema(db)).toEqual(untouched);
    // Every stored dossier names a stored unit.
    const orphans = await db.selectFrom('dossiers').leftJoin('units', 'units.code', 'dossiers.unit_code').where('units.code', 'is', null).select('dossiers.code').execute();
    expect(orphans).toEqual([]);
  });

  it('a dossier of a unit not stored fails the transaction when the keys are added back', async () => {
    const db = await t.open();
    const before = await dossierSchema(db);
    const written = db.transaction().execute(async (trx) => {
      await trx.insertInto('import_batches').values({
        file_name: 'x', sha256: '', imported_at: '2024-01-01 00:00:00', rows_read: 1, new_count: 1, updated_count: 0,
        unchanged_count: 0, rejected_count: 0, footer_rows_skipped: 0, personal_columns_dropped: '[]', units_created: '[]', seconds: 0,
      }).execute();
      const restore = await setAsideDossierKeysAndIndexes(trx);
      if (t.dialect === 'postgres') {
        // Set aside: the row goes in unchecked, and the check comes when the keys are added back.
        expect(await insertNewDossiers(trx, [DOSSIER])).toBe(1);
        await restore();
      } else {
        // SQLite keeps its keys: the row is refused at once.
        await insertNewDossiers(trx, [DOSSIER]);
      }
    });
    await expect(written).rejects.toThrow(/foreign key/i);
    expect(await db.selectFrom('dossiers').select('code').execute()).toEqual([]);
    expect(await dossierSchema(db)).toEqual(before);
  });
});
