import { sql } from 'kysely';
import type { Db } from '../db/connection.ts';
import { dialectOf } from '../db/dialect.ts';
import type { Day } from '../domain/dates.ts';
import type { Level } from '../domain/levels.ts';
import {
  allDaysOff, dayAfter, dayBefore, isWholeYears, periodName, viDay, yearPeriod, type Period,
} from '../domain/periods.ts';
import { resolveFilters, type ResolvedFilters } from './filters.ts';
import { lastDayOfHalfMonth } from './summary.ts';
import type { StatsFilters, StatsQuery } from './types.ts';

// What span of days the data covers, and what a period that runs past it becomes.
//
// The data's span is that of the selected UNITS (the --level and --unit filters), over all their fields: an
// export covers a unit's dossiers up to the day it was made, whatever their field, so a field with no dossier
// in the last weeks does not end the data early. The first day is the first day a dossier was received, the last
// day the later of the last day one was received and the last day one ended (nothing ends before it was
// received, so no end is earlier than the first receipt).
//
// The dossiers table has no index on its dates (each would slow the import down), so a minimum or maximum over
// it reads every dossier. The summary by half-month tells first which half-months hold data; the dossiers are
// read only when the period starts in or before the first of them, or ends in or after the last, where the exact
// day matters, and then (on SQLite) only when the dossiers written first and last do not settle it already.

/** The first and last day of a set of dossiers: first received, last received or ended. */
export interface DataSpan {
  first: Day;
  last: Day;
}

export interface UnitSpan extends DataSpan {
  unitCode: string;
  unitName: string;
  level: Level;
}

export interface DataCoverage {
  /** Over every selected unit; null when they have no dossier. */
  span: DataSpan | null;
  /** Each selected unit with dossiers, by name. */
  units: UnitSpan[];
}

/**
 * The span of the data, overall and per unit, of the units the filters select (field filters do not narrow
 * it). Reads every dossier of those units once; only those received or ended in a unit's first or last
 * half-month with data (from the summary) are grouped by unit.
 */
export async function dataCoverage(db: Db, filters: StatsFilters = {}): Promise<DataCoverage> {
  const resolved = await resolveFilters(db, { level: filters.level, unit: filters.unit, unitsAsOf: filters.unitsAsOf });
  const bounds = await halfMonthSpans(db, resolved, true);
  if (!bounds.length) return { span: null, units: [] };
  const rows = (await dossierSpans(db, resolved, bounds)).filter((r) => r.first_received !== null);
  const units = await db.selectFrom('units').select(['code', 'name', 'level']).execute();
  const byCode = new Map(units.map((u) => [u.code, u]));
  const spans: UnitSpan[] = rows.map((r) => {
    const unit = byCode.get(r.unit_code!)!;
    return { unitCode: unit.code, unitName: unit.name, level: unit.level, ...spanOf(r) };
  });
  spans.sort((a, b) => a.unitName.localeCompare(b.unitName, 'vi') || (a.unitCode < b.unitCode ? -1 : 1));
  return {
    span: {
      first: spans.reduce((day, s) => (s.first < day ? s.first : day), spans[0].first),
      last: spans.reduce((day, s) => (s.last > day ? s.last : day), spans[0].last),
    },
    units: spans,
  };
}

/** The span of the data of the units the filters select; null when they have no dossier. Reads every dossier once. */
export async function dataSpan(db: Db, filters: StatsFilters = {}): Promise<DataSpan | null> {
  const resolved = await resolveFilters(db, { level: filters.level, unit: filters.unit, unitsAsOf: filters.unitsAsOf });
  const [row] = await dossierSpans(db, resolved);
  return row && row.first_received ? spanOf(row) : null;
}

interface SpanRow {
  unit_code?: string;
  first_received: string | null;
  last_received: string | null;
  last_ended: string | null;
}

/** A unit's first half-month with a receipt and last with a receipt or an end ('yyyy-MM-1' or 'yyyy-MM-2'). */
interface HalfMonthSpan {
  unitCode?: string;
  first: string;
  last: string;
}

