import { PostgresAdapter, sql, type Kysely, type Migration } from 'kysely';

// The summary by half-month and procedure: the counts of dossier_half_months (schema/0002) per procedure too (the
// dossier's procedure_name, '' for none), so that statistics grouped by procedure read it instead of every dossier
// (src/stats/compute-summary.ts). On the 5,000,000-dossier benchmark province it has 535,903 rows, 2.1 times those
// of dossier_half_months, which the statistics not grouped by procedure keep reading. Its key leads with the
// procedure, so that the state at a period's start (every half-month before it) grouped by procedure is read in
// that order without sorting (88 ms instead of 250 ms for the start of 2023), and on SQLite the rows are stored in
// the key's order (without rowid): with one index led by the half-month and the procedure, holding every column,
// for the half-months of a period, an import writes two copies of a row rather than four. PostgreSQL has the key
// alone: the index cost its server 1.2 s of an import of 1,000,000 rows (11.9 s against 10.7 s), while without it
// the statistics by procedure of 5,000,000 dossiers took 0.17–0.51 s against 0.12–0.49 s (docs/benchmarks.md).
//
// Frozen: the dossiers stored before this migration are summed by its own SQL, the contributions of summary rules
// version 1 read off each dossier's stored classification (outcome, overdue_from: schema/0005), as
// src/audit/summary-sql.ts writes them today. A rule changed later reaches this table through the rules version
// (src/audit/rules-version.ts), never through an edit here.

const COUNTS = ['received', 'ended_early', 'ended_on_time', 'ended_late', 'ended_rejected', 'ended_withdrawn', 'overdue_in', 'overdue_out'];
const KEY = 'procedure_name, unit_code, field, channel';

const half = (t: string) =>
  `(cast(substr(${t}, 1, 4) as integer) * 24 + (cast(substr(${t}, 6, 2) as integer) - 1) * 2 + case when substr(${t}, 9, 2) >= '15' then 1 else 0 end)`;

// Per dossier: r received, e ended (null while open), s the first half-month at whose end it is overdue while open,
// kept only when that comes before its end, o its stored outcome.
const PER_DOSSIER =
  `select *, case when o_from is not null and (e is null or (case when o_from > r then o_from else r end) < e) ` +
  `then (case when o_from > r then o_from else r end) end as s from (` +
  `select unit_code, coalesce(field, '') as field, coalesce(channel, '') as channel, coalesce(procedure_name, '') as procedure_name, ` +
  `${half('received_at')} as r, case when ended_at is null then null else ${half('ended_at')} end as e, ` +
  `case when overdue_from is null then null else ${half('overdue_from')} end as o_from, outcome as o from dossiers) d0`;

const ENDED: Record<string, string> = {
  ended_early: 'early', ended_on_time: 'on_time', ended_late: 'late', ended_rejected: 'rejected', ended_withdrawn: 'withdrawn',
};
const branch = (h: string, counts: Record<string, string>, where: string) =>
  `select ${KEY}, ${h} as h, ${COUNTS.map((c) => `${counts[c] ?? '0'} as ${c}`).join(', ')} from d${where ? ` where ${where}` : ''}`;
const ended = (condition: string) =>
  Object.fromEntries(Object.entries(ENDED).map(([count, outcome]) => [count, `case when ${condition}o = '${outcome}' then 1 else 0 end`]));

const SUMMARY_BY_PROCEDURE_V1 =
  `select ${KEY}, cast(h / 24 as text) || '-' || case when (h % 24) / 2 + 1 < 10 then '0' else '' end || ` +
  `cast((h % 24) / 2 + 1 as text) || '-' || cast(h % 2 + 1 as text) as half_month, ` +
  COUNTS.map((c) => `sum(${c}) as ${c}`).join(', ') +
  ` from (with d as materialized (${PER_DOSSIER}) ` +
  [
    branch('r', { received: '1', ...ended('e = r and '), overdue_in: 'case when s = r then 1 else 0 end' }, ''),
    branch('e', { ...ended(''), overdue_out: 'case when s is not null then 1 else 0 end' }, 'e is not null and e <> r'),
    branch('s', { overdue_in: '1' }, 's is not null and s <> r'),
  ].join(' union all ') +
  `) c group by ${KEY}, h`;

export const summaryByProcedure: Migration = {
  async up(db: Kysely<any>) {
    const sqlite = !(db.getExecutor().adapter instanceof PostgresAdapter);
    let table = db.schema
      .createTable('dossier_procedure_half_months')
      .addColumn('procedure_name', 'text', (c) => c.notNull())
      .addColumn('unit_code', 'text', (c) => c.notNull())
      .addColumn('field', 'text', (c) => c.notNull())
      .addColumn('channel', 'text', (c) => c.notNull())
      .addColumn('half_month', 'text', (c) => c.notNull());
    for (const count of COUNTS) table = table.addColumn(count, 'integer', (c) => c.notNull().defaultTo(0));
    table = table.addPrimaryKeyConstraint('dossier_procedure_half_months_pk', ['procedure_name', 'unit_code', 'field', 'channel', 'half_month']);
    // On SQLite the rows are stored in the key's order, so the key is the only copy besides the index below.
    await (sqlite ? table.modifyEnd(sql`without rowid`) : table).execute();
    await sql`insert into dossier_procedure_half_months (${sql.raw(KEY)}, half_month, ${sql.raw(COUNTS.join(', '))}) ${sql.raw(SUMMARY_BY_PROCEDURE_V1)}`.execute(db);
    if (sqlite) await sql`create index dossier_procedure_half_months_by_half_month on dossier_procedure_half_months (half_month, procedure_name,
      unit_code, channel, field, received, ended_early, ended_on_time, ended_late, ended_rejected, ended_withdrawn, overdue_in, overdue_out)`.execute(db);
  },
};
