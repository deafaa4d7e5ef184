import { sql } from 'kysely';
import type { Db } from '../db/connection.ts';
import { dayAfter, monthsOf, yearsOf, type Period } from '../domain/periods.ts';
import type { GroupKey } from './types.ts';

/**
 * A period as a query splits it: grouping by year or month cuts the period into calendar years or months (each
 * cut to the period), and each piece has its own carried-over and pending, as a yearly or monthly table shows.
 */
export interface SubPeriod extends Period {
  toNext: string;
  year?: number;
  /** 'yyyy-MM' */
  month?: string;
}

export function subPeriodsOf(period: Period, by: readonly GroupKey[]): SubPeriod[] {
  const byMonth = by.includes('month');
  const byYear = by.includes('year');
  const pieces = byMonth ? monthsOf(period) : byYear ? yearsOf(period) : [period];
  return pieces.map((p) => ({
    ...p,
    toNext: dayAfter(p.to),
    ...(byYear ? { year: Number(p.from.slice(0, 4)) } : {}),
    ...(byMonth ? { month: p.from.slice(0, 7) } : {}),
  }));
}

/**
 * The sub-periods as a relation p(from, to, to_next), written as a UNION ALL of one-row selects so that it is the
 * same SQL on SQLite and PostgreSQL. The casts give PostgreSQL the type of the bound values.
 */
export function periodsRelation(db: Db, periods: readonly SubPeriod[]) {
  const one = (p: SubPeriod) =>
    db.selectNoFrom([
      sql<string>`cast(${p.from} as text)`.as('from'),
      sql<string>`cast(${p.to} as text)`.as('to'),
      sql<string>`cast(${p.toNext} as text)`.as('to_next'),
    ]);
  let relation = one(periods[0]);
  for (const p of periods.slice(1)) relation = relation.unionAll(one(p));
  return relation;
}
