import { PostgresAdapter, sql, type Kysely } from 'kysely';

// The little SQL that differs between SQLite and PostgreSQL lives here, so nothing above the database layer
// needs to know which one it talks to.

export type DialectName = 'sqlite' | 'postgres';

export function dialectOf(db: Kysely<any>): DialectName {
  return db.getExecutor().adapter instanceof PostgresAdapter ? 'postgres' : 'sqlite';
}

/** Column type of an auto-numbered primary key. */
export function autoIdType(db: Kysely<any>) {
  return dialectOf(db) === 'postgres' ? sql`bigserial` : sql`integer`;
}

/**
 * How many bound parameters one statement may carry: SQLite's default limit is 32766, PostgreSQL's 65535.
 * Multi-row inserts are chunked below this.
 */
export function maxParameters(db: Kysely<any>): number {
  return dialectOf(db) === 'postgres' ? 65000 : 32000;
}

/**
 * Serializes imports into one PostgreSQL database: a transaction-scoped advisory lock, so that two processes
 * importing files with the same dossiers merge one after the other (no duplicate, no lost update). SQLite
 * serializes writers by itself.
 */
export async function lockForImport(trx: Kysely<any>): Promise<void> {
  if (dialectOf(trx) === 'postgres') await sql`select pg_advisory_xact_lock(${IMPORT_LOCK_KEY})`.execute(trx);
}
const IMPORT_LOCK_KEY = 72_040_001;

