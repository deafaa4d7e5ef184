import type { Readable } from 'node:stream';
import { finished, pipeline } from 'node:stream/promises';
import type { CompiledQuery, DatabaseConnection, Kysely } from 'kysely';

// COPY … FROM STDIN for PostgreSQL imports: rows sent as one stream of text in COPY's text format, which the
// server parses far faster than it binds parameters or unnests arrays (docs/postgresql.md has the figures).
// The stream goes over the connection Kysely gives the caller (a transaction's own), through pg-copy-streams.

/** COPY on one connection of a Kysely database: a transaction's, or one taken from the pool. */
export interface PgSession {
  /** Runs `statement` (a COPY … FROM STDIN) with `text` as its data; returns the rows the server stored. */
  copyFrom(statement: string, text: string): Promise<number>;
  /** copyFrom with the data read from a stream. */
  copyFromStream(statement: string, data: Readable): Promise<number>;
}

/**
 * Runs `fn` with the connection Kysely runs `db`'s statements on: in a transaction, the transaction's own, which
 * no other statement of it uses until `fn` is done.
 */
export function withPgSession<T>(db: Kysely<any>, fn: (session: PgSession) => Promise<T>): Promise<T> {
  return db.getExecutor().provideConnection((connection) => fn(sessionOf(connection)));
}

function sessionOf(connection: DatabaseConnection): PgSession {
  return {
    copyFrom: (statement, text) => copyFrom(connection, statement, text),
    copyFromStream: (statement, data) => copyFrom(connection, statement, data),
  };
}

let copyStreams: Promise<typeof import('pg-copy-streams')> | undefined;

async function copyFrom(connection: DatabaseConnection, statement: string, data: string | Readable): Promise<number> {
  // Loaded with pg, only for a PostgreSQL database.
  const { from } = await (copyStreams ??= import('pg-copy-streams'));
  const stream = from(statement);
  const done = typeof data === 'string' ? finished(stream) : pipeline(data, stream);
  // pg's client.query() runs any object with a submit() method in its queue, which is how pg-copy-streams gives
  // pg a COPY; Kysely's connection hands its statement to client.query() as it is (and is the only way to the
  // client of a Kysely transaction). It returns at once, the COPY queued; the data then goes down the stream.
  await connection.executeQuery({ sql: stream, parameters: [] } as unknown as CompiledQuery);
  if (typeof data === 'string') stream.end(data);
  await done;
  return stream.rowCount;
}

/**
 * Rows in COPY's text format: one line per row, values separated by tabs, `\N` for NULL, and in text the
 * backslash, tab, newline and carriage return escaped with a backslash (so that an empty string, the word NULL
 * or `\N` typed in a cell stay text). Row i's value k is values[i * width + k]; `integer[k]` marks the columns
 * that take integers, refused here (as the array path does) rather than by the server mid-import.
 */
export function copyText(values: readonly unknown[], width: number, count: number, integer: readonly boolean[], names: readonly string[]): string {
  const lines = new Array<string>(count);
  for (let i = 0, at = 0; i < count; i++) {
    let line = '';
    for (let k = 0; k < width; k++, at++) {
      const value = values[at];
      let field: string;
      if (value === null || value === undefined) field = '\\N';
      else if (integer[k]) {
        if (!Number.isInteger(value)) throw new Error(`${names[k]}: not an integer: ${String(value)}`);
        field = String(value);
      } else {
        const text = typeof value === 'string' ? value : String(value);
        field = SPECIAL.test(text) ? text.replace(SPECIALS, escape) : text;
      }
      line = k === 0 ? field : line + '\t' + field;
    }
    lines[i] = line;
  }
  return count ? lines.join('\n') + '\n' : '';
}
const SPECIAL = /[\\\t\n\r]/;
const SPECIALS = /[\\\t\n\r]/g;
const ESCAPES: Record<string, string> = { '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' };
const escape = (c: string) => ESCAPES[c];
