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
