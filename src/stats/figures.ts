import { type Expression, type ExpressionBuilder, type SqlBool } from 'kysely';
import type { Database, DossierTable } from '../db/schema.ts';
import type { Channel } from '../domain/channels.ts';
import { RESOLVED_OUTCOMES, type Outcome } from '../domain/outcome.ts';
import { DISSATISFIED } from '../import/indicator-values.ts';
import type { DossierFigure } from './types.ts';

// The counting rules of docs/rules.md ("Counting rules for a period"), each written ONCE as a SQL condition on a
// dossier `d` and a period `p`. computeStats sums them, listDossiers filters by them: a figure and the list of
// dossiers behind it cannot disagree. What depends on the dossier alone, how it ended against its due day and
// from which day it is overdue while open, is its stored classification (columns outcome and overdue_from,
// written at import by src/domain/outcome.ts): a figure here only places the dossier in the period.
//
// Stored times are text 'yyyy-MM-dd HH:mm:ss' (Vietnam wall-clock) and period bounds are days 'yyyy-MM-dd', so
// `time < p.to_next` means "on or before the last day" and `time >= p.from` "on or after the first day", to the
// second, on SQLite and PostgreSQL alike; overdue_from is a day, compared with the last day.
//
// The importer guarantees that ended_at is set exactly when the outcome is not 'open', and that nothing ends
// before it was received.

/** One period (or sub-period) as the queries see it: days 'yyyy-MM-dd'. */
export interface PeriodRow {
  /** First day. */
  from: string;
  /** Last day. */
  to: string;
  /** The day after the last one, for half-open comparisons with stored times. */
  to_next: string;
}

/** The tables a figure's condition sees: the dossier as `d`, the period as `p` (and the schema, for filters). */
export type FigureTables = Database & {
  d: DossierTable;
  p: PeriodRow;
};
export type FigureBuilder = ExpressionBuilder<FigureTables, 'd' | 'p'>;
export type Predicate = (eb: FigureBuilder) => Expression<SqlBool>;

const receivedIn: Predicate = (eb) =>
  eb.and([eb('d.received_at', '>=', eb.ref('p.from')), eb('d.received_at', '<', eb.ref('p.to_next'))]);

const receivedVia = (channel: Channel): Predicate => (eb) => eb.and([receivedIn(eb), eb('d.channel', '=', channel)]);

const endedIn: Predicate = (eb) =>
  eb.and([eb('d.ended_at', '>=', eb.ref('p.from')), eb('d.ended_at', '<', eb.ref('p.to_next'))]);

const endedAs = (outcome: Outcome): Predicate => (eb) => eb.and([endedIn(eb), eb('d.outcome', '=', outcome)]);

/** Received on or before the last day and not ended by then: still in the office at the end of the period. */
const pendingAtEnd: Predicate = (eb) =>
  eb.and([
    eb('d.received_at', '<', eb.ref('p.to_next')),
    eb.or([eb('d.ended_at', 'is', null), eb('d.ended_at', '>=', eb.ref('p.to_next'))]),
  ]);

/**
 * The dossiers that take part in a period at all: received by its last day and not ended before its first.
 * Every figure but the due basis's (relevantTo) implies it; the queries also join on it, so each dossier meets only
 * the periods it belongs to.
 */
export const relevant: Predicate = (eb) =>
  eb.and([
    eb('d.received_at', '<', eb.ref('p.to_next')),
    eb.or([eb('d.ended_at', 'is', null), eb('d.ended_at', '>=', eb.ref('p.from'))]),
  ]);

/**
 * Pending at the end and not overdue then: due on the last day or later, or no due day (the rule of
 * pendingOnTime, which progress766's "in time" shares).
 */
const pendingInTime: Predicate = (eb) =>
  eb.and([pendingAtEnd(eb), eb.or([eb('d.overdue_from', 'is', null), eb('d.overdue_from', '>', eb.ref('p.to'))])]);

/** Due day in the period (the due time on or after the first day's start, before the day after the last). */
const dueIn: Predicate = (eb) =>
  eb.and([eb('d.due_at', '>=', eb.ref('p.from')), eb('d.due_at', '<', eb.ref('p.to_next'))]);

