import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import ExcelJS from 'exceljs';
import type { Db } from '../db/connection.ts';
import type { Period } from '../domain/periods.ts';
import { fitToData } from '../stats/coverage.ts';
import { COUNT_FIGURES, type StatsQuery } from '../stats/types.ts';
import { reformWarnings } from '../stats/warnings.ts';
import { ReportData } from './data.ts';
import { bieu06 } from './sheets/bieu-06.ts';
import { bieuDo } from './sheets/bieu-do.ts';
import { chiTieu } from './sheets/chi-tieu.ts';
import type { SheetContext, SheetWriter } from './sheets/common.ts';
import { danhMuc } from './sheets/danh-muc.ts';
import { theoDonVi } from './sheets/theo-don-vi.ts';
import { theoNam } from './sheets/theo-nam.ts';
import { theoThang } from './sheets/theo-thang.ts';
import { thuyetMinh } from './sheets/thuyet-minh.ts';
import { loadTargets, type Targets } from './targets.ts';
import { paragraphsAsText, reportParagraphs, type Paragraph } from './text.ts';

export { parseComparePeriod, parseComparePeriods } from './compare.ts';
export { CHART_HEIGHT, CHART_SCALE, CHART_WIDTH } from './charts.ts';
export { ReportData } from './data.ts';
export { loadTargets, DEFAULT_TARGETS_FILE, type Targets } from './targets.ts';
export { paragraphFor, paragraphsAsText, reportParagraphs, type Paragraph } from './text.ts';

/** The sheets in workbook order: slug (for --sheets) and sheet name. */
const WRITERS: SheetWriter[] = [theoNam, theoThang, theoDonVi, bieu06, danhMuc, chiTieu, bieuDo, thuyetMinh];
export const SHEETS = WRITERS.map(({ slug, name }) => ({ slug, name }));
export const SHEET_SLUGS = WRITERS.map((w) => w.slug);
export type SheetSlug = string;

export interface ReportOptions {
  /** Period and filters, as `tthc stats` takes them; `by` is ignored: each sheet groups as its table needs. */
  query: StatsQuery;
  /** Path of the .xlsx to write; its folder is created. Charts go beside it as `<name>-ty-le-*.png/.svg`. */
  out: string;
  /** Slugs of the sheets to write, in any order (workbook order is fixed); default: all. */
  sheets?: SheetSlug[];
  /** Periods side by side in "Theo đơn vị"; default: the report's period. */
  compare?: Period[];
  /** Online-rate targets for "Chỉ tiêu"; default: reports/targets.default.json (Phú Thọ, 2025). */
  targets?: Targets;
  /** Keep a period of whole years whole when the data ends inside it (default: cut at the data's last day, fitToData). */
  wholePeriods?: boolean;
}

export interface ReportResult {
  /** Absolute path of the workbook. */
  path: string;
  /** Names of the sheets written, in order. */
  sheets: string[];
  /** Other files written (chart PNG and SVG). */
  files: string[];
  /** computeStats calls made. */
  queries: number;
  /** The report's period: the one asked, or cut at the data's last day. */
  period: Period;
  /** What the figures cannot tell (the data's span, missing columns), one line each, as written under the tables. */
  warnings: string[];
}

export class UnknownSheetError extends Error {}

/** Checks sheet slugs; throws UnknownSheetError naming the valid ones. */
export function checkSheets(slugs: readonly string[]): SheetSlug[] {
  for (const slug of slugs) {
    if (!SHEET_SLUGS.includes(slug)) {
      throw new UnknownSheetError(`trang không có: "${slug}" (chọn trong: ${SHEET_SLUGS.join(', ')})`);
    }
  }
  return [...slugs];
}

/** Writes the report workbook: one sheet per published table, every figure from computeStats. */
export async function writeReport(db: Db, options: ReportOptions): Promise<ReportResult> {
  const wanted = new Set(checkSheets(options.sheets?.length ? options.sheets : SHEET_SLUGS));
  const path = resolve(options.out);
  mkdirSync(dirname(path), { recursive: true });
  const filters = options.query.filters ?? {};
  const fitted = await fitToData(db, options.query, { wholePeriods: options.wholePeriods });
  // Every sheet groups by level: a period across 1 July 2025 says that huyện figures stop at 30/06/2025.
  const coverage = [...fitted.warnings, ...reformWarnings({ ...fitted.query, by: ['level'] })];
  const data = new ReportData(db, fitted.query.period, filters, { uncut: fitted.query.uncut, coverage });
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'tthc';
  workbook.created = new Date();
  // Formulas carry their results; asking Excel to recalculate on open keeps edited sheets right.
  workbook.calcProperties = { fullCalcOnLoad: true };
  const ctx: SheetContext = {
    workbook,
    data,
    compare: options.compare?.length ? options.compare : [fitted.query.period],
    targets: options.targets ?? loadTargets(),
    chartBase: path.replace(/\.xlsx$/i, ''),
    files: [],
  };
  const written: string[] = [];
  for (const writer of WRITERS) {
    if (!wanted.has(writer.slug)) continue;
    await writer.write(ctx);
    written.push(writer.name);
  }
  await workbook.xlsx.writeFile(path);
  return { path, sheets: written, files: ctx.files, queries: data.queryCount, period: fitted.query.period, warnings: data.warnings };
}

/**
 * The Thuyết minh paragraphs for a period and filters (what `tthc report --text` prints), over the period fitted
 * to the data as the workbook's, with the same warnings.
 */
export async function reportText(
  db: Db,
  query: StatsQuery,
  options: { wholePeriods?: boolean } = {},
): Promise<{ paragraphs: Paragraph[]; text: string; warnings: string[] }> {
  const fitted = await fitToData(db, query, options);
  const coverage = [...fitted.warnings, ...reformWarnings({ ...fitted.query, by: ['level'] })];
  const data = new ReportData(db, fitted.query.period, query.filters ?? {}, { uncut: fitted.query.uncut, coverage });
  const paragraphs = await reportParagraphs(data);
  await data.warningNotes(COUNT_FIGURES);
  return { paragraphs, text: paragraphsAsText(paragraphs), warnings: data.warnings };
}
