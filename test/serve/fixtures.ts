import { join } from 'node:path';
import { openDatabase, type Db } from '../../src/db/connection.ts';
import { startServer, type RunningServer } from '../../src/serve/index.ts';
import { COMMUNE, DISTRICT, importRows, type ExportRow } from '../stats/fixtures.ts';

// A tiny database whose figures are worked out by hand below, and a real server over it on a free port.

/**
 * Seven dossiers. The data's last day is 01/03/2023 (A4's receipt), so `year=2023` is cut to 01/01–01/03/2023.
 * A5 is received in 2022 and never ends: carried over into 2023, overdue at the end.
 */
export const TINY_ROWS: ExportRow[] = [
  { code: 'A1', unit: DISTRICT, channel: 'Trực tiếp', received: '05/01/2023 08:00', due: '10/01/2023 17:00', ended: '09/01/2023 10:00' },
  { code: 'A2', unit: DISTRICT, channel: 'Trực tuyến', received: '06/01/2023 09:00', due: '12/01/2023 17:00', ended: '12/01/2023 15:00' },
  { code: 'A3', unit: DISTRICT, channel: 'Trực tuyến', received: '10/02/2023 09:00', due: '15/02/2023 17:00', ended: '20/02/2023 15:00', field: 'Đất đai', procedure: 'Đăng ký biến động đất đai' },
  { code: 'A4', unit: COMMUNE, channel: 'Trực tuyến', received: '01/03/2023 09:00', due: '05/03/2023 17:00' },
  { code: 'A5', unit: COMMUNE, channel: 'Trực tiếp', received: '15/12/2022 09:00', due: '20/12/2022 17:00' },
  { code: 'A6', unit: COMMUNE, channel: 'Trực tiếp', received: '20/01/2023 09:00', due: '30/01/2023 17:00', ended: '25/01/2023 10:00', status: 'Từ chối' },
  { code: 'A7', unit: DISTRICT, channel: 'Bưu chính', received: '02/02/2023 09:00', due: '10/02/2023 17:00', ended: '03/02/2023 10:00', status: 'Công dân rút hồ sơ' },
];

/** The figures of `year=2023` (cut at 01/03/2023), counted by hand from TINY_ROWS. */
export const TINY_2023 = {
  from: '2023-01-01',
  to: '2023-03-01',
  receivedDirect: 2, // A1, A6
  receivedOnline: 3, // A2, A3, A4
  receivedPostal: 1, // A7
  receivedLienThong: 0,
  receivedTotal: 6,
  carriedOver: 1, // A5
  resolvedEarly: 1, // A1
  resolvedOnTime: 1, // A2
  resolvedLate: 1, // A3
  resolvedRejected: 1, // A6
  resolvedTotal: 4,
  withdrawn: 1, // A7
  pendingTotal: 2, // A4, A5
  pendingOnTime: 1, // A4: due 05/03, after the last day
  pendingOverdue: 1, // A5
  onTimeRate: 0.5, // (1 + 1) / 4
  onlineRate: 0.5, // 3 / 6
} as const;

/** Writes TINY_ROWS as an export, imports it into a new SQLite file in `dir`, and returns the file. */
export async function tinyDatabase(dir: string, target = join(dir, 'tthc.db')): Promise<string> {
  const db = await openDatabase(target);
  try {
    await importRows(db, dir, TINY_ROWS);
  } finally {
    await db.destroy();
  }
  return target;
}

export interface TestServer extends RunningServer {
  db: Db;
  /** The page's CSRF token, as a page's script reads it. */
  token: string;
  stop(): Promise<void>;
}

/** The real server over the database file, on a free port of 127.0.0.1. */
export async function serveDatabase(target: string, options: { uploadLimit?: number; password?: string } = {}): Promise<TestServer> {
  const db = await openDatabase(target);
  const server = await startServer({ db, target, dbLabel: target, port: 0, ...options });
  const auth: Record<string, string> = options.password ? { authorization: `Bearer ${options.password}` } : {};
  const { token } = (await (await fetch(`${server.url}/api/csrf-token`, { headers: auth })).json()) as { token: string };
  return {
    ...server,
    db,
    token,
    async stop() {
      await server.close();
      await db.destroy();
    },
  };
}

/** The `data-value` and `href` of every count link of a page. */
export function countLinks(page: string): Array<{ figure: string; value: number; href: string }> {
  const links: Array<{ figure: string; value: number; href: string }> = [];
  for (const m of page.matchAll(/<a class="num" href="([^"]+)" data-figure="([^"]*)" data-value="(\d+)">/g)) {
    links.push({ href: m[1].replace(/&amp;/g, '&'), figure: m[2], value: Number(m[3]) });
  }
  return links;
}

/** The count the Hồ sơ page shows. */
export function listedCount(page: string): number {
  const m = /id="so-ho-so" data-count="(\d+)"/.exec(page);
  if (!m) throw new Error(`no count on the page: ${page.slice(0, 500)}`);
  return Number(m[1]);
}
