import type { Counts, DueCount, DueFigures, Indicator766Count, Indicator766Figures, Progress766, Progress766Counts, Rates } from './types.ts';

const share = (part: number, whole: number): number | null => (whole === 0 ? null : part / whole);

/**
 * The rates of docs/rules.md from the counts, unrounded. The on-time rate keeps rejected dossiers in the
 * denominator (Hạ Hoà 2022: (7.866 + 4.494) / 12.623 = 97,9 %); shares are of the new receipts, the online rate
 * being the online share. null when the denominator is 0.
 */
export function ratesOf(counts: Counts): Rates {
  return {
    onTimeRate: share(counts.resolvedEarly + counts.resolvedOnTime, counts.resolvedTotal),
    onlineRate: share(counts.receivedOnline, counts.receivedTotal),
    directShare: share(counts.receivedDirect, counts.receivedTotal),
    onlineShare: share(counts.receivedOnline, counts.receivedTotal),
    postalShare: share(counts.receivedPostal, counts.receivedTotal),
    lienThongShare: share(counts.receivedLienThong, counts.receivedTotal),
  };
}

/**
 * Hồ sơ nhận giải quyết: new receipts + carried over (docs/rules.md, "To be handled"). It is also what the
 * Hạ Hoà sentence "đã tiếp nhận, giải quyết N hồ sơ" counts.
 */
export function toHandle(counts: Pick<Counts, 'receivedTotal' | 'carriedOver'>): number {
  return counts.receivedTotal + counts.carriedOver;
}

/** The points of QĐ 766/QĐ-TTg's progress indicator (tiến độ giải quyết): 20 of the index's 100. */
export const PROGRESS_POINTS_766 = 20;

/**
 * QĐ 766's progress rate and points from its counts (docs/rules.md, "Progress by QĐ 766"): in time / handled,
 * a pending overdue dossier late (unlike onTimeRate, over resolved dossiers alone); points = 20 × rate. null
 * when nothing was handled. `tthc rank` takes the points from a profile instead (src/domain/index-766.ts).
 */
export function progress766Of(counts: Progress766Counts): Progress766 {
  const rate = share(counts.inTime766, counts.handled766);
  return {
    handled766: counts.handled766,
    inTime766: counts.inTime766,
    progressRate766: rate,
    progressPoints766: rate === null ? null : PROGRESS_POINTS_766 * rate,
  };
}

/** avgProcessingDays: the working days summed over the dossiers counted, per dossier; null when none was. */
export function averageDays(days: number, counted: number): number | null {
  return counted === 0 ? null : days / counted;
}

/** The on-time rate over the dossiers due in the period: dueOnTime / dueTotal; null when none was due. */
export function dueOf(counts: Record<DueCount, number>): DueFigures {
  return { dueTotal: counts.dueTotal, dueOnTime: counts.dueOnTime, dueOnTimeRate: share(counts.dueOnTime, counts.dueTotal) };
}

/**
 * QĐ 766's other indicators from their counts (docs/rules.md, "QĐ 766's other indicators"): each a share over the
 * dossiers whose export said, null when there are none (the data lacks the column: "không có dữ liệu", never 0).
 * satisfactionRate = 100 % − the late share of the resolved dossiers − the dissatisfied share of those rated (the
 * profile's "100 % trừ tỷ lệ trễ hạn và tỷ lệ có khiếu nại, không hài lòng"), not below 0.
 */
export function indicators766Of(counts: Record<Indicator766Count, number> & Pick<Counts, 'resolvedLate' | 'resolvedTotal'>): Indicator766Figures {
  const lateShare = share(counts.resolvedLate, counts.resolvedTotal);
  const dissatisfiedShare = share(counts.dissatisfied, counts.satisfactionBase);
  return {
    receivedFullOnline: counts.receivedFullOnline,
    fullOnlineEligible: counts.fullOnlineEligible,
    paidOnline: counts.paidOnline,
    withFee: counts.withFee,
    digitised: counts.digitised,
    digitisedBase: counts.digitisedBase,
    electronicResult: counts.electronicResult,
    electronicResultBase: counts.electronicResultBase,
    dissatisfied: counts.dissatisfied,
    satisfactionBase: counts.satisfactionBase,
    fullOnlineRate: share(counts.receivedFullOnline, counts.fullOnlineEligible),
    onlinePaymentRate: share(counts.paidOnline, counts.withFee),
    digitisedRate: share(counts.digitised, counts.digitisedBase),
    electronicResultRate: share(counts.electronicResult, counts.electronicResultBase),
    satisfactionRate: dissatisfiedShare === null ? null : Math.max(0, 1 - (lateShare ?? 0) - dissatisfiedShare),
  };
}
