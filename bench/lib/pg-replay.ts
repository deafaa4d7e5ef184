import { sql } from 'kysely';
import { finished } from 'node:stream/promises';
import pg from 'pg';
import { to } from 'pg-copy-streams';
import { openDatabase } from '../../src/db/connection.ts';
import { setAsideDossierKeysAndIndexes } from '../../src/db/dossier-store.ts';
import { withPgSession } from '../../src/db/pg-copy.ts';

// Issue 16, point 3: the server's own work of an import, without the importer. The rows a first import stored
// (the dossiers and both summaries) are read back and written into a new database the cheapest way PostgreSQL
// offers for the same schema and the same single transaction: each table by one COPY of ready-made text, the
// dossiers' key and secondary indexes set aside and made again as the importer does on a first import, the
// summaries copied as they are (no upsert). Node only streams prepared bytes, so the time is the server's: no
// importer writing the same rows into the same schema can finish sooner on this server.

export interface ReplayResult {
  seconds: number;
  /** CPU seconds of the server's processes over the replay (undefined where /proc cannot tell). */
  serverCpuSeconds?: number;
  rows: Record<string, number>;
  /** Seconds of each step: the dossiers' COPY, their key and indexes made again, each summary's COPY. */
  steps: Record<string, number>;
}

/** The tables the replay writes in its timed transaction, in order; the units and batches they refer to go first, untimed. */
const TIMED = ['dossiers', 'dossier_half_months', 'dossier_procedure_half_months'] as const;
const UNTIMED = ['units', 'import_batches'] as const;

export async function replayImportServerWork(fromUrl: string, intoUrl: string, serverCpu: () => number | undefined): Promise<ReplayResult> {
  const data = new Map<string, Buffer>();
  const client = new pg.Client({ connectionString: fromUrl });
  await client.connect();
  try {
    for (const table of [...UNTIMED, ...TIMED]) data.set(table, await copyOut(client, table));
  } finally {
    await client.end();
  }
  const db = await openDatabase(intoUrl);
  try {
    await db.transaction().execute((trx) =>
      withPgSession(trx, async (session) => {
        for (const table of UNTIMED) await session.copyFrom(`copy ${table} from stdin`, data.get(table)!);
      }),
    );
    await sql`checkpoint`.execute(db).catch(() => undefined);
    const rows: Record<string, number> = {};
    const steps: Record<string, number> = {};
    let stepStart = performance.now();
    const step = (name: string) => {
      const now = performance.now();
      steps[name] = (now - stepStart) / 1000;
      stepStart = now;
    };
    const cpuBefore = serverCpu();
    const started = performance.now();
    await db.transaction().execute(async (trx) => {
      const restore = await setAsideDossierKeysAndIndexes(trx);
      await withPgSession(trx, async (session) => {
        rows.dossiers = await session.copyFrom('copy dossiers from stdin', data.get('dossiers')!);
      });
      step('dossiers');
      await restore();
      step('dossiers\' key and indexes');
      await withPgSession(trx, async (session) => {
        for (const table of TIMED.slice(1)) {
          rows[table] = await session.copyFrom(`copy ${table} from stdin`, data.get(table)!);
          step(table);
        }
      });
    });
    const seconds = (performance.now() - started) / 1000;
    const cpuAfter = serverCpu();
    return { seconds, steps, serverCpuSeconds: cpuBefore !== undefined && cpuAfter !== undefined ? cpuAfter - cpuBefore : undefined, rows };
  } finally {
    await db.destroy();
  }
}

/** A table's rows in COPY's text format, every column in the table's order. */
async function copyOut(client: pg.Client, table: string): Promise<Buffer> {
  const stream = client.query(to(`copy ${table} to stdout`));
  const parts: Buffer[] = [];
  stream.on('data', (part: Buffer) => parts.push(part));
  await finished(stream);
  return Buffer.concat(parts);
}
