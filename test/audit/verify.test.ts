import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { sql } from 'kysely';
import { expect, it } from 'vitest';
import { ensureSummaryRules, storedRulesVersion } from '../../src/audit/rules-version.ts';
import { isClean, repairSummary, verifyDatabase, type VerifyResult } from '../../src/audit/verify.ts';
import { openDatabase, type Db } from '../../src/db/connection.ts';
import { DEFAULT_SEED, generateDataset, writeDemoFiles } from '../../src/demo/index.ts';
import { importFiles, importProcedures, importUnits } from '../../src/import/index.ts';
import { SUMMARY_COUNTS, SUMMARY_RULES_VERSION } from '../../src/stats/summary.ts';
import { rebuildSummary } from '../../src/stats/summary-writer.ts';
import { halfMonthSummary } from '../../schema/0002-half-month-summary.ts';
import { describeEachDatabase } from '../helpers/databases.ts';
import { exportCsv, prng, type ExportRow } from '../stats/fixtures.ts';

// `tthc verify` after every kind of import passes, and after a hand edit of a dossier or of the summary fails with
// exactly the differences the edit made, which --repair then removes.

const UNITS = ['UBND huyện Hạ Hoà', 'UBND xã Hiền Lương', 'UBND xã An Một', 'UBND thị trấn Hạ Hoà'];
const FIELDS = ['Hộ tịch', 'Đất đai', 'Chứng thực', 'Bảo hiểm xã hội', ''];
const CHANNELS = ['Trực tiếp', 'Trực tuyến', 'Bưu chính', 'Liên thông', ''];
const ENDED = ['Đã trả kết quả', 'Đã xử lý xong', 'Từ chối', 'Công dân rút hồ sơ'];
const DAY = 86_400_000;
const START = Date.UTC(2021, 10, 1);

const pick = <T>(r: () => number, items: readonly T[]) => items[Math.floor(r() * items.length)];
const pad = (n: number) => String(n).padStart(2, '0');
const exportTime = (ms: number) => {
  const d = new Date(ms);
  return `${pad(d.getUTCDate())}/${pad(d.getUTCMonth() + 1)}/${d.getUTCFullYear()} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}`;
};
/** A day near the start, often on the edges of half-months (1st, 14th, 15th, last). */
function someDay(r: () => number, from: number, span: number): number {
  const d = new Date(from + Math.floor(r() * span) * DAY);
  const edge = r();
  if (edge < 0.15) return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 14, 17);
  if (edge < 0.3) return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 0, 9);
  if (edge < 0.4) return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 15, 8);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate(), 7 + Math.floor(r() * 10), Math.floor(r() * 60));
}

/** Random dossiers as an early snapshot (still open, other due days and descriptions) and the final one. */
function snapshots(seed: number, count: number): { early: ExportRow[]; final: ExportRow[] } {
  const r = prng(seed);
  const early: ExportRow[] = [];
  const final: ExportRow[] = [];
  for (let i = 0; i < count; i++) {
    const received = someDay(r, START, 400);
    const due = r() < 0.1 ? undefined : someDay(r, received - 3 * DAY, 60);
    const open = r() < 0.3;
    const ended = open ? undefined : Math.max(received + 3_600_000, someDay(r, received, 70));
    const row: ExportRow = {
      code: `V${seed}-${i}`, unit: pick(r, UNITS), field: pick(r, FIELDS), channel: pick(r, CHANNELS),
      received: exportTime(received), due: due === undefined ? undefined : exportTime(due),
      ended: ended === undefined ? undefined : exportTime(ended), status: open ? pick(r, ['Đang xử lý', 'Yêu cầu bổ sung']) : pick(r, ENDED),
    };
    final.push(row);
    if (r() < 0.7) {
      early.push({
        ...row, ended: undefined, status: 'Đang xử lý',
        field: row.status !== 'Đang xử lý' && r() < 0.3 ? pick(r, FIELDS) : row.field,
        due: due !== undefined && r() < 0.3 ? exportTime(due - Math.floor(r() * 20) * DAY) : row.due,
      });
    }
  }
  return { early, final };
}

let files = 0;
async function importRows(db: Db, dir: string, rows: ExportRow[]): Promise<void> {
  const file = join(dir, `snapshot-${++files}.csv`);
  writeFileSync(file, exportCsv(rows));
  const [summary] = await importFiles(db, [file]);
  expect(summary.rejectedByReason).toEqual({});
}

function expectClean(result: VerifyResult, dossiers: number) {
  expect(result.summary).toEqual([]);
  expect(result.flow).toEqual([]);
  expect(result.inconsistentDossiers).toEqual([]);
  expect(isClean(result)).toBe(true);
  expect(result.dossiers).toBe(dossiers);
  expect(result.unitMonths).toBeGreaterThan(0);
}

