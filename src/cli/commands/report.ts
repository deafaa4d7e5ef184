import { relative } from 'node:path';
import type { Command } from 'commander';
import { parseComparePeriods, reportText, SHEET_SLUGS, UnknownSheetError, writeReport, checkSheets } from '../../report/index.ts';
import { checkColumns, UnknownColumnError } from '../../report/sheets/flow-columns.ts';
import { loadTargets } from '../../report/targets.ts';
import { UserError, withDb } from '../common.ts';
import { addPeriodAndFilterOptions, statsQueryFromOptions } from '../stats-options.ts';
import { addWholePeriodsOption, printWarnings } from '../warnings.ts';

const PERIOD_OPTIONS = ['year', 'quarter', 'month', 'from', 'to', 'reportingMonth', 'reportingYear', 'years'];
export const DEFAULT_REPORT = 'reports/bao-cao.xlsx';

export function register(program: Command): void {
  const cmd = program
    .command('report')
    .description('Excel workbook of the published tables (yearly, monthly, per unit, form 06, catalogue, targets, charts, text)')
    .option('--out <file.xlsx>', 'workbook to write; charts are written beside it as PNG and SVG', DEFAULT_REPORT)
    .option('--sheets <slugs>', `sheets to write, comma-separated: ${SHEET_SLUGS.join(', ')} (default: all)`)
    .option(
      '--compare <periods...>',
      'periods side by side in the per-unit sheet: 2021, 2020-06, 2022-Q2, 2021-01..2021-06 (default: the report period)',
    )
    .option(
      '--columns <list>',
      'columns of the yearly and monthly tables: full (default; printed in two parts), compact (the Hạ Hoà table, one page wide) or column keys, comma-separated',
    )
    .option('--targets <file.json>', 'online-rate targets (default: reports/targets.default.json, Phú Thọ 2025)')
    .option('--text', 'print the explanatory paragraphs (Thuyết minh) instead of writing a workbook');
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
    const result = await withDb(command, (db) =>
      writeReport(db, { query, out: String(opts.out), sheets, compare, targets, wholePeriods, columns }),
    );
    const shown = (path: string) => relative(process.cwd(), path) || path;
    process.stdout.write(`Đã ghi ${shown(result.path)}: ${result.sheets.join(', ')}\n`);
    for (const file of result.files) process.stdout.write(`Đã ghi ${shown(file)}\n`);
    printWarnings(result.warnings);
  });
}
