import { parseLevel, LEVEL_LABELS, type Level } from '../domain/levels.ts';
import { formatCount, formatDecimal } from '../domain/numbers.ts';
import { monthPeriod, PeriodError, quarterPeriod, rangePeriod, yearPeriod, type Period } from '../domain/periods.ts';
import { cleanText, matchKey, vocabulary } from '../domain/text.ts';
import type { ColumnSpec } from '../import/columns.ts';
import { openTable } from '../import/table.ts';
import { InputError, type CellValue } from '../import/types.ts';
import { FIGURE_HEADERS, FIGURE_LABELS } from '../stats/labels.ts';
import { COUNT_FIGURES, RATE_FIGURES, type CountFigure, type RateFigure } from '../stats/types.ts';
import { UserError } from '../domain/errors.ts';

// A table of published figures, as a writer copies them out of a report: one row per figure, with its period,
// its level or unit, its name and the value as printed. `tthc check` reads it with the importer's table reader
// (any sheet, title rows above the header, xlsx or csv) and checks it against itself or the database.

export type PublishedField = 'period' | 'scope' | 'figure' | 'value' | 'source';

export const PUBLISHED_COLUMNS: ColumnSpec<PublishedField> = {
  aliases: {
    period: ['Kỳ', 'Kỳ báo cáo', 'Thời gian', 'Giai đoạn', 'Kỳ số liệu', 'period'],
    scope: ['Cấp / đơn vị', 'Cấp/đơn vị', 'Cấp hoặc đơn vị', 'Cấp', 'Đơn vị', 'Phạm vi', 'scope', 'level', 'unit'],
    figure: ['Chỉ tiêu', 'Chỉ số', 'Tên chỉ tiêu', 'Số liệu', 'figure'],
    value: ['Giá trị công bố', 'Giá trị', 'Số công bố', 'Số liệu công bố', 'Công bố', 'value', 'published'],
    source: ['Nguồn', 'Trích từ', 'Vị trí trong báo cáo', 'source'],
  },
  required: ['period', 'figure', 'value'],
};

/** "Hồ sơ nhận giải quyết": new receipts + carried over (docs/rules.md, "To be handled"); not a stats column. */
export type CountName = CountFigure | 'toHandle';
export const COUNT_NAMES: readonly CountName[] = [...COUNT_FIGURES, 'toHandle'];

export type FigureRef =
  | { kind: 'count'; name: CountName }
  | { kind: 'rate'; name: RateFigure }
  /** A share the report prints of some total: numerator / denominator, in per cent. */
  | { kind: 'share'; numerator: CountName; denominator: CountName };

export type Scope = { kind: 'all' } | { kind: 'level'; level: Level } | { kind: 'unit'; name: string };

export interface PublishedFigure {
  /** Where the row is: its number in the file, and its sheet in a workbook of several. */
  rowNumber: number;
  sheet: string | undefined;
  periodText: string;
  period: Period;
  scopeText: string;
  scope: Scope;
  figureText: string;
  figure: FigureRef;
  valueText: string;
  /** A count, or a percentage (97.9 for "97,9 %"). */
  value: number;
  /** Digits printed after the decimal sign: a percentage's rounding. 0 for counts. */
  decimals: number;
  source: string | undefined;
}

/** A row the table could not be read as: told, not fatal, so one typo does not hide the other figures. */
export interface UnreadRow {
  rowNumber: number;
  sheet: string | undefined;
  reason: string;
}

export async function readPublishedTable(path: string): Promise<{ figures: PublishedFigure[]; unread: UnreadRow[] }> {
  const table = await openTable(path, PUBLISHED_COLUMNS);
  const figures: PublishedFigure[] = [];
  const unread: UnreadRow[] = [];
  for await (const row of table.rows) {
    const where = { rowNumber: row.rowNumber, sheet: row.sheet };
    if (row.malformed) {
      unread.push({ ...where, reason: row.malformed });
      continue;
    }
    try {
      figures.push({ ...where, ...parsePublishedRow(row.values) });
    } catch (error) {
      if (!(error instanceof PublishedValueError || error instanceof PeriodError)) throw error;
      unread.push({ ...where, reason: error.message });
    }
  }
  if (figures.length === 0 && unread.length === 0) throw new InputError(path, 'bảng không có dòng số liệu nào');
  return { figures, unread };
}

export class PublishedValueError extends UserError {}

export function parsePublishedRow(values: Partial<Record<PublishedField, CellValue>>): Omit<PublishedFigure, 'rowNumber' | 'sheet'> {
  const periodText = cellText(values.period);
  const scopeText = cellText(values.scope);
  const figureText = cellText(values.figure);
  if (!periodText) throw new PublishedValueError('thiếu kỳ');
  if (!figureText) throw new PublishedValueError('thiếu tên chỉ tiêu');
  const figure = parseFigure(figureText);
  if (!figure) throw new PublishedValueError(`không rõ chỉ tiêu "${figureText}" (tên JSON của tthc stats, tên cột tiếng Việt, hoặc "A / B")`);
  const percent = figure.kind !== 'count';
  const { value, decimals, text: valueText } = parseValue(values.value, percent);
  return {
    periodText, period: parsePeriod(periodText), scopeText, scope: parseScope(scopeText), figureText, figure,
    valueText, value, decimals, source: cellText(values.source) || undefined,
  };
}

