import type { Channel } from '../domain/channels.ts';
import type { WallClock } from '../domain/dates.ts';
import type { Status } from '../domain/statuses.ts';
import type { Satisfaction } from './indicator-values.ts';
import type { FileFormat } from './readers/source.ts';
import { UserError } from '../domain/errors.ts';

/**
 * A formula cell saved without its computed value (openpyxl and other programs that write formulas without
 * computing them): its value is unknown, never an empty cell. The formula text is kept for the message only.
 */
export class UncomputedFormula {
  constructor(readonly formula: string) {}
  toJSON(): string {
    return `=${this.formula.slice(0, 200)}`;
  }
}

/**
 * A cell as a reader hands it over: text from CSV; text, numbers, dates or booleans from a workbook. A workbook's
 * date cell is a Date whose UTC fields are the wall-clock time the cell shows.
 */
export type CellValue = string | number | Date | boolean | null | UncomputedFormula;

/** One physical row of a sheet or CSV file; rowNumber is 1-based as a spreadsheet shows it. */
export interface RawRow {
  rowNumber: number;
  cells: CellValue[];
}

/** The fields of a dossier that an export can carry (docs/rules.md, "A dossier"). */
export const DOSSIER_FIELDS = [
  'code', 'unit', 'receivingUnit', 'procedure', 'procedureCode', 'field', 'channel',
  'receivedAt', 'dueAt', 'endedAt', 'returnedAt', 'status',
  // Optional columns behind QĐ 766's indicators (src/import/indicator-values.ts).
  'paidOnline', 'hasFee', 'digitised', 'electronicResult', 'satisfaction',
] as const;
export type DossierField = (typeof DOSSIER_FIELDS)[number];

/** A data row after the header: the cells of the recognised columns, by field. Personal columns are gone. */
export interface MappedRow<F extends string = DossierField> {
  rowNumber: number;
  /** The sheet's name in a file of several sheets; undefined in a file of one. */
  sheet: string | undefined;
  values: Partial<Record<F, CellValue>>;
  /** The row's non-personal cells keyed by the file's own headers, kept for the rejected-rows table. */
  original: Record<string, CellValue>;
  /**
   * Why the row cannot be read at all (a CSV row with more or fewer cells than its header: a name with an
   * unquoted comma shifts every cell after it, and any cell may then hold personal data). Its values are empty.
   */
  malformed?: string;
}

/** One sheet of a file as the table layer saw it: read, or skipped and why. */
export interface SheetLayout {
  /** The sheet's name; undefined for a CSV file. */
  name: string | undefined;
  number: number;
  hidden: boolean;
  read: boolean;
  /** Why the sheet was not read (Vietnamese): "trang ẩn", "không có dòng tiêu đề", … */
  skipped?: string;
  /** The header's (first) row. */
  headerRowNumber?: number;
  /** 2 for a group row over a row of sub-headers. */
  headerRows?: 1 | 2;
  mapped?: Record<string, string>;
  personalColumnsDropped?: string[];
  ignored?: string[];
}

/** What the reader learnt about a file's layout: each sheet's, and the columns of the sheets read together. */
export interface TableLayout<F extends string = DossierField> {
  format: FileFormat;
  /** A text file's encoding. */
  encoding?: string;
  sheets: SheetLayout[];
  /** The header row of the first sheet read. */
  headerRowNumber: number;
  /** Header text → field, for the recognised columns. */
  mapped: Record<string, F>;
  /** The fields some sheet read has a column for. */
  fields: F[];
  /** Headers dropped because they hold personal data (never their values). */
  personalColumnsDropped: string[];
  /** Headers that were neither recognised nor personal: ignored. */
  ignored: string[];
  /** Headers named in --map or a profile that no sheet read has. */
  overridesNotFound: string[];
}

/** A dossier as one row of an export states it, validated. */
export interface DossierInput {
  code: string;
  unitName: string;
  /** Where it was received, when the export names it apart from the resolving agency (columns.ts). */
  receivingUnit?: string;
  procedureName?: string;
  procedureCode?: string;
  field?: string;
  channel?: Channel;
  receivedAt: WallClock;
  dueAt?: WallClock;
  endedAt?: WallClock;
  /** The export gave no end date: endedAt is the returned date. */
  endFromReturned: boolean;
  returnedAt?: WallClock;
  status: Status;
  /** QĐ 766's optional columns: undefined where the export does not say (no column, or a blank cell). */
  paidOnline?: boolean;
  hasFee?: boolean;
  digitised?: boolean;
  electronicResult?: boolean;
  satisfaction?: Satisfaction;
  /** The optional columns whose cell could not be read, as bits (values.ts, SATISFACTION_BIT): stored as unknown. */
  unreadable766?: number;
}

/** A user's error in an input file: printed as one line, never as a stack trace. */
export class InputError extends UserError {
  constructor(
    readonly file: string,
    /** The problem itself, without the file and row. */
    readonly detail: string,
    readonly rowNumber?: number,
    /** The sheet, in a file of several. */
    readonly sheet?: string,
  ) {
    super(`${file}${sheet === undefined ? '' : `, trang '${sheet}'`}${rowNumber === undefined ? '' : `, dòng ${rowNumber}`}: ${detail}`);
  }
}
