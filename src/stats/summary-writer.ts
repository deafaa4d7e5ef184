import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import { addToStoredCounts, addToSummaryRows, SUMMARY_KEY_COLUMNS, SUMMARY_TABLES } from '../db/summary-store.ts';
import { addContributions, addDossierChange, halfMonthIndexOfText, KEY_ORDER, SUMMARY_COUNTS, SummaryDeltas, type SummaryDossier, type SummaryRow } from './summary.ts';

// The summaries by half-month in the database (by procedure and not): the importer's writer, the catalogue's move
// of a unit's rows and the rebuild from stored dossiers. What a dossier contributes is summary.ts's alone.

/**
 * The importer's side: collects the changes of the dossiers written by one file and adds them to the summary in
 * the file's transaction. Collecting over the whole file rather than per chunk writes far fewer rows (a chunk's
 * dossiers mostly fall on different units, fields and channels; a file's repeat them); the collection is
 * written early when it grows large, so memory stays bounded. Deltas add up, so when they are written does
 * not change the result.
 */
export class HalfMonthSummaryWriter {
  private deltas = new SummaryDeltas();

  constructor(private readonly maxRows = 100_000) {}

  /** A dossier written: `before` is the stored version it replaces, if any. */
  change(before: SummaryDossier | undefined, after: SummaryDossier): void {
    addDossierChange(this.deltas, before, after);
  }

  /** Takes back what a dossier was added as (the importer's correction of a row counted ahead as new). */
  withdraw(d: SummaryDossier): void {
    addContributions(this.deltas, d, -1);
  }

  /** Adds the counts of a summary row collected elsewhere (by the parse worker) to one row. */
  addCounts(unit_code: string, field: string, channel: string, procedure_name: string, halfMonth: string, counts: ArrayLike<number>, at = 0): void {
    this.deltas.addCounts(this.deltas.group(unit_code, field, channel, procedure_name), halfMonthIndexOfText(halfMonth), counts, at);
  }

  /** Writes the collected changes when they have grown large. */
  async writeIfLarge(db: Kysely<Database>): Promise<void> {
    if (this.deltas.size >= this.maxRows) await this.write(db);
  }

  async write(db: Kysely<Database>): Promise<void> {
    const deltas = this.deltas;
    this.deltas = new SummaryDeltas();
    await writeSummaryDeltas(db, deltas);
  }
}

/**
 * Adds the accumulated deltas (by procedure) to both stored summaries (src/db/summary-store.ts): as they are to
 * the one by procedure, summed over the procedures to the other. Rows whose deltas all cancel are not written.
 * Rows that drop to zero stay: they add nothing.
 */
export async function writeSummaryDeltas(db: Kysely<Database>, deltas: SummaryDeltas): Promise<void> {
  const changed = (rows: SummaryRow[]) => rows.filter((row) => SUMMARY_COUNTS.some((c) => row[c] !== 0));
  for (const rows of deltas.sortedRows(KEY_ORDER.byProcedure)) await addToSummaryRows(db, 'dossier_procedure_half_months', changed(rows));
  for (const rows of deltas.withoutProcedures().sortedRows()) await addToSummaryRows(db, 'dossier_half_months', changed(rows));
}

/**
 * When the unit catalogue takes over an auto unit (importUnits moves its dossiers to the catalogue code), its
 * summary rows move too: added into the target's rows, then removed.
 */
export async function moveUnitInSummary(db: Kysely<Database>, fromCode: string, toCode: string): Promise<void> {
  if (fromCode === toCode) return;
  for (const table of SUMMARY_TABLES) {
    const others = SUMMARY_KEY_COLUMNS[table].filter((c) => c !== 'unit_code');
    await (db as Kysely<any>)
      .insertInto(table)
      .columns(['unit_code', ...others, ...SUMMARY_COUNTS])
      .expression((eb) =>
        eb
          .selectFrom(`${table} as m`)
          .select((s) => [s.val(toCode).as('unit_code'), ...others.map((c) => `m.${c}`), ...SUMMARY_COUNTS.map((c) => `m.${c}`)])
          .where('m.unit_code', '=', fromCode),
      )
      .onConflict((oc) => addToStoredCounts(oc, table))
      .execute();
    await (db as Kysely<any>).deleteFrom(table).where('unit_code', '=', fromCode).execute();
  }
}

const REBUILD_PAGE = 50_000;

/**
 * Builds the summary again from the stored dossiers and their stored classification, through the same
 * contributions: for a database whose dossiers were written without the importer (benchmark loaders), and when
 * the rules version changes (after the dossiers are classified again, src/audit/rules-version.ts).
 */
export async function rebuildSummary(db: Kysely<Database>): Promise<void> {
  for (const table of SUMMARY_TABLES) await db.deleteFrom(table).execute();
  const deltas = new SummaryDeltas();
  let after: string | null = null;
  for (;;) {
    let page = db
      .selectFrom('dossiers')
      .select(['code', 'unit_code', 'field', 'channel', 'procedure_name', 'received_at', 'ended_at', 'outcome', 'overdue_from'])
      .orderBy('code')
      .limit(REBUILD_PAGE);
    if (after !== null) page = page.where('code', '>', after);
    const rows = await page.execute();
    for (const row of rows) addDossierChange(deltas, undefined, row);
    if (rows.length < REBUILD_PAGE) break;
    after = rows[rows.length - 1].code;
  }
  await writeSummaryDeltas(db, deltas);
}
