import type { Command } from 'commander';
import { computeStats } from '../../stats/compute.ts';
import { explainFigure, renderExplanation, renderRateRule, traceFigure, traceRate } from '../../stats/dossiers.ts';
import { checkStatsColumns, renderStatsTable, type StatsColumn } from '../../stats/render.ts';
import {
  COUNT_FIGURES, DUE_COUNTS, DUE_FIGURES, INDICATOR_766_COUNTS, INDICATOR_766_FIGURES, ON_TIME_BASES, PROCESSING_FIGURES, PROGRESS_766_COUNTS,
  PROGRESS_766_FIGURES, type GroupKey, type OnTimeBasis,
  type StatsQuery,
} from '../../stats/types.ts';
import { indicatorGaps } from '../../stats/indicator-warnings.ts';
import { checkQuery } from '../../stats/warnings.ts';
import type { Db } from '../../db/connection.ts';
import { CalendarError, vietnamCalendar } from '../../domain/working-days.ts';
import { parseFormat, UserError, withDb, type OutputFormat } from '../common.ts';
import { addGroupingOption, addPeriodAndFilterOptions, statsQueryFromOptions } from '../stats-options.ts';
import { addWholePeriodsOption, printWarnings } from '../warnings.ts';
import { SUMMARIES } from '../summaries.ts';

export function register(program: Command): void {
  const cmd = program
    .command('stats')
    .description(SUMMARIES.stats)
    .option('--format <format>', 'table, csv or json', 'table')
    .option('--columns <names>', 'only these columns, in this order, for table and csv: JSON names, comma-separated (e.g. level,receivedTotal,onTimeRate)')
    .option(
      '--explain [figures]',
      'also print, on stderr, each figure\'s rule in words and the SQL that lists its dossiers: the figures named ' +
        '(as `tthc dossiers --figure` takes them, comma-separated), else those of --columns, else every count',
    )
    .option(
      '--progress-766',
      "also count the progress indicator of QĐ 766 (handled766, inTime766, progressRate766, progressPoints766; " +
        'docs/rules.md); read from the dossiers, slower on a large database. Implied by --columns naming one of them',
    )
    .option(
      '--indicators-766',
      "also count QĐ 766's other indicators from the optional export columns and the procedure catalogue " +
        '(fullOnlineRate, onlinePaymentRate, digitisedRate, electronicResultRate, satisfactionRate and their counts; ' +
        'docs/index-766.md); a rate the data lacks is null, "không có dữ liệu", with a warning naming the missing column. ' +
        'Read from the dossiers. Implied by --columns or --explain naming one of them',
    )
    .option(
      '--on-time-basis <basis>',
      "the on-time rate the table shows, its header naming the basis: resolved (over the resolved dossiers, the default), " +
        '766 (QĐ 766: resolved, withdrawn and pending, pending overdue as late; implies --progress-766), due (over the ' +
        'dossiers due in the period: dueTotal, dueOnTime, dueOnTimeRate; read from the dossiers)',
      'resolved',
    )
    .option(
      '--processing-time',
      'also average the working days from receipt (not counted) to the end of processing of the dossiers resolved in ' +
        'the period (avgProcessingDays, one decimal; docs/working-days.md); read from the dossiers. Implied by --columns naming it',
    );
  addPeriodAndFilterOptions(cmd);
  addGroupingOption(cmd);
  addWholePeriodsOption(cmd);
  cmd.action(async (opts: Record<string, unknown>, command: Command) => {
    const format = parseFormat(String(opts.format));
    const columns = parseColumns(opts.columns, format, statsQueryFromOptions(opts).by ?? []);
    const onTimeBasis = parseBasis(opts.onTimeBasis);
    const names = (columns ?? []) as readonly string[];
    const progress766 = opts.progress766 === true || onTimeBasis === '766' || PROGRESS_766_FIGURES.some((c) => names.includes(c));
    const dueBasis = onTimeBasis === 'due' || DUE_FIGURES.some((c) => names.includes(c));
    const processingTime = opts.processingTime === true || PROCESSING_FIGURES.some((c) => names.includes(c));
    const explained = typeof opts.explain === 'string' ? opts.explain.split(/[,+]/).map((n) => n.trim()) : [];
    const indicators766 = opts.indicators766 === true || INDICATOR_766_FIGURES.some((c) => names.includes(c) || explained.includes(c));
    const query: StatsQuery = {
      ...statsQueryFromOptions(opts), ...(progress766 ? { progress766 } : {}), ...(dueBasis ? { dueBasis } : {}),
      ...(indicators766 ? { indicators766 } : {}),
      ...(processingTime ? { processingTime } : {}),
    };
    const explain = opts.explain === undefined ? undefined : explainedFigures(opts.explain, columns, query);
    const { rows, warnings, explanation } = await withDb(command, async (db) => {
      const checked = await checkQuery(db, query, { wholePeriods: opts.wholePeriods === true });
      return {
        rows: await computeStats(db, checked.query),
        // The QĐ 766 rates the data cannot give say which column is missing (the rows say null, "không có dữ liệu");
        // working days counted in a year the calendar takes by rule, or on an unconfirmed day, say so.
        warnings: [
          ...checked.warnings,
          ...(indicators766 ? (await indicatorGaps(db, checked.query)).map((g) => g.text) : []),
          ...(processingTime ? calendarWarnings(checked.query.period.from, checked.query.period.to) : []),
        ],
        explanation: explain ? await explainAll(db, checked.query, explain) : undefined,
      };
    });
    // On stderr, so that stdout stays the table, csv or JSON a pipe or a file takes.
    if (explanation) process.stderr.write(explanation);
    // A terminal's table keeps the columns that fit (stdout.columns is undefined when stdout is no terminal).
    process.stdout.write(renderStatsTable(rows, format, { columns, width: process.stdout.columns || undefined, onTimeBasis }));
    // The notes of rows (huyện figures around the reform) once each, after the query's own warnings.
    printWarnings([...warnings, ...rows.flatMap((row) => row.notes ?? [])]);
  });
}

