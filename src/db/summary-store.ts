import { sql, type Kysely, type OnConflictBuilder } from 'kysely';
import { executeCached } from './cached-statement.ts';
import { dialectOf, maxParameters } from './dialect.ts';
import { columnArrays, columnList, executeWithArrays, unnestOf, type ArrayColumn } from './pg-arrays.ts';
import { SUMMARY_COUNT_COLUMNS, type Database, type DossierHalfMonthTable } from './schema.ts';

// The write of the summary by half-month (src/stats/summary.ts says what goes in it): rows added to the stored
// counts, per dialect in the form it runs fastest, like the dossiers' statements (dossier-store.ts).

const KEY_COLUMNS = ['unit_code', 'field', 'channel', 'half_month'] as const satisfies ReadonlyArray<keyof DossierHalfMonthTable>;
const COLUMNS_PER_ROW = KEY_COLUMNS.length + SUMMARY_COUNT_COLUMNS.length;

const PG_COLUMNS: ReadonlyArray<ArrayColumn<keyof DossierHalfMonthTable>> = [
  ...KEY_COLUMNS.map((name) => ({ name, type: 'text' as const })),
  ...SUMMARY_COUNT_COLUMNS.map((name) => ({ name, type: 'int4' as const })),
];
const SQLITE_COLUMNS = [...KEY_COLUMNS, ...SUMMARY_COUNT_COLUMNS];
const PLACEHOLDER_ROW = Object.fromEntries(SQLITE_COLUMNS.map((c) => [c, ''])) as unknown as DossierHalfMonthTable;
/** Rows per statement on PostgreSQL: no parameter limit, this only bounds the literals held at once. */
const PG_CHUNK = 20_000;

/**
 * Adds these rows to the stored summary: a row whose key (unit, field, channel, half-month) is not stored yet is
 * inserted, otherwise each of its counts is added to the stored one. The keys of one call are distinct
 * (PostgreSQL refuses to update a row twice in a statement).
 */
export async function addToSummaryRows(db: Kysely<Database>, rows: readonly DossierHalfMonthTable[]): Promise<void> {
  if (dialectOf(db) === 'postgres') {
    for (let i = 0; i < rows.length; i += PG_CHUNK) {
      await executeWithArrays(
        db,
        'summary-add-unnest',
        () =>
          sql`insert into ${sql.table('dossier_half_months')} (${columnList(PG_COLUMNS)}) select * from ${unnestOf(PG_COLUMNS)} on conflict (${sql.join(
            KEY_COLUMNS.map((c) => sql.ref(c)),
          )}) do update set ${sql.join(
            SUMMARY_COUNT_COLUMNS.map((c) => sql`${sql.ref(c)} = ${sql.ref(`dossier_half_months.${c}`)} + ${sql.ref(`excluded.${c}`)}`),
          )}`,
        columnArrays(PG_COLUMNS, i === 0 && rows.length <= PG_CHUNK ? rows : rows.slice(i, i + PG_CHUNK)),
      );
    }
    return;
  }
  // SQLite: multi-row upserts, chunked below the parameter limit, their SQL built once per row count.
  const chunk = Math.floor(maxParameters(db) / COLUMNS_PER_ROW);
  for (let i = 0; i < rows.length; i += chunk) {
    const part = rows.slice(i, i + chunk);
    const parameters: unknown[] = [];
    for (const row of part) for (const column of SQLITE_COLUMNS) parameters.push(row[column]);
    await executeCached(
      db,
      `summary-add:${part.length}`,
      () => db.insertInto('dossier_half_months').values(part.map(() => PLACEHOLDER_ROW)).onConflict(addToStoredCounts).compile(),
      parameters,
    );
  }
}

/** On a key already stored, the counts written are added to the stored ones. */
export function addToStoredCounts(oc: OnConflictBuilder<Database, 'dossier_half_months'>) {
  return oc.columns([...KEY_COLUMNS]).doUpdateSet((eb) =>
    Object.fromEntries(SUMMARY_COUNT_COLUMNS.map((c) => [c, eb(eb.ref(`dossier_half_months.${c}`), '+', eb.ref(`excluded.${c}`))])) as any,
  );
}