/** Ranges of half-months in one query, beyond which grouping every dossier by unit costs less than the conditions. */
const MAX_RANGES = 200;

/**
 * min(received), max(received), max(ended) of the selected units' dossiers, overall, or per unit when given the
 * units' half-month spans: then only dossiers received or ended in one of those first or last half-months are
 * grouped (a unit's first and last day lie in them), which keeps SQLite's sort for GROUP BY small.
 */
function dossierSpans(db: Db, filters: ResolvedFilters, byUnit?: readonly HalfMonthSpan[]): Promise<SpanRow[]> {
  let q = db
    .selectFrom('dossiers as d')
    .select((eb) => [
      eb.fn.min('d.received_at').as('first_received'),
      eb.fn.max('d.received_at').as('last_received'),
      eb.fn.max('d.ended_at').as('last_ended'),
    ]);
  if (filters.levels) q = q.where('d.unit_code', 'in', (eb) => eb.selectFrom('units').select('code').where('level', 'in', filters.levels!));
  if (filters.unitCodes) q = q.where('d.unit_code', 'in', filters.unitCodes);
  if (!byUnit) return q.execute() as Promise<SpanRow[]>;
  const firsts = [...new Set(byUnit.map((u) => u.first))];
  const lasts = [...new Set(byUnit.map((u) => u.last))];
  if (firsts.length + lasts.length <= MAX_RANGES) {
    const within = (column: 'd.received_at' | 'd.ended_at', halfMonth: string) => (eb: any) =>
      eb.and([eb(column, '>=', firstDayOfHalfMonth(halfMonth)), eb(column, '<', dayAfter(lastDayOfHalfMonth(halfMonth)))]);
    q = q.where((eb) =>
      eb.or([
        ...firsts.map((h) => within('d.received_at', h)(eb)),
        ...lasts.flatMap((h) => [within('d.received_at', h)(eb), within('d.ended_at', h)(eb)]),
      ]),
    );
  }
  return q.select('d.unit_code').groupBy('d.unit_code').execute() as Promise<SpanRow[]>;
}

/** Dossiers read from each end of the table for sampledSpan. */
const SAMPLE_ROWS = 20_000;

/**
 * On SQLite, the first received day among the dossiers written first (a day on or after the data's first day)
 * and the last received or ended day among those written last (on or before the data's last day): a read of the
 * table's two ends in rowid order, a few milliseconds. Exports are imported about in the order of their days, so
 * the bounds are usually the days themselves. PostgreSQL keeps no such order (null: read every dossier).
 */
async function sampledSpan(db: Db, filters: ResolvedFilters): Promise<DataSpan | null> {
  if (dialectOf(db) !== 'sqlite') return null;
  const end = (order: 'asc' | 'desc') => {
    let q = db.selectFrom('dossiers as d').select(['d.received_at', 'd.ended_at']);
    if (filters.levels) q = q.where('d.unit_code', 'in', (eb) => eb.selectFrom('units').select('code').where('level', 'in', filters.levels!));
    if (filters.unitCodes) q = q.where('d.unit_code', 'in', filters.unitCodes);
    return db
      .selectFrom(q.orderBy(sql`rowid`, order).limit(SAMPLE_ROWS).as('s'))
      .select((eb) => [eb.fn.min('s.received_at').as('first_received'), eb.fn.max('s.received_at').as('last_received'), eb.fn.max('s.ended_at').as('last_ended')])
      .executeTakeFirst() as Promise<SpanRow | undefined>;
  };
  const [head, tail] = await Promise.all([end('asc'), end('desc')]);
  if (!head?.first_received || !tail?.last_received) return null;
  return { first: spanOf(head).first, last: spanOf(tail).last };
}

function spanOf(row: SpanRow): DataSpan {
  const lastReceived = row.last_received!.slice(0, 10);
  const lastEnded = row.last_ended?.slice(0, 10);
  return { first: row.first_received!.slice(0, 10), last: lastEnded && lastEnded > lastReceived ? lastEnded : lastReceived };
}

/**
 * The first half-month with a receipt and the last with a receipt or an end ('yyyy-MM-1' or 'yyyy-MM-2'), from the
 * summary: the half-months of the data's first and last days (dataSpan) without reading the dossiers; null when
 * there is no dossier.
 */
