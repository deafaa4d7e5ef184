import { FIGURE_GROUP_LABELS, FIGURE_LABELS, type Figure } from '../../stats/labels.ts';
import type { CountFigure, StatsRow } from '../../stats/types.ts';
import { toHandle } from '../../stats/rates.ts';
import type { Aggregate, Column } from '../excel/table.ts';

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
}

export function flowColumns(options: FlowColumnOptions): Column<StatsRow>[] {
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