describeEachDatabase('tthc verify', (t) => {
  it('passes after a plain import and after re-imports of changed snapshots, in either order', async () => {
    const { early, final } = snapshots(3, 600);
    const dir = t.tempDir();
    const forward = await t.open();
    await importRows(forward, dir, early);
    expectClean(await verifyDatabase(forward), early.length);
    await importRows(forward, dir, final);
    const result = await verifyDatabase(forward);
    expectClean(result, final.length);
    // The comparison covered the rows of every count, not an empty table.
    const totals = await forward
      .selectFrom('dossier_half_months')
      .select(SUMMARY_COUNTS.map((c) => sql<number>`sum(${sql.ref(c)})`.as(c)))
      .executeTakeFirstOrThrow();
    for (const c of SUMMARY_COUNTS) expect(Number(totals[c]), c).toBeGreaterThan(0);
    expect(Number(totals.received)).toBe(final.length);

    const backward = await t.open();
    await importRows(backward, dir, final);
    await importRows(backward, dir, early);
    expectClean(await verifyDatabase(backward), final.length);
  });

  it('passes after an import of the demo data (catalogues, district and commune exports)', async () => {
    const dataset = generateDataset(DEFAULT_SEED);
    // The dossiers received from December 2022 on: both levels, every channel and outcome, dossiers still open.
    const part = { ...dataset, dossiers: dataset.dossiers.filter((d) => d.receivedAt >= '2022-12-01'), province: [] };
    const files = await writeDemoFiles(part, t.tempDir(), DEFAULT_SEED);
    const db = await t.open();
    await importUnits(db, files.unitCatalogue);
    await importProcedures(db, files.procedureCatalogue);
    await importFiles(db, [files.exportsDir], { strict: true });
    expectClean(await verifyDatabase(db), part.dossiers.length);
    expect(part.dossiers.length).toBeGreaterThan(10_000);
  }, 120_000);

  it('fails on a dossier or a summary row changed by hand, with exactly the differences made, and --repair fixes the summary', async () => {
    const db = await t.open();
    const dir = t.tempDir();
    await importRows(db, dir, [
      // Returned on its due day: on time in the second half of May 2022.
      { code: 'A-1', unit: 'UBND xã An Một', field: 'Hộ tịch', channel: 'Trực tiếp', received: '03/05/2022 08:00', due: '20/05/2022 17:00', ended: '20/05/2022 10:00', status: 'Đã trả kết quả' },
      { code: 'A-2', unit: 'UBND xã An Một', field: 'Hộ tịch', channel: 'Trực tiếp', received: '04/05/2022 08:00', due: '20/05/2022 17:00', ended: '06/05/2022 10:00', status: 'Đã trả kết quả' },
      { code: 'A-3', unit: 'UBND xã An Một', field: 'Đất đai', channel: 'Trực tuyến', received: '10/06/2022 08:00', due: '30/06/2022 17:00' },
    ]);
    expectClean(await verifyDatabase(db), 3);
    const unit = (await db.selectFrom('units').select('code').where('name', '=', 'UBND xã An Một').executeTakeFirstOrThrow()).code;

    // A status changed by hand: A-1 rejected instead of returned. Its stored outcome still says on time.
    await db.updateTable('dossiers').set({ status: 'rejected' }).where('code', '=', 'A-1').execute();
    // A count changed by hand: one more received in the first half of June.
    await db.updateTable('dossier_half_months').set((eb) => ({ received: eb('received', '+', 1) }))
      .where('unit_code', '=', unit).where('half_month', '=', '2022-06-1').execute();
    let result = await verifyDatabase(db);
    expect(result.classifications).toEqual([{ code: 'A-1', unitCode: unit, column: 'outcome', stored: 'on_time', recomputed: 'rejected' }]);
    expect(result.classificationDifferenceCount).toBe(1);
    expect(result.summary).toEqual([
      { unitCode: unit, field: 'Đất đai', channel: 'truc_tuyen', halfMonth: '2022-06-1', figure: 'received', stored: 2, recomputed: 1 },
    ]);
    expect(result.flow).toEqual([]);
    expect(isClean(result)).toBe(false);

    // Repair classifies A-1 again, and the summaries follow: on time becomes rejected in the second half of May, in
    // both tables (the summary by procedure too), and the count changed by hand is put back.
    expect(await repairSummary(db)).toEqual({ dossiersReclassified: 1, dossiersRecounted: 0, rowsRewritten: 3, wholeTable: false });
    expectClean(await verifyDatabase(db), 3);
    const may = await db.selectFrom('dossier_half_months').select(['ended_on_time', 'ended_rejected'])
      .where('unit_code', '=', unit).where('half_month', '=', '2022-05-2').executeTakeFirstOrThrow();
    expect(may).toEqual({ ended_on_time: 0, ended_rejected: 1 });

    // An outcome changed by hand, the dossier's own columns untouched: verify fails on it alone.
    await db.updateTable('dossiers').set({ outcome: 'early', overdue_from: '2022-05-20' }).where('code', '=', 'A-3').execute();
    result = await verifyDatabase(db);
    expect(result.classifications).toEqual([
      { code: 'A-3', unitCode: unit, column: 'outcome', stored: 'early', recomputed: 'open' },
      { code: 'A-3', unitCode: unit, column: 'overdue_from', stored: '2022-05-20', recomputed: '2022-07-01' },
    ]);
    expect(isClean(result)).toBe(false);
    expect((await repairSummary(db)).dossiersReclassified).toBe(1);
    expectClean(await verifyDatabase(db), 3);

    // An end time left on a dossier set back to processing: its stored outcome (early) no longer follows from it,
    // and the dossier is named.
    await db.updateTable('dossiers').set({ status: 'processing' }).where('code', '=', 'A-2').execute();
    result = await verifyDatabase(db);
    expect(result.classifications).toEqual([{ code: 'A-2', unitCode: unit, column: 'outcome', stored: 'early', recomputed: 'open' }]);
    expect(result.inconsistentDossiers).toEqual([{ code: 'A-2', unitCode: unit, problem: 'end_without_ended_status' }]);
    expect(result.inconsistentDossierCount).toBe(1);
    expect(result.summary).toEqual([]);
    // Classified again as open, its early end leaves the summary and the month no longer balances.
    await repairSummary(db);
    result = await verifyDatabase(db);
    expect(result.classifications).toEqual([]);
    expect(result.summary).toEqual([]);
    expect(result.flow).toEqual([
      {
        unitCode: unit, month: '2022-05', carriedOver: 0, receivedTotal: 2, resolvedTotal: 1, withdrawn: 0, pendingTotal: 0,
        inflow: 2, outflow: 1,
      },
    ]);
  });

  it('repairs a summary that is wrong everywhere by replacing the table in one statement', async () => {
    const db = await t.open();
    const { final } = snapshots(5, 1500);
    await importRows(db, t.tempDir(), final);
    const kept = await summaryRows(db);
    const stored = (await db.selectFrom('dossier_half_months').select('unit_code').execute()).length;
    await db.updateTable('dossier_half_months').set((eb) => ({ received: eb('received', '+', 1) })).execute();
    const broken = await verifyDatabase(db);
    expect(broken.summary.length).toBe(stored);
    expect(broken.summary.every((d) => d.figure === 'received' && d.stored === d.recomputed + 1)).toBe(true);
    expect(await repairSummary(db, { rowByRowLimit: 100 })).toEqual({ dossiersReclassified: 0, dossiersRecounted: 0, rowsRewritten: kept.length, wholeTable: true });
    expectClean(await verifyDatabase(db), final.length);
    expect(await summaryRows(db)).toEqual(kept);
  });

  it('builds the summary in the frozen migration 0002 as the importer keeps it', async () => {
    const db = await t.open();
    const { early, final } = snapshots(9, 800);
    const dir = t.tempDir();
    await importRows(db, dir, early);
    await importRows(db, dir, final);
    const kept = await summaryRows(db);
    await db.schema.dropTable('dossier_half_months').execute();
    await halfMonthSummary.up(db);
    expect(await summaryRows(db)).toEqual(kept);
    await rebuildSummary(db);
    expect(await summaryRows(db)).toEqual(kept);
    expect(kept.length).toBeGreaterThan(100);
  });

  it('rebuilds the summary on open when it was built with other rules, saying so once', async () => {
    const target = await t.newTarget();
    let db = await openDatabase(target);
    await importRows(db, t.tempDir(), snapshots(13, 300).final);
    expect(await storedRulesVersion(db)).toBe(SUMMARY_RULES_VERSION);
    // As an older tthc would have left it: a summary and classifications built by other rules, recorded as version 0.
    await db.updateTable('dossier_half_months').set({ ended_late: 0 }).execute();
    const late = await db.updateTable('dossiers').set({ outcome: 'on_time' }).where('outcome', '=', 'late').executeTakeFirst();
    expect(Number(late.numUpdatedRows)).toBeGreaterThan(10);
    await sql`update tthc_meta set value = '0' where key = 'summary_rules'`.execute(db);
    expect(isClean(await verifyDatabase(db))).toBe(false);
    await db.destroy();

    const said: string[] = [];
    const write = process.stderr.write;
    process.stderr.write = ((chunk: string) => said.push(String(chunk)) > 0) as typeof process.stderr.write;
    try {
      db = await openDatabase(target);
    } finally {
      process.stderr.write = write;
    }
    try {
      expect(said).toEqual([
        `tthc: bảng tổng hợp theo nửa tháng được tính theo quy tắc phiên bản 0, phiên bản hiện tại là ${SUMMARY_RULES_VERSION}: đang tính lại từ hồ sơ…\n`,
      ]);
      expect(await storedRulesVersion(db)).toBe(SUMMARY_RULES_VERSION);
      expectClean(await verifyDatabase(db), 300);
      // Opened again, or asked again, nothing more is done.
      const again: string[] = [];
      expect(await ensureSummaryRules(db, (line) => again.push(line))).toBe(false);
      expect(again).toEqual([]);
    } finally {
      await db.destroy();
    }
  });
});

async function summaryRows(db: Db) {
  return (
    await db.selectFrom('dossier_half_months').selectAll()
      .orderBy('unit_code').orderBy('field').orderBy('channel').orderBy('half_month').execute()
  ).filter((row) => SUMMARY_COUNTS.some((c) => row[c] !== 0));
}
