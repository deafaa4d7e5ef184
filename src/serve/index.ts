import { serve, type ServerType } from '@hono/node-server';
import type { AddressInfo } from 'node:net';
import type { Db } from '../db/connection.ts';
import { createApp } from './app.ts';
import { serializer, type ServeContext } from './context.ts';
import { newCsrfToken } from './security.ts';

// `tthc serve` as a library: the office's web page over an open database, on 127.0.0.1 by default.

export { createApp } from './app.ts';
export type { ServeContext } from './context.ts';

export const DEFAULT_PORT = 8686;
export const DEFAULT_HOST = '127.0.0.1';
/** Largest upload accepted by default: a million-row export as .xlsx is about 60 MB, as .csv about 150 MB. */
export const DEFAULT_UPLOAD_LIMIT = 256 * 1024 * 1024;

export interface ServeOptions {
  db: Db;
  /** How the pages name the database (a path; a URL without its password). */
  dbLabel: string;
  /** Default 127.0.0.1. */
  host?: string;
  /** Default 8686; 0 takes any free port. */
  port?: number;
  /** Bytes; default DEFAULT_UPLOAD_LIMIT. */
  uploadLimit?: number;
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
  const ctx: ServeContext = {
    db: options.db,
    dbLabel: options.dbLabel,
    csrf: newCsrfToken(),
    uploadLimit: options.uploadLimit ?? DEFAULT_UPLOAD_LIMIT,
    serialize: serializer(),
  };
  const app = createApp(ctx, { host });
  let server: ServerType;
  const address = await new Promise<AddressInfo>((resolve, reject) => {
    server = serve({ fetch: app.fetch, hostname: host, port: options.port ?? DEFAULT_PORT }, resolve);
    server.once('error', reject);
  });
  const shownHost = host.includes(':') ? `[${host}]` : host;
  return {
    url: `http://${shownHost}:${address.port}`,
    port: address.port,
    close: () =>
      new Promise<void>((resolve, reject) => {
        (server as unknown as { closeAllConnections?: () => void }).closeAllConnections?.();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
