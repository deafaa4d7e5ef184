import { SUMMARY_COUNT_COLUMNS, type DossierProcedureHalfMonthTable, type DossierTable } from '../db/schema.ts';
import { ownCopy } from '../domain/memo.ts';
import { overdueFrom, type Outcome } from '../domain/outcome.ts';

// The summary by half-month (table dossier_half_months): per unit, field, channel and half-month, how many
// dossiers were received, ended (by outcome) and became or stopped being overdue while pending; and the same per
// procedure too (dossier_procedure_half_months), which statistics grouped by procedure read. The importer collects
// the changes by procedure and writes both tables, the first summed over the procedures (summary-writer.ts). A
// half-month is days 1–14 ('yyyy-MM-1') or the 15th to the last day ('yyyy-MM-2') of a month, so calendar months,
// quarters and years and the reporting months and years of Nghị định 09/2019 (15th to 14th) are all made of whole
// half-months, and their statistics add these rows up instead of reading every dossier (compute-summary.ts). This
// module is the ONE place that says what a dossier contributes; the importer adds a dossier's contributions when
// it writes it and subtracts the stored version's, so the tables always equal the sums over the stored dossiers
// (a test checks it against the full computation).
//
// Why it reproduces the counting rules' (docs/rules.md) counting rules for a period made of whole half-months [A..B] (stored times are
// wall-clock text, so a half-month is read off the day of the month, and "received on or before the last day of
// B" is "received half-month <= B"; the keys sort as text):
// - new receipts and resolved / withdrawn: the received and ended_* counts of the half-months A..B;
// - carried over: received before A and not ended before A = Σ_{H<A} (received − ended), since nothing ends
//   before it was received (the importer guarantees it);
// - pending at the end of B = Σ_{H<=B} (received − ended);
// - resolved by outcome: the dossier's stored outcome (src/domain/outcome.ts), counted at the half-month it ended;
// - pending overdue at the end of B: pending, with overdue_from (the day after the due day) on or before the last
//   day of B. Let O be the half-month of overdue_from; the dossier is overdue at the end of every half-month from
//   S = max(R, O) until it ends (half-month E, exclusive), so overdue_in +1 at S and overdue_out +1 at E make
//   Σ_{H<=B} (overdue_in − overdue_out) that count. pendingOnTime is the rest of pendingTotal.
//
// The dossier's classification (outcome, overdue_from) is src/domain/outcome.ts's, stored on the dossier: nothing
// here restates those rules. This module is pure, without a database (the parse worker collects contributions
// with it, and loads nothing it does not use); summary-writer.ts writes them.

/**
 * The version of the rules below and of the classification they read (src/domain/outcome.ts). Raise it with any
 * change to either: every database built with another version has its dossiers classified again and its summary
 * rebuilt when opened (src/audit/rules-version.ts).
 */
export const SUMMARY_RULES_VERSION = 1;

/** The counts of a summary row (the columns of dossier_half_months, src/db/schema.ts). */
export const SUMMARY_COUNTS = SUMMARY_COUNT_COLUMNS;
export type SummaryCount = (typeof SUMMARY_COUNTS)[number];
export const ENDED_COUNTS = ['ended_early', 'ended_on_time', 'ended_late', 'ended_rejected', 'ended_withdrawn'] as const;

/** A row's key. field, channel and procedure are '' when the dossier has none (a primary key column cannot be null). */
export type SummaryKey = Pick<DossierProcedureHalfMonthTable, 'unit_code' | 'field' | 'channel' | 'procedure_name' | 'half_month'>;

/** One count of one summary row moved by one dossier. */
export interface SummaryDelta extends SummaryKey {
  count: SummaryCount;
  amount: number;
}

/** What the contributions read of a dossier: its key, its receipt and end, and its classification. */
export type SummaryDossier = Pick<
  DossierTable,
  'code' | 'unit_code' | 'field' | 'channel' | 'procedure_name' | 'received_at' | 'ended_at' | 'outcome' | 'overdue_from'
>;

/** The half-month of a day or time ('yyyy-MM-dd…'): 'yyyy-MM-1' for days 1–14, 'yyyy-MM-2' from the 15th. */
export function halfMonthOf(time: string): string {
  return halfMonthText(halfMonthIndex(time));
}

