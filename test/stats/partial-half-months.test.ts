import { CompiledQuery, type KyselyPlugin, type PluginTransformQueryArgs, type PluginTransformResultArgs, type RootOperationNode } from 'kysely';
import { expect, it } from 'vitest';
import type { Db } from '../../src/db/connection.ts';
import { partialHalfMonths, SUMMARY_FIGURES, type Correction } from '../../src/stats/partial-half-months.ts';
import { subPeriodsOf } from '../../src/stats/sub-periods.ts';
import type { GroupKey } from '../../src/stats/types.ts';
import { describeEachDatabase } from '../helpers/databases.ts';
import { importRows, type ExportRow } from './fixtures.ts';

// The correction of a range's edge days on its own: what the figures of the period asked differ by from those of
// the whole half-months, counted here by hand from a few dossiers around each edge (docs/rules.md), and the query
// it sends reading the dossiers by index rather than every one.

const DISTRICT = 'UBND huyện Hạ Hoà';
const COMMUNE = 'UBND xã Hiền Lương';

/** Dossiers around 10–15/01/2023 (a start) and 25–31/05/2023 (an end). Due 17:00; outcome by day. */
const ROWS: ExportRow[] = [
  // At the start, the days 10–14/01 between 10/01 (asked) and 15/01 (whole):
  // received 12/01, ended 20/01: received in the days, and carried over into 15/01 but not into 10/01.
  { code: 'S1', unit: DISTRICT, received: '12/01/2023 09:00', due: '25/01/2023 17:00', ended: '20/01/2023 10:00', status: 'Đã trả kết quả' },
  // received 05/01, ended early 11/01: resolved in the days, carried over into 10/01 but not into 15/01.
  { code: 'S2', unit: COMMUNE, received: '05/01/2023 09:00', due: '20/01/2023 17:00', ended: '11/01/2023 10:00', status: 'Đã trả kết quả' },
  // received 03/01, ended 09/01: before both starts, no difference.
  { code: 'S3', unit: COMMUNE, received: '03/01/2023 09:00', due: '20/01/2023 17:00', ended: '09/01/2023 10:00', status: 'Đã trả kết quả' },
  // At the end, the days 26–31/05 between 25/05 (asked) and 31/05 (whole):
  // received online 27/05, open, due 29/05 (overdue from 30/05): received and pending overdue at 31/05 only.
  { code: 'E1', unit: DISTRICT, channel: 'Trực tuyến', received: '27/05/2023 09:00', due: '29/05/2023 17:00', status: 'Đang xử lý' },
  // received 20/05, ended early 28/05: resolved in the days, pending (on time) at 25/05 only.
  { code: 'E2', unit: DISTRICT, received: '20/05/2023 09:00', due: '30/05/2023 17:00', ended: '28/05/2023 10:00', status: 'Đã trả kết quả' },
  // received 10/05, open, due 27/05 (overdue from 28/05): pending at both, on time at 25/05, overdue at 31/05.
  { code: 'E3', unit: COMMUNE, received: '10/05/2023 09:00', due: '27/05/2023 17:00', status: 'Đang xử lý' },
  // received 10/05, ended 24/05, due 27/05: before both ends, no difference, though it became overdue-to-be in the days.
  { code: 'E4', unit: COMMUNE, received: '10/05/2023 09:00', due: '27/05/2023 17:00', ended: '24/05/2023 10:00', status: 'Đã trả kết quả' },
];

/** The corrections of one grouping, as (sub-period index, unit or '', figure) → non-zero difference. */
function differences(corrections: Correction[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const { index, keys, delta } of corrections) {
    for (const figure of SUMMARY_FIGURES) {
      const key = `${index} ${keys.unitName ?? ''} ${figure}`;
      out[key] = (out[key] ?? 0) + delta[figure];
      if (out[key] === 0) delete out[key];
    }
  }
  return out;
}

async function correct(db: Db, asked: { from: string; to: string }, whole: { from: string; to: string }, by: GroupKey[] = []) {
  return partialHalfMonths(db, by, {}, subPeriodsOf(asked, by), subPeriodsOf(whole, by));
}

