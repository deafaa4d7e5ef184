import { CHANNEL_LABELS, type Channel } from '../domain/channels.ts';
import { LEVEL_LABELS, type Level } from '../domain/levels.ts';
import { formatCount, formatDecimal, formatPercent } from '../domain/numbers.ts';
import { STATUS_LABELS, type Status } from '../domain/statuses.ts';
import type { DossierRow } from './dossiers.ts';
import { DOSSIER_HEADERS, FIGURE_HEADERS, KEY_HEADERS, NO_DATA } from './labels.ts';
import { editDistance } from '../domain/text.ts';
import {
  COUNT_FIGURES, DUE_FIGURES, INDICATOR_766_COUNTS, INDICATOR_766_FIGURES, INDICATOR_766_RATES, PROCESSING_FIGURES, PROGRESS_766_FIGURES, RATE_FIGURES,
  StatsQueryError, type CountFigure, type GroupKey, type OnTimeBasis,
  type RateFigure, type StatsRow,
} from './types.ts';

// How `tthc stats` and `tthc dossiers` print: a table for people (Vietnamese headers, vi-VN numbers), CSV and
// JSON for programs (the names of the JSON API as headers, numbers unformatted, rates unrounded).

export type RenderFormat = 'table' | 'csv' | 'json';

const STATS_KEYS = ['year', 'month', 'level', 'unitCode', 'unitName', 'receivingUnit', 'field', 'procedure', 'channel'] as const;
/** onlineShare equals onlineRate: the table shows it once. */
const TABLE_RATES: RateFigure[] = ['onTimeRate', 'onlineRate', 'directShare', 'postalShare', 'lienThongShare'];

const NONE = '(không ghi)';
const showDay = (day: string | null) => (day ? `${day.slice(8, 10)}/${day.slice(5, 7)}/${day.slice(0, 4)}` : '');
const showTime = (time: string | null) => (time ? `${showDay(time.slice(0, 10))} ${time.slice(11, 16)}` : '');
const showMonth = (month: string) => `${month.slice(5, 7)}/${month.slice(0, 4)}`;
const showLevel = (level: Level | undefined) => (level ? LEVEL_LABELS[level] : '');
const showChannel = (channel: Channel | null | undefined) => (channel ? CHANNEL_LABELS[channel] : NONE);

/** A column of a text table: its header, its alignment, and how a row shows in it. */
export interface Column<R> {
  header: string;
  right?: boolean;
  cell: (row: R) => string;
}

/** The names --columns takes: those of the JSON objects. */
export const STATS_COLUMNS = [
  ...STATS_KEYS, 'from', 'to', ...COUNT_FIGURES, ...RATE_FIGURES, ...PROGRESS_766_FIGURES, ...DUE_FIGURES, ...INDICATOR_766_FIGURES, ...PROCESSING_FIGURES,
] as const;
export type StatsColumn = (typeof STATS_COLUMNS)[number];

/** The columns a grouping gives (unitCode and unitName come with --by unit). */
const KEY_OF_COLUMN: Partial<Record<StatsColumn, GroupKey>> = {
  year: 'year', month: 'month', level: 'level', unitCode: 'unit', unitName: 'unit', receivingUnit: 'receiving-unit', field: 'field',
  procedure: 'procedure', channel: 'channel',
};

/**
 * What the terminal table keeps when it is too wide, after the group keys: the figures a report reads first,
 * then the rest. Columns keep their usual order on the screen.
 */
const TABLE_PRIORITY: Array<StatsColumn | StatsColumn[]> = [
  'receivedTotal', 'resolvedTotal', 'onTimeRate', 'progressRate766', 'dueOnTimeRate', 'avgProcessingDays', 'onlineRate', 'pendingTotal', 'pendingOverdue', ['from', 'to'],
  'carriedOver', 'resolvedLate', 'receivedOnline', 'receivedDirect', 'resolvedEarly', 'resolvedOnTime',
  'resolvedRejected', 'withdrawn', 'pendingOnTime', 'receivedPostal', 'receivedLienThong', 'directShare',
  'postalShare', 'lienThongShare', 'onlineShare', 'progressPoints766', 'handled766', 'inTime766', 'dueTotal', 'dueOnTime',
  ...INDICATOR_766_RATES, ...INDICATOR_766_COUNTS,
];

