import { LEVELS, type Level } from '../../domain/levels.ts';
import { procedureCatalogue, type CatalogueRow } from '../catalogue.ts';
import type { Column, Line } from '../excel/table.ts';
import { levelLabel } from '../labels.ts';
import { writeEmptySheet, writeTableSheet, type SheetWriter } from './common.ts';

type OnlineLevel = 2 | 3 | 4 | 'other';
type Counts = Record<OnlineLevel, number> & { total: number };

// Mức độ 2 / 3 / 4 of the catalogue, with the names Nghị định 42/2022 gave them.
const ONLINE_LEVELS: Array<{ key: OnlineLevel; label: string }> = [
  { key: 2, label: 'Mức độ 2 (dịch vụ công trực tuyến cung cấp thông tin)' },
  { key: 3, label: 'Mức độ 3 (dịch vụ công trực tuyến một phần)' },
  { key: 4, label: 'Mức độ 4 (dịch vụ công trực tuyến toàn trình)' },
  { key: 'other', label: 'Chưa xác định mức độ' },
];

function countsOf(rows: CatalogueRow[]): Counts {
  const counts: Counts = { 2: 0, 3: 0, 4: 0, other: 0, total: 0 };
  for (const r of rows) {
    const key: OnlineLevel = r.onlineLevel === 2 || r.onlineLevel === 3 || r.onlineLevel === 4 ? r.onlineLevel : 'other';
    counts[key] += r.procedures;
    counts.total += r.procedures;
  }
  return counts;
}

export const danhMuc: SheetWriter = {
  slug: 'danh-muc',
  name: 'Danh mục TTHC',
  async write(ctx) {
    const title = 'SỐ THỦ TỤC HÀNH CHÍNH THEO MỨC ĐỘ CUNG CẤP DỊCH VỤ CÔNG TRỰC TUYẾN';
    const rows = await procedureCatalogue(ctx.data.db);
    if (!rows.length) {
      writeEmptySheet(ctx, this.name, title, 'Chưa nhập danh mục thủ tục hành chính (tthc procedures import).');
      return;
    }
    const levels: Array<Level | null> = [...LEVELS, null];
    const children: Line<Counts>[] = levels
      .filter((level) => rows.some((r) => r.level === level))
      .map((level) => ({ kind: 'data', labels: { level: levelLabel(level) }, data: countsOf(rows.filter((r) => r.level === level)) }));
    const total: Line<Counts> = { kind: 'total', labels: { level: 'Tổng cộng' }, data: countsOf(rows), children };
    const shown = ONLINE_LEVELS.filter((o) => o.key !== 'other' || total.data!.other > 0);
    const columns: Column<Counts>[] = [
      { key: 'level', header: ['Cấp thực hiện'], kind: 'text', minWidth: 16 },
      {
        key: 'total',
        header: ['Tổng số TTHC'],
        kind: 'count',
        value: (d) => d.total,
        formula: (c) => shown.map((o) => c(`n${o.key}`)).join('+'),
      },
      ...shown.flatMap((o): Column<Counts>[] => [
        { key: `n${o.key}`, header: [o.label, 'Số TTHC'], kind: 'count', value: (d) => d[o.key], minWidth: 10 },
        {
          key: `s${o.key}`,
          header: [o.label, 'Tỷ lệ'],
          kind: 'rate',
          value: (d) => (d.total ? d[o.key] / d.total : null),
          formula: (c) => `IF(${c('total')}=0,"",${c(`n${o.key}`)}/${c('total')})`,
          minWidth: 10,
        },
      ]),
    ];
    writeTableSheet(ctx, this.name, {
      title,
      subtitle: 'Theo danh mục thủ tục hành chính đã nhập',
      columns,
      lines: [...children, total],
      frozenColumns: 1,
      notes: ['Ghi chú: Tỷ lệ = số thủ tục ở mức độ / tổng số thủ tục của cấp. Tên mức độ theo Nghị định 42/2022/NĐ-CP.'],
    }).print();
  },
};