export async function dataHalfMonths(db: Db): Promise<{ first: string; last: string } | null> {
  const [span] = await overallHalfMonthSpan(db, {});
  return span ? { first: span.first, last: span.last } : null;
}

/** From the summary: the half-month span of the selected units' data, overall (one row, or none) or per unit. */
async function halfMonthSpans(db: Db, filters: ResolvedFilters, byUnit: boolean): Promise<HalfMonthSpan[]> {
  if (!byUnit) return overallHalfMonthSpan(db, filters);
  let q = db
    .selectFrom('dossier_half_months as m')
    .select((eb) => [
      eb.fn.min(eb.case().when('m.received', '>', 0).then(eb.ref('m.half_month')).end()).as('first'),
      eb.fn.max('m.half_month').as('last'),
    ])
    .where((eb) =>
      eb.or([
        eb('m.received', '>', 0), eb('m.ended_early', '>', 0), eb('m.ended_on_time', '>', 0), eb('m.ended_late', '>', 0),
        eb('m.ended_rejected', '>', 0), eb('m.ended_withdrawn', '>', 0),
      ]),
    );
  if (filters.levels) q = q.where('m.unit_code', 'in', (eb) => eb.selectFrom('units').select('code').where('level', 'in', filters.levels!));
  if (filters.unitCodes) q = q.where('m.unit_code', 'in', filters.unitCodes);
  const rows = (byUnit ? await q.select('m.unit_code').groupBy('m.unit_code').execute() : await q.execute()) as Array<{
    unit_code?: string;
    first: unknown;
    last: unknown;
  }>;
  return rows
    .filter((r) => r.first !== null && r.first !== undefined)
    .map((r) => ({ ...(r.unit_code !== undefined ? { unitCode: r.unit_code } : {}), first: String(r.first), last: String(r.last) }));
}

/**
 * The overall span as the first and the last half-month of the summary's index by half-month (schema/0010) that
 * have what the span needs: each read stops at its first match, where min and max over the condition read the
 * whole summary.
 */
async function overallHalfMonthSpan(db: Db, filters: ResolvedFilters): Promise<HalfMonthSpan[]> {
  // The unit code as an expression, so that the index by half-month is read in order rather than the key's by unit.
  const unitCode = sql<string>`${sql.ref('m.unit_code')} || ''`;
  const select = () => {
    let q = db.selectFrom('dossier_half_months as m').select('m.half_month');
    if (filters.levels) q = q.where(unitCode, 'in', (eb) => eb.selectFrom('units').select('code').where('level', 'in', filters.levels!));
    if (filters.unitCodes) q = q.where(unitCode, 'in', filters.unitCodes);
    return q;
  };
  const [first, last] = await Promise.all([
    select().where('m.received', '>', 0).orderBy('m.half_month', 'asc').limit(1).executeTakeFirst(),
    select()
      .where((eb) =>
        eb.or([
          eb('m.received', '>', 0), eb('m.ended_early', '>', 0), eb('m.ended_on_time', '>', 0), eb('m.ended_late', '>', 0),
          eb('m.ended_rejected', '>', 0), eb('m.ended_withdrawn', '>', 0),
        ]),
      )
      .orderBy('m.half_month', 'desc')
      .limit(1)
      .executeTakeFirst(),
  ]);
  return first && last ? [{ first: first.half_month, last: last.half_month }] : [];
}

const firstDayOfHalfMonth = (halfMonth: string) => `${halfMonth.slice(0, 7)}-${halfMonth.endsWith('-1') ? '01' : '15'}`;

export interface FitOptions {
  /** Keep --year/--years periods whole even when the data ends inside them (--whole-periods). */
  wholePeriods?: boolean;
}

export interface FittedQuery {
  /** The query to compute: the one given, or its period cut at the data's last day (with `uncut` set). */
  query: StatsQuery;
  /** The data's span, when it had to be read exactly (the period reaches its first or last half-month, unsettled). */
  span?: DataSpan;
  /** One Vietnamese line each, for stderr and the report's notes. */
  warnings: string[];
}

