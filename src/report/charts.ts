import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { TopLevelSpec } from 'vega-lite';

// Charts a report writer would otherwise draw by hand. Vega-Lite describes the chart, Vega renders it to SVG in
// plain JavaScript, and resvg (its binary ships inside its npm package) turns the SVG into a PNG for Excel.
// Text is set in DejaVu Sans from the dejavu-fonts-ttf package, which has every Vietnamese letter, so the
// picture is the same on every machine whatever fonts it has.

/** Size of a chart in the sheet (pixels); the PNG has CHART_SCALE times as many pixels, for print. */
export const CHART_WIDTH = 960;
export const CHART_HEIGHT = 420;
export const CHART_SCALE = 2;
const FONT_FAMILY = 'DejaVu Sans';

const fontDir = join(dirname(createRequire(import.meta.url).resolve('dejavu-fonts-ttf/package.json')), 'ttf');
const FONT_FILES = ['DejaVuSans.ttf', 'DejaVuSans-Bold.ttf', 'DejaVuSans-Oblique.ttf'].map((f) => join(fontDir, f));

/**
 * Vega, Vega-Lite and resvg are loaded on the first chart: they are large, and every other command (an import
 * above all) does better without them in memory.
 */
const renderer = memoizeOnce(async () => {
  const [vega, { compile }, { Resvg }] = await Promise.all([import('vega'), import('vega-lite'), import('@resvg/resvg-js')]);
  // Vietnamese number marks in axis labels: "97,5%".
  vega.formatLocale({ decimal: ',', thousands: '.', grouping: [3], currency: ['', ' ₫'] });
  return { vega, compile, Resvg };
});

function memoizeOnce<T>(load: () => Promise<T>): () => Promise<T> {
  let loaded: Promise<T> | undefined;
  return () => (loaded ??= load());
}

export interface ChartPoint {
  /** 'yyyy-MM' */
  month: string;
  series: string;
  /** A fraction from 0 to 1. */
  value: number;
}

export interface LineChart {
  title: string;
  yTitle: string;
  points: ChartPoint[];
  /** Series in legend order. */
  series: string[];
  /** Fixed y range, e.g. [0, 1]; default: fitted to the data. */
  yDomain?: [number, number];
}

export interface RenderedChart {
  svg: string;
  png: Buffer;
}

export function lineChartSpec(chart: LineChart): TopLevelSpec {
  return {
    width: CHART_WIDTH,
    height: CHART_HEIGHT,
    autosize: { type: 'fit', contains: 'padding' },
    padding: 12,
    background: 'white',
    title: { text: chart.title, fontSize: 16 },
    data: { values: chart.points.map((p) => ({ ...p, date: `${p.month}-01` })) },
    mark: { type: 'line', point: { size: 30 }, strokeWidth: 2 },
    encoding: {
      x: {
        field: 'date',
        type: 'temporal',
        timeUnit: 'utcyearmonth',
        title: 'Tháng',
        axis: { format: '%m/%Y', labelAngle: -45, labelOverlap: true },
      },
      y: {
        field: 'value',
        type: 'quantitative',
        title: chart.yTitle,
        // vi-VN writes a space before the percent sign (97,9 %); the locale set above gives the decimal comma.
        axis: { format: '.1~%', labelExpr: "replace(datum.label, '%', ' %')" },
        scale: chart.yDomain ? { domain: chart.yDomain } : { zero: false, nice: true },
      },
      color: {
        field: 'series',
        type: 'nominal',
        title: null,
        scale: { domain: chart.series },
        legend: { orient: 'bottom', labelFontSize: 13, symbolStrokeWidth: 3 },
      },
    },
    config: { font: FONT_FAMILY, axis: { labelFontSize: 12, titleFontSize: 13 } },
  };
}

export async function renderLineChart(chart: LineChart): Promise<RenderedChart> {
  const { vega, compile, Resvg } = await renderer();
  const view = new vega.View(vega.parse(compile(lineChartSpec(chart)).spec), { renderer: 'none' });
  const svg = await view.toSVG();
  view.finalize();
  const png = new Resvg(svg, {
    font: { loadSystemFonts: false, fontFiles: FONT_FILES, defaultFontFamily: FONT_FAMILY, sansSerifFamily: FONT_FAMILY },
    fitTo: { mode: 'width', value: CHART_WIDTH * CHART_SCALE },
  })
    .render()
    .asPng();
  return { svg, png };
}
