import { sql, type Kysely, type OnConflictBuilder } from 'kysely';
import { executeCached } from './cached-statement.ts';
import { dialectOf, maxParameters } from './dialect.ts';
import { columnArrays, columnList, executeWithArrays, unnestOf, type ArrayColumn } from './pg-arrays.ts';
import { SUMMARY_COUNT_COLUMNS, type Database, type DossierProcedureHalfMonthTable } from './schema.ts';

// The write of the summaries by half-month (src/stats/summary.ts says what goes in them): rows added to the stored
// counts, per dialect in the form it runs fastest, like the dossiers' statements (dossier-store.ts).

/** The two summary tables: by unit, field, channel and half-month; and the same by procedure too (schema/0011). */
export type SummaryTable = 'dossier_half_months' | 'dossier_procedure_half_months';

/** Each table's key, in the order of its primary key. */
export const SUMMARY_KEY_COLUMNS = {
  dossier_half_months: ['unit_code', 'field', 'channel', 'half_month'],
  dossier_procedure_half_months: ['procedure_name', 'unit_code', 'field', 'channel', 'half_month'],
} as const satisfies Record<SummaryTable, ReadonlyArray<keyof DossierProcedureHalfMonthTable>>;

export const SUMMARY_TABLES = Object.keys(SUMMARY_KEY_COLUMNS) as SummaryTable[];

type Row = DossierProcedureHalfMonthTable;

/** Rows per statement on PostgreSQL: no parameter limit, this only bounds the literals held at once. */
const PG_CHUNK = 20_000;

/**
 * Adds these rows to a stored summary: a row whose key is not stored yet is inserted, otherwise each of its
 * counts is added to the stored one. The keys of one call are distinct (PostgreSQL refuses to update a row twice
 * in a statement). Rows written to dossier_half_months need no procedure_name.
 */
export async function addToSummaryRows(db: Kysely<Database>, table: SummaryTable, rows: readonly Row[]): Promise<void> {
  const keys = SUMMARY_KEY_COLUMNS[table];
  if (dialectOf(db) === 'postgres') {
    const columns: ReadonlyArray<ArrayColumn<keyof Row>> = [
      ...keys.map((name) => ({ name, type: 'text' as const })),
      ...SUMMARY_COUNT_COLUMNS.map((name) => ({ name, type: 'int4' as const })),
    ];
    for (let i = 0; i < rows.length; i += PG_CHUNK) {
      await executeWithArrays(
        db,
        `summary-add-unnest:${table}`,
        () =>
          sql`insert into ${sql.table(table)} (${columnList(columns)}) select * from ${unnestOf(columns)} on conflict (${sql.join(
            keys.map((c) => sql.ref(c)),
          )}) do update set ${sql.join(
            SUMMARY_COUNT_COLUMNS.map((c) => sql`${sql.ref(c)} = ${sql.ref(`${table}.${c}`)} + ${sql.ref(`excluded.${c}`)}`),
          )}`,
        columnArrays(columns, i === 0 && rows.length <= PG_CHUNK ? rows : rows.slice(i, i + PG_CHUNK)),
      );
    }
    return;
  }
  // SQLite: multi-row upserts, chunked below the parameter limit, their SQL built once per row count.
  const columns = [...keys, ...SUMMARY_COUNT_COLUMNS];
  const placeholder = Object.fromEntries(columns.map((c) => [c, ''])) as unknown as Row;
  const chunk = Math.floor(maxParameters(db) / columns.length);
  for (let i = 0; i < rows.length; i += chunk) {
    const part = rows.slice(i, i + chunk);
    const parameters: unknown[] = [];
    for (const row of part) for (const column of columns) parameters.push(row[column]);
    await executeCached(
      db,
      `summary-add:${table}:${part.length}`,
      () =>
        (db as Kysely<any>)
          .insertInto(table)
          .values(part.map(() => placeholder))
          .onConflict((oc) => addToStoredCounts(oc, table))
          .compile(),
      parameters,
    );
  }
}

/** On a key already stored, the counts written are added to the stored ones. */
export function addToStoredCounts(oc: OnConflictBuilder<any, any>, table: SummaryTable) {
  return oc.columns([...SUMMARY_KEY_COLUMNS[table]]).doUpdateSet((eb: any) =>
    Object.fromEntries(SUMMARY_COUNT_COLUMNS.map((c) => [c, eb(eb.ref(`${table}.${c}`), '+', eb.ref(`excluded.${c}`))])),
  );
}
