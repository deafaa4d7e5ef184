import { LEVEL_LABELS } from '../domain/levels.ts';
import { formatCount, formatDecimal, formatPercent } from '../domain/numbers.ts';
import { FIGURE_HEADERS, KEY_HEADERS } from '../stats/labels.ts';
import { textTable, toCsv, type Column, type RenderFormat } from '../stats/render.ts';
import type { Ranking, RankedIndicator, RankedUnit } from './rank.ts';

// How `tthc rank` prints a ranking: a table for people, with a header saying over how many of the profile's
// points the rank is computed and which indicators have no data, and the source of the class thresholds under
// it; CSV and JSON for programs (JSON names, numbers unrounded).

const NO_DATA = 'không có dữ liệu';
const showDay = (day: string) => `${day.slice(8, 10)}/${day.slice(5, 7)}/${day.slice(0, 4)}`;
const points = (value: number | null | undefined) => (value === null || value === undefined ? '–' : formatDecimal(value, 2));
const rate = (value: number | null | undefined) => (value === null || value === undefined ? NO_DATA : formatPercent(value));

/** How units are ranked, and what a unit lacking an indicator gets, in one line. */
export const RANK_RULE =
  'Xếp hạng trong từng cấp theo điểm quy về thang 100. Chỉ tiêu không có dữ liệu ở một đơn vị (không có hồ sơ để tính, tệp xuất không có cột) ' +
  'không được tính điểm, ghi "không có dữ liệu"; tổng điểm của đơn vị đó tính trên các chỉ tiêu có dữ liệu, ghi trong ngoặc; ' +
  'đơn vị không có chỉ tiêu nào không được xếp hạng.';

/** What the rank is computed over, in one Vietnamese line: "trên 20/100 điểm tính được (…)". */
export function rankingBasis(ranking: Ranking): string {
  const counted = ranking.indicators.filter((i) => i.counted);
  if (!counted.length) return `Không tính được chỉ tiêu nào của hồ sơ chỉ số (${ranking.max} điểm) từ dữ liệu: không xếp hạng.`;
  const list = counted.map((i) => `${i.name} (${formatDecimal(i.max, 0)} điểm)`).join('; ');
  return `Xếp hạng trên ${formatDecimal(ranking.countedMax, 0)}/${formatDecimal(ranking.max, 0)} điểm tính được: ${list}.`;
}

/** The indicators without data, with their points, in one line; undefined when every one is counted. */
export function missingIndicators(ranking: Ranking): string | undefined {
  const missing = [
    ...ranking.uncovered.map((g) => `${g.name} (${formatDecimal(g.points, 0)}, hồ sơ chỉ số không có chỉ tiêu)`),
    ...ranking.indicators.filter((i) => !i.counted).map((i) => `${i.name} (${formatDecimal(i.max, 0)})`),
  ];
  if (!missing.length) return undefined;
  return `Không có dữ liệu, không tính (${formatDecimal(ranking.max - ranking.countedMax, 0)} điểm): ${missing.join('; ')}.`;
}

/** The class thresholds and their source, in one line. */
export function classesLine(ranking: Ranking): string {
  const levels = ranking.profile.classes.map((c) => (c.min > 0 ? `${c.name} từ ${formatDecimal(c.min, 0)}` : c.name)).join(', ');
  return `Xếp loại theo điểm trên thang 100 (tổng điểm × 100 / ${formatDecimal(ranking.countedMax, 0)}): ${levels}. Nguồn ngưỡng: ${ranking.profile.classesSource}`;
}

/** A short name for an indicator's columns: its group's name when it is the only one counted in its group. */
function shortName(indicator: RankedIndicator, ranking: Ranking): string {
  const alone = ranking.indicators.filter((i) => i.counted && i.groupId === indicator.groupId).length === 1;
  return alone ? indicator.groupName : indicator.name;
}

