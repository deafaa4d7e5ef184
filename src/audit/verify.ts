import { sql, type ExpressionBuilder, type Kysely } from 'kysely';
import type { Db } from '../db/connection.ts';
import { dialectOf } from '../db/dialect.ts';
import type { Database } from '../db/schema.ts';
import { classifyDossier, UnclassifiableDossierError, type DossierClassification } from '../domain/outcome.ts';
import { ENDED_STATUSES, type Status } from '../domain/statuses.ts';
import { processingWorkingDays, workingDayOrdinals } from '../domain/due-day.ts';
import { vietnamCalendar, type WorkingCalendar } from '../domain/working-days.ts';
import { FIGURE_PREDICATES, relevant, type FigureBuilder } from '../stats/figures.ts';
import { periodsRelation, subPeriodsOf } from '../stats/sub-periods.ts';
import { lastDayOfMonth } from '../stats/summary.ts';
import { SUMMARY_TABLES, type SummaryTable } from '../db/summary-store.ts';
import { FRESH_SUMMARY_COUNTS, FRESH_SUMMARY_KEYS, FRESH_SUMMARY_SELECT } from './summary-sql.ts';

// `tthc verify`: what the database stores against what its dossiers alone give.
// 1. The summaries by half-month: every row of dossier_half_months and of dossier_procedure_half_months against the
//    same table computed afresh by the database (summary-sql.ts), joined on the key, so that millions of dossiers
//    never pass through Node.
// 2. The flow identity for every unit and calendar month: carried over + received = resolved + withdrawn +
//    pending, each figure by the SQL rules of src/stats/figures.ts (those of `tthc dossiers`), not the summary's.
//    The rules are evaluated on the dossiers grouped by unit, month received, month ended and outcome, which is
//    all a month-aligned figure of the identity reads; that keeps the pass over the dossiers to one aggregate.
// 3. Dossiers that contradict themselves (an end time without an ended status, an ended status without an end
//    time, an end before the receipt): the importer never writes them, so one is a sign of a hand edit.
// 4. Each dossier's stored classification (outcome, overdue_from) against what src/domain/outcome.ts gives from
//    its own status, due and end times: the figures and the summary read the stored values, so a status edited by
//    hand, or a rule fixed since, shows here first. Checked first: the summary is recomputed from the stored
//    classification, so a wrong one shows as a classification difference, not as a summary one.
// 5. Each dossier's stored working days (processing_working_days, the figure avgProcessingDays averages) against
//    what the working-day calendar gives from its days of receipt and end (src/domain/due-day.ts).

export type SummaryCountName = (typeof FRESH_SUMMARY_COUNTS)[number];

/** One count of one summary row that differs from what the dossiers give. */
export interface SummaryDifference {
  unitCode: string;
  /** '' for dossiers without a field or channel, as the table keys them. */
  field: string;
  channel: string;
  /** Only for a row of the summary by procedure: its procedure ('' for dossiers without one). */
  procedureName?: string;
  /** 'yyyy-MM-1' (days 1–14) or 'yyyy-MM-2' (from the 15th). */
  halfMonth: string;
  figure: SummaryCountName;
  stored: number;
  recomputed: number;
}

/** A unit and month whose figures break carried over + received = resolved + withdrawn + pending. */
export interface FlowDifference {
  unitCode: string;
  /** 'yyyy-MM' */
  month: string;
  carriedOver: number;
  receivedTotal: number;
  resolvedTotal: number;
  withdrawn: number;
  pendingTotal: number;
  /** carriedOver + receivedTotal */
  inflow: number;
  /** resolvedTotal + withdrawn + pendingTotal */
  outflow: number;
}

export type DossierProblem = 'end_without_ended_status' | 'ended_status_without_end' | 'ended_before_received';

export interface InconsistentDossier {
  code: string;
  unitCode: string;
  problem: DossierProblem;
}

/** A dossier whose stored classification is not what its own columns give. */
export interface ClassificationDifference {
  code: string;
  unitCode: string;
  column: keyof DossierClassification;
  stored: string | null;
  recomputed: string | null;
}

