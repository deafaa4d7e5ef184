import { LEVELS } from '../../domain/levels.ts';
import { viDay } from '../../domain/periods.ts';
import { fitToData } from '../../stats/coverage.ts';
import type { StatsRow } from '../../stats/types.ts';
import type { Column, Line } from '../excel/table.ts';
import { filterLabel, levelLabel, periodLabel, roman, scopeLabel } from '../labels.ts';
import type { Period } from '../../domain/periods.ts';
import type { ReportData } from '../data.ts';
import { writeTableSheet, type SheetWriter } from './common.ts';

const collator = new Intl.Collator('vi');

/** Which units the sheet lists: those valid in the period, or those of a day (--units-as-of). */
function unitsNote(asOf: string | undefined): string {
  return asOf === undefined
    ? 'Danh sách gồm mọi đơn vị có hiệu lực trong kỳ theo danh mục đơn vị, kể cả đơn vị không có hồ sơ. '
    : `Hồ sơ tính theo đơn vị hành chính ngày ${viDay(asOf)}: hồ sơ của đơn vị đã sáp nhập tính cho đơn vị kế thừa. `;
}

/** One line's figures for each compared period (undefined: the unit had no dossier in that period). */
export type PerPeriod = Array<StatsRow | undefined>;

/** Phụ lục 02's columns and lines for the periods compared (units by level, subtotals, total). */
export async function unitTable(
  data: ReportData,
  periods: Period[],
): Promise<{ columns: Column<PerPeriod>[]; lines: Line<PerPeriod>[]; totals: StatsRow[] }> {
  const [units, levels, totals] = await Promise.all([
    Promise.all(periods.map((p) => data.stats(['level', 'unit'], p))),
    Promise.all(periods.map((p) => data.stats(['level'], p))),
    Promise.all(periods.map((p) => data.total(p))),
  ]);
  const last = periods.length - 1;
  const lines: Line<PerPeriod>[] = [];
  const groups: Line<PerPeriod>[] = [];
  for (const level of LEVELS) {
    const codes = new Map<string, string>();
    for (const rows of units) for (const r of rows) if (r.level === level) codes.set(r.unitCode!, r.unitName!);
    if (!codes.size) continue;
    const unitLines = [...codes].map(([code, name]) => ({
      name,
      data: units.map((rows) => rows.find((r) => r.unitCode === code)),
    }));
    unitLines.sort((a, b) => (b.data[last]?.onlineRate ?? -1) - (a.data[last]?.onlineRate ?? -1) || collator.compare(a.name, b.name));
    const children: Line<PerPeriod>[] = unitLines.map((u, i) => ({ kind: 'data', labels: { stt: i + 1, unit: u.name }, data: u.data }));
    const group: Line<PerPeriod> = {
      kind: 'subtotal',
      labels: { stt: roman(groups.length + 1), unit: levelLabel(level) },
      data: levels.map((rows) => rows.find((r) => r.level === level)),
      children,
    };
    groups.push(group);
    lines.push(group, ...children);
  }
  lines.push({ kind: 'total', labels: { unit: 'Tổng cộng' }, data: totals, children: groups });

  const columns: Column<PerPeriod>[] = [
    { key: 'stt', header: ['STT'], kind: 'text', minWidth: 5, align: 'center' },
    { key: 'unit', header: ['Đơn vị'], kind: 'text', minWidth: 30, maxWidth: 45 },
    ...periods.flatMap((p, i): Column<PerPeriod>[] => {
      const label = periodLabel(p);
      const k = (name: string) => `p${i}.${name}`;
      return [
        { key: k('total'), header: [label, 'Tổng số hồ sơ tiếp nhận'], kind: 'count', value: (d) => d[i]?.receivedTotal ?? 0 },
        {
          key: k('oneStop'),
          header: [label, 'Trong đó', 'Một cửa (trực tiếp, bưu chính)'],
          kind: 'count',
          value: (d) => (d[i] ? d[i]!.receivedDirect + d[i]!.receivedPostal : 0),
        },
        { key: k('online'), header: [label, 'Trong đó', 'Trực tuyến'], kind: 'count', value: (d) => d[i]?.receivedOnline ?? 0 },
        {
          key: k('rate'),
          header: [label, 'Tỷ lệ trực tuyến'],
          kind: 'rate2',
          // Phụ lục 02 prints a unit without receipts as 0 / 0 / 0 and "0,00 %" (the JSON keeps null).
          value: (d) => d[i]?.onlineRate ?? 0,
          formula: (c) => `IF(${c(k('total'))}=0,0,${c(k('online'))}/${c(k('total'))})`,
        },
      ];
    }),
  ];
  return { columns, lines, totals };
}

/**
 * Phú Thọ's Phụ lục 02: units grouped by level, each group a subtotal line followed by its units sorted by
 * online rate (highest first, in the last period compared), a grand total, and a column group per period.
 */
export const theoDonVi: SheetWriter = {
  slug: 'theo-don-vi',
  name: 'Theo đơn vị',
  async write(ctx) {
    const periods = ctx.compare;
    const { columns, lines, totals } = await unitTable(ctx.data, periods);
    const last = periods.length - 1;
    const lienThong = totals.some((t) => t.receivedLienThong > 0);
    // Compared periods other than the report's are not cut, but their runs past the data are said as well.
    const own = periods.length === 1 && periods[0].from === ctx.data.period.from && periods[0].to === ctx.data.period.to;
    const span = own ? ctx.data.period : { from: periods.map((p) => p.from).sort()[0], to: periods.map((p) => p.to).sort().at(-1)! };
    const compared = own
      ? []
      : (await Promise.all(periods.map((p) => fitToData(ctx.data.db, { period: p, filters: ctx.data.filters }, { wholePeriods: true })))).flatMap((f) => f.warnings);
    const warnings = await ctx.data.warningNotes(['receivedTotal', 'receivedDirect', 'receivedPostal', 'receivedOnline'], span, compared);
    const filters = filterLabel(ctx.data.filters);
    writeTableSheet(ctx, this.name, {
      title: 'KẾT QUẢ TIẾP NHẬN HỒ SƠ THỦ TỤC HÀNH CHÍNH THEO ĐƠN VỊ',
      subtitle: [periods.map((p) => scopeLabel(p)).join('; ') + (filters ? `; ${filters}` : '')],
      columns,
      lines,
      frozenColumns: 2,
      notes: [
        'Ghi chú: Tỷ lệ trực tuyến = số hồ sơ tiếp nhận trực tuyến / tổng số hồ sơ mới tiếp nhận trong kỳ (0,00 % khi đơn vị không tiếp nhận hồ sơ nào). ' +
          unitsNote(ctx.data.filters.unitsAsOf) +
          'Đơn vị trong mỗi cấp xếp theo tỷ lệ trực tuyến' +
          (periods.length > 1 ? ` của kỳ ${periodLabel(periods[last]).toLowerCase()}` : '') +
          ', từ cao xuống thấp.' +
          (lienThong ? ' Tổng số hồ sơ tiếp nhận gồm cả hồ sơ tiếp nhận liên thông.' : ''),
        ...warnings,
      ],
    }).print();
  },
};
