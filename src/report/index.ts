import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, renameSync, rmSync, writeFileSync, copyFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, extname, join, resolve } from 'node:path';
import { promisify } from 'node:util';
import ExcelJS from 'exceljs';
import type { Db } from '../db/connection.ts';
import type { Period } from '../domain/periods.ts';
import { fitToData } from '../stats/coverage.ts';
import { COUNT_FIGURES, type StatsQuery } from '../stats/types.ts';
import { reformWarnings } from '../stats/warnings.ts';
import { ReportData } from './data.ts';
import { addColumnBreaks, type PrintPlan } from './excel/print.ts';
import { bieu06 } from './sheets/bieu-06.ts';
import { bieuDo } from './sheets/bieu-do.ts';
import { chiTieu } from './sheets/chi-tieu.ts';
import type { SheetContext, SheetWriter } from './sheets/common.ts';
import { danhMuc } from './sheets/danh-muc.ts';
import { theoDonVi } from './sheets/theo-don-vi.ts';
import { theoNam } from './sheets/theo-nam.ts';
import { theoThang } from './sheets/theo-thang.ts';
import { thuyetMinh } from './sheets/thuyet-minh.ts';
import { xepHang } from './sheets/xep-hang.ts';
import { chiSo766 } from './sheets/chi-so-766.ts';
import type { Letterhead } from './letterhead.ts';
import { loadTargets, type Targets } from './targets.ts';
import { paragraphsAsText, reportParagraphs, type Paragraph } from './text.ts';
import { UserError } from '../domain/errors.ts';
import type { Profile766 } from '../domain/index-766.ts';

export { parseComparePeriod, parseComparePeriods } from './compare.ts';
export { CHART_HEIGHT, CHART_SCALE, CHART_WIDTH } from './charts.ts';
export { ReportData } from './data.ts';
export { loadTargets, DEFAULT_TARGETS_FILE, type Targets } from './targets.ts';
export { checkLetterhead, EXAMPLE_LETTERHEAD_FILE, loadLetterhead, LetterheadSchema, type Letterhead } from './letterhead.ts';
export { checkColumns, COMPACT_COLUMN_KEYS, FLOW_COLUMN_KEYS, UnknownColumnError } from './sheets/flow-columns.ts';
export type { PrintPlan } from './excel/print.ts';
export { paragraphFor, paragraphsAsText, reportParagraphs, type Paragraph } from './text.ts';

/** The sheets in workbook order: slug (for --sheets) and sheet name. */
const WRITERS: SheetWriter[] = [theoNam, theoThang, theoDonVi, chiSo766, xepHang, bieu06, danhMuc, chiTieu, bieuDo, thuyetMinh];
export const SHEETS = WRITERS.map(({ slug, name }) => ({ slug, name }));
export const SHEET_SLUGS = WRITERS.map((w) => w.slug);
/**
 * Sheets written only when `sheets` names them: QĐ 766's progress is not in the summary by half-month, so they read
 * the dossiers (seconds per query on a province's five years), which the default workbook should not cost.
 */
export const ON_REQUEST_SHEET_SLUGS: readonly string[] = [chiSo766.slug, xepHang.slug];
/** The sheets written when none are named. */
export const DEFAULT_SHEET_SLUGS = SHEET_SLUGS.filter((slug) => !ON_REQUEST_SHEET_SLUGS.includes(slug));
export type SheetSlug = string;

/** What `writeReport` writes: the workbook, the Word report (NĐ 30/2020), or that report as PDF (LibreOffice). */
export type ReportFormat = 'xlsx' | 'docx' | 'pdf';
export const REPORT_FORMATS: readonly ReportFormat[] = ['xlsx', 'docx', 'pdf'];

export class ReportFormatError extends UserError {}

/** The format asked, else the one the file's extension names; throws ReportFormatError when neither says. */
export function reportFormat(out: string, asked?: string): ReportFormat {
  const format = (asked ?? extname(out).slice(1)).toLowerCase();
  if ((REPORT_FORMATS as readonly string[]).includes(format)) return format as ReportFormat;
  throw new ReportFormatError(
    asked
      ? `định dạng không có: "${asked}" (chọn trong: ${REPORT_FORMATS.join(', ')})`
      : `không biết ghi "${basename(out)}" ở định dạng nào: đặt đuôi .xlsx, .docx hoặc .pdf, hoặc chọn --format`,
  );
}

