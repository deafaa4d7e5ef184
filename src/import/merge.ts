import type { Satisfaction } from './indicator-values.ts';
import { STATUS_RANK, STATUS_TIE_ORDER, type Status } from '../domain/statuses.ts';
import type { DossierTable } from '../db/schema.ts';

/**
 * A dossier's values as an export gives them, without the batch bookkeeping and without the classification that
 * the importer derives from them (src/domain/outcome.ts).
 */
export type DossierValues = Omit<DossierTable, 'created_batch_id' | 'updated_batch_id' | 'outcome' | 'overdue_from' | 'processing_working_days'>;

/** Which of two statuses shows more progress; the winner of a merge. */
export function moreProgressed(a: Status, b: Status): Status {
  if (STATUS_RANK[a] !== STATUS_RANK[b]) return STATUS_RANK[a] > STATUS_RANK[b] ? a : b;
  if (a === b) return a;
  const ia = STATUS_TIE_ORDER.indexOf(a);
  const ib = STATUS_TIE_ORDER.indexOf(b);
  return ia !== -1 && (ib === -1 || ia < ib) ? a : b;
}

const later = (a: string | null, b: string | null) => (a === null ? b : b === null ? a : a > b ? a : b);
const earlier = (a: string | null, b: string | null) => (a === null ? b : b === null ? a : a < b ? a : b);

/**
 * Merges a snapshot of a dossier from an export into what is stored. Progress never goes backward and an empty
 * cell never erases a value, and the result does not depend on the order the snapshots come in:
 * - the status is the most progressed one (processing < supplement requested < finished < returned/rejected/withdrawn);
 * - received is the earliest time given, and due, ended and returned the latest (a due date extended by the
 *   office, a result handed over again), except that an end date the export gave beats a returned date standing
 *   in for a missing one (a dossier finished on its due day and handed over later stays on time), and a due date
 *   an export gave beats one computed from the procedure's duration;
 * - descriptive values (unit, procedure, field, channel) come from the snapshot with more progress; an empty one
 *   never erases a value; between two equally advanced snapshots that disagree, the greater value wins.
 *   (One corner stays order-dependent: a value that only a less advanced snapshot gives, when two others
 *   disagree on progress. Exports do not change a dossier's unit or channel in practice.)
 * Returns the stored value itself when nothing changes.
 */
export function mergeDossier(stored: DossierValues, incoming: DossierValues): DossierValues {
  const status = moreProgressed(stored.status, incoming.status);
  // Which snapshot is further along; between two equally advanced ones the greater value wins, so that the
  // result is the same whichever came first.
  const lead = stored.status === incoming.status ? 'tie' : status === incoming.status ? 'incoming' : 'stored';
  const pick = <K extends 'unit_code' | 'receiving_unit' | 'procedure_code' | 'procedure_name' | 'field' | 'channel'>(key: K): DossierValues[K] => {
    const a = stored[key];
    const b = incoming[key];
    if (a === null || b === null) return (a ?? b) as DossierValues[K];
    if (lead === 'tie') return a >= b ? a : b;
    return lead === 'incoming' ? b : a;
  };
  const merged: DossierValues = {
    code: stored.code,
    unit_code: pick('unit_code'),
    receiving_unit: pick('receiving_unit'),
    procedure_code: pick('procedure_code'),
    procedure_name: pick('procedure_name'),
    field: pick('field'),
    channel: pick('channel'),
    received_at: earlier(stored.received_at, incoming.received_at)!,
    ...dueOf(stored, incoming),
    ...endOf(stored, incoming),
    returned_at: later(stored.returned_at, incoming.returned_at),
    status,
    ...mergeIndicators(stored, incoming),
  };
  return sameValues(stored, merged) ? stored : merged;
}

