import { inferLevelFromUnitName } from '../domain/levels.ts';
import { memoizeText } from '../domain/memo.ts';
import { DOSSIER_COLUMNS } from './columns.ts';
import { openTable } from './table.ts';
import type { DossierField, TableLayout } from './types.ts';
import { parseDossierRow } from './values.ts';

// The database-free half of an import: a file read, its header found, every data row validated. It runs in the
// importer's thread for small files and in a worker thread for large ones (parse-worker.ts), so that reading and
// validating one batch overlaps with writing the previous one; both run this same code and hand the good rows
// over in the same compact form.

export interface ParseOptions {
  /** Unit for rows whose file has no unit column or an empty unit cell (--unit). */
  unit?: string;
  /** Header in file → field, from --map and --profile. */
  columns?: Record<string, DossierField>;
}

/** A row that cannot be a dossier, with one reason per problem and its non-personal cells as JSON. */
export interface RejectedRow {
  rowNumber: number;
  reasons: string[];
  originalJson: string;
}

/**
 * The rows of a stretch of the file. The good rows travel as one string of their values (DOSSIER_WIRE fields
 * each, separated by WIRE_SEPARATOR, '' for a missing value): a worker hands one string over far faster than
 * thousands of objects.
 */
export interface ParsedBatch {
  /** Data rows in this stretch: dossiers plus rejects. */
  rowsRead: number;
  dossierCount: number;
  dossiers: string;
  /** Words (see WireWords) first used in this batch, numbered from `wordsFrom` on; 1 starts the numbering over. */
  words: string[];
  wordsFrom: number;
  /** Data row number of each dossier, for a message about that row. */
  rowNumbers: number[];
  /**
   * The non-personal cells (JSON) of the dossiers whose unit name does not tell its level, by dossier index: the
   * importer rejects such a row when the catalogue does not know the unit either, and stores these cells then.
   */
  unitUnclear: Record<number, string>;
  rejects: RejectedRow[];
}

export interface ParsedFile {
  layout: TableLayout;
  batches: AsyncIterable<ParsedBatch>;
  /** Totals, signatures and blank rows below the header; known once the batches are read to the end. */
  footerRowsSkipped(): number;
  /** Stops reading (when the import ends early). */
  close(): Promise<void>;
}

/**
 * The values of a good row, in wire order. Those that exports repeat on every row (units, procedures, fields,
 * channels, statuses: WORD_FIELDS) travel as the number of a word; the importer's thread then holds one string
 * per distinct word, and looks each up once, instead of a fresh string per row whose hash is computed again at
 * every lookup.
 */
export const DOSSIER_WIRE = [
  'code', 'unitName', 'procedureName', 'procedureCode', 'field', 'channel',
  'receivedAt', 'dueAt', 'endedAt', 'endFromReturned', 'returnedAt', 'status',
] as const;
export const WIRE_WIDTH = DOSSIER_WIRE.length;
/** A control character: cleaned cell text never holds one (src/domain/text.ts, cleanText). */
export const WIRE_SEPARATOR = '\u0001';

/**
 * The word numbers on the wire: 0 is a missing value. Bounded, so that a column of unique values cannot grow it
 * without limit: past the limit, the numbering starts over with the next batch.
 */
const WORD_LIMIT = 50_000;

class WordNumbers {
  private readonly numbers = new Map<string, number>();
  private fresh: string[] = [];
  private freshFrom = 1;

  number(value: string | undefined): number {
    if (value === undefined || value === '') return 0;
    let n = this.numbers.get(value);
    if (n === undefined) {
      n = this.numbers.size + 1;
      this.numbers.set(value, n);
      this.fresh.push(value);
    }
    return n;
  }

  /** The words numbered since the last call, for the batch that uses them first. */
  takeFresh(batch: ParsedBatch): void {
    batch.words = this.fresh;
    batch.wordsFrom = this.freshFrom;
    this.freshFrom += this.fresh.length;
    this.fresh = [];
    if (this.numbers.size >= WORD_LIMIT) {
      this.numbers.clear();
      this.freshFrom = 1;
    }
  }
}

