import type { Db } from '../db/connection.ts';
import type { ProcedureTable } from '../db/schema.ts';
import { matchKey } from '../domain/text.ts';
import { memoizeText } from '../domain/memo.ts';

/**
 * Looks a dossier's procedure up in the catalogue, so that an export without a "Lĩnh vực" column still gets
 * the field of each dossier.
 */
export class ProcedureCatalogue {
  private constructor(
    private readonly byCode: Map<string, ProcedureTable>,
    private readonly byKey: Map<string, ProcedureTable>,
  ) {}

  static async load(db: Db): Promise<ProcedureCatalogue> {
    const rows = await db.selectFrom('procedures').selectAll().execute();
    return new ProcedureCatalogue(
      new Map(rows.map((p) => [p.code, p])),
      new Map(rows.map((p) => [p.name_key, p])),
    );
  }

  private readonly byName = memoizeText((name: string) => this.byKey.get(matchKey(name)));

  find(code?: string, name?: string): ProcedureTable | undefined {
    return (code !== undefined ? this.byCode.get(code) : undefined) ?? (name !== undefined ? this.byName(name) : undefined);
  }

  /** The row's procedure in the catalogue, by its code or else its name. */
  findOf(row: ProcedureOfRow): ProcedureTable | undefined {
    return this.find(row.procedureCode ?? undefined, row.procedureName ?? undefined);
  }
}

/** Whether the export left out any of a row's procedure code, name and field (for the catalogue to fill). */
export const lacksProcedure = (row: ProcedureOfRow): boolean => row.procedureCode === null || row.procedureName === null || row.field === null;

/**
 * A row's procedure code, name and field as the importer stores them: what the export left out (null) is its
 * procedure's in the catalogue (ProcedureCatalogue.findOf). The importer's rows and the parse's summary of them
 * (import-file.ts) both go through here, so the summary is keyed as the dossiers are stored.
 */
export function filledFromCatalogue(row: ProcedureOfRow, procedure: ProcedureTable | undefined): ProcedureOfRow {
  if (!procedure) return row;
  return {
    procedureCode: row.procedureCode ?? procedure.code,
    procedureName: row.procedureName ?? procedure.name,
    field: row.field ?? (procedure.field || null),
  };
}

/** A row's procedure and field, null where the export gives none. */
export interface ProcedureOfRow {
  procedureCode: string | null;
  procedureName: string | null;
  field: string | null;
}

/** A procedure of the catalogue, as `tthc procedures list` shows it. */
export interface ProcedureRecord {
  code: string;
  name: string;
  field: string | null;
  onlineLevel: number | null;
  level: string | null;
  /** Thời hạn giải quyết as tthc read it: "10 ngày làm việc", "5 ngày"; null when the catalogue gave none it could read. */
  duration: string | null;
}

/** The procedure catalogue, by code. */
export async function listProcedures(db: Db): Promise<ProcedureRecord[]> {
  const rows = await db
    .selectFrom('procedures')
    .select(['code', 'name', 'field', 'online_level as onlineLevel', 'level', 'duration_days', 'duration_unit'])
    .orderBy('code')
    .execute();
  return rows.map(({ duration_days, duration_unit, ...r }) => ({
    ...r,
    duration: duration_days === null ? null : `${duration_days} ${duration_unit === 'calendar' ? 'ngày' : 'ngày làm việc'}`,
  }));
}