/** QĐ 766's yes/no columns (schema/0008): 1 yes, 0 no, null unknown. */
const FLAG_COLUMNS = ['paid_online', 'has_fee', 'digitised', 'electronic_result'] as const;
type IndicatorColumns = Pick<DossierValues, (typeof FLAG_COLUMNS)[number] | 'satisfaction'>;
/**
 * Between two ratings of one dossier, the higher here: any rating over none and over "not rated", and between two
 * ratings the worse, so that satisfactionRate never rests on the kinder of two systems' answers. A total order, so
 * the merge is the same whatever order the exports come in.
 */
const RATING_RANK: Record<Satisfaction | 'null', number> = {
  null: 0, not_rated: 1, very_satisfied: 2, satisfied: 3, neutral: 4, dissatisfied: 5,
};

/**
 * QĐ 766's optional columns (docs/index-766.md, "Re-imports and merges"), order-independent as the rest: a known
 * value wins over an unknown one (an export without the column, a blank cell); between yes and no, yes wins
 * (paid, digitised, given an electronic result or a fee once is so for good: a later export that says no is
 * one written before it happened, or a system that does not know); a rating wins over "not rated", and between
 * two ratings the worse (RATING_RANK).
 * Nothing is written for a dossier whose snapshots never said (the columns stay absent, i.e. NULL).
 */
function mergeIndicators(a: DossierValues, b: DossierValues): Partial<IndicatorColumns> {
  const out: Partial<IndicatorColumns> = {};
  for (const column of FLAG_COLUMNS) {
    const x = a[column] ?? null;
    const y = b[column] ?? null;
    const value = x === null ? y : y === null ? x : Math.max(x, y);
    if (value !== null || column in a || column in b) out[column] = value;
  }
  const x = a.satisfaction ?? null;
  const y = b.satisfaction ?? null;
  const rating = RATING_RANK[x ?? 'null'] >= RATING_RANK[y ?? 'null'] ? x : y;
  if (rating !== null || 'satisfaction' in a || 'satisfaction' in b) out.satisfaction = rating;
  return out;
}
/**
 * The due day: one an export gave over one computed from the procedure's duration (due_computed), else the
 * later one (a due day extended by the office).
 */
function dueOf(a: DossierValues, b: DossierValues): Pick<DossierValues, 'due_at' | 'due_computed'> {
  if (a.due_at === null || b.due_at === null) return a.due_at === null ? pickDue(b) : pickDue(a);
  if (a.due_computed !== b.due_computed) return pickDue(a.due_computed ? b : a);
  return pickDue(a.due_at >= b.due_at ? a : b);
}
const pickDue = (d: DossierValues) => ({ due_at: d.due_at, due_computed: d.due_at === null ? 0 : d.due_computed });

/** The end of processing: a real end date over a borrowed returned date, else the later one. */
function endOf(a: DossierValues, b: DossierValues): Pick<DossierValues, 'ended_at' | 'end_from_returned'> {
  if (a.ended_at === null || b.ended_at === null) return a.ended_at === null ? pickEnd(b) : pickEnd(a);
  if (a.end_from_returned !== b.end_from_returned) return pickEnd(a.end_from_returned ? b : a);
  return pickEnd(a.ended_at >= b.ended_at ? a : b);
}
const pickEnd = (d: DossierValues) => ({ ended_at: d.ended_at, end_from_returned: d.ended_at === null ? 0 : d.end_from_returned });

export function sameValues(a: DossierValues, b: DossierValues): boolean {
  return (
    a.unit_code === b.unit_code &&
    a.receiving_unit === b.receiving_unit &&
    a.procedure_code === b.procedure_code &&
    a.procedure_name === b.procedure_name &&
    a.field === b.field &&
    a.channel === b.channel &&
    a.received_at === b.received_at &&
    a.due_at === b.due_at &&
    a.due_computed === b.due_computed &&
    a.ended_at === b.ended_at &&
    a.end_from_returned === b.end_from_returned &&
    a.returned_at === b.returned_at &&
    a.status === b.status &&
    FLAG_COLUMNS.every((c) => (a[c] ?? null) === (b[c] ?? null)) &&
    (a.satisfaction ?? null) === (b.satisfaction ?? null)
  );
}
