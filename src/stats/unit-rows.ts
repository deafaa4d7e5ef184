import type { Db } from '../db/connection.ts';
import type { Level } from '../domain/levels.ts';
import { levelNote, levelsOfPeriod } from '../domain/reform.ts';
import { validIn } from '../units/chain.ts';
import type { ResolvedFilters } from './filters.ts';
import { assemble, fillPeriods, sortRows, ZERO, type Keys } from './rows.ts';
import type { SubPeriod } from './sub-periods.ts';
import { COUNT_FIGURES, type GroupKey, type StatsRow } from './types.ts';

// A per-unit table lists every catalogue unit valid at some day of the period, with zeros where it had nothing,
// as Phụ lục 02 does (UBND huyện Phù Ninh, June 2020: 0 / 0 / 0). Units the importer created from an export's
// names (code 'auto-…', no validity) are listed only when they have dossiers in the period, and so is a unit
// valid outside the period that still has dossiers taking part in it (carried over), so that figures add up.
// Zeros are shown only for what existed: no zero row of a unit in a sub-period it was not valid in, and no zero
// row of the huyện level in a sub-period after 30/06/2025 (src/domain/reform.ts).

type CatalogueRow = { code: string; name: string; level: Level; valid_from: string | null; valid_to: string | null };

/** Whether a grouping is a per-unit table: by unit, with no key other than the period's and the level. */
function perUnitTable(by: readonly GroupKey[]): boolean {
  return by.includes('unit') && by.every((k) => k === 'unit' || k === 'level' || k === 'year' || k === 'month');
}

/**
 * The last step of both ways of computing statistics: catalogue units added (addCatalogueUnits), holes filled
 * (fillPeriods), zero rows of units and levels that did not exist in their sub-period removed, the notes of
 * huyện rows around the reform added, and the rows sorted.
 */
export async function completeRows(
  db: Db,
  rows: StatsRow[],
  by: GroupKey[],
  period: { from: string; to: string },
  periods: readonly SubPeriod[],
  filters: ResolvedFilters,
): Promise<StatsRow[]> {
  const units = by.includes('unit') || by.includes('level')
    ? ((await db.selectFrom('units').select(['code', 'name', 'level', 'valid_from', 'valid_to']).execute()) as CatalogueRow[])
    : [];
  const filled = fillPeriods(addCatalogueUnits(units, rows, by, period, periods, filters), by, periods);
  return sortRows(withLevelNotes(dropAbsent(filled, units, filters)), by);
}

/**
 * The rows with a zero row added, in every sub-period, for each catalogue unit valid in the period (by the
 * units of a day: the unit each of them counts under) that the filters select and that has no row.
 */
function addCatalogueUnits(
  units: readonly CatalogueRow[],
  rows: StatsRow[],
  by: GroupKey[],
  period: { from: string; to: string },
  periods: readonly SubPeriod[],
  filters: ResolvedFilters,
): StatsRow[] {
  if (!perUnitTable(by)) return rows;
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

const isZero = (row: StatsRow) => COUNT_FIGURES.every((f) => row[f] === 0);

/**
 * The rows without the zero rows of a level or a unit that did not exist in the row's sub-period: a huyện row
 * after 30/06/2025, a catalogue unit not valid on any of its days (by the units of a day, a unit exists while
 * one of the units it stands for does). Rows with figures always stay, so that figures add up.
 */
function dropAbsent(rows: StatsRow[], units: readonly CatalogueRow[], filters: ResolvedFilters): StatsRow[] {
  if (!rows.some(isZero)) return rows;
  const levelOf = new Map<string, Level>();
  const membersOf = new Map<string, CatalogueRow[]>();
  for (const unit of units) {
    const effective = filters.unitMap?.byCode.get(unit.code);
    const code = effective?.code ?? unit.code;
    levelOf.set(code, effective?.level ?? unit.level);
    if (unit.code.startsWith('auto-')) continue;
    const list = membersOf.get(code) ?? [];
    list.push(unit);
    membersOf.set(code, list);
  }
  return rows.filter((row) => {
    if (!isZero(row)) return true;
    const level = row.level ?? (row.unitCode !== undefined ? levelOf.get(row.unitCode) : undefined);
    if (level !== undefined && !levelsOfPeriod(row).includes(level)) return false;
    const members = row.unitCode !== undefined ? membersOf.get(row.unitCode) : undefined;
    return !members || members.some((unit) => validIn(unit, row.from, row.to));
  });
}

/** Huyện rows of a sub-period across or after the reform carry its note (levelNote). */
function withLevelNotes(rows: StatsRow[]): StatsRow[] {
  for (const row of rows) {
    const note = levelNote(row.level, row);
    if (note) row.notes = [note];
  }
  return rows;
}
