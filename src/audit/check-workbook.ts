import ExcelJS from 'exceljs';
import type { DatabaseComparison } from './check.ts';
import { scopeLabel, showValue, type PublishedFigure, type UnreadRow } from './published.ts';
import { figureLabel, type SelfFinding } from './self-check.ts';

// The workbook of `tthc check --out`: the published table again, one row per figure, its value cell filled red
// and carrying a note (an Excel comment) where the check found it wrong, and a second sheet listing every finding.

const WRONG_FILL: ExcelJS.Fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFFFC7CE' } };
const HEADER_FILL: ExcelJS.Fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFD9E1F2' } };
/** The value column of the first sheet (1-based), where wrong cells are marked. */
export const VALUE_COLUMN = 5;

const percent = (f: PublishedFigure) => f.figure.kind !== 'count';
const shown = (f: PublishedFigure, value: number) => showValue(value, percent(f), f.figure.kind === 'count' ? 0 : f.decimals + 2);

export interface CheckReport {
  figures: PublishedFigure[];
  unread: UnreadRow[];
  self?: SelfFinding[];
  database?: DatabaseComparison[];
}

/** One note per published figure found wrong, by the figure: what the check says about it. */
export function notesByFigure(report: CheckReport): Map<PublishedFigure, string[]> {
  const notes = new Map<PublishedFigure, string[]>();
  const add = (f: PublishedFigure, note: string) => notes.set(f, [...(notes.get(f) ?? []), note]);
  for (const finding of report.self ?? []) add(finding.figure, finding.message);
  for (const c of report.database ?? []) {
    if (c.agrees) continue;
    add(
      c.figure,
      c.recomputed === undefined
        ? `không tính lại được: ${c.problem}`
        : `tính lại từ dữ liệu: ${shown(c.figure, c.recomputed)} (công bố ${c.figure.valueText}). Xem hồ sơ: ${c.commands.join(' ; ')}`,
    );
  }
  return notes;
}

export async function writeCheckWorkbook(path: string, report: CheckReport): Promise<void> {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet('Số liệu công bố');
  const withDb = report.database !== undefined;
  const headers = ['Dòng', 'Kỳ', 'Cấp / đơn vị', 'Chỉ tiêu', 'Giá trị công bố', ...(withDb ? ['Tính lại', 'Chênh lệch'] : []), 'Kết quả'];
  sheet.addRow(headers);
  sheet.getRow(1).font = { bold: true };
  sheet.getRow(1).eachCell((cell) => (cell.fill = HEADER_FILL));
  const notes = notesByFigure(report);
  const comparisons = new Map((report.database ?? []).map((c) => [c.figure, c]));
  for (const f of report.figures) {
    const c = comparisons.get(f);
    const wrong = notes.get(f);
    const row = sheet.addRow([
      f.sheet ? `${f.sheet}!${f.rowNumber}` : f.rowNumber, f.periodText, f.scopeText || scopeLabel(f.scope), f.figureText, f.valueText,
      ...(withDb ? [c?.recomputed === undefined ? '' : shown(f, c.recomputed), c?.difference === undefined ? '' : shown(f, c.difference)] : []),
      wrong ? 'sai' : 'khớp',
    ]);
    if (wrong) {
      const cell = row.getCell(VALUE_COLUMN);
      cell.fill = WRONG_FILL;
      cell.note = wrong.join('\n');
    }
  }
  sheet.columns.forEach((column, i) => (column.width = [8, 24, 16, 40, 16, 14, 14, 8][withDb ? i : i < 5 ? i : 7]));

  const list = workbook.addWorksheet('Kết quả kiểm tra');
  list.addRow(['Dòng', 'Kỳ', 'Cấp / đơn vị', 'Chỉ tiêu', 'Giá trị công bố', 'Nhận xét']);
  list.getRow(1).font = { bold: true };
  for (const [f, lines] of notes) {
    for (const line of lines) list.addRow([f.rowNumber, f.periodText, scopeLabel(f.scope), figureLabel(f.figure), f.valueText, line]);
  }
  for (const u of report.unread) list.addRow([u.rowNumber, '', '', '', '', `không đọc được dòng: ${u.reason}`]);
  list.columns.forEach((column, i) => (column.width = [8, 24, 16, 40, 16, 100][i]));
  await workbook.xlsx.writeFile(path);
}
