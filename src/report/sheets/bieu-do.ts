import { writeFileSync } from 'node:fs';
import { LEVELS, type Level } from '../../domain/levels.ts';
import type { StatsRow } from '../../stats/types.ts';
import { CHART_HEIGHT, CHART_WIDTH, renderLineChart, type ChartPoint, type RenderedChart } from '../charts.ts';
import { columnPoints } from '../excel/print.ts';
import { setupPage, titleRow } from '../excel/style.ts';
import { writeTable, type Column, type Line } from '../excel/table.ts';
import { levelLabel, monthLabel, scopeLabel } from '../labels.ts';
import { planSheet, writeNotes, type SheetWriter } from './common.ts';

/** The two charts of the report, by file-name suffix. */
export const CHARTS = [
  { suffix: 'ty-le-truc-tuyen', figure: 'onlineRate', title: 'Tỷ lệ hồ sơ tiếp nhận trực tuyến theo tháng', yTitle: 'Tỷ lệ trực tuyến', yDomain: [0, 1] },
  { suffix: 'ty-le-dung-han', figure: 'onTimeRate', title: 'Tỷ lệ hồ sơ giải quyết sớm và đúng hạn theo tháng', yTitle: 'Tỷ lệ sớm và đúng hạn' },
] as const;

/** The report's charts drawn from the monthly rows by level (computeStats grouped by month and level). */
export async function renderReportCharts(rows: StatsRow[]): Promise<Array<{ chart: (typeof CHARTS)[number]; rendered: RenderedChart }>> {
  const levels = LEVELS.filter((l) => rows.some((r) => r.level === l));
  return Promise.all(
    CHARTS.map(async (chart) => {
      const points: ChartPoint[] = rows
        .filter((r) => r[chart.figure] !== null)
        .map((r) => ({ month: r.month!, series: levelLabel(r.level), value: r[chart.figure]! }));
      const rendered = await renderLineChart({
        title: chart.title,
        yTitle: chart.yTitle,
        points,
        series: levels.map((l) => levelLabel(l)),
        yDomain: 'yDomain' in chart ? [...chart.yDomain] : undefined,
      });
      return { chart, rendered };
    }),
  );
}

const ROW_PX = 20; // Excel's default row height (15 pt)

export const bieuDo: SheetWriter = {
  slug: 'bieu-do',
  name: 'Biểu đồ',
  async write(ctx) {
    const rows = await ctx.data.stats(['month', 'level']);
    const levels = LEVELS.filter((l) => rows.some((r) => r.level === l));
    const ws = ctx.workbook.addWorksheet(this.name);

    let row = 3; // 0-based anchor row of the next picture
    const pageStarts: number[] = [];
    for (const { chart, rendered } of await renderReportCharts(rows)) {
      const base = `${ctx.chartBase}-${chart.suffix}`;
      writeFileSync(`${base}.svg`, rendered.svg);
      writeFileSync(`${base}.png`, rendered.png);
      ctx.files.push(`${base}.png`, `${base}.svg`);
      const image = ctx.workbook.addImage({ buffer: rendered.png as any, extension: 'png' });
      ws.addImage(image, { tl: { col: 0, row }, ext: { width: CHART_WIDTH, height: CHART_HEIGHT } });
      row += Math.ceil(CHART_HEIGHT / ROW_PX) + 2;
      // One chart per printed page, and the table after them on its own.
      pageStarts.push(row + 1);
    }
    for (let r = 3; r <= row; r++) ws.getRow(r).height = ROW_PX * 0.75;

    // The figures behind the charts, so a report writer can redraw them in Word.
    const months = [...new Set(rows.map((r) => r.month!))];
    const lines: Line<Map<Level, StatsRow>>[] = months.map((month) => ({
      kind: 'data',
      labels: { month: monthLabel(month) },
      data: new Map(rows.filter((r) => r.month === month).map((r) => [r.level!, r])),
    }));
    const columns: Column<Map<Level, StatsRow>>[] = [
      { key: 'month', header: ['Tháng'], kind: 'text', minWidth: 12 },
      ...CHARTS.flatMap((chart) =>
        levels.map((level): Column<Map<Level, StatsRow>> => ({
          key: `${chart.figure}.${level}`,
          header: [chart.yTitle, levelLabel(level)],
          kind: 'rate',
          value: (d) => d.get(level)?.[chart.figure] ?? null,
          minWidth: 12,
        })),
      ),
    ];
    const layout = writeTable(ws, { columns, lines, startRow: row + 1 });
    // The titles span the charts' width, whatever the table's columns under them.
    let titleColumns = 0;
    for (let width = 0; width < CHART_WIDTH * 0.75; titleColumns++) width += columnPoints(ws.getColumn(titleColumns + 1).width);
    titleRow(ws, 1, titleColumns, 'BIỂU ĐỒ TỶ LỆ TRỰC TUYẾN VÀ TỶ LỆ GIẢI QUYẾT SỚM, ĐÚNG HẠN THEO THÁNG', { size: 14 });
    titleRow(ws, 2, titleColumns, scopeLabel(ctx.data.period, ctx.data.filters), { bold: false, italic: true });
    const notes = await ctx.data.warningNotes(['receivedTotal', 'receivedOnline', 'resolvedEarly', 'resolvedOnTime', 'resolvedLate', 'resolvedRejected', 'resolvedTotal']);
    writeNotes(ws, layout.lastRow + 2, columns.length, notes);
    setupPage(ws, { printTitleRows: [layout.headerFirstRow, layout.headerLastRow] });
    planSheet(ctx, ws, {
      headerRows: [layout.headerFirstRow, layout.headerLastRow],
      lines: layout.lines,
      labelColumns: 1,
      columnCount: columns.length,
      lastRow: notes.length ? layout.lastRow + 1 + notes.length : layout.lastRow,
      forcedBreaks: pageStarts,
    });
  },
};
