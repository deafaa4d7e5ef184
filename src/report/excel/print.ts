import type ExcelJS from 'exceljs';

// How a sheet falls onto printed A4 landscape pages, decided here rather than left to "fit to one page wide":
// that shrinks a 24-column table to about 7 pt. The sheet is printed at a fixed scale no smaller than
// MIN_SCALE (the smallest font, 11 pt, stays at 9 pt or more); a table wider than the page at that scale is cut
// between its column groups, each part repeating the row labels; rows are cut by manual page breaks chosen so
// that a total or subtotal line never starts or ends a page cut off from the lines it adds up.

/** A4 landscape in points, less the margins setupPage sets (left/right 0.5 in, top 0.6 in, bottom 0.7 in). */
export const PAGE = { width: 841.9 - 72, height: 595.3 - 43.2 - 50.4 };
/** What the estimates of widths and heights may be off by: LibreOffice and Excel measure a little differently. */
const SAFETY = 0.94;
/** The smallest font in a sheet (notes, column numbers) is 11 pt; printed at 9 pt or more. */
export const SMALLEST_FONT = 11;
export const MIN_PRINTED_FONT = 9;
export const MIN_SCALE = Math.ceil((MIN_PRINTED_FONT / SMALLEST_FONT) * 100) / 100;

/** Height of a table line without wrapped text (Times New Roman 12 pt). */
export const LINE_HEIGHT = 16;
const BLANK_ROW_HEIGHT = 12;

/** The width of a column in points, from Excel's width in characters of the default font (7 px each, 5 px padding). */
export function columnPoints(width: number | undefined): number {
  return ((width ?? 9) * 7 + 5) * 0.75;
}

/** How a line of a table stands to the lines around it, for the page breaks. */
export type LineRole =
  /** An ordinary line. */
  | 'data'
  /** A heading or subtotal printed above the lines it heads: never the last line of a page. */
  | 'lead'
  /** A total printed below the lines it adds up: never the first line of a page. */
  | 'close';

export interface PrintLayout {
  /** The table's header rows, repeated at the top of every page. */
  headerRows?: [number, number];
  /** The table's lines: first row and role of each, in order. */
  lines?: Array<{ row: number; role: LineRole }>;
  /** Label columns on the left, repeated on each part when the columns are cut. */
  labelColumns?: number;
  /** Columns where a part may start (first columns of header groups); default: any column after the labels. */
  groupStarts?: number[];
  columnCount: number;
  /** Last row to print. */
  lastRow: number;
  /** Rows where a page must start (the sheet's own breaks, e.g. one chart per page). */
  forcedBreaks?: number[];
}

export interface PrintPlan {
  /** Percent, as Excel's scale. */
  scale: number;
  /** First column of each part after the first (1-based). */
  columnBreaks: number[];
  /** First row of each page after the first (1-based). */
  rowBreaks: number[];
  /** Pages the sheet prints on (parts × pages of rows). */
  pages: number;
}

/** Decides scale and breaks, sets them on the sheet's page setup; column breaks are written by addColumnBreaks. */
export function planPrint(
  ws: ExcelJS.Worksheet,
  layout: PrintLayout,
  /** Called once the columns are cut, before rows are measured: titles and notes may narrow to the first part. */
  onColumnBreaks?: (columnBreaks: number[]) => void,
): PrintPlan {
  const labels = layout.labelColumns ?? 0;
  const widthOf = (from: number, to: number) => {
    let w = 0;
    for (let c = from; c <= to; c++) w += columnPoints(ws.getColumn(c).width);
    return w;
  };
  const heightOf = (from: number, to: number) => {
    let h = 0;
    for (let r = from; r <= to; r++) h += ws.getRow(r).height ?? LINE_HEIGHT;
    return h;
  };

  const pageWidth = PAGE.width * SAFETY;
  const pageHeight = PAGE.height * SAFETY;
  const total = widthOf(1, layout.columnCount);
  const columnBreaks: number[] = [];
  let widest = total;
  if (total * MIN_SCALE > pageWidth && labels < layout.columnCount) {
    // Parts of whole column groups, packed greedily, each behind the repeated label columns.
    const labelWidth = widthOf(1, labels);
    const room = pageWidth - labelWidth * MIN_SCALE;
    const starts = new Set(layout.groupStarts ?? []);
    let start = labels + 1;
    let lastStart = start;
    widest = 0;
    for (let c = labels + 1; c <= layout.columnCount; c++) {
      const isStart = starts.size === 0 || starts.has(c);
      if (isStart) lastStart = c;
      if (c > start && widthOf(start, c) * MIN_SCALE > room) {
        // Cut at the last group start inside the part, else (a group wider than a page) at this column.
        const cut = lastStart > start ? lastStart : c;
        columnBreaks.push(cut);
        widest = Math.max(widest, labelWidth + widthOf(start, cut - 1));
        start = cut;
      }
    }
    widest = Math.max(widest, labelWidth + widthOf(start, layout.columnCount));
  }
  if (columnBreaks.length) onColumnBreaks?.(columnBreaks);
  for (let r = 1; r <= layout.lastRow; r++) {
    const row = ws.getRow(r);
    if (row.height === undefined) row.height = row.hasValues ? LINE_HEIGHT : BLANK_ROW_HEIGHT;
  }
  const widthScale = Math.min(1, pageWidth / widest);
  // A sheet a little taller than a page is shrunk onto one page when the font stays large enough.
  const tallScale = pageHeight / heightOf(1, layout.lastRow);
  let scale = Math.max(MIN_SCALE, widthScale);
  if (columnBreaks.length === 0 && !layout.forcedBreaks?.length && tallScale < scale && tallScale >= MIN_SCALE) scale = tallScale;
  scale = Math.floor(scale * 100) / 100;

  const rowBreaks = rowPageBreaks(ws, layout, pageHeight / scale, heightOf);
  ws.pageSetup = {
    ...ws.pageSetup,
    fitToPage: false,
    scale: Math.round(scale * 100),
    pageOrder: 'downThenOver',
  };
  delete (ws.pageSetup as Partial<ExcelJS.PageSetup>).fitToWidth;
  delete (ws.pageSetup as Partial<ExcelJS.PageSetup>).fitToHeight;
  if (columnBreaks.length && labels > 0) {
    ws.pageSetup.printTitlesColumn = `A:${ws.getColumn(labels).letter}`;
  }
  // Across every column (16384 of them; exceljs would otherwise write max="16838", past the last).
  for (const r of rowBreaks) ws.getRow(r - 1).addPageBreak(0, 16384);
  return { scale: Math.round(scale * 100), columnBreaks, rowBreaks, pages: (columnBreaks.length + 1) * (rowBreaks.length + 1) };
}

