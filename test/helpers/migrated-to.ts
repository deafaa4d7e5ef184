import Sqlite from 'better-sqlite3';
import { Kysely, Migrator, PostgresDialect, SqliteDialect } from 'kysely';
import pg from 'pg';
import { migrations } from '../../schema/index.ts';
import { isPostgresUrl } from '../../src/db/connection.ts';

/**
 * The database at `target` as a tthc of an earlier migration left it: migrated up to `last` and no further, opened
 * raw (no plugins, untyped), so that a test can store rows as that version did and then let openDatabase run the
 * migrations after it. The caller destroys it before opening the database again.
 */
export async function databaseMigratedTo(target: string, last: keyof typeof migrations): Promise<Kysely<any>> {
  const raw = new Kysely<any>({
    dialect: isPostgresUrl(target)
      ? new PostgresDialect({ pool: new pg.Pool({ connectionString: target, max: 1 }) })
      : new SqliteDialect({ database: new Sqlite(target) }),
  });
  const migrator = new Migrator({ db: raw, provider: { getMigrations: async () => migrations } });
  const { error } = await migrator.migrateTo(last);
  if (error) throw error;
  return raw;
}
