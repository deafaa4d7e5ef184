import type { Db } from '../db/connection.ts';
import type { Level } from '../domain/levels.ts';

/** Procedures of one authority level by online level (mức độ 2 / 3 / 4; null: not stated in the catalogue). */
export interface CatalogueRow {
  level: Level | null;
  onlineLevel: number | null;
  procedures: number;
}

/** The procedure catalogue counted in the database (docs/rules.md, published table 2). */
export async function procedureCatalogue(db: Db): Promise<CatalogueRow[]> {
  const rows = await db
    .selectFrom('procedures')
    .select(['level', 'online_level'])
    .select((eb) => eb.fn.countAll<number>().as('procedures'))
    .groupBy(['level', 'online_level'])
    .execute();
  return rows.map((r) => ({ level: r.level, onlineLevel: r.online_level, procedures: Number(r.procedures) }));
}
