import type ExcelJS from 'exceljs';
import { formatCount } from '../../domain/numbers.ts';
import { LINE_HEIGHT, type LineRole } from './print.ts';
import { COUNT_FORMAT, POINTS_FORMAT, RATE2_FORMAT, RATE_FORMAT, THIN_BORDER, font, textLines } from './style.ts';

// One writer for every table of the report: multi-level merged headers, figures stored as numbers, row formulas
// (a total of its parts, a share) and subtotal/total lines as SUM formulas, each with the figure of the
// statistics cached as its result, so a workbook opened anywhere shows the numbers before any recalculation.

export type CellKind = 'text' | 'count' | 'rate' | 'rate2' | 'points';
/** How a subtotal adds up its lines: disjoint groups add; a run of months takes the first carried-over and the last pending. */
export type Aggregate = 'sum' | 'first' | 'last';

export interface Column<T> {
  key: string;
  /** Header path from the top header row down; adjacent columns sharing a prefix share merged upper cells. */
  header: string[];
  kind: CellKind;
  /** The figure of a line (and the cached result of a formula cell). Absent for label columns. */
  value?: (data: T) => number | string | null;
  /** A formula over other cells of the same row; `ref(key)` is the address of that column's cell. */
  formula?: (ref: (key: string) => string) => string;
  aggregate?: Aggregate;
  minWidth?: number;
  maxWidth?: number;
  /** Label columns: where the text sits (default: left for text, centred for numbers). */
  align?: 'left' | 'center';
}

export interface Line<T> {
  kind: 'data' | 'subtotal' | 'total' | 'heading';
  /** Texts of the label columns, by column key. */
  labels?: Record<string, string | number>;
  data?: T;
  /** The lines a subtotal or total adds up. */
  children?: Line<T>[];
}

export interface TableSpec<T> {
  columns: Column<T>[];
  lines: Line<T>[];
  /** First header row. */
  startRow: number;
  /** Adds the row (1), (2), … under the header, as official forms number their columns. */
  numbered?: boolean;
}

export interface TableLayout {
  headerFirstRow: number;
  headerLastRow: number;
  firstLineRow: number;
  lastRow: number;
  columnCount: number;
  /** Each line's row and how it stands to its neighbours, for the page breaks. */
  lines: Array<{ row: number; role: LineRole }>;
  /** Columns (1-based) that begin a group of the top header row: where a printed part may start. */
  groupStarts: number[];
}

/** A formula naming a column the table does not have (a compact layout left it out): the figure is written instead. */
class MissingColumn extends Error {}

const numberFormat: Record<CellKind, string | undefined> = {
  text: undefined,
  count: COUNT_FORMAT,
  rate: RATE_FORMAT,
  rate2: RATE2_FORMAT,
  points: POINTS_FORMAT,
};

