import type { Expression, SqlBool } from 'kysely';
import type { Db } from '../db/connection.ts';
import { LEVELS, type Level } from '../domain/levels.ts';
import { KNOWN_FIELDS } from '../domain/abbreviations.ts';
import { NameIndex } from '../domain/names.ts';
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
 * Resolves --unit (a code, or a name) and --field / --exclude-field (names matched against the fields present in
 * the data). Names match as src/domain/names.ts finds them: as stored, through the abbreviations offices use
 * (BHXH, TN&MT, UBND, X.), or typed without marks. A name that matches nothing is an error naming the closest
 * known names, since a typo would otherwise print an empty table or, for an excluded field, leave the field in;
 * a name that matches two different values is an error naming them. Leaving out a field that the data does not
 * have is no error when the field is a known one (the catalogue's, or a common field such as Bảo hiểm xã hội):
 * there is nothing to leave out.
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
    const units = await db.selectFrom('units').select(['code', 'name', 'name_key']).execute();
    // A catalogue may hold thousands of units: their abbreviations are expanded only for a name typed otherwise.
    let index: NameIndex<(typeof units)[number]> | undefined;
    const showUnit = (u: { code: string; name: string }) => `"${u.name}" (mã ${u.code})`;
    out.unitCodes = [];
    for (const wanted of filters.unit) {
      const key = matchKey(wanted);
      const exact = units.filter((u) => u.code === wanted.trim() || u.name_key === key);
      const found = exact.length ? { found: exact } : (index ??= new NameIndex(units, (u) => u.name, 'unit')).lookUp(wanted);
      if ('ambiguous' in found) {
        throw new StatsQueryError(
          `tên đơn vị "${wanted}" khớp nhiều đơn vị: ${found.ambiguous.map(showUnit).join(', ')}; hãy ghi tên có dấu hoặc mã đơn vị`,
        );
      }
      if ('closest' in found) {
        const near = found.closest.length ? `; gần nhất: ${found.closest.map(showUnit).join(', ')}` : '';
        throw new StatsQueryError(`không tìm thấy đơn vị "${wanted}"${near} (xem tthc units list)`);
      }
      out.unitCodes.push(...found.found.map((u) => u.code));
    }
  }
  if (filters.field?.length || filters.excludeField?.length) {
    // Fields are few; reading the distinct values lets the filter match Vietnamese names as people type them.
    // They are read from the summary by half-month, far smaller than the dossiers: a field occurs there with
    // received > 0 exactly when some stored dossier has it (summary.ts).
    const present = (
      await db.selectFrom('dossier_half_months').select('field').distinct().where('field', '<>', '').where('received', '>', 0).execute()
    ).map((r) => r.field);
    const index = new NameIndex(present, (f) => f, 'field');
    const resolve = (wanted: string, option: '--field' | '--exclude-field'): string[] => {
      const found = index.lookUp(wanted);
      if ('found' in found) return found.found;
      if ('ambiguous' in found) {
        throw new StatsQueryError(
          `${option} "${wanted}" khớp nhiều lĩnh vực: ${quoted(found.ambiguous)}; hãy ghi đủ tên lĩnh vực`,
        );
      }
      return [];
    };
    const unknown = (wanted: string, option: '--field' | '--exclude-field') => {
      const closest = index.closest(wanted);
      return new StatsQueryError(
        `${option}: không có lĩnh vực "${wanted}" trong dữ liệu${closest.length ? `; gần nhất: ${quoted(closest)}` : ''}`,
      );
    };
    if (filters.field?.length) {
      out.fields = [];
      for (const wanted of filters.field) {
        const found = resolve(wanted, '--field');
        if (!found.length) throw unknown(wanted, '--field');
        out.fields.push(...found);
      }
    }
    if (filters.excludeField?.length) {
      out.excludeFields = [];
      let known: NameIndex<string> | undefined;
      for (const wanted of filters.excludeField) {
        const found = resolve(wanted, '--exclude-field');
        if (found.length) {
          out.excludeFields.push(...found);
          continue;
        }
        known ??= new NameIndex(
          [
            ...KNOWN_FIELDS,
            ...(await db.selectFrom('procedures').select('field').distinct().where('field', 'is not', null).execute()).map((r) => r.field!),
          ],
          (f) => f,
          'field',
        );
        if (!('found' in known.lookUp(wanted))) throw unknown(wanted, '--exclude-field');
      }
    }
  }
  return out;
}

const quoted = (names: string[]) => names.map((n) => `"${n}"`).join(', ');

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
