import { FIGURE_GROUP_LABELS, FIGURE_LABELS, type Figure } from '../../stats/labels.ts';
import type { CountFigure, StatsRow } from '../../stats/types.ts';
import { toHandle } from '../../stats/rates.ts';
import type { Aggregate, Column } from '../excel/table.ts';
import { UserError } from '../../domain/errors.ts';

// The columns of the yearly and monthly tables (Hạ Hoà report, sections 2.4.3 and 3.3): new receipts by channel
// with their shares, carried over, total to handle, resolved by outcome, withdrawn, pending, on-time rate.

const header = (figure: Figure): string[] => {
  const group = FIGURE_GROUP_LABELS[figure];
  return group ? [group, FIGURE_LABELS[figure]] : [FIGURE_LABELS[figure]];
};

const RECEIVED_GROUP = FIGURE_GROUP_LABELS.receivedTotal!;

function count(figure: CountFigure, aggregate: Aggregate = 'sum'): Column<StatsRow> {
  return { key: figure, header: header(figure), kind: 'count', value: (s) => s[figure], aggregate };
}

function share(key: 'directShare' | 'onlineShare' | 'postalShare' | 'lienThongShare', part: CountFigure): Column<StatsRow> {
  return {
    key,
    header: [RECEIVED_GROUP, FIGURE_LABELS[key]],
    kind: 'rate',
    value: (s) => s[key],
    formula: (c) => `IF(${c('receivedTotal')}=0,"",${c(part)}/${c('receivedTotal')})`,
  };
}

const CHANNEL_COLUMNS = [
  { count: 'receivedDirect', share: 'directShare' },
  { count: 'receivedOnline', share: 'onlineShare' },
  { count: 'receivedPostal', share: 'postalShare' },
  { count: 'receivedLienThong', share: 'lienThongShare' },
] as const;

export interface FlowColumnOptions {
  /** Lines are consecutive sub-periods (months of a year): a total takes the first carried-over and the last pending. */
  overTime?: boolean;
  /** Rows shown, to leave out a channel nobody used (postal and liên thông are often zero everywhere). */
  rows: StatsRow[];
  /** ['full'] (default), ['compact'] or column keys (FLOW_COLUMN_KEYS), as `--columns` gives them. */
  columns?: readonly string[];
}

/** The keys of every column of the yearly and monthly tables, in table order. */
export const FLOW_COLUMN_KEYS = [
  ...CHANNEL_COLUMNS.flatMap((c) => [c.count, c.share]),
  'receivedTotal', 'carriedOver', 'toHandle', 'resolvedEarly', 'resolvedOnTime', 'resolvedLate', 'resolvedRejected',
  'resolvedTotal', 'withdrawn', 'pendingOnTime', 'pendingOverdue', 'pendingTotal', 'onTimeRate',
] as const;

/**
 * The Hạ Hoà report's table (sections 2.4.3 and 3.3): channels with their shares, carried over, resolved by
 * outcome, pending, on-time rate; it fits an A4 landscape page at 12 pt.
 */
export const COMPACT_COLUMN_KEYS: readonly string[] = [
  ...CHANNEL_COLUMNS.flatMap((c) => [c.count, c.share]),
  'carriedOver', 'resolvedEarly', 'resolvedOnTime', 'resolvedLate', 'resolvedRejected', 'resolvedTotal', 'pendingTotal', 'onTimeRate',
];

export class UnknownColumnError extends UserError {}

/** Checks a `--columns` choice; throws UnknownColumnError naming the valid words. */
export function checkColumns(choice: readonly string[]): string[] {
  if (choice.length === 1 && (choice[0] === 'full' || choice[0] === 'compact')) return [...choice];
  for (const key of choice) {
    if (!(FLOW_COLUMN_KEYS as readonly string[]).includes(key)) {
      throw new UnknownColumnError(`cột không có: "${key}" (chọn full, compact hoặc các cột trong: ${FLOW_COLUMN_KEYS.join(', ')})`);
    }
  }
  return [...choice];
}

export function flowColumns(options: FlowColumnOptions): Column<StatsRow>[] {
  const all = allFlowColumns(options);
  const choice = options.columns?.length ? checkColumns(options.columns) : ['full'];
  if (choice[0] === 'full') return all;
  const keys = new Set(choice[0] === 'compact' ? COMPACT_COLUMN_KEYS : choice);
  return all.filter((c) => keys.has(c.key));
}

function allFlowColumns(options: FlowColumnOptions): Column<StatsRow>[] {
  const first: Aggregate = options.overTime ? 'first' : 'sum';
  const last: Aggregate = options.overTime ? 'last' : 'sum';
  const channels = CHANNEL_COLUMNS.filter(
    (c) => c.count === 'receivedDirect' || c.count === 'receivedOnline' || options.rows.some((r) => r[c.count] !== 0),
  );
  return [
    ...channels.flatMap((c) => [count(c.count), share(c.share, c.count)]),
    {
      key: 'receivedTotal',
      header: header('receivedTotal'),
      kind: 'count',
      value: (s) => s.receivedTotal,
      formula: (c) => channels.map((ch) => c(ch.count)).join('+'),
    },
    count('carriedOver', first),
    {
      key: 'toHandle',
      header: ['Tổng số hồ sơ nhận giải quyết'],
      kind: 'count',
      value: toHandle,
      formula: (c) => `${c('receivedTotal')}+${c('carriedOver')}`,
    },
    count('resolvedEarly'),
    count('resolvedOnTime'),
    count('resolvedLate'),
    count('resolvedRejected'),
    {
      key: 'resolvedTotal',
      header: header('resolvedTotal'),
      kind: 'count',
      value: (s) => s.resolvedTotal,
      formula: (c) => `${c('resolvedEarly')}+${c('resolvedOnTime')}+${c('resolvedLate')}+${c('resolvedRejected')}`,
    },
    count('withdrawn'),
    count('pendingOnTime', last),
    count('pendingOverdue', last),
    {
      key: 'pendingTotal',
      header: header('pendingTotal'),
      kind: 'count',
      value: (s) => s.pendingTotal,
      formula: (c) => `${c('pendingOnTime')}+${c('pendingOverdue')}`,
    },
    {
      key: 'onTimeRate',
      header: ['Tỷ lệ giải quyết sớm và đúng hạn'],
      kind: 'rate',
      value: (s) => s.onTimeRate,
      formula: (c) => `IF(${c('resolvedTotal')}=0,"",(${c('resolvedEarly')}+${c('resolvedOnTime')})/${c('resolvedTotal')})`,
    },
  ];
}