export interface VerifyResult {
  dossiers: number;
  summaryRows: number;
  /** Unit–month pairs whose identity was checked (those with any dossier taking part). */
  unitMonths: number;
  summary: SummaryDifference[];
  flow: FlowDifference[];
  /** The first MAX_LISTED_DOSSIERS of them; inconsistentDossierCount has how many there are. */
  inconsistentDossiers: InconsistentDossier[];
  inconsistentDossierCount: number;
  /** The first MAX_LISTED_DOSSIERS of them; classificationDifferenceCount has how many there are. */
  classifications: ClassificationDifference[];
  classificationDifferenceCount: number;
  /** The first MAX_LISTED_DOSSIERS of them; workingDaysDifferenceCount has how many there are. */
  workingDays: WorkingDaysDifference[];
  workingDaysDifferenceCount: number;
  seconds: number;
}

/** A dossier whose stored working days (receipt to end) are not what the calendar gives. */
export interface WorkingDaysDifference {
  code: string;
  unitCode: string;
  stored: number | null;
  recomputed: number | null;
}

export interface VerifyOptions {
  /** The calendar the working days are counted by (--calendar); by default the shipped one. */
  calendar?: WorkingCalendar;
}

export const MAX_LISTED_DOSSIERS = 100;

export function isClean(result: VerifyResult): boolean {
  return (
    result.summary.length === 0 && result.flow.length === 0 && result.inconsistentDossierCount === 0 &&
    result.classificationDifferenceCount === 0 && result.workingDaysDifferenceCount === 0
  );
}

/** Whether --repair has something to do: stored classifications or summary rows that differ. */
export function isRepairable(result: VerifyResult): boolean {
  return result.summary.length > 0 || result.classificationDifferenceCount > 0 || result.workingDaysDifferenceCount > 0;
}

export async function verifyDatabase(db: Db, options: VerifyOptions = {}): Promise<VerifyResult> {
  const started = performance.now();
  const [counts, classifications, summary, flow, dossierProblems, workingDays] = [
    await countRows(db),
    await classificationDifferences(db),
    await summaryDifferences(db),
    await flowDifferences(db),
    await inconsistentDossiers(db),
    await workingDaysDifferences(db, options.calendar ?? vietnamCalendar()),
  ];
  return {
    ...counts,
    summary,
    unitMonths: flow.checked,
    flow: flow.differences,
    inconsistentDossiers: dossierProblems.listed,
    inconsistentDossierCount: dossierProblems.count,
    classifications: classifications.listed,
    classificationDifferenceCount: classifications.count,
    workingDays: workingDays.listed,
    workingDaysDifferenceCount: workingDays.count,
    seconds: (performance.now() - started) / 1000,
  };
}

async function countRows(db: Db): Promise<{ dossiers: number; summaryRows: number }> {
  const { rows } = await sql<{ dossiers: number; summary_rows: number }>`select (select count(*) from dossiers) as dossiers,
    (select count(*) from dossier_half_months) + (select count(*) from dossier_procedure_half_months) as summary_rows`.execute(db);
  return { dossiers: Number(rows[0].dossiers), summaryRows: Number(rows[0].summary_rows) };
}

interface ComparedRow {
  unit_code: string;
  field: string;
  channel: string;
  procedure_name?: string;
  half_month: string;
  [column: string]: string | number | undefined;
}

const keyOf = (table: SummaryTable) => [...FRESH_SUMMARY_KEYS[table], 'half_month'].join(', ');

/**
 * A table's stored rows and the fresh ones side by side (s_… stored, f_… recomputed), one row per key in either,
 * only the keys where some count differs. A key missing on one side counts as zeros there: a stored row of zeros
 * (a dossier moved away) is no difference.
 */
function comparisonSql(table: SummaryTable) {
  const key = keyOf(table);
  const stored = FRESH_SUMMARY_COUNTS.map((c) => `${c} as s_${c}, 0 as f_${c}`).join(', ');
  const fresh = FRESH_SUMMARY_COUNTS.map((c) => `0 as s_${c}, ${c} as f_${c}`).join(', ');
  const sums = FRESH_SUMMARY_COUNTS.map((c) => `sum(s_${c}) as s_${c}, sum(f_${c}) as f_${c}`).join(', ');
  const differs = FRESH_SUMMARY_COUNTS.map((c) => `sum(s_${c}) <> sum(f_${c})`).join(' or ');
  return sql.raw(
    `select ${key}, ${sums} from (` +
      `select ${key}, ${stored} from ${table} ` +
      `union all select ${key}, ${fresh} from (${FRESH_SUMMARY_SELECT[table]}) f` +
      `) x group by ${key} having ${differs} order by ${key}`,
  );
}

async function comparedRows(db: Kysely<Database>, table: SummaryTable): Promise<ComparedRow[]> {
  return (await sql<ComparedRow>`${comparisonSql(table)}`.execute(db)).rows;
}

