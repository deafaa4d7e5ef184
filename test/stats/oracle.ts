// An independent oracle of the counting rules' (docs/rules.md) counting rules ("Counting rules for a period"), in plain TypeScript over
// the test's own description of each dossier. It imports nothing from src/stats or src/domain: it is a second
// writing of the rules from the page, so that a rule the code restated wrongly in both of its paths (the summary
// by half-month and the per-dossier SQL) still shows.

export type OracleStatus = 'processing' | 'supplement_requested' | 'finished' | 'returned' | 'rejected' | 'withdrawn';
export type OracleChannel = 'truc_tiep' | 'truc_tuyen' | 'buu_chinh' | 'lien_thong';
export type OracleLevel = 'tinh' | 'huyen' | 'xa';

/** A dossier as the test generated it: days 'yyyy-MM-dd'. */
export interface OracleDossier {
  unitName: string;
  level: OracleLevel;
  field: string | null;
  procedure: string;
  channel: OracleChannel | null;
  receivedDay: string;
  dueDay: string | null;
  /** The day processing ended: set exactly for finished, returned, rejected and withdrawn. */
  endDay: string | null;
  status: OracleStatus;
}

export type OracleKey = 'year' | 'month' | 'level' | 'unit' | 'field' | 'procedure' | 'channel';

export interface OracleQuery {
  from: string;
  to: string;
  by: OracleKey[];
  level?: OracleLevel;
  unitName?: string;
  field?: string;
  excludeField?: string;
}

export const ORACLE_COUNTS = [
  'receivedDirect', 'receivedOnline', 'receivedPostal', 'receivedLienThong', 'receivedTotal', 'carriedOver',
  'resolvedEarly', 'resolvedOnTime', 'resolvedLate', 'resolvedRejected', 'resolvedTotal', 'withdrawn',
  'pendingTotal', 'pendingOnTime', 'pendingOverdue',
] as const;
export type OracleCounts = Record<(typeof ORACLE_COUNTS)[number], number>;

const pad = (n: number) => String(n).padStart(2, '0');
const lastDay = (year: number, month: number) => new Date(Date.UTC(year, month, 0)).getUTCDate();

/** The period split as grouping by year or month splits it: calendar years or months, each cut to the period. */
export function oraclePieces(from: string, to: string, by: readonly OracleKey[]): Array<{ from: string; to: string }> {
  if (!by.includes('year') && !by.includes('month')) return [{ from, to }];
  const pieces: Array<{ from: string; to: string }> = [];
  let year = Number(from.slice(0, 4));
  let month = Number(from.slice(5, 7));
  for (;;) {
    const start = by.includes('month') ? `${year}-${pad(month)}-01` : `${year}-01-01`;
    const end = by.includes('month') ? `${year}-${pad(month)}-${pad(lastDay(year, month))}` : `${year}-12-31`;
    pieces.push({ from: start < from ? from : start, to: end > to ? to : end });
    if (end >= to) return pieces;
    if (by.includes('month')) {
      month++;
      if (month === 13) (month = 1), year++;
    } else {
      year++;
    }
  }
}

/** What one dossier adds to the counts of the period [from, to] (both days included). */
export function oracleCounts(d: OracleDossier, from: string, to: string): OracleCounts | undefined {
  const c = Object.fromEntries(ORACLE_COUNTS.map((k) => [k, 0])) as OracleCounts;
  const receivedIn = d.receivedDay >= from && d.receivedDay <= to;
  const endedIn = d.endDay !== null && d.endDay >= from && d.endDay <= to;
  // Carried over: received before the first day, not ended before it.
  const carried = d.receivedDay < from && (d.endDay === null || d.endDay >= from);
  if (!receivedIn && !carried) return undefined;
  if (receivedIn) {
    c.receivedTotal = 1;
    if (d.channel === 'truc_tiep') c.receivedDirect = 1;
    if (d.channel === 'truc_tuyen') c.receivedOnline = 1;
    if (d.channel === 'buu_chinh') c.receivedPostal = 1;
    if (d.channel === 'lien_thong') c.receivedLienThong = 1;
  }
  if (carried) c.carriedOver = 1;
  if (endedIn) {
    if (d.status === 'finished' || d.status === 'returned') {
      c.resolvedTotal = 1;
      // No due day: on time, as the one-stop systems count it.
      if (d.dueDay === null || d.endDay === d.dueDay) c.resolvedOnTime = 1;
      else if (d.endDay! < d.dueDay) c.resolvedEarly = 1;
      else c.resolvedLate = 1;
    } else if (d.status === 'rejected') {
      c.resolvedTotal = 1;
      c.resolvedRejected = 1;
    } else if (d.status === 'withdrawn') {
      c.withdrawn = 1;
    }
  }
  // Pending at the end: received on or before the last day, not ended by it.
  if (d.receivedDay <= to && (d.endDay === null || d.endDay > to)) {
    c.pendingTotal = 1;
    if (d.dueDay !== null && d.dueDay < to) c.pendingOverdue = 1;
    else c.pendingOnTime = 1;
  }
  return c;
}

/** One row of the oracle: its keys (those grouped by), its piece of the period and its counts. */
export interface OracleRow {
  key: string;
  counts: OracleCounts;
}

/** The key a row is compared by: the piece, then each key grouped by (null for a dossier without the value). */
export function rowKey(
  by: readonly OracleKey[],
  row: { from: string; to: string; level?: string | null; unitName?: string | null; field?: string | null; procedure?: string | null; channel?: string | null },
): string {
  return JSON.stringify([
    row.from, row.to,
    by.includes('level') ? row.level : '-',
    by.includes('unit') ? row.unitName : '-',
    by.includes('field') ? (row.field ?? null) : '-',
    by.includes('procedure') ? (row.procedure ?? null) : '-',
    by.includes('channel') ? (row.channel ?? null) : '-',
  ]);
}

/** The rows the query gives, every group with a dossier taking part; groups of zeros are left out. */
export function oracleRows(dossiers: readonly OracleDossier[], q: OracleQuery): Map<string, OracleCounts> {
  const out = new Map<string, OracleCounts>();
  const selected = dossiers.filter(
    (d) =>
      (q.level === undefined || d.level === q.level) &&
      (q.unitName === undefined || d.unitName === q.unitName) &&
      (q.field === undefined || d.field === q.field) &&
      // A dossier without a field is kept when a field is excluded.
      (q.excludeField === undefined || d.field !== q.excludeField),
  );
  for (const piece of oraclePieces(q.from, q.to, q.by)) {
    for (const d of selected) {
      const counts = oracleCounts(d, piece.from, piece.to);
      if (!counts) continue;
      const key = rowKey(q.by, { ...piece, level: d.level, unitName: d.unitName, field: d.field, procedure: d.procedure, channel: d.channel });
      const sum = out.get(key) ?? (Object.fromEntries(ORACLE_COUNTS.map((k) => [k, 0])) as OracleCounts);
      for (const k of ORACLE_COUNTS) sum[k] += counts[k];
      out.set(key, sum);
    }
  }
  return out;
}

/** The rate resolved early or on time, (early + on time) / resolved; null when nothing was resolved. */
export function oracleOnTimeRate(c: OracleCounts): number | null {
  return c.resolvedTotal === 0 ? null : (c.resolvedEarly + c.resolvedOnTime) / c.resolvedTotal;
}

/** The online rate, online new receipts / new receipts; null without new receipts. */
export function oracleOnlineRate(c: OracleCounts): number | null {
  return c.receivedTotal === 0 ? null : c.receivedOnline / c.receivedTotal;
}
