import { CompiledQuery, type KyselyPlugin, type PluginTransformQueryArgs, type PluginTransformResultArgs, type QueryResult, type RootOperationNode, type UnknownRow } from 'kysely';
import type { Db } from '../../src/db/connection.ts';
import { dialectOf } from '../../src/db/dialect.ts';

// The plan of the query a function (computeStats, say) sends: the function runs once with a plugin that keeps
// the last SELECT it compiled, and that query is explained through Kysely with its own parameters.

class KeepLastSelect implements KyselyPlugin {
  node: RootOperationNode | undefined;
  transformQuery(args: PluginTransformQueryArgs): RootOperationNode {
    if (args.node.kind === 'SelectQueryNode') this.node = args.node;
    return args.node;
  }
  async transformResult(args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
    return args.result;
  }
}

/** The SQL of the last SELECT that `run` sent. */
export async function lastSelect(db: Db, run: (db: Db) => Promise<unknown>): Promise<CompiledQuery> {
  const keep = new KeepLastSelect();
  await run(db.withPlugin(keep));
  if (!keep.node) throw new Error('no SELECT was sent');
  return db.getExecutor().compileQuery(keep.node, { queryId: 'explain' });
}

/**
 * SQLite: EXPLAIN QUERY PLAN as an indented tree. PostgreSQL: EXPLAIN (ANALYZE, BUFFERS), which runs the query.
 */
export async function explainPlan(db: Db, query: CompiledQuery): Promise<string> {
  if (dialectOf(db) === 'postgres') {
    const result = await db.executeQuery<Record<string, string>>(CompiledQuery.raw(`explain (analyze, buffers) ${query.sql}`, [...query.parameters]));
    return result.rows.map((r) => r['QUERY PLAN']).join('\n');
  }
  const result = await db.executeQuery<{ id: number; parent: number; detail: string }>(
    CompiledQuery.raw(`explain query plan ${query.sql}`, [...query.parameters]),
  );
  const depth = new Map<number, number>([[0, -1]]);
  return result.rows
    .map((r) => {
      const d = (depth.get(r.parent) ?? -1) + 1;
      depth.set(r.id, d);
      return `${'  '.repeat(d)}${r.detail}`;
    })
    .join('\n');
}

/** The SQL with its parameters written in, for a reader (not for running). */
export function inlineSql(query: CompiledQuery): string {
  let i = 0;
  return query.sql.replace(/\?|\$\d+/g, (m) => {
    const value = m === '?' ? query.parameters[i++] : query.parameters[Number(m.slice(1)) - 1];
    return typeof value === 'string' ? `'${value.replace(/'/g, "''")}'` : String(value);
  });
}
