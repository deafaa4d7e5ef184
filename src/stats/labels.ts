import type { CountFigure, GroupKey, Progress766Count, Progress766Rate, RateFigure } from './types.ts';

// Vietnamese names of every figure, in one place: the CLI's tables and the reports' Excel headers use these.

export type Figure = CountFigure | RateFigure | Progress766Count | Progress766Rate;

/** Short labels, as they stand under a group header (see FIGURE_GROUP_LABELS) in a two-level header. */
export const FIGURE_LABELS: Record<Figure, string> = {
  receivedDirect: 'Tiếp nhận trực tiếp',
  receivedOnline: 'Tiếp nhận trực tuyến',
  receivedPostal: 'Tiếp nhận qua bưu chính',
  receivedLienThong: 'Tiếp nhận liên thông',
  receivedTotal: 'Tổng số mới tiếp nhận',
  carriedOver: 'Từ kỳ trước',
  resolvedEarly: 'Trước hạn',
  resolvedOnTime: 'Đúng hạn',
  resolvedLate: 'Quá hạn',
  resolvedRejected: 'Từ chối giải quyết',
  resolvedTotal: 'Tổng số đã giải quyết',
  withdrawn: 'Công dân rút hồ sơ',
  pendingTotal: 'Tổng số đang giải quyết',
  pendingOnTime: 'Trong hạn',
  pendingOverdue: 'Quá hạn',
  onTimeRate: 'Tỷ lệ sớm và đúng hạn',
  onlineRate: 'Tỷ lệ trực tuyến',
  directShare: 'Tỷ lệ trực tiếp',
  onlineShare: 'Tỷ lệ trực tuyến',
  postalShare: 'Tỷ lệ bưu chính',
  lienThongShare: 'Tỷ lệ liên thông',
  handled766: 'Đã và đang giải quyết',
  inTime766: 'Đúng tiến độ',
  progressRate766: 'Tỷ lệ đúng tiến độ',
  progressPoints766: 'Điểm tiến độ (/20)',
};

/** The group header each figure stands under in a two-level header; null = a column of its own. */
export const FIGURE_GROUP_LABELS: Record<Figure, string | null> = {
  receivedDirect: 'Số hồ sơ mới tiếp nhận',
  receivedOnline: 'Số hồ sơ mới tiếp nhận',
  receivedPostal: 'Số hồ sơ mới tiếp nhận',
  receivedLienThong: 'Số hồ sơ mới tiếp nhận',
  receivedTotal: 'Số hồ sơ mới tiếp nhận',
  carriedOver: null,
  resolvedEarly: 'Số hồ sơ đã giải quyết',
  resolvedOnTime: 'Số hồ sơ đã giải quyết',
  resolvedLate: 'Số hồ sơ đã giải quyết',
  resolvedRejected: 'Số hồ sơ đã giải quyết',
  resolvedTotal: 'Số hồ sơ đã giải quyết',
  withdrawn: null,
  pendingTotal: 'Số hồ sơ đang giải quyết',
  pendingOnTime: 'Số hồ sơ đang giải quyết',
  pendingOverdue: 'Số hồ sơ đang giải quyết',
  onTimeRate: null,
  onlineRate: null,
  directShare: 'Cơ cấu theo hình thức tiếp nhận',
  onlineShare: 'Cơ cấu theo hình thức tiếp nhận',
  postalShare: 'Cơ cấu theo hình thức tiếp nhận',
  lienThongShare: 'Cơ cấu theo hình thức tiếp nhận',
  handled766: 'Tiến độ giải quyết (Chỉ số 766)',
  inTime766: 'Tiến độ giải quyết (Chỉ số 766)',
  progressRate766: 'Tiến độ giải quyết (Chỉ số 766)',
  progressPoints766: 'Tiến độ giải quyết (Chỉ số 766)',
};

/** Labels that stand alone in a one-line header (CLI table), each different from the others. */
export const FIGURE_HEADERS: Record<Figure, string> = {
  receivedDirect: 'Tiếp nhận trực tiếp',
  receivedOnline: 'Tiếp nhận trực tuyến',
  receivedPostal: 'Tiếp nhận qua bưu chính',
  receivedLienThong: 'Tiếp nhận liên thông',
  receivedTotal: 'Tổng mới tiếp nhận',
  carriedOver: 'Từ kỳ trước',
  resolvedEarly: 'Giải quyết trước hạn',
  resolvedOnTime: 'Giải quyết đúng hạn',
  resolvedLate: 'Giải quyết quá hạn',
  resolvedRejected: 'Từ chối giải quyết',
  resolvedTotal: 'Tổng đã giải quyết',
  withdrawn: 'Công dân rút hồ sơ',
  pendingTotal: 'Tổng đang giải quyết',
  pendingOnTime: 'Đang giải quyết trong hạn',
  pendingOverdue: 'Đang giải quyết quá hạn',
  onTimeRate: 'Tỷ lệ sớm và đúng hạn',
  onlineRate: 'Tỷ lệ trực tuyến',
  directShare: 'Tỷ trọng trực tiếp',
  onlineShare: 'Tỷ trọng trực tuyến',
  postalShare: 'Tỷ trọng bưu chính',
  lienThongShare: 'Tỷ trọng liên thông',
  handled766: 'Đã và đang giải quyết (766)',
  inTime766: 'Đúng tiến độ (766)',
  progressRate766: 'Tỷ lệ đúng tiến độ (766)',
  progressPoints766: 'Điểm tiến độ 766 (/20)',
};

/** Headers of the group keys and of the period columns. */
export const KEY_HEADERS: Record<GroupKey | 'unitCode' | 'unitName' | 'receivingUnit' | 'from' | 'to', string> = {
  year: 'Năm',
  month: 'Tháng',
  level: 'Cấp',
  unit: 'Đơn vị',
  unitCode: 'Mã đơn vị',
  unitName: 'Đơn vị',
  'receiving-unit': 'Nơi tiếp nhận',
  receivingUnit: 'Nơi tiếp nhận',
  field: 'Lĩnh vực',
  procedure: 'Thủ tục',
  channel: 'Hình thức nộp',
  from: 'Từ ngày',
  to: 'Đến ngày',
};

/** Headers of the dossier list (`tthc dossiers`). */
export const DOSSIER_HEADERS = {
  code: 'Mã hồ sơ',
  unitCode: 'Mã đơn vị',
  unitName: 'Đơn vị',
  level: 'Cấp',
  procedure: 'Thủ tục',
  field: 'Lĩnh vực',
  channel: 'Hình thức nộp',
  receivedAt: 'Ngày tiếp nhận',
  dueAt: 'Ngày hẹn trả',
  endedAt: 'Ngày kết thúc xử lý',
  returnedAt: 'Ngày trả kết quả',
  status: 'Trạng thái',
  year: 'Năm',
  month: 'Tháng',
  from: 'Từ ngày',
  to: 'Đến ngày',
} as const;
