import { expect, it } from 'vitest';
import { classificationDifferences } from '../../src/audit/verify.ts';
import { openDatabase } from '../../src/db/connection.ts';
import { describeEachDatabase } from '../helpers/databases.ts';
import { databaseMigratedTo } from '../helpers/migrated-to.ts';

// schema/0005 classifies the dossiers stored before it with its own frozen SQL. Its result must be what
// src/domain/outcome.ts gives (verify recomputes every stored classification with it), on both databases, for
// dossiers on the edges the rules care about: due on the last day of a month, of February in leap and common
// years, of December; ended on the due day at any hour; no due day.

const CASES: Array<[code: string, status: string, received: string, due: string | null, ended: string | null]> = [
  ['E-1', 'finished', '2024-02-01 08:00:00', '2024-02-29 17:00:00', '2024-02-29 18:30:00'],
  ['E-2', 'returned', '2023-02-01 08:00:00', '2023-02-28 08:00:00', '2023-02-27 16:00:00'],
  ['E-3', 'finished', '2022-12-01 08:00:00', '2022-12-31 17:00:00', '2023-01-02 09:00:00'],
  ['E-4', 'returned', '2022-05-01 08:00:00', null, '2022-06-30 10:00:00'],
  ['E-5', 'rejected', '2022-05-01 08:00:00', '2022-05-14 17:00:00', '2022-05-20 10:00:00'],
  ['E-6', 'withdrawn', '2022-05-01 08:00:00', '2022-04-30 17:00:00', '2022-05-03 10:00:00'],
  ['E-7', 'processing', '2022-05-01 08:00:00', '2022-05-09 17:00:00', null],
  ['E-8', 'supplement_requested', '2022-05-01 08:00:00', null, null],
  ['E-9', 'finished', '2100-02-01 08:00:00', '2100-02-28 17:00:00', '2100-03-01 08:00:00'],
  ['E-10', 'processing', '2000-02-01 08:00:00', '2000-02-28 17:00:00', null],
];

describeEachDatabase('migration 0005: the dossiers stored before it', (t) => {
  it('classifies them as src/domain/outcome.ts does', async () => {
    const target = await t.newTarget();
    // The database as a tthc of migration 0004 left it: opened without the migrations after it.
    const raw = await databaseMigratedTo(target, '0004-rules-version');
    await raw.insertInto('units').values({ code: 'U', name: 'UBND xã Một', name_key: 'ubnd xa mot', level: 'xa' }).execute();
    await raw
      .insertInto('dossiers')
      .values(
        CASES.map(([code, status, received_at, due_at, ended_at]) => ({
          code, unit_code: 'U', received_at, due_at, ended_at, status, created_batch_id: 1, updated_batch_id: 1,
        })),
      )
      .execute();
    await raw.destroy();

    const db = await openDatabase(target);
    try {
      expect(await classificationDifferences(db)).toEqual({ count: 0, listed: [] });
      const stored = await db.selectFrom('dossiers').select(['code', 'outcome', 'overdue_from']).execute();
      const byCode = Object.fromEntries(stored.map((r) => [r.code, [r.outcome, r.overdue_from]]));
      // Known by hand, not by the code under test.
      expect(byCode).toEqual({
        'E-1': ['on_time', '2024-03-01'],
        'E-2': ['early', '2023-03-01'],
        'E-3': ['late', '2023-01-01'],
        'E-4': ['on_time', null],
        'E-5': ['rejected', '2022-05-15'],
        'E-6': ['withdrawn', '2022-05-01'],
        'E-7': ['open', '2022-05-10'],
        'E-8': ['open', null],
        'E-9': ['late', '2100-03-01'],
        'E-10': ['open', '2000-02-29'],
      });
    } finally {
      await db.destroy();
    }
  });
});
