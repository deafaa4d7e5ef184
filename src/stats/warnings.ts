import type { Db } from '../db/connection.ts';
import { fitToData, type FitOptions } from './coverage.ts';
import { figureWarnings } from './missing-fields.ts';
import type { CountFigure, StatsQuery } from './types.ts';

export interface CheckOptions extends FitOptions {
  /** The figures that will be shown (default: all): missing columns that cannot change them are not named. */
  figures?: readonly CountFigure[];
}

export interface CheckedQuery {
  /** The query to compute: cut at the data's last day when fitToData cut it. */
  query: StatsQuery;
  /** One Vietnamese line each: the data's span first, then the missing columns. */
  warnings: string[];
}

/**
 * What `tthc stats` and `tthc dossiers` run before computing: the query fitted to the data's span (fitToData)
 * and every warning about the figures it will give (figureWarnings, over the fitted period).
 */
export async function checkQuery(db: Db, query: StatsQuery, options: CheckOptions = {}): Promise<CheckedQuery> {
  const fitted = await fitToData(db, query, options);
  const missing = await figureWarnings(db, fitted.query, options.figures);
  return { query: fitted.query, warnings: [...fitted.warnings, ...missing] };
}
