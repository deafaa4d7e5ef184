import { WRITTEN_COLUMNS } from '../src/db/dossier-store.ts';
import Sqlite from 'better-sqlite3';
import { sql } from 'kysely';
import { configureSqlite, openDatabase, isPostgresUrl } from '../src/db/connection.ts';
import { maxParameters } from '../src/db/dialect.ts';
import type { DossierTable } from '../src/db/schema.ts';
import { importFile } from '../src/import/index.ts';
import { cpuSince, reportResult, sampleThreadCpu } from './lib/child.ts';
import { QueryTimes } from './lib/query-times.ts';
import { dossierRow, generateDossiers } from './lib/dossiers.ts';
import { buildProvince } from './lib/province.ts';
import { EXPORT_HEADERS } from './lib/export-files.ts';
import { withPgSession } from '../src/db/pg-copy.ts';
import { createReadStream, createWriteStream, rmSync } from 'node:fs';
import { once } from 'node:events';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

// One measured run of the import benchmark, in its own process (see lib/child.ts):
//   import <file> <db>            importFile into a fresh database
//   ceiling <rows> <seed> <db>    the same rows, already parsed, inserted with no import logic at all
//   copy <file> <db>              PostgreSQL: the file's rows streamed by a bare COPY … FROM STDIN (csv) into a
//                                 table of text columns keyed by the dossier code, as psql's \copy would
// The database is created and migrated before the clock starts, in both cases.

const [mode, ...args] = process.argv.slice(2);

if (mode === 'import') {
  const [file, target] = args;
  const db = await openDatabase(target);
  // For experiments only: a larger SQLite page cache than openDatabase sets (BENCH_SQLITE_CACHE_MB=256).
  if (process.env.BENCH_SQLITE_CACHE_MB && !isPostgresUrl(target)) {
    await sql`pragma cache_size = ${sql.raw(String(-1024 * Number(process.env.BENCH_SQLITE_CACHE_MB)))}`.execute(db);
  }
  try {
    // Time per statement kind (compile + run), so that a missed target says which writes cost what.
    const queryTimes = new QueryTimes();
    const cpu = process.cpuUsage();
    const threads = sampleThreadCpu();
    const started = performance.now();
    const summary = await importFile(db.withPlugin(queryTimes), file);
    const seconds = (performance.now() - started) / 1000;
    reportResult({ rows: summary.rowsRead, seconds, cpuSeconds: cpuSince(cpu), ...threads(), newDossiers: summary.newDossiers, rejected: summary.rejected, queries: queryTimes.summary() });
  } finally {
    await db.destroy();
  }
} else if (mode === 'ceiling') {
  const [rowsText, seedText, target] = args;
  const rows = Number(rowsText);
  const seed = Number(seedText);
  const province = buildProvince(seed);
  const units = province.units.map((u) => ({
    code: u.code, name: u.name, name_key: u.name.toLowerCase(), level: u.level,
    parent_code: null, valid_from: null, valid_to: null, successor_code: null,
  }));
  // The rows as the importer would store them, made before the clock starts.
  const dossiers: DossierTable[] = [];
  for (const d of generateDossiers(rows, seed, province)) dossiers.push(dossierRow(d, d.unit.code));

  const db = await openDatabase(target);
  await db.insertInto('units').values(units).execute();
  await db.insertInto('import_batches').values({
    file_name: 'ceiling', sha256: '', imported_at: '2025-01-01 00:00:00', rows_read: rows, new_count: rows,
    updated_count: 0, unchanged_count: 0, rejected_count: 0, footer_rows_skipped: 0,
    personal_columns_dropped: '[]', units_created: '[]', seconds: 0,
  }).execute();

  let seconds: number;
  let cpu = process.cpuUsage();
  if (isPostgresUrl(target)) {
    // PostgreSQL: the fastest plain path allowed here, Kysely multi-row inserts of the parsed rows in one
    // transaction.
    const chunk = Math.floor(maxParameters(db) / WRITTEN_COLUMNS.length);
    const started = performance.now();
    await db.transaction().execute(async (trx) => {
      for (let i = 0; i < dossiers.length; i += chunk) await trx.insertInto('dossiers').values(dossiers.slice(i, i + chunk)).execute();
    });
    seconds = (performance.now() - started) / 1000;
    await db.destroy();
  } else {
    await db.destroy();
    // SQLite: a plain better-sqlite3 prepared INSERT, one transaction, same pragmas as openDatabase. This is the
    // only place that talks to better-sqlite3 directly: it is the baseline the importer is measured against.
    const sqlite = new Sqlite(target);
    configureSqlite(sqlite);
    const columns = Object.keys(dossiers[0]);
    const insert = sqlite.prepare(`insert into dossiers (${columns.join(', ')}) values (${columns.map(() => '?').join(', ')})`);
    const values = dossiers.map((row) => columns.map((c) => row[c as keyof DossierTable]));
    cpu = process.cpuUsage();
    const started = performance.now();
    sqlite.transaction(() => {
      for (const row of values) insert.run(row);
    })();
    seconds = (performance.now() - started) / 1000;
    sqlite.close();
  }
  reportResult({ rows: dossiers.length, seconds, cpuSeconds: cpuSince(cpu) });
} else if (mode === 'copy') {
  const [file, target, work] = args;
  // The rows alone (the export's title lines and footer taken off, before the clock starts): what COPY can read.
  const plain = join(work, 'copy-rows.csv');
  await keepRows(file, plain);
  const db = await openDatabase(target);
  const columns = EXPORT_HEADERS.map((_, i) => `c${i + 1} text${i === 1 ? ' primary key' : ''}`);
  await sql`create table bare_copy (${sql.raw(columns.join(', '))})`.execute(db);
  const cpu = process.cpuUsage();
  const started = performance.now();
  const rows = await withPgSession(db, (session) => session.copyFromStream('copy bare_copy from stdin (format csv, header true)', createReadStream(plain)));
  const seconds = (performance.now() - started) / 1000;
  await db.destroy();
  rmSync(plain);
  reportResult({ rows, seconds, cpuSeconds: cpuSince(cpu) });
} else {
  console.error('usage: import-worker.ts import <file> <db> | ceiling <rows> <seed> <db> | copy <file> <db> <dir>');
  process.exit(2);
}

/** Copies the header and data lines of a bench export (lib/export-files.ts) to `to`: no title lines, no footer. */
async function keepRows(from: string, to: string): Promise<void> {
  const out = createWriteStream(to);
  let header = false;
  for await (const line of createInterface({ input: createReadStream(from, { encoding: 'utf8' }), crlfDelay: Infinity })) {
    const text = line.replace(/^\ufeff/, '');
    if (!header) {
      header = text.startsWith(EXPORT_HEADERS[0] + ',');
      if (!header) continue;
    } else if (!/^\d/.test(text)) break; // the footer ("Tổng số: …")
    if (!out.write(text + '\n')) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
}
