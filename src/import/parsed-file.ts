import { inferLevelFromUnitName } from '../domain/levels.ts';
import { memoizeText } from '../domain/memo.ts';
import { classifyDossier } from '../domain/outcome.ts';
import { addContributions, SUMMARY_COUNTS, SummaryDeltas, type SummaryDossier } from '../stats/summary.ts';
import { CodeIndex } from './code-index.ts';
import { DOSSIER_COLUMNS } from './columns.ts';
import { openTable } from './table.ts';
import { InputError, type DossierField, type TableLayout } from './types.ts';
import { dateOrderOf, type DateOrder } from '../domain/dates.ts';
import { valueReaders, type ValueMaps } from './value-maps.ts';
import { DATE_FIELDS, parseDossierRow } from './values.ts';

// The database-free half of an import: a file read, its header found, every data row validated. It runs in the
// importer's thread for small files and in a worker thread for large ones (parse-worker.ts), so that reading and
// validating one batch overlaps with writing the previous one; both run this same code and hand the good rows
// over in the same compact form.

export interface ParseOptions {
  /** Unit for rows whose file has no unit column or an empty unit cell (--unit). */
  unit?: string;
  /** Header in file → field, from --map and --profile. */
  columns?: Record<string, DossierField>;
  /** --sheet: the sheets to read, by name or number. */
  sheets?: string[];
  /** --encoding: a text file's encoding. */
  encoding?: string;
  /** What the file's own words for channels and statuses mean (--map-value, a profile's "values"). */
  values?: ValueMaps;
  /** How to read d/M-shaped dates; by default d/M, and the parse says whether the file's dates prove otherwise. */
  dateOrder?: DateOrder;
  /** The order was given by the user (--date-order): no file is failed or switched for what its dates prove. */
  dateOrderForced?: boolean;
}

/** What a file's slashed dates prove about its day/month order (dateOrderOf), with a row that proves each. */
export interface DateEvidence {
  dmy?: DateWitness;
  mdy?: DateWitness;
  /** Some slashed date was read whose parts are both 12 or less. */
  undecided: boolean;
}
export interface DateWitness {
  rowNumber: number;
  sheet?: string;
  text: string;
}

/** A row that cannot be a dossier, with one reason per problem and its non-personal cells as JSON. */
export interface RejectedRow {
  rowNumber: number;
  /** The sheet, in a file of several. */
  sheet?: string;
  reasons: string[];
  originalJson: string;
}

/**
 * The rows of a stretch of the file. The good rows travel as one string of their text values (DOSSIER_TEXTS each,
 * separated by WIRE_SEPARATOR, '' for a missing value) and one array of their numbers (DOSSIER_NUMBERS each): a
 * worker hands these over far faster than thousands of objects.
 */
export interface ParsedBatch {
  /** The sheet of every row of the batch, in a file of several sheets (a batch never spans two). */
  sheet?: string;
  /** Data rows in this stretch: dossiers plus rejects. */
  rowsRead: number;
  dossierCount: number;
  /** The good rows' text values, DOSSIER_TEXTS each. */
  dossiers: string;
  /** The good rows' numbers, DOSSIER_NUMBERS each. */
  numbers: Int32Array;
  /** Words (see WireWords) first used in this batch, numbered from `wordsFrom` on; 1 starts the numbering over. */
  words: string[];
  wordsFrom: number;
  /** Data row number of each dossier, for a message about that row. */
  rowNumbers: number[];
  /**
   * Per dossier: -1 for the file's first good row with its code, else the number of that first row among the
   * file's good rows (from 0, batch after batch): the importer merges the rows of one dossier by it.
   */
  firstRowOf: number[];
  /**
   * The non-personal cells (JSON) of the dossiers whose unit name does not tell its level, by dossier index: the
   * importer rejects such a row when the catalogue does not know the unit either, and stores these cells then.
   */
  unitUnclear: Record<number, string>;
  rejects: RejectedRow[];
  /** The summary contributions collected so far (see AssumedSummary), handed over now and then and at the end. */
  assumedSummary?: AssumedSummary;
}

/**
 * What the file's good rows add to the summary by half-month if each is a new dossier as it stands
 * (src/stats/summary.ts says what a dossier adds). The parse collects it, so that the importer's thread, which
 * writes the database, need not compute it row by row: in a file of new dossiers that is the whole change, and
 * the importer corrects it for the rows that turn out otherwise (merged with a stored or repeated dossier, or
 * rejected for their unit; import-file.ts). A row is grouped by what the parse knows: the unit's name (the
 * importer maps it to the unit's code), the field or, when the row has none, its procedure (fieldKey: the importer
 * looks the field up in the catalogue), the procedure's name or, when the row has none, its code (procedureKey:
 * the importer looks the name up), and the channel.
 */
