import type { Level } from '../domain/levels.ts';
import type { Day } from '../domain/dates.ts';
import { UserError } from '../domain/errors.ts';

// Units over time: a catalogue unit is valid from a day to a day (either open) and may name a successor, the
// unit that took over its work (a merger of communes, a district dissolved into the province's communes). The
// figures "by the units of a day" count each dossier under the unit its own unit had become on that day.

/** A catalogue unit as the chain needs it (the columns of the units table). */
export interface CatalogueUnit {
  code: string;
  name: string;
  level: Level;
  valid_from: string | null;
  valid_to: string | null;
  successor_code: string | null;
}

/** The unit a dossier of some unit counts under on a day. */
export interface EffectiveUnit {
  code: string;
  /** The unit's name, with " (đã giải thể)" when it ended before the day and no unit took over. */
  name: string;
  level: Level;
  /** Ended before the day without a successor: its dossiers stay with it. */
  dissolved: boolean;
}

export const DISSOLVED_MARK = ' (đã giải thể)';

/** A successor chain that comes back to a unit: the units in order, the first repeated at the end. */
export class UnitCycleError extends UserError {
  constructor(readonly codes: string[]) {
    super(`chuỗi đơn vị kế thừa quay vòng: ${codes.join(' → ')} (sửa Mã đơn vị kế thừa trong danh mục đơn vị)`);
  }
}

/** A successor code that names no catalogue unit. */
export class UnknownSuccessorError extends UserError {
  constructor(readonly code: string, readonly successor: string) {
    super(`đơn vị ${code} có Mã đơn vị kế thừa "${successor}" không có trong danh mục đơn vị`);
  }
}

/** Whether a unit is valid on a day: its validity (either end open) contains the day. */
export function validOn(unit: Pick<CatalogueUnit, 'valid_from' | 'valid_to'>, day: Day): boolean {
  return (unit.valid_from === null || unit.valid_from <= day) && (unit.valid_to === null || unit.valid_to >= day);
}

/** Whether a unit is valid at some day of a period: valid_from ≤ its last day and valid_to ≥ its first. */
export function validIn(unit: Pick<CatalogueUnit, 'valid_from' | 'valid_to'>, from: Day, to: Day): boolean {
  return (unit.valid_from === null || unit.valid_from <= to) && (unit.valid_to === null || unit.valid_to >= from);
}

/**
 * Every unit's effective unit on `day`: the unit itself while it has not ended by then (valid_to null or ≥ day);
 * else its successor, followed the same way to the end of the chain; a unit ended without a successor keeps its
 * dossiers, marked dissolved. Throws UnitCycleError for a chain that loops and UnknownSuccessorError for a
 * successor missing from the catalogue.
 */
export function effectiveUnits(units: readonly CatalogueUnit[], day: Day): Map<string, EffectiveUnit> {
  const byCode = new Map(units.map((u) => [u.code, u]));
  const out = new Map<string, EffectiveUnit>();
  const resolve = (start: CatalogueUnit): EffectiveUnit => {
    const path: CatalogueUnit[] = [];
    const seen = new Set<string>();
    let unit = start;
    let found: EffectiveUnit | undefined;
    for (;;) {
      const known = out.get(unit.code);
      if (known) {
        found = known;
        break;
      }
      if (seen.has(unit.code)) throw new UnitCycleError([...path.slice(path.findIndex((u) => u.code === unit.code)).map((u) => u.code), unit.code]);
      seen.add(unit.code);
      path.push(unit);
      const ended = unit.valid_to !== null && unit.valid_to < day;
      if (!ended) {
        found = { code: unit.code, name: unit.name, level: unit.level, dissolved: false };
        break;
      }
      if (unit.successor_code === null) {
        found = { code: unit.code, name: unit.name + DISSOLVED_MARK, level: unit.level, dissolved: true };
        break;
      }
      const next = byCode.get(unit.successor_code);
      if (!next) throw new UnknownSuccessorError(unit.code, unit.successor_code);
      unit = next;
    }
    for (const u of path) out.set(u.code, found);
    return found;
  };
  for (const unit of units) resolve(unit);
  return out;
}

/** The successor chains that loop, whatever the days (a catalogue check at import): each as its codes. */
export function successorCycles(units: readonly CatalogueUnit[]): string[][] {
  const byCode = new Map(units.map((u) => [u.code, u]));
  const done = new Set<string>();
  const cycles: string[][] = [];
  for (const start of units) {
    const path: string[] = [];
    const onPath = new Set<string>();
    let code: string | null = start.code;
    while (code !== null && !done.has(code)) {
      if (onPath.has(code)) {
        cycles.push([...path.slice(path.indexOf(code)), code]);
        break;
      }
      onPath.add(code);
      path.push(code);
      code = byCode.get(code)?.successor_code ?? null;
    }
    for (const c of path) done.add(c);
  }
  return cycles;
}

/** One unit of a history: how it relates to the unit asked about, and its validity. */
export interface HistoryEntry {
  relation: 'trước' | 'đơn vị' | 'sau';
  unit: CatalogueUnit;
}

/**
 * A unit's history: its predecessors (every unit whose chain of successors leads to it, earliest first), the
 * unit, then its successors in order. Stops at a loop instead of following it.
 */
export function unitHistory(units: readonly CatalogueUnit[], code: string): HistoryEntry[] {
  const byCode = new Map(units.map((u) => [u.code, u]));
  const unit = byCode.get(code);
  if (!unit) return [];
  const predecessorsOf = new Map<string, CatalogueUnit[]>();
  for (const u of units) {
    if (u.successor_code === null) continue;
    const list = predecessorsOf.get(u.successor_code) ?? [];
    list.push(u);
    predecessorsOf.set(u.successor_code, list);
  }
  const seen = new Set([code]);
  const before: CatalogueUnit[] = [];
  const queue = [code];
  while (queue.length) {
    for (const p of predecessorsOf.get(queue.shift()!) ?? []) {
      if (seen.has(p.code)) continue;
      seen.add(p.code);
      before.push(p);
      queue.push(p.code);
    }
  }
  before.sort((a, b) => (a.valid_to ?? '9999').localeCompare(b.valid_to ?? '9999') || a.name.localeCompare(b.name, 'vi'));
  const after: CatalogueUnit[] = [];
  for (let next = unit.successor_code; next !== null && !seen.has(next); ) {
    const u = byCode.get(next);
    if (!u) break;
    seen.add(next);
    after.push(u);
    next = u.successor_code;
  }
  return [
    ...before.map((u) => ({ relation: 'trước' as const, unit: u })),
    { relation: 'đơn vị', unit },
    ...after.map((u) => ({ relation: 'sau' as const, unit: u })),
  ];
}

/** Today in Vietnam (UTC+7, no daylight saving), as 'yyyy-MM-dd'. */
export function todayInVietnam(now: Date = new Date()): Day {
  return new Date(now.getTime() + 7 * 3600_000).toISOString().slice(0, 10);
}
