import { sql, type Expression, type SqlBool } from 'kysely';
import type { Db } from '../db/connection.ts';
import { LEVELS, type Level } from '../domain/levels.ts';
import { KNOWN_FIELDS } from '../domain/abbreviations.ts';
import { NameIndex } from '../domain/names.ts';
import { matchKey } from '../domain/text.ts';
import { effectiveUnits, UnitCycleError, UnknownSuccessorError, type EffectiveUnit } from '../units/chain.ts';
import type { FigureBuilder } from './figures.ts';
import { StatsQueryError, type StatsFilters } from './types.ts';

/** Filters with the names the user typed resolved against the database: unit codes and stored field values. */
export interface ResolvedFilters {
  levels?: Level[];
  unitCodes?: string[];
  fields?: string[];
  excludeFields?: string[];
  /** --receiving-unit: the receiving unit names stored that the names typed match. */
  receivingUnits?: string[];
  /** With --units-as-of: every unit code's effective unit on that day; levels and units filter those. */
  unitMap?: UnitMap;
  /** With --units-as-of and a level filter: the unit codes whose effective unit has one of the levels. */
  levelUnitCodes?: string[];
}

export interface UnitMap {
  asOf: string;
  byCode: Map<string, EffectiveUnit>;
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
  if (filters.unitsAsOf !== undefined) out.unitMap = await unitMapOn(db, filters.unitsAsOf);
  if (out.unitMap && out.levels) {
    const levels = out.levels;
    out.levelUnitCodes = [...out.unitMap.byCode].filter(([, u]) => levels.includes(u.level)).map(([code]) => code);
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
    if (out.unitMap) {
      // By the units of a day, a unit stands for every unit whose dossiers it counts (the units merged into it).
      const byCode = out.unitMap.byCode;
      const wanted = new Set(out.unitCodes.map((code) => byCode.get(code)?.code ?? code));
      out.unitCodes = [...byCode].filter(([, u]) => wanted.has(u.code)).map(([code]) => code);
    }
  }
  if (filters.receivingUnit?.length) out.receivingUnits = await resolveReceivingUnits(db, filters.receivingUnit);
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

/**
 * The stored receiving-unit names that the names typed match (as stored, through abbreviations, without marks);
 * a name that matches none is an error naming the closest, one that matches two is an error naming them.
 */
async function resolveReceivingUnits(db: Db, wanted: readonly string[]): Promise<string[]> {
  const present = (
    await db.selectFrom('dossiers').select('receiving_unit').distinct().where('receiving_unit', 'is not', null).execute()
  ).map((r) => r.receiving_unit!);
  const index = new NameIndex(present, (name) => name, 'unit');
  const out: string[] = [];
  for (const name of wanted) {
    const exact = present.filter((p) => matchKey(p) === matchKey(name));
    const found = exact.length ? { found: exact } : index.lookUp(name);
    if ('ambiguous' in found) {
      throw new StatsQueryError(`--receiving-unit "${name}" khớp nhiều nơi tiếp nhận: ${quoted(found.ambiguous)}; hãy ghi đủ tên`);
    }
    if ('closest' in found) {
      const near = found.closest.length ? `; gần nhất: ${quoted(found.closest)}` : present.length ? '' : '; dữ liệu chưa có cột nơi tiếp nhận';
      throw new StatsQueryError(`--receiving-unit: không có nơi tiếp nhận "${name}" trong dữ liệu${near}`);
    }
    out.push(...found.found);
  }
  return out;
}

/** Every unit's effective unit on a day (src/units/chain.ts); a loop or an unknown successor is a user's error. */
export async function unitMapOn(db: Db, day: string): Promise<UnitMap> {
  const units = await db.selectFrom('units').select(['code', 'name', 'level', 'valid_from', 'valid_to', 'successor_code']).execute();
  try {
    return { asOf: day, byCode: effectiveUnits(units, day) };
  } catch (error) {
    if (error instanceof UnitCycleError || error instanceof UnknownSuccessorError) throw new StatsQueryError(error.message);
    throw error;
  }
}

/**
 * The units as a relation u(code, eff_code, name, level): each unit code with the unit it counts under (itself
 * by the units of the time, its effective unit with a UnitMap) and that unit's name and level. With a map it is
 * a VALUES list built from the catalogue, which is small; the columns column1… are the names both SQLite and
 * PostgreSQL give a VALUES list's columns.
 */
export function unitsRelation(db: Db, map: UnitMap | undefined) {
  if (!map || map.byCode.size === 0) {
    return db.selectFrom('units').select(['code', 'code as eff_code', 'name', 'level']).as('u');
  }
  const values = sql.join([...map.byCode].map(([code, u]) => sql`(${code}, ${u.code}, ${u.name}, ${u.level})`));
  return sql<{ code: string; eff_code: string; name: string; level: Level }>`(select column1 as code, column2 as eff_code, column3 as name, column4 as level from (values ${values}) as v)`.as('u');
}

/** A condition on a unit code column: one of `codes` (no code at all: false). */
export function unitCodeIn(eb: any, column: string, codes: readonly string[]): Expression<SqlBool> {
  return codes.length ? eb(column, 'in', codes) : sql<SqlBool>`1 = 0`;
}

const quoted = (names: string[]) => names.map((n) => `"${n}"`).join(', ');

/** The filters as one condition on the dossier `d`. */
export function filterCondition(eb: FigureBuilder, filters: ResolvedFilters): Expression<SqlBool> {
  const parts: Expression<SqlBool>[] = [];
  if (filters.levelUnitCodes) parts.push(unitCodeIn(eb, 'd.unit_code', filters.levelUnitCodes));
  else if (filters.levels) {
    parts.push(eb('d.unit_code', 'in', eb.selectFrom('units').select('code').where('level', 'in', filters.levels)));
  }
  if (filters.unitCodes) parts.push(unitCodeIn(eb, 'd.unit_code', filters.unitCodes));
  if (filters.receivingUnits) parts.push(eb('d.receiving_unit', 'in', filters.receivingUnits));
  if (filters.fields) parts.push(eb('d.field', 'in', filters.fields));
  if (filters.excludeFields?.length) {
    parts.push(eb.or([eb('d.field', 'is', null), eb('d.field', 'not in', filters.excludeFields)]));
  }
  return eb.and(parts);
}
