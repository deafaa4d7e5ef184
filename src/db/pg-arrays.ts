import { executeCachedQuery } from './cached-statement.ts';
import { sql, type Kysely, type QueryResult, type RawBuilder } from 'kysely';

// PostgreSQL's bulk form of the import's statements: one array parameter per column, turned back into rows by
// unnest() on the server. A statement then carries any number of rows with a fixed SQL text (no parameter limit,
// nothing to build per chunk), and the server parses 14 array literals instead of binding 65,000 parameters.
// The literals are written here rather than by pg (which escapes every element with two regular expressions):
// most values need no escaping, and this is the import's hottest Node code on PostgreSQL.

/** The PostgreSQL element type of a column sent as an array. */
export type PgArrayType = 'text' | 'int4';

/** A column sent as one array parameter: its name and its element type. */
export interface ArrayColumn<C extends string = string> {
  name: C;
  type: PgArrayType;
}

/**
 * `unnest($1::text[], $2::int4[], …)`: one typed array parameter per column, in the order of `columns`, as a
 * Kysely raw fragment (the parameters are placeholders; values are bound at execution, see executeWithArrays).
 */
export function unnestOf(columns: readonly ArrayColumn[]): RawBuilder<unknown> {
  return sql`unnest(${sql.join(columns.map((c) => sql`${''}::${sql.raw(c.type)}[]`))})`;
}

/** `a, b, c` for a column list. */
export function columnList(columns: readonly ArrayColumn[]): RawBuilder<unknown> {
  return sql.join(columns.map((c) => sql.ref(c.name)));
}

/**
 * Runs the statement `build` makes (through Kysely, with placeholder parameters; its SQL text is compiled once
 * per key and re-used, see cached-statement.ts) with these parameters: array literals (columnArrays, textArrayOf).
 */
export function executeWithArrays<R = unknown>(
  db: Kysely<any>,
  key: string,
  build: () => RawBuilder<unknown>,
  parameters: string[],
): Promise<QueryResult<R>> {
  return executeCachedQuery<R>(db, key, () => build().compile(db), parameters);
}

/** One PostgreSQL array literal per column. */
export function columnArrays<T>(columns: readonly ArrayColumn<Extract<keyof T, string>>[], rows: readonly T[]): string[] {
  return columns.map((c) => {
    const name = c.name;
    const values = new Array<unknown>(rows.length);
    for (let i = 0; i < rows.length; i++) values[i] = rows[i][name];
    return c.type === 'text' ? textArrayOf(values as Array<string | null>) : intArrayOf(values as Array<number | null>, name);
  });
}

function element(text: string): string {
  return text.indexOf('"') < 0 && text.indexOf('\\') < 0 ? '"' + text + '"' : '"' + text.replace(/["\\]/g, '\\$&') + '"';
}

/** `{"a","b",NULL}`: each element quoted (so '' and 'NULL' stay strings), `"` and `\` escaped. */
export function textArrayOf(values: ReadonlyArray<string | null | undefined>): string {
  // JSON writes an array of strings the way an array literal wants it, natively and in one piece: every string
  // quoted, `"` and `\` escaped with a backslash, a missing value as null (NULL to PostgreSQL, which ignores
  // case). Only its other escapes (\n, \u0007, …) mean something else in an array literal: arrays holding
  // such characters, or a backslash JSON doubled, are written element by element instead.
  const json = JSON.stringify(values);
  if (!OTHER_JSON_ESCAPE.test(json)) return `{${json.slice(1, -1)}}`;
  // Array.join makes one flat string; `+=` would make a tree of thousands of pieces, kept until pg writes it.
  const parts = new Array<string>(values.length);
  for (let i = 0; i < values.length; i++) {
    const value = values[i];
    parts[i] = value === null || value === undefined ? 'NULL' : element(typeof value === 'string' ? value : String(value));
  }
  return `{${parts.join(',')}}`;
}
/** A backslash that escapes something other than a quote (a doubled backslash is caught too: the safe side). */
const OTHER_JSON_ESCAPE = /\\[^"]/;

/** `{1,2,NULL}`; a value that is not an integer is refused here rather than by the server mid-import. */
export function intArrayOf(values: ReadonlyArray<number | null | undefined>, name = 'value'): string {
  const parts = new Array<string>(values.length);
  for (let i = 0; i < values.length; i++) {
    const value = values[i];
    if (value === null || value === undefined) parts[i] = 'NULL';
    else if (Number.isInteger(value)) parts[i] = String(value);
    else throw new Error(`${name}: not an integer: ${String(value)}`);
  }
  return `{${parts.join(',')}}`;
}
