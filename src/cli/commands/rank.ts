import type { Command } from 'commander';
import { loadProfile766 } from '../../domain/index-766.ts';
import { rankUnits766 } from '../../rank/rank.ts';
import { renderRanking } from '../../rank/render.ts';
import { checkQuery } from '../../stats/warnings.ts';
import { parseFormat, UserError, withDb } from '../common.ts';
import { addPeriodAndFilterOptions, statsQueryFromOptions } from '../stats-options.ts';
import { addWholePeriodsOption, printWarnings } from '../warnings.ts';
import { SUMMARIES } from '../summaries.ts';

export function register(program: Command): void {
  const cmd = program
    .command('rank')
    .description(SUMMARIES.rank)
    .option('--format <format>', 'table, csv or json', 'table')
    .option('--profile-766 <file>', 'the index profile (weights, formulas, class thresholds) to use instead of the shipped reports/index-766.json (docs/index-766.md)')
    .option('--by <keys>', 'rank within each year or month too: year, month');
  addPeriodAndFilterOptions(cmd);
  addWholePeriodsOption(cmd);
  cmd.action(async (opts: Record<string, unknown>, command: Command) => {
    const format = parseFormat(String(opts.format));
    const profile = opts.profile766 === undefined ? loadProfile766() : loadProfile766(String(opts.profile766));
    const query = statsQueryFromOptions(opts);
    const other = (query.by ?? []).filter((k) => k !== 'year' && k !== 'month');
    if (other.length) throw new UserError(`--by của rank chỉ nhận year, month (đơn vị luôn được xếp hạng trong từng cấp), không nhận: ${other.join(', ')}`);
    const { ranking, warnings } = await withDb(command, async (db) => {
      const checked = await checkQuery(db, { ...query, progress766: true }, { wholePeriods: opts.wholePeriods === true });
      return { ranking: await rankUnits766(db, checked.query, profile), warnings: checked.warnings };
    });
    process.stdout.write(renderRanking(ranking, format));
    // The indicators the data lacks (ranking.warnings) in every format, as stats prints them.
    printWarnings([...warnings, ...ranking.warnings]);
  });
}