/** The importer's side of the word numbers: the words of the batches read so far, by number. */
export class WireWords {
  private readonly words: Array<string | null> = [null];
  /** Bumped when the numbering starts over, so that what a caller keeps by word number can be dropped. */
  generation = 0;

  take(batch: ParsedBatch): void {
    if (batch.wordsFrom === 1 && this.words.length > 1) {
      this.words.length = 1;
      this.generation++;
    }
    if (batch.wordsFrom !== this.words.length) throw new Error(`parsed batch: words from ${batch.wordsFrom}, expected ${this.words.length}`);
    for (const word of batch.words) this.words.push(word);
  }

  /** The word a wire value numbers, or null for a missing value. */
  word(wireValue: string): string | null {
    const word = this.words[+wireValue];
    if (word === undefined) throw new Error(`parsed batch: no word ${wireValue}`);
    return word;
  }
}

/** Rows per batch handed over: large enough that the hand-over costs little, small enough to keep memory flat. */
const BATCH_ROWS = 2000;

/** Reads and validates a file in this thread. */
export async function parseFile(path: string, options: ParseOptions = {}): Promise<ParsedFile> {
  const table = await openTable(path, DOSSIER_COLUMNS, options.columns);

  async function* batches(): AsyncGenerator<ParsedBatch> {
    let batch = emptyBatch();
    let parts: Array<string | number> = [];
    const words = new WordNumbers();
    for await (const rows of table.rowBatches) {
      for (const row of rows) {
        batch.rowsRead++;
        const parsed = parseDossierRow(row.values, options.unit);
        if (!parsed.ok) {
          batch.rejects.push({ rowNumber: row.rowNumber, reasons: parsed.reasons, originalJson: JSON.stringify(row.original) });
          continue;
        }
        const d = parsed.dossier;
        parts.push(
          d.code, words.number(d.unitName), words.number(d.procedureName), words.number(d.procedureCode),
          words.number(d.field), words.number(d.channel), d.receivedAt, wire(d.dueAt), wire(d.endedAt),
          d.endFromReturned ? '1' : '', wire(d.returnedAt), words.number(d.status),
        );
        if (!levelIsClear(d.unitName)) batch.unitUnclear[batch.dossierCount] = JSON.stringify(row.original);
        batch.rowNumbers.push(row.rowNumber);
        batch.dossierCount++;
      }
      if (batch.rowsRead >= BATCH_ROWS) {
        batch.dossiers = parts.join(WIRE_SEPARATOR);
        words.takeFresh(batch);
        yield batch;
        batch = emptyBatch();
        parts = [];
      }
    }
    if (batch.rowsRead > 0) {
      batch.dossiers = parts.join(WIRE_SEPARATOR);
      words.takeFresh(batch);
      yield batch;
    }
  }

  return {
    layout: table.layout,
    batches: batches(),
    footerRowsSkipped: () => table.stats.footerRowsSkipped,
    close: () => table.close(),
  };
}

function emptyBatch(): ParsedBatch {
  return { rowsRead: 0, dossierCount: 0, dossiers: '', words: [], wordsFrom: 1, rowNumbers: [], unitUnclear: {}, rejects: [] };
}

const levelIsClear = memoizeText((unitName: string) => inferLevelFromUnitName(unitName) !== undefined);

/** A value on the wire. Cleaned text never holds the separator (cleanText drops control characters). */
function wire(value: string | undefined): string {
  return value ?? '';
}

/** The values of a batch's good rows: row i's field k is at i * WIRE_WIDTH + k ('' when missing). */
export function wireValues(batch: ParsedBatch): string[] {
  if (batch.dossierCount === 0) return [];
  const values = batch.dossiers.split(WIRE_SEPARATOR);
  if (values.length !== batch.dossierCount * WIRE_WIDTH) {
    throw new Error(`parsed batch: ${values.length} values for ${batch.dossierCount} dossiers`);
  }
  return values;
}
