import type { Migration } from 'kysely';
import { initial } from './0001-initial.ts';
import { halfMonthSummary } from './0002-half-month-summary.ts';
import { sheetsAndFormats } from './0003-sheets-and-formats.ts';
import { rulesVersion } from './0004-rules-version.ts';
import { dossierOutcome } from './0005-dossier-outcome.ts';
import { receivingUnit } from './0006-receiving-unit.ts';
import { periodIndexes } from './0007-period-indexes.ts';
import { indicatorColumns } from './0008-indicator-columns.ts';
import { workingDays } from './0009-working-days.ts';
import { summaryHalfMonthIndex } from './0010-summary-by-half-month-index.ts';
import { summaryByProcedure } from './0011-summary-by-procedure.ts';
import { overdueFromEndedAtIndex } from './0012-overdue-from-ended-at-index.ts';

/**
 * Every migration, in order. A static list rather than a folder scan, so that the set of migrations is part of
 * the code that ships. Applied migrations are recorded in kysely_migration and never run again.
 */
export const migrations: Record<string, Migration> = {
  '0001-initial': initial,
  '0002-half-month-summary': halfMonthSummary,
  '0003-sheets-and-formats': sheetsAndFormats,
  '0004-rules-version': rulesVersion,
  '0005-dossier-outcome': dossierOutcome,
  '0006-receiving-unit': receivingUnit,
  '0007-period-indexes': periodIndexes,
  '0008-indicator-columns': indicatorColumns,
  '0009-working-days': workingDays,
  '0010-summary-by-half-month-index': summaryHalfMonthIndex,
  '0011-summary-by-procedure': summaryByProcedure,
  '0012-overdue-from-ended-at-index': overdueFromEndedAtIndex,
};
