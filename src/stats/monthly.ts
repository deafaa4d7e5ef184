import type { Kysely, OnConflictBuilder } from 'kysely';
import { maxParameters } from '../db/dialect.ts';
import type { Database, DossierMonthTable, DossierTable } from '../db/schema.ts';

// The monthly summary (table dossier_months): per unit, field, channel and month, how many dossiers were received,
// ended (by outcome) and became or stopped being overdue while pending. Month-aligned statistics add these up
// instead of reading every dossier (compute-monthly.ts). This module is the ONE place that says what a dossier
// contributes; the importer adds a dossier's contributions when it writes it and subtracts the stored version's,
// so the table always equals the sum over the stored dossiers (a test checks it against the full computation).
//
// Why it reproduces DOMAIN.md's counting rules for a period made of whole months [A..B] (stored times are
// wall-clock text, so a month is received_at.slice(0, 7) and "received on or before the last day of B" is
// "received month <= B"):
// - new receipts and resolved / withdrawn: the received and ended_* counts of the months A..B;
// - carried over: received before A and not ended before A = Σ_{M<A} (received − ended), since nothing ends
//   before it was received (the importer guarantees it);
// - pending at the end of B = Σ_{M<=B} (received − ended);
// - pending overdue at the end of B: pending, with a due day before the last day of B. Let O be the first month
//   whose last day is after the due day; the dossier is overdue at the end of every month from S = max(R, O)
//   until it ends (month E, exclusive), so overdue_in +1 at S and overdue_out +1 at E make
//   Σ_{M<=B} (overdue_in − overdue_out) that count. pendingOnTime is the rest of pendingTotal.

export const MONTHLY_COUNTS = [
  'received', 'ended_early', 'ended_on_time', 'ended_late', 'ended_rejected', 'ended_withdrawn', 'overdue_in', 'overdue_out',
] as const;
export type MonthlyCount = (typeof MONTHLY_COUNTS)[number];
export const ENDED_COUNTS = ['ended_early', 'ended_on_time', 'ended_late', 'ended_rejected', 'ended_withdrawn'] as const;

/** A row's key. field and channel are '' when the dossier has none (a primary key column cannot be null). */
export type MonthlyKey = Pick<DossierMonthTable, 'unit_code' | 'field' | 'channel' | 'month'>;

/** One count of one summary row moved by one dossier. */
export interface MonthlyDelta extends MonthlyKey {
  count: MonthlyCount;
  amount: number;
}

/** What the contributions read of a dossier. */
export type MonthlyDossier = Pick<DossierTable, 'code' | 'unit_code' | 'field' | 'channel' | 'received_at' | 'due_at' | 'ended_at' | 'status'>;

const monthOf = (time: string) => time.slice(0, 7);

const lastDays = new Map<string, string>();
/** 'yyyy-MM-dd' of the month's last day. */
export function lastDayOf(month: string): string {
  let day = lastDays.get(month);
  if (day === undefined) {
    const days = new Date(Date.UTC(Number(month.slice(0, 4)), Number(month.slice(5, 7)), 0)).getUTCDate();
    day = `${month}-${String(days).padStart(2, '0')}`;
    lastDays.set(month, day);
  }
  return day;
}

export function nextMonth(month: string): string {
  const y = Number(month.slice(0, 4));
  const m = Number(month.slice(5, 7));
  return m === 12 ? `${y + 1}-01` : `${month.slice(0, 4)}-${String(m + 1).padStart(2, '0')}`;
}

/** The first month at whose end a pending dossier due on this day is overdue (due day before the last day). */
export function overdueMonth(dueAt: string): string {
  const dueDay = dueAt.slice(0, 10);
  const month = monthOf(dueAt);
  return dueDay < lastDayOf(month) ? month : nextMonth(month);
}

