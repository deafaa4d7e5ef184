import { LEVELS } from '../../domain/levels.ts';
import { COUNT_FIGURES, type StatsRow } from '../../stats/types.ts';
import type { Column, Line } from '../excel/table.ts';
import { levelLabel, monthLabel, yearLabel } from '../labels.ts';
import { writeTableSheet, type SheetWriter } from './common.ts';
import { flowColumns } from './flow-columns.ts';
import { NOTES } from './theo-nam.ts';

/**
 * Month by month for each level; after each year's months a total line whose formulas add the months up
 * (carried over from the first month, pending from the last) and whose cached values are the yearly figures,
 * so the total line equals the "Theo năm" row.
 */
export const theoThang: SheetWriter = {
  slug: 'theo-thang',
  name: 'Theo tháng',
  async write(ctx) {
    const [months, years] = await Promise.all([ctx.data.stats(['month', 'level']), ctx.data.stats(['year', 'level'])]);
    const lines: Line<StatsRow>[] = [];
    for (const level of LEVELS) {
      const levelYears = years.filter((y) => y.level === level);
      if (!levelYears.length) continue;
      lines.push({ kind: 'heading', labels: { month: levelLabel(level) } });
      for (const year of levelYears) {
        const children: Line<StatsRow>[] = months
          .filter((m) => m.level === level && m.from >= year.from && m.to <= year.to)
          .map((m) => ({ kind: 'data', labels: { month: monthLabel(m.month!) }, data: m }));
        lines.push(...children, { kind: 'total', labels: { month: `Cộng năm ${yearLabel(year)}` }, data: year, children });
      }
    }
    const labels: Column<StatsRow>[] = [{ key: 'month', header: ['Tháng'], kind: 'text', minWidth: 12, maxWidth: 16 }];
    writeTableSheet(ctx, this.name, {
      title: 'KẾT QUẢ TIẾP NHẬN, GIẢI QUYẾT HỒ SƠ THỦ TỤC HÀNH CHÍNH THEO THÁNG',
      columns: [...labels, ...flowColumns({ rows: [...months, ...years], overTime: true, columns: ctx.columns })],
      lines,
      frozenColumns: labels.length,
      notes: [
        ...NOTES,
        'Dòng "Cộng năm": số mới tiếp nhận và đã giải quyết cộng các tháng; số từ kỳ trước lấy của tháng đầu, số đang giải quyết lấy của tháng cuối.',
        ...(await ctx.data.warningNotes(COUNT_FIGURES)),
      ],
    }).print();
  },
};