const lastDays = new Map<string, string>();
/** 'yyyy-MM-dd' of the month's ('yyyy-MM') last day. */
export function lastDayOfMonth(month: string): string {
  let day = lastDays.get(month);
  if (day === undefined) {
    day = `${month}-${String(daysInMonth(yearOf(month), monthOf(month))).padStart(2, '0')}`;
    lastDays.set(month, day);
  }
  return day;
}

/** 'yyyy-MM-dd' of the half-month's last day: the 14th, or the month's last day. */
export function lastDayOfHalfMonth(halfMonth: string): string {
  return `${halfMonth.slice(0, 7)}-${String(lastDayInHalfMonth(halfMonthIndexOfText(halfMonth))).padStart(2, '0')}`;
}

export function nextHalfMonth(halfMonth: string): string {
  return halfMonthText(halfMonthIndexOfText(halfMonth) + 1);
}

/** The first half-month at whose end a pending dossier due on this day is overdue: that of its overdue_from. */
export function overdueHalfMonth(dueAt: string): string {
  return halfMonthOf(overdueFrom(dueAt)!);
}

// The contributions are computed for every dossier an import writes, so they work on numbers: a half-month as
// its index (halfMonthIndex), days as yyyymmdd integers, read straight off the stored text.

const digit = (text: string, at: number) => text.charCodeAt(at) - 48;
const yearOf = (time: string) => digit(time, 0) * 1000 + digit(time, 1) * 100 + digit(time, 2) * 10 + digit(time, 3);
const monthOf = (time: string) => digit(time, 5) * 10 + digit(time, 6);
const dayOf = (time: string) => digit(time, 8) * 10 + digit(time, 9);

/** The half-month of a time ('yyyy-MM-dd…') as a number: 24 per year, in order. */
export function halfMonthIndex(time: string): number {
  return yearOf(time) * 24 + (monthOf(time) - 1) * 2 + (dayOf(time) < 15 ? 0 : 1);
}

/** The index of a half-month written 'yyyy-MM-1' or 'yyyy-MM-2'. */
export function halfMonthIndexOfText(halfMonth: string): number {
  return yearOf(halfMonth) * 24 + (monthOf(halfMonth) - 1) * 2 + (digit(halfMonth, 8) - 1);
}

/** 'yyyy-MM-1' or 'yyyy-MM-2' of a half-month index. */
export function halfMonthText(index: number): string {
  const year = Math.floor(index / 24);
  const month = Math.floor((index % 24) / 2) + 1;
  return `${year}-${month < 10 ? '0' : ''}${month}-${(index % 2) + 1}`;
}

const daysInMonth = (year: number, month: number) => new Date(Date.UTC(year, month, 0)).getUTCDate();

/** The day of the month a half-month ends on: the 14th, or the month's last day. */
function lastDayInHalfMonth(index: number): number {
  return index % 2 === 0 ? 14 : daysInMonth(Math.floor(index / 24), Math.floor((index % 24) / 2) + 1);
}

/** The summary count each ended outcome adds to. */
const ENDED_COUNT: Record<Outcome, SummaryCount | undefined> = {
  early: 'ended_early',
  on_time: 'ended_on_time',
  late: 'ended_late',
  rejected: 'ended_rejected',
  withdrawn: 'ended_withdrawn',
  open: undefined,
};

/** Calls `add` with each (half-month index, count) one dossier adds 1 to. */
function contribute(d: SummaryDossier, add: (halfMonth: number, count: SummaryCount) => void): void {
  const received = halfMonthIndex(d.received_at);
  const ended = d.ended_at === null ? -1 : halfMonthIndex(d.ended_at);
  add(received, 'received');
  if (ended !== -1) {
    const count = ENDED_COUNT[d.outcome];
    // The importer stores an end time exactly for ended statuses; anything else would make the summary disagree
    // with the figures, so it must not pass silently.
    if (count === undefined) throw new Error(`dossier ${d.code}: outcome ${d.outcome} with an end time ${d.ended_at}`);
    add(ended, count);
  }
  if (d.overdue_from !== null) {
    const due = halfMonthIndex(d.overdue_from);
    const overdueFrom = due > received ? due : received;
    if (ended === -1 || overdueFrom < ended) {
      add(overdueFrom, 'overdue_in');
      if (ended !== -1) add(ended, 'overdue_out');
    }
  }
}