/** QĐ 766's progress columns and the due basis's, shown when the rows carry them (a query with progress766, dueBasis). */
const progressColumns = (rows: readonly StatsRow[]) => [
  ...(rows.some((row) => 'handled766' in row) ? PROGRESS_766_FIGURES : []),
  ...(rows.some((row) => 'dueTotal' in row) ? DUE_FIGURES : []),
  ...(rows.some((row) => 'withFee' in row) ? INDICATOR_766_FIGURES : []),
  ...(rows.some((row) => 'avgProcessingDays' in row) ? PROCESSING_FIGURES : []),
];

/** The rate the table shows as the on-time rate on each basis (--on-time-basis); its header names the basis. */
const ON_TIME_COLUMN: Record<OnTimeBasis, StatsColumn> = { resolved: 'onTimeRate', '766': 'progressRate766', due: 'dueOnTimeRate' };

export interface StatsRenderOptions {
  /** Only these columns, in this order, by their JSON names (table and CSV); see checkStatsColumns. */
  columns?: readonly StatsColumn[];
  /**
   * The terminal's width: without `columns`, the table keeps the columns that fit, most important first, and
   * ends with a line naming the others and how to see them. Undefined (not a terminal): every column.
   */
  width?: number;
  /** Whether that line may offer --columns (tthc stats), or only --format csv (tthc demo). */
  columnsOption?: boolean;
  /**
   * The table's on-time rate (--on-time-basis): another basis than 'resolved' puts its rate in onTimeRate's place
   * (and leaves onTimeRate out), its counts after the rates. CSV and JSON carry every figure of the rows.
   */
  onTimeBasis?: OnTimeBasis;
}

/**
 * Checks --columns (comma-separated JSON names) against what the grouping gives; an unknown name is an error
 * naming the closest ones.
 */
export function checkStatsColumns(text: string, by: readonly GroupKey[]): StatsColumn[] {
  const names = text.split(',').map((n) => n.trim()).filter(Boolean);
  if (!names.length) throw new StatsQueryError('--columns cần ít nhất một tên cột (ví dụ --columns year,receivedTotal,onTimeRate)');
  for (const name of names) {
    if (!(STATS_COLUMNS as readonly string[]).includes(name)) {
      const closest = [...STATS_COLUMNS]
        .sort((a, b) => editDistance(name.toLowerCase(), a.toLowerCase()) - editDistance(name.toLowerCase(), b.toLowerCase()))
        .slice(0, 3);
      throw new StatsQueryError(`--columns: không có cột "${name}" (gần nhất: ${closest.join(', ')}; các cột: tên trong --format json)`);
    }
    const key = KEY_OF_COLUMN[name as StatsColumn];
    if (key && !by.includes(key)) throw new StatsQueryError(`--columns: cột "${name}" chỉ có khi nhóm theo ${key} (--by ${key})`);
  }
  return [...new Set(names)] as StatsColumn[];
}

/** The rows of computeStats as a table, CSV or JSON. */
export function renderStatsTable(rows: StatsRow[], format: RenderFormat = 'table', options: StatsRenderOptions = {}): string {
  if (format === 'json') return `${JSON.stringify(rows, null, 2)}\n`;
  const keys = STATS_KEYS.filter((k) => rows.some((row) => k in row));
  if (format === 'csv') {
    return toCsv(options.columns ?? [...keys, 'from', 'to', ...COUNT_FIGURES, ...RATE_FIGURES, ...progressColumns(rows)], rows as unknown as Record<string, unknown>[]);
  }
  if (!rows.length) return 'Không có hồ sơ nào thuộc kỳ và bộ lọc đã chọn.\n';
  const basis = ON_TIME_COLUMN[options.onTimeBasis ?? 'resolved'];
  const names: StatsColumn[] = options.columns
    ? [...options.columns]
    : [
      ...keys, 'from', 'to', ...COUNT_FIGURES, ...TABLE_RATES.map((r) => (r === 'onTimeRate' ? basis : r)),
      ...progressColumns(rows).filter((c) => c !== basis),
    ];
  const columns = names.map(statsColumn);
  const table = layout(columns, rows);
  if (options.columns || options.width === undefined) return draw(table);

  // Too wide for the terminal: the group keys, then the most important figures while they fit.
  const widthOf = (i: number) => table.widths[i] + 2;
  const keep = new Set(names.map((n, i) => ((keys as readonly string[]).includes(n) ? i : -1)).filter((i) => i >= 0));
  let used = [...keep].reduce((sum, i) => sum + widthOf(i), -2);
  for (const entry of TABLE_PRIORITY) {
    // The first and last day of the period go together.
    const indexes = (Array.isArray(entry) ? entry : [entry]).map((name) => names.indexOf(name)).filter((i) => i >= 0);
    const more = indexes.reduce((sum, i) => sum + widthOf(i), 0);
    if (used + more > options.width) break;
    for (const i of indexes) keep.add(i);
    used += more;
  }
  if (keep.size === names.length) return draw(table);
  const shown = names.filter((_, i) => keep.has(i));
  const hidden = names.filter((_, i) => !keep.has(i));
  const example = [...shown.filter((n) => (keys as readonly string[]).includes(n)), ...hidden.slice(0, 3)].join(',');
  const note =
    `Ẩn ${hidden.length} cột cho vừa màn hình ${options.width} ký tự: ${hidden.join(', ')}. ` +
    (options.columnsOption === false
      ? 'Xem đủ: --format csv.'
      : `Chọn cột: --columns ${example}; xem đủ: --format csv.`);
  return `${draw(pick(table, keep))}${note}\n`;
}

