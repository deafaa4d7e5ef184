import { sql } from 'kysely';
import type { Db } from '../db/connection.ts';
import { formatCount } from '../domain/numbers.ts';
import type { DossierField } from '../import/types.ts';
import { relevant, type FigureBuilder } from './figures.ts';
import { filterCondition, resolveFilters } from './filters.ts';
import { periodsRelation, subPeriodsOf } from './sub-periods.ts';
import { COUNT_FIGURES, type CountFigure, type StatsQuery } from './types.ts';

// Figures that rest on exports which lacked a column the statistics need. Each import batch records the dossier
// fields its file had a column for (import_batches.fields; NULL for a batch of an older tthc, which is taken as
// unknown, not as missing). The dossiers behind a period's figures are those taking part in it; a dossier comes
// from the batch that created it and the one that last updated it, and counts here when either lacked the
// column and the dossier's value is the one the missing column would have given (no due date, no channel, …):
// a dossier whose due date a later export brought is not in doubt.

/** What a file can lack, as the statistics see it. */
export type MissingField = 'dueAt' | 'channel' | 'end' | 'endedAt' | 'status' | 'unit';

interface MissingFieldRule {
  /** The batch lacked it, given the fields it had a column for. */
  missing: (fields: ReadonlySet<DossierField>) => boolean;
  /** The sentence: which column, and which figures it makes unreliable. */
  text: string;
  /** The figures it can make wrong. */
  figures: readonly CountFigure[];
}

const ON_TIME_SPLIT: CountFigure[] = ['resolvedEarly', 'resolvedOnTime', 'resolvedLate'];
const ENDED: CountFigure[] = [...ON_TIME_SPLIT, 'resolvedRejected', 'resolvedTotal', 'withdrawn'];
const PENDING: CountFigure[] = ['carriedOver', 'pendingTotal', 'pendingOnTime', 'pendingOverdue'];

/** In the order the warnings are printed. */
export const MISSING_FIELDS: Record<MissingField, MissingFieldRule> = {
  dueAt: {
    missing: (f) => !f.has('dueAt'),
    text: 'không có cột ngày hẹn trả: không phân biệt được đúng hạn / quá hạn',
    figures: [...ON_TIME_SPLIT, 'pendingOnTime', 'pendingOverdue'],
  },
  channel: {
    missing: (f) => !f.has('channel'),
    text: 'không có cột hình thức nộp: không tách được trực tiếp / trực tuyến',
    figures: ['receivedDirect', 'receivedOnline', 'receivedPostal', 'receivedLienThong'],
  },
  end: {
    missing: (f) => !f.has('endedAt') && !f.has('returnedAt'),
    text: 'không có cột ngày kết thúc xử lý hay ngày trả kết quả: không biết hồ sơ nào đã giải quyết, hồ sơ chưa có ngày kết thúc được tính là đang giải quyết',
    figures: [...ENDED, ...PENDING],
  },
  endedAt: {
    missing: (f) => !f.has('endedAt') && f.has('returnedAt'),
    text: 'không có cột ngày kết thúc xử lý: lấy ngày trả kết quả làm ngày kết thúc, số giải quyết trước hạn / đúng hạn / quá hạn có thể lệch',
    figures: ON_TIME_SPLIT,
  },
  status: {
    missing: (f) => !f.has('status'),
    text: 'không có cột trạng thái: không tách được hồ sơ từ chối giải quyết / công dân rút, các hồ sơ đó được tính là đã giải quyết',
    figures: ENDED,
  },
  unit: {
    missing: (f) => !f.has('unit'),
    text: 'không có cột đơn vị: hồ sơ được tính cho đơn vị ghi bằng --unit khi nhập, số liệu theo đơn vị / theo cấp dựa vào đó',
    figures: COUNT_FIGURES,
  },
};

const KINDS = Object.keys(MISSING_FIELDS) as MissingField[];

/** The fields a batch lacked, from its recorded fields (import_batches.fields); none when they are unknown. */
export function missingFields(fields: readonly DossierField[] | null): MissingField[] {
  if (fields === null) return [];
  const had = new Set(fields);
  return KINDS.filter((kind) => MISSING_FIELDS[kind].missing(had));
}

export interface FieldWarning {
  field: MissingField;
  /** Dossiers of the period whose figure it puts in doubt. */
  dossiers: number;
  /** The files (batches) they came from, by name. */
  files: string[];
  /** The figures it can make wrong. */
  figures: readonly CountFigure[];
  /** One Vietnamese line. */
  text: string;
}