/** A ranking as a table, CSV or JSON. */
export function renderRanking(ranking: Ranking, format: RenderFormat): string {
  if (format === 'json') return `${JSON.stringify(ranking, null, 2)}\n`;
  const counted = ranking.indicators.filter((i) => i.counted);
  const hasYear = ranking.rows.some((r) => r.year !== undefined);
  const hasMonth = ranking.rows.some((r) => r.month !== undefined);
  if (format === 'csv') {
    const flat = ranking.rows.map((r) => ({
      ...r,
      ...Object.fromEntries(counted.flatMap((i) => [[`${i.id}Rate`, r.indicators[i.id]?.rate], [`${i.id}Points`, r.indicators[i.id]?.points]])),
      countedMax: ranking.countedMax,
      indicators: undefined,
    }));
    const columns = [
      ...(hasYear ? ['year'] : []), ...(hasMonth ? ['month'] : []), 'from', 'to', 'level', 'rank', 'unitCode', 'unitName',
      'receivedTotal', 'handled766', 'inTime766', ...counted.flatMap((i) => [`${i.id}Rate`, `${i.id}Points`]),
      'total', 'knownMax', 'countedMax', 'score', 'class',
    ];
    return toCsv(columns, flat as unknown as Record<string, unknown>[]);
  }

  const columns: Column<RankedUnit>[] = [
    ...(hasMonth ? [{ header: KEY_HEADERS.month, cell: (r: RankedUnit) => `${r.month!.slice(5, 7)}/${r.month!.slice(0, 4)}` }]
      : hasYear ? [{ header: KEY_HEADERS.year, right: true, cell: (r: RankedUnit) => String(r.year) }] : []),
    { header: KEY_HEADERS.level, cell: (r) => LEVEL_LABELS[r.level] },
    { header: 'Hạng', right: true, cell: (r) => (r.rank === null ? '–' : String(r.rank)) },
    { header: KEY_HEADERS.unitName, cell: (r) => r.unitName },
    { header: FIGURE_HEADERS.handled766, right: true, cell: (r) => formatCount(r.handled766) },
    { header: FIGURE_HEADERS.inTime766, right: true, cell: (r) => formatCount(r.inTime766) },
    ...counted.flatMap((i): Column<RankedUnit>[] => {
      const name = shortName(i, ranking);
      return [
        { header: `Tỷ lệ ${name}`, right: true, cell: (r) => rate(r.indicators[i.id]?.rate) },
        { header: `Điểm ${name} (/${formatDecimal(i.max, 0)})${i.uncertain ? ' (*)' : ''}`, right: true, cell: (r) => points(r.indicators[i.id]?.points) },
      ];
    }),
    // A unit that lacks an indicator has its total over fewer points, and says over how many.
    {
      header: `Tổng điểm (/${formatDecimal(ranking.countedMax, 0)})`, right: true,
      cell: (r) => (r.total !== null && r.knownMax < ranking.countedMax ? `${points(r.total)} (/${formatDecimal(r.knownMax, 0)})` : points(r.total)),
    },
    { header: 'Điểm trên 100', right: true, cell: (r) => points(r.score) },
    { header: 'Xếp loại', cell: (r) => r.class ?? NO_DATA },
  ];
  const lines = [
    `${ranking.profile.name}, từ ${showDay(ranking.from)} đến ${showDay(ranking.to)}.`,
    rankingBasis(ranking),
    ...(missingIndicators(ranking) ? [missingIndicators(ranking)!] : []),
    RANK_RULE,
    '',
  ];
  const notes = [
    classesLine(ranking),
    ...counted.filter((i) => i.uncertain).map((i) => `(*) ${i.name}: ${i.uncertain}.`),
  ];
  const table = ranking.rows.length ? textTable(columns, ranking.rows) : 'Không có đơn vị nào thuộc kỳ và bộ lọc đã chọn.\n';
  return `${lines.join('\n')}\n${table}\n${notes.join('\n')}\n`;
}