/** The table column of a JSON name. */
function statsColumn(name: StatsColumn): Column<StatsRow> {
  switch (name) {
    case 'year': return { header: KEY_HEADERS.year, right: true, cell: (row) => String(row.year ?? '') };
    case 'month': return { header: KEY_HEADERS.month, cell: (row) => (row.month ? showMonth(row.month) : '') };
    case 'level': return { header: KEY_HEADERS.level, cell: (row) => showLevel(row.level) };
    case 'channel': return { header: KEY_HEADERS.channel, cell: (row) => showChannel(row.channel) };
    case 'unitCode': case 'unitName': case 'receivingUnit': case 'field': case 'procedure':
      return { header: KEY_HEADERS[name], cell: (row) => row[name] ?? NONE };
    case 'from': case 'to': return { header: KEY_HEADERS[name], cell: (row) => showDay(row[name]) };
    case 'handled766': case 'inTime766': case 'dueTotal': case 'dueOnTime':
      return { header: FIGURE_HEADERS[name], right: true, cell: (row) => (row[name] === undefined ? '' : formatCount(row[name])) };
    case 'progressRate766': case 'dueOnTimeRate': return { header: FIGURE_HEADERS[name], right: true, cell: (row) => formatPercent(row[name]) };
    case 'receivedFullOnline': case 'fullOnlineEligible': case 'paidOnline': case 'withFee': case 'digitised': case 'digitisedBase':
    case 'electronicResult': case 'electronicResultBase': case 'dissatisfied': case 'satisfactionBase':
      return { header: FIGURE_HEADERS[name], right: true, cell: (row) => (row[name] === undefined ? '' : formatCount(row[name])) };
    // A QĐ 766 rate the data cannot give says so: its column was in no export, or no dossier it rests on.
    case 'fullOnlineRate': case 'onlinePaymentRate': case 'digitisedRate': case 'electronicResultRate': case 'satisfactionRate':
      return { header: FIGURE_HEADERS[name], right: true, cell: (row) => (row[name] == null ? NO_DATA : formatPercent(row[name])) };
    // As the national portal shows it: one decimal.
    case 'avgProcessingDays':
      return { header: FIGURE_HEADERS[name], right: true, cell: (row) => (row[name] == null ? '–' : formatDecimal(row[name], 1)) };
    case 'progressPoints766':
      return { header: FIGURE_HEADERS[name], right: true, cell: (row) => (row[name] == null ? '–' : formatDecimal(row[name], 2)) };
    default:
      return (COUNT_FIGURES as readonly string[]).includes(name)
        ? { header: FIGURE_HEADERS[name], right: true, cell: (row) => formatCount(row[name as CountFigure]) }
        : { header: FIGURE_HEADERS[name], right: true, cell: (row) => formatPercent(row[name as RateFigure]) };
  }
}

const DOSSIER_COLUMNS = [
  'year', 'month', 'from', 'to', 'code', 'unitCode', 'unitName', 'level', 'procedure', 'field', 'channel',
  'receivedAt', 'dueAt', 'endedAt', 'returnedAt', 'status',
] as const;

