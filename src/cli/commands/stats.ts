import type { Command } from 'commander';
import { computeStats } from '../../stats/compute.ts';
import { renderStatsTable } from '../../stats/render.ts';
import { checkQuery } from '../../stats/warnings.ts';
import { parseFormat, withDb } from '../common.ts';
import { addGroupingOption, addPeriodAndFilterOptions, statsQueryFromOptions } from '../stats-options.ts';
import { addWholePeriodsOption, printWarnings } from '../warnings.ts';

export function register(program: Command): void {
  const cmd = program
    .command('stats')
    .description('Counts and rates of DOMAIN.md for a period: new receipts by channel, carried over, resolved, withdrawn, pending')
    .option('--format <format>', 'table, csv or json', 'table');
  addPeriodAndFilterOptions(cmd);
  addGroupingOption(cmd);
  addWholePeriodsOption(cmd);
  cmd.action(async (opts: Record<string, unknown>, command: Command) => {
    const format = parseFormat(String(opts.format));
    const query = statsQueryFromOptions(opts);
    const { rows, warnings } = await withDb(command, async (db) => {
      const checked = await checkQuery(db, query, { wholePeriods: opts.wholePeriods === true });
      return { rows: await computeStats(db, checked.query), warnings: checked.warnings };
    });
    process.stdout.write(renderStatsTable(rows, format));
    printWarnings(warnings);
  });
}
