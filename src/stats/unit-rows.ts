import type { Db } from '../db/connection.ts';
import { validIn } from '../units/chain.ts';
import type { ResolvedFilters } from './filters.ts';
import { assemble, ZERO, type Keys } from './rows.ts';
import type { SubPeriod } from './sub-periods.ts';
import type { GroupKey, StatsRow } from './types.ts';

// A per-unit table lists every catalogue unit valid at some day of the period, with zeros where it had nothing,
// as Phụ lục 02 does (UBND huyện Phù Ninh, June 2020: 0 / 0 / 0). Units the importer created from an export's
// names (code 'auto-…', no validity) are listed only when they have dossiers in the period, and so is a unit
// valid outside the period that still has dossiers taking part in it (carried over), so that figures add up.

/** Whether a grouping is a per-unit table: by unit, with no key other than the period's and the level. */
function perUnitTable(by: readonly GroupKey[]): boolean {
  return by.includes('unit') && by.every((k) => k === 'unit' || k === 'level' || k === 'year' || k === 'month');
}

/**
 * The rows with a zero row added, in every sub-period, for each catalogue unit valid in the period (by the
 * units of a day: the unit each of them counts under) that the filters select and that has no row.
 */
export async function addCatalogueUnits(
  db: Db,
  rows: StatsRow[],
  by: GroupKey[],
  period: { from: string; to: string },
  periods: readonly SubPeriod[],
  filters: ResolvedFilters,
): Promise<StatsRow[]> {
  if (!perUnitTable(by)) return rows;
  const units = await db.selectFrom('units').select(['code', 'name', 'level', 'valid_from', 'valid_to']).execute();
  const unitCodes = filters.unitCodes ? new Set(filters.unitCodes) : undefined;
  const listed = new Map<string, Keys>();
  for (const unit of units) {
    if (unit.code.startsWith('auto-') || !validIn(unit, period.from, period.to)) continue;
    if (unitCodes && !unitCodes.has(unit.code)) continue;
    const effective = filters.unitMap?.byCode.get(unit.code) ?? unit;
    if (filters.levels && !filters.levels.includes(effective.level)) continue;
    listed.set(effective.code, { level: effective.level, unitCode: effective.code, unitName: effective.name });
  }
  const present = new Set(rows.map((r) => `${r.from}|${r.unitCode}`));
  const added = [...rows];
  for (const p of periods) {
    for (const keys of listed.values()) {
      if (!present.has(`${p.from}|${keys.unitCode}`)) added.push(assemble(by, p, keys, ZERO));
    }
  }
  return added;
}