describeEachDatabase('the correction of a range by the dossiers of its edge days', (t) => {
  it('gives what the figures of the range differ by from the whole half-months, counted by hand', async () => {
    const db = await t.open();
    await importRows(db, t.tempDir(), ROWS);

    // Start 10/01 against 15/01: S1 received (+1), and carried over into 15/01 only (−1); S2 resolved early
    // (+1), and carried over into 10/01 only (+1).
    expect(differences(await correct(db, { from: '2023-01-10', to: '2023-01-31' }, { from: '2023-01-15', to: '2023-01-31' }, ['unit']))).toEqual({
      [`0 ${DISTRICT} receivedDirect`]: 1, [`0 ${DISTRICT} receivedTotal`]: 1, [`0 ${DISTRICT} carriedOver`]: -1,
      [`0 ${COMMUNE} resolvedEarly`]: 1, [`0 ${COMMUNE} resolvedTotal`]: 1, [`0 ${COMMUNE} carriedOver`]: 1,
    });

    // End 25/05 against 31/05: E1 received online in the days (−1), pending overdue at 31/05 only (−1); E2 resolved
    // early in the days (−1), pending on time at 25/05 only (+1); E3 pending at both, on time at 25/05 (+1),
    // overdue at 31/05 (−1).
    expect(differences(await correct(db, { from: '2023-05-01', to: '2023-05-25' }, { from: '2023-05-01', to: '2023-05-31' }, ['unit']))).toEqual({
      [`0 ${DISTRICT} receivedOnline`]: -1, [`0 ${DISTRICT} receivedTotal`]: -1,
      [`0 ${DISTRICT} resolvedEarly`]: -1, [`0 ${DISTRICT} resolvedTotal`]: -1,
      // Pending in all: E1 −1, E2 +1.
      [`0 ${DISTRICT} pendingOverdue`]: -1, [`0 ${DISTRICT} pendingOnTime`]: 1,
      [`0 ${COMMUNE} pendingOverdue`]: -1, [`0 ${COMMUNE} pendingOnTime`]: 1,
    });

    // Both ends of one range by month, the other way round (the period to correct holds fewer days at the start
    // and more at the end): 15/01–31/05 against 10/01–25/05 flips the signs of the same dossiers' differences, in
    // the first sub-period (January) and the last (May); carried over and pending in all add up to 0 there.
    const both = differences(await correct(db, { from: '2023-01-15', to: '2023-05-31' }, { from: '2023-01-10', to: '2023-05-25' }, ['month']));
    expect(both).toEqual({
      '0  receivedDirect': -1, '0  receivedTotal': -1, '0  resolvedEarly': -1, '0  resolvedTotal': -1,
      '4  receivedOnline': 1, '4  receivedTotal': 1, '4  resolvedEarly': 1, '4  resolvedTotal': 1,
      '4  pendingOverdue': 2, '4  pendingOnTime': -2,
    });
  });

  it('reads the dossiers of the edge days by index, not every dossier', async () => {
    const db = await t.open();
    await importRows(db, t.tempDir(), ROWS);
    const sent: RootOperationNode[] = [];
    const keep: KyselyPlugin = {
      transformQuery: (args: PluginTransformQueryArgs) => (sent.push(args.node), args.node),
      transformResult: async (args: PluginTransformResultArgs) => args.result,
    };
    await correct(db.withPlugin(keep), { from: '2023-01-10', to: '2023-05-25' }, { from: '2023-01-15', to: '2023-05-31' }, ['level']);
    const compiled = sent.map((node) => db.getExecutor().compileQuery(node, { queryId: 'plan' } as any));
    // The queries sent, not the subqueries that the plugin also sees as they are built: two parts at the start
    // (received, ended in the days), three at the end (and becoming overdue in them).
    const queries = compiled.filter((q) => !compiled.some((other) => other !== q && other.sql.includes(q.sql)));
    expect(queries.map((q) => /from "dossiers"/.test(q.sql))).toEqual([true, true, true, true, true]);
    const index = ['dossiers_received_at', 'dossiers_ended_at', 'dossiers_received_at', 'dossiers_ended_at', 'dossiers_overdue_from_ended_at'];
    if (t.dialect !== 'sqlite') return;
    for (const [i, query] of queries.entries()) {
      const plan = await db.executeQuery<{ detail: string }>(CompiledQuery.raw(`explain query plan ${query.sql}`, [...query.parameters]));
      const details = plan.rows.map((r) => r.detail);
      // No pass over every dossier; each part's days by its own index (schema/0007, 0012).
      expect(details.filter((d) => /^SCAN d\b/.test(d)), details.join('\n')).toEqual([]);
      expect(details.filter((d) => d.startsWith(`SEARCH d USING INDEX ${index[i]} `)), details.join('\n')).toHaveLength(1);
    }
  });

  it('refuses whole half-months whose days between do not lie in the sub-period', async () => {
    const db = await t.open();
    // The whole period's first day after the asked period's last: no difference of the first sub-period would hold.
    await expect(correct(db, { from: '2023-03-03', to: '2023-03-05' }, { from: '2023-03-15', to: '2023-03-31' })).rejects.toThrow(/partialHalfMonths/);
  });
});
