import { sql, type Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import { SUMMARY_RULES_VERSION } from '../stats/summary.ts';
import { rebuildSummary } from '../stats/summary-writer.ts';
import { reclassify } from './verify.ts';

// The summary by half-month and each dossier's classification (outcome, overdue_from) are derived data: built with
// the rules of one version of src/domain/outcome.ts and src/stats/summary.ts. A rule fixed later must reach every
// existing database, so the version they were built with is stored (tthc_meta, schema/0004) and a database opened
// by code of another version has its dossiers classified again and its summary rebuilt, once, before anything
// reads them.

const KEY = 'summary_rules';

/** The rules version the stored summary was built with; undefined when none is recorded. */
export async function storedRulesVersion(db: Kysely<Database>): Promise<number | undefined> {
  const { rows } = await sql<{ value: string }>`select value from tthc_meta where key = ${KEY}`.execute(db);
  return rows.length ? Number(rows[0].value) : undefined;
}

/**
 * Classifies the dossiers again and rebuilds the summary when they were built with other rules than the code's,
 * in one transaction that also records the new version, and says so in one line (`say`, stderr by default).
 * Returns whether it rebuilt. Two processes
 * opening the database at once rebuild it once: the version is claimed by a conditional update first, and the
 * second finds it claimed.
 */
export async function ensureSummaryRules(
  db: Kysely<Database>,
  say: (line: string) => void = (line) => process.stderr.write(`${line}\n`),
  version: number = SUMMARY_RULES_VERSION,
): Promise<boolean> {
  const stored = await storedRulesVersion(db);
  if (stored === version) return false;
  const wanted = String(version);
  const rebuilt = await db.transaction().execute(async (trx) => {
    const claimed =
      stored === undefined
        ? await sql`insert into tthc_meta (key, value) values (${KEY}, ${wanted}) on conflict (key) do nothing`.execute(trx)
        : await sql`update tthc_meta set value = ${wanted} where key = ${KEY} and value = ${String(stored)}`.execute(trx);
    if (Number(claimed.numAffectedRows ?? 0) === 0) return false;
    say(
      `tthc: bảng tổng hợp theo nửa tháng được tính theo quy tắc phiên bản ${stored ?? 'không rõ'}, ` +
        `phiên bản hiện tại là ${version}: đang tính lại từ hồ sơ…`,
    );
    await reclassify(trx);
    await rebuildSummary(trx);
    return true;
  });
  return rebuilt;
}
