// tthc as a library: what the CLI and the web page call. Everything here is typed; errors a user can cause are
// UserError (with a one-line Vietnamese message), anything else is a bug.
//
//   import { openDatabase, importFiles, computeStats } from 'tthc';
//   const db = await openDatabase('tthc.db');
//   await importFiles(db, ['exports/']);
//   const rows = await computeStats(db, { period: { from: '2022-01-01', to: '2022-12-31' }, by: ['level'] });
//   await db.destroy();

export { UserError } from './domain/errors.ts';
export { openDatabase, resolveDbTarget, DEFAULT_DB, type Db } from './db/connection.ts';
export { importFiles, importUnits, importProcedures, expandPaths, type FileSummary, type ImportFilesOptions } from './import/index.ts';
export { importUnitMapping } from './import/catalogues.ts';
export { listBatches, type BatchRecord } from './import/batches.ts';
export { listRejects, type RejectedRowRecord } from './import/rejects.ts';
export { listProcedures, type ProcedureRecord } from './import/procedures.ts';
export { listUnits, findUnit, type UnitRecord } from './units/catalogue.ts';
export { unitHistory, type HistoryEntry } from './units/chain.ts';
export { computeStats, listDossiers, ratesOf, renderStatsTable, renderDossiers, checkQuery, dataCoverage } from './stats/index.ts';
export type { StatsQuery, StatsRow, Counts, Rates, GroupKey, StatsFilters } from './stats/types.ts';
export {
  yearPeriod, quarterPeriod, monthPeriod, reportingMonthPeriod, reportingYearPeriod, rangePeriod, type Period,
} from './domain/periods.ts';
export { verifyDatabase, repairSummary, type VerifyResult } from './audit/verify.ts';
export { readPublishedTable, type PublishedFigure } from './audit/published.ts';
export { checkAgainstDatabase } from './audit/check.ts';
export { checkSelf } from './audit/self-check.ts';
export { rankUnits766, renderRanking, type Ranking, type RankedUnit } from './rank/index.ts';
export { loadProfile766, pointsFor, classify, type Profile766 } from './domain/index-766.ts';
export { vietnamCalendar, isWorkingDay, addWorkingDays, workingDaysBetween } from './domain/working-days.ts';
export { parseDuration, dueDayOf, processingWorkingDays, type Duration } from './domain/due-day.ts';
export { listDueWithin, renderDueWithin, type DueWithinQuery, type DueWithinResult, type DueDossierRow } from './stats/due-within.ts';
export type { ReportOptions, ReportResult } from './report/index.ts';

/** Writes the report workbook; the report's libraries (exceljs, vega) load on the first call, not on import. */
export async function writeReport(
  db: import('./db/connection.ts').Db,
  options: import('./report/index.ts').ReportOptions,
): Promise<import('./report/index.ts').ReportResult> {
  const report = await import('./report/index.ts');
  return report.writeReport(db, options);
}

/** Starts the web page's server (`tthc serve`); hono and the page's code load on the first call. */
export async function startServer(
  options: import('./serve/index.ts').ServeOptions,
): Promise<import('./serve/index.ts').RunningServer> {
  const serve = await import('./serve/index.ts');
  return serve.startServer(options);
}
