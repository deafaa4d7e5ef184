import { sql, type Kysely } from 'kysely';
import { executeCached, executeCachedQuery } from './cached-statement.ts';
import { dialectOf, maxParameters } from './dialect.ts';
import { columnArrays, columnList, executeWithArrays, textArrayOf, unnestOf, type ArrayColumn } from './pg-arrays.ts';
import { copyRows, someCopyRows, withPgSession, type CopyRows } from './pg-copy.ts';
import type { Database, DossierTable } from './schema.ts';

// The statements the importer runs for every chunk of dossiers: read the stored versions of the chunk's codes,
// write the new dossiers, overwrite the merged ones. They are the hot path of an import, so each dialect gets the
// form of statement it runs fastest; everything above (merge, counts, summary) is the same on both.
// - SQLite: multi-row statements (`in (?, …)`, `values (…), (…)`), one parameter per value, chunked below the
//   parameter limit; their SQL text is built by Kysely once per row count (cached-statement.ts).
// - PostgreSQL: new dossiers go in by COPY (pg-copy.ts), the server's bulk path; reads and overwrites take one
//   array parameter per column (`unnest($1::text[], …)`): a fixed SQL text for any number of rows, so chunks can
//   be much larger than 65,535 parameters allow (docs/postgresql.md has the figures).

/** Every column of a stored dossier, in the order the import statements bind them. */
export const WRITTEN_COLUMNS = [
  'code', 'unit_code', 'receiving_unit', 'procedure_code', 'procedure_name', 'field', 'channel', 'received_at', 'due_at',
  'ended_at', 'end_from_returned', 'returned_at', 'status', 'created_batch_id', 'updated_batch_id',
  'outcome', 'overdue_from', 'paid_online', 'has_fee', 'digitised', 'electronic_result', 'satisfaction', 'due_computed',
  'processing_working_days',
] as const satisfies ReadonlyArray<keyof DossierTable>;
const UPDATED_COLUMNS = WRITTEN_COLUMNS.filter((c) => c !== 'code' && c !== 'created_batch_id');
const PLACEHOLDER_ROW = Object.fromEntries(WRITTEN_COLUMNS.map((c) => [c, ''])) as unknown as DossierTable;

/** The columns' types in PostgreSQL (schema/0001-initial.ts): dates are wall-clock text, flags and batch ids integer. */
const INTEGER_COLUMNS: ReadonlySet<string> = new Set([
  'end_from_returned', 'created_batch_id', 'updated_batch_id', 'paid_online', 'has_fee', 'digitised', 'electronic_result',
  'due_computed', 'processing_working_days',
]);
const PG_COLUMNS: ReadonlyArray<ArrayColumn<(typeof WRITTEN_COLUMNS)[number]>> = WRITTEN_COLUMNS.map((name) => ({
  name,
  type: INTEGER_COLUMNS.has(name) ? 'int4' : 'text',
}));

/**
 * Dossiers per chunk of the import on PostgreSQL: a round trip and a statement each way per chunk; larger chunks
 * gained nothing measurable and hold more rows (and literals) in memory.
 */
const PG_CHUNK = 5_000;

/** How many dossiers one chunk of the import holds. */
export function dossierChunkSize(db: Kysely<Database>): number {
  if (dialectOf(db) === 'postgres') return PG_CHUNK;
  // SQLite: one multi-row statement's worth.
  return Math.floor(maxParameters(db) / WRITTEN_COLUMNS.length);
}

/**
 * A first import into PostgreSQL (no dossier stored when the file's transaction took the import lock): the
 * dossiers' foreign keys (the unit of each dossier) and secondary indexes (neither the primary key nor a unique
 * index, which the writes rely on) are dropped for the file's writes and made again before it commits; returns
 * what makes them again. Checked row by row, as COPY does, the unit's key cost the server a third of its time,
 * and the three indexes updated row by row another 10 % (docs/postgresql.md has the figures); added again, the
 * key is checked once over the whole table by one join, and each index is built by one sort, over a table that
 * holds the file's rows alone. The database ends the same: the same constraints and indexes under the same
 * names, the key holding for every row, or the file's transaction fails. Dropping them locks dossiers and units
 * until the file commits, so that readers wait for a first import as they do on SQLite. Nothing to do on SQLite
 * (its keys are checked per statement anyway), nor when dossiers are stored already: adding the key back and
 * building the indexes would go over them all.
 */
