import type { Db } from '../db/connection.ts';
import { UserError } from '../domain/errors.ts';
import { LEVELS, type Level } from '../domain/levels.ts';
import { matchKey } from '../domain/text.ts';
import type { CatalogueUnit } from './chain.ts';

/** A unit of the catalogue, as `tthc units list` shows it. */
export interface UnitRecord {
  code: string;
  name: string;
  level: Level;
  parentCode: string | null;
  validFrom: string | null;
  validTo: string | null;
  successorCode: string | null;
}

const collator = new Intl.Collator('vi');

/** The unit catalogue, by level (tỉnh, huyện, xã) then by name in Vietnamese order. */
export async function listUnits(db: Db): Promise<UnitRecord[]> {
  const rows = (await db
    .selectFrom('units')
    .select(['code', 'name', 'level', 'parent_code as parentCode', 'valid_from as validFrom', 'valid_to as validTo', 'successor_code as successorCode'])
    .execute()) as UnitRecord[];
  return rows.sort((a, b) => LEVELS.indexOf(a.level) - LEVELS.indexOf(b.level) || collator.compare(a.name, b.name));
}

/**
 * Every catalogue unit (for the chains of successors) and the one a user named, by code or by name whatever its
 * case and marks. A name that matches no unit, or several, is a UserError saying so.
 */
export async function findUnit(db: Db, wanted: string): Promise<{ unit: CatalogueUnit; all: CatalogueUnit[] }> {
  const all = await db.selectFrom('units').select(['code', 'name', 'level', 'valid_from', 'valid_to', 'successor_code']).execute();
  const key = matchKey(wanted);
  const found = all.filter((u) => u.code === wanted.trim() || matchKey(u.name) === key);
  if (!found.length) throw new UserError(`không tìm thấy đơn vị "${wanted}" (xem tthc units list)`);
  if (found.length > 1) {
    throw new UserError(`"${wanted}" khớp nhiều đơn vị: ${found.map((u) => `${u.name} (mã ${u.code})`).join(', ')}; hãy ghi mã đơn vị`);
  }
  return { unit: found[0], all };
}

/** Each unit's name by its code. */
export async function unitNames(db: Db): Promise<Map<string, string>> {
  return new Map((await db.selectFrom('units').select(['code', 'name']).execute()).map((u) => [u.code, u.name]));
}