export interface AssumedSummary {
  /** Per summary row: unit name, fieldKey, channel ('' for none), procedureKey, half-month (ASSUMED_KEYS of them). */
  keys: string[];
  /** Per summary row, its SUMMARY_COUNTS. */
  counts: number[];
}

/** Marks a fieldKey that names a procedure (code, name) instead of a field; cleaned text never holds it. */
const PROCEDURE_MARK = '\u0002';

/** The field of a row, or its procedure when it has no field. */
function fieldKey(field: string | null | undefined, procedureCode: string | null | undefined, procedureName: string | null | undefined): string {
  return field ? field : `${PROCEDURE_MARK}${procedureCode ?? ''}${PROCEDURE_MARK}${procedureName ?? ''}`;
}

/** The procedure's name of a row, or its code (marked) when it has no name; '' for neither. */
function procedureKey(procedureCode: string | null | undefined, procedureName: string | null | undefined): string {
  return procedureName ? procedureName : procedureCode ? `${PROCEDURE_MARK}${procedureCode}` : '';
}

/** A procedureKey read back: the procedure's name, or the code to look the name up by. */
export function readProcedureKey(key: string): { procedureName: string } | { procedureCode: string } {
  return key.startsWith(PROCEDURE_MARK) ? { procedureCode: key.slice(1) } : { procedureName: key };
}

/** The keys of one row of an AssumedSummary. */
export const ASSUMED_KEYS = 5;

/** A fieldKey read back: the field, or the procedure to look the field up by. */
export function readFieldKey(key: string): { field: string } | { procedureCode?: string; procedureName?: string } {
  if (!key.startsWith(PROCEDURE_MARK)) return { field: key };
  const [, code, name] = key.split(PROCEDURE_MARK);
  return { procedureCode: code || undefined, procedureName: name || undefined };
}

/**
 * Summary rows the parse collects before it hands them over (the importer adds them up): bounds the worker's
 * memory on a file of many units and years.
 */
const ASSUMED_SUMMARY_ROWS = 20_000;

export interface ParsedFile {
  layout: TableLayout;
  batches: AsyncIterable<ParsedBatch>;
  /** Totals, signatures and blank rows below the header; known once the batches are read to the end. */
  footerRowsSkipped(): number;
  /** What the file's dates prove about its day/month order; known once the batches are read to the end. */
  dateEvidence(): DateEvidence;
  /**
   * The file's SHA-256 (hex); known once the batches are read to the end. The parse hashes the bytes as it reads
   * them, so the file is not read twice, and the import, which needs the hash only for the batch row's last
   * update, never waits for it.
   */
  sha256(): string;
  /** Stops reading (when the import ends early). */
  close(): Promise<void>;
}

/** The text values of a good row, in wire order (ParsedBatch.dossiers). */
export const DOSSIER_TEXTS = ['code', 'receivedAt', 'dueAt', 'endedAt', 'returnedAt'] as const;
export const TEXTS_WIDTH = DOSSIER_TEXTS.length;
/**
 * The numbers of a good row, in wire order (ParsedBatch.numbers). The values exports repeat on every row (units,
 * procedures, fields, channels, statuses) travel as the number of a word: the importer's thread then holds one
 * string per distinct word, and looks each up once, instead of a fresh string per row whose hash is computed
 * again at every lookup. endFromReturned is 1 or 0.
 */
export const DOSSIER_NUMBERS = [
  'unitName', 'procedureName', 'procedureCode', 'field', 'channel', 'status', 'endFromReturned', 'receivingUnit',
  // QĐ 766's yes/no columns as 0 (not said), 1 (no), 2 (yes) (flagNumber); the rating as a word.
  'paidOnline', 'hasFee', 'digitised', 'electronicResult', 'satisfaction',
  // Those of them whose cell could not be read, as bits (ValidDossier.unreadable766).
  'unreadable766',
] as const;
export const NUMBERS_WIDTH = DOSSIER_NUMBERS.length;
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

  /** The word of a word number, or null for a missing value (0). */
  word(number: number): string | null {
    const word = this.words[number];
    if (word === undefined) throw new Error(`parsed batch: no word ${number}`);
    return word;
  }
}

/** Rows per batch handed over: large enough that the hand-over costs little, small enough to keep memory flat. */
const BATCH_ROWS = 2000;

