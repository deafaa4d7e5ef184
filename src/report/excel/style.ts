import type ExcelJS from 'exceljs';

// The look every sheet shares: Times New Roman (the font of Vietnamese administrative documents), thin borders,
// A4 landscape with the header rows repeated on each printed page and the page number in the footer.

export const FONT_NAME = 'Times New Roman';
export const FONT_SIZE = 12;

export const COUNT_FORMAT = '#,##0';
// A space before the percent sign, as the report's text writes rates (formatPercent: "97,9 %"); the decimal
// mark is the reader's: a Vietnamese Excel or LibreOffice shows 97,9 %.
export const RATE_FORMAT = '0.0 %';
export const RATE2_FORMAT = '0.00 %';
/** Points of an index (QĐ 766), two decimals as the national portal shows them. */
export const POINTS_FORMAT = '0.00';

export const THIN_BORDER: Partial<ExcelJS.Borders> = {
  top: { style: 'thin' },
  left: { style: 'thin' },
  bottom: { style: 'thin' },
  right: { style: 'thin' },
};

export function font(options: Partial<ExcelJS.Font> = {}): Partial<ExcelJS.Font> {
  return { name: FONT_NAME, size: FONT_SIZE, ...options };
}

/** A title line across the table's width: merged, centred, bold unless told otherwise. */
export function titleRow(
  ws: ExcelJS.Worksheet,
  row: number,
  columnCount: number,
  text: string,
  options: { size?: number; bold?: boolean; italic?: boolean; align?: 'center' | 'left' | 'right' } = {},
): void {
  if (columnCount > 1) ws.mergeCells(row, 1, row, columnCount);
  const cell = ws.getCell(row, 1);
  cell.value = text;
  cell.font = font({ bold: options.bold ?? true, italic: options.italic, size: options.size ?? FONT_SIZE });
  cell.alignment = { horizontal: options.align ?? 'center', vertical: 'middle', wrapText: true };
  ws.getRow(row).height = Math.round((options.size ?? FONT_SIZE) * 1.5);
}

export interface PageOptions {
  /** Rows repeated at the top of each printed page, e.g. [5, 6]. */
  printTitleRows?: [number, number];
  /** Rows and columns kept in view when scrolling. */
  freeze?: { rows: number; columns?: number };
}

export function setupPage(ws: ExcelJS.Worksheet, options: PageOptions = {}): void {
  ws.pageSetup = {
    ...ws.pageSetup,
    paperSize: 9, // A4
    orientation: 'landscape',
    // Scale and breaks are planned by planPrint (print.ts); this is the setup of a sheet it does not plan.
    fitToPage: true,
    fitToWidth: 1,
    fitToHeight: 0,
    horizontalCentered: true,
    margins: { left: 0.5, right: 0.5, top: 0.6, bottom: 0.7, header: 0.3, footer: 0.3 },
  };
  if (options.printTitleRows) ws.pageSetup.printTitlesRow = `${options.printTitleRows[0]}:${options.printTitleRows[1]}`;
  // The sheet's name in the footer: a printed page says which table it continues.
  ws.headerFooter = { oddFooter: `&C&"${FONT_NAME}"&11&A – trang &P/&N` };
  if (options.freeze) {
    ws.views = [{ state: 'frozen', ySplit: options.freeze.rows, xSplit: options.freeze.columns ?? 0 }];
  }
}

/** Rough number of lines a text wraps to in a cell of the given width (characters of the default font). */
export function textLines(text: string, width: number): number {
  return text.split('\n').reduce((n, part) => n + Math.max(1, Math.ceil(part.length / Math.max(width - 1.5, 1))), 0);
}

/** Rough row height (points) for wrapped text in a cell of the given width (characters). */
export function wrappedHeight(text: string, width: number, lineHeight = 16): number {
  const lines = text.split('\n').reduce((n, part) => n + Math.max(1, Math.ceil((part.length * 0.9) / Math.max(width - 1, 1))), 0);
  return Math.max(1, lines) * lineHeight + 4;
}
