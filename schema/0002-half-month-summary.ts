import { sql, type Kysely, type Migration } from 'kysely';

// The summary by half-month that statistics of half-month-aligned periods (calendar months, quarters, years,
// reporting months and years) read instead of every dossier (src/stats/summary.ts). A database that already holds
// dossiers gets its summary built here. No index on half_month: the table is small (units × fields × channels ×
// half-months), a scan of it takes well under a second even for a province over five years, and an index made no
// difference to the statistics queries.
//
// Frozen: a migration says what it did when it was written, so its columns are listed here and the summary is
// built by its own SQL, the contributions of summary rules version 1 (the version schema/0004 records). A rule
// changed later reaches this table through the rules version (src/audit/rules-version.ts), never through an
// edit here.

const COUNTS = [
  'received', 'ended_early', 'ended_on_time', 'ended_late', 'ended_rejected', 'ended_withdrawn', 'overdue_in', 'overdue_out',
];

// Per dossier, half-months as numbers (year × 24 + (month − 1) × 2 + (day ≥ 15)): r received, e ended (null while
// open), o_from the first half-month at whose end it is overdue while open (that of the due day, or the next one
// when the due day is its half-month's last day), o the outcome (early, on time, late, rejected, withdrawn,
// comparing days). Each dossier adds 1 to received at r and to its outcome at e, and, when it is overdue at the
// end of a half-month before it ends, 1 to overdue_in at max(r, o_from) and 1 to overdue_out at e.
const SUMMARY_V1 = `
select unit_code, field, channel,
  cast(h / 24 as text) || '-' || case when (h % 24) / 2 + 1 < 10 then '0' else '' end || cast((h % 24) / 2 + 1 as text)
    || '-' || cast(h % 2 + 1 as text) as half_month,
  sum(received) as received, sum(ended_early) as ended_early, sum(ended_on_time) as ended_on_time,
  sum(ended_late) as ended_late, sum(ended_rejected) as ended_rejected, sum(ended_withdrawn) as ended_withdrawn,
  sum(overdue_in) as overdue_in, sum(overdue_out) as overdue_out
from (
  with d as (
    select unit_code, coalesce(field, '') as field, coalesce(channel, '') as channel,
      (cast(substr(received_at, 1, 4) as integer) * 24 + (cast(substr(received_at, 6, 2) as integer) - 1) * 2
        + case when substr(received_at, 9, 2) >= '15' then 1 else 0 end) as r,
      case when ended_at is null then null else
        (cast(substr(ended_at, 1, 4) as integer) * 24 + (cast(substr(ended_at, 6, 2) as integer) - 1) * 2
          + case when substr(ended_at, 9, 2) >= '15' then 1 else 0 end) end as e,
      case when due_at is null then null else
        ((cast(substr(due_at, 1, 4) as integer) * 24 + (cast(substr(due_at, 6, 2) as integer) - 1) * 2
          + case when substr(due_at, 9, 2) >= '15' then 1 else 0 end)
        + case when cast(substr(due_at, 9, 2) as integer) = 14
            or cast(substr(due_at, 9, 2) as integer) = case
              when cast(substr(due_at, 6, 2) as integer) in (4, 6, 9, 11) then 30
              when cast(substr(due_at, 6, 2) as integer) = 2 then
                case when (cast(substr(due_at, 1, 4) as integer) % 4 = 0 and cast(substr(due_at, 1, 4) as integer) % 100 <> 0)
                  or cast(substr(due_at, 1, 4) as integer) % 400 = 0 then 29 else 28 end
              else 31 end
          then 1 else 0 end) end as o_from,
      case when status = 'rejected' then 'r' when status = 'withdrawn' then 'w'
        when status in ('finished', 'returned') then
          case when due_at is null then 'o'
            when substr(ended_at, 1, 10) < substr(due_at, 1, 10) then 'e'
            when substr(ended_at, 1, 10) = substr(due_at, 1, 10) then 'o' else 'l' end end as o
    from dossiers
  )
  select unit_code, field, channel, r as h, 1 as received, 0 as ended_early, 0 as ended_on_time, 0 as ended_late,
    0 as ended_rejected, 0 as ended_withdrawn, 0 as overdue_in, 0 as overdue_out
  from d
  union all
  select unit_code, field, channel, e as h, 0 as received, case when o = 'e' then 1 else 0 end as ended_early,
    case when o = 'o' then 1 else 0 end as ended_on_time, case when o = 'l' then 1 else 0 end as ended_late,
    case when o = 'r' then 1 else 0 end as ended_rejected, case when o = 'w' then 1 else 0 end as ended_withdrawn,
    0 as overdue_in, 0 as overdue_out
  from d where e is not null
  union all
  select unit_code, field, channel, case when o_from > r then o_from else r end as h, 0 as received, 0 as ended_early,
    0 as ended_on_time, 0 as ended_late, 0 as ended_rejected, 0 as ended_withdrawn, 1 as overdue_in, 0 as overdue_out
  from d where o_from is not null and (e is null or case when o_from > r then o_from else r end < e)
  union all
  select unit_code, field, channel, e as h, 0 as received, 0 as ended_early, 0 as ended_on_time, 0 as ended_late,
    0 as ended_rejected, 0 as ended_withdrawn, 0 as overdue_in, 1 as overdue_out
  from d where o_from is not null and e is not null and case when o_from > r then o_from else r end < e
) c
group by unit_code, field, channel, h`;

export const halfMonthSummary: Migration = {
  async up(db: Kysely<any>) {
    let table = db.schema
      .createTable('dossier_half_months')
      .addColumn('unit_code', 'text', (c) => c.notNull())
      .addColumn('field', 'text', (c) => c.notNull())
      .addColumn('channel', 'text', (c) => c.notNull())
      .addColumn('half_month', 'text', (c) => c.notNull());
    for (const count of COUNTS) table = table.addColumn(count, 'integer', (c) => c.notNull().defaultTo(0));
    await table.addPrimaryKeyConstraint('dossier_half_months_pk', ['unit_code', 'field', 'channel', 'half_month']).execute();
    await sql`insert into dossier_half_months (unit_code, field, channel, half_month, ${sql.raw(COUNTS.join(', '))}) ${sql.raw(SUMMARY_V1)}`.execute(db);
  },
};