/**
 * What one dossier adds to (sign 1) or, for the version being replaced, takes from (sign −1) the summary.
 */
export function summaryContributions(d: SummaryDossier, sign: 1 | -1): SummaryDelta[] {
  const out: SummaryDelta[] = [];
  const key = { unit_code: d.unit_code, field: d.field ?? '', channel: d.channel ?? '', procedure_name: d.procedure_name ?? '' };
  contribute(d, (index, count) => out.push({ ...key, half_month: halfMonthText(index), count, amount: sign }));
  return out;
}

export type SummaryRow = DossierProcedureHalfMonthTable;

/** Adds deltas into `into` (a new table when not given), one row per key. */
export function accumulate(deltas: Iterable<SummaryDelta>, into: SummaryDeltas = new SummaryDeltas()): SummaryDeltas {
  for (const delta of deltas) {
    const group = into.group(delta.unit_code, delta.field, delta.channel, delta.procedure_name);
    into.add(group, halfMonthIndexOfText(delta.half_month), COUNT_INDEX[delta.count], delta.amount);
  }
  return into;
}

/** The group columns of each summary table's key in its order, by their place in (unit, field, channel, procedure). */
export const KEY_ORDER = { byUnit: [0, 1, 2, 3], byProcedure: [3, 0, 1, 2] } as const;

/** Each count's place in SUMMARY_COUNTS. */
const COUNT_INDEX = Object.fromEntries(SUMMARY_COUNTS.map((c, i) => [c, i])) as Record<SummaryCount, number>;
const WIDTH = SUMMARY_COUNTS.length;

/** Half-months per group in a row's number: far beyond any year stored (9999 × 24). */
const HALF_MONTHS = 240_000;

/**
 * Summary rows being built, by procedure. A row is found by numbers, its (unit, field, channel, procedure)
 * group's and its half-month's, rather than by a text key made for every contribution: the importer adds three or
 * four per dossier written. Its counts live in one typed array, and rows are made as objects only to be written
 * (rows(), a few thousand at a time): the importer holds up to 100,000 of them per file.
 */
export class SummaryDeltas {
  // unit → field → channel → procedure → group: four lookups of short strings cost less than making a key of them
  // for every dossier (the unit code is the resolver's own string, whose hash is kept).
  private readonly groups = new Map<string, Map<string, Map<string, Map<string, number>>>>();
  private readonly groupKeys: Array<[unit_code: string, field: string, channel: string, procedure_name: string]> = [];
  /** Row number (group × HALF_MONTHS + half-month) → the row's place. */
  private readonly places = new Map<number, number>();
  /** The row number of each place. */
  private readonly numbers: number[] = [];
  /** WIDTH counts per place, in SUMMARY_COUNTS order. */
  private counts = new Int32Array(WIDTH * 1024);

  get size(): number {
    return this.numbers.length;
  }

  /** The rows, in the order they were first added to. */
  *values(): IterableIterator<SummaryRow> {
    for (let place = 0; place < this.numbers.length; place++) yield this.rowAt(place);
  }

  /**
   * The rows in the order of a table's key, then the half-month (text compared by code unit), in slices of at
   * most `slice` rows. Written in that order, an upsert walks the key's index in step instead of at random:
   * about half the cost for the importer's summary rows, which come in the file's order. `key`: the group's
   * columns in the key's order, by their place in (unit, field, channel, procedure); dossier_half_months' by
   * default.
   */
  *sortedRows(key: readonly number[] = KEY_ORDER.byUnit, slice = 5_000): IterableIterator<SummaryRow[]> {
    const keys = this.groupKeys;
    const rank = new Float64Array(keys.length);
    const byKey = (a: number, b: number) => {
      for (const k of key) if (keys[a][k] !== keys[b][k]) return keys[a][k] < keys[b][k] ? -1 : 1;
      return 0;
    };
    Array.from(keys.keys()).sort(byKey).forEach((group, r) => (rank[group] = r));
    // Sort keys are distinct and below 2^53: each is a rank × HALF_MONTHS + half-month, kept beside its place.
    const order = new Float64Array(this.numbers.length);
    const placeOf = new Map<number, number>();
    this.numbers.forEach((number, place) => {
      const group = Math.floor(number / HALF_MONTHS);
      const sortKey = rank[group] * HALF_MONTHS + (number - group * HALF_MONTHS);
      order[place] = sortKey;
      placeOf.set(sortKey, place);
    });
    order.sort();
    for (let i = 0; i < order.length; i += slice) {
      yield Array.from(order.subarray(i, i + slice), (sortKey) => this.rowAt(placeOf.get(sortKey)!));
    }
  }

