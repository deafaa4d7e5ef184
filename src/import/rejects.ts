import type { Db } from '../db/connection.ts';
import { InputError } from './types.ts';

// The rows an import rejected, as a clerk fixes them: one column per column of the export, under the export's
// own headers, the reasons in a column of their own, and a file that `tthc import` takes back once fixed (the
// added columns are not fields, so the importer leaves them aside).

/** A rejected row as stored: its non-personal cells by the export's headers, and why it was rejected. */
export interface RejectedRowRecord {
  batch: number;
  fileName: string;
  sheet: string | null;
  rowNumber: number;
  reasons: string[];
  values: Record<string, string | number | boolean | null>;
}

/** The rejected rows of one batch, or of every batch, in file and row order. */
export async function listRejects(db: Db, options: { batch?: number } = {}): Promise<RejectedRowRecord[]> {
  if (options.batch !== undefined) {
    const found = await db.selectFrom('import_batches').select('id').where('id', '=', options.batch).executeTakeFirst();
    if (!found) throw new InputError(`lô ${options.batch}`, 'không có lô này (xem "tthc batches")');
  }
  let query = db
    .selectFrom('rejected_rows as r')
    .innerJoin('import_batches as b', 'b.id', 'r.batch_id')
    .select(['r.batch_id as batch', 'b.file_name as fileName', 'r.sheet', 'r.row_number as rowNumber', 'r.reasons', 'r.row_values as rowValues'])
    .orderBy('r.batch_id')
    .orderBy('r.id');
  if (options.batch !== undefined) query = query.where('r.batch_id', '=', options.batch);
  return (await query.execute()).map(({ rowValues, reasons, ...r }) => ({
    ...r,
    reasons: JSON.parse(reasons) as string[],
    values: JSON.parse(rowValues) as RejectedRowRecord['values'],
  }));
}

/** The columns added after the export's own. */
export const REJECT_COLUMNS = { reasons: 'Lý do bị từ chối', file: 'Tệp gốc', sheet: 'Trang gốc', row: 'Dòng gốc' } as const;

/**
 * The rejected rows as a table: the export's headers (in the order first met), then the reason, file, sheet and
 * row. A workbook's date cell was kept as the instant its wall-clock time names (JSON of a Date): it is written
 * back as the dd/MM/yyyy HH:mm:ss text the importer reads.
 */
export function rejectsTable(rows: RejectedRowRecord[]): { headers: string[]; rows: Array<Array<string | number | null>> } {
  const dataHeaders: string[] = [];
  const seen = new Set<string>();
  for (const row of rows) {
    for (const header of Object.keys(row.values)) {
      if (!seen.has(header)) {
        seen.add(header);
        dataHeaders.push(header);
      }
    }
  }
  return {
    headers: [...dataHeaders, REJECT_COLUMNS.reasons, REJECT_COLUMNS.file, REJECT_COLUMNS.sheet, REJECT_COLUMNS.row],
    rows: rows.map((row) => [
      ...dataHeaders.map((header) => cellText(row.values[header])),
      row.reasons.join('; '),
      row.fileName,
      row.sheet,
      row.rowNumber,
    ]),
  };
}

const DATE_JSON = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})\.\d{3}Z$/;

function cellText(value: string | number | boolean | null | undefined): string | number | null {
  if (value === null || value === undefined) return null;
  if (typeof value === 'boolean') return value ? 'TRUE' : 'FALSE';
  if (typeof value === 'number') return value;
  const m = DATE_JSON.exec(value);
  return m ? `${m[3]}/${m[2]}/${m[1]} ${m[4]}:${m[5]}:${m[6]}` : value;
}

/** Writes the rejected rows to a workbook of one sheet, every cell as text, ready to fix and import again. */
export async function writeRejectsWorkbook(rows: RejectedRowRecord[], path: string): Promise<void> {
  const table = rejectsTable(rows);
  const { default: ExcelJS } = await import('exceljs'); // only for the workbook, not for every command
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet('Dòng bị từ chối');
  sheet.addRow(table.headers).font = { bold: true };
  for (const row of table.rows) sheet.addRow(row);
  sheet.columns.forEach((column, i) => {
    column.width = Math.min(60, Math.max(10, table.headers[i].length + 2));
    if (i < table.headers.length - 1) column.numFmt = '@';
  });
  sheet.views = [{ state: 'frozen', ySplit: 1 }];
  await workbook.xlsx.writeFile(path);
}
