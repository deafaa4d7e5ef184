import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import type { Db } from '../../src/db/connection.ts';
import { importFiles } from '../../src/import/index.ts';
import { importProcedures } from '../../src/import/catalogues.ts';

// A small district written by hand: a district office and two communes over 2021–2022, with one dossier for each
// case the tables must place (carried over from 2020, ended on the due day, late, liên thông, rejected, Bảo hiểm
// xã hội, postal and still pending past its due day, withdrawn, no due date, pending at the year's end).
// The expected figures in the tests are worked out from this list.

const HEADER = 'Mã hồ sơ,Đơn vị tiếp nhận,Tên thủ tục,Lĩnh vực,Hình thức nộp,Ngày tiếp nhận,Ngày hẹn trả,Ngày kết thúc xử lý,Ngày trả kết quả,Trạng thái';
export const H = 'UBND huyện Hạ Hoà';
export const X1 = 'UBND xã Ấm Hạ';
export const X2 = 'UBND xã Gia Điền';

const ROWS = [
  ['H-1', H, 'Cấp giấy chứng nhận QSDĐ', 'Đất đai', 'Trực tiếp', '10/12/2020 08:00', '05/01/2021 17:00', '04/01/2021 10:00', '04/01/2021 15:00', 'Đã trả kết quả'],
  ['H-2', H, 'Đăng ký biến động đất đai', 'Đất đai', 'Trực tuyến', '15/01/2021 09:00', '20/01/2021 17:00', '20/01/2021 16:00', '', 'Đã xử lý xong'],
  ['H-3', H, 'Đăng ký khai sinh có yếu tố nước ngoài', 'Hộ tịch', 'Trực tuyến', '03/02/2021 09:00', '10/02/2021 17:00', '12/02/2021 09:00', '12/02/2021 10:00', 'Đã trả kết quả'],
  ['H-4', H, 'Đăng ký kết hôn có yếu tố nước ngoài', 'Hộ tịch', 'Liên thông', '20/12/2021 09:00', '10/01/2022 17:00', '05/01/2022 09:00', '05/01/2022 10:00', 'Đã trả kết quả'],
  ['H-5', H, 'Cấp giấy chứng nhận QSDĐ', 'Đất đai', 'Trực tiếp', '01/03/2022 09:00', '10/03/2022 17:00', '05/03/2022 09:00', '', 'Từ chối'],
  ['H-6', H, 'Cấp sổ BHXH', 'Bảo hiểm xã hội', 'Trực tuyến', '10/03/2022 09:00', '15/03/2022 17:00', '14/03/2022 09:00', '14/03/2022 10:00', 'Đã trả kết quả'],
  ['H-7', H, 'Đăng ký biến động đất đai', 'Đất đai', 'Bưu chính', '20/11/2022 09:00', '01/12/2022 17:00', '', '', 'Đang xử lý'],
  ['X1-1', X1, 'Đăng ký khai sinh', 'Hộ tịch', 'Trực tiếp', '05/01/2021 08:00', '06/01/2021 17:00', '05/01/2021 15:00', '05/01/2021 16:00', 'Đã trả kết quả'],
  ['X1-2', X1, 'Đăng ký kết hôn', 'Hộ tịch', 'Trực tuyến', '10/06/2021 08:00', '15/06/2021 17:00', '12/06/2021 09:00', '', 'Công dân rút hồ sơ'],
  ['X1-3', X1, 'Đăng ký khai tử', 'Hộ tịch', 'Trực tuyến', '10/07/2022 08:00', '20/07/2022 17:00', '20/07/2022 11:00', '', 'Đã xử lý xong'],
  ['X2-1', X2, 'Chứng thực hợp đồng đất đai', 'Đất đai', 'Trực tiếp', '01/08/2022 08:00', '', '02/08/2022 09:00', '02/08/2022 10:00', 'Đã trả kết quả'],
  ['X2-2', X2, 'Đăng ký khai sinh', 'Hộ tịch', 'Trực tuyến', '30/12/2022 08:00', '10/01/2023 17:00', '', '', 'Đang xử lý'],
];

export const PERIOD = { from: '2021-01-01', to: '2022-12-31' };

