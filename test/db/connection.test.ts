import { sql } from 'kysely';
import { expect, it } from 'vitest';
import { openDatabase } from '../../src/db/connection.ts';
import { dialectOf } from '../../src/db/dialect.ts';
import { migrations } from '../../schema/index.ts';
import { describeEachDatabase } from '../helpers/databases.ts';

describeEachDatabase('database', (t) => {
  it('creates every table on first use and records the migration once', async () => {
    const target = await t.newTarget();
    const db = await t.open(target);
    expect(dialectOf(db)).toBe(t.dialect);
    for (const table of ['units', 'procedures', 'dossiers', 'import_batches', 'rejected_rows', 'dossier_half_months'] as const) {
      const { rows } = await sql<{ n: number }>`select count(*) as n from ${sql.table(table)}`.execute(db);
      expect(Number(rows[0].n)).toBe(0);
    }
    await db.destroy();
    const again = await openDatabase(target);
    const { rows } = await sql<{ n: number }>`select count(*) as n from kysely_migration`.execute(again);
    expect(Number(rows[0].n)).toBe(Object.keys(migrations).length);
    await again.destroy();
  });
});