export async function setAsideDossierKeysAndIndexes(db: Kysely<Database>): Promise<() => Promise<void>> {
  if (dialectOf(db) !== 'postgres') return async () => {};
  const { rows: keys } = await sql<{ name: string; definition: string }>`select conname as name, pg_get_constraintdef(oid) as definition
    from pg_constraint where conrelid = ${'dossiers'}::regclass and contype = 'f' order by conname`.execute(db);
  const { rows: indexes } = await sql<{ name: string; definition: string }>`select c.relname as name, pg_get_indexdef(i.indexrelid) as definition
    from pg_index i join pg_class c on c.oid = i.indexrelid where i.indrelid = ${'dossiers'}::regclass and not i.indisunique
    and not exists (select 1 from pg_constraint k where k.conindid = i.indexrelid) order by c.relname`.execute(db);
  if (keys.length) await sql`alter table ${sql.table('dossiers')} ${sql.join(keys.map((k) => sql`drop constraint ${sql.id(k.name)}`))}`.execute(db);
  if (indexes.length) await sql`drop index ${sql.join(indexes.map((index) => sql.id(index.name)))}`.execute(db);
  return async () => {
    for (const index of indexes) await sql.raw(index.definition).execute(db);
    if (keys.length) await sql`alter table ${sql.table('dossiers')} ${sql.join(keys.map((k) => sql`add constraint ${sql.id(k.name)} ${sql.raw(k.definition)}`))}`.execute(db);
  };
}

/** The stored versions of these dossiers (those that exist), every written column. */
export async function loadStoredDossiers(db: Kysely<Database>, codes: string[]): Promise<DossierTable[]> {
  if (!codes.length) return [];
  if (dialectOf(db) === 'postgres') {
    // One index probe per code, whatever the planner thinks of the table: `code = any(…)` is planned as a scan of
    // the whole table when the table has no statistics yet (the first import into a new database, all in one
    // transaction), and a chunk then reads every row written before it. `offset 0` keeps the lateral subquery a
    // subquery, so it runs as a parameterized index lookup per code.
    const distinct = new Set(codes);
    const result = await executeWithArrays<DossierTable>(
      db,
      'dossiers-by-codes',
      () =>
        sql`select ${sql.join(PG_COLUMNS.map((c) => sql.ref(`d.${c.name}`)))} from unnest(${''}::text[]) as c(code) cross join lateral (select * from ${sql.table('dossiers')} where ${sql.ref('dossiers.code')} = ${sql.ref('c.code')} offset 0) as d`,
      [textArrayOf(distinct.size === codes.length ? codes : [...distinct])],
    );
    return result.rows;
  }
  return executeCached<DossierTable>(
    db,
    `dossiers-by-code:${codes.length}`,
    () => db.selectFrom('dossiers').select(WRITTEN_COLUMNS).where('code', 'in', codes).compile(),
    codes,
  );
}

/**
 * Dossiers as the import statements bind them: row i's column k (WRITTEN_COLUMNS order) at values[i * WRITTEN_WIDTH + k].
 * The importer builds its chunks in this form straight from the parsed values, so that a chunk of new dossiers
 * is written without an object per dossier.
 */
export interface DossierBlock {
  count: number;
  values: unknown[];
}
export const WRITTEN_WIDTH = WRITTEN_COLUMNS.length;

function blockOf(rows: readonly DossierTable[]): DossierBlock {
  return { count: rows.length, values: parametersOf(rows) };
}

/** Row i of a block as an object. */
export function dossierOfBlock(block: DossierBlock, i: number): DossierTable {
  const row: Record<string, unknown> = {};
  const at = i * WRITTEN_WIDTH;
  for (let k = 0; k < WRITTEN_WIDTH; k++) row[WRITTEN_COLUMNS[k]] = block.values[at + k];
  return row as unknown as DossierTable;
}

/**
 * Inserts dossiers that are not stored yet, skipping (not changing) any whose code is stored already; returns
 * how many were inserted.
 */
export async function insertNewDossiers(db: Kysely<Database>, rows: DossierTable[] | DossierBlock): Promise<number> {
  return (await writeNewDossiers(db, Array.isArray(rows) ? blockOf(rows) : rows, { noneStored: false })).inserted;
}

/** What writeNewDossiers did: how many dossiers it inserted, and the stored versions of the others when it read them. */
export interface NewDossiersWritten {
  inserted: number;
  /** The stored dossiers of the block's codes (every written column); undefined when they were not read. */
  stored?: DossierTable[];
}

/**
 * A block of new dossiers made ready for writeNewDossiers before its turn comes: on PostgreSQL, its rows as COPY
 * data. The importer builds a chunk's data while the server still writes the chunk before, so that the server
 * finds the next COPY ready the moment it is done with one.
 */
export interface PreparedDossiers extends DossierBlock {
  copy?: CopyRows;
}

export function prepareNewDossiers(db: Kysely<Database>, block: DossierBlock): PreparedDossiers {
  if (dialectOf(db) !== 'postgres' || !block.count) return block;
  return { count: block.count, values: block.values, copy: copyRowsOf(block) };
}

