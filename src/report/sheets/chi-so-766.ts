import { indicatorPoints, loadProfile766 } from '../../domain/index-766.ts';
import { LEVELS } from '../../domain/levels.ts';
import { indicatorGaps } from '../../stats/indicator-warnings.ts';
import { computeStats } from '../../stats/compute.ts';
import { FIGURE_LABELS, NO_DATA } from '../../stats/labels.ts';
import { PROGRESS_POINTS_766 } from '../../stats/rates.ts';
import { INDICATOR_766_RATES, type GroupKey, type Indicator766Rate, type StatsQuery, type StatsRow } from '../../stats/types.ts';
import type { Column, Line } from '../excel/table.ts';
import { levelLabel, monthLabel } from '../labels.ts';
import { writeTableSheet, type SheetWriter } from './common.ts';

/** A unit's (or a level's) rows: one per month, and the whole period. */
interface UnitProgress {
  months: Map<string, StatsRow>;
  whole: StatsRow | undefined;
}

/** The figures QĐ 766's progress rests on: the warnings of both 766 sheets name the fields an export lacks for them. */
export const PROGRESS_766_RESTS_ON = ['resolvedEarly', 'resolvedOnTime', 'resolvedLate', 'resolvedRejected', 'withdrawn', 'pendingOnTime', 'pendingOverdue'] as const;

/**
 * QĐ 766's progress indicator per unit and month (docs/rules.md, "Progress by QĐ 766"): for each month the rate
 * of dossiers handled in time, then over the whole period the counts, the rate and the points of 20. Units under
 * their level, the level's own figures on its line.
 */