/** What the working days of a period rest on (rule-years, unconfirmed days); a year the calendar lacks is said too. */
function calendarWarnings(from: string, to: string): string[] {
  try {
    return vietnamCalendar().warnings(from, to);
  } catch (error) {
    // stats reads the working days stored at import: the calendar file goes to import or verify --repair.
    if (error instanceof CalendarError) {
      const message = error.message.replace('(--calendar)', '(tthc verify --repair --calendar TỆP, hoặc tthc import --calendar TỆP)');
      return [`${message}: hồ sơ có ngày thuộc năm đó không có số ngày làm việc, không tính vào thời gian giải quyết bình quân`];
    }
    throw error;
  }
}

function parseColumns(value: unknown, format: OutputFormat, by: GroupKey[]): StatsColumn[] | undefined {
  if (value === undefined) return undefined;
  if (format === 'json') throw new UserError('--columns chỉ dùng với --format table hoặc csv (JSON có đủ các cột)');
  return checkStatsColumns(String(value), by);
}

function parseBasis(value: unknown): OnTimeBasis {
  const basis = String(value);
  if (!(ON_TIME_BASES as readonly string[]).includes(basis)) {
    throw new UserError(`--on-time-basis không hợp lệ: "${basis}" (chọn một trong: ${ON_TIME_BASES.join(', ')})`);
  }
  return basis as OnTimeBasis;
}

/**
 * The names `--explain` covers: its own list, else the figures among --columns, else every count (with QĐ 766's
 * progress counts and the due basis's when the query has them).
 */
function explainedFigures(value: unknown, columns: readonly StatsColumn[] | undefined, query: StatsQuery): string[] {
  if (typeof value === 'string') {
    // A header may hold a comma ("Một cửa (trực tiếp, bưu chính)"): the whole text first, then its pieces.
    if (traceRate(value)) return [value];
    try {
      traceFigure(value);
      return [value];
    } catch {
      return value.split(',').map((n) => n.trim()).filter(Boolean);
    }
  }
  const counts: readonly string[] = [...COUNT_FIGURES, ...PROGRESS_766_COUNTS, ...DUE_COUNTS, ...INDICATOR_766_COUNTS];
  const figures = (columns ?? []).filter((c) => counts.includes(c) || traceRate(c));
  return figures.length
    ? figures
    : [
      ...COUNT_FIGURES, ...(query.progress766 ? PROGRESS_766_COUNTS : []), ...(query.dueBasis ? DUE_COUNTS : []),
      ...(query.indicators766 ? INDICATOR_766_COUNTS : []),
    ];
}

async function explainAll(db: Db, query: StatsQuery, names: readonly string[]): Promise<string> {
  const parts: string[] = [];
  for (const name of names) {
    const rate = traceRate(name);
    if (rate) {
      parts.push(renderRateRule(rate));
      continue;
    }
    parts.push(renderExplanation(await explainFigure(db, query, traceFigure(name))));
  }
  return parts.join('\n');
}
