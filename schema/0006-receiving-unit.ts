import { sql, type Kysely, type Migration } from 'kysely';

// Where a dossier was received, when its export names it apart from the agency that resolves it (the province's
// or a commune's public-service centre, since 1 July 2025): the name as the export gives it. Figures stay by
// the resolving agency (dossiers.unit_code); this column groups them by where they were received.
export const receivingUnit: Migration = {
  async up(db: Kysely<any>) {
    await sql`alter table dossiers add column receiving_unit text`.execute(db);
  },
};