export const chiSo766: SheetWriter = {
  slug: 'chi-so-766',
  name: 'Chỉ số 766',
  async write(ctx) {
    const { data } = ctx;
    // QĐ 766's other indicators that the profile rates by (fullOnlineRate, …), over the whole period.
    const profile = ctx.profile766 ?? loadProfile766();
    const others = profile.groups.flatMap((g) => g.indicators).filter((i) => (INDICATOR_766_RATES as readonly (string | null)[]).includes(i.rate));
    const query = (by: GroupKey[], indicators766 = false): StatsQuery => ({
      period: data.period, by, filters: data.filters, progress766: true, ...(data.uncut ? { uncut: data.uncut } : {}),
      ...(indicators766 ? { indicators766 } : {}),
    });
    // Four reads of the dossiers (the summary lacks the progress counts): by month and not, by unit and by level.
    const [unitMonths, unitWhole, levelMonths, levelWhole] = await Promise.all([
      computeStats(data.db, query(['month', 'level', 'unit'])),
      computeStats(data.db, query(['level', 'unit'], others.length > 0)),
      computeStats(data.db, query(['month', 'level'])),
      computeStats(data.db, query(['level'], others.length > 0)),
    ]);
    const months = [...new Set(levelMonths.map((r) => r.month!))].sort();
    const lines: Line<UnitProgress>[] = [];
    for (const level of LEVELS) {
      const whole = levelWhole.find((r) => r.level === level);
      if (!whole || !unitWhole.some((r) => r.level === level)) continue;
      lines.push({
        kind: 'subtotal',
        labels: { unit: levelLabel(level) },
        data: { months: new Map(levelMonths.filter((r) => r.level === level).map((r) => [r.month!, r])), whole },
      });
      for (const unit of unitWhole.filter((r) => r.level === level)) {
        lines.push({
          kind: 'data',
          labels: { unit: unit.unitName! },
          data: {
            months: new Map(unitMonths.filter((r) => r.unitCode === unit.unitCode && r.level === level).map((r) => [r.month!, r])),
            whole: unit,
          },
        });
      }
    }
    const wholeLabel = 'Cả kỳ';
    const columns: Column<UnitProgress>[] = [
      { key: 'unit', header: ['Đơn vị'], kind: 'text', minWidth: 30, maxWidth: 45 },
      ...months.map((m): Column<UnitProgress> => ({
        key: `m${m}`, header: ['Tỷ lệ đúng tiến độ theo tháng', monthLabel(m)], kind: 'rate', value: (d) => d.months.get(m)?.progressRate766 ?? null,
      })),
      { key: 'handled', header: [wholeLabel, FIGURE_LABELS.handled766], kind: 'count', value: (d) => d.whole?.handled766 ?? 0 },
      { key: 'inTime', header: [wholeLabel, FIGURE_LABELS.inTime766], kind: 'count', value: (d) => d.whole?.inTime766 ?? 0 },
      {
        key: 'rate', header: [wholeLabel, FIGURE_LABELS.progressRate766], kind: 'rate2', value: (d) => d.whole?.progressRate766 ?? null,
        formula: (c) => `IF(${c('handled')}=0,"",${c('inTime')}/${c('handled')})`,
      },
      {
        key: 'points', header: [wholeLabel, `Điểm (tối đa ${PROGRESS_POINTS_766})`], kind: 'points', value: (d) => d.whole?.progressPoints766 ?? null,
        formula: (c) => `IF(${c('handled')}=0,"",${PROGRESS_POINTS_766}*${c('inTime')}/${c('handled')})`,
      },
      // Each other indicator of the profile: its rate, "không có dữ liệu" where the data lacks it, and its points.
      ...others.flatMap((i): Column<UnitProgress>[] => {
        const rateOf = (d: UnitProgress) => (d.whole?.[i.rate as Indicator766Rate] ?? null);
        return [
          { key: `${i.id}Rate`, header: [`${wholeLabel}: ${FIGURE_LABELS[i.rate as Indicator766Rate]}`, 'Tỷ lệ'], kind: 'rate2', value: (d) => rateOf(d) ?? NO_DATA },
          {
            key: `${i.id}Points`, header: [`${wholeLabel}: ${FIGURE_LABELS[i.rate as Indicator766Rate]}`, `Điểm (tối đa ${i.points})`], kind: 'points',
            value: (d) => (rateOf(d) === null ? null : indicatorPoints(i, rateOf(d)!)),
          },
        ];
      }),
    ];
    const warnings = await data.warningNotes(PROGRESS_766_RESTS_ON);
    writeTableSheet(ctx, this.name, {
      title: 'TIẾN ĐỘ GIẢI QUYẾT HỒ SƠ THEO CHỈ SỐ 766 (QUYẾT ĐỊNH 766/QĐ-TTg), THEO ĐƠN VỊ VÀ THÁNG',
      columns,
      lines,
      frozenColumns: 1,
      notes: [
        'Ghi chú: Tỷ lệ đúng tiến độ = (hồ sơ kết thúc xử lý trong kỳ vào hoặc trước ngày hẹn trả, kể cả từ chối và công dân rút, + hồ sơ đang giải quyết cuối kỳ còn trong hạn) / ' +
          '(hồ sơ kết thúc xử lý trong kỳ + hồ sơ đang giải quyết cuối kỳ); hồ sơ đang giải quyết quá hạn tính là trễ hạn; để trống khi không có hồ sơ. ' +
          `Điểm = ${PROGRESS_POINTS_766} × tỷ lệ (nhóm tiến độ, kết quả giải quyết của Chỉ số 766). Hệ thống quốc gia còn trừ thời gian công dân bổ sung hồ sơ, tệp xuất không có thông tin này.`,
        ...(others.length
          ? [`Các chỉ tiêu khác của Chỉ số 766 (theo hồ sơ chỉ số "${profile.name}"): điểm = điểm tối đa × min(1; tỷ lệ / ngưỡng đạt tối đa); ` +
            '"không có dữ liệu" khi tệp xuất không có cột tương ứng hoặc không có hồ sơ để tính (docs/index-766.md).']
          : []),
        ...(others.length ? (await indicatorGaps(data.db, query(['level']))).map((g) => `Cảnh báo: ${g.text}.`) : []),
        ...warnings,
      ],
    }).print();
  },
};
