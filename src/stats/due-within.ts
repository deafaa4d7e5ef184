import type { Db } from '../db/connection.ts';
import { CHANNEL_LABELS, type Channel } from '../domain/channels.ts';
import type { Day } from '../domain/dates.ts';
import type { Level } from '../domain/levels.ts';
import { formatCount } from '../domain/numbers.ts';
import { dayAfter } from '../domain/periods.ts';
import { STATUS_LABELS, type Status } from '../domain/statuses.ts';
import { vietnamCalendar, type WorkingCalendar } from '../domain/working-days.ts';
import type { DossierRow } from './dossiers.ts';
import type { FigureBuilder } from './figures.ts';
import { filterCondition, resolveFilters, unitsRelation } from './filters.ts';
import { DOSSIER_HEADERS } from './labels.ts';
import { textTable, toCsv, type RenderFormat } from './render.ts';
import type { StatsFilters } from './types.ts';

// The office's daily list (`tthc dossiers --due-within N`): the dossiers still pending at the end of a day whose
// due day falls within the next N working days, the day itself included (0 working days left: due today). A
// dossier already overdue that day is not "due within" anything: it is counted, and listed only when asked.

export interface DueWithinQuery {
  /** The day the list is for ('yyyy-MM-dd'): pending at its end. */
  asOf: Day;
  /** Working days ahead: due on or before the N-th working day after asOf. */
  workingDays: number;
  filters?: StatsFilters;
  /** Also list the dossiers overdue on asOf (due before it), first. */
  includeOverdue?: boolean;
  calendar?: WorkingCalendar;
}

/** A pending dossier and how many working days it has left: a dossier as `tthc dossiers` lists it, with its due day. */
export interface DueDossierRow extends Pick<DossierRow, 'code' | 'unitCode' | 'unitName' | 'level' | 'procedure' | 'field' | 'channel' | 'receivedAt' | 'status'> {
  dueAt: string;
  /** 1 when the due day was computed from the procedure's duration (the export gave none). */
  dueComputed: boolean;
  /** Working days after asOf up to the due day: 0 due that day, negative overdue (workingDaysLeft). */
  workingDaysLeft: number;
}

export interface DueWithinResult {
  rows: DueDossierRow[];
  /** The last day a listed dossier may be due on: the N-th working day after asOf. */
  lastDueDay: Day;
  /** Dossiers pending at the end of asOf and already overdue then (listed only with includeOverdue). */
  overdue: number;
}

/** The list, sorted by due day, then code. */
export async function listDueWithin(db: Db, query: DueWithinQuery): Promise<DueWithinResult> {
  const calendar = query.calendar ?? vietnamCalendar();
  const lastDueDay = calendar.addWorkingDays(query.asOf, query.workingDays);
  const filters = await resolveFilters(db, query.filters);
  const afterAsOf = dayAfter(query.asOf);
  // Pending at the end of asOf (the rule of pendingTotal, src/stats/figures.ts), with a due day on or before the last one.
  const base = (db as Db)
    .selectFrom('dossiers as d')
    .where('d.received_at', '<', afterAsOf)
    .where((eb) => eb.or([eb('d.ended_at', 'is', null), eb('d.ended_at', '>=', afterAsOf)]))
    .where('d.due_at', '<', dayAfter(lastDueDay))
    .where((eb) => filterCondition(eb as unknown as FigureBuilder, filters));
  // Overdue at the end of asOf: due before it (overdue_from, the day after the due day, on or before asOf).
  const overdueRow = await base.where('d.overdue_from', '<=', query.asOf).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirst();
  const listed = query.includeOverdue ? base : base.where('d.due_at', '>=', query.asOf);
  const rows = await (listed as any)
    .innerJoin(unitsRelation(db, filters.unitMap), 'u.code', 'd.unit_code')
    .select([
      'd.code', 'u.eff_code as unit_code', 'u.name as unit_name', 'u.level', 'd.procedure_name', 'd.field', 'd.channel',
      'd.received_at', 'd.due_at', 'd.due_computed', 'd.status',
    ])
    .orderBy('d.due_at')
    .orderBy('d.code')
    .execute();
  return {
    lastDueDay,
    overdue: Number(overdueRow?.n ?? 0),
    rows: rows.map((r: any): DueDossierRow => ({
      code: r.code, unitCode: r.unit_code, unitName: r.unit_name, level: r.level, procedure: r.procedure_name, field: r.field,
      channel: r.channel, receivedAt: r.received_at, dueAt: r.due_at, dueComputed: Number(r.due_computed) === 1, status: r.status,
      workingDaysLeft: calendar.workingDaysLeft(query.asOf, r.due_at.slice(0, 10)),
    })),
  };
}

const COLUMNS = [
  'code', 'unitCode', 'unitName', 'level', 'procedure', 'field', 'channel', 'receivedAt', 'dueAt', 'dueComputed', 'status', 'workingDaysLeft',
] as const;

const HEADERS: Record<(typeof COLUMNS)[number], string> = {
  ...DOSSIER_HEADERS,
  dueComputed: 'Hạn tính từ thời hạn thủ tục',
  workingDaysLeft: 'Còn (ngày làm việc)',
};

const showTime = (time: string) => `${time.slice(8, 10)}/${time.slice(5, 7)}/${time.slice(0, 4)} ${time.slice(11, 16)}`;
const showDay = (time: string) => `${time.slice(8, 10)}/${time.slice(5, 7)}/${time.slice(0, 4)}`;

/** The list as a table, CSV or JSON (the names of DueDossierRow as CSV headers). */
export function renderDueWithin(result: DueWithinResult, format: RenderFormat = 'table'): string {
  if (format === 'json') return `${JSON.stringify(result.rows, null, 2)}\n`;
  if (format === 'csv') return toCsv([...COLUMNS], result.rows as unknown as Record<string, unknown>[]);
  if (!result.rows.length) return 'Không có hồ sơ nào.\n';
  const shown = COLUMNS.filter((c) => c !== 'unitCode' && c !== 'level' && c !== 'dueComputed');
  const table = textTable<DueDossierRow>(
    shown.map((c) => ({
      header: HEADERS[c],
      cell: (row: DueDossierRow) => {
        switch (c) {
          case 'status': return STATUS_LABELS[row.status] ?? row.status;
          case 'receivedAt': return showTime(row.receivedAt);
          // A computed due day is a day, marked as such.
          case 'dueAt': return row.dueComputed ? `${showDay(row.dueAt)} (tính)` : showTime(row.dueAt);
          case 'workingDaysLeft': return row.workingDaysLeft < 0 ? `quá hạn ${-row.workingDaysLeft}` : String(row.workingDaysLeft);
          case 'channel': return row.channel ? CHANNEL_LABELS[row.channel] : '(không ghi)';
          default: return String(row[c] ?? '(không ghi)');
        }
      },
    })),
    result.rows,
  );
  const computed = result.rows.some((r) => r.dueComputed) ? '(tính): hạn tính từ thời hạn giải quyết của thủ tục theo ngày làm việc.\n' : '';
  return `${table}Tổng số: ${formatCount(result.rows.length)} hồ sơ\n${computed}`;
}