function rowPageBreaks(
  ws: ExcelJS.Worksheet,
  layout: PrintLayout,
  room: number,
  heightOf: (from: number, to: number) => number,
): number[] {
  const header = layout.headerRows ? heightOf(layout.headerRows[0], layout.headerRows[1]) : 0;
  const roleOf = new Map((layout.lines ?? []).map((l) => [l.row, l.role]));
  const firstLine = layout.lines?.[0]?.row ?? Number.POSITIVE_INFINITY;
  const forced = new Set(layout.forcedBreaks ?? []);
  const breaks: number[] = [];
  let used = 0;
  let pageStart = 1;
  for (let r = 1; r <= layout.lastRow; r++) {
    const h = ws.getRow(r).height ?? LINE_HEIGHT;
    const repeats = pageStart > 1 && layout.headerRows && pageStart > layout.headerRows[1] ? header : 0;
    if (forced.has(r) && r > pageStart) {
      breaks.push(r);
      pageStart = r;
      used = h;
      continue;
    }
    if (used + h + repeats <= room || r === pageStart) {
      used += h;
      continue;
    }
    let cut = r;
    // A total is not the first line of a page: two lines it adds up go over with it.
    if (roleOf.get(cut) === 'close') {
      let back = cut;
      for (let k = 0; k < 2 && back - 1 > pageStart && back - 1 >= firstLine && roleOf.has(back - 1); k++) back--;
      cut = back;
    }
    // A heading or subtotal is not the last line of a page.
    while (cut - 1 > pageStart && roleOf.get(cut - 1) === 'lead') cut--;
    // Nor is the header of the table without a line under it.
    if (layout.headerRows && cut > layout.headerRows[0] && cut <= firstLine) cut = layout.headerRows[0];
    if (cut <= pageStart) cut = r;
    breaks.push(cut);
    pageStart = cut;
    used = heightOf(cut, r);
  }
  return breaks;
}

/**
 * Writes the column breaks of the plans into the saved workbook (exceljs writes row breaks only): a
 * `<colBreaks>` element after `<rowBreaks>` in each sheet's XML, where the schema puts it.
 */
export async function addColumnBreaks(xlsx: Buffer, breaks: Map<number, number[]>): Promise<Buffer> {
  if (![...breaks.values()].some((b) => b.length)) return xlsx;
  const { default: JSZip } = await import('jszip');
  const zip = await JSZip.loadAsync(xlsx);
  for (const [sheetNumber, columns] of breaks) {
    if (!columns.length) continue;
    const name = `xl/worksheets/sheet${sheetNumber}.xml`;
    const file = zip.file(name);
    if (!file) throw new Error(`${name} missing from the workbook`);
    let xml = await file.async('string');
    // Excel counts a column break by the column before which the page ends, 0-based: the part starting at
    // column c (1-based) is a break with id c - 1.
    const element =
      `<colBreaks count="${columns.length}" manualBreakCount="${columns.length}">` +
      columns.map((c) => `<brk id="${c - 1}" max="1048575" man="1"/>`).join('') +
      '</colBreaks>';
    const after = /<\/rowBreaks>|<rowBreaks[^>]*\/>/.exec(xml);
    if (after) {
      xml = xml.slice(0, after.index + after[0].length) + element + xml.slice(after.index + after[0].length);
    } else {
      const before = /<(customProperties|cellWatches|ignoredErrors|smartTags|drawing|legacyDrawing|legacyDrawingHF|picture|oleObjects|controls|webPublishItems|tableParts|extLst)\b|<\/worksheet>/.exec(xml)!;
      xml = xml.slice(0, before.index) + element + xml.slice(before.index);
    }
    zip.file(name, xml);
  }
  return zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE' });
}
