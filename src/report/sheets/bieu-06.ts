import { LEVELS } from '../../domain/levels.ts';
import { COUNT_FIGURES, type StatsRow } from '../../stats/types.ts';
import { toHandle } from '../../stats/rates.ts';
import type { Column, Line } from '../excel/table.ts';
import { filterLabel, levelLabel, reportingPeriodName, roman, viDate } from '../labels.ts';
import type { ReportData } from '../data.ts';
import { writeTableSheet, type SheetWriter } from './common.ts';

// Biểu số 06/VPCP/KSTT of Thông tư 01/2020/TT-VPCP. How the figures fill the form's 13 columns is decided
// here and only here:
// - (5) "Trực tiếp và dịch vụ bưu chính" takes every new receipt that was not online: direct, postal and
//   liên thông, so that (3) = (4) + (5) + (6) holds;
// - the form has no column for rejected or withdrawn dossiers: as the one-stop systems' form 06a says, they
//   are counted in (9) "Đúng hạn" ("bao gồm cả hồ sơ trả lại/xin rút"), so that (3) = (7) + (11) holds.

const RECEIVED = 'Số hồ sơ nhận giải quyết';
const RESOLVED = 'Số hồ sơ đã giải quyết';
const PENDING = 'Số hồ sơ đang giải quyết';

export const BIEU_06_COLUMNS: Column<StatsRow>[] = [
  { key: 'stt', header: ['STT'], kind: 'text', minWidth: 5, align: 'center' },
  { key: 'field', header: ['Lĩnh vực'], kind: 'text', minWidth: 28, maxWidth: 40 },
  {
    key: 'toHandle',
    header: [RECEIVED, 'Tổng số'],
    kind: 'count',
    value: toHandle,
    formula: (c) => `${c('receivedOnline')}+${c('receivedOther')}+${c('carriedOver')}`,
  },
  { key: 'receivedOnline', header: [RECEIVED, 'Trong kỳ', 'Trực tuyến'], kind: 'count', value: (s) => s.receivedOnline },
  {
    key: 'receivedOther',
    header: [RECEIVED, 'Trong kỳ', 'Trực tiếp và dịch vụ bưu chính'],
    kind: 'count',
    value: (s) => s.receivedDirect + s.receivedPostal + s.receivedLienThong,
  },
  { key: 'carriedOver', header: [RECEIVED, 'Từ kỳ trước'], kind: 'count', value: (s) => s.carriedOver },
  {
    key: 'resolvedAll',
    header: [RESOLVED, 'Tổng số'],
    kind: 'count',
    value: (s) => s.resolvedTotal + s.withdrawn,
    formula: (c) => `${c('resolvedEarly')}+${c('resolvedOnTimeAll')}+${c('resolvedLate')}`,
  },
  { key: 'resolvedEarly', header: [RESOLVED, 'Trước hạn'], kind: 'count', value: (s) => s.resolvedEarly },
  {
    key: 'resolvedOnTimeAll',
    header: [RESOLVED, 'Đúng hạn'],
    kind: 'count',
    value: (s) => s.resolvedOnTime + s.resolvedRejected + s.withdrawn,
  },
  { key: 'resolvedLate', header: [RESOLVED, 'Quá hạn'], kind: 'count', value: (s) => s.resolvedLate },
  {
    key: 'pendingTotal',
    header: [PENDING, 'Tổng số'],
    kind: 'count',
    value: (s) => s.pendingTotal,
    formula: (c) => `${c('pendingOnTime')}+${c('pendingOverdue')}`,
  },
  { key: 'pendingOnTime', header: [PENDING, 'Trong hạn'], kind: 'count', value: (s) => s.pendingOnTime },
  { key: 'pendingOverdue', header: [PENDING, 'Quá hạn'], kind: 'count', value: (s) => s.pendingOverdue },
];

/** The form's lines: a subtotal per level followed by its fields, then the total. */
export async function bieu06Lines(data: ReportData): Promise<Line<StatsRow>[]> {
  const [fields, levels, total] = await Promise.all([
    data.stats(['level', 'field']),
    data.stats(['level']),
    data.total(),
  ]);
  const lines: Line<StatsRow>[] = [];
  const groups: Line<StatsRow>[] = [];
  for (const level of LEVELS) {
    const levelRow = levels.find((r) => r.level === level);
    if (!levelRow) continue;
    const children: Line<StatsRow>[] = fields
      .filter((r) => r.level === level)
      .map((r, i) => ({ kind: 'data', labels: { stt: i + 1, field: r.field ?? 'Chưa xác định lĩnh vực' }, data: r }));
    const group: Line<StatsRow> = { kind: 'subtotal', labels: { stt: roman(groups.length + 1), field: levelLabel(level) }, data: levelRow, children };
    groups.push(group);
    lines.push(group, ...children);
  }
  lines.push({ kind: 'total', labels: { field: 'Tổng cộng' }, data: total, children: groups });
  return lines;
}

export const bieu06: SheetWriter = {
  slug: 'bieu-06',
  name: 'Biểu 06',
  async write(ctx) {
    const lines = await bieu06Lines(ctx.data);

    const period = ctx.data.period;
    const filters = filterLabel(ctx.data.filters);
    writeTableSheet(ctx, this.name, {
      preamble: [
        ['Biểu số 06/VPCP/KSTT\nBan hành kèm theo Thông tư số 01/2020/TT-VPCP', 'Đơn vị báo cáo: ……………\nĐơn vị nhận báo cáo: ……………'],
      ],
      title: 'TÌNH HÌNH, KẾT QUẢ GIẢI QUYẾT TTHC TẠI CƠ QUAN, ĐƠN VỊ TRỰC TIẾP GIẢI QUYẾT TTHC',
      subtitle: [
        ...(reportingPeriodName(period) ? [`Kỳ báo cáo: ${reportingPeriodName(period)}`] : []),
        `(Từ ngày ${viDate(period.from)} đến ngày ${viDate(period.to)})`,
        ...(filters ? [`(${filters})`] : []),
      ],
      unitLine: 'Đơn vị tính: Số hồ sơ TTHC',
      columns: BIEU_06_COLUMNS,
      lines,
      numbered: true,
      frozenColumns: 2,
      notes: [
        'Ghi chú: Cột (9) "Đúng hạn" bao gồm cả hồ sơ trả lại (từ chối giải quyết) và hồ sơ công dân xin rút. ' +
          'Cột (5) gồm hồ sơ tiếp nhận trực tiếp, qua dịch vụ bưu chính công ích và hồ sơ tiếp nhận liên thông. ' +
          '(3) = (4) + (5) + (6); (7) = (8) + (9) + (10); (11) = (12) + (13); (3) = (7) + (11).',
        ...(await ctx.data.warningNotes(COUNT_FIGURES)),
      ],
    }).print();
  },
};
