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
 * Serializes the transactions that import (files, catalogues), as their first statement, so that two processes
 * importing the same dossiers or units merge one after the other (no duplicate, no lost update).
 * - PostgreSQL: a transaction-scoped advisory lock.
 * - SQLite: an update that changes nothing, to take the write lock before anything is read. A transaction that
 *   reads first and then writes while another connection writes fails at once with "database is locked"
 *   (SQLite does not wait there, as waiting could deadlock); one whose first statement writes waits for the
 *   other's commit (busy_timeout).
 */
export async function lockForImport(trx: Kysely<any>): Promise<void> {
  if (dialectOf(trx) === 'postgres') await sql`select pg_advisory_xact_lock(${IMPORT_LOCK_KEY})`.execute(trx);
  else await sql`update import_batches set id = id where 0`.execute(trx);
}
const IMPORT_LOCK_KEY = 72_040_001;


