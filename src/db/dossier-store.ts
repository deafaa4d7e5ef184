import { sql, type Kysely } from 'kysely';
import { executeCached, executeCachedQuery } from './cached-statement.ts';
import { dialectOf, maxParameters } from './dialect.ts';
import { columnArrays, columnList, executeWithArrays, intArrayOf, textArrayOf, unnestOf, type ArrayColumn } from './pg-arrays.ts';
import type { Database, DossierTable } from './schema.ts';

// The two statements the importer runs for every chunk of dossiers: read the stored versions of the chunk's
// codes, and write the merged rows. They are the hot path of an import, so each dialect gets the form of
// statement it runs fastest; everything above (merge, counts, summary) is the same on both.
// - SQLite: multi-row statements (`in (?, …)`, `values (…), (…)`), one parameter per value, chunked below the
//   parameter limit; their SQL text is built by Kysely once per row count (cached-statement.ts).
// - PostgreSQL: one array parameter per column (`code = any($1::text[])`, `insert … select * from unnest($1::text[],
//   …)`): a fixed SQL text for any number of rows, so chunks can be much larger than 65,535 parameters allow,
//   and both the driver and the server handle 14 array literals instead of binding 14 values per row
//   (docs/postgresql.md has the figures).

/** Every column of a stored dossier, in the order the import statements bind them. */
export const WRITTEN_COLUMNS = [
  'code', 'unit_code', 'receiving_unit', 'procedure_code', 'procedure_name', 'field', 'channel', 'received_at', 'due_at',
  'ended_at', 'end_from_returned', 'returned_at', 'status', 'created_batch_id', 'updated_batch_id',
  'outcome', 'overdue_from',
] as const satisfies ReadonlyArray<keyof DossierTable>;
const UPDATED_COLUMNS = WRITTEN_COLUMNS.filter((c) => c !== 'code' && c !== 'created_batch_id');
const PLACEHOLDER_ROW = Object.fromEntries(WRITTEN_COLUMNS.map((c) => [c, ''])) as unknown as DossierTable;

/** The columns' types in PostgreSQL (schema/0001-initial.ts): dates are wall-clock text, flags and batch ids integer. */
const INTEGER_COLUMNS: ReadonlySet<string> = new Set(['end_from_returned', 'created_batch_id', 'updated_batch_id']);
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
 * how many were inserted. The importer writes every chunk this way first and reads the stored versions only when
 * some code was stored already: in a file of new dossiers, that read is never needed.
 */
export async function insertNewDossiers(db: Kysely<Database>, rows: DossierTable[] | DossierBlock): Promise<number> {
  const block = Array.isArray(rows) ? blockOf(rows) : rows;
  if (!block.count) return 0;
  const result =
    dialectOf(db) === 'postgres'
      ? await executeWithArrays(
          db,
          'dossiers-insert-new-unnest',
          () => sql`insert into ${sql.table('dossiers')} (${columnList(PG_COLUMNS)}) select * from ${unnestOf(PG_COLUMNS)} on conflict (${sql.ref('code')}) do nothing`,
          blockArrays(block),
        )
      : await executeCachedQuery(
          db,
          `dossiers-insert-new:${block.count}`,
          () => db.insertInto('dossiers').values(new Array(block.count).fill(PLACEHOLDER_ROW)).onConflict((oc) => oc.column('code').doNothing()).compile(),
          block.values,
        );
  return Number(result.numAffectedRows ?? 0);
}

/** One PostgreSQL array literal per column of a block. */
function blockArrays(block: DossierBlock): string[] {
  return PG_COLUMNS.map((c, k) => {
    const column = new Array<unknown>(block.count);
    for (let i = 0, at = k; i < block.count; i++, at += WRITTEN_WIDTH) column[i] = block.values[at];
    return c.type === 'text' ? textArrayOf(column as Array<string | null>) : intArrayOf(column as Array<number | null>, c.name);
  });
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
  for (const row of rows) for (const column of WRITTEN_COLUMNS) out[i++] = row[column];
  return out;
}