export async function summaryDifferences(db: Db): Promise<SummaryDifference[]> {
  const out: SummaryDifference[] = [];
  for (const table of SUMMARY_TABLES) {
    for (const row of await comparedRows(db, table)) {
      for (const figure of FRESH_SUMMARY_COUNTS) {
        const stored = Number(row[`s_${figure}`]);
        const recomputed = Number(row[`f_${figure}`]);
        if (stored === recomputed) continue;
        out.push({
          unitCode: row.unit_code, field: row.field, channel: row.channel,
          ...(table === 'dossier_procedure_half_months' ? { procedureName: row.procedure_name! } : {}),
          halfMonth: row.half_month, figure, stored, recomputed,
        });
      }
    }
  }
  return out;
}

const FLOW_FIGURES = ['carriedOver', 'receivedTotal', 'resolvedTotal', 'withdrawn', 'pendingTotal'] as const;

async function flowDifferences(db: Db): Promise<{ checked: number; differences: FlowDifference[] }> {
  const span = await sql<{ first: string | null; last_received: string | null; last_ended: string | null }>`select
    min(received_at) as first, max(received_at) as last_received, max(ended_at) as last_ended from dossiers`.execute(db);
  const { first, last_received, last_ended } = span.rows[0];
  if (first === null || last_received === null) return { checked: 0, differences: [] };
  const last = last_ended !== null && last_ended > last_received ? last_ended : last_received;
  // Whole calendar months: the grouped dossiers below stand on the first day of their months.
  const months = subPeriodsOf({ from: `${first.slice(0, 7)}-01`, to: lastDayOfMonth(last.slice(0, 7)) }, ['month']);

  // The dossiers as (unit, month received, month ended, outcome, how many), each month written as its first day:
  // against calendar months, every day of a month compares alike, so the rules give the figures of the dossiers.
  const grouped = db
    .selectFrom('dossiers')
    .select([
      'unit_code',
      'outcome',
      sql<string>`substr(received_at, 1, 7) || '-01'`.as('received_at'),
      sql<string | null>`substr(ended_at, 1, 7) || '-01'`.as('ended_at'),
      (eb) => eb.fn.countAll<number>().as('n'),
    ])
    .groupBy(['unit_code', 'outcome', sql`substr(received_at, 1, 7)`, sql`substr(ended_at, 1, 7)`]);

  const rows = (await (db as Kysely<any>)
    .selectFrom(grouped.as('d'))
    .crossJoin(periodsRelation(db, months).as('p'))
    .where((eb: any) => relevant(eb as FigureBuilder))
    .select(['p.from', 'd.unit_code'])
    .select((eb: any) => FLOW_FIGURES.map((f) => eb.fn.sum('d.n').filterWhere(FIGURE_PREDICATES[f](eb as FigureBuilder)).as(f)))
    .groupBy(['p.from', 'd.unit_code'])
    .orderBy('d.unit_code')
    .orderBy('p.from')
    .execute()) as Array<Record<string, unknown>>;

  const differences: FlowDifference[] = [];
  for (const row of rows) {
    const [carriedOver, receivedTotal, resolvedTotal, withdrawn, pendingTotal] = FLOW_FIGURES.map((f) => Number(row[f] ?? 0));
    const inflow = carriedOver + receivedTotal;
    const outflow = resolvedTotal + withdrawn + pendingTotal;
    if (inflow !== outflow) {
      differences.push({
        unitCode: String(row.unit_code), month: String(row.from).slice(0, 7),
        carriedOver, receivedTotal, resolvedTotal, withdrawn, pendingTotal, inflow, outflow,
      });
    }
  }
  return { checked: rows.length, differences };
}

async function inconsistentDossiers(db: Db): Promise<{ count: number; listed: InconsistentDossier[] }> {
  const ended = sql.join(ENDED_STATUSES.map((s) => sql.lit(s)));
  const problem = sql<DossierProblem | null>`case
    when ended_at is not null and status not in (${ended}) then 'end_without_ended_status'
    when ended_at is null and status in (${ended}) then 'ended_status_without_end'
    when ended_at is not null and ended_at < received_at then 'ended_before_received' end`;
  const where = sql`(ended_at is not null) <> (status in (${ended})) or ended_at < received_at`;
  const count = await sql<{ n: number }>`select count(*) as n from dossiers where ${where}`.execute(db);
  const n = Number(count.rows[0].n);
  if (n === 0) return { count: 0, listed: [] };
  const listed = await sql<{ code: string; unit_code: string; problem: DossierProblem }>`select code, unit_code, ${problem} as problem
    from dossiers where ${where} order by code limit ${sql.lit(MAX_LISTED_DOSSIERS)}`.execute(db);
  return { count: n, listed: listed.rows.map((r) => ({ code: r.code, unitCode: r.unit_code, problem: r.problem })) };
}

