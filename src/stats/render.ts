import { CHANNEL_LABELS, type Channel } from '../domain/channels.ts';
import { LEVEL_LABELS, type Level } from '../domain/levels.ts';
import { formatCount, formatPercent } from '../domain/numbers.ts';
import { STATUS_LABELS, type Status } from '../domain/statuses.ts';
import type { DossierRow } from './dossiers.ts';
import { DOSSIER_HEADERS, FIGURE_HEADERS, KEY_HEADERS } from './labels.ts';
import { COUNT_FIGURES, RATE_FIGURES, type RateFigure, type StatsRow } from './types.ts';

// How `tthc stats` and `tthc dossiers` print: a table for people (Vietnamese headers, vi-VN numbers), CSV and
// JSON for programs (the names of the JSON API as headers, numbers unformatted, rates unrounded).

export type RenderFormat = 'table' | 'csv' | 'json';

const STATS_KEYS = ['year', 'month', 'level', 'unitCode', 'unitName', 'field', 'procedure', 'channel'] as const;
/** onlineShare equals onlineRate: the table shows it once. */
const TABLE_RATES: RateFigure[] = ['onTimeRate', 'onlineRate', 'directShare', 'postalShare', 'lienThongShare'];

const NONE = '(không ghi)';
const showDay = (day: string | null) => (day ? `${day.slice(8, 10)}/${day.slice(5, 7)}/${day.slice(0, 4)}` : '');
const showTime = (time: string | null) => (time ? `${showDay(time.slice(0, 10))} ${time.slice(11, 16)}` : '');
const showMonth = (month: string) => `${month.slice(5, 7)}/${month.slice(0, 4)}`;
const showLevel = (level: Level | undefined) => (level ? LEVEL_LABELS[level] : '');
const showChannel = (channel: Channel | null | undefined) => (channel ? CHANNEL_LABELS[channel] : NONE);

interface Column<R> {
  header: string;
  right?: boolean;
  cell: (row: R) => string;
}

/** The rows of computeStats as a table, CSV or JSON. */
export function renderStatsTable(rows: StatsRow[], format: RenderFormat = 'table'): string {
  if (format === 'json') return `${JSON.stringify(rows, null, 2)}\n`;
  const keys = STATS_KEYS.filter((k) => rows.some((row) => k in row));
  if (format === 'csv') {
    return toCsv([...keys, 'from', 'to', ...COUNT_FIGURES, ...RATE_FIGURES], rows as unknown as Record<string, unknown>[]);
  }
  if (!rows.length) return 'Không có hồ sơ nào thuộc kỳ và bộ lọc đã chọn.\n';
  const keyColumns: Column<StatsRow>[] = keys.map((k) => ({
    header: KEY_HEADERS[k],
    right: k === 'year',
    cell: (row) =>
      k === 'year' ? String(row.year)
        : k === 'month' ? showMonth(row.month!)
        : k === 'level' ? showLevel(row.level)
        : k === 'channel' ? showChannel(row.channel)
        : (row[k] ?? NONE),
  }));
  return textTable<StatsRow>(
    [
      ...keyColumns,
      { header: KEY_HEADERS.from, cell: (row) => showDay(row.from) },
      { header: KEY_HEADERS.to, cell: (row) => showDay(row.to) },
      ...COUNT_FIGURES.map((f) => ({ header: FIGURE_HEADERS[f], right: true, cell: (row: StatsRow) => formatCount(row[f]) })),
      ...TABLE_RATES.map((f) => ({ header: FIGURE_HEADERS[f], right: true, cell: (row: StatsRow) => formatPercent(row[f]) })),
    ],
    rows,
  );
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

function toCsv(columns: readonly string[], rows: Record<string, unknown>[]): string {
  return [columns.join(','), ...rows.map((row) => columns.map((c) => csvField(row[c])).join(','))].join('\n') + '\n';
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

function textTable<R>(columns: Column<R>[], rows: R[]): string {
  const cells = rows.map((row) => columns.map((c) => c.cell(row)));
  const widths = columns.map((c, i) => {
    const values = Math.max(0, ...cells.map((r) => width(r[i])));
    const longestWord = Math.max(...c.header.split(' ').map(width));
    return Math.max(values, longestWord, Math.min(width(c.header), 9));
  });
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
