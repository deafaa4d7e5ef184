import { expect, it } from 'vitest';
import { openDatabase } from '../../src/db/connection.ts';
import { monthPeriod } from '../../src/domain/periods.ts';
import { computeStats } from '../../src/stats/compute.ts';
import { describeEachDatabase } from '../helpers/databases.ts';
import { databaseMigratedTo } from '../helpers/migrated-to.ts';

// schema/0008 adds QĐ 766's optional columns: the dossiers stored before it have NULL in them, which the figures
// read as "no export said" (no data), never as "no".

describeEachDatabase('migration 0008: the dossiers stored before it', (t) => {
  it('have no value in the new columns, and the rates are null, not 0', async () => {
    const target = await t.newTarget();
    const raw = await databaseMigratedTo(target, '0007-period-indexes');
    await raw.insertInto('units').values({ code: 'U', name: 'UBND xã Một', name_key: 'ubnd xa mot', level: 'xa' }).execute();
    await raw.insertInto('dossiers').values({
      code: 'D-1', unit_code: 'U', received_at: '2024-03-01 08:00:00', due_at: '2024-03-10 17:00:00', ended_at: '2024-03-05 10:00:00',
      status: 'returned', outcome: 'early', overdue_from: '2024-03-11', created_batch_id: 1, updated_batch_id: 1,
    }).execute();
    await raw.destroy();

    const db = await openDatabase(target);
    try {
      const stored = await db.selectFrom('dossiers').select(['paid_online', 'has_fee', 'digitised', 'electronic_result', 'satisfaction']).execute();
      expect(stored).toEqual([{ paid_online: null, has_fee: null, digitised: null, electronic_result: null, satisfaction: null }]);
      const [row] = await computeStats(db, { period: monthPeriod('2024-03'), indicators766: true });
      expect([row.resolvedTotal, row.digitisedBase, row.digitisedRate, row.electronicResultRate, row.satisfactionRate]).toEqual([1, 0, null, null, null]);
    } finally {
      await db.destroy();
    }
  });
});
