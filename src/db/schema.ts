import type { Generated } from 'kysely';
import type { Channel } from '../domain/channels.ts';
import type { DurationUnit } from '../domain/due-day.ts';
import type { WallClock } from '../domain/dates.ts';
import type { Level } from '../domain/levels.ts';
import type { Outcome } from '../domain/outcome.ts';
import type { Status } from '../domain/statuses.ts';
import type { Satisfaction } from '../import/indicator-values.ts';

// Every table and column, once. Queries are type-checked against this interface; migrations in schema/
// create exactly these columns.

export interface UnitTable {
  /** Unit code from the catalogue; for a unit first met in an export, 'auto-' + its name without marks (autoUnitCode). */
  code: string;
  name: string;
  /** matchKey(name): how exports' unit names find the unit. */
  name_key: string;
  level: Level;
  parent_code: string | null;
  /** Validity period, days 'yyyy-MM-dd'; null = open-ended. */
  valid_from: string | null;
  valid_to: string | null;
  /** The unit that took over after a merger (1 July 2025 reform). */
  successor_code: string | null;
}

export interface ProcedureTable {
  code: string;
  name: string;
  name_key: string;
  field: string | null;
  /** Mức độ 2 / 3 / 4 (since Nghị định 42/2022: dịch vụ công / một phần / toàn trình). */
  online_level: number | null;
  /** The authority level that carries it out, when the catalogue says. */
  level: Level | null;
  /** Thời hạn giải quyết: a number of days, and whether they are working or calendar days (src/domain/due-day.ts). */
  duration_days: number | null;
  duration_unit: DurationUnit | null;
}

export interface DossierTable {
  code: string;
  /** The resolving agency (Cơ quan giải quyết), or the one unit an export names: the unit figures are by. */
  unit_code: string;
  /** Where the dossier was received (Nơi tiếp nhận), as the export names it, when it names it apart from the unit. */
  receiving_unit: string | null;
  procedure_code: string | null;
  procedure_name: string | null;
  field: string | null;
  channel: Channel | null;
  received_at: WallClock;
  due_at: WallClock | null;
  /** When processing ended: finished, rejected or withdrawn. */
  ended_at: WallClock | null;
  /** 1 when the export gave no end date and the returned date stands in for it: a real end date replaces it. */
  end_from_returned: number;
  returned_at: WallClock | null;
  status: Status;
  /**
   * How it ended against its due day (early, on_time, late), rejected, withdrawn, or open; and the first day
   * 'yyyy-MM-dd' at whose end it counts as overdue while open (null without a due day). Derived from status,
   * due_at and ended_at by src/domain/outcome.ts, stored at import (schema/0005).
   */
  outcome: Outcome;
  overdue_from: string | null;
  /**
   * QĐ 766's optional columns (schema/0008): paid online, has a fee or charge, digitised, electronic result (1 yes,
   * 0 no) and the citizen's rating; null where no export said. Optional in code only, so that a dossier built
   * without them (a test's, the benchmark's) is one whose exports said nothing: stored, each is NULL.
   */
  paid_online?: number | null;
  has_fee?: number | null;
  digitised?: number | null;
  electronic_result?: number | null;
  satisfaction?: Satisfaction | null;
  /** 1 when due_at was computed from the procedure's duration (the export gave none): a real due day replaces it. */
  due_computed: number;
  /** Working days from the day of receipt (not counted) to the day processing ended; null while open (schema/0009). */
  processing_working_days: number | null;
  /** The import batch that first brought the dossier, and the last one that changed it. */
  created_batch_id: number;
  updated_batch_id: number;
}

export interface ImportBatchTable {
  id: Generated<number>;
  file_name: string;
  sha256: string;
  imported_at: string;
  rows_read: number;
  new_count: number;
  updated_count: number;
  unchanged_count: number;
  rejected_count: number;
  footer_rows_skipped: number;
  /** JSON array of the personal-data headers dropped by the reader (the headers, never their values). */
  personal_columns_dropped: string;
  /** JSON array of the unit names created by this batch. */
  units_created: string;
  seconds: number;
  /** What the file was read as: csv, xlsx, xls, xls-html, ods, xlsb; null for a batch of an older tthc. */
  format: string | null;
  /** A text file's encoding (utf-8, utf-16le, windows-1258, …). */
  encoding: string | null;
  /** JSON array of the file's sheets: name, whether it was read, why not (SheetLayout). */
  sheets: string | null;
  /** JSON array of the dossier fields the file had a column for (code, receivedAt, dueAt, …). */
  fields: string | null;
}

export interface RejectedRowTable {
  id: Generated<number>;
  batch_id: number;
  /** The sheet of the row, in a file of several sheets. */
  sheet: string | null;
  row_number: number;
  /** JSON array of reasons, one per problem. */
  reasons: string;
  /** JSON object of the row's non-personal values, keyed by the file's headers. */
  row_values: string;
}

/**
 * The summary by half-month kept by the importer (src/stats/summary.ts says what a dossier adds): per unit,
 * field, channel and half-month. field and channel are '' for a dossier without one.
 */
export interface DossierHalfMonthTable {
  unit_code: string;
  field: string;
  channel: string;
  /** 'yyyy-MM-1' (days 1–14) or 'yyyy-MM-2' (the 15th to the last day); the keys sort as text. */
  half_month: string;
  received: number;
  ended_early: number;
  ended_on_time: number;
  ended_late: number;
  ended_rejected: number;
  ended_withdrawn: number;
  /** Pending dossiers that became overdue at the end of this half-month, and overdue ones that ended in it. */
  overdue_in: number;
  overdue_out: number;
}

/**
 * The summary by half-month and procedure (schema/0011): the same counts as dossier_half_months, per procedure
 * (the dossier's procedure_name, '' for none) too, for statistics grouped by procedure. Summed over the
 * procedures it is dossier_half_months.
 */
export interface DossierProcedureHalfMonthTable extends DossierHalfMonthTable {
  procedure_name: string;
}

export interface Database {
  units: UnitTable;
  procedures: ProcedureTable;
  dossiers: DossierTable;
  import_batches: ImportBatchTable;
  rejected_rows: RejectedRowTable;
  dossier_half_months: DossierHalfMonthTable;
  dossier_procedure_half_months: DossierProcedureHalfMonthTable;
}

/** The count columns of dossier_half_months (schema/0002-half-month-summary.ts); src/stats/summary.ts says what adds to each. */
export const SUMMARY_COUNT_COLUMNS = [
  'received', 'ended_early', 'ended_on_time', 'ended_late', 'ended_rejected', 'ended_withdrawn', 'overdue_in', 'overdue_out',
] as const satisfies ReadonlyArray<keyof DossierHalfMonthTable>;
