import { existsSync, statSync } from 'node:fs';
import { sql } from 'kysely';
import type { Db } from '../../src/db/connection.ts';
import { dialectOf } from '../../src/db/dialect.ts';

/**
 * Waits until another process is inside an import transaction that has written something (a minute at most).
 * `db` is a connection of this process to the same database: it only asks PostgreSQL; SQLite is watched through
 * its files, since a query could wait for the writer.
 */
export async function untilImportWrites(db: Db, target: string): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (!(await writing(db, target))) {
    if (Date.now() > deadline) throw new Error('the import never started writing');
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function writing(db: Db, target: string): Promise<boolean> {
  if (dialectOf(db) === 'postgres') {
    // The import's connection has sent at least one chunk of dossiers inside its open transaction.
    const { rows } = await sql<{ n: number }>`
      select count(*)::int as n from pg_stat_activity
      where pid <> pg_backend_pid() and xact_start is not null and (query ilike 'insert into "dossiers"%' or query ilike 'copy "dossiers"%')`.execute(db);
    return rows[0].n > 0;
  }
  // SQLite with a rollback journal: a writer that has spilled pages has a journal and has grown the database
  // file beyond what the earlier imports left (a few pages); the journal makes the next opener undo it.
  return existsSync(`${target}-journal`) && statSync(target).size > 4 * 1024 * 1024;
}
