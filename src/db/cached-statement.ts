import { CompiledQuery, type Kysely, type QueryResult } from 'kysely';
import { dialectOf } from './dialect.ts';

// Multi-row statements are built with Kysely once per shape and reused with new parameters. Building a
// 2,000-row insert node by node costs more time than the database takes to run it, and its SQL text depends
// only on the row count: the importer's chunks all have the same size but the last.

const cache = new Map<string, string>();

/**
 * Runs the statement `build` makes (with placeholder values), re-using its SQL text for every call with the
 * same `key` on the same dialect, with `parameters` in the order the built statement binds them.
 */
export async function executeCached<R = unknown>(
  db: Kysely<any>,
  key: string,
  build: () => CompiledQuery,
  parameters: unknown[],
): Promise<R[]> {
  return (await executeCachedQuery<R>(db, key, build, parameters)).rows;
}

/** executeCached, with the whole result (numAffectedRows of a write). */
export async function executeCachedQuery<R = unknown>(
  db: Kysely<any>,
  key: string,
  build: () => CompiledQuery,
  parameters: unknown[],
): Promise<QueryResult<R>> {
  const cacheKey = `${dialectOf(db)}|${key}`;
  let sqlText = cache.get(cacheKey);
  if (sqlText === undefined) {
    const compiled = build();
    if (compiled.parameters.length !== parameters.length) {
      throw new Error(`cached statement ${key}: built with ${compiled.parameters.length} parameters, run with ${parameters.length}`);
    }
    sqlText = compiled.sql;
    cache.set(cacheKey, sqlText);
  }
  return timed(key, () => db.executeQuery<R>(CompiledQuery.raw(sqlText!, parameters)));
}

async function timed<R>(key: string, run: () => Promise<QueryResult<R>>): Promise<QueryResult<R>> {
  const started = performance.now();
  const result = await run();
  const kind = key.replace(/:.*$/, '');
  const time = times.get(kind) ?? { count: 0, ms: 0 };
  time.count++;
  time.ms += performance.now() - started;
  times.set(kind, time);
  return result;
}

// Time spent in each kind of cached statement since the process started (the key without its row count), for
// the import benchmark: these statements bypass Kysely's plugins, which see only queries it compiles itself.
const times = new Map<string, { count: number; ms: number }>();
export function cachedStatementTimes(): ReadonlyMap<string, { count: number; ms: number }> {
  return times;
}