/**
 * Dossiers alike for the classification: the same status, due day and end day, and the same stored classification.
 * classifyDossier compares days only (src/domain/outcome.ts), so one call per group recomputes every dossier of
 * it, and the database hands Node thousands of groups rather than millions of dossiers.
 */
interface ClassifiedGroup {
  status: Status;
  due_day: string | null;
  ended_day: string | null;
  outcome: DossierClassification['outcome'] | null;
  overdue_from: string | null;
  n: number;
}

/** The groups whose stored classification is not what classifyDossier gives, with the recomputed one. */
async function misclassifiedGroups(db: Kysely<Database>): Promise<Array<ClassifiedGroup & { recomputed: DossierClassification }>> {
  const dueDay = sql<string | null>`substr(due_at, 1, 10)`;
  const endedDay = sql<string | null>`substr(ended_at, 1, 10)`;
  const groups = (await db
    .selectFrom('dossiers')
    .select(['status', dueDay.as('due_day'), endedDay.as('ended_day'), 'outcome', 'overdue_from'])
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .groupBy(['status', dueDay, endedDay, 'outcome', 'overdue_from'])
    .execute()) as ClassifiedGroup[];
  const out: Array<ClassifiedGroup & { recomputed: DossierClassification }> = [];
  for (const group of groups) {
    const recomputed = recomputedClassification({ status: group.status, due_at: group.due_day, ended_at: group.ended_day });
    if (recomputed && (recomputed.outcome !== group.outcome || recomputed.overdue_from !== group.overdue_from)) {
      out.push({ ...group, n: Number(group.n), recomputed });
    }
  }
  return out;
}

/** The dossiers of one group. */
function inGroup(eb: ExpressionBuilder<Database, 'dossiers'>, g: ClassifiedGroup) {
  const same = (column: 'outcome' | 'overdue_from', value: string | null) =>
    value === null ? eb(column, 'is', null) : eb(column, '=', value as never);
  return eb.and([
    eb('status', '=', g.status),
    g.due_day === null ? eb('due_at', 'is', null) : eb(sql`substr(due_at, 1, 10)`, '=', g.due_day),
    g.ended_day === null ? eb('ended_at', 'is', null) : eb(sql`substr(ended_at, 1, 10)`, '=', g.ended_day),
    same('outcome', g.outcome),
    same('overdue_from', g.overdue_from),
  ]);
}

/**
 * The dossiers whose stored classification differs from classifyDossier of their own columns: how many
 * differences (a dossier with both columns wrong counts two), and the first `limit` of them in code order. A
 * dossier whose status says it ended with a result but that has no end time cannot be classified and is left
 * out: it is listed among the inconsistent dossiers.
 */
export async function classificationDifferences(
  db: Kysely<Database>,
  limit = MAX_LISTED_DOSSIERS,
): Promise<{ count: number; listed: ClassificationDifference[] }> {
  const groups = await misclassifiedGroups(db);
  let count = 0;
  const listed: ClassificationDifference[] = [];
  for (const g of groups) {
    const columns = (['outcome', 'overdue_from'] as const).filter((c) => g[c] !== g.recomputed[c]);
    count += g.n * columns.length;
    const dossiers = await db.selectFrom('dossiers').select(['code', 'unit_code']).where((eb) => inGroup(eb, g)).orderBy('code').limit(limit).execute();
    for (const d of dossiers) {
      for (const column of columns) listed.push({ code: d.code, unitCode: d.unit_code, column, stored: g[column], recomputed: g.recomputed[column] });
    }
  }
  listed.sort((a, b) => (a.code < b.code ? -1 : a.code > b.code ? 1 : a.column < b.column ? -1 : 1));
  return { count, listed: listed.slice(0, limit) };
}

function recomputedClassification(row: { status: Status; due_at: string | null; ended_at: string | null }): DossierClassification | undefined {
  try {
    return classifyDossier(row);
  } catch (error) {
    if (error instanceof UnclassifiableDossierError) return undefined;
    throw error;
  }
}

