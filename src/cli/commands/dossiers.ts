import type { Command } from 'commander';
import { countsBehind, explainFigure, listDossiers, renderExplanation, TRACEABLE_COUNTS, traceFigure, type TracedFigure } from '../../stats/dossiers.ts';
import { renderDossiers } from '../../stats/render.ts';
import { indicatorGaps } from '../../stats/indicator-warnings.ts';
import type { DossierFigure, Indicator766Rate } from '../../stats/types.ts';
import { checkQuery } from '../../stats/warnings.ts';
import { parseFormat, UserError, withDb } from '../common.ts';
import { addGroupingOption, addPeriodAndFilterOptions, statsQueryFromOptions } from '../stats-options.ts';
import { addWholePeriodsOption, printWarnings } from '../warnings.ts';
import { SUMMARIES } from '../summaries.ts';
import { addCalendarOption, calendarFromOptions } from '../calendar-option.ts';
import { isDay } from '../../domain/dates.ts';
import { formatCount } from '../../domain/numbers.ts';
import { viDay } from '../../domain/periods.ts';
import { vietnamCalendar } from '../../domain/working-days.ts';
import { listDueWithin, renderDueWithin } from '../../stats/due-within.ts';
import { todayInVietnam } from '../../units/chain.ts';

export function register(program: Command): void {
  const cmd = program
    .command('dossiers')
    .description(SUMMARIES.dossiers)
    .option(
      '--figure <name>',
      `the figure: a JSON name (${TRACEABLE_COUNTS.join(', ')}, toHandle, oneStop), a Biểu 06 column ("(5)", "bieu06:5"), ` +
        'a sheet\'s Vietnamese header ("Một cửa"), or a sum of those with "+"',
    )
    .option('--explain', 'also print, on stderr, the rule in words and the SQL that lists the dossiers')
    .option(
      '--due-within <n>',
      'instead of --figure: the dossiers pending at the end of the day (--as-of) whose due day is within the next n working ' +
        'days, that day included (0: due that day), sorted by due day; overdue ones are counted on stderr, not listed',
    )
    .option('--as-of <yyyy-MM-dd>', 'with --due-within: the day the list is for (default: today in Vietnam)')
    .option('--include-overdue', 'with --due-within: also list the dossiers already overdue that day, first')
    .option('--format <format>', 'table, csv or json', 'table');
  addCalendarOption(cmd);
  addPeriodAndFilterOptions(cmd);
  addGroupingOption(cmd);
  addWholePeriodsOption(cmd);
  cmd.action(async (opts: Record<string, unknown>, command: Command) => {
    if (opts.dueWithin !== undefined) return dueWithin(opts, command);
    if (opts.asOf !== undefined || opts.includeOverdue !== undefined) throw new UserError('--as-of và --include-overdue chỉ dùng cùng --due-within');
    const figure = parseFigure(opts.figure);
    const format = parseFormat(String(opts.format));
    const query = statsQueryFromOptions(opts);
    // The same period as `tthc stats` computes (cut at the data's last day), so the list matches the figure.
    const { rows, warnings, explanation } = await withDb(command, async (db) => {
      const checked = await checkQuery(db, query, { wholePeriods: opts.wholePeriods === true, figures: countsBehind(figure.parts) });
      // A QĐ 766 count whose column no export had lists nothing: say which column, as `stats` does.
      const rates = figure.parts.flatMap((f) => INDICATOR_RATE_OF[f] ?? []);
      const gaps = rates.length ? (await indicatorGaps(db, checked.query)).filter((g) => rates.includes(g.rate)) : [];
      return {
        rows: await listDossiers(db, checked.query, figure.parts),
        warnings: [...checked.warnings, ...gaps.map((g) => g.text)],
        explanation: opts.explain === true ? renderExplanation(await explainFigure(db, checked.query, figure)) : undefined,
      };
    });
    // On stderr, so that stdout stays the list a pipe or a file takes.
    if (explanation) process.stderr.write(explanation);
    process.stdout.write(renderDossiers(rows, format));
    printWarnings(warnings);
  });
}

/** `--due-within N`: the office's daily list (src/stats/due-within.ts). */
async function dueWithin(opts: Record<string, unknown>, command: Command): Promise<void> {
  const text = String(opts.dueWithin).trim();
  if (!/^\d{1,3}$/.test(text)) throw new UserError(`--due-within phải là một số ngày làm việc (0, 1, 2, …), nhận được "${text}"`);
  if (opts.figure !== undefined) throw new UserError('chỉ chọn một trong --figure và --due-within');
  const asOf = opts.asOf === undefined ? todayInVietnam() : String(opts.asOf);
  if (!isDay(asOf)) throw new UserError(`--as-of phải là một ngày dạng yyyy-MM-dd, ví dụ 2024-02-07 (nhận được "${asOf}")`);
  if (PERIOD_OPTIONS.some((o) => opts[o] !== undefined) || opts.by !== undefined) {
    throw new UserError('--due-within không dùng với kỳ hay --by: danh sách là của một ngày (--as-of)');
  }
  const format = parseFormat(String(opts.format));
  const calendar = calendarFromOptions(opts) ?? vietnamCalendar();
  // The filters as `tthc stats` reads them; the period is the one day.
  const { filters } = statsQueryFromOptions({ ...opts, from: asOf, to: asOf });
  const result = await withDb(command, (db) =>
    listDueWithin(db, { asOf, workingDays: Number(text), filters, includeOverdue: opts.includeOverdue === true, calendar }));
  process.stdout.write(renderDueWithin(result, format));
  const lines = [
    `hạn xử lý từ ${viDay(asOf)} đến ${viDay(result.lastDueDay)} (${text} ngày làm việc sau ${viDay(asOf)})`,
    ...(result.overdue && opts.includeOverdue !== true
      ? [`${formatCount(result.overdue)} hồ sơ đã quá hạn vào ${viDay(asOf)}, không liệt kê (thêm --include-overdue để liệt kê)`]
      : []),
    ...calendar.warnings(asOf, result.lastDueDay),
  ];
  for (const line of lines) process.stderr.write(`tthc: ${line}\n`);
}

const PERIOD_OPTIONS = ['year', 'quarter', 'month', 'from', 'to', 'reportingMonth', 'reportingYear', 'years'] as const;

function parseFigure(value: unknown): TracedFigure {
  if (value === undefined) throw new UserError(`thiếu --figure (một trong: ${TRACEABLE_COUNTS.join(', ')}, hoặc cột Biểu 06 như "(5)"; hoặc --due-within N cho hồ sơ sắp đến hạn)`);
  return traceFigure(String(value));
}

/** The QĐ 766 rate each of its counts belongs to. */
const INDICATOR_RATE_OF: Partial<Record<DossierFigure, Indicator766Rate>> = {
  receivedFullOnline: 'fullOnlineRate', fullOnlineEligible: 'fullOnlineRate', paidOnline: 'onlinePaymentRate', withFee: 'onlinePaymentRate',
  digitised: 'digitisedRate', digitisedBase: 'digitisedRate', electronicResult: 'electronicResultRate',
  electronicResultBase: 'electronicResultRate', dissatisfied: 'satisfactionRate', satisfactionBase: 'satisfactionRate',
};
