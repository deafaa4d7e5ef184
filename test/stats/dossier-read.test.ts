import type { KyselyPlugin, PluginTransformQueryArgs, PluginTransformResultArgs, RootOperationNode } from 'kysely';
import { expect, it } from 'vitest';
import type { Db } from '../../src/db/connection.ts';
import { yearPeriod } from '../../src/domain/periods.ts';
import { computeStatsFromDossiers, type DossierRead } from '../../src/stats/compute.ts';
import type { StatsQuery } from '../../src/stats/types.ts';
import { describeEachDatabase } from '../helpers/databases.ts';
import { MAY } from './data.ts';
import { importRows } from './fixtures.ts';

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

const fenced = (sql: string) => / offset \$\d+\) as "d"/.test(sql);

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
});
