import { serve, type ServerType } from '@hono/node-server';
import type { AddressInfo } from 'node:net';
import { sql } from 'kysely';
import { isPostgresUrl, openDatabase, type Db } from '../db/connection.ts';
import { createApp } from './app.ts';
import { DEFAULT_HOST, DEFAULT_PORT, DEFAULT_UPLOAD_LIMIT } from './defaults.ts';
import { ImportWorker } from './import-thread.ts';
import { serializer, type ServeContext } from './context.ts';
import { newCsrfToken } from './security.ts';

// `tthc serve` as a library: the office's web page over an open database, on 127.0.0.1 by default.

export { createApp } from './app.ts';
export type { ServeContext } from './context.ts';

export { DEFAULT_HOST, DEFAULT_PORT, DEFAULT_UPLOAD_LIMIT } from './defaults.ts';

export interface ServeOptions {
  /** The database imports write to (and, on PostgreSQL, pages read from). */
  db: Db;
  /**
   * Where `db` is (a SQLite file or a postgres:// URL). With a SQLite file the pages read through a connection
   * of their own, with the file in WAL mode while the server runs (see readerFor); without it, they share `db`.
   */
  target?: string;
  /** How the pages name the database (a path; a URL without its password). */
  dbLabel: string;
  /** Default 127.0.0.1. */
  host?: string;
  /** Default 8686; 0 takes any free port. */
  port?: number;
  /** Bytes; default DEFAULT_UPLOAD_LIMIT. */
  uploadLimit?: number;
  /** Required login (see AppOptions.password); the CLI requires one for a host other than loopback. */
  password?: string;
}

export interface RunningServer {
  /** http://host:port */
  url: string;
  port: number;
  close(): Promise<void>;
}

/** Starts the server; resolves once it listens. The database stays the caller's to close, after close(). */
export async function startServer(options: ServeOptions): Promise<RunningServer> {
  const host = options.host ?? DEFAULT_HOST;
  const reader = await readerFor(options.db, options.target);
  const importWorker = reader ? new ImportWorker(options.target!) : undefined;
  const ctx: ServeContext = {
    db: reader?.db ?? options.db,
    writer: options.db,
    ...(importWorker ? { importWorker } : {}),
    dbLabel: options.dbLabel,
    csrf: newCsrfToken(),
    uploadLimit: options.uploadLimit ?? DEFAULT_UPLOAD_LIMIT,
    serialize: serializer(),
  };
  const app = createApp(ctx, { host, password: options.password });
  let server: ServerType;
  let address: AddressInfo;
  try {
    address = await new Promise<AddressInfo>((resolve, reject) => {
      server = serve({ fetch: app.fetch, hostname: host, port: options.port ?? DEFAULT_PORT }, resolve);
      server.once('error', reject);
    });
  } catch (error) {
    await reader?.close();
    throw error;
  }
  const shownHost = host.includes(':') ? `[${host}]` : host;
  return {
    url: `http://${shownHost}:${address.port}`,
    port: address.port,
    close: () =>
      new Promise<void>((resolve, reject) => {
        (server as unknown as { closeAllConnections?: () => void }).closeAllConnections?.();
        server.close((error) => (error ? reject(error) : resolve()));
      })
        .then(() => importWorker?.close())
        .finally(() => reader?.close()),
  };
}

/**
 * The pages' own connection to a SQLite file, so that they answer while an import writes. With tthc's usual
 * rollback journal a file's import transaction would hold every reader until its commit (seconds to a minute
 * for a large export); in WAL mode readers go on with the database as it was before the file. The file stays in
 * WAL only while the server runs: close() switches it back (the next openDatabase would too), since WAL costs a
 * CLI import a tenth of its time (src/db/connection.ts, configureSqlite).
 */
async function readerFor(db: Db, target: string | undefined): Promise<{ db: Db; close(): Promise<void> } | undefined> {
  if (!target || isPostgresUrl(target) || target === ':memory:' || target.startsWith('file:')) return undefined;
  // Opened first: openDatabase turns a WAL file back to a rollback journal when it can.
  const reader = await openDatabase(target);
  const mode = async (d: Db) => String(Object.values((await sql`pragma journal_mode`.execute(d)).rows[0] as object)[0]).toLowerCase();
  await sql`pragma journal_mode = wal`.execute(db);
  // A read makes each connection open the WAL and hold it: from then on no other connection (an import worker's
  // openDatabase) can switch the file back while the server runs.
  for (const d of [db, reader]) await sql`select count(*) from sqlite_master`.execute(d);
  if ((await mode(db)) !== 'wal' || (await mode(reader)) !== 'wal') {
    // Two connections of one thread on a rollback journal would wait on each other: the pages share `db`.
    await reader.destroy();
    return undefined;
  }
  return {
    db: reader,
    async close() {
      await reader.destroy();
      try {
        await sql`pragma journal_mode = delete`.execute(db);
      } catch {
        // Another process has the file open: it stays in WAL until the next tthc opens it alone.
      }
    },
  };
}
