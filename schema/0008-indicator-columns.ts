import { sql, type Kysely, type Migration } from 'kysely';

// The optional export columns behind QĐ 766's indicators (docs/index-766.md): whether the dossier was paid
// online, had a fee or charge, was digitised, got an electronic result (1 yes, 0 no), and the citizen's rating
// (src/import/indicator-values.ts, SATISFACTIONS). NULL everywhere the export did not say: no column, or a blank
// cell. Dossiers stored before this migration have NULL, which the figures read as "không có dữ liệu", never as no.
export const indicatorColumns: Migration = {
  async up(db: Kysely<any>) {
    await sql`alter table dossiers add column paid_online integer`.execute(db);
    await sql`alter table dossiers add column has_fee integer`.execute(db);
    await sql`alter table dossiers add column digitised integer`.execute(db);
    await sql`alter table dossiers add column electronic_result integer`.execute(db);
    await sql`alter table dossiers add column satisfaction text`.execute(db);
  },
};
