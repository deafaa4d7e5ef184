import { z } from 'zod';
import { UserError } from './errors.ts';
import { readJsonFile } from './json-file.ts';
import { packageFile } from './package-files.ts';

// The index of Quyết định 766/QĐ-TTg (docs/index-766.md): groups of indicators worth points, each indicator's
// points a formula of a rate, and classes by thresholds. All of it lives in a profile file, since the national
// system's scheme has changed since 2022 and provinces classify by their own thresholds.

export class Profile766Error extends UserError {}

const IndicatorSchema = z.strictObject({
  /** A name for columns and JSON (camelCase, as the figures are named). */
  id: z.string().regex(/^[a-zA-Z][a-zA-Z0-9]*$/, { message: 'id chỉ gồm chữ và số, bắt đầu bằng chữ' }),
  name: z.string().min(1),
  /** The indicator's maximum points. */
  points: z.number().positive(),
  /** The rate (0..1) the points are computed from, by its figure name; null: tthc cannot compute it. */
  rate: z.string().min(1).nullable(),
  /** The rate at which the full points are reached; below it the points are proportional. */
  fullAt: z.number().gt(0).max(1).default(1),
  /** Why the points or the formula are not confirmed by a source, shown beside the points. */
  uncertain: z.string().min(1).optional(),
});

const GroupSchema = z.strictObject({
  id: z.string().regex(/^[a-zA-Z][a-zA-Z0-9]*$/, { message: 'id chỉ gồm chữ và số, bắt đầu bằng chữ' }),
  name: z.string().min(1),
  points: z.number().positive(),
  indicators: z.array(IndicatorSchema),
});

export const Profile766Schema = z.strictObject({
  name: z.string().min(1),
  sources: z.array(z.string().min(1)).min(1),
  note: z.string().optional(),
  groups: z.array(GroupSchema).min(1),
  classes: z.strictObject({
    /** Where the thresholds come from, printed under a ranking. */
    source: z.string().min(1),
    /** From the best class down: a score of at least `min` (points of 100) is of that class; the last `min` is 0. */
    levels: z.array(z.strictObject({ name: z.string().min(1), min: z.number().min(0).max(100) })).min(1),
  }),
}).superRefine((profile, ctx) => {
  const ids = new Set<string>();
  profile.groups.forEach((group, g) => {
    const sum = group.indicators.reduce((s, i) => s + i.points, 0);
    if (sum > group.points + 1e-9) {
      ctx.addIssue({ code: 'custom', path: ['groups', g, 'points'], message: `tổng điểm các chỉ tiêu (${sum}) lớn hơn điểm của nhóm (${group.points})` });
    }
    for (const [id, path] of [[group.id, ['groups', g, 'id']], ...group.indicators.map((i, k) => [i.id, ['groups', g, 'indicators', k, 'id']] as const)] as const) {
      if (ids.has(id)) ctx.addIssue({ code: 'custom', path: [...path], message: `id "${id}" đã dùng` });
      ids.add(id);
    }
  });
  const levels = profile.classes.levels;
  levels.forEach((level, k) => {
    if (k > 0 && level.min >= levels[k - 1].min) {
      ctx.addIssue({ code: 'custom', path: ['classes', 'levels', k, 'min'], message: 'ngưỡng phải giảm dần từ loại cao xuống loại thấp' });
    }
  });
  if (levels.at(-1)!.min !== 0) {
    ctx.addIssue({ code: 'custom', path: ['classes', 'levels', levels.length - 1, 'min'], message: 'loại cuối cùng phải có ngưỡng 0' });
  }
});
export type Profile766 = z.infer<typeof Profile766Schema>;

export const DEFAULT_PROFILE_766_FILE = 'reports/index-766.json';

/** Reads a profile (`--profile-766 FILE`), by default the shipped one; a mistake is reported with its line. */
export function loadProfile766(path: string = packageFile(DEFAULT_PROFILE_766_FILE)): Profile766 {
  return readJsonFile(path, Profile766Schema, 'hồ sơ chỉ số 766', Profile766Error);
}

/** The rates of one unit and period by figure name; null or missing where the data lacks the figure. */
export type IndicatorRates = Readonly<Record<string, number | null | undefined>>;