/** The rows of listDossiers as a table, CSV or JSON. */
export function renderDossiers(rows: DossierRow[], format: RenderFormat = 'table'): string {
  if (format === 'json') return `${JSON.stringify(rows, null, 2)}\n`;
  const periodKeys = (['year', 'month'] as const).filter((k) => rows.some((row) => k in row));
  const columns = DOSSIER_COLUMNS.filter((c) => (c === 'year' || c === 'month' ? periodKeys.includes(c) : true));
  if (format === 'csv') return toCsv([...columns], rows as unknown as Record<string, unknown>[]);
  if (!rows.length) return 'Không có hồ sơ nào.\n';
  const tableColumns = columns.filter((c) => c !== 'from' && c !== 'to' && c !== 'unitCode' && !(periodKeys.length && c === 'year' && periodKeys.includes('month')));
  const table = textTable<DossierRow>(
    tableColumns.map((c) => ({
      header: DOSSIER_HEADERS[c],
      cell: (row: DossierRow) => {
        switch (c) {
          case 'year': return String(row.year);
          case 'month': return showMonth(row.month!);
          case 'level': return showLevel(row.level);
          case 'channel': return showChannel(row.channel);
          case 'status': return STATUS_LABELS[row.status as Status] ?? row.status;
          case 'receivedAt': case 'dueAt': case 'endedAt': case 'returnedAt': return showTime(row[c]);
          default: return row[c] ?? NONE;
        }
      },
    })),
    rows,
  );
  return `${table}Tổng số: ${formatCount(rows.length)} hồ sơ\n`;
}

function csvField(value: unknown): string {
  if (value === null || value === undefined) return '';
  const text = String(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** CSV with a BOM: Excel on Windows reads a file without one as ANSI and garbles every Vietnamese letter. */
export function toCsv(columns: readonly string[], rows: Record<string, unknown>[]): string {
  return '\uFEFF' + [columns.join(','), ...rows.map((row) => columns.map((c) => csvField(row[c])).join(','))].join('\n') + '\n';
}

const width = (text: string) => [...text.normalize('NFC')].length;

/** Wraps a header into lines no wider than `max` (a single word may be wider). */
function wrap(text: string, max: number): string[] {
  const lines: string[] = [];
  for (const word of text.split(' ')) {
    const last = lines.length ? lines[lines.length - 1] : undefined;
    if (last !== undefined && width(last) + 1 + width(word) <= max) lines[lines.length - 1] = `${last} ${word}`;
    else lines.push(word);
  }
  return lines;
}

interface Layout<R> {
  columns: Column<R>[];
  cells: string[][];
  widths: number[];
}

function layout<R>(columns: Column<R>[], rows: R[]): Layout<R> {
  const cells = rows.map((row) => columns.map((c) => c.cell(row)));
  const widths = columns.map((c, i) => {
    const values = Math.max(0, ...cells.map((r) => width(r[i])));
    const longestWord = Math.max(...c.header.split(' ').map(width));
    return Math.max(values, longestWord, Math.min(width(c.header), 9));
  });
  return { columns, cells, widths };
}

/** The layout with only the columns whose indexes are kept. */
function pick<R>(table: Layout<R>, keep: Set<number>): Layout<R> {
  const kept = <T>(list: T[]) => list.filter((_, i) => keep.has(i));
  return { columns: kept(table.columns), cells: table.cells.map(kept), widths: kept(table.widths) };
}

function draw<R>({ columns, cells, widths }: Layout<R>): string {
  const headers = columns.map((c, i) => wrap(c.header, widths[i]));
  const height = Math.max(...headers.map((h) => h.length));
  const pad = (text: string, i: number, right?: boolean) => {
    const fill = ' '.repeat(widths[i] - width(text));
    return right ? fill + text : text + fill;
  };
  const lines: string[] = [];
  for (let line = 0; line < height; line++) {
    // Headers sit on the bottom lines, next to the rule, as in a printed table.
    lines.push(columns.map((c, i) => pad(headers[i][line - (height - headers[i].length)] ?? '', i, c.right)).join('  ').trimEnd());
  }
  lines.push(widths.map((w) => '─'.repeat(w)).join('  '));
  for (const row of cells) lines.push(row.map((text, i) => pad(text, i, columns[i].right)).join('  ').trimEnd());
  return `${lines.join('\n')}\n`;
}

/** A text table as the CLI prints it: headers wrapped on the bottom lines, a rule, one line per row. */
export function textTable<R>(columns: Column<R>[], rows: R[]): string {
  return draw(layout(columns, rows));
}