export function writeTable<T>(ws: ExcelJS.Worksheet, spec: TableSpec<T>): TableLayout {
  const { columns, lines } = spec;
  const depth = Math.max(...columns.map((c) => c.header.length));
  const headerFirstRow = spec.startRow;
  const headerLastRow = headerFirstRow + depth - 1 + (spec.numbered ? 1 : 0);
  const firstLineRow = headerLastRow + 1;
  const columnIndex = new Map(columns.map((c, i) => [c.key, i + 1]));
  const letter = (key: string) => {
    const index = columnIndex.get(key);
    if (!index) throw new MissingColumn(`unknown column ${key}`);
    return ws.getColumn(index).letter;
  };
  const rowOf = new Map<Line<T>, number>(lines.map((line, i) => [line, firstLineRow + i]));

  writeHeader(ws, columns, headerFirstRow, depth);
  if (spec.numbered) {
    const row = headerFirstRow + depth;
    columns.forEach((_, i) => {
      const cell = ws.getCell(row, i + 1);
      cell.value = `(${i + 1})`;
      cell.font = font({ italic: true, size: 11 });
      cell.alignment = { horizontal: 'center', vertical: 'middle' };
      cell.border = THIN_BORDER;
    });
  }

  const widths = columns.map((c) => headerWidth(c));
  lines.forEach((line) => {
    const r = rowOf.get(line)!;
    const ref = (key: string) => `${letter(key)}${r}`;
    const bold = line.kind !== 'data';
    columns.forEach((column, i) => {
      const cell = ws.getCell(r, i + 1);
      cell.border = THIN_BORDER;
      cell.font = font({ bold });
      const format = numberFormat[column.kind];
      if (format) cell.numFmt = format;
      if (!column.value) {
        const text = line.labels?.[column.key];
        cell.value = text ?? null;
        cell.alignment = { vertical: 'middle', wrapText: true, horizontal: column.align ?? (typeof text === 'number' ? 'center' : 'left') };
        // Times New Roman 12 runs a little wider than the width unit (a digit of the default font).
        if (text !== undefined) widths[i] = Math.max(widths[i], Math.ceil(String(text).length * 1.1) + 2);
        return;
      }
      cell.alignment = { vertical: 'middle', horizontal: column.kind === 'text' ? 'center' : 'right' };
      if (line.kind === 'heading' || line.data === undefined) return;
      const result = column.value(line.data);
      widths[i] = Math.max(widths[i], displayWidth(column.kind, result));
      const formula = column.formula ? formulaOrNothing(() => column.formula!(ref)) : undefined;
      if (formula) {
        cell.value = { formula, result: result ?? '' };
      } else if (column.formula) {
        cell.value = result;
      } else if (line.kind === 'data' || !line.children?.length) {
        cell.value = result;
      } else {
        const rows = line.children.map((child) => rowOf.get(child)!);
        cell.value = { formula: aggregateFormula(letter(column.key), rows, column.aggregate ?? 'sum'), result: result ?? '' };
      }
    });
  });

  columns.forEach((column, i) => {
    const width = Math.min(column.maxWidth ?? 60, Math.max(column.minWidth ?? 6, widths[i]));
    // exceljs leaves out a column of width 9 (its default), and Excel's default is narrower.
    ws.getColumn(i + 1).width = width === 9 ? 9.5 : width;
  });
  fitHeaderHeights(ws, columns, headerFirstRow, depth);
  // Every line gets its height, so that the page breaks planned from the heights are where they print.
  lines.forEach((line) => {
    let count = 1;
    columns.forEach((column, i) => {
      const text = column.value ? undefined : line.labels?.[column.key];
      if (text !== undefined) count = Math.max(count, textLines(String(text), ws.getColumn(i + 1).width ?? 10));
    });
    ws.getRow(rowOf.get(line)!).height = count === 1 ? LINE_HEIGHT : count * 15 + 3;
  });
  const roles = lines.map((line) => ({ row: rowOf.get(line)!, role: roleOf(line, rowOf) }));
  const groupStarts = columns.flatMap((c, i) => (i > 0 && c.header[0] !== columns[i - 1].header[0] ? [i + 1] : []));
  return {
    headerFirstRow,
    headerLastRow,
    firstLineRow,
    lastRow: firstLineRow + lines.length - 1,
    columnCount: columns.length,
    lines: roles,
    groupStarts,
  };
}

function roleOf<T>(line: Line<T>, rowOf: Map<Line<T>, number>): LineRole {
  if (line.kind === 'heading') return 'lead';
  if (line.kind === 'data') return 'data';
  const own = rowOf.get(line)!;
  const first = line.children?.length ? Math.min(...line.children.map((c) => rowOf.get(c)!)) : own - 1;
  return first > own ? 'lead' : 'close';
}

function formulaOrNothing(make: () => string): string | undefined {
  try {
    return make();
  } catch (error) {
    if (error instanceof MissingColumn) return undefined;
    throw error;
  }
}

/** One cell of a header row: the columns it spans, its text, and whether it is a leaf (spanning the rows below). */
export type HeaderCell = { first: number; last: number; text: string; leaf: boolean } | { covered: number };

