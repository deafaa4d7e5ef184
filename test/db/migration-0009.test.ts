import { expect, it } from 'vitest';
import { workingDaysDifferences } from '../../src/audit/verify.ts';
import { openDatabase } from '../../src/db/connection.ts';
import { vietnamCalendar } from '../../src/domain/working-days.ts';
import { describeEachDatabase } from '../helpers/databases.ts';
import { databaseMigratedTo } from '../helpers/migrated-to.ts';

// schema/0009 counts the working days of the dossiers stored before it by a join on a table of days. Its counts
// must be what src/domain/due-day.ts gives (verify recounts them with it), on both databases. By hand:
// W-1 Mon 05/02/2024 → Mon 19/02/2024, across Tết (08–14/02): 06, 07, 15, 16, 19 = 5.
// W-2 Thu 24/04/2025 → Tue 06/05/2025: 25, Sat 26 (worked), 28, 29/04, 05, 06/05 = 6.
// W-3 ended the day it was received: 0. W-4 open: none. W-5 in 2100, a year the calendar does not know: none.
// W-6 received 31/12/1999 (a year the calendar does not know): none.

const CASES: Array<[code: string, status: string, received: string, ended: string | null, expected: number | null]> = [
  ['W-1', 'finished', '2024-02-05 09:00:00', '2024-02-19 10:00:00', 5],
  ['W-2', 'returned', '2025-04-24 08:00:00', '2025-05-06 10:00:00', 6],
  ['W-3', 'rejected', '2023-06-01 08:00:00', '2023-06-01 16:00:00', 0],
  ['W-4', 'processing', '2024-02-05 09:00:00', null, null],
  ['W-5', 'finished', '2100-02-01 08:00:00', '2100-03-01 08:00:00', null],
  ['W-6', 'finished', '1999-12-31 08:00:00', '2000-01-04 08:00:00', null],
];

describeEachDatabase('migration 0009: the dossiers stored before it', (t) => {
  it('counts their working days as src/domain/due-day.ts does, and marks no due day computed', async () => {
    const target = await t.newTarget();
    const raw = await databaseMigratedTo(target, '0007-period-indexes');
    await raw.insertInto('units').values({ code: 'U', name: 'UBND xã Một', name_key: 'ubnd xa mot', level: 'xa' }).execute();
    await raw
      .insertInto('dossiers')
      .values(CASES.map(([code, status, received_at, ended_at]) => ({
        code, unit_code: 'U', received_at, ended_at, status, created_batch_id: 1, updated_batch_id: 1, outcome: ended_at ? 'on_time' : 'open',
      })))
      .execute();
    await raw.destroy();

    const db = await openDatabase(target);
    try {
      const stored = await db.selectFrom('dossiers').select(['code', 'processing_working_days', 'due_computed']).orderBy('code').execute();
      expect(stored.map((r) => [r.code, r.processing_working_days === null ? null : Number(r.processing_working_days), Number(r.due_computed)]))
        .toEqual(CASES.map(([code, , , , expected]) => [code, expected, 0]));
      expect(await workingDaysDifferences(db, vietnamCalendar())).toEqual({ count: 0, listed: [] });
    } finally {
      await db.destroy();
    }
  });
});
