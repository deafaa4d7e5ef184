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
    .option('--format <format>', 'table, csv or json', 'table');
  addPeriodAndFilterOptions(cmd);
  addGroupingOption(cmd);
  addWholePeriodsOption(cmd);
  cmd.action(async (opts: Record<string, unknown>, command: Command) => {
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

function parseFigure(value: unknown): TracedFigure {
  if (value === undefined) throw new UserError(`thiếu --figure (một trong: ${TRACEABLE_COUNTS.join(', ')}, hoặc cột Biểu 06 như "(5)")`);
  return traceFigure(String(value));
}

/** The QĐ 766 rate each of its counts belongs to. */
const INDICATOR_RATE_OF: Partial<Record<DossierFigure, Indicator766Rate>> = {
  receivedFullOnline: 'fullOnlineRate', fullOnlineEligible: 'fullOnlineRate', paidOnline: 'onlinePaymentRate', withFee: 'onlinePaymentRate',
  digitised: 'digitisedRate', digitisedBase: 'digitisedRate', electronicResult: 'electronicResultRate',
  electronicResultBase: 'electronicResultRate', dissatisfied: 'satisfactionRate', satisfactionBase: 'satisfactionRate',
};
