import { cachedStatementTimes } from '../../src/db/cached-statement.ts';
import type { KyselyPlugin, PluginTransformQueryArgs, PluginTransformResultArgs, QueryResult, RootOperationNode, UnknownRow } from 'kysely';

// Where an import's database time goes, by statement: the time from a query's compilation to its result, added
// up per kind and table (on SQLite queries run one at a time, so the intervals do not overlap).

export class QueryTimes implements KyselyPlugin {
  private readonly started = new Map<string, { at: number; key: string }>();
  readonly totals = new Map<string, { count: number; ms: number }>();

  transformQuery(args: PluginTransformQueryArgs): RootOperationNode {
    this.started.set(args.queryId.queryId, { at: performance.now(), key: describe(args.node) });
    return args.node;
  }

  async transformResult(args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
    const start = this.started.get(args.queryId.queryId);
    if (start) {
      this.started.delete(args.queryId.queryId);
      const total = this.totals.get(start.key) ?? { count: 0, ms: 0 };
      total.count++;
      total.ms += performance.now() - start.at;
      this.totals.set(start.key, total);
    }
    return args.result;
  }

  summary(): Record<string, { count: number; seconds: number }> {
    return Object.fromEntries(
      [...this.totals, ...[...cachedStatementTimes()].map(([key, t]) => [`${key} (cached SQL)`, t] as const)].sort((a, b) => b[1].ms - a[1].ms).map(([key, t]) => [key, { count: t.count, seconds: t.ms / 1000 }]),
    );
  }
}

function describe(node: RootOperationNode): string {
  const n = node as any;
  const table = n.into?.table?.identifier?.name ?? n.table?.table?.identifier?.name ?? n.from?.froms?.[0]?.table?.identifier?.name ?? '';
  const verb = node.kind.replace('QueryNode', '').toLowerCase();
  return `${verb}${n.onConflict ? ' (upsert)' : ''} ${table}`.trim();
}
