import type { Expression, SqlBool } from 'kysely';
import type { Db } from '../db/connection.ts';
import { LEVELS, type Level } from '../domain/levels.ts';
import { matchKey } from '../domain/text.ts';
import type { FigureBuilder } from './figures.ts';
import { StatsQueryError, type StatsFilters } from './types.ts';

/** Filters with the names the user typed resolved against the database: unit codes and stored field values. */
export interface ResolvedFilters {
  levels?: Level[];
  unitCodes?: string[];
  fields?: string[];
  excludeFields?: string[];
}

/**
 * Resolves --unit (a code, or a name matched as the importer matches names) and --field / --exclude-field
 * (matched the same way against the fields present in the data). An unknown unit or field is an error, since
 * a typo would otherwise print an empty table; an excluded field that does not occur excludes nothing.
 */
export async function resolveFilters(db: Db, filters: StatsFilters = {}): Promise<ResolvedFilters> {
  const out: ResolvedFilters = {};
  if (filters.level?.length) {
    for (const level of filters.level) {
      if (!LEVELS.includes(level)) throw new StatsQueryError(`cấp không hợp lệ: "${level}" (tinh, huyen hoặc xa)`);
    }
    out.levels = [...new Set(filters.level)];
  }
  if (filters.unit?.length) {
    const units = await db.selectFrom('units').select(['code', 'name_key']).execute();
    out.unitCodes = [];
    for (const wanted of filters.unit) {
      const key = matchKey(wanted);
      const found = units.filter((u) => u.code === wanted.trim() || u.name_key === key);
      if (!found.length) throw new StatsQueryError(`không tìm thấy đơn vị "${wanted}" (xem tthc units list)`);
      out.unitCodes.push(...found.map((u) => u.code));
    }
  }
  if (filters.field?.length || filters.excludeField?.length) {
    // Fields are few; reading the distinct values lets the filter match Vietnamese names as people type them.
    // They are read from the summary by half-month, far smaller than the dossiers: a field occurs there with
    // received > 0 exactly when some stored dossier has it (summary.ts).
    const present = (
      await db.selectFrom('dossier_half_months').select('field').distinct().where('field', '<>', '').where('received', '>', 0).execute()
    ).map((r) => r.field);
    const matching = (wanted: string) => present.filter((f) => matchKey(f) === matchKey(wanted));
    if (filters.field?.length) {
      out.fields = [];
      for (const wanted of filters.field) {
        const found = matching(wanted);
        if (!found.length) {
          const known = present.slice(0, 12).map((f) => `"${f}"`).join(', ');
          throw new StatsQueryError(`không có lĩnh vực "${wanted}" trong dữ liệu${known ? ` (có: ${known}${present.length > 12 ? ', …' : ''})` : ''}`);
        }
        out.fields.push(...found);
      }
    }
    if (filters.excludeField?.length) out.excludeFields = filters.excludeField.flatMap(matching);
  }
  return out;
}

/** The filters as one condition on the dossier `d`. */
export function filterCondition(eb: FigureBuilder, filters: ResolvedFilters): Expression<SqlBool> {
  const parts: Expression<SqlBool>[] = [];
  if (filters.levels) {
    parts.push(eb('d.unit_code', 'in', eb.selectFrom('units').select('code').where('level', 'in', filters.levels)));
  }
  if (filters.unitCodes) parts.push(eb('d.unit_code', 'in', filters.unitCodes));
  if (filters.fields) parts.push(eb('d.field', 'in', filters.fields));
  if (filters.excludeFields?.length) {
    parts.push(eb.or([eb('d.field', 'is', null), eb('d.field', 'not in', filters.excludeFields)]));
  }
  return eb.and(parts);
}
