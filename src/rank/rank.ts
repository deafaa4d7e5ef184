import type { Db } from '../db/connection.ts';
import type { Level } from '../domain/levels.ts';
import { classify, pointsFor, rankUnits, type Profile766 } from '../domain/index-766.ts';
import { computeStats } from '../stats/compute.ts';
import { indicatorGaps } from '../stats/indicator-warnings.ts';
import { normalizeBy } from '../stats/rows.ts';
import { INDICATOR_766_RATES, RATE_FIGURES, type StatsQuery, type StatsRow } from '../stats/types.ts';

// The ranking of units by the QĐ 766 index (docs/index-766.md): each unit's points on the profile's indicators
// that the dossiers give, the total, the score on 100 over those indicators, the rank within its level and
// sub-period, and the class by the profile's thresholds. Units are ranked among units of the same level (a
// commune is not ranked against a province department) and over the same indicators only.

/** The rates tthc computes per unit, by the names a profile's `rate` takes. */
export const RANKABLE_RATES: readonly string[] = [...RATE_FIGURES, 'progressRate766', ...INDICATOR_766_RATES];

export interface RankedIndicator {
  id: string;
  groupId: string;
  groupName: string;
  name: string;
  /** The figure name of the rate, or null where the profile says tthc cannot compute it. */
  rate: string | null;
  max: number;
  /** Whether the ranking counts it: its rate is one tthc computes and some unit of the ranking has it. */
  counted: boolean;
  uncertain?: string;
}

export interface RankedUnit {
  year?: number;
  month?: string;
  from: string;
  to: string;
  level: Level;
  unitCode: string;
  unitName: string;
  /** The counts behind the progress indicator, to read the points against. */
  handled766: number;
  inTime766: number;
  receivedTotal: number;
  /** Per counted indicator, by id: its rate and points (both null where the unit's data lacks it: no points). */
  indicators: Record<string, { rate: number | null; points: number | null }>;
  /** The points over the counted indicators the unit has; null when it has none of them: unranked. */
  total: number | null;
  /**
   * What those indicators give at most: the counted maximum, or less when the unit lacks one (no dossier with a
   * fee, no rating in its exports): its total is over this many points.
   */
  knownMax: number;
  /** total × 100 / knownMax, the score on 100 it is ranked and classed by; null with total. */
  score: number | null;
  /** 1, 2, 2, 4 within its level and sub-period, by score; null when unranked. */
  rank: number | null;
  /** The class of the score by the profile's thresholds; null when unranked. */
  class: string | null;
}

export interface Ranking {
  profile: { name: string; classesSource: string; classes: Profile766['classes']['levels'] };
  from: string;
  to: string;
  /** Every indicator of the profile, counted or not, in its order. */
  indicators: RankedIndicator[];
  /** The points the counted indicators give at most: what the rank is computed over. */
  countedMax: number;
  /** The profile's whole maximum (100 for QĐ 766). */
  max: number;
  /** Groups whose indicators give fewer points than the group (the profile lists none for Công khai): the rest. */
  uncovered: Array<{ groupId: string; name: string; points: number }>;
  rows: RankedUnit[];
  /** What the data lacks for the profile's indicators (a missing export column, no catalogue), one Vietnamese line each. */
  warnings: string[];
}

/**
 * Ranks the units of a query's period and filters (grouped by year or month too when the query is) by the
 * profile's indicators that the data gives. The query's other groupings are replaced by level and unit.
 */
export async function rankUnits766(db: Db, query: StatsQuery, profile: Profile766): Promise<Ranking> {
  const periodKeys = normalizeBy(query.by).filter((k) => k === 'year' || k === 'month');
  // QĐ 766's other indicators are counted when the profile rates by one of them (one more pass's worth of filters).
  const indicators766 = profile.groups.some((g) => g.indicators.some((i) => (INDICATOR_766_RATES as readonly (string | null)[]).includes(i.rate)));
  const stats = await computeStats(db, {
    ...query, by: [...periodKeys, 'level', 'unit'], progress766: true, ...(indicators766 ? { indicators766 } : {}),
  });

  const all = profile.groups.flatMap((g) => g.indicators.map((i) => ({ ...i, groupId: g.id, groupName: g.name })));
  const computable = (rate: string | null): rate is string => rate !== null && RANKABLE_RATES.includes(rate);
  const rateOf = (row: StatsRow, rate: string): number | null => (row as unknown as Record<string, number | null | undefined>)[rate] ?? null;
  const indicators: RankedIndicator[] = all.map((i) => ({
    id: i.id, groupId: i.groupId, groupName: i.groupName, name: i.name, rate: i.rate, max: i.points,
    counted: computable(i.rate) && stats.some((row) => rateOf(row, i.rate!) !== null),
    ...(i.uncertain ? { uncertain: i.uncertain } : {}),
  }));
  const counted = indicators.filter((i) => i.counted);
  const countedMax = counted.reduce((s, i) => s + i.max, 0);

  const scored = stats.map((row): Omit<RankedUnit, 'rank' | 'class'> => {
    const rates = Object.fromEntries(counted.map((i) => [i.rate!, rateOf(row, i.rate!)]));
    const points = pointsFor(rates, profile);
    const byId = new Map(points.indicators.map((p) => [p.id, p]));
    const known = points.knownMax > 0;
    return {
      ...(row.year !== undefined ? { year: row.year } : {}),
      ...(row.month !== undefined ? { month: row.month } : {}),
      from: row.from,
      to: row.to,
      level: row.level!,
      unitCode: row.unitCode!,
      unitName: row.unitName!,
      handled766: row.handled766 ?? 0,
      inTime766: row.inTime766 ?? 0,
      receivedTotal: row.receivedTotal,
      indicators: Object.fromEntries(counted.map((i) => [i.id, { rate: byId.get(i.id)!.rate, points: byId.get(i.id)!.points }])),
      total: known ? points.total : null,
      knownMax: points.knownMax,
      score: known ? points.score : null,
    };
  });

  // Ranked within each sub-period and level; rows keep the order computeStats gives (period, level, unit name).
  const groups = new Map<string, typeof scored>();
  for (const row of scored) {
    const key = `${row.from}|${row.level}`;
    groups.set(key, [...(groups.get(key) ?? []), row]);
  }
  // Ranked by the score on 100: units scored over different indicators (one lacks a rating column) compare by
  // it; over the same ones it orders as the total does.
  const rows = [...groups.values()].flatMap((group) =>
    rankUnits(group.map((row) => ({ row, total: row.score }))).map(({ row, rank }) => ({ ...row, rank, class: classify(row.score, profile) })),
  );

  return {
    profile: { name: profile.name, classesSource: profile.classes.source, classes: profile.classes.levels },
    from: query.period.from,
    to: stats.reduce((to, row) => (row.to > to ? row.to : to), query.period.from),
    indicators,
    countedMax,
    max: profile.groups.reduce((s, g) => s + g.points, 0),
    uncovered: profile.groups
      .map((g) => ({ groupId: g.id, name: g.name, points: g.points - g.indicators.reduce((s, i) => s + i.points, 0) }))
      .filter((g) => g.points > 1e-9),
    rows,
    warnings: indicators766
      ? (await indicatorGaps(db, query)).filter((g) => profile.groups.some((gr) => gr.indicators.some((i) => i.rate === g.rate))).map((g) => g.text)
      : [],
  };
}
