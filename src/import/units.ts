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

export type UnitMatch = { ok: true; code: string } | { ok: false; reason: string };

/**
 * Finds the unit an export names, by code or by name as the importer matches names (case, spacing, Unicode
 * form, tone placement). A name the catalogue does not know becomes a new unit whose level is read from the
 * name ("UBND xã …" → xa); the new units are written with the file that brought them.
 */
export class UnitResolver {
  private readonly byKey = new Map<string, string>();
  private readonly codes = new Set<string>();
  readonly created: UnitTable[] = [];

  private constructor(units: Array<Pick<UnitTable, 'code' | 'name_key'>>) {
    for (const unit of units) {
      this.codes.add(unit.code);
      if (!this.byKey.has(unit.name_key)) this.byKey.set(unit.name_key, unit.code);
    }
  }

  static async load(db: Db): Promise<UnitResolver> {
    return new UnitResolver(await db.selectFrom('units').select(['code', 'name_key']).execute());
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
    if (known) return { ok: true, code: known };
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