/** Writes the dossiers (and, when asked, a procedure catalogue) into a folder and imports them. */
export async function importFixture(db: Db, dir: string, options: { procedures?: boolean } = {}): Promise<void> {
  const file = join(dir, 'ho-so.csv');
  writeFileSync(file, [HEADER, ...ROWS.map((r) => r.join(','))].join('\n') + '\n');
  await importFiles(db, [file]);
  if (options.procedures) {
    const catalogue = join(dir, 'thu-tuc.csv');
    writeFileSync(
      catalogue,
      [
        'Mã thủ tục,Tên thủ tục,Lĩnh vực,Mức độ,Cấp thực hiện',
        'T1,Cấp giấy chứng nhận QSDĐ,Đất đai,Mức độ 2,Cấp huyện',
        'T2,Đăng ký biến động đất đai,Đất đai,2,Cấp huyện',
        'T3,Đăng ký khai sinh có yếu tố nước ngoài,Hộ tịch,3,Cấp huyện',
        'T4,Đăng ký kết hôn có yếu tố nước ngoài,Hộ tịch,Toàn trình,Cấp huyện',
        'T5,Đăng ký khai sinh,Hộ tịch,Mức độ 2,Cấp xã',
        'T6,Đăng ký khai tử,Hộ tịch,4,Cấp xã',
      ].join('\n') + '\n',
    );
    await importProcedures(db, catalogue);
  }
}

// Reading a workbook back.

export async function readWorkbook(path: string): Promise<ExcelJS.Workbook> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.readFile(path);
  return workbook;
}

export function sheet(workbook: ExcelJS.Workbook, name: string): ExcelJS.Worksheet {
  const ws = workbook.getWorksheet(name);
  if (!ws) throw new Error(`no sheet ${name}: ${workbook.worksheets.map((w) => w.name).join(', ')}`);
  return ws;
}

/** A cell's number: its value, or the cached result of its formula; '' and empty give null. */
export function num(cell: ExcelJS.Cell): number | null {
  const v = cell.value as any;
  // cell.value drops a cached result of 0 (exceljs copies only truthy parts); cell.result keeps it.
  const x = v !== null && typeof v === 'object' && 'formula' in v ? cell.result : v;
  if (x === '' || x === null || x === undefined) return null;
  if (typeof x !== 'number') throw new Error(`${cell.address} holds ${JSON.stringify(v)}, not a number`);
  return x;
}

export function formulaOf(cell: ExcelJS.Cell): string | undefined {
  const v = cell.value as any;
  return v !== null && typeof v === 'object' && 'formula' in v ? v.formula : undefined;
}

export function text(cell: ExcelJS.Cell): string {
  const v = cell.value as any;
  if (v === null || v === undefined) return '';
  if (typeof v === 'object' && 'formula' in v) return String(cell.result ?? '');
  if (typeof v === 'object' && 'richText' in v) return v.richText.map((r: any) => r.text).join('');
  return String(v);
}

/** The first row whose cell in `column` reads `value`. */
export function findRow(ws: ExcelJS.Worksheet, column: number, value: string, after = 0): number {
  for (let r = after + 1; r <= ws.rowCount; r++) if (text(ws.getCell(r, column)) === value) return r;
  throw new Error(`"${value}" not found in column ${column} of ${ws.name}`);
}

/** Column numbers by header path ("upper / lower"), reading `depth` header rows from `top`. */
export function headerColumns(ws: ExcelJS.Worksheet, top: number, depth: number): Map<string, number> {
  const out = new Map<string, number>();
  for (let c = 1; c <= ws.columnCount; c++) {
    const parts: string[] = [];
    for (let r = top; r < top + depth; r++) {
      const t = text(ws.getCell(r, c));
      if (t && parts[parts.length - 1] !== t) parts.push(t);
    }
    out.set(parts.join(' / '), c);
  }
  return out;
}

/**
 * Evaluates the formulas this report writes that add cells up (SUM of ranges, a+b+c, a single reference) from
 * the other cells' values, so a test can check that a formula and its cached result agree.
 */
export function evaluateSum(ws: ExcelJS.Worksheet, formula: string): number {
  const valueAt = (ref: string) => num(ws.getCell(ref)) ?? 0;
  const sum = /^SUM\((.*)\)$/.exec(formula);
  const terms = sum ? sum[1].split(',') : formula.split('+');
  let total = 0;
  for (const term of terms) {
    const range = /^([A-Z]+)(\d+):([A-Z]+)(\d+)$/.exec(term);
    if (range) {
      for (let r = Number(range[2]); r <= Number(range[4]); r++) total += valueAt(`${range[1]}${r}`);
    } else if (/^[A-Z]+\d+$/.test(term)) {
      total += valueAt(term);
    } else {
      throw new Error(`cannot evaluate ${formula}`);
    }
  }
  return total;
}