const cellText = (cell: CellValue | undefined): string =>
  cell instanceof Date ? cell.toISOString().slice(0, 10) : (cleanText(cell) ?? '').trim();

// ---- periods

const ROMAN: Record<string, number> = { i: 1, ii: 2, iii: 3, iv: 4 };
const pad = (n: number) => String(n).padStart(2, '0');
const viDay = (d: string, m: string, y: string) => `${y}-${pad(Number(m))}-${pad(Number(d))}`;

/**
 * "2022", "Năm 2022", "2022-05", "05/2022", "Tháng 5/2022", "2023-Q1", "Quý I/2023", "Quý I năm 2023",
 * "Tháng 1–6/2021", "6 tháng đầu năm 2023", "2023-01-01..2023-05-25", "01/01/2023 - 25/05/2023",
 * "Từ ngày 01/01/2023 đến ngày 25/05/2023".
 */
export function parsePeriod(text: string): Period {
  const t = text.normalize('NFC').toLowerCase().replace(/\s+/g, ' ').replace(/[–—]/g, '-').trim();
  let m: RegExpExecArray | null;
  if ((m = /^(?:năm )?(\d{4})$/.exec(t))) return yearPeriod(Number(m[1]));
  if ((m = /^(\d{4})-(\d{1,2})$/.exec(t))) return monthPeriod(`${m[1]}-${pad(Number(m[2]))}`);
  if ((m = /^(?:tháng )?(\d{1,2})[/.-](\d{4})$/.exec(t))) return monthPeriod(`${m[2]}-${pad(Number(m[1]))}`);
  if ((m = /^(\d{4}) ?-? ?q([1-4])$/.exec(t))) return quarterPeriod(`${m[1]}-Q${m[2]}`);
  if ((m = /^quý (i{1,3}|iv|[1-4])(?:\/| năm )(\d{4})$/.exec(t))) {
    return quarterPeriod(`${m[2]}-Q${ROMAN[m[1]] ?? Number(m[1])}`);
  }
  if ((m = /^tháng (\d{1,2}) ?- ?(\d{1,2})\/(\d{4})$/.exec(t))) {
    return { from: monthPeriod(`${m[3]}-${pad(Number(m[1]))}`).from, to: monthPeriod(`${m[3]}-${pad(Number(m[2]))}`).to };
  }
  if ((m = /^(\d{1,2}) tháng đầu năm (\d{4})$/.exec(t))) {
    return { from: `${m[2]}-01-01`, to: monthPeriod(`${m[2]}-${pad(Number(m[1]))}`).to };
  }
  if ((m = /^(\d{4}-\d{2}-\d{2}) ?(?:\.\.|-|đến) ?(\d{4}-\d{2}-\d{2})$/.exec(t))) return rangePeriod(m[1], m[2]);
  const day = '(\\d{1,2})/(\\d{1,2})/(\\d{4})';
  if ((m = new RegExp(`^(?:từ ngày )?${day} ?(?:-|đến ngày|đến) ?${day}$`).exec(t))) {
    return rangePeriod(viDay(m[1], m[2], m[3]), viDay(m[4], m[5], m[6]));
  }
  throw new PeriodError(
    `không đọc được kỳ "${text}" (ví dụ: 2022, Năm 2022, 2022-05, Tháng 5/2022, Quý I/2023, 2023-01-01..2023-05-25)`,
  );
}

// ---- levels and units

const TOTAL_WORDS = new Set(
  ['', 'tổng', 'tổng cộng', 'tổng số', 'cộng', 'toàn huyện', 'toàn tỉnh', 'toàn thành phố', 'toàn thị xã', 'tất cả', 'chung', 'all', 'total']
    .map(matchKey),
);

export function parseScope(text: string): Scope {
  if (TOTAL_WORDS.has(matchKey(text))) return { kind: 'all' };
  const level = parseLevel(text);
  return level ? { kind: 'level', level } : { kind: 'unit', name: text };
}

export function scopeLabel(scope: Scope): string {
  return scope.kind === 'all' ? 'Tổng' : scope.kind === 'level' ? LEVEL_LABELS[scope.level] : scope.name;
}

// ---- figures