/**
 * The cells of header row `level`, left to right: columns whose header paths agree down to this level share one
 * cell, and leaves never merge sideways (two "Tỷ lệ" columns stay two). A column whose path ended above this level
 * is covered by its leaf spanning down. The workbook and the Word report draw their headers from this.
 */
export function headerCells(columns: ReadonlyArray<{ header: string[] }>, level: number): HeaderCell[] {
  const cells: HeaderCell[] = [];
  let i = 0;
  while (i < columns.length) {
    const path = columns[i].header;
    if (path.length <= level) {
      cells.push({ covered: i });
      i++;
      continue;
    }
    let j = i;
    while (
      j + 1 < columns.length &&
      path.length > level + 1 &&
      columns[j + 1].header.length > level + 1 &&
      samePrefix(columns[j + 1].header, path, level + 1)
    ) {
      j++;
    }
    cells.push({ first: i, last: j, text: path[level], leaf: path.length === level + 1 });
    i = j + 1;
  }
  return cells;
}

function writeHeader<T>(ws: ExcelJS.Worksheet, columns: Column<T>[], top: number, depth: number): void {
  for (let level = 0; level < depth; level++) {
    for (const header of headerCells(columns, level)) {
      if ('covered' in header) continue;
      const row = top + level;
      const bottom = header.leaf ? top + depth - 1 : row;
      if (header.last > header.first || bottom > row) ws.mergeCells(row, header.first + 1, bottom, header.last + 1);
      ws.getCell(row, header.first + 1).value = header.text;
      for (let r = row; r <= bottom; r++) {
        for (let c = header.first; c <= header.last; c++) {
          const part = ws.getCell(r, c + 1);
          part.font = font({ bold: true });
          part.alignment = { horizontal: 'center', vertical: 'middle', wrapText: true };
          part.border = THIN_BORDER;
        }
      }
    }
  }
}

function samePrefix(a: string[], b: string[], length: number): boolean {
  for (let k = 0; k < length; k++) if (a[k] !== b[k]) return false;
  return true;
}

function aggregateFormula(col: string, rows: number[], aggregate: Aggregate): string {
  const sorted = [...rows].sort((a, b) => a - b);
  if (aggregate === 'first') return `${col}${sorted[0]}`;
  if (aggregate === 'last') return `${col}${sorted[sorted.length - 1]}`;
  const ranges: string[] = [];
  let start = sorted[0];
  let prev = sorted[0];
  for (const r of [...sorted.slice(1), Number.NaN]) {
    if (r === prev + 1) {
      prev = r;
      continue;
    }
    ranges.push(start === prev ? `${col}${start}` : `${col}${start}:${col}${prev}`);
    start = prev = r;
  }
  return `SUM(${ranges.join(',')})`;
}

function headerWidth<T>(column: Column<T>): number {
  const text = column.header[column.header.length - 1];
  const longestWord = Math.max(...text.split(/\s+/).map((w) => w.length));
  // Headers wrap: wide enough for the longest word, and for the text on at most three lines.
  return Math.max(longestWord + 2, Math.ceil(text.length / 3) + 2);
}

function displayWidth(kind: CellKind, value: number | string | null): number {
  if (value === null) return 0;
  if (typeof value === 'string') return value.length + 2;
  if (kind === 'count') return formatCount(value).length + 3;
  return 10;
}

function fitHeaderHeights<T>(ws: ExcelJS.Worksheet, columns: Column<T>[], top: number, depth: number): void {
  const width = (i: number) => ws.getColumn(i + 1).width ?? 10;
  for (let level = 0; level < depth; level++) {
    let height = 18;
    for (const header of headerCells(columns, level)) {
      if ('covered' in header) continue;
      if (header.leaf) {
        // A leaf spans the header rows below it: its lines share their height.
        height = Math.max(height, (textLines(header.text, width(header.first)) * 15 + 6) / (depth - level));
        continue;
      }
      // A group cell wraps within the columns it spans.
      let span = 0;
      for (let k = header.first; k <= header.last; k++) span += width(k);
      height = Math.max(height, textLines(header.text, span) * 15 + 6);
    }
    ws.getRow(top + level).height = height;
  }
}