/** Writes the recomputed classification of every misclassified dossier, one statement per group; returns how many dossiers. */
export async function reclassify(db: Kysely<Database>): Promise<number> {
  let n = 0;
  for (const g of await misclassifiedGroups(db)) {
    await db.updateTable('dossiers').set(g.recomputed).where((eb) => inGroup(eb, g)).execute();
    n += g.n;
  }
  return n;
}

/**
 * Dossiers alike for their working days: the same day of receipt and of end, and the same stored count; one count
 * per group recomputes every dossier of it.
 */
interface WorkingDaysGroup {
  received_day: string;
  ended_day: string | null;
  processing_working_days: number | null;
  n: number;
  recomputed: number | null;
}

const receivedDay = sql<string>`substr(received_at, 1, 10)`;
const endedDay = sql<string | null>`substr(ended_at, 1, 10)`;

async function miscountedGroups(db: Kysely<Database>, calendar: WorkingCalendar): Promise<WorkingDaysGroup[]> {
  const groups = await db
    .selectFrom('dossiers')
    .where((eb) => eb.or([eb('ended_at', 'is not', null), eb('processing_working_days', 'is not', null)]))
    .select([receivedDay.as('received_day'), endedDay.as('ended_day'), 'processing_working_days'])
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .groupBy([receivedDay, endedDay, 'processing_working_days'])
    .execute();
  const out: WorkingDaysGroup[] = [];
  for (const g of groups) {
    const recomputed = processingWorkingDays(g.received_day, g.ended_day, calendar);
    const stored = g.processing_working_days === null ? null : Number(g.processing_working_days);
    if (recomputed !== stored) out.push({ ...g, processing_working_days: stored, n: Number(g.n), recomputed });
  }
  return out;
}

function inWorkingDaysGroup(eb: ExpressionBuilder<Database, 'dossiers'>, g: WorkingDaysGroup) {
  return eb.and([
    eb(receivedDay, '=', g.received_day),
    g.ended_day === null ? eb('ended_at', 'is', null) : eb(endedDay, '=', g.ended_day),
    g.processing_working_days === null ? eb('processing_working_days', 'is', null) : eb('processing_working_days', '=', g.processing_working_days),
  ]);
}

/** The dossiers whose stored working days differ from the calendar's count: how many, and the first `limit` by code. */
export async function workingDaysDifferences(
  db: Kysely<Database>,
  calendar: WorkingCalendar,
  limit = MAX_LISTED_DOSSIERS,
): Promise<{ count: number; listed: WorkingDaysDifference[] }> {
  let count = 0;
  const listed: WorkingDaysDifference[] = [];
  for (const g of await miscountedGroups(db, calendar)) {
    count += g.n;
    // Each group's dossiers are a scan of the table: after a calendar change there can be thousands of groups, so
    // the list stops at `limit` dossiers (those of the first groups), and the count stays whole.
    if (listed.length >= limit) continue;
    const dossiers = await db.selectFrom('dossiers').select(['code', 'unit_code']).where((eb) => inWorkingDaysGroup(eb, g)).orderBy('code').limit(limit).execute();
    for (const d of dossiers) listed.push({ code: d.code, unitCode: d.unit_code, stored: g.processing_working_days, recomputed: g.recomputed });
  }
  listed.sort((a, b) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0));
  return { count, listed: listed.slice(0, limit) };
}

/** Writes the calendar's count of working days on every dossier whose stored one differs; returns how many dossiers. */
export async function recountWorkingDays(db: Kysely<Database>, calendar: WorkingCalendar): Promise<number> {
  const groups = await miscountedGroups(db, calendar);
  if (groups.length > RECOUNT_GROUP_BY_GROUP) {
    await recountFromDayTable(db, calendar);
    return groups.reduce((n, g) => n + g.n, 0);
  }
  let n = 0;
  for (const g of groups) {
    await db.updateTable('dossiers').set({ processing_working_days: g.recomputed }).where((eb) => inWorkingDaysGroup(eb, g)).execute();
    n += g.n;
  }
  return n;
}

/** Above this many groups of differing dossiers, one UPDATE over a table of days beats one scan per group. */
const RECOUNT_GROUP_BY_GROUP = 50;

/**
 * Every ended dossier's working days as the difference of two days' running counts (workingDayOrdinals), read from
 * a temporary table of the days between the first receipt and the last end; open dossiers get none. Must run in a
 * transaction: on PostgreSQL the temporary table is the connection's.
 */