function outcomeOf(d: MonthlyDossier): MonthlyCount {
  switch (d.status) {
    case 'rejected':
      return 'ended_rejected';
    case 'withdrawn':
      return 'ended_withdrawn';
    case 'finished':
    case 'returned': {
      if (d.due_at === null) return 'ended_on_time';
      const end = d.ended_at!.slice(0, 10);
      const due = d.due_at.slice(0, 10);
      return end < due ? 'ended_early' : end === due ? 'ended_on_time' : 'ended_late';
    }
    default:
      // The importer sets ended_at exactly for ended statuses; anything else would make the summary disagree
      // with the full computation, so it must not pass silently.
      throw new Error(`dossier ${d.code}: status ${d.status} with an end time ${d.ended_at}`);
  }
}

/** Calls `add` with each (month, count) one dossier adds 1 to. */
function contribute(d: MonthlyDossier, add: (month: string, count: MonthlyCount) => void): void {
  const received = monthOf(d.received_at);
  const ended = d.ended_at === null ? null : monthOf(d.ended_at);
  add(received, 'received');
  if (ended !== null) add(ended, outcomeOf(d));
  if (d.due_at !== null) {
    const due = overdueMonth(d.due_at);
    const overdueFrom = due > received ? due : received;
    if (ended === null || overdueFrom < ended) {
      add(overdueFrom, 'overdue_in');
      if (ended !== null) add(ended, 'overdue_out');
    }
  }
}

/**
 * What one dossier adds to (sign 1) or, for the version being replaced, takes from (sign −1) the summary.
 */
export function monthlyContributions(d: MonthlyDossier, sign: 1 | -1): MonthlyDelta[] {
  const out: MonthlyDelta[] = [];
  const key = { unit_code: d.unit_code, field: d.field ?? '', channel: d.channel ?? '' };
  contribute(d, (month, count) => out.push({ ...key, month, count, amount: sign }));
  return out;
}

export type MonthlyRow = DossierMonthTable;
/** Summary rows being built, by their key. */
export type MonthlyDeltas = Map<string, MonthlyRow>;

/** Adds deltas into `into` (a new map when not given), one row per key. */
export function accumulate(deltas: Iterable<MonthlyDelta>, into: MonthlyDeltas = new Map()): MonthlyDeltas {
  for (const delta of deltas) rowOf(into, delta.unit_code, delta.field, delta.channel, delta.month)[delta.count] += delta.amount;
  return into;
}

function rowOf(into: MonthlyDeltas, unit_code: string, field: string, channel: string, month: string): MonthlyRow {
  const key = `${unit_code}\u0000${field}\u0000${channel}\u0000${month}`;
  let row = into.get(key);
  if (!row) {
    row = {
      unit_code, field, channel, month,
      received: 0, ended_early: 0, ended_on_time: 0, ended_late: 0, ended_rejected: 0, ended_withdrawn: 0,
      overdue_in: 0, overdue_out: 0,
    };
    into.set(key, row);
  }
  return row;
}

/**
 * The change of one written dossier (before = the stored version it replaces, if any), added into `into`: the
 * same as accumulating monthlyContributions(before, −1) and (after, 1), without the intermediate objects, since
 * the importer does it for every dossier.
 */
export function addDossierChange(into: MonthlyDeltas, before: MonthlyDossier | undefined, after: MonthlyDossier): void {
  if (before) addContributions(into, before, -1);
  addContributions(into, after, 1);
}

function addContributions(into: MonthlyDeltas, d: MonthlyDossier, sign: 1 | -1): void {
  const field = d.field ?? '';
  const channel = d.channel ?? '';
  contribute(d, (month, count) => {
    rowOf(into, d.unit_code, field, channel, month)[count] += sign;
  });
}

/**
 * The importer's side: collects the changes of the dossiers written by one file and adds them to the summary in
 * the file's transaction. Collecting over the whole file rather than per chunk writes far fewer rows (a chunk's
 * dossiers mostly fall on different units, fields and channels; a file's repeat them); the collection is
 * written early when it grows large, so memory stays bounded. Deltas add up, so when they are written does
 * not change the result.
 */
export class MonthlySummaryWriter {
  private deltas: MonthlyDeltas = new Map();