/**
 * The missing columns behind a query's figures, one warning per kind, in the order of MISSING_FIELDS. `figures`
 * keeps only the kinds that can change those figures (default: all). The unit column matters only when the query
 * groups or filters by level or unit. Reads the batches; reads the dossiers (once) only when some batch lacked a
 * column.
 */
export async function missingFieldWarnings(db: Db, query: StatsQuery, figures: readonly CountFigure[] = COUNT_FIGURES): Promise<FieldWarning[]> {
  const byUnit = (query.by ?? []).some((k) => k === 'level' || k === 'unit') || !!query.filters?.level?.length || !!query.filters?.unit?.length;
  const kinds = KINDS.filter((kind) => (kind !== 'unit' || byUnit) && MISSING_FIELDS[kind].figures.some((f) => figures.includes(f)));
  if (!kinds.length) return [];
  const batches = await db.selectFrom('import_batches').select(['id', 'file_name', 'fields']).where('fields', 'is not', null).execute();
  const lacking = new Map<number, { file: string; kinds: Set<MissingField> }>();
  for (const batch of batches) {
    const missing = missingFields(parseFields(batch.fields)).filter((kind) => kinds.includes(kind));
    if (missing.length) lacking.set(Number(batch.id), { file: batch.file_name, kinds: new Set(missing) });
  }
  if (!lacking.size) return [];

  const ids = [...lacking.keys()];
  const filters = await resolveFilters(db, query.filters);
  const flag = (condition: ReturnType<typeof sql>) => sql<number>`case when ${condition} then 1 else 0 end`;
  const rows = await db
    .selectFrom('dossiers as d')
    .crossJoin(periodsRelation(db, subPeriodsOf(query.period, [])).as('p'))
    .where((eb) => relevant(eb as unknown as FigureBuilder))
    .where((eb) => filterCondition(eb as unknown as FigureBuilder, filters))
    .where((eb) => eb.or([eb('d.created_batch_id', 'in', ids), eb('d.updated_batch_id', 'in', ids)]))
    .select([
      'd.created_batch_id',
      'd.updated_batch_id',
      flag(sql`d.due_at is null`).as('no_due'),
      flag(sql`d.channel is null`).as('no_channel'),
      flag(sql`d.ended_at is null`).as('no_end'),
      flag(sql`d.end_from_returned = 1`).as('from_returned'),
      flag(sql`d.status in ('finished', 'returned')`).as('finished'),
    ])
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .groupBy(['d.created_batch_id', 'd.updated_batch_id', 'no_due', 'no_channel', 'no_end', 'from_returned', 'finished'] as any)
    .execute();

  const found = new Map<MissingField, { dossiers: number; batches: Set<number> }>();
  for (const row of rows) {
    const affected: Record<MissingField, boolean> = {
      dueAt: Number(row.no_due) === 1,
      channel: Number(row.no_channel) === 1,
      end: Number(row.no_end) === 1,
      endedAt: Number(row.from_returned) === 1,
      status: Number(row.finished) === 1,
      unit: true,
    };
    for (const kind of kinds) {
      if (!affected[kind]) continue;
      const from = [Number(row.created_batch_id), Number(row.updated_batch_id)].filter((id) => lacking.get(id)?.kinds.has(kind));
      if (!from.length) continue;
      let entry = found.get(kind);
      if (!entry) found.set(kind, (entry = { dossiers: 0, batches: new Set() }));
      entry.dossiers += Number(row.n);
      for (const id of from) entry.batches.add(id);
    }
  }
  return kinds
    .filter((kind) => found.has(kind))
    .map((kind) => {
      const { dossiers, batches } = found.get(kind)!;
      const files = [...batches].sort((a, b) => a - b).map((id) => lacking.get(id)!.file);
      return { field: kind, dossiers, files, figures: MISSING_FIELDS[kind].figures, text: `${MISSING_FIELDS[kind].text} (${formatCount(dossiers)} hồ sơ trong kỳ, ${filesPhrase(files)})` };
    });
}

/** The warnings of missingFieldWarnings as lines. */
export async function figureWarnings(db: Db, query: StatsQuery, figures?: readonly CountFigure[]): Promise<string[]> {
  return (await missingFieldWarnings(db, query, figures)).map((w) => w.text);
}

function filesPhrase(files: string[]): string {
  const shown = files.slice(0, 3).join(', ');
  return files.length > 3 ? `từ tệp ${shown} và ${files.length - 3} tệp khác` : `từ tệp ${shown}`;
}

function parseFields(text: string | null): DossierField[] | null {
  if (text === null) return null;
  try {
    const parsed = JSON.parse(text);
    return Array.isArray(parsed) ? (parsed as DossierField[]) : null;
  } catch {
    return null;
  }
}
