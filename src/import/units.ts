import type { Db } from '../db/connection.ts';
import type { UnitTable } from '../db/schema.ts';
import { inferLevelFromUnitName } from '../domain/levels.ts';
import { ownCopy } from '../domain/memo.ts';
import { matchKey } from '../domain/text.ts';

/**
 * Code given to a unit first met in an export, read from its name without marks ("UBND xã Âm Hạ" →
 * "auto-ubnd-xa-am-ha"), so that files imported in any order agree on it. `taken` adds a number when two names
 * differ only in their marks.
 */
export function autoUnitCode(name: string, taken: (code: string) => boolean = () => false): string {
  const slug = name
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .replace(/[đĐ]/g, 'd')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
  let code = `auto-${slug}`;
  for (let n = 2; taken(code); n++) code = `auto-${slug}-${n}`;
  return code;
}

/** A catalogue unit as a name finds it: its code and validity. */
export interface DatedUnit {
  code: string;
  valid_from: string | null;
  valid_to: string | null;
}

/**
 * The unit a name or code finds. `dated` is set when the name is that of several catalogue units valid at
 * different times (a merged commune named after one of its old communes): the unit is then the one valid on the
 * dossier's day (unitOnDay), and `code` the first of them.
 */
export type UnitMatch = { ok: true; code: string; dated?: DatedUnit[] } | { ok: false; reason: string };

/** Of several units of one name, the one valid on a day ('yyyy-MM-dd'), else the first. */
export function unitOnDay(units: readonly DatedUnit[], day: string): string {
  const valid = units.find((u) => (u.valid_from === null || u.valid_from <= day) && (u.valid_to === null || u.valid_to >= day));
  return (valid ?? units[0]).code;
}

/**
 * Finds the unit an export names, by code or by name as the importer matches names (case, spacing, Unicode
 * form, tone placement). A name the catalogue does not know becomes a new unit whose level is read from the
 * name ("UBND xã …" → xa); the new units are written with the file that brought them.
 */
export class UnitResolver {
  private readonly byKey = new Map<string, string>();
  /** The names shared by several units, with those units. */
  private readonly datedByKey = new Map<string, DatedUnit[]>();
  private readonly codes = new Set<string>();
  readonly created: UnitTable[] = [];

  private constructor(units: Array<Pick<UnitTable, 'code' | 'name_key' | 'valid_from' | 'valid_to'>>) {
    const byKey = new Map<string, DatedUnit[]>();
    for (const unit of units) {
      this.codes.add(unit.code);
      if (!this.byKey.has(unit.name_key)) this.byKey.set(unit.name_key, unit.code);
      byKey.set(unit.name_key, [...(byKey.get(unit.name_key) ?? []), unit]);
    }
    for (const [key, list] of byKey) if (list.length > 1) this.datedByKey.set(key, list);
  }

  static async load(db: Db): Promise<UnitResolver> {
    return new UnitResolver(await db.selectFrom('units').select(['code', 'name_key', 'valid_from', 'valid_to']).execute());
  }

  private readonly known = new Map<string, UnitMatch>();

  /** Exports repeat a handful of unit names on every row: each distinct spelling is looked up once. */
  resolve(name: string): UnitMatch {
    let match = this.known.get(name);
    if (!match) {
      match = this.lookUp(ownCopy(name));
      this.known.set(ownCopy(name), match);
    }
    return match;
  }

  private lookUp(name: string): UnitMatch {
    if (this.codes.has(name)) return { ok: true, code: name };
    const key = matchKey(name);
    const known = this.byKey.get(key);
    const dated = this.datedByKey.get(key);
    if (known) return dated ? { ok: true, code: known, dated } : { ok: true, code: known };
    const level = inferLevelFromUnitName(name);
    if (!level) {
      return {
        ok: false,
        reason: `đơn vị "${name}" chưa có trong danh mục và không đoán được cấp từ tên (nhập danh mục bằng "tthc units import")`,
      };
    }
    const code = autoUnitCode(name, (c) => this.codes.has(c));
    this.created.push({
      code, name, name_key: key, level,
      parent_code: null, valid_from: null, valid_to: null, successor_code: null,
    });
    this.byKey.set(key, code);
    this.codes.add(code);
    return { ok: true, code };
  }
}