  constructor(private readonly maxRows = 100_000) {}

  /** A dossier written: `before` is the stored version it replaces, if any. */
  change(before: MonthlyDossier | undefined, after: MonthlyDossier): void {
    addDossierChange(this.deltas, before, after);
  }

  /** Writes the collected changes when they have grown large. */
  async writeIfLarge(db: Kysely<Database>): Promise<void> {
    if (this.deltas.size >= this.maxRows) await this.write(db);
  }

  async write(db: Kysely<Database>): Promise<void> {
    const deltas = this.deltas;
    this.deltas = new Map();
    await writeMonthlyDeltas(db, deltas);
  }
}

const COLUMNS_PER_ROW = 4 + MONTHLY_COUNTS.length;

/** On a key already stored, the counts written are added to the stored ones. */
function addToStoredCounts(oc: OnConflictBuilder<Database, 'dossier_months'>) {
  return oc.columns(['unit_code', 'field', 'channel', 'month']).doUpdateSet((eb) =>
    Object.fromEntries(MONTHLY_COUNTS.map((c) => [c, eb(eb.ref(`dossier_months.${c}`), '+', eb.ref(`excluded.${c}`))])) as any,
  );
}

/**
 * Adds the accumulated deltas to the stored summary: an upsert that adds to the stored counts, chunked below the
 * parameter limit. Rows whose deltas all cancel are not written. Rows that drop to zero stay: they add nothing.
 */
export async function writeMonthlyDeltas(db: Kysely<Database>, deltas: MonthlyDeltas): Promise<void> {
  const rows = [...deltas.values()].filter((row) => MONTHLY_COUNTS.some((c) => row[c] !== 0));
  const chunk = Math.floor(maxParameters(db) / COLUMNS_PER_ROW);
  for (let i = 0; i < rows.length; i += chunk) {
    await db
      .insertInto('dossier_months')
      .values(rows.slice(i, i + chunk))
      .onConflict(addToStoredCounts)
      .execute();
  }
}

/**
 * When the unit catalogue takes over an auto unit (importUnits moves its dossiers to the catalogue code), its
 * summary rows move too: added into the target's rows, then removed.
 */
export async function moveUnitInMonthlySummary(db: Kysely<Database>, fromCode: string, toCode: string): Promise<void> {
  if (fromCode === toCode) return;
  await db
    .insertInto('dossier_months')
    .columns(['unit_code', 'field', 'channel', 'month', ...MONTHLY_COUNTS])
    .expression((eb) =>
      eb
        .selectFrom('dossier_months as m')
        .select((s) => [s.val(toCode).as('unit_code'), 'm.field', 'm.channel', 'm.month', ...MONTHLY_COUNTS.map((c) => `m.${c}` as const)])
        .where('m.unit_code', '=', fromCode),
    )
    .onConflict(addToStoredCounts)
    .execute();
  await db.deleteFrom('dossier_months').where('unit_code', '=', fromCode).execute();
}

const REBUILD_PAGE = 50_000;

/**
 * Builds the summary again from the stored dossiers, through the same contributions: for a database whose
 * dossiers were written without the importer (the migration that adds the table, benchmark loaders).
 */
export async function rebuildMonthlySummary(db: Kysely<Database>): Promise<void> {
  await db.deleteFrom('dossier_months').execute();
  const deltas: MonthlyDeltas = new Map();
  let after: string | null = null;
  for (;;) {
    let page = db
      .selectFrom('dossiers')
      .select(['code', 'unit_code', 'field', 'channel', 'received_at', 'due_at', 'ended_at', 'status'])
      .orderBy('code')
      .limit(REBUILD_PAGE);
    if (after !== null) page = page.where('code', '>', after);
    const rows = await page.execute();
    for (const row of rows) addDossierChange(deltas, undefined, row);
    if (rows.length < REBUILD_PAGE) break;
    after = rows[rows.length - 1].code;
  }
  await writeMonthlyDeltas(db, deltas);
}