export interface ReportOptions {
  /** Period and filters, as `tthc stats` takes them; `by` is ignored: each sheet groups as its table needs. */
  query: StatsQuery;
  /**
   * Path of the file to write; its folder is created. For a workbook, charts go beside it as
   * `<name>-ty-le-*.png/.svg`.
   */
  out: string;
  /** xlsx, docx or pdf; default: the extension of `out`. */
  format?: ReportFormat;
  /** Issuer, number, place, date, signer, recipients of the Word report; blanks to fill where absent. */
  letterhead?: Letterhead;
  /** Slugs of the sheets to write, in any order (workbook order is fixed); default: DEFAULT_SHEET_SLUGS. */
  sheets?: SheetSlug[];
  /** Periods side by side in "Theo đơn vị"; default: the report's period. */
  compare?: Period[];
  /** Online-rate targets for "Chỉ tiêu"; default: reports/targets.default.json (Phú Thọ, 2025). */
  targets?: Targets;
  /** The QĐ 766 profile of "Xếp hạng"; default: reports/index-766.json (docs/index-766.md). */
  profile766?: Profile766;
  /**
   * Columns of the yearly and monthly tables: ['full'] (default), ['compact'] (the Hạ Hoà table's columns) or
   * column keys (FLOW_COLUMN_KEYS).
   */
  columns?: string[];
  /** Keep a period of whole years whole when the data ends inside it (default: cut at the data's last day, fitToData). */
  wholePeriods?: boolean;
}

export interface ReportResult {
  format: ReportFormat;
  /** Absolute path of the file written. */
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
  /** How each sheet prints (scale, breaks, pages), by sheet name. */
  prints: Map<string, PrintPlan>;
}

export class UnknownSheetError extends UserError {}

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
  const format = reportFormat(options.out, options.format);
  if (format !== 'xlsx') return writeDocument(db, options, format);
  const wanted = new Set(checkSheets(options.sheets?.length ? options.sheets : DEFAULT_SHEET_SLUGS));
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
    prints: new Map(),
    columns: options.columns,
    ...(options.profile766 ? { profile766: options.profile766 } : {}),
  };
  const written: string[] = [];
  for (const writer of WRITERS) {
    if (!wanted.has(writer.slug)) continue;
    await writer.write(ctx);
    written.push(writer.name);
  }
  const saved = Buffer.from(await workbook.xlsx.writeBuffer());
  const breaks = new Map([...ctx.prints].map(([id, plan]) => [id, plan.columnBreaks]));
  writeFileSync(path, await addColumnBreaks(saved, breaks));
  const prints = new Map<string, PrintPlan>();
  for (const ws of workbook.worksheets) {
    const plan = ctx.prints.get(ws.id);
    if (plan) prints.set(ws.name, plan);
  }
  return {
    format,
    path,
    sheets: written,
    files: ctx.files,
    queries: data.queryCount,
    period: fitted.query.period,
    warnings: data.warnings,
    prints,
  };
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

export class NoLibreOfficeError extends UserError {}

/** The Word report, or that report turned into PDF by LibreOffice. */
async function writeDocument(db: Db, options: ReportOptions, format: 'docx' | 'pdf'): Promise<ReportResult> {
  const path = resolve(options.out);
  mkdirSync(dirname(path), { recursive: true });
  const fitted = await fitToData(db, options.query, { wholePeriods: options.wholePeriods });
  const data = new ReportData(db, fitted.query.period, options.query.filters ?? {}, { uncut: fitted.query.uncut, coverage: fitted.warnings });
  const { buildWordReport } = await import('./word.ts');
  // The Word report has no sheets; asking for "Chỉ số 766" adds its section on QĐ 766's progress.
  const progress766 = options.sheets?.includes(chiSo766.slug) === true;
  const docx = await buildWordReport({ data, letterhead: options.letterhead ?? {}, columns: options.columns, progress766 });
  if (format === 'docx') {
    writeFileSync(path, docx);
  } else {
    await docxToPdf(docx, path);
  }
  return {
    format,
    path,
    sheets: [],
    files: [],
    queries: data.queryCount,
    period: fitted.query.period,
    warnings: data.warnings,
    prints: new Map(),
  };
}

/**
 * Converts a .docx to PDF with LibreOffice (soffice) in a profile of its own, so that it runs beside an open
 * LibreOffice and in parallel with itself.
 */
export async function docxToPdf(docx: Buffer, out: string): Promise<void> {
  const work = mkdtempSync(join(tmpdir(), 'tthc-pdf-'));
  try {
    const source = join(work, 'bao-cao.docx');
    writeFileSync(source, docx);
    try {
      await promisify(execFile)(
        process.env.TTHC_SOFFICE ?? 'soffice',
        [`-env:UserInstallation=file://${join(work, 'profile')}`, '--headless', '--convert-to', 'pdf', '--outdir', work, source],
        { timeout: 180_000 },
      );
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
        throw new NoLibreOfficeError('cần LibreOffice (lệnh soffice) để ghi PDF; cài gói libreoffice-writer, hoặc ghi .docx rồi tự chuyển');
      }
      throw error;
    }
    try {
      renameSync(join(work, 'bao-cao.pdf'), out);
    } catch {
      copyFileSync(join(work, 'bao-cao.pdf'), out);
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
