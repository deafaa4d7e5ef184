import { findPgBin, startThrowawayCluster } from '../../scripts/pg-cluster.ts';
import { Kysely, PostgresDialect, sql } from 'kysely';
import pg from 'pg';

// A PostgreSQL server for bench:pg: TTHC_BENCH_PG_URL when set, else a throwaway cluster started the way the
// test setup (test/helpers/postgres-global-setup.ts) starts one: initdb and pg_ctl from /usr/lib/postgresql/*/bin
// in a temporary folder, on a free port of 127.0.0.1, as the postgres user when run as root. Unlike the tests'
// cluster it keeps fsync on (an import's speed includes making it durable) and gives the server the memory a
// province's server would have.

export interface PgServer {
  /** Connection string of the maintenance database; create databases from it. */
  adminUrl: string;
  version: string;
  stop(): void;
}

const SERVER_SETTINGS = [
  'shared_buffers=2GB',
  'work_mem=64MB',
  'maintenance_work_mem=512MB',
  'max_wal_size=8GB',
  'effective_cache_size=8GB',
];

export async function startPgServer(): Promise<PgServer> {
  const given = process.env.TTHC_BENCH_PG_URL;
  if (given) return { adminUrl: given, version: await serverVersion(given), stop() {} };
  const bin = findPgBin();
  if (!bin) {
    throw new Error('PostgreSQL binaries not found under /usr/lib/postgresql/*/bin: install postgresql (apt-get install postgresql) or set TTHC_BENCH_PG_URL');
  }
  const cluster = await startThrowawayCluster(bin, SERVER_SETTINGS, 'tthc-bench-pg-');
  return { ...cluster, version: await serverVersion(cluster.adminUrl) };
}

/** Kysely on the maintenance database, for the few administrative statements (the stack's rule: Kysely for every query). */
async function withAdmin<T>(url: string, fn: (db: Kysely<any>) => Promise<T>): Promise<T> {
  const db = new Kysely<any>({ dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: url, max: 1 }) }) });
  try {
    return await fn(db);
  } finally {
    await db.destroy();
  }
}

async function serverVersion(url: string): Promise<string> {
  return withAdmin(url, async (db) => {
    const { rows } = await sql<{ server_version: string }>`show server_version`.execute(db);
    return String(rows[0].server_version).split(' ')[0];
  });
}

/** A new empty database on the server (kept if it exists); returns its URL. */
export async function createDatabase(adminUrl: string, name: string): Promise<string> {
  await withAdmin(adminUrl, async (db) => {
    const { rows } = await sql`select 1 from pg_database where datname = ${name}`.execute(db);
    if (!rows.length) await sql`create database ${sql.id(name)}`.execute(db);
  });
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

export async function dropDatabase(adminUrl: string, name: string): Promise<void> {
  await withAdmin(adminUrl, (db) => sql`drop database if exists ${sql.id(name)}`.execute(db));
}
