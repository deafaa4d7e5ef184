import { sql, type Kysely, type Migration } from 'kysely';

// Facts about the database itself, as key and value. 'summary_rules' is the version of the summary rules the
// summary by half-month was built with: version 1 is what every earlier tthc wrote (schema/0002 and the
// importer). When the code's version differs (src/stats/summary.ts, SUMMARY_RULES_VERSION), opening the
// database rebuilds the summary (src/audit/rules-version.ts).
export const rulesVersion: Migration = {
  async up(db: Kysely<any>) {
    await db.schema
      .createTable('tthc_meta')
      .addColumn('key', 'text', (c) => c.primaryKey())
      .addColumn('value', 'text', (c) => c.notNull())
      .execute();
    await sql`insert into tthc_meta (key, value) values ('summary_rules', '1')`.execute(db);
  },
};
