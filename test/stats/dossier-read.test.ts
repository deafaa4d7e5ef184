import type { KyselyPlugin, PluginTransformQueryArgs, PluginTransformResultArgs, RootOperationNode } from 'kysely';
import { expect, it } from 'vitest';
import type { Db } from '../../src/db/connection.ts';
import { yearPeriod } from '../../src/domain/periods.ts';
import { computeStatsFromDossiers, type DossierRead } from '../../src/stats/compute.ts';
import type { StatsQuery } from '../../src/stats/types.ts';
import { describeEachDatabase } from '../helpers/databases.ts';
import { MAY } from './data.ts';
import { importRows, type ExportRow } from './fixtures.ts';

// How the dossier path reads the dossiers (src/stats/compute.ts, dossiersTakingPart): on PostgreSQL a call by
// month reads the dossiers of its whole period once, fenced, rather than once per month; the rows are the same
// as the plain join's. (That the figures are right is the property tests' job, on both databases.)

/** The SQL of the query a call sends that reads the dossiers: the longest (the plugin also sees its subqueries as they are built). */
async function sentSql(db: Db, query: StatsQuery, read?: DossierRead): Promise<string> {
  const sent: RootOperationNode[] = [];
  const keep: KyselyPlugin = {
    transformQuery: (args: PluginTransformQueryArgs) => (sent.push(args.node), args.node),
    transformResult: async (args: PluginTransformResultArgs) => args.result,
  };
  await computeStatsFromDossiers(db.withPlugin(keep), query, read);
  const compiled = sent.map((node) => db.getExecutor().compileQuery(node, { queryId: 'sql' } as any).sql);
  return compiled.filter((q) => q.includes('"dossiers"')).reduce((a, b) => (b.length > a.length ? b : a));
}

/** The dossiers read in a fenced subquery: `offset` and its parameter ($n on PostgreSQL, ? on SQLite), as "d". */
const fenced = (sql: string) => / offset (\$\d+|\?)\) as "d"/.test(sql);

/**
 * Dossiers at the edges of 2022, where a bound of the fenced read taken one day short, or without the due basis,
 * would lose one: due on its first day but ended before it (counted in January's due basis only), received and
 * ended on its last day, open since before it.
 */
const EDGES: ExportRow[] = [
  { code: 'EDGE-1', received: '20/12/2021 08:00', due: '01/01/2022 17:00', ended: '28/12/2021 10:00', status: 'Đã trả kết quả' },
  { code: 'EDGE-2', received: '31/12/2022 08:00', due: '31/12/2022 17:00', ended: '31/12/2022 16:00', status: 'Đã trả kết quả' },
  { code: 'EDGE-3', received: '15/11/2021 08:00', due: '01/12/2021 17:00', status: 'Đang xử lý' },
];

describeEachDatabase('the dossier path', (t) => {
  it('reads a period by month once, fenced, on PostgreSQL only, and gives the rows of the plain join', async () => {
    const db = await t.open();
    await importRows(db, t.tempDir(), MAY);
    const byMonth: StatsQuery = { period: yearPeriod(2022), by: ['month', 'level'] };
    const sql = await sentSql(db, byMonth);
    expect(fenced(sql), sql).toBe(t.dialect === 'postgres');
    // By year, by nothing but level, or asked for the plain join: no fence (by year it cost more than it saved).
    for (const query of [{ ...byMonth, by: ['year', 'level'] }, { ...byMonth, by: ['level'] }] as StatsQuery[]) {
      const other = await sentSql(db, query);
      expect(fenced(other), other).toBe(false);
    }
    const plainSql = await sentSql(db, byMonth, { wholePeriodOnce: false });
    expect(fenced(plainSql), plainSql).toBe(false);

    const rows = await computeStatsFromDossiers(db, byMonth);
    expect(rows.some((row) => row.receivedTotal > 0)).toBe(true);
    expect(rows).toEqual(await computeStatsFromDossiers(db, byMonth, { wholePeriodOnce: false }));
  });

  it('keeps the dossiers at the edges of the period for every figure the dossier path computes', async () => {
    const db = await t.open();
    await importRows(db, t.tempDir(), [...MAY, ...EDGES]);
    const everything: StatsQuery = {
      period: yearPeriod(2022), by: ['month', 'level'], dueBasis: true, progress766: true, indicators766: true, processingTime: true,
    };
    const rows = await computeStatsFromDossiers(db, everything);
    const month = (m: string) => rows.filter((row) => row.month === m);
    // EDGE-1 is in January's due basis (due 01/01, ended early in 2021), EDGE-2 received and resolved on 31/12,
    // EDGE-3 carried over into every month.
    expect(month('2022-01').reduce((n, row) => n + (row.dueTotal ?? 0), 0)).toBeGreaterThanOrEqual(1);
    expect(month('2022-12').reduce((n, row) => n + row.receivedTotal, 0)).toBeGreaterThanOrEqual(1);
    expect(month('2022-12').reduce((n, row) => n + row.resolvedTotal, 0)).toBeGreaterThanOrEqual(1);
    expect(month('2022-06').reduce((n, row) => n + row.carriedOver, 0)).toBeGreaterThanOrEqual(1);
    expect(rows).toEqual(await computeStatsFromDossiers(db, everything, { wholePeriodOnce: false }));
  });
});
