import type { Db } from '../db/connection.ts';
import { ACROSS_REFORM_NOTE, afterReform, crossesReform } from '../domain/reform.ts';
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
  /** One Vietnamese line each: the data's span first, then the missing columns, then the reform's (reformWarnings). */
  warnings: string[];
}

/**
 * What `tthc stats` and `tthc dossiers` run before computing: the query fitted to the data's span (fitToData)
 * and every warning about the figures it will give (figureWarnings, over the fitted period).
 */
export async function checkQuery(db: Db, query: StatsQuery, options: CheckOptions = {}): Promise<CheckedQuery> {
  const fitted = await fitToData(db, query, options);
  const missing = await figureWarnings(db, fitted.query, options.figures);
  return { query: fitted.query, warnings: [...fitted.warnings, ...missing, ...reformWarnings(fitted.query)] };
}

/**
 * What figures by level or unit over a period across 1 July 2025 must say: huyện figures cover only the part up
 * to 30/06/2025; and a --level huyen filter over a period after it selects only what districts left pending.
 */
export function reformWarnings(query: StatsQuery): string[] {
  const byLevelOrUnit = (query.by ?? []).some((k) => k === 'level' || k === 'unit') || (query.filters?.level?.length ?? 0) > 0;
  if (byLevelOrUnit && crossesReform(query.period)) return [ACROSS_REFORM_NOTE];
  if (afterReform(query.period) && query.filters?.level?.includes('huyen')) {
    return ['từ 01/07/2025 không còn cấp huyện: --level huyen chỉ gồm hồ sơ của huyện còn giải quyết hoặc tồn sau ngày đó'];
  }
  return [];
}
