import type ExcelJS from 'exceljs';
import type { Period } from '../../domain/periods.ts';
import type { ReportData } from '../data.ts';
import { font, setupPage, titleRow, wrappedHeight } from '../excel/style.ts';
import { writeTable, type Column, type Line, type TableLayout } from '../excel/table.ts';
import { scopeLabel } from '../labels.ts';
import type { Targets } from '../targets.ts';

export interface SheetContext {
  workbook: ExcelJS.Workbook;
  data: ReportData;
  /** Periods of the per-unit table; the report's period when none were given. */
  compare: Period[];
  targets: Targets;
  /** Path of the workbook without ".xlsx": charts are written beside it as `<base>-<chart>.png/.svg`. */
  chartBase: string;
  /** Files written besides the workbook. */
  files: string[];
}

export interface SheetWriter {
  slug: string;
  name: string;
  write(ctx: SheetContext): Promise<void>;
}

export interface TableSheet<T> {
  title: string;
  /** Lines under the title; default: the report's period and filters. */
  subtitle?: string | string[];
  /** A right-aligned line just above the table ("Đơn vị tính: …"). */
  unitLine?: string;
  columns: Column<T>[];
  lines: Line<T>[];
  /** Label columns on the left kept in view when scrolling sideways. */
  frozenColumns?: number;
  numbered?: boolean;
  /** Lines under the table (notes, sources). */
  notes?: string[];
  /** Lines above the title (form code and the like); each [left, right]. */
  preamble?: Array<[string, string]>;
}

/** A sheet holding one table, with its title block, notes and print setup. */
export function writeTableSheet<T>(ctx: SheetContext, name: string, sheet: TableSheet<T>): { ws: ExcelJS.Worksheet; layout: TableLayout } {
  const ws = ctx.workbook.addWorksheet(name);
  const width = sheet.columns.length;
  let row = 1;
  for (const [left, right] of sheet.preamble ?? []) {
    const half = Math.max(1, Math.floor(width / 2));
    ws.mergeCells(row, 1, row, half);
    ws.mergeCells(row, half + 1, row, width);
    const l = ws.getCell(row, 1);
    l.value = left;
    l.font = font({ bold: true, size: 11 });
    l.alignment = { horizontal: 'center', vertical: 'middle', wrapText: true };
    const r = ws.getCell(row, half + 1);
    r.value = right;
    r.font = font({ size: 11, italic: true });
    r.alignment = { horizontal: 'center', vertical: 'middle', wrapText: true };
    row++;
  }
  if (sheet.preamble?.length) row++;
  titleRow(ws, row++, width, sheet.title, { size: 14 });
  const subtitles = sheet.subtitle ?? scopeLabel(ctx.data.period, ctx.data.filters);
  for (const line of Array.isArray(subtitles) ? subtitles : [subtitles]) {
    titleRow(ws, row++, width, line, { bold: false, italic: true });
  }
  if (sheet.unitLine) titleRow(ws, row, width, sheet.unitLine, { bold: false, italic: true, align: 'right' });
  const layout = writeTable(ws, { columns: sheet.columns, lines: sheet.lines, startRow: row + 1, numbered: sheet.numbered });
  writeNotes(ws, layout.lastRow + 2, width, sheet.notes ?? []);
  setupPage(ws, {
    printTitleRows: [layout.headerFirstRow, layout.headerLastRow],
    freeze: { rows: layout.headerLastRow, columns: sheet.frozenColumns ?? 0 },
  });
  return { ws, layout };
}

export function writeNotes(ws: ExcelJS.Worksheet, firstRow: number, width: number, notes: string[]): void {
  let total = 0;
  for (let c = 1; c <= width; c++) total += ws.getColumn(c).width ?? 10;
  notes.forEach((note, i) => {
    const row = firstRow + i;
    if (width > 1) ws.mergeCells(row, 1, row, width);
    const cell = ws.getCell(row, 1);
    cell.value = note;
    cell.font = font({ italic: true, size: 11 });
    cell.alignment = { wrapText: true, vertical: 'top', horizontal: 'left' };
    ws.getRow(row).height = wrappedHeight(note, total, 15);
  });
}

/** A sheet that says why it is empty, so a selected sheet is never silently missing. */
export function writeEmptySheet(ctx: SheetContext, name: string, title: string, message: string): void {
  const ws = ctx.workbook.addWorksheet(name);
  ws.getColumn(1).width = 100;
  titleRow(ws, 1, 1, title, { size: 14 });
  titleRow(ws, 2, 1, message, { bold: false, italic: true, align: 'left' });
  setupPage(ws);
}
