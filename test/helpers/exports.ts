import ExcelJS from 'exceljs';
import { writeFileSync } from 'node:fs';

// Writes export files the way one-stop systems give them, for tests that import through the real path.

export const EXPORT_HEADERS = [
  'STT', 'Mã hồ sơ', 'Đơn vị tiếp nhận', 'Tên thủ tục', 'Lĩnh vực', 'Hình thức nộp',
  'Ngày tiếp nhận', 'Ngày hẹn trả', 'Ngày kết thúc xử lý', 'Ngày trả kết quả', 'Trạng thái',
];

export type Cell = string | number | Date | null | undefined;

export function writeCsv(path: string, headers: string[], rows: Cell[][], options: { delimiter?: string; bom?: boolean } = {}) {
  const delimiter = options.delimiter ?? ',';
  const quote = (v: Cell) => {
    const text = v === null || v === undefined ? '' : v instanceof Date ? v.toISOString() : String(v);
    return /[",;\t\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
  };
  const body = [headers, ...rows].map((r) => r.map(quote).join(delimiter)).join('\r\n');
  writeFileSync(path, (options.bom ? '\uFEFF' : '') + body + '\r\n');
}

/** An .xlsx with title rows (merged), a blank row, the header, the data and a footer, as real exports have. */
export async function writeXlsx(
  path: string,
  headers: string[],
  rows: Cell[][],
  options: { title?: boolean; footer?: boolean } = {},
) {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet('Danh sách hồ sơ');
  if (options.title !== false) {
    sheet.addRow(['UBND HUYỆN HẠ HOÀ']);
    sheet.addRow(['DANH SÁCH HỒ SƠ TIẾP NHẬN']);
    sheet.addRow(['Từ ngày 01/03/2021 đến ngày 31/03/2021']);
    sheet.mergeCells(1, 1, 1, headers.length);
    sheet.mergeCells(2, 1, 2, headers.length);
    sheet.mergeCells(3, 1, 3, headers.length);
    sheet.addRow([]);
  }
  sheet.addRow(headers);
  for (const row of rows) sheet.addRow(row.map((v) => (v === undefined ? null : v)));
  if (options.footer !== false) {
    sheet.addRow([]);
    sheet.addRow([`Tổng số: ${rows.length} hồ sơ`]);
    sheet.addRow(['', '', '', '', '', '', '', 'Người lập biểu']);
    sheet.addRow(['', '', '', '', '', '', '', '(Ký, ghi rõ họ tên)']);
  }
  await workbook.xlsx.writeFile(path);
}

/** A date cell as Excel shows it: exceljs stores the Date's UTC fields as the shown wall-clock time. */
export function excelDate(y: number, m: number, d: number, h = 0, mi = 0): Date {
  return new Date(Date.UTC(y, m - 1, d, h, mi));
}

/** A dossier a test generated, with its times as stored ('yyyy-MM-dd HH:mm:ss') and its status word. */
export interface GeneratedDossier {
  unit: string;
  received: string;
  due?: string;
  ended?: string;
  status: string;
}

const pad2 = (n: number) => String(n).padStart(2, '0');
/** A Date's UTC fields as a stored wall-clock time, 'yyyy-MM-dd HH:mm:00'. */
export const storedTime = (d: Date) =>
  `${d.getUTCFullYear()}-${pad2(d.getUTCMonth() + 1)}-${pad2(d.getUTCDate())} ${pad2(d.getUTCHours())}:${pad2(d.getUTCMinutes())}:00`;
/** A stored time as an export writes it, 'dd/MM/yyyy HH:mm'. */
export const exportTime = (stored: string) => `${stored.slice(8, 10)}/${stored.slice(5, 7)}/${stored.slice(0, 4)} ${stored.slice(11, 16)}`;
