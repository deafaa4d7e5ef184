import { relative } from 'node:path';
import type { Command } from 'commander';
import {
  checkLetterhead,
  checkSheets,
  loadLetterhead,
  NoLibreOfficeError,
  parseComparePeriods,
  reportFormat,
  ReportFormatError,
  reportText,
  ON_REQUEST_SHEET_SLUGS,
  SHEET_SLUGS,
  UnknownSheetError,
  writeReport,
  type Letterhead,
} from '../../report/index.ts';
import { checkColumns, UnknownColumnError } from '../../report/sheets/flow-columns.ts';
import { loadTargets } from '../../report/targets.ts';
import { loadProfile766 } from '../../domain/index-766.ts';
import { UserError, withDb } from '../common.ts';
import { SUMMARIES } from '../summaries.ts';
import { addPeriodAndFilterOptions, statsQueryFromOptions } from '../stats-options.ts';
import { addWholePeriodsOption, printWarnings } from '../warnings.ts';

const PERIOD_OPTIONS = ['year', 'quarter', 'month', 'from', 'to', 'reportingMonth', 'reportingYear', 'years'];
export const DEFAULT_REPORT = 'reports/bao-cao.xlsx';

export function register(program: Command): void {
  const cmd = program
    .command('report')
    .description(SUMMARIES.report)
    .option('--out <file>', 'file to write: .xlsx (charts beside it as PNG and SVG), .docx or .pdf', DEFAULT_REPORT)
    .option('--format <format>', 'xlsx, docx or pdf (default: the extension of --out)')
    .option('--sheets <slugs>', `sheets to write, comma-separated: ${SHEET_SLUGS.join(', ')} (default: all but ${ON_REQUEST_SHEET_SLUGS.join(' and ')}, which read the dossiers: slower)`)
    .option(
      '--compare <periods...>',
      'periods side by side in the per-unit sheet: 2021, 2020-06, 2022-Q2, 2021-01..2021-06 (default: the report period)',
    )
    .option(
      '--columns <list>',
      'columns of the yearly and monthly tables: full (default; printed in two parts), compact (the Hạ Hoà table, one page wide) or column keys, comma-separated',
    )
    .option('--targets <file.json>', 'online-rate targets (default: reports/targets.default.json, Phú Thọ 2025)')
    .option('--profile-766 <file>', 'the QĐ 766 index profile of the xep-hang sheet (default: reports/index-766.json; docs/index-766.md)')
    .option('--text', 'print the explanatory paragraphs (Thuyết minh) instead of writing a workbook')
    .option('--letterhead <file.json>', 'Word report: issuer, number, place, date, signer, recipients (see reports/letterhead.example.json)')
    .option('--superior <name>', 'Word report: the superior body, above the issuer')
    .option('--issuer <name>', 'Word report: the issuing body')
    .option('--number <symbol>', 'Word report: number and symbol after "Số:", e.g. 125/BC-UBND')
    .option('--place <name>', 'Word report: the place before the date')
    .option('--date <yyyy-mm-dd>', 'Word report: the date of the report')
    .option('--title <text>', 'Word report: the title under "BÁO CÁO"')
    .option('--signer-authority <text>', 'Word report: the line above the signer\'s title, e.g. "TM. ỦY BAN NHÂN DÂN"')
    .option('--signer-title <text>', 'Word report: the signer\'s title, e.g. "CHỦ TỊCH"')
    .option('--signer <name>', 'Word report: the signer\'s name')
    .option('--recipient <line...>', 'Word report: the lines of "Nơi nhận", one per recipient');
  addPeriodAndFilterOptions(cmd);
  addWholePeriodsOption(cmd);
  cmd.action(async (opts: Record<string, unknown>, command: Command) => {
    const compare = parseComparePeriods((opts.compare as string[] | undefined) ?? []);
    const periodGiven = PERIOD_OPTIONS.some((k) => opts[k] !== undefined);
    const query = statsQueryFromOptions(
      periodGiven || !compare.length
        ? opts
        // With only --compare, the report covers the compared periods from the first day to the last.
        : {
            ...opts,
            from: compare.map((p) => p.from).sort()[0],
            to: compare.map((p) => p.to).sort().at(-1),
          },
    );
    const wholePeriods = opts.wholePeriods === true;
    if (opts.text) {
      const { text, warnings } = await withDb(command, (db) => reportText(db, query, { wholePeriods }));
      process.stdout.write(text || 'Không có hồ sơ trong kỳ.\n');
      printWarnings(warnings);
      return;
    }
    let sheets: string[] | undefined;
    try {
      sheets = opts.sheets ? checkSheets(String(opts.sheets).split(',').map((s) => s.trim()).filter(Boolean)) : undefined;
    } catch (error) {
      if (error instanceof UnknownSheetError) throw new UserError(`--sheets: ${error.message}`);
      throw error;
    }
    let columns: string[] | undefined;
    try {
      columns = opts.columns ? checkColumns(String(opts.columns).split(',').map((s) => s.trim()).filter(Boolean)) : undefined;
    } catch (error) {
      if (error instanceof UnknownColumnError) throw new UserError(`--columns: ${error.message}`);
      throw error;
    }
    const targets = opts.targets ? loadTargets(String(opts.targets)) : undefined;
    const profile766 = opts.profile766 ? loadProfile766(String(opts.profile766)) : undefined;
    let out = String(opts.out);
    let format;
    try {
      // `--format docx` with the default --out writes reports/bao-cao.docx.
      if (opts.format && command.getOptionValueSource('out') === 'default') out = out.replace(/\.xlsx$/, `.${String(opts.format).toLowerCase()}`);
      format = reportFormat(out, opts.format as string | undefined);
    } catch (error) {
      if (error instanceof ReportFormatError) throw new UserError(`${opts.format ? '--format' : '--out'}: ${error.message}`);
      throw error;
    }
    const letterhead = letterheadFromOptions(opts);
    const result = await withDb(command, (db) =>
      writeReport(db, { query, out, format, sheets, compare, targets, wholePeriods, columns, letterhead, profile766 }),
    ).catch((error: unknown) => {
      if (error instanceof NoLibreOfficeError) throw new UserError(error.message);
      throw error;
    });
    const shown = (path: string) => relative(process.cwd(), path) || path;
    process.stdout.write(result.format === 'xlsx' ? `Đã ghi ${shown(result.path)}: ${result.sheets.join(', ')}\n` : `Đã ghi ${shown(result.path)}\n`);
    for (const file of result.files) process.stdout.write(`Đã ghi ${shown(file)}\n`);
    printWarnings(result.warnings);
  });
}

const LETTERHEAD_OPTIONS: Array<[string, keyof Letterhead]> = [
  ['superior', 'superior'],
  ['issuer', 'issuer'],
  ['number', 'number'],
  ['place', 'place'],
  ['date', 'date'],
  ['title', 'title'],
  ['signerAuthority', 'signerAuthority'],
  ['signerTitle', 'signerTitle'],
  ['signer', 'signerName'],
  ['recipient', 'recipients'],
];

/** The letterhead file, with the options given on the command line over it. */
function letterheadFromOptions(opts: Record<string, unknown>): Letterhead {
  const fromFile = opts.letterhead ? loadLetterhead(String(opts.letterhead)) : {};
  const given: Letterhead = {};
  for (const [option, field] of LETTERHEAD_OPTIONS) {
    if (opts[option] === undefined) continue;
    const flag = `--${option.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
    Object.assign(given, checkLetterhead({ [field]: opts[option] }, flag));
  }
  return { ...fromFile, ...given };
}
