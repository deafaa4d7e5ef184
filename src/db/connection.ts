import Sqlite from 'better-sqlite3';
import { Kysely, Migrator, PostgresDialect, SqliteDialect, SqliteDriver, sql, type DatabaseConnection, type SqliteDatabase } from 'kysely';
import type pg from 'pg';
import { migrations } from '../../schema/index.ts';
import type { Database } from './schema.ts';
import { dialectOf, type DialectName } from './dialect.ts';
import { explainDriverError } from './driver-errors.ts';
import { ensureSummaryRules } from '../audit/rules-version.ts';
import { UserError } from '../domain/errors.ts';

export const DEFAULT_DB = './tthc.db';

export type Db = Kysely<Database>;

export class DatabaseError extends UserError {}

export function isPostgresUrl(target: string): boolean {
  return /^postgres(ql)?:\/\//i.test(target);
}

/** Where the database is: --db, else TTHC_DB, else ./tthc.db. */
export function resolveDbTarget(option?: string): string {
  return option ?? process.env.TTHC_DB ?? DEFAULT_DB;
}

// pg returns bigint counts and numeric sums as strings; counts here fit in a double, so nothing above this
// layer has to care which database answered.
const PG_INT8 = 20;
const PG_NUMERIC = 1700;
/** pg is loaded only for a postgres:// URL: an office on SQLite never pays for it. */
async function postgresPool(connectionString: string): Promise<pg.Pool> {
  const { default: driver } = await import('pg');
  const types = {
    getTypeParser(oid: number, format?: any) {
      if (oid === PG_INT8 || oid === PG_NUMERIC) return (value: string) => Number(value);
      return driver.types.getTypeParser(oid, format);
    },
  };
  return new driver.Pool({ connectionString, types, max: 4 });
}

/** Opens the database (a file path for SQLite, a postgres:// URL for PostgreSQL) and brings its schema up to date. */
export async function openDatabase(target: string = resolveDbTarget()): Promise<Db> {
  // The driver's English text stays, in parentheses, after what it means for the user.
  const failure = (what: string, error: unknown) => {
    const driver = (error as Error)?.message ?? String(error);
    const explained = explainDriverError(error, redact(target));
    return new DatabaseError(`${what} ${redact(target)}: ${explained ? `${explained} (${driver})` : driver}`);
  };
  let db: Db;
  if (isPostgresUrl(target)) {
    db = new Kysely<Database>({
      dialect: new PostgresDialect({ pool: await postgresPool(target) }),
    });
  } else {
    let sqlite: Sqlite.Database;
    try {
      sqlite = new Sqlite(target);
      configureSqlite(sqlite);
    } catch (error) {
      throw failure('không mở được cơ sở dữ liệu', error);
    }
    db = new Kysely<Database>({ dialect: new TolerantSqliteDialect(sqlite, withStatementCache(sqlite)) });
  }
  try {
    await sql`select 1`.execute(db);
  } catch (error) {
    await db.destroy();
    throw failure('không kết nối được cơ sở dữ liệu', error);
  }
  try {
    await migrate(db);
    await ensureSummaryRules(db);
  } catch (error) {
    await db.destroy();
    throw failure('không mở được cơ sở dữ liệu', error);
  }
  return db;
}

/**
 * SQLite rolls a transaction back by itself on some errors (a full disk, an I/O error): Kysely's ROLLBACK then
 * fails with "cannot rollback - no transaction is active", and that error would hide the one that says what
 * happened. This driver rolls back only a transaction that is still open.
 */
class TolerantSqliteDialect extends SqliteDialect {
  constructor(
    private readonly sqlite: Sqlite.Database,
    private readonly database: SqliteDatabase,
  ) {
    super({ database });
  }

  override createDriver(): SqliteDriver {
    const sqlite = this.sqlite;
    return new (class extends SqliteDriver {
      override async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
        if (sqlite.inTransaction) await super.rollbackTransaction(connection);
      }
    })({ database: this.database });
  }
}

