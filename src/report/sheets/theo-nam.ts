import { LEVELS } from '../../domain/levels.ts';
import { COUNT_FIGURES, type StatsRow } from '../../stats/types.ts';
import type { Column, Line } from '../excel/table.ts';
import { levelLabel, yearLabel } from '../labels.ts';
import { writeTableSheet, type SheetWriter } from './common.ts';
import { flowColumns } from './flow-columns.ts';

/** Rows by level (tỉnh, huyện, xã), then year, as the Hạ Hoà report lists each level over the years. */
export function byLevelThenPeriod(rows: StatsRow[]): StatsRow[] {
  return [...rows].sort((a, b) => LEVELS.indexOf(a.level!) - LEVELS.indexOf(b.level!) || (a.from < b.from ? -1 : a.from > b.from ? 1 : 0));
}

export const theoNam: SheetWriter = {
  slug: 'theo-nam',
  name: 'Theo năm',
  async write(ctx) {
    const rows = byLevelThenPeriod(await ctx.data.stats(['year', 'level']));
    const labels: Column<StatsRow>[] = [
      { key: 'level', header: ['Cấp'], kind: 'text', minWidth: 12 },
      { key: 'year', header: ['Năm'], kind: 'text', minWidth: 8, maxWidth: 11 },
    ];
    const lines: Line<StatsRow>[] = rows.map((row) => ({
      kind: 'data',
      labels: { level: levelLabel(row.level), year: yearLabel(row) },
      data: row,
    }));
    writeTableSheet(ctx, this.name, {
      title: 'KẾT QUẢ TIẾP NHẬN, GIẢI QUYẾT HỒ SƠ THỦ TỤC HÀNH CHÍNH THEO NĂM',
      columns: [...labels, ...flowColumns({ rows, columns: ctx.columns })],
      lines,
      frozenColumns: labels.length,
      notes: [...NOTES, ...(await ctx.data.warningNotes(COUNT_FIGURES))],
    }).print();
  },
};

export const NOTES = [
  'Ghi chú: Tổng số hồ sơ nhận giải quyết = số mới tiếp nhận + số từ kỳ trước chuyển sang. Tỷ lệ theo hình thức = số hồ sơ mới tiếp nhận theo hình thức / tổng số mới tiếp nhận. ' +
    'Tỷ lệ giải quyết sớm và đúng hạn = (trước hạn + đúng hạn) / tổng số đã giải quyết (kể cả hồ sơ từ chối giải quyết). ' +
    'Số đang giải quyết tính đến ngày cuối kỳ.',
];