/** Reads and validates a file in this thread. */
export async function parseFile(path: string, options: ParseOptions = {}): Promise<ParsedFile> {
  const table = await openTable(path, DOSSIER_COLUMNS, {
    overrides: options.columns,
    sheets: options.sheets,
    open: { encoding: options.encoding },
  });
  let sha256: string | undefined;

  const readers = valueReaders(options.values);
  const order = options.dateOrder ?? 'dmy';
  const evidence: DateEvidence = { undecided: false };
  async function* batches(): AsyncGenerator<ParsedBatch> {
    let batch = emptyBatch();
    let parts: Array<string | number> = [];
    // Joined after each batch of the table: a batch's 24,000 values would otherwise live through several
    // young-generation collections, copied by each, and keep the file's text chunks alive.
    let joined: string[] = [];
    const words = new WordNumbers();
    const numbers = new NumberBuffer();
    // The codes of the file's good rows, each with the number of its first row among them.
    const codes = new CodeIndex();
    let goodRows = 0;
    let assumed = new SummaryDeltas();
    const asNew: SummaryDossier = {
      code: '', unit_code: '', field: null, channel: null, procedure_name: null, received_at: '', ended_at: null, outcome: 'open', overdue_from: null,
    };
    /** The batch's wire values, once its rows are all in. */
    const seal = (batch: ParsedBatch): ParsedBatch => {
      batch.dossiers = joined.join(WIRE_SEPARATOR);
      joined = [];
      batch.numbers = numbers.take();
      words.takeFresh(batch);
      return batch;
    };
    const handOver = (batch: ParsedBatch) => {
      batch.assumedSummary = assumedSummaryOf(assumed);
      assumed = new SummaryDeltas();
    };
    for await (const rows of table.rowBatches) {
      const sheet = rows[0].sheet;
      if (sheet !== batch.sheet && batch.rowsRead > 0) {
        // A batch holds the rows of one sheet: a row's number means nothing without it.
        yield seal(batch);
        batch = emptyBatch();
      }
      batch.sheet = sheet;
      for (const row of rows) {
        batch.rowsRead++;
        if (row.malformed) {
          // Nothing of the row is kept: in a shifted row any cell may hold personal data.
          batch.rejects.push({ rowNumber: row.rowNumber, sheet, reasons: [row.malformed], originalJson: '{}' });
          continue;
        }
        for (const field of DATE_FIELDS) {
          const value = row.values[field];
          if (typeof value !== 'string') continue;
          const proves = dateOrderOf(value);
          if (proves === undefined) continue;
          if (proves === 'either') evidence.undecided = true;
          else if (!evidence[proves]) {
            evidence[proves] = { rowNumber: row.rowNumber, sheet, text: value };
            if (evidence.dmy && evidence.mdy && !options.dateOrderForced) throw mixedOrders(path, evidence.dmy, evidence.mdy);
          }
        }
        const parsed = parseDossierRow(row.values, options.unit, readers, order);
        if (!parsed.ok) {
          batch.rejects.push({ rowNumber: row.rowNumber, sheet, reasons: parsed.reasons, originalJson: JSON.stringify(row.original) });
          continue;
        }
        const d = parsed.dossier;
        parts.push(d.code, d.receivedAt, wire(d.dueAt), wire(d.endedAt), wire(d.returnedAt));
        // In DOSSIER_NUMBERS order.
        numbers.add(words.number(d.unitName));
        numbers.add(words.number(d.procedureName));
        numbers.add(words.number(d.procedureCode));
        numbers.add(words.number(d.field));
        numbers.add(words.number(d.channel));
        numbers.add(words.number(d.status));
        numbers.add(d.endFromReturned ? 1 : 0);
        numbers.add(words.number(d.receivingUnit));
        numbers.add(flagNumber(d.paidOnline));
        numbers.add(flagNumber(d.hasFee));
        numbers.add(flagNumber(d.digitised));
        numbers.add(flagNumber(d.electronicResult));
        numbers.add(words.number(d.satisfaction));
        numbers.add(d.unreadable766 ?? 0);
        asNew.code = d.code;
        asNew.unit_code = d.unitName;
        asNew.field = fieldKey(d.field, d.procedureCode, d.procedureName);
        asNew.channel = d.channel ?? null;
        asNew.procedure_name = procedureKey(d.procedureCode, d.procedureName);
        asNew.received_at = d.receivedAt;
        asNew.ended_at = d.endedAt ?? null;
        // The main thread classifies the row again as it stores it (the same function, the same values).
        const classification = classifyDossier({ status: d.status, due_at: d.dueAt ?? null, ended_at: asNew.ended_at });
        asNew.outcome = classification.outcome;
        asNew.overdue_from = classification.overdue_from;
        addContributions(assumed, asNew, 1);
        if (!levelIsClear(d.unitName)) batch.unitUnclear[batch.dossierCount] = JSON.stringify(row.original);
        batch.rowNumbers.push(row.rowNumber);
        batch.firstRowOf.push(codes.firstOrAdd(d.code, goodRows++));
        batch.dossierCount++;
      }
      if (parts.length > 0) {
        joined.push(parts.join(WIRE_SEPARATOR));
        parts = [];
      }
      if (batch.rowsRead >= BATCH_ROWS) {
        seal(batch);
        if (assumed.size >= ASSUMED_SUMMARY_ROWS) handOver(batch);
        yield batch;
        batch = emptyBatch();
      }
    }
    if (batch.rowsRead > 0 || assumed.size > 0) {
      seal(batch);
      handOver(batch);
      yield batch;
    }
    sha256 = await table.sha256();
  }

  return {
    layout: table.layout,
    batches: batches(),
    footerRowsSkipped: () => table.stats.footerRowsSkipped,
    dateEvidence: () => evidence,
    sha256: () => {
      if (sha256 === undefined) throw new Error('parse: the hash is known once every batch is read');
      return sha256;
    },
    close: () => table.close(),
  };
}