/**
 * The settings of every SQLite connection (the import benchmark's ceiling uses them too).
 *
 * A rollback journal, not WAL. tthc writes in large transactions, one per imported file; in WAL mode each page
 * of such a transaction is written twice, to the log and then, at the checkpoint that follows the commit, to
 * the database: on a million-row file that was a tenth of the import's time (docs/decisions.md). What WAL gives
 * in exchange, readers that go on while a writer works, matters little to an office's own database: a `tthc
 * stats` run during an import waits for the file's transaction (busy_timeout), as a second import does. With a
 * rollback journal, synchronous = FULL is what keeps the database whole through a power cut; it costs a few
 * syncs per transaction.
 */
export function configureSqlite(sqlite: Sqlite.Database): void {
  // A second process importing, or reading, at the same time waits for the file's transaction instead of failing.
  sqlite.pragma(`busy_timeout = ${SQLITE_BUSY_TIMEOUT_MS}`);
  // A database created in WAL mode (by an earlier tthc) is switched when no other connection has it open; while
  // another has, it stays in WAL for now, which is just as correct. Only then is the switch tried: on a database
  // in rollback-journal mode, the pragma would wait for a writer's transaction like any read.
  if (sqlite.pragma('journal_mode', { simple: true }) === 'wal') {
    sqlite.pragma('busy_timeout = 0');
    try {
      sqlite.pragma('journal_mode = DELETE');
    } catch (error) {
      if ((error as { code?: string }).code !== 'SQLITE_BUSY') throw error;
    } finally {
      sqlite.pragma(`busy_timeout = ${SQLITE_BUSY_TIMEOUT_MS}`);
    }
  }
  sqlite.pragma('synchronous = FULL');
  sqlite.pragma('foreign_keys = ON');
}

/** How long a SQLite connection waits for another's transaction: the import of a very large file, at most. */
const SQLITE_BUSY_TIMEOUT_MS = 600_000;

/** How many prepared statements a SQLite connection keeps (the importer uses a handful per shape). */
const STATEMENT_CACHE_SIZE = 64;

/**
 * better-sqlite3 behind Kysely, re-using prepared statements by SQL text. Kysely's SQLite driver prepares every
 * statement it runs; for the import's multi-row statements (thousands of parameters, run thousands of times)
 * preparing cost more than running. SQLite re-prepares a cached statement by itself after a schema change.
 */
function withStatementCache(sqlite: Sqlite.Database): SqliteDatabase {
  const statements = new Map<string, Sqlite.Statement>();
  return {
    close: () => sqlite.close(),
    prepare(text: string) {
      let statement = statements.get(text);
      if (statement === undefined || statement.busy) {
        statement = sqlite.prepare(text);
        if (statements.size >= STATEMENT_CACHE_SIZE) statements.delete(statements.keys().next().value!);
        statements.set(text, statement);
      } else {
        // Most recently used last, so the oldest goes first.
        statements.delete(text);
        statements.set(text, statement);
      }
      return statement;
    },
  };
}

export async function migrate(db: Db): Promise<void> {
  const migrator = new Migrator({ db, provider: { getMigrations: async () => migrations } });
  const { error, results } = await migrator.migrateToLatest();
  if (error) {
    const failed = results?.find((r) => r.status === 'Error');
    const which = failed ? `migration ${failed.migrationName}` : 'migrations';
    throw new DatabaseError(`${which} failed: ${(error as Error).message ?? error}`);
  }
}

/**
 * Runs `body` on one snapshot of the database, so that the several queries of a figure (the data's span, the
 * summary, the dossiers of partial half-months) agree with each other even while an import commits a file
 * between them: PostgreSQL's REPEATABLE READ, SQLite's read transaction (its lock held to the end).
 */
export async function inSnapshot<T>(db: Db, body: (db: Db) => Promise<T>): Promise<T> {
  const transaction = db.transaction();
  return (dialectName(db) === 'postgres' ? transaction.setIsolationLevel('repeatable read') : transaction).execute(body);
}

export function dialectName(db: Db): DialectName {
  return dialectOf(db);
}

/** A connection string without its password, for messages. */
export function redact(target: string): string {
  return target.replace(/(postgres(?:ql)?:\/\/[^:/@]+:)[^@]*@/i, '$1***@');
}