async function recountFromDayTable(db: Kysely<Database>, calendar: WorkingCalendar): Promise<void> {
  const span = await db.selectFrom('dossiers').where('ended_at', 'is not', null)
    .select((eb) => [eb.fn.min('received_at').as('first'), eb.fn.max('ended_at').as('last')]).executeTakeFirst();
  await sql`update dossiers set processing_working_days = null where ended_at is null and processing_working_days is not null`.execute(db);
  if (!span?.first || !span.last) return;
  await sql`create temporary table recount_days (day text primary key, ordinal integer)`.execute(db);
  const rows = workingDayOrdinals(calendar, String(span.first).slice(0, 10), String(span.last).slice(0, 10));
  for (let i = 0; i < rows.length; i += 400) {
    await sql`insert into recount_days (day, ordinal) values ${sql.join(rows.slice(i, i + 400).map((r) => sql`(${r.day}, ${r.ordinal})`))}`.execute(db);
  }
  await sql`
    update dossiers set processing_working_days =
      (select e.ordinal from recount_days e where e.day = substr(dossiers.ended_at, 1, 10)) -
      (select r.ordinal from recount_days r where r.day = substr(dossiers.received_at, 1, 10))
    where ended_at is not null`.execute(db);
  await sql`drop table recount_days`.execute(db);
}

/** Above this many differing rows, repair replaces the whole table: one statement beats thousands. */
const REPAIR_ROW_BY_ROW = 2_000;

export interface RepairResult {
  /** Dossiers whose stored classification was written again. */
  dossiersReclassified: number;
  /** Dossiers whose working days were counted again. */
  dossiersRecounted: number;
  /** Summary rows rewritten (or, when the whole table was replaced, the rows it now has). */
  rowsRewritten: number;
  wholeTable: boolean;
}

/**
 * Makes the stored classifications and summary what the dossiers give, in one transaction: the dossiers whose
 * classification differs are classified again, then the differing summary rows are compared again inside it (an
 * import may have run since the verify) and rewritten, or the whole table is replaced when many differ. Imports
 * wait for it: on PostgreSQL the tables are locked against writers, on SQLite the transaction takes the write
 * lock before it reads.
 */
export async function repairSummary(db: Db, options: { rowByRowLimit?: number; calendar?: WorkingCalendar } = {}): Promise<RepairResult> {
  const limit = options.rowByRowLimit ?? REPAIR_ROW_BY_ROW;
  return db.transaction().execute(async (trx) => {
    if (dialectOf(db) === 'postgres') {
      await sql`lock table dossiers, dossier_half_months, dossier_procedure_half_months in share row exclusive mode`.execute(trx);
    } else {
      await sql`delete from dossier_half_months where 0 = 1`.execute(trx);
    }
    const dossiersReclassified = await reclassify(trx);
    const dossiersRecounted = await recountWorkingDays(trx, options.calendar ?? vietnamCalendar());
    let rowsRewritten = 0;
    let wholeTable = false;
    for (const table of SUMMARY_TABLES) {
      const rows = await comparedRows(trx, table);
      const columns = FRESH_SUMMARY_KEYS[table];
      if (rows.length > limit) {
        await (trx as Kysely<any>).deleteFrom(table).execute();
        const inserted = await sql`insert into ${sql.table(table)} (${sql.raw(keyOf(table))}, ${sql.raw(FRESH_SUMMARY_COUNTS.join(', '))}) ${sql.raw(FRESH_SUMMARY_SELECT[table])}`.execute(trx);
        rowsRewritten += Number(inserted.numAffectedRows ?? 0);
        wholeTable = true;
        continue;
      }
      for (const row of rows) {
        let remove = (trx as Kysely<any>).deleteFrom(table).where('half_month', '=', row.half_month);
        for (const column of columns) remove = remove.where(column, '=', row[column]);
        await remove.execute();
        const fresh = Object.fromEntries(FRESH_SUMMARY_COUNTS.map((c) => [c, Number(row[`f_${c}`])]));
        if (FRESH_SUMMARY_COUNTS.some((c) => fresh[c] !== 0)) {
          const key = Object.fromEntries([...columns, 'half_month'].map((c) => [c, row[c]]));
          await (trx as Kysely<any>).insertInto(table).values({ ...key, ...fresh }).execute();
        }
      }
      rowsRewritten += rows.length;
    }
    return { dossiersReclassified, dossiersRecounted, rowsRewritten, wholeTable };
  });
}
