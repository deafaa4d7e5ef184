import { LEVELS } from '../../domain/levels.ts';
import type { StatsRow } from '../../stats/types.ts';
import type { Column, Line } from '../excel/table.ts';
import { levelLabel, yearLabel } from '../labels.ts';
import { writeTableSheet, type SheetWriter } from './common.ts';

interface Measured {
  row: StatsRow;
  /** The level's target online rate, when the targets give one. */
  target: number | null;
}

/** Phú Thọ's Phụ lục 03: the online rate by level and year against the targets, with the gap and the verdict. */
export const chiTieu: SheetWriter = {
  slug: 'chi-tieu',
  name: 'Chỉ tiêu',
  async write(ctx) {
    const [byLevel, byYear] = await Promise.all([ctx.data.stats(['year', 'level']), ctx.data.stats(['year'])]);
    const { targets } = ctx;
    const lines: Line<Measured>[] = [];
    for (const level of LEVELS) {
      for (const row of byLevel.filter((r) => r.level === level)) {
        lines.push({ kind: 'data', labels: { level: levelLabel(level), year: yearLabel(row) }, data: { row, target: targets.onlineRate[level] ?? null } });
      }
    }
    for (const row of byYear) {
      lines.push({ kind: 'subtotal', labels: { level: 'Chung các cấp', year: yearLabel(row) }, data: { row, target: targets.onlineRate.all ?? null } });
    }
    const columns: Column<Measured>[] = [
      { key: 'level', header: ['Cấp'], kind: 'text', minWidth: 16 },
      { key: 'year', header: ['Năm'], kind: 'text', minWidth: 8 },
      { key: 'received', header: ['Tổng số hồ sơ mới tiếp nhận'], kind: 'count', value: (d) => d.row.receivedTotal },
      { key: 'online', header: ['Tiếp nhận trực tuyến'], kind: 'count', value: (d) => d.row.receivedOnline },
      {
        key: 'rate',
        header: ['Tỷ lệ trực tuyến'],
        kind: 'rate2',
        value: (d) => d.row.onlineRate,
        formula: (c) => `IF(${c('received')}=0,"",${c('online')}/${c('received')})`,
      },
      { key: 'target', header: [`Chỉ tiêu năm ${targets.year}`], kind: 'rate', value: (d) => d.target },
      {
        key: 'gap',
        header: ['Chênh lệch so với chỉ tiêu'],
        kind: 'rate2',
        value: (d) => (d.row.onlineRate === null || d.target === null ? null : d.row.onlineRate - d.target),
        formula: (c) => `IF(OR(${c('rate')}="",${c('target')}=""),"",${c('rate')}-${c('target')})`,
      },
      {
        key: 'verdict',
        header: ['Đánh giá'],
        kind: 'text',
        value: (d) => (d.row.onlineRate === null || d.target === null ? '' : d.row.onlineRate >= d.target ? 'Đạt' : 'Chưa đạt'),
        formula: (c) => `IF(OR(${c('rate')}="",${c('target')}=""),"",IF(${c('rate')}>=${c('target')},"Đạt","Chưa đạt"))`,
        minWidth: 11,
      },
    ];
    writeTableSheet(ctx, this.name, {
      title: 'TỶ LỆ HỒ SƠ TIẾP NHẬN TRỰC TUYẾN SO VỚI CHỈ TIÊU',
      columns,
      lines,
      frozenColumns: 2,
      notes: [
        `Chỉ tiêu: ${targets.source} (năm ${targets.year}). Tỷ lệ trực tuyến = số hồ sơ tiếp nhận trực tuyến / tổng số hồ sơ mới tiếp nhận. ` +
          'Chênh lệch dương là vượt chỉ tiêu.',
        ...(await ctx.data.warningNotes(['receivedTotal', 'receivedOnline'])),
      ],
    }).print();
  },
};
