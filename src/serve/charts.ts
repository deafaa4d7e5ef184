import { LEVEL_LABELS, LEVELS } from '../domain/levels.ts';
import { lineChartSpec, type ChartPoint } from '../report/charts.ts';
import type { StatsRow } from '../stats/types.ts';

// The dashboard's monthly charts: the report's own Vega-Lite line chart (src/report/charts.ts), rendered to SVG
// on the server with Vega's View.toSVG, so that the page needs neither the network nor a script to show them.

const vegaModules = (() => {
  let loaded: Promise<{ vega: typeof import('vega'); compile: typeof import('vega-lite').compile }> | undefined;
  return () =>
    (loaded ??= Promise.all([import('vega'), import('vega-lite')]).then(([vega, { compile }]) => {
      vega.formatLocale({ decimal: ',', thousands: '.', grouping: [3], currency: ['', ' ₫'] });
      return { vega, compile };
    }));
})();

export type MonthlyRate = 'onlineRate' | 'onTimeRate';

const TITLES: Record<MonthlyRate, { title: string; yTitle: string }> = {
  onlineRate: { title: 'Tỷ lệ hồ sơ tiếp nhận trực tuyến theo tháng', yTitle: 'Tỷ lệ trực tuyến' },
  onTimeRate: { title: 'Tỷ lệ giải quyết sớm và đúng hạn theo tháng', yTitle: 'Tỷ lệ sớm và đúng hạn' },
};

/** An SVG line chart of a rate by month, one line per level, from rows grouped by month and level. */
export async function monthlyRateSvg(rows: readonly StatsRow[], rate: MonthlyRate): Promise<string | undefined> {
  const points: ChartPoint[] = [];
  for (const row of rows) {
    const value = row[rate];
    if (row.month && row.level && value !== null) points.push({ month: row.month, series: LEVEL_LABELS[row.level], value });
  }
  if (!points.length) return undefined;
  const series = LEVELS.filter((l) => rows.some((r) => r.level === l)).map((l) => LEVEL_LABELS[l]);
  const key = JSON.stringify([rate, series, points]);
  const cached = rendered.get(key);
  if (cached) return cached;
  const { vega, compile } = await vegaModules();
  const spec = lineChartSpec({ ...TITLES[rate], points, series, yDomain: [0, 1] });
  const view = new vega.View(vega.parse(compile(spec).spec), { renderer: 'none' });
  try {
    const svg = await view.toSVG();
    if (rendered.size >= CACHED_CHARTS) rendered.delete(rendered.keys().next().value!);
    rendered.set(key, svg);
    return svg;
  } finally {
    view.finalize();
  }
}

/**
 * Charts already drawn, by their data: rendering one takes Vega 100–200 ms, and a dashboard shows the same
 * months again and again until the next import changes them (which changes the key).
 */
const rendered = new Map<string, string>();
const CACHED_CHARTS = 64;