export interface IndicatorPoints {
  id: string;
  groupId: string;
  name: string;
  /** The rate the points come from; null where the data lacks it or tthc cannot compute it. */
  rate: number | null;
  /** null where the rate is unknown: never 0. */
  points: number | null;
  max: number;
  uncertain?: string;
}

export interface GroupPoints {
  id: string;
  name: string;
  /** The sum over the group's known indicators; null where none is known. */
  points: number | null;
  max: number;
  /** The maximum of the indicators known. */
  knownMax: number;
}

export interface Points766 {
  indicators: IndicatorPoints[];
  groups: GroupPoints[];
  /** The points of the known indicators together. */
  total: number;
  /** What those indicators could give at most. */
  knownMax: number;
  /** What the whole profile gives at most (100 for QĐ 766). */
  max: number;
  /** total on a scale of 100 over the known indicators (total × 100 / knownMax); null where none is known. */
  score: number | null;
}

/** One indicator's points for a rate: its points × min(1, rate / fullAt), the profile's rule (reports/index-766.json). */
export function indicatorPoints(indicator: { points: number; fullAt: number }, rate: number): number {
  return indicator.points * Math.min(1, rate / indicator.fullAt);
}

/**
 * The points of each indicator of the profile from a unit's rates: maximum × min(1, rate / fullAt); null where the
 * rate is missing (the data lacks the indicator), never 0. Totals run over what is known, and say how much that is.
 */
export function pointsFor(rates: IndicatorRates, profile: Profile766): Points766 {
  const indicators: IndicatorPoints[] = [];
  const groups: GroupPoints[] = [];
  for (const group of profile.groups) {
    let sum: number | null = null;
    let knownMax = 0;
    for (const indicator of group.indicators) {
      const rate = indicator.rate === null ? null : rates[indicator.rate] ?? null;
      if (rate !== null && !(rate >= 0 && rate <= 1)) throw new RangeError(`rate ${indicator.rate} = ${rate} is not within 0..1`);
      const points = rate === null ? null : indicatorPoints(indicator, rate);
      if (points !== null) {
        sum = (sum ?? 0) + points;
        knownMax += indicator.points;
      }
      indicators.push({
        id: indicator.id, groupId: group.id, name: indicator.name, rate, points, max: indicator.points,
        ...(indicator.uncertain ? { uncertain: indicator.uncertain } : {}),
      });
    }
    groups.push({ id: group.id, name: group.name, points: sum, max: group.points, knownMax });
  }
  const total = groups.reduce((s, g) => s + (g.points ?? 0), 0);
  const knownMax = groups.reduce((s, g) => s + g.knownMax, 0);
  return {
    indicators, groups, total, knownMax,
    max: profile.groups.reduce((s, g) => s + g.points, 0),
    score: knownMax > 0 ? (total * 100) / knownMax : null,
  };
}

/**
 * The class of a score of 100 points by the profile's thresholds; null for no score. A total over part of the
 * indicators is classed by its `score` (on 100 over what is known), the only figure comparable to the thresholds.
 */
export function classify(score: number | null, profile: Profile766): string | null {
  if (score === null) return null;
  // Scores are compared as shown, to two decimals: 79.999 is shown 80,00 and is Tốt.
  const shown = Math.round(score * 100) / 100;
  return profile.classes.levels.find((level) => shown >= level.min)?.name ?? profile.classes.levels.at(-1)!.name;
}

/**
 * Ranks rows by their total, highest first, ties sharing a rank and the next rank skipping as many (1, 2, 2, 4);
 * totals are compared to two decimals, as shown. A row without a total comes last, unranked. Rows of equal total
 * keep their order.
 */
export function rankUnits<T extends { total: number | null }>(rows: readonly T[]): (T & { rank: number | null })[] {
  const shown = (t: number) => Math.round(t * 100);
  const ranked = rows
    .map((row, index) => ({ row, index }))
    .sort((a, b) => {
      if (a.row.total === null || b.row.total === null) return (a.row.total === null ? 1 : 0) - (b.row.total === null ? 1 : 0) || a.index - b.index;
      return shown(b.row.total) - shown(a.row.total) || a.index - b.index;
    });
  const out: (T & { rank: number | null })[] = [];
  ranked.forEach(({ row }, i) => {
    const before = out[i - 1];
    const rank = row.total === null ? null
      : before && before.total !== null && shown(before.total) === shown(row.total) ? before.rank : i + 1;
    out.push({ ...row, rank });
  });
  return out;
}
