import { WRITTEN_COLUMNS } from '../../src/db/dossier-store.ts';
import { existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { sql } from 'kysely';
import { openDatabase, isPostgresUrl, type Db } from '../../src/db/connection.ts';
import { dialectOf, maxParameters } from '../../src/db/dialect.ts';
import type { DossierTable } from '../../src/db/schema.ts';
import { matchKey } from '../../src/domain/text.ts';
import { rebuildSummary } from '../../src/stats/summary-writer.ts';
import { dossierRow, generateDossiers, GENERATOR_VERSION } from './dossiers.ts';
import { OUT_DIR } from './export-files.ts';
import { buildProvince } from './province.ts';

// The statistics and report benchmarks' database: a province over five years (2020–2024), put in directly with
// Kysely multi-row inserts (the fast path: no export files, no import logic). The SQLite file is cached under
// bench/out/ by size and seed; a PostgreSQL database is reused when it already holds the same dossiers.

const COMMIT_EVERY = 250_000;

export function statsDbPath(dossiers: number, seed: number): string {
  return join(OUT_DIR, `stats-${dossiers}-s${seed}-v${GENERATOR_VERSION}.db`);
}

/** A database with the benchmark's dossiers: a cached SQLite file, or the given PostgreSQL database. */
export async function ensureStatsDatabase(target: string, dossiers: number, seed: number, log = (s: string) => process.stderr.write(s)): Promise<{ target: string; loadSeconds: number }> {
  if (!isPostgresUrl(target)) {
    if (existsSync(target)) return { target, loadSeconds: 0 };
    mkdirSync(OUT_DIR, { recursive: true });
    const partial = `${target}.partial`;
    for (const suffix of ['', '-wal', '-shm']) rmSync(partial + suffix, { force: true });
    const loadSeconds = await load(partial, dossiers, seed, log);
    renameSync(partial, target);
    return { target, loadSeconds };
  }
  const db = await openDatabase(target);
  try {
    const { n } = await db.selectFrom('dossiers').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    if (Number(n) === dossiers) return { target, loadSeconds: 0 };
    if (Number(n) !== 0) throw new Error(`${target} already holds ${n} dossiers, not ${dossiers}: give an empty database`);
  } finally {
    await db.destroy();
  }
  return { target, loadSeconds: await load(target, dossiers, seed, log) };
}

async function load(target: string, dossiers: number, seed: number, log: (s: string) => void): Promise<number> {
  const started = performance.now();
  log(`loading ${dossiers.toLocaleString('en')} dossiers into ${isPostgresUrl(target) ? 'PostgreSQL' : target} … `);
  const db = await openDatabase(target);
  try {
    const province = buildProvince(seed);
    await db.insertInto('units').values(province.units.map((u) => ({
      code: u.code, name: u.name, name_key: matchKey(u.name), level: u.level, parent_code: u.parentCode,
      valid_from: null, valid_to: null, successor_code: null,
    }))).execute();
    await db.insertInto('import_batches').values({
      file_name: 'bench:stats', sha256: '', imported_at: '2025-01-01 00:00:00', rows_read: dossiers,
      new_count: dossiers, updated_count: 0, unchanged_count: 0, rejected_count: 0, footer_rows_skipped: 0,
      personal_columns_dropped: '[]', units_created: '[]', seconds: 0,
    }).execute();
    const chunk = Math.floor(maxParameters(db) / WRITTEN_COLUMNS.length);
    const rows = generateDossiers(dossiers, seed, province);
    let done = 0;
    let lastLog = performance.now();
    while (done < dossiers) {
      await db.transaction().execute(async (trx) => {
        const end = Math.min(dossiers, done + COMMIT_EVERY);
        let batch: DossierTable[] = [];
        for (; done < end; done++) {
          const next = rows.next();
          if (next.done) throw new Error('generator ended early');
          batch.push(dossierRow(next.value, next.value.unit.code));
          if (batch.length === chunk) {
            await trx.insertInto('dossiers').values(batch).execute();
            batch = [];
          }
        }
        if (batch.length) await trx.insertInto('dossiers').values(batch).execute();
      });
      if (performance.now() - lastLog > 15_000) {
        log(`${Math.round((done / dossiers) * 100)} % … `);
        lastLog = performance.now();
      }
    }
    // The importer keeps the summary by half-month up to date as it writes dossiers; this fast path bypasses it, so
    // the summary is built once from the stored dossiers, as the migration does for an existing database.
    log('summary by half-month … ');
    await rebuildSummary(db);
    // PostgreSQL plans from statistics that autovacuum would gather a little later; gather them now so that the
    // first query is planned as every later one would be. (SQLite is left as the tool leaves it: no ANALYZE.)
    if (dialectOf(db) === 'postgres') await sql`vacuum analyze`.execute(db);
  } finally {
    await db.destroy();
  }
  const seconds = (performance.now() - started) / 1000;
  log(`${seconds.toFixed(0)} s\n`);
  return seconds;
}

/**
 * The ceiling of the statistics benchmark: one plain pass over the same table, count(*) and a few sums of
 * CASE expressions, with no period join and no grouping.
 */
export async function singlePass(db: Db) {
  return db
    .selectFrom('dossiers')
    .select((eb) => [
      eb.fn.countAll<number>().as('dossiers'),
      eb.fn.sum<number>(eb.case().when('channel', '=', 'truc_tuyen').then(1).else(0).end()).as('online'),
      eb.fn.sum<number>(eb.case().when('ended_at', 'is not', null).then(1).else(0).end()).as('ended'),
      eb.fn.sum<number>(eb.case().when('ended_at', '>', eb.ref('due_at')).then(1).else(0).end()).as('late'),
    ])
    .executeTakeFirstOrThrow();
}