/**
 * Inserts a block of dossiers with distinct codes, skipping those stored already. The importer writes every chunk
 * this way first; the skipped ones are merged with their stored versions afterwards.
 * - SQLite: `insert … on conflict do nothing`; the stored versions are read afterwards, only when some code was
 *   stored already (in a file of new dossiers, never).
 * - PostgreSQL: COPY, which runs several times faster than any insert statement but has no "on conflict": the
 *   stored versions of the block's codes are read first (one index probe per code) and only the others are
 *   copied. `noneStored` says that no code of the block can be stored (the table was empty when the file's
 *   transaction took the import lock, and no code was sent before): the read is skipped.
 */
export async function writeNewDossiers(db: Kysely<Database>, block: PreparedDossiers, options: { noneStored: boolean }): Promise<NewDossiersWritten> {
  if (!block.count) return { inserted: 0, stored: [] };
  if (dialectOf(db) === 'postgres') {
    const rows = block.copy ?? copyRowsOf(block);
    if (options.noneStored) return { inserted: await copyDossiers(db, rows.data) };
    const codes = new Array<string>(block.count);
    for (let i = 0; i < block.count; i++) codes[i] = block.values[i * WRITTEN_WIDTH] as string;
    const stored = await loadStoredDossiers(db, codes);
    if (!stored.length) return { inserted: await copyDossiers(db, rows.data), stored };
    const storedCodes = new Set(stored.map((d) => d.code));
    return { inserted: await copyDossiers(db, someCopyRows(rows, (i) => !storedCodes.has(codes[i]))), stored };
  }
  const result = await executeCachedQuery(
    db,
    `dossiers-insert-new:${block.count}`,
    () => db.insertInto('dossiers').values(new Array(block.count).fill(PLACEHOLDER_ROW)).onConflict((oc) => oc.column('code').doNothing()).compile(),
    block.values,
  );
  return { inserted: Number(result.numAffectedRows ?? 0) };
}

const INTEGER_AT = WRITTEN_COLUMNS.map((c) => INTEGER_COLUMNS.has(c));
const COPY_DOSSIERS = `copy "dossiers" (${WRITTEN_COLUMNS.map((c) => `"${c}"`).join(', ')}) from stdin`;

const copyRowsOf = (block: DossierBlock) => copyRows(block.values, WRITTEN_WIDTH, block.count, INTEGER_AT, WRITTEN_COLUMNS);

/** PostgreSQL: COPY of new dossiers (COPY data of their rows) into dossiers; a stored code fails it (and the transaction). */
async function copyDossiers(db: Kysely<Database>, data: Buffer): Promise<number> {
  if (!data.length) return 0;
  return withPgSession(db, (session) => session.copyFrom(COPY_DOSSIERS, data));
}

/**
 * Overwrites stored dossiers with their merged rows, in every column but created_batch_id. The codes of one
 * call are distinct (PostgreSQL refuses to update a row twice in a statement).
 */
export async function overwriteDossiers(db: Kysely<Database>, rows: DossierTable[]): Promise<void> {
  if (!rows.length) return;
  if (dialectOf(db) === 'postgres') {
    await executeWithArrays(
      db,
      'dossiers-overwrite-unnest',
      () =>
        sql`insert into ${sql.table('dossiers')} (${columnList(PG_COLUMNS)}) select * from ${unnestOf(PG_COLUMNS)} on conflict (${sql.ref('code')}) do update set ${sql.join(
          UPDATED_COLUMNS.map((c) => sql`${sql.ref(c)} = ${sql.ref(`excluded.${c}`)}`),
        )}`,
      columnArrays(PG_COLUMNS, rows),
    );
    return;
  }
  await executeCached(
    db,
    `dossiers-overwrite:${rows.length}`,
    () =>
      db
        .insertInto('dossiers')
        .values(rows.map(() => PLACEHOLDER_ROW))
        .onConflict((oc) =>
          oc.column('code').doUpdateSet((eb) =>
            Object.fromEntries(UPDATED_COLUMNS.map((c) => [c, eb.ref(`excluded.${c}`)])) as Record<(typeof UPDATED_COLUMNS)[number], any>,
          ),
        )
        .compile(),
    parametersOf(rows),
  );
}

function parametersOf(rows: readonly DossierTable[]): unknown[] {
  const out = new Array(rows.length * WRITTEN_COLUMNS.length);
  let i = 0;
  // ?? null: a row built without QĐ 766's optional columns (schema.ts) stores NULL in them.
  for (const row of rows) for (const column of WRITTEN_COLUMNS) out[i++] = row[column] ?? null;
  return out;
}
