import ExcelJS from 'exceljs';
import { writeFileSync } from 'node:fs';
import { PassThrough } from 'node:stream';

// Writers for the demo's files. The same content always gives the same bytes: an .xlsx is a zip whose entries
// carry the time they were written, so the workbook's dates and the zip entries' dates are fixed.

export type Cell = string | number | Date | null;

/** The time stamped on the demo's workbooks and their zip entries: the day the exports were taken. */
const FIXED_TIME = new Date(Date.UTC(2023, 4, 25, 17, 0, 0));

/** CSV text: cells quoted when they hold the delimiter, a quote or a line break; CRLF line ends. */
export function csvText(rows: Cell[][], delimiter: string): string {
  const quote = (value: Cell) => {
    const text = value === null ? '' : String(value);
    return text.includes(delimiter) || /["\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
  };
  let out = '';
  for (const row of rows) out += `${row.map(quote).join(delimiter)}\r\n`;
  return out;
}

/** A UTF-8 CSV file with a byte-order mark, as Vietnamese exports opened in Excel need. */
export function writeCsvFile(path: string, rows: Cell[][], delimiter: string): void {
  writeFileSync(path, `\uFEFF${csvText(rows, delimiter)}`);
}

export interface SheetLayout {
  sheetName: string;
  /** Lines above the table, each merged across it (unit, office, title, period). */
  title: string[];
  header: string[];
  rows: Cell[][];
  /** Lines below the table: total, place and date, signature. */
  footer: Cell[][];
  /** Widths of the columns, in characters. */
  widths?: number[];
  /** Excel number format of Date cells. */
  dateFormat?: string;
}

/**
 * An .xlsx as the one-stop systems export it: merged title rows, a blank row, the header, data, footer rows.
 * Written with exceljs's streaming writer and inline strings, several times faster than the in-memory writer.
 */
export async function writeXlsxFile(path: string, layout: SheetLayout): Promise<void> {
  const chunks: Buffer[] = [];
  const stream = new PassThrough();
  stream.on('data', (chunk: Buffer) => chunks.push(chunk));
  const ended = new Promise((resolve) => stream.on('end', resolve));
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({
    stream, useStyles: true, useSharedStrings: false,
    created: FIXED_TIME, modified: FIXED_TIME, creator: 'tthc demo', lastModifiedBy: 'tthc demo',
  } as ConstructorParameters<typeof ExcelJS.stream.xlsx.WorkbookWriter>[0]);
  const sheet = workbook.addWorksheet(layout.sheetName);
  // Date cells get their format from their column: per-cell styles cost exceljs a style lookup per cell.
  const dateColumns = new Set(layout.header.flatMap((_, i) => (layout.rows.some((r) => r[i] instanceof Date) ? [i] : [])));
  sheet.columns = layout.header.map((_, i) => ({
    width: layout.widths?.[i] ?? 12,
    style: layout.dateFormat && dateColumns.has(i) ? { numFmt: layout.dateFormat } : {},
  }));
  const width = layout.header.length;
  for (const line of layout.title) {
    const row = sheet.addRow([line]);
    sheet.mergeCells(row.number, 1, row.number, width);
    row.getCell(1).alignment = { horizontal: 'center' };
    row.getCell(1).font = { bold: true };
  }
  sheet.addRow([]);
  const header = sheet.addRow(layout.header);
  header.font = { bold: true };
  for (const values of layout.rows) sheet.addRow(values).commit();
  sheet.addRow([]).commit();
  for (const values of layout.footer) sheet.addRow(values).commit();
  sheet.commit();
  await workbook.commit();
  await ended;
  writeFileSync(path, stampZip(Buffer.concat(chunks), FIXED_TIME));
}

/**
 * Sets the modification time of every entry of a zip (local headers and central directory) to `time`. Only the
 * DOS time and date fields change; the data and its CRC stay as they are.
 */
export function stampZip(zip: Buffer, time: Date): Buffer {
  const dosTime = (time.getUTCHours() << 11) | (time.getUTCMinutes() << 5) | (time.getUTCSeconds() >> 1);
  const dosDate = ((time.getUTCFullYear() - 1980) << 9) | ((time.getUTCMonth() + 1) << 5) | time.getUTCDate();
  const eocd = zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  if (eocd < 0) throw new Error('stampZip: not a zip');
  const entries = zip.readUInt16LE(eocd + 10);
  let p = zip.readUInt32LE(eocd + 16);
  for (let i = 0; i < entries; i++) {
    if (zip.readUInt32LE(p) !== 0x02014b50) throw new Error('stampZip: bad central directory');
    zip.writeUInt16LE(dosTime, p + 12);
    zip.writeUInt16LE(dosDate, p + 14);
    const local = zip.readUInt32LE(p + 42);
    zip.writeUInt16LE(dosTime, local + 10);
    zip.writeUInt16LE(dosDate, local + 12);
    p += 46 + zip.readUInt16LE(p + 28) + zip.readUInt16LE(p + 30) + zip.readUInt16LE(p + 32);
  }
  return zip;
}
