import type { Db } from '../db/connection.ts';
import type { Channel } from '../domain/channels.ts';
import type { Level } from '../domain/levels.ts';
import type { Status } from '../domain/statuses.ts';
import { normalizeBy } from './compute.ts';
import { FIGURE_PREDICATES, relevant, type FigureBuilder } from './figures.ts';
import { filterCondition, resolveFilters, unitsRelation } from './filters.ts';
import { periodsRelation, subPeriodsOf } from './sub-periods.ts';
import type { CountFigure, StatsQuery } from './types.ts';

/** One dossier behind a figure. With year or month grouping, a dossier is listed once per sub-period it counts in. */
export interface DossierRow {
  year?: number;
  month?: string;
  from: string;
  to: string;
  code: string;
  unitCode: string;
  unitName: string;
  level: Level;
  procedure: string | null;
  field: string | null;
  channel: Channel | null;
  receivedAt: string;
  dueAt: string | null;
  endedAt: string | null;
  returnedAt: string | null;
  status: Status;
}

/**
 * The dossiers behind one figure of computeStats for the same query, found with the same condition
 * (figures.ts): the list has exactly as many rows as the figure summed over the query's groups. Sorted by
 * sub-period, receipt time and code.
 */
export async function listDossiers(db: Db, query: StatsQuery, figure: CountFigure): Promise<DossierRow[]> {
  const by = normalizeBy(query.by);
  const periods = subPeriodsOf(query.period, by);
  const filters = await resolveFilters(db, query.filters);
  const rows = await db
    .selectFrom('dossiers as d')
    .crossJoin(periodsRelation(db, periods).as('p'))
    .innerJoin(unitsRelation(db, filters.unitMap), 'u.code', 'd.unit_code')
    .where((eb) => relevant(eb as unknown as FigureBuilder))
    .where((eb) => FIGURE_PREDICATES[figure](eb as unknown as FigureBuilder))
    .where((eb) => filterCondition(eb as unknown as FigureBuilder, filters))
    .select([
      'p.from', 'p.to', 'd.code', 'u.eff_code as unit_code', 'u.name as unit_name', 'u.level', 'd.procedure_name', 'd.field',
      'd.channel', 'd.received_at', 'd.due_at', 'd.ended_at', 'd.returned_at', 'd.status',
    ])
    .orderBy('p.from')
    .orderBy('d.received_at')
    .orderBy('d.code')
    .execute();
  const byFrom = new Map(periods.map((p) => [p.from, p]));
  return rows.map((r) => {
    const period = byFrom.get(r.from)!;
    return {
      ...(period.year !== undefined ? { year: period.year } : {}),
      ...(period.month !== undefined ? { month: period.month } : {}),
      from: r.from,
      to: r.to,
      code: r.code,
      unitCode: r.unit_code,
      unitName: r.unit_name,
      level: r.level,
      procedure: r.procedure_name,
      field: r.field,
      channel: r.channel,
      receivedAt: r.received_at,
      dueAt: r.due_at,
      endedAt: r.ended_at,
      returnedAt: r.returned_at,
      status: r.status,
    };
  });
}