/**
 * The dossiers a query over these figures reads: those taking part in the period (relevant), and with a due-basis
 * figure also those due in it, which may have ended before it began (an early result).
 */
export function relevantTo(figures: readonly DossierFigure[]): Predicate {
  return figures.some((f) => f === 'dueTotal' || f === 'dueOnTime') ? (eb) => eb.or([relevant(eb), dueIn(eb)]) : relevant;
}

/** Ended in the period with a result (early, on time or late): the dossiers a result's form is judged on. */
const resultIn: Predicate = (eb) => eb.and([endedIn(eb), eb('d.outcome', 'in', ['early', 'on_time', 'late'])]);

/**
 * Of a procedure the catalogue marks toàn trình (procedures.online_level = 4), by the dossier's procedure code
 * (the importer fills the code from the catalogue when an export gives the name alone).
 */
const fullOnlineProcedure: Predicate = (eb) =>
  eb('d.procedure_code', 'in', eb.selectFrom('procedures').select('procedures.code').where('procedures.online_level', '=', 4));

export const FIGURE_PREDICATES: Record<DossierFigure, Predicate> = {
  // New receipts, by channel. A dossier without a channel counts in the total only.
  receivedDirect: receivedVia('truc_tiep'),
  receivedOnline: receivedVia('truc_tuyen'),
  receivedPostal: receivedVia('buu_chinh'),
  receivedLienThong: receivedVia('lien_thong'),
  receivedTotal: receivedIn,

  // Received before the first day and not ended before it (= pending at the end of the period before).
  carriedOver: (eb) =>
    eb.and([
      eb('d.received_at', '<', eb.ref('p.from')),
      eb.or([eb('d.ended_at', 'is', null), eb('d.ended_at', '>=', eb.ref('p.from'))]),
    ]),

  // Resolved: ended in the period, early, on time or late (a result against the due day) or rejected.
  resolvedEarly: endedAs('early'),
  resolvedOnTime: endedAs('on_time'),
  resolvedLate: endedAs('late'),
  resolvedRejected: endedAs('rejected'),
  resolvedTotal: (eb) => eb.and([endedIn(eb), eb('d.outcome', 'in', [...RESOLVED_OUTCOMES])]),

  withdrawn: endedAs('withdrawn'),

  // Pending at the end, overdue from the day after its due day: due on the last day or later (or no due day) is
  // still in time.
  pendingTotal: pendingAtEnd,
  pendingOnTime: pendingInTime,
  pendingOverdue: (eb) => eb.and([pendingAtEnd(eb), eb('d.overdue_from', '<=', eb.ref('p.to'))]),

  // QĐ 766's progress (docs/rules.md, "Progress by QĐ 766"): every dossier ended in the period, whatever its
  // status, and every one pending at its end. In time: ended on or before the due day (ended_at before
  // overdue_from, the day after the due day; for a result this is outcome early or on_time, and it also places
  // rejections and withdrawals against their due day), or pending and not overdue; no due day is in time.
  handled766: (eb) => eb.or([endedIn(eb), pendingAtEnd(eb)]),
  inTime766: (eb) =>
    eb.or([
      eb.and([endedIn(eb), eb.or([eb('d.overdue_from', 'is', null), eb('d.ended_at', '<', eb.ref('d.overdue_from'))])]),
      pendingInTime(eb),
    ]),

  // On time over the dossiers due in the period (docs/rules.md): due day in the period, a withdrawal aside (the
  // citizen ended it); on time = a result early or on time (outcome, compared by days), whenever it ended. A
  // rejection, a late result and a dossier still open are not on time.
  dueTotal: (eb) => eb.and([dueIn(eb), eb('d.outcome', '!=', 'withdrawn')]),
  dueOnTime: (eb) => eb.and([dueIn(eb), eb('d.outcome', 'in', ['early', 'on_time'])]),

  // QĐ 766's other indicators (docs/rules.md, "QĐ 766's other indicators"). Each denominator holds only the
  // dossiers whose export said (the column's value known), so that a rate is null, not 0, where it did not.
  // Toàn trình: new receipts of the procedures the catalogue marks toàn trình, and of those the online ones.
  fullOnlineEligible: (eb) => eb.and([receivedIn(eb), fullOnlineProcedure(eb)]),
  receivedFullOnline: (eb) => eb.and([receivedIn(eb), fullOnlineProcedure(eb), eb('d.channel', '=', 'truc_tuyen')]),
  // Online payment: new receipts with a fee or charge whose export says whether they were paid online.
  withFee: (eb) => eb.and([receivedIn(eb), eb('d.has_fee', '=', 1), eb('d.paid_online', 'is not', null)]),
  paidOnline: (eb) => eb.and([receivedIn(eb), eb('d.has_fee', '=', 1), eb('d.paid_online', '=', 1)]),
  // Digitised and electronic result: dossiers given a result in the period whose export says.
  digitisedBase: (eb) => eb.and([resultIn(eb), eb('d.digitised', 'is not', null)]),
  digitised: (eb) => eb.and([resultIn(eb), eb('d.digitised', '=', 1)]),
  electronicResultBase: (eb) => eb.and([resultIn(eb), eb('d.electronic_result', 'is not', null)]),
  electronicResult: (eb) => eb.and([resultIn(eb), eb('d.electronic_result', '=', 1)]),
  // Satisfaction: resolved in the period (as resolvedTotal) with a rating or "not rated" in the export.
  satisfactionBase: (eb) => eb.and([endedIn(eb), eb('d.outcome', 'in', [...RESOLVED_OUTCOMES]), eb('d.satisfaction', 'is not', null)]),
  dissatisfied: (eb) => eb.and([endedIn(eb), eb('d.outcome', 'in', [...RESOLVED_OUTCOMES]), eb('d.satisfaction', 'in', [...DISSATISFIED])]),
};

