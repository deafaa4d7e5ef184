import { vocabulary } from './text.ts';

/** Dossier status as the one-stop systems report it (docs/rules.md: Trạng thái). */
export const STATUSES = ['processing', 'supplement_requested', 'finished', 'returned', 'rejected', 'withdrawn'] as const;
export type Status = (typeof STATUSES)[number];

export const STATUS_LABELS: Record<Status, string> = {
  processing: 'Đang xử lý',
  supplement_requested: 'Yêu cầu bổ sung',
  finished: 'Đã xử lý xong',
  returned: 'Đã trả kết quả',
  rejected: 'Từ chối giải quyết',
  withdrawn: 'Công dân rút hồ sơ',
};

/** Statuses after which processing has ended: the dossier has an end day. */
export const ENDED_STATUSES: readonly Status[] = ['finished', 'returned', 'rejected', 'withdrawn'];
/** Ended with a result; compared with the due day to tell early, on time and late. */
export const FINISHED_STATUSES: readonly Status[] = ['finished', 'returned'];

export function isEnded(status: Status): boolean {
  return ENDED_STATUSES.includes(status);
}

/**
 * How far processing has gone. Re-imports never move a dossier to a lower rank, so snapshots can be imported
 * in any order. The three ended outcomes share the top rank: which one wins is decided by STATUS_TIE_ORDER.
 */
export const STATUS_RANK: Record<Status, number> = {
  processing: 0,
  supplement_requested: 1,
  finished: 2,
  returned: 3,
  rejected: 3,
  withdrawn: 3,
};
export const STATUS_TIE_ORDER: readonly Status[] = ['returned', 'rejected', 'withdrawn'];

// The words exports use for each status (issue 11, point 7). A status that also says how the dossier ended
// against its due day ("Đã trả kết quả quá hạn") is read as the status alone: early, on time and late are always
// computed from the dates. A cancelled dossier ("Đã hủy") is read as withdrawn: neither resolved nor pending, so
// that it moves no rate (docs/rules.md).
export const parseStatus = vocabulary<Status>([
  ['processing', [
    'Đang xử lý', 'Đang giải quyết', 'Chờ xử lý', 'Mới tiếp nhận', 'Đã tiếp nhận', 'Đang thụ lý', 'Đang thẩm định',
    'Chờ phê duyệt', 'Chờ ký', 'Đang chuyển xử lý', 'Đang xử lý trong hạn', 'Đang xử lý quá hạn', 'Đang xử lý đúng hạn',
    'Trong hạn', 'Quá hạn', 'Chờ tiếp nhận', 'processing',
  ]],
  ['supplement_requested', [
    'Yêu cầu bổ sung', 'Chờ bổ sung', 'Bổ sung hồ sơ', 'Yêu cầu bổ sung hồ sơ', 'Chờ bổ sung hồ sơ', 'Đang bổ sung',
    'Yêu cầu bổ sung, hoàn thiện hồ sơ', 'Tạm dừng chờ bổ sung', 'supplement_requested',
  ]],
  ['finished', [
    'Đã xử lý xong', 'Đã giải quyết', 'Hoàn thành', 'Đã có kết quả', 'Chờ trả kết quả', 'Đã hoàn thành', 'Đã xử lý',
    'Có kết quả', 'Đã giải quyết xong', 'Hoàn thành xử lý', 'Đã giải quyết đúng hạn', 'Đã giải quyết trước hạn',
    'Đã giải quyết quá hạn', 'Đã giải quyết trễ hạn', 'finished',
  ]],
  ['returned', [
    'Đã trả kết quả', 'Đã trả', 'Đã trả kết quả cho công dân', 'Đã trả kết quả đúng hạn', 'Đã trả kết quả trước hạn',
    'Đã trả kết quả quá hạn', 'Đã trả kết quả trễ hạn', 'Trả kết quả', 'Đã nhận kết quả', 'Công dân đã nhận kết quả',
    'Đã trả kết quả cho tổ chức, cá nhân', 'Đã trả kết quả cho tổ chức cá nhân', 'returned',
  ]],
  ['rejected', [
    'Từ chối', 'Từ chối giải quyết', 'Không được tiếp nhận', 'Không tiếp nhận', 'Dừng xử lý', 'Trả lại hồ sơ', 'Từ chối tiếp nhận',
    'Không giải quyết', 'Trả hồ sơ không giải quyết', 'Đã từ chối', 'rejected',
  ]],
  ['withdrawn', [
    'Công dân rút hồ sơ', 'Rút hồ sơ', 'Xin rút', 'Đã rút', 'Đã hủy', 'Hủy', 'Hủy hồ sơ', 'Đã hủy hồ sơ', 'Công dân hủy',
    'Công dân xin rút hồ sơ', 'Rút hồ sơ theo yêu cầu', 'withdrawn',
  ]],
]);
