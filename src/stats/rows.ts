import { CHANNELS } from '../domain/channels.ts';
import { LEVELS } from '../domain/levels.ts';
import { ratesOf } from './rates.ts';
import type { SubPeriod } from './sub-periods.ts';
import { COUNT_FIGURES, GROUP_KEYS, type Counts, type GroupKey, type StatsRow } from './types.ts';

// What both ways of computing statistics (every dossier, or the summary by half-month) share: the groupings in their
// order, the shape of a row, the "no holes" rule and the order of rows.

export function normalizeBy(by: readonly GroupKey[] = []): GroupKey[] {
  return GROUP_KEYS.filter((key) => by.includes(key));
}

export type Keys = Pick<StatsRow, 'level' | 'unitCode' | 'unitName' | 'receivingUnit' | 'field' | 'procedure' | 'channel'>;

/** A row with its keys in the documented order: group keys, from, to, counts, rates. */
export function assemble(by: GroupKey[], period: SubPeriod, keys: Keys, counts: Counts): StatsRow {
  return {
    ...(by.includes('year') ? { year: period.year } : {}),
    ...(by.includes('month') ? { month: period.month } : {}),
    ...(by.includes('level') ? { level: keys.level } : {}),
    ...(by.includes('unit') ? { unitCode: keys.unitCode, unitName: keys.unitName } : {}),
    ...(by.includes('receiving-unit') ? { receivingUnit: keys.receivingUnit ?? null } : {}),
    ...(by.includes('field') ? { field: keys.field } : {}),
    ...(by.includes('procedure') ? { procedure: keys.procedure } : {}),
    ...(by.includes('channel') ? { channel: keys.channel } : {}),
    from: period.from,
    to: period.to,
    ...counts,
    ...ratesOf(counts),
  };
}

function groupKeyOf(row: StatsRow): string {
  return JSON.stringify([row.level, row.unitCode, row.receivingUnit, row.field, row.procedure, row.channel]);
}

export const ZERO = Object.fromEntries(COUNT_FIGURES.map((f) => [f, 0])) as Counts;

/**
 * With year or month grouping every group seen in some sub-period appears in every one (zeros where it had
 * nothing); without other keys the one group always appears.
 */
export function fillPeriods(rows: StatsRow[], by: GroupKey[], periods: readonly SubPeriod[]): StatsRow[] {
  const periodKeys = by.includes('year') || by.includes('month');
  const otherKeys = by.some((k) => k !== 'year' && k !== 'month');
  if (!periodKeys && otherKeys) return rows;
  const groups = new Map<string, Keys>();
  if (!otherKeys) groups.set(groupKeyOf({} as StatsRow), {});
  for (const row of rows) if (!groups.has(groupKeyOf(row))) groups.set(groupKeyOf(row), row);
  const present = new Set(rows.map((row) => `${row.from}|${groupKeyOf(row)}`));
  const filled = [...rows];
  for (const period of periods) {
    for (const [key, keys] of groups) {
      if (!present.has(`${period.from}|${key}`)) filled.push(assemble(by, period, keys, ZERO));
    }
  }
  return filled;
}

const collator = new Intl.Collator('vi');

function compareText(a: string | null | undefined, b: string | null | undefined): number {
  if (a === b) return 0;
  if (a === null || a === undefined) return 1;
  if (b === null || b === undefined) return -1;
  return collator.compare(a, b) || (a < b ? -1 : 1);
}

function compareIndex<T>(order: readonly T[], a: T | null | undefined, b: T | null | undefined): number {
  const ia = a === null || a === undefined ? order.length : order.indexOf(a);
  const ib = b === null || b === undefined ? order.length : order.indexOf(b);
  return ia - ib;
}

export function sortRows(rows: StatsRow[], by: readonly GroupKey[] = []): StatsRow[] {
  const byUnit = by.includes('unit');
  return rows.sort(
    (a, b) =>
      (a.from < b.from ? -1 : a.from > b.from ? 1 : 0) ||
      compareIndex(LEVELS, a.level, b.level) ||
      (byUnit ? compareText(a.unitName, b.unitName) || compareText(a.unitCode, b.unitCode) : 0) ||
      compareText(a.receivingUnit, b.receivingUnit) ||
      compareText(a.field, b.field) ||
      compareText(a.procedure, b.procedure) ||
      compareIndex(CHANNELS, a.channel, b.channel),
  );
}
