import type { RawRow } from '../types.ts';

// What every reader hands the table layer (table.ts): a file as a list of sheets, each a stream of physical rows.
// A CSV file is one sheet without a name; a workbook has one per worksheet, hidden ones included (the table layer
// says why it skips them).

/** One sheet of a file. */
export interface SheetSource {
  /** The sheet's name as the workbook shows it on its tab; undefined for a CSV file. */
  name: string | undefined;
  /** 1-based position among the file's sheets, in the workbook's order. */
  number: number;
  /** Hidden or very hidden in the workbook. */
  hidden: boolean;
  /**
   * Every physical row of the sheet in batches, from the first: title rows, blank lines and footers included
   * (a workbook's rows without any value are not stored and so are not returned). Each call reads the sheet
   * again from its start; a caller may stop early (return() on the iterator releases what it holds).
   */
  rows(): AsyncIterable<RawRow[]>;
}

/** The formats tthc reads, as a summary line names them. */
export type FileFormat = 'csv' | 'xlsx' | 'xls' | 'xls-html' | 'xml2003' | 'ods' | 'xlsb';

/** A file opened by its reader: what it turned out to be, and its sheets. */
export interface FileSource {
  format: FileFormat;
  /** For a text file (CSV, HTML), the encoding it is read in: 'utf-8', 'utf-16le', 'utf-16be', 'windows-1258'. */
  encoding?: string;
  sheets: SheetSource[];
  /**
   * The file's SHA-256 (hex). Called after the rows have been read: a reader that read every byte of the file
   * hashes them as it reads (no second read); others read the file again for it.
   */
  sha256(): Promise<string>;
  /** Releases the file. */
  close(): Promise<void>;
}

/** How a file is to be opened, from the command line. */
export interface OpenOptions {
  /** --encoding: the text encoding of a CSV file, instead of the one found by itself. */
  encoding?: string;
}
