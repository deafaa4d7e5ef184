import { createHash, type Hash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { once } from 'node:events';
import { CsvError, parse as parseStream, type Options } from 'csv-parse';
import { parse as parseSync } from 'csv-parse/sync';
import { InputError, type CellValue, type RawRow } from '../types.ts';
import { fileError, OLE_SIGNATURE, readHead, startsWith, ZIP_SIGNATURE } from './file-head.ts';
import { sha256OfFile } from './file-hash.ts';
import type { FileSource, OpenOptions } from './source.ts';
import { chunkDecoder, detectEncoding, resolveEncoding } from './text-encoding.ts';

// CSV exports are read in large text chunks. A record without any quote character cannot contain an escaped
// delimiter or line break, so it is split directly; records with quotes are handed to csv-parse. csv-parse alone
// reads about 115,000 rows/s of a 12-column export, below what a whole import must reach, while exports quote
// only the few fields that need it. If the quick split and csv-parse ever disagree on where a quoted record ends
// (a stray quote inside an unquoted field), csv-parse reads the rest of the file by itself.
// A line ends at \r\n, \n or a lone \r, mixed in one file as they may be (a file joined from others): both the
// quick split and csv-parse end records at all three.

export type Delimiter = ',' | ';' | '\t';
const DELIMITERS: Delimiter[] = [';', ',', '\t'];
const SNIFF_RECORDS = 20;
/** A quoted record that has not ended within this many characters is left to csv-parse's own streaming. */
const MAX_QUOTED_RECORD = 1 << 20;
const CHUNK = 1 << 16;

export interface CsvFormat {
  delimiter: Delimiter;
  /** The WHATWG name of the text encoding: 'utf-8', 'utf-16le', 'utf-16be', 'windows-1258', or one forced. */
  encoding: string;
}

/**
 * Opens a CSV file as one sheet without a name, in the encoding options.encoding names or else the one found
 * (see detectEncoding). Its first read, when it goes to the end, hashes the bytes it reads.
 */
export async function openCsv(path: string, options: OpenOptions = {}): Promise<FileSource> {
  const format = await inspectCsv(path, options);
  let reads = 0;
  let digest: string | undefined;
  async function* rows(): AsyncGenerator<RawRow[]> {
    const hash = reads++ === 0 ? createHash('sha256') : undefined;
    yield* readCsvBatches(path, CHUNK, hash, format);
    if (hash) digest = hash.digest('hex');
  }
  return {
    format: 'csv',
    encoding: format.encoding,
    sheets: [{ name: undefined, number: 1, hidden: false, rows }],
    sha256: async () => digest ?? (await sha256OfFile(path)),
    close: async () => undefined,
  };
}

/**
 * Reads every physical record of a CSV file, blank lines and title lines included, in batches. With `hash`, every
 * byte read is added to it: the whole file, once the batches end. Without `format`, the file is inspected first.
 */
export async function* readCsvBatches(
  path: string,
  chunkSize = CHUNK,
  hash?: Hash,
  format?: CsvFormat,
): AsyncGenerator<RawRow[]> {
  format ??= await inspectCsv(path);
  // One TextDecoder over the raw chunks decodes them in about half the time the stream's own decoding takes.
  // It keeps a BOM (ignoreBOM) so that only the first one is dropped below, as before.
  const stream = createReadStream(path, { highWaterMark: chunkSize });
  const decoder = chunkDecoder(format.encoding);
  const splitter = new RecordSplitter(path, format.delimiter);
  const bytes = stream[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
  const chunks: AsyncIterator<string> = {
    next: async () => {
      for (;;) {
        const next = await bytes.next();
        if (!next.done) hash?.update(next.value);
        if (next.done) {
          // A character cut off by the end of the file becomes U+FFFD, as the stream's decoder made it.
          const rest = decoder.end();
          return rest === '' ? { done: true, value: undefined } : { done: false, value: rest };
        }
        // Like the stream's decoder, no empty text for a chunk that ends inside a character.
        const text = decoder.decode(next.value);
        if (text !== '') return { done: false, value: text };
      }
    },
  };
  try {
    let first = true;
    for (;;) {
      let next: IteratorResult<string>;
      try {
        next = await chunks.next();
      } catch (error) {
        throw fileError(path, error);
      }
      if (next.done) break;
      let text = next.value;
      if (first && text.charCodeAt(0) === 0xfeff) text = text.slice(1);
      first = false;
      const rows = splitter.push(text, false);
      if (rows.length > 0) yield rows;
      if (splitter.handOver !== undefined) {
        yield* csvParseRest(path, format.delimiter, splitter.handOver, chunks, splitter.rowNumber);
        return;
      }
    }
    const rows = splitter.push('', true);
    if (rows.length > 0) yield rows;
    if (splitter.handOver !== undefined) {
      yield* csvParseRest(path, format.delimiter, splitter.handOver, chunks, splitter.rowNumber);
    }
  } finally {
    stream.destroy();
  }
}

/** Finds the file's text encoding (or takes the one options.encoding names) and its delimiter. */
export async function inspectCsv(path: string, options: OpenOptions = {}): Promise<CsvFormat> {
  const head = await readHead(path);
  const { bytes, size } = head;
  if (startsWith(bytes, ZIP_SIGNATURE)) {
    throw new InputError(path, 'tệp là bảng tính Excel (.xlsx) hoặc tệp nén, không phải CSV: hãy đổi đuôi tệp thành .xlsx');
  }
  if (startsWith(bytes, OLE_SIGNATURE)) {
    throw new InputError(path, 'tệp là bảng tính Excel 97-2003 (.xls), không phải CSV: hãy mở bằng Excel và lưu dưới dạng .xlsx hoặc CSV UTF-8');
  }
  const utf16Bom = (bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff);
  const forced = options.encoding === undefined ? undefined : resolveEncoding(path, options.encoding);
  // NUL bytes are binary data, except in UTF-16, where every ASCII character has one.
  if (!utf16Bom && !forced?.startsWith('utf-16') && bytes.includes(0)) {
    throw new InputError(path, 'tệp không phải văn bản CSV (có dữ liệu nhị phân)');
  }
  const encoding = forced ?? (await detectEncoding(path, head));
  const decoder = chunkDecoder(encoding);
  // A decoder in stream mode leaves a character cut by the end of the sample for later instead of mangling it.
  let text = bytes.length < size ? decoder.decode(bytes) : decoder.decode(bytes) + decoder.end();
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  // The sample may end inside a record: only whole lines count.
  if (bytes.length < size) text = text.slice(0, Math.max(0, text.lastIndexOf('\n'), text.lastIndexOf('\r')));
  return { delimiter: sniffDelimiter(text), encoding };
}

/**
 * The delimiter whose count per record is the same on most of the first non-empty records (title rows have
 * fewer columns); on a tie, the one that splits records into more columns. Quoted text does not count.
 */
export function sniffDelimiter(text: string): Delimiter {
  const counts: number[][] = DELIMITERS.map(() => []);
  let inQuotes = false;
  let current = DELIMITERS.map(() => 0);
  let empty = true;
  for (let i = 0; i <= text.length; i++) {
    const ch = i < text.length ? text[i] : '\n';
    if (ch === '"') {
      inQuotes = !inQuotes;
      empty = false;
    } else if ((ch === '\n' || ch === '\r') && !inQuotes) {
      if (!empty) {
        current.forEach((n, d) => counts[d].push(n));
        if (counts[0].length >= SNIFF_RECORDS) break;
      }
      current = DELIMITERS.map(() => 0);
      empty = true;
    } else if (!inQuotes) {
      const d = DELIMITERS.indexOf(ch as Delimiter);
      if (d >= 0) current[d]++;
      // A line of delimiters only (an empty row saved by Excel) counts too.
      if (ch !== ' ') empty = false;
    }
  }
  let best: { delimiter: Delimiter; records: number; columns: number } = { delimiter: ',', records: 0, columns: 0 };
  DELIMITERS.forEach((delimiter, d) => {
    const frequency = new Map<number, number>();
    for (const n of counts[d]) if (n > 0) frequency.set(n, (frequency.get(n) ?? 0) + 1);
    for (const [columns, records] of frequency) {
      if (records > best.records || (records === best.records && columns > best.columns)) {
        best = { delimiter, records, columns };
      }
    }
  });
  return best.delimiter;
}

function csvOptions(delimiter: Delimiter): Options {
  // Without record_delimiter, csv-parse takes the first line end it meets for every record.
  return {
    delimiter,
    record_delimiter: ['\r\n', '\n', '\r'],
    relax_column_count: true,
    relax_quotes: true,
    skip_empty_lines: false,
  };
}

function toCells(fields: string[]): CellValue[] {
  const cells: CellValue[] = fields;
  for (let i = 0; i < fields.length; i++) if (fields[i] === '') cells[i] = null;
  return cells;
}

/**
 * The cells of a line whose quoted fields are plain ("text" with no quote inside): such a line is a whole
 * record and reads the same as csv-parse reads it. Undefined for anything else (an escaped quote, a delimiter
 * or line break inside quotes, a stray quote), which is left to csv-parse.
 */
function simpleQuotedFields(fields: string[]): CellValue[] | undefined {
  const cells: CellValue[] = fields;
  for (let f = 0; f < fields.length; f++) {
    const field = fields[f];
    const q = field.indexOf('"');
    if (q === -1) {
      if (field === '') cells[f] = null;
      continue;
    }
    const last = field.length - 1;
    if (q !== 0 || last === 0 || field.indexOf('"', 1) !== last) return undefined;
    cells[f] = last === 1 ? null : field.slice(1, last);
  }
  return cells;
}

/**
 * Cuts the lines of one decoded text into cells, in place: cutting a line out and splitting it made two strings
 * and an array more per row. Delimiters and quotes are found with indexOf, several times faster than a loop over
 * the characters; the next one of each is remembered, so that the last field of a line, which has no delimiter
 * before the line break, does not search the text again for every line.
 */
class LineFields {
  private delimiterAt: number;
  private quoteAt: number;
  private readonly delimiterCode: number;

  constructor(
    private readonly text: string,
    private readonly delimiter: string,
  ) {
    this.delimiterAt = text.indexOf(delimiter);
    this.quoteAt = text.indexOf('"');
    this.delimiterCode = delimiter.charCodeAt(0);
  }

  /**
   * The cells of the line text[start, end). Quoted fields may hold delimiters or doubled quotes but no line
   * break, as exports quote addresses ("Thôn 5, xã Hương Xạ"). Undefined when the line is not such a whole
   * record (an unclosed quote, a quote inside an unquoted field, text after a closing quote): csv-parse reads
   * those. Every row of an export can carry such an address, and csv-parse alone caps the import near
   * 115,000 rows/s.
   */
  cells(start: number, end: number): CellValue[] | undefined {
    const text = this.text;
    const cells: CellValue[] = [];
    let i = start;
    for (;;) {
      if (this.quoteAt !== -1 && this.quoteAt < i) this.quoteAt = text.indexOf('"', i);
      if (i < end && this.quoteAt === i) {
        let value = '';
        let from = i + 1;
        for (;;) {
          const q = text.indexOf('"', from);
          if (q === -1 || q >= end) return undefined;
          if (q + 1 < end && text.charCodeAt(q + 1) === 34) {
            value += text.slice(from, q + 1);
            from = q + 2;
            continue;
          }
          value += text.slice(from, q);
          i = q + 1;
          break;
        }
        cells.push(value === '' ? null : value);
        if (i === end) return cells;
        if (text.charCodeAt(i) !== this.delimiterCode) return undefined;
        i++;
      } else {
        if (this.delimiterAt !== -1 && this.delimiterAt < i) this.delimiterAt = text.indexOf(this.delimiter, i);
        const fieldEnd = this.delimiterAt === -1 || this.delimiterAt > end ? end : this.delimiterAt;
        if (this.quoteAt !== -1 && this.quoteAt < fieldEnd) return undefined;
        cells.push(fieldEnd === i ? null : text.slice(i, fieldEnd));
        if (fieldEnd === end) return cells;
        i = fieldEnd + 1;
      }
    }
  }
}

/** Cuts decoded text into records; keeps the unfinished tail for the next chunk. */
class RecordSplitter {
  rowNumber = 0;
  /** Text from which csv-parse must take over, when the quick split cannot tell where a record ends. */
  handOver: string | undefined;
  private carry = '';
  private readonly parseOptions: Options;

  constructor(
    private readonly path: string,
    private readonly delimiter: Delimiter,
  ) {
    this.parseOptions = csvOptions(delimiter);
  }

  push(chunk: string, final: boolean): RawRow[] {
    const text = this.carry + chunk;
    const delimiter = this.delimiter;
    const lines = new LineFields(text, delimiter);
    // Lines are found by their \n, a \r before it dropped, unless the text holds a \r that no \n follows: one
    // search of each chunk for it keeps the search for both characters off every line of LF and CRLF files.
    const loneCr = hasLoneCr(text);
    const rows: RawRow[] = [];
    let i = 0;
    while (i < text.length) {
      let end: number;
      let next: number;
      if (loneCr) {
        end = lineBreak(text, i);
        next = end === -1 ? -1 : breakEnd(text, end, final) + 1;
        if (next === 0) break;
      } else {
        end = text.indexOf('\n', i);
        next = end + 1;
        if (end > i && text.charCodeAt(end - 1) === 13) end--;
      }
      if (end === -1) {
        if (!final) break;
        end = next = text.length;
      }
      const cells = lines.cells(i, end);
      if (cells) {
        rows.push({ rowNumber: ++this.rowNumber, cells });
        i = next;
        continue;
      }
      // Consecutive records with quotes go to csv-parse together.
      let segmentEnd = quotedRecordEnd(text, i, final);
      if (segmentEnd === -1) {
        if (text.length - i > MAX_QUOTED_RECORD) {
          this.handOver = text.slice(i);
          this.carry = '';
          return rows;
        }
        break;
      }
      for (;;) {
        const nextStart = segmentEnd + 1;
        const nextLineEnd = lineBreak(text, nextStart);
        if (nextLineEnd === -1) break;
        const quote = text.indexOf('"', nextStart);
        if (quote === -1 || quote > nextLineEnd) break;
        if (simpleQuotedFields(text.slice(nextStart, nextLineEnd).split(delimiter))) break;
        const end = quotedRecordEnd(text, nextStart, false);
        if (end === -1) break;
        segmentEnd = end;
      }
      let records: string[][];
      try {
        records = parseSync(text.slice(i, segmentEnd + 1), this.parseOptions) as string[][];
      } catch (error) {
        if (error instanceof CsvError && error.code === 'CSV_QUOTE_NOT_CLOSED' && !final) {
          this.handOver = text.slice(i);
          this.carry = '';
          return rows;
        }
        throw csvError(this.path, error, this.rowNumber + 1);
      }
      for (const record of records) rows.push({ rowNumber: ++this.rowNumber, cells: toCells(record) });
      i = segmentEnd + 1;
    }
    this.carry = i < text.length ? text.slice(i) : '';
    return rows;
  }
}

/**
 * True when the text holds a \r not followed by \n, or ends with a \r (whose \n may start the next chunk). A
 * loop of indexOf finds them several times faster than a regular expression does.
 */
function hasLoneCr(text: string): boolean {
  for (let cr = text.indexOf('\r'); cr !== -1; cr = text.indexOf('\r', cr + 2)) {
    if (text.charCodeAt(cr + 1) !== 10) return true;
  }
  return false;
}

/** The index of the first \r or \n at or after `from`, or -1. */
function lineBreak(text: string, from: number): number {
  const lf = text.indexOf('\n', from);
  const cr = text.indexOf('\r', from);
  return cr === -1 || (lf !== -1 && lf < cr) ? lf : cr;
}

/**
 * The index of the last character of the line break at `at` (its \n for \r\n); -1 for a \r that ends a text
 * that is not the last, whose \n may start the next chunk.
 */
function breakEnd(text: string, at: number, final: boolean): number {
  if (text.charCodeAt(at) !== 13) return at;
  if (at + 1 < text.length) return text.charCodeAt(at + 1) === 10 ? at + 1 : at;
  return final ? at : -1;
}

/**
 * Where the record starting at `start` ends (the index of the last character of its line break, or text.length
 * at the end of the file), counting quotes: in well-formed CSV a line break ends the record when the quotes so far
 * are even. -1 when the text ends first and more may follow.
 */
function quotedRecordEnd(text: string, start: number, final: boolean): number {
  let quotes = 0;
  let i = start;
  for (;;) {
    const lineEnd = lineBreak(text, i);
    const stop = lineEnd === -1 ? text.length : lineEnd;
    for (let q = text.indexOf('"', i); q !== -1 && q < stop; q = text.indexOf('"', q + 1)) quotes++;
    if (lineEnd === -1) return final ? text.length : -1;
    const last = breakEnd(text, lineEnd, final);
    if (last === -1) return -1;
    if (quotes % 2 === 0) return last;
    i = last + 1;
  }
}

/** csv-parse reads the rest of the file: `head` is the text not yet split, `chunks` what is still unread. */
async function* csvParseRest(
  path: string,
  delimiter: Delimiter,
  head: string,
  chunks: AsyncIterator<string>,
  rowsBefore: number,
): AsyncGenerator<RawRow[]> {
  const parser = parseStream(csvOptions(delimiter));
  const feed = async () => {
    if (!parser.write(head)) await once(parser, 'drain');
    for (;;) {
      const next = await chunks.next();
      if (next.done) break;
      if (!parser.write(next.value)) await once(parser, 'drain');
    }
    parser.end();
  };
  feed().catch((error) => parser.destroy(error));
  let rowNumber = rowsBefore;
  let batch: RawRow[] = [];
  try {
    for await (const record of parser) {
      batch.push({ rowNumber: ++rowNumber, cells: toCells(record as string[]) });
      if (batch.length >= 1000) {
        yield batch;
        batch = [];
      }
    }
  } catch (error) {
    throw csvError(path, error, rowNumber + 1);
  } finally {
    parser.destroy();
  }
  if (batch.length > 0) yield batch;
}

function csvError(path: string, error: unknown, rowNumber: number): InputError {
  if (error instanceof InputError) return error;
  if (error instanceof CsvError) {
    if (error.code === 'CSV_QUOTE_NOT_CLOSED') {
      return new InputError(path, 'dấu ngoặc kép (") mở mà không đóng: tệp CSV bị cắt cụt hoặc sai định dạng', rowNumber);
    }
    return new InputError(path, `tệp CSV sai định dạng (${error.message})`, rowNumber);
  }
  return fileError(path, error);
}
