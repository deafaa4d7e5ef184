import { matchKey, vocabulary } from '../domain/text.ts';

// The optional columns behind QĐ 766's indicators (docs/index-766.md, "Optional export columns"): four yes/no
// columns (paid online, has a fee, digitised, electronic result) and the citizen's rating. A cell left blank says
// nothing (NULL: the export did not say); a word tthc does not know rejects the row, as an unknown channel does.

/** The yes/no fields of a dossier export behind QĐ 766's indicators. */
export const FLAG_FIELDS = ['paidOnline', 'hasFee', 'digitised', 'electronicResult'] as const;
export type FlagField = (typeof FLAG_FIELDS)[number];

/** The bit of ValidDossier.unreadable766 for the rating; the yes/no columns take the bits of their FLAG_FIELDS index. */
export const SATISFACTION_BIT = FLAG_FIELDS.length;

const COLUMN_LABELS: Record<FlagField, string> = {
  paidOnline: 'Thanh toán trực tuyến', hasFee: 'Có phí, lệ phí', digitised: 'Số hoá', electronicResult: 'Kết quả điện tử',
};

/** The import summary's line for the cells of one optional column that could not be read (never their values). */
export function unreadable766Warning(bit: number, count: number, formatCount: (n: number) => string): string {
  const column = bit === SATISFACTION_BIT ? 'Đánh giá hài lòng' : COLUMN_LABELS[FLAG_FIELDS[bit]];
  const expected = bit === SATISFACTION_BIT ? 'Rất hài lòng, Hài lòng, Bình thường, Không hài lòng, Chưa đánh giá' : 'Có/Không, x, 1/0, Đã/Chưa';
  return `cột "${column}": ${formatCount(count)} ô không đọc được (cần ${expected}; --map-value để chỉ nghĩa của từ khác), coi như không có dữ liệu`;
}

/** The citizen's rating of how the dossier was handled, as tthc stores it (dossiers.satisfaction). */
export const SATISFACTIONS = ['very_satisfied', 'satisfied', 'neutral', 'dissatisfied', 'not_rated'] as const;
export type Satisfaction = (typeof SATISFACTIONS)[number];

export const SATISFACTION_LABELS: Record<Satisfaction, string> = {
  very_satisfied: 'Rất hài lòng',
  satisfied: 'Hài lòng',
  neutral: 'Bình thường',
  dissatisfied: 'Không hài lòng',
  not_rated: 'Chưa đánh giá',
};

/** The ratings that lower satisfactionRate (the profile's "có khiếu nại, không hài lòng"). */
export const DISSATISFIED: readonly Satisfaction[] = ['dissatisfied'];

// The ways exports and office spreadsheets write yes and no: words, ticks, 1/0, booleans written as text.
const parseYesNo = vocabulary<boolean>([
  [true, [
    'Có', 'C', 'x', 'X', '✓', '✔', '☑', '✅', 'v', '1', 'true', 'TRUE', 'yes', 'y', 'Đã', 'Rồi', 'Đạt',
    'Đã thanh toán', 'Đã thanh toán trực tuyến', 'Thanh toán trực tuyến', 'Đã số hoá', 'Đã số hóa', 'Có số hoá',
    'Được số hoá', 'Có phí', 'Có thu phí', 'Có lệ phí', 'Có phí, lệ phí', 'Có phí/lệ phí', 'Điện tử',
    'Kết quả điện tử', 'Có kết quả điện tử', 'Đã cấp kết quả điện tử',
  ]],
  [false, [
    'Không', 'K', 'Ko', 'Kh', 'No', 'n', '0', 'false', 'FALSE', '✗', '✘', '☐', 'Chưa', 'Không có',
    'Chưa thanh toán', 'Không thanh toán trực tuyến', 'Thanh toán trực tiếp', 'Chưa số hoá', 'Chưa số hóa',
    'Không số hoá', 'Miễn phí', 'Không thu phí', 'Không có phí', 'Không mất phí', 'Miễn phí, lệ phí', 'Giấy',
    'Bản giấy', 'Không có kết quả điện tử',
  ]],
]);

/** An amount of money as exports write a fee: 50000, 50.000, 50,000, "50.000 đ", "50.000 VNĐ". */
const AMOUNT = /^(\d{1,3}(?:[.,\s]\d{3})+|\d+)(?:[.,]\d+)?\s*(?:đ|đồng|vnđ|vnd|d)?$/u;

/**
 * A yes/no cell: true, false, undefined for a blank cell, or null for a value that is none of these (a reason for
 * the row). The fee column also takes an amount: more than 0 is a fee, 0 none.
 */
export function readFlag(field: FlagField, value: string | number | boolean | undefined): boolean | null | undefined {
  // A dash stands for an empty cell in office spreadsheets.
  if (value === undefined || value === '-' || value === '–') return undefined;
  if (typeof value === 'boolean') return value;
  if (typeof value === 'number') {
    if (value === 1 || value === 0) return value === 1;
    return field === 'hasFee' && value > 0 ? true : null;
  }
  const word = parseYesNo(value);
  if (word !== undefined) return word;
  if (field === 'hasFee') {
    const amount = AMOUNT.exec(matchKey(value));
    if (amount) return /[1-9]/.test(amount[1]);
  }
  return null;
}

/**
 * The citizen's rating in the words of exports and of the national portal's survey. Numbers (a score of 1 to 5?)
 * are not read: scales differ between systems, and a guess would be silently wrong; --map-value maps them.
 */
export const parseSatisfaction = vocabulary<Satisfaction>([
  ['very_satisfied', ['Rất hài lòng', 'Rất tốt']],
  ['satisfied', ['Hài lòng', 'Đánh giá hài lòng', 'Tốt']],
  ['neutral', ['Bình thường', 'Chấp nhận được', 'Tạm chấp nhận']],
  ['dissatisfied', ['Không hài lòng', 'Rất không hài lòng', 'Chưa hài lòng', 'Có khiếu nại', 'Khiếu nại']],
  ['not_rated', ['Chưa đánh giá', 'Không đánh giá', 'Chưa có đánh giá', 'Chưa']],
]);
