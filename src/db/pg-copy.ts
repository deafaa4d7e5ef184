import type { Readable } from 'node:stream';
import { finished, pipeline } from 'node:stream/promises';
import type { CompiledQuery, DatabaseConnection, Kysely } from 'kysely';

// COPY … FROM STDIN for PostgreSQL imports: rows sent as one stream of text in COPY's text format, which the
// server parses far faster than it binds parameters or unnests arrays (docs/postgresql.md has the figures).
// The stream goes over the connection Kysely gives the caller (a transaction's own), through pg-copy-streams.

/** COPY on one connection of a Kysely database: a transaction's, or one taken from the pool. */
export interface PgSession {
  /** Runs `statement` (a COPY … FROM STDIN) with `data` as its data; returns the rows the server stored. */
  copyFrom(statement: string, data: string | Buffer): Promise<number>;
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
    copyFrom: (statement, data) => copyFrom(connection, statement, data),
    copyFromStream: (statement, data) => copyFrom(connection, statement, data),
  };
}

let copyStreams: Promise<typeof import('pg-copy-streams')> | undefined;

async function copyFrom(connection: DatabaseConnection, statement: string, data: string | Buffer | Readable): Promise<number> {
  // Loaded with pg, only for a PostgreSQL database.
  const { from } = await (copyStreams ??= import('pg-copy-streams'));
  const stream = from(statement);
  const whole = typeof data === 'string' || Buffer.isBuffer(data);
  const done = whole ? finished(stream) : pipeline(data, stream);
  // pg's client.query() runs any object with a submit() method in its queue, which is how pg-copy-streams gives
  // pg a COPY; Kysely's connection hands its statement to client.query() as it is (and is the only way to the
  // client of a Kysely transaction). It returns at once, the COPY queued; the data then goes down the stream.
  await connection.executeQuery({ sql: stream, parameters: [] } as unknown as CompiledQuery);
  if (whole) stream.end(data);
  await done;
  return stream.rowCount;
}

/** Rows in COPY's text format, as the bytes sent to the server, and where each row's line ends in them. */
export interface CopyRows {
  data: Buffer;
  /** lineEnds[i]: the offset just past row i's newline. */
  lineEnds: Uint32Array;
}

/**
 * Rows in COPY's text format: one line per row, values separated by tabs, `\N` for NULL, and in text the
 * backslash, tab, newline and carriage return escaped with a backslash (so that an empty string, the word NULL
 * or `\N` typed in a cell stay text). Row i's value k is values[i * width + k]; `integer[k]` marks the columns
 * that take integers, refused here (as the array path does) rather than by the server mid-import.
 * The lines are written as UTF-8 straight into one buffer: building them as strings cost the import's thread
 * more than anything else it did on PostgreSQL (a string per value joined into one per row, then one per chunk,
 * then encoded again for the socket), and its collector as much again.
 */
export function copyRows(values: readonly unknown[], width: number, count: number, integer: readonly boolean[], names: readonly string[]): CopyRows {
  let data: Buffer = Buffer.allocUnsafe(Math.max(4096, count * width * 12));
  let pos = 0;
  const lineEnds = new Uint32Array(count);
  for (let i = 0, at = 0; i < count; i++) {
    for (let k = 0; k < width; k++, at++) {
      const value = values[at];
      // The longest field written below but a string: '-9007199254740991' and its separator.
      if (pos + 24 > data.length) data = grown(data, pos, 24);
      if (k > 0) data[pos++] = TAB;
      if (value === null || value === undefined) {
        data[pos++] = BACKSLASH;
        data[pos++] = N;
      } else if (integer[k]) {
        if (!Number.isInteger(value)) throw new Error(`${names[k]}: not an integer: ${String(value)}`);
        const n = value as number;
        if (n >= 0 && n < 10) data[pos++] = ZERO + n;
        else pos += data.write(String(n), pos, 'latin1');
      } else {
        let text = typeof value === 'string' ? value : String(value);
        if (SPECIAL.test(text)) text = text.replace(SPECIALS, escape);
        // UTF-8 takes at most three bytes per UTF-16 unit (four for a pair of two).
        if (pos + text.length * 3 + 1 > data.length) data = grown(data, pos, text.length * 3 + 1);
        pos += data.write(text, pos);
      }
    }
    data[pos++] = NEWLINE;
    lineEnds[i] = pos;
  }
  return { data: data.subarray(0, pos), lineEnds };
}

/** The lines of the rows `keep` says, in their order, as one buffer. */
export function someCopyRows(rows: CopyRows, keep: (row: number) => boolean): Buffer {
  const parts: Buffer[] = [];
  for (let i = 0, start = 0; i < rows.lineEnds.length; start = rows.lineEnds[i], i++) {
    if (keep(i)) parts.push(rows.data.subarray(start, rows.lineEnds[i]));
  }
  return Buffer.concat(parts);
}

function grown(data: Buffer, used: number, needed: number): Buffer {
  const larger = Buffer.allocUnsafe(Math.max(data.length * 2, used + needed));
  data.copy(larger, 0, 0, used);
  return larger;
}

const TAB = 0x09;
const NEWLINE = 0x0a;
const BACKSLASH = 0x5c;
const N = 0x4e;
const ZERO = 0x30;
const SPECIAL = /[\\\t\n\r]/;
const SPECIALS = /[\\\t\n\r]/g;
const ESCAPES: Record<string, string> = { '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' };
const escape = (c: string) => ESCAPES[c];
