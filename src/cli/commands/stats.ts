import type { Command } from 'commander';
import { computeStats } from '../../stats/compute.ts';
import { checkStatsColumns, renderStatsTable, type StatsColumn } from '../../stats/render.ts';
import type { GroupKey } from '../../stats/types.ts';
import { checkQuery } from '../../stats/warnings.ts';
import { parseFormat, UserError, withDb, type OutputFormat } from '../common.ts';
import { addGroupingOption, addPeriodAndFilterOptions, statsQueryFromOptions } from '../stats-options.ts';
import { addWholePeriodsOption, printWarnings } from '../warnings.ts';

export function register(program: Command): void {
  const cmd = program
    .command('stats')
    .description('Counts and rates of DOMAIN.md for a period: new receipts by channel, carried over, resolved, withdrawn, pending')
    .option('--format <format>', 'table, csv or json', 'table')
    .option('--columns <names>', 'only these columns, in this order, for table and csv: JSON names, comma-separated (e.g. level,receivedTotal,onTimeRate)');
  addPeriodAndFilterOptions(cmd);
  addGroupingOption(cmd);
  addWholePeriodsOption(cmd);
  cmd.action(async (opts: Record<string, unknown>, command: Command) => {
    const format = parseFormat(String(opts.format));
    const query = statsQueryFromOptions(opts);
    const columns = parseColumns(opts.columns, format, query.by ?? []);
    const { rows, warnings } = await withDb(command, async (db) => {
      const checked = await checkQuery(db, query, { wholePeriods: opts.wholePeriods === true });
      return { rows: await computeStats(db, checked.query), warnings: checked.warnings };
    });
    // A terminal's table keeps the columns that fit (stdout.columns is undefined when stdout is no terminal).
    process.stdout.write(renderStatsTable(rows, format, { columns, width: process.stdout.columns || undefined }));
    printWarnings(warnings);
  });
}

function parseColumns(value: unknown, format: OutputFormat, by: GroupKey[]): StatsColumn[] | undefined {
  if (value === undefined) return undefined;
  if (format === 'json') throw new UserError('--columns chỉ dùng với --format table hoặc csv (JSON có đủ các cột)');
  return checkStatsColumns(String(value), by);
}