const countName = vocabulary<CountName>([
  ...COUNT_FIGURES.map((f): [CountName, string[]] => [
    f,
    [f, FIGURE_HEADERS[f], ...(Object.values(FIGURE_LABELS).filter((l) => l === FIGURE_LABELS[f]).length === 1 ? [FIGURE_LABELS[f]] : [])],
  ]),
  ['toHandle', ['toHandle', 'Tổng số hồ sơ nhận giải quyết', 'Số hồ sơ nhận giải quyết', 'Hồ sơ nhận giải quyết', 'Tổng số hồ sơ tiếp nhận, giải quyết', 'Đã tiếp nhận, giải quyết']],
  ['receivedTotal', ['Tổng số hồ sơ mới tiếp nhận', 'Số hồ sơ mới tiếp nhận', 'Mới tiếp nhận', 'Tiếp nhận mới', 'Tổng số mới tiếp nhận trong kỳ']],
  ['carriedOver', ['Từ kỳ trước chuyển sang', 'Kỳ trước chuyển sang', 'Tồn kỳ trước', 'Số hồ sơ từ kỳ trước']],
  ['resolvedTotal', ['Tổng số hồ sơ đã giải quyết', 'Số hồ sơ đã giải quyết', 'Đã giải quyết']],
  ['pendingTotal', ['Tổng số hồ sơ đang giải quyết', 'Số hồ sơ đang giải quyết', 'Đang giải quyết']],
  ['resolvedRejected', ['Từ chối', 'Từ chối giải quyết', 'Trả lại']],
  ['withdrawn', ['Rút hồ sơ', 'Công dân rút hồ sơ', 'Xin rút']],
]);

const rateName = vocabulary<RateFigure>(
  RATE_FIGURES.map((f): [RateFigure, string[]] => [
    f,
    [
      f,
      FIGURE_HEADERS[f],
      ...(f === 'onTimeRate' ? ['Tỷ lệ giải quyết sớm và đúng hạn', 'Tỷ lệ đúng hạn', 'Tỷ lệ trước hạn và đúng hạn', FIGURE_LABELS[f]] : []),
      ...(f === 'onlineRate' ? ['Tỷ lệ hồ sơ trực tuyến', 'Tỷ lệ tiếp nhận trực tuyến', FIGURE_LABELS[f]] : []),
      ...(f === 'directShare' ? [FIGURE_LABELS[f], 'Tỷ lệ tiếp nhận trực tiếp'] : []),
      ...(f === 'postalShare' ? [FIGURE_LABELS[f]] : []),
      ...(f === 'lienThongShare' ? [FIGURE_LABELS[f]] : []),
    ],
  ]),
);

/** A JSON name of `tthc stats`, a Vietnamese header, or "A / B" (a share of two counts), e.g. "carriedOver / toHandle". */
export function parseFigure(text: string): FigureRef | undefined {
  const slash = text.split('/');
  if (slash.length === 2) {
    const numerator = countName(slash[0].trim());
    const denominator = countName(slash[1].trim());
    if (numerator && denominator) return { kind: 'share', numerator, denominator };
  }
  const rate = rateName(text);
  if (rate) return { kind: 'rate', name: rate === 'onlineShare' ? 'onlineRate' : rate };
  const count = countName(text);
  return count ? { kind: 'count', name: count } : undefined;
}

export function figureKey(figure: FigureRef): string {
  return figure.kind === 'share' ? `${figure.numerator}/${figure.denominator}` : figure.name;
}

// ---- values

/**
 * A count ("13.358", "13,358", "13 358", 13358) or a percentage ("97,9 %", "97.9%", "60%", 97.9): its value and
 * the digits printed after the decimal sign. A count's separators group thousands (a count has no decimals); a
 * percentage's one separator is its decimal sign. A percentage given as a number cell counts as printed with the
 * digits the number has (97.9: one).
 */
export function parseValue(cell: CellValue | undefined, percent: boolean): { value: number; decimals: number; text: string } {
  if (typeof cell === 'number') {
    if (!percent && !Number.isInteger(cell)) throw new PublishedValueError(`số hồ sơ không nguyên: ${cell}`);
    return { value: cell, decimals: percent ? (String(cell).split('.')[1]?.length ?? 0) : 0, text: String(cell) };
  }
  const text = cellText(cell);
  if (!text) throw new PublishedValueError('thiếu giá trị công bố');
  const compact = text.replace(/[\s\u00a0]/g, '');
  if (percent) {
    const m = /^(\d+)(?:[.,](\d+))?%?$/.exec(compact);
    if (!m) throw new PublishedValueError(`không đọc được tỷ lệ "${text}" (ví dụ 97,9 % hoặc 97.9%)`);
    return { value: Number(`${m[1]}.${m[2] ?? '0'}`), decimals: m[2]?.length ?? 0, text };
  }
  if (/^\d{1,3}([.,]\d{3})+$/.test(compact) || /^\d+$/.test(compact)) {
    return { value: Number(compact.replace(/[.,]/g, '')), decimals: 0, text };
  }
  throw new PublishedValueError(`không đọc được số hồ sơ "${text}" (ví dụ 13.358)`);
}

/** A value as the report would print it: "13.358", "97,9 %". */
export function showValue(value: number, percent: boolean, decimals: number): string {
  return percent ? `${formatDecimal(value, decimals)} %` : formatCount(value);
}
