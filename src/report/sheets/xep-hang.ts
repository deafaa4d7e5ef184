import { PROGRESS_766_RESTS_ON } from './chi-so-766.ts';
import { loadProfile766 } from '../../domain/index-766.ts';
import { LEVELS } from '../../domain/levels.ts';
import { rankUnits766, type RankedUnit } from '../../rank/rank.ts';
import { classesLine, missingIndicators, RANK_RULE, rankingBasis } from '../../rank/render.ts';
import { FIGURE_LABELS, NO_DATA } from '../../stats/labels.ts';
import type { Column, Line } from '../excel/table.ts';
import { levelLabel } from '../labels.ts';
import { writeTableSheet, type SheetWriter } from './common.ts';

/**
 * The units ranked by the QĐ 766 index over the report's period (`tthc rank`, src/rank/): by level, each unit's
 * rank, the counts behind the progress indicator, each counted indicator's rate and points, the total, the score
 * on 100 and the class; the notes say over how many points the rank runs and where the thresholds come from.
 * The profile of --profile-766, else the shipped one (reports/index-766.json).
 */
export const xepHang: SheetWriter = {
  slug: 'xep-hang',
  name: 'Xếp hạng',
  async write(ctx) {
    const { data } = ctx;
    const ranking = await rankUnits766(
      data.db,
      { period: data.period, filters: data.filters, ...(data.uncut ? { uncut: data.uncut } : {}) },
      ctx.profile766 ?? loadProfile766(),
    );
    const counted = ranking.indicators.filter((i) => i.counted);
    const lines: Line<RankedUnit>[] = [];
    for (const level of LEVELS) {
      const rows = ranking.rows.filter((r) => r.level === level);
      if (!rows.length) continue;
      lines.push({ kind: 'heading', labels: { rank: '', unit: levelLabel(level) } });
      for (const row of rows) lines.push({ kind: 'data', labels: { rank: row.rank ?? '–', unit: row.unitName }, data: row });
    }
    const max = (n: number) => String(Math.round(n * 100) / 100).replace('.', ',');
    const columns: Column<RankedUnit>[] = [
      { key: 'rank', header: ['Hạng'], kind: 'text', minWidth: 6, align: 'center' },
      { key: 'unit', header: ['Đơn vị'], kind: 'text', minWidth: 30, maxWidth: 45 },
      { key: 'handled', header: ['Chỉ số 766: tiến độ', FIGURE_LABELS.handled766], kind: 'count', value: (r) => r.handled766 },
      { key: 'inTime', header: ['Chỉ số 766: tiến độ', FIGURE_LABELS.inTime766], kind: 'count', value: (r) => r.inTime766 },
      ...counted.flatMap((i): Column<RankedUnit>[] => [
        { key: `${i.id}.rate`, header: [i.name, 'Tỷ lệ'], kind: 'rate2', value: (r) => r.indicators[i.id]?.rate ?? NO_DATA },
        { key: `${i.id}.points`, header: [i.name, `Điểm (tối đa ${max(i.max)})`], kind: 'points', value: (r) => r.indicators[i.id]?.points ?? null },
      ]),
      { key: 'total', header: [`Tổng điểm (trên ${max(ranking.countedMax)})`], kind: 'points', value: (r) => r.total },
      // A unit lacking an indicator: its total is over fewer points (RANK_RULE).
      ...(ranking.rows.some((r) => r.total !== null && r.knownMax < ranking.countedMax)
        ? [{ key: 'knownMax', header: ['Tổng điểm tính trên'], kind: 'points', value: (r: RankedUnit) => (r.total === null ? null : r.knownMax) } as Column<RankedUnit>]
        : []),
      { key: 'score', header: ['Điểm quy về thang 100'], kind: 'points', value: (r) => r.score },
      { key: 'class', header: ['Xếp loại'], kind: 'text', value: (r) => r.class ?? NO_DATA, minWidth: 12 },
    ];
    const warnings = await data.warningNotes(PROGRESS_766_RESTS_ON);
    writeTableSheet(ctx, this.name, {
      title: 'XẾP HẠNG ĐƠN VỊ THEO BỘ CHỈ SỐ PHỤC VỤ NGƯỜI DÂN, DOANH NGHIỆP (QUYẾT ĐỊNH 766/QĐ-TTg)',
      columns,
      lines,
      frozenColumns: 2,
      notes: [
        `Ghi chú: ${rankingBasis(ranking)}`,
        ...(missingIndicators(ranking) ? [missingIndicators(ranking)!] : []),
        'Tiến độ giải quyết = (hồ sơ kết thúc trong kỳ vào hoặc trước ngày hẹn trả + hồ sơ đang giải quyết trong hạn cuối kỳ) / (hồ sơ kết thúc trong kỳ + hồ sơ đang giải quyết cuối kỳ); hồ sơ đang giải quyết quá hạn tính là trễ hạn. ' +
          RANK_RULE,
        ...ranking.warnings.map((w) => `Không có dữ liệu: ${w}.`),
        classesLine(ranking),
        ...counted.filter((i) => i.uncertain).map((i) => `${i.name}: ${i.uncertain}.`),
        ...warnings,
      ],
    }).print();
  },
};