function mixedOrders(path: string, dmy: DateWitness, mdy: DateWitness): InputError {
  const where = (w: DateWitness) => `${w.sheet === undefined ? '' : `trang '${w.sheet}', `}dòng ${w.rowNumber} ghi "${w.text}"`;
  return new InputError(
    path,
    `ngày tháng ghi theo hai thứ tự khác nhau: ${where(dmy)} (chỉ có thể là ngày/tháng), ${where(mdy)} (chỉ có thể là tháng/ngày); ` +
      'sửa tệp, hoặc chỉ rõ bằng --date-order dmy hoặc --date-order mdy',
  );
}

function assumedSummaryOf(deltas: SummaryDeltas): AssumedSummary {
  const keys: string[] = [];
  const counts: number[] = [];
  for (const row of deltas.values()) {
    keys.push(row.unit_code, row.field, row.channel, row.procedure_name, row.half_month);
    for (const count of SUMMARY_COUNTS) counts.push(row[count]);
  }
  return { keys, counts };
}

function emptyBatch(): ParsedBatch {
  return { rowsRead: 0, dossierCount: 0, dossiers: '', numbers: new Int32Array(0), words: [], wordsFrom: 1, rowNumbers: [], firstRowOf: [], unitUnclear: {}, rejects: [] };
}

const levelIsClear = memoizeText((unitName: string) => inferLevelFromUnitName(unitName) !== undefined);

/** A yes/no value on the wire: 0 not said, 1 no, 2 yes. */
const flagNumber = (flag: boolean | undefined): number => (flag === undefined ? 0 : flag ? 2 : 1);
/** The stored value of a yes/no on the wire (dossiers.paid_online, …): 1 yes, 0 no, null not said. */
export const flagOfNumber = (n: number): number | null => (n === 0 ? null : n - 1);

/** A value on the wire. Cleaned text never holds the separator (cleanText drops control characters). */
function wire(value: string | undefined): string {
  return value ?? '';
}

/** The text values of a batch's good rows: row i's value k is at i * TEXTS_WIDTH + k ('' when missing). */
export function wireTexts(batch: ParsedBatch): string[] {
  if (batch.numbers.length !== batch.dossierCount * NUMBERS_WIDTH) {
    throw new Error(`parsed batch: ${batch.numbers.length} numbers for ${batch.dossierCount} dossiers`);
  }
  if (batch.dossierCount === 0) return [];
  const values = batch.dossiers.split(WIRE_SEPARATOR);
  if (values.length !== batch.dossierCount * TEXTS_WIDTH) {
    throw new Error(`parsed batch: ${values.length} values for ${batch.dossierCount} dossiers`);
  }
  return values;
}

/** The numbers of a batch's rows as they are parsed: one growing array, copied out at the end of a batch. */
class NumberBuffer {
  private values = new Int32Array(1 << 14);
  private used = 0;

  add(value: number): void {
    if (this.used === this.values.length) {
      const grown = new Int32Array(this.values.length * 2);
      grown.set(this.values);
      this.values = grown;
    }
    this.values[this.used++] = value;
  }

  take(): Int32Array {
    const taken = this.values.slice(0, this.used);
    this.used = 0;
    return taken;
  }
}
