import type { Command } from 'commander';
import { listDossiers } from '../../stats/dossiers.ts';
import { renderDossiers } from '../../stats/render.ts';
import { COUNT_FIGURES, type CountFigure } from '../../stats/types.ts';
import { checkQuery } from '../../stats/warnings.ts';
import { parseFormat, UserError, withDb } from '../common.ts';
import { addGroupingOption, addPeriodAndFilterOptions, statsQueryFromOptions } from '../stats-options.ts';
import { addWholePeriodsOption, printWarnings } from '../warnings.ts';

export function register(program: Command): void {
  const cmd = program
    .command('dossiers')
    .description('List the dossiers behind one figure of `tthc stats` (same period and filters), to trace a number')
    .option('--figure <name>', `the figure: ${COUNT_FIGURES.join(', ')}`)
    .option('--format <format>', 'table, csv or json', 'table');
  addPeriodAndFilterOptions(cmd);
  addGroupingOption(cmd);
  addWholePeriodsOption(cmd);
  cmd.action(async (opts: Record<string, unknown>, command: Command) => {
    const figure = parseFigure(opts.figure);
    const format = parseFormat(String(opts.format));
    const query = statsQueryFromOptions(opts);
    // The same period as `tthc stats` computes (cut at the data's last day), so the list matches the figure.
    const { rows, warnings } = await withDb(command, async (db) => {
      const checked = await checkQuery(db, query, { wholePeriods: opts.wholePeriods === true, figures: [figure] });
      return { rows: await listDossiers(db, checked.query, figure), warnings: checked.warnings };
    });
    process.stdout.write(renderDossiers(rows, format));
    printWarnings(warnings);
  });
}

function parseFigure(value: unknown): CountFigure {
  if (value === undefined) throw new UserError(`thiếu --figure (một trong: ${COUNT_FIGURES.join(', ')})`);
  if (!(COUNT_FIGURES as readonly string[]).includes(String(value))) {
    throw new UserError(`--figure không hợp lệ: "${value}" (một trong: ${COUNT_FIGURES.join(', ')})`);
  }
  return value as CountFigure;
}