/**
 * count(*) filter (where <figure>): the figure counted over a group. Both databases know FILTER (SQLite since
 * 3.30), and it is cheaper on SQLite than sum(case when … then 1 else 0 end).
 */
export function figureCount(eb: FigureBuilder, figure: DossierFigure) {
  return eb.fn.countAll<number>().filterWhere(FIGURE_PREDICATES[figure](eb));
}

/**
 * Each condition of FIGURE_PREDICATES in words, in Vietnamese, for `--explain`: what the SQL above says, not
 * more. "Kết thúc" is the time processing ended (ended_at); "kỳ" is [từ ngày, đến ngày], both days included.
 */
export const FIGURE_RULES: Record<DossierFigure, string> = {
  receivedDirect: 'Tiếp nhận trong kỳ (từ 00:00 ngày đầu đến hết ngày cuối), hình thức nộp trực tiếp.',
  receivedOnline: 'Tiếp nhận trong kỳ, hình thức nộp trực tuyến.',
  receivedPostal: 'Tiếp nhận trong kỳ, hình thức nộp qua dịch vụ bưu chính.',
  receivedLienThong: 'Tiếp nhận trong kỳ, hình thức tiếp nhận liên thông.',
  receivedTotal: 'Tiếp nhận trong kỳ, mọi hình thức nộp (kể cả hồ sơ không ghi hình thức nộp).',
  carriedOver: 'Tiếp nhận trước ngày đầu kỳ và chưa kết thúc xử lý trước ngày đầu kỳ (chưa kết thúc, hoặc kết thúc từ ngày đầu kỳ trở đi).',
  resolvedEarly:
    'Kết thúc xử lý trong kỳ, kết quả trước hạn (outcome = early: đã giải quyết xong và ngày kết thúc trước ngày hẹn trả, so sánh theo ngày).',
  resolvedOnTime:
    'Kết thúc xử lý trong kỳ, kết quả đúng hạn (outcome = on_time: đã giải quyết xong và ngày kết thúc trùng ngày hẹn trả, so sánh theo ngày, hoặc không có ngày hẹn trả).',
  resolvedLate:
    'Kết thúc xử lý trong kỳ, kết quả quá hạn (outcome = late: đã giải quyết xong và ngày kết thúc sau ngày hẹn trả, so sánh theo ngày).',
  resolvedRejected: 'Kết thúc xử lý trong kỳ với trạng thái từ chối giải quyết (outcome = rejected).',
  resolvedTotal: 'Kết thúc xử lý trong kỳ, đã giải quyết xong hoặc từ chối giải quyết (= trước hạn + đúng hạn + quá hạn + từ chối).',
  withdrawn: 'Kết thúc xử lý trong kỳ với trạng thái công dân rút hồ sơ.',
  pendingTotal: 'Tiếp nhận đến hết ngày cuối kỳ và chưa kết thúc xử lý đến hết ngày cuối kỳ.',
  pendingOnTime:
    'Đang giải quyết cuối kỳ (tiếp nhận đến hết ngày cuối kỳ, chưa kết thúc đến hết ngày cuối kỳ), và ngày hẹn trả từ ngày cuối kỳ trở đi hoặc không có ngày hẹn trả (overdue_from, ngày sau ngày hẹn trả, sau ngày cuối kỳ hoặc trống).',
  pendingOverdue: 'Đang giải quyết cuối kỳ, và ngày hẹn trả trước ngày cuối kỳ (overdue_from, ngày sau ngày hẹn trả, từ ngày cuối kỳ trở về trước).',
  handled766:
    'Chỉ số 766, hồ sơ đã và đang giải quyết: kết thúc xử lý trong kỳ với bất kỳ trạng thái nào (đã giải quyết, từ chối, công dân rút), cộng hồ sơ đang giải quyết cuối kỳ.',
  dueTotal: 'Hồ sơ đến hạn trong kỳ: ngày hẹn trả trong kỳ (từ ngày đầu đến ngày cuối), trừ hồ sơ công dân rút; kết thúc trước kỳ, trong kỳ, sau kỳ hoặc chưa kết thúc.',
  dueOnTime:
    'Hồ sơ đến hạn trong kỳ đã giải quyết xong trước hạn hoặc đúng hạn (outcome = early hoặc on_time, so sánh theo ngày), dù kết thúc trước kỳ hay trong kỳ.',
  fullOnlineEligible:
    'Chỉ số 766: tiếp nhận trong kỳ, thủ tục được danh mục thủ tục ghi là trực tuyến toàn trình (mức độ 4; theo mã thủ tục của hồ sơ).',
  receivedFullOnline: 'Chỉ số 766: tiếp nhận trong kỳ, thủ tục trực tuyến toàn trình theo danh mục, hình thức nộp trực tuyến.',
  withFee: 'Chỉ số 766: tiếp nhận trong kỳ, có phí, lệ phí (cột có phí = có), tệp xuất có ghi đã thanh toán trực tuyến hay không.',
  paidOnline: 'Chỉ số 766: tiếp nhận trong kỳ, có phí, lệ phí, đã thanh toán trực tuyến.',
  digitisedBase: 'Chỉ số 766: kết thúc xử lý trong kỳ có kết quả (trước hạn, đúng hạn, quá hạn), tệp xuất có ghi số hoá hay không.',
  digitised: 'Chỉ số 766: kết thúc xử lý trong kỳ có kết quả, hồ sơ được số hoá.',
  electronicResultBase: 'Chỉ số 766: kết thúc xử lý trong kỳ có kết quả, tệp xuất có ghi kết quả điện tử hay không.',
  electronicResult: 'Chỉ số 766: kết thúc xử lý trong kỳ có kết quả, được trả kết quả điện tử.',
  satisfactionBase: 'Chỉ số 766: đã giải quyết trong kỳ (như resolvedTotal), tệp xuất có ghi đánh giá (kể cả "Chưa đánh giá").',
  dissatisfied: 'Chỉ số 766: đã giải quyết trong kỳ, đánh giá không hài lòng (hoặc có khiếu nại).',
  inTime766:
    'Chỉ số 766, hồ sơ đúng tiến độ: kết thúc xử lý trong kỳ vào hoặc trước ngày hẹn trả (so sánh theo ngày: ended_at trước overdue_from) hoặc không có ngày hẹn trả, cộng hồ sơ đang giải quyết cuối kỳ còn trong hạn (như pendingOnTime).',
};