/**
 * Fits a query to the data. A period that starts before the data's first day, or ends after its last day, gets
 * a warning; one of whole calendar years (--year, --years) that ends after the data's last day is cut at that
 * day, unless `wholePeriods`, so that pending and overdue dossiers are counted at the last day the data knows
 * rather than at 31/12, and years wholly after it are left out. Days off (weekends and the fixed-date holidays)
 * between the data's last day and the period's end do not count: an export of a whole year ends on its last
 * working day.
 */
export async function fitToData(db: Db, query: StatsQuery, options: FitOptions = {}): Promise<FittedQuery> {
  const { period } = query;
  const resolved = await resolveFilters(db, { level: query.filters?.level, unit: query.filters?.unit, unitsAsOf: query.filters?.unitsAsOf });
  const [halfMonths] = await halfMonthSpans(db, resolved, false);
  if (!halfMonths) return { query, warnings: [] };

  let span: DataSpan | undefined;
  const nearFirst = period.from <= lastDayOfHalfMonth(halfMonths.first);
  const nearLast = period.to >= firstDayOfHalfMonth(halfMonths.last);
  if (nearFirst || nearLast) {
    // The dossiers written first and last bound the first day from above and the last from below; when those
    // bounds already leave only days off outside the period, nothing needs saying and every dossier need not be read.
    const sample = await sampledSpan(db, resolved);
    const settled = sample !== null &&
      (!nearFirst || sample.first <= period.from || allDaysOff(period.from, dayBefore(sample.first))) &&
      (!nearLast || sample.last >= period.to || allDaysOff(dayAfter(sample.last), period.to));
    if (!settled) {
      const [row] = await dossierSpans(db, resolved);
      if (row?.first_received) span = spanOf(row);
    }
  }
  const warnings: string[] = [];
  let fitted = query;
  if (span && period.from < span.first && !allDaysOff(period.from, dayBefore(span.first))) {
    const before = period.to < span.first ? period.to : dayBefore(span.first);
    warnings.push(`dữ liệu chỉ có từ ngày ${viDay(span.first)}: không có số liệu từ ${viDay(period.from)} đến ${viDay(before)}`);
  }
  if (span && period.to > span.last && !allDaysOff(dayAfter(span.last), period.to)) {
    const cutDay = cutDayOf(span.last);
    const cut = !options.wholePeriods && isWholeYears(period) && cutDay >= period.from;
    if (cut) fitted = { ...query, period: { from: period.from, to: cutDay }, uncut: period };
    warnings.push(endWarning(period, span.last, cut ? cutDay : undefined));
  }
  return { query: fitted, span, warnings };
}

/**
 * Where a whole-year period is cut when the data ends on `last`: that day, or the year's last day when only days
 * off come after it.
 */
function cutDayOf(last: Day): Day {
  const yearEnd = yearPeriod(Number(last.slice(0, 4))).to;
  return last < yearEnd && allDaysOff(dayAfter(last), yearEnd) ? yearEnd : last;
}

function endWarning(period: Period, last: Day, cutDay: Day | undefined): string {
  const head = `dữ liệu chỉ đến ${viDay(last)}`;
  if (period.from > last) return `${head}: không có số liệu của ${periodName(period)}`;
  if (cutDay === undefined) {
    return `${head}: không có số liệu từ ${viDay(dayAfter(last))} đến ${viDay(period.to)}, ` +
      `hồ sơ chưa kết thúc được tính là đang giải quyết đến ${viDay(period.to)} và quá hạn theo ngày đó`;
  }
  const parts: string[] = [];
  const year = Number(cutDay.slice(0, 4));
  if (cutDay !== yearPeriod(year).to) parts.push(`số liệu năm ${year} tính đến ngày đó`);
  const lastYear = Number(period.to.slice(0, 4));
  if (lastYear > year) {
    parts.push(`không có số liệu ${periodName({ from: yearPeriod(year + 1).from, to: period.to })}, bỏ qua`);
  }
  return `${head}: ${parts.join('; ')}`;
}