  /** The same rows summed over the procedures (procedure_name ''): the rows of dossier_half_months. */
  withoutProcedures(): SummaryDeltas {
    const out = new SummaryDeltas();
    this.numbers.forEach((number, place) => {
      const [unit_code, field, channel] = this.groupKeys[Math.floor(number / HALF_MONTHS)];
      out.addCounts(out.group(unit_code, field, channel, ''), number % HALF_MONTHS, this.counts, place * WIDTH);
    });
    return out;
  }

  group(unit_code: string, field: string, channel: string, procedure_name: string): number {
    // Owned copies of what is kept: the importer's values are cut out of large batches of text that must not
    // stay alive.
    let byField = this.groups.get(unit_code);
    if (byField === undefined) {
      byField = new Map();
      this.groups.set(ownCopy(unit_code), byField);
    }
    let byChannel = byField.get(field);
    if (byChannel === undefined) {
      byChannel = new Map();
      byField.set(ownCopy(field), byChannel);
    }
    let byProcedure = byChannel.get(channel);
    if (byProcedure === undefined) {
      byProcedure = new Map();
      byChannel.set(ownCopy(channel), byProcedure);
    }
    let group = byProcedure.get(procedure_name);
    if (group === undefined) {
      group = this.groupKeys.length;
      byProcedure.set(ownCopy(procedure_name), group);
      this.groupKeys.push([ownCopy(unit_code), ownCopy(field), ownCopy(channel), ownCopy(procedure_name)]);
    }
    return group;
  }

  /** Adds `amount` to one count (its place in SUMMARY_COUNTS) of a group's half-month. */
  add(group: number, halfMonth: number, count: number, amount: number): void {
    // The place first: finding it may grow the array.
    const at = this.place(group, halfMonth) * WIDTH + count;
    this.counts[at] += amount;
  }

  /** Adds a row's counts, SUMMARY_COUNTS.length of them from `at`, to a group's half-month. */
  addCounts(group: number, halfMonth: number, counts: ArrayLike<number>, at = 0): void {
    const into = this.place(group, halfMonth) * WIDTH;
    for (let k = 0; k < WIDTH; k++) this.counts[into + k] += counts[at + k];
  }

  private place(group: number, halfMonth: number): number {
    const number = group * HALF_MONTHS + halfMonth;
    let place = this.places.get(number);
    if (place === undefined) {
      place = this.numbers.length;
      this.numbers.push(number);
      this.places.set(number, place);
      if ((place + 1) * WIDTH > this.counts.length) {
        const grown = new Int32Array(this.counts.length * 2);
        grown.set(this.counts);
        this.counts = grown;
      }
    }
    return place;
  }

  private rowAt(place: number): SummaryRow {
    const number = this.numbers[place];
    const group = Math.floor(number / HALF_MONTHS);
    const [unit_code, field, channel, procedure_name] = this.groupKeys[group];
    const row = { unit_code, field, channel, procedure_name, half_month: halfMonthText(number - group * HALF_MONTHS) } as SummaryRow;
    const at = place * WIDTH;
    for (let k = 0; k < WIDTH; k++) row[SUMMARY_COUNTS[k]] = this.counts[at + k];
    return row;
  }
}

/**
 * The change of one written dossier (before = the stored version it replaces, if any), added into `into`: the
 * same as accumulating summaryContributions(before, −1) and (after, 1), without the intermediate objects, since
 * the importer does it for every dossier.
 */
export function addDossierChange(into: SummaryDeltas, before: SummaryDossier | undefined, after: SummaryDossier): void {
  if (before) addContributions(into, before, -1);
  addContributions(into, after, 1);
}

/** What one dossier adds to (sign 1) or takes from (sign −1) the summary, added into `into`. */
export function addContributions(into: SummaryDeltas, d: SummaryDossier, sign: 1 | -1): void {
  const group = into.group(d.unit_code, d.field ?? '', d.channel ?? '', d.procedure_name ?? '');
  contribute(d, (halfMonth, count) => into.add(group, halfMonth, COUNT_INDEX[count], sign));
}
