import { readdirSync, readFileSync } from 'node:fs';
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

/**
 * CPU seconds used so far by the PostgreSQL server processes of the cluster listening on `port` (every
 * `postgres` process on this machine when no port is given): each live process of it, plus what its postmaster
 * has collected from its exited children (a closed connection's backend). The difference around an import is
 * the server's share of it, which on a two-core machine competes with the importer's own threads; other
 * clusters on the machine (the tests' servers of other work) are left out. Undefined where /proc cannot tell
 * (another OS, a remote server).
 */
export function postgresCpuSeconds(port?: number): number | undefined {
  let ticks = 0;
  let found = false;
  let entries: string[];
  try {
    entries = readdirSync('/proc').filter((e) => /^\d+$/.test(e));
  } catch {
    return undefined;
  }
  const stats = new Map<number, { comm: string; ppid: number; fields: string[] }>();
  for (const pid of entries) {
    try {
      const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const comm = text.slice(text.indexOf('(') + 1, text.lastIndexOf(')'));
      const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
      stats.set(Number(pid), { comm, ppid: Number(fields[1]), fields });
    } catch {}
  }
  const ours = new Map<number, boolean>();
  const isOurPostmaster = (pid: number) => {
    if (port === undefined) return true;
    let yes = ours.get(pid);
    if (yes === undefined) {
      try {
        const args = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
        yes = args.some((arg, i) => (arg === '-p' && args[i + 1] === String(port)) || arg === `-p${port}`);
      } catch {
        yes = false;
      }
      ours.set(pid, yes);
    }
    return yes;
  };
  for (const [pid, { comm, ppid, fields }] of stats) {
    if (comm !== 'postgres') continue;
    const postmaster = stats.get(ppid)?.comm === 'postgres' ? ppid : pid;
    if (!isOurPostmaster(postmaster)) continue;
    found = true;
    // After the command: state(0) ppid(1) … utime(11) stime(12) cutime(13) cstime(14), in clock ticks.
    ticks += Number(fields[11]) + Number(fields[12]);
    if (postmaster === pid) ticks += Number(fields[13]) + Number(fields[14]);
  }
  return found ? ticks / 100 : undefined;
}
