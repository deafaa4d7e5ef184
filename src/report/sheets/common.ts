import type ExcelJS from 'exceljs';
import type { Period } from '../../domain/periods.ts';
import type { ReportData } from '../data.ts';
import { planPrint, type PrintLayout, type PrintPlan } from '../excel/print.ts';
import { font, setupPage, titleRow, wrappedHeight } from '../excel/style.ts';
import { writeTable, type Column, type Line, type TableLayout } from '../excel/table.ts';
import { scopeLabel } from '../labels.ts';
import type { Targets } from '../targets.ts';
import type { Profile766 } from '../../domain/index-766.ts';

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
  /** How each sheet prints, by worksheet id (column breaks are written into the saved file). */
  prints: Map<number, PrintPlan>;
  /** Columns of the yearly and monthly tables: 'full', 'compact' or a list of column keys (flowColumns). */
  columns?: string[];
  /** The QĐ 766 profile of "Xếp hạng" (--profile-766); the shipped one when absent. */
  profile766?: Profile766;
}

/** Plans the printed pages of a sheet and keeps the plan for the column breaks. */
export function planSheet(
  ctx: SheetContext,
  ws: ExcelJS.Worksheet,
  layout: PrintLayout,
  onColumnBreaks?: (columnBreaks: number[]) => void,
): PrintPlan {
  const plan = planPrint(ws, layout, onColumnBreaks);
  ctx.prints.set(ws.id, plan);
  return plan;
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

/**
 * A sheet holding one table, with its title block, notes and print setup. The caller calls `print()` once it has
 * set its last row heights, or lets `writeTableSheet`'s callers that change nothing call it at once.
 */
export function writeTableSheet<T>(
  ctx: SheetContext,
  name: string,
  sheet: TableSheet<T>,
): { ws: ExcelJS.Worksheet; layout: TableLayout; print: () => PrintPlan } {
  const ws = ctx.workbook.addWorksheet(name);
  const width = sheet.columns.length;
  let row = 1;
  const fullWidthRows: number[] = [];
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
    ws.getRow(row).height = Math.max(left.split('\n').length, right.split('\n').length) * 15 + 4;
    row++;
  }
  if (sheet.preamble?.length) row++;
  fullWidthRows.push(row);
  titleRow(ws, row++, width, sheet.title, { size: 14 });
  const subtitles = sheet.subtitle ?? scopeLabel(ctx.data.period, ctx.data.filters);
  for (const line of Array.isArray(subtitles) ? subtitles : [subtitles]) {
    fullWidthRows.push(row);
    titleRow(ws, row++, width, line, { bold: false, italic: true });
  }
  if (sheet.unitLine) titleRow(ws, row, width, sheet.unitLine, { bold: false, italic: true, align: 'right' });
  const layout = writeTable(ws, { columns: sheet.columns, lines: sheet.lines, startRow: row + 1, numbered: sheet.numbered });
  const notes = sheet.notes ?? [];
  writeNotes(ws, layout.lastRow + 2, width, notes);
  setupPage(ws, {
    printTitleRows: [layout.headerFirstRow, layout.headerLastRow],
    freeze: { rows: layout.headerLastRow, columns: sheet.frozenColumns ?? 0 },
  });
  const print = () =>
    planSheet(ctx, ws, {
      headerRows: [layout.headerFirstRow, layout.headerLastRow],
      lines: layout.lines,
      labelColumns: sheet.frozenColumns ?? 0,
      groupStarts: layout.groupStarts,
      columnCount: width,
      lastRow: notes.length ? layout.lastRow + 1 + notes.length : layout.lastRow,
    }, ([cut]) => {
      // Titles and notes across the whole table would be cut between the printed parts: they span the first.
      for (const r of [...fullWidthRows, ...notes.map((_, i) => layout.lastRow + 2 + i)]) {
        ws.unMergeCells(r, 1, r, width);
        ws.mergeCells(r, 1, r, cut - 1);
      }
      writeNotes(ws, layout.lastRow + 2, cut - 1, notes);
    });
  return { ws, layout, print };
}

export function writeNotes(ws: ExcelJS.Worksheet, firstRow: number, width: number, notes: string[]): void {
  let total = 0;
  for (let c = 1; c <= width; c++) total += ws.getColumn(c).width ?? 10;
  notes.forEach((note, i) => {
    const row = firstRow + i;
    if (width > 1 && !ws.getCell(row, 1).isMerged) ws.mergeCells(row, 1, row, width);
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
  planSheet(ctx, ws, { columnCount: 1, lastRow: 2 });
}
