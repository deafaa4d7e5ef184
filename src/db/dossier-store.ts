import type { Kysely } from 'kysely';
import { executeCached } from './cached-statement.ts';
import { maxParameters } from './dialect.ts';
import type { Database, DossierTable } from './schema.ts';

// The two statements the importer runs for every chunk of dossiers: read the stored versions of the chunk's
// codes, and write the merged rows. They are the hot path of an import, so each dialect gets the form of
// statement it runs fastest; everything above (merge, counts, summary) is the same on both.

/** Every column of a stored dossier, in the order the import statements bind them. */
export const WRITTEN_COLUMNS = [
  'code', 'unit_code', 'procedure_code', 'procedure_name', 'field', 'channel', 'received_at', 'due_at',
  'ended_at', 'end_from_returned', 'returned_at', 'status', 'created_batch_id', 'updated_batch_id',
] as const satisfies ReadonlyArray<keyof DossierTable>;
const UPDATED_COLUMNS = WRITTEN_COLUMNS.filter((c) => c !== 'code' && c !== 'created_batch_id');
const PLACEHOLDER_ROW = Object.fromEntries(WRITTEN_COLUMNS.map((c) => [c, ''])) as unknown as DossierTable;

/** How many dossiers one chunk of the import holds: one multi-row statement's worth. */
export function dossierChunkSize(db: Kysely<Database>): number {
  return Math.floor(maxParameters(db) / WRITTEN_COLUMNS.length);
}

/** The stored versions of these dossiers (those that exist), every written column. */
export async function loadStoredDossiers(db: Kysely<Database>, codes: string[]): Promise<DossierTable[]> {
  return executeCached<DossierTable>(
    db,
    `dossiers-by-code:${codes.length}`,
    () => db.selectFrom('dossiers').select(WRITTEN_COLUMNS).where('code', 'in', codes).compile(),
    codes,
  );
}

/** Writes final rows (merged already): new codes are inserted, stored ones overwritten in every column. */
export async function writeDossiers(db: Kysely<Database>, rows: DossierTable[]): Promise<void> {
  if (!rows.length) return;
  await executeCached(
    db,
    `dossiers-upsert:${rows.length}`,
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

function parametersOf(rows: DossierTable[]): unknown[] {
  const out = new Array(rows.length * WRITTEN_COLUMNS.length);
  let i = 0;
  for (const row of rows) for (const column of WRITTEN_COLUMNS) out[i++] = row[column];
  return out;
}
