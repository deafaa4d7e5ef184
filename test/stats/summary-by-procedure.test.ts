import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import type { KyselyPlugin } from 'kysely';
import { inSnapshot, type Db } from '../../src/db/connection.ts';
import { importProcedures } from '../../src/import/catalogues.ts';
import { importFile } from '../../src/import/index.ts';
import { verifyDatabase } from '../../src/audit/verify.ts';
import { computeStatsFromDossiers } from '../../src/stats/compute.ts';
import { computeStatsFromSummary, fieldsTakingPart, shareSummaryReads, summaryAnswers } from '../../src/stats/compute-summary.ts';
import { SUMMARY_COUNTS } from '../../src/stats/summary.ts';
import { rebuildSummary } from '../../src/stats/summary-writer.ts';
import type { StatsQuery } from '../../src/stats/types.ts';
import { summaryByProcedure } from '../../schema/0011-summary-by-procedure.ts';
import { describeEachDatabase } from '../helpers/databases.ts';
import { writeCsv, type Cell } from '../helpers/exports.ts';
import { importRows, prng } from './fixtures.ts';

// Statistics grouped by procedure read the summary by procedure (schema/0011), which the importer keeps beside
// the summary by half-month. A dossier counts under the procedure name it is stored with: the export's, or the
// catalogue's name of its code when the export gives only the code.

const HEADERS = ['Mã hồ sơ', 'Đơn vị tiếp nhận', 'Mã thủ tục', 'Tên thủ tục', 'Lĩnh vực', 'Hình thức nộp', 'Ngày tiếp nhận', 'Ngày hẹn trả', 'Ngày kết thúc xử lý', 'Trạng thái'];
const CATALOGUE = 'Mã thủ tục,Tên thủ tục,Lĩnh vực,Mức độ\nT1,Đăng ký khai sinh,Hộ tịch,2\nT2,Cấp giấy chứng nhận QSDĐ,Đất đai,3\n';

const byProcedure = (rows: Awaited<ReturnType<typeof computeStatsFromSummary>>) =>
  Object.fromEntries(rows.map((r) => [String(r.procedure), [r.carriedOver, r.receivedTotal, r.resolvedOnTime, r.resolvedLate, r.pendingTotal]]));

describeEachDatabase('summary by procedure', (t) => {
  it('counts each dossier under its stored procedure, named by the catalogue when the export gives only the code', async () => {
    const db = await t.open();
    const dir = t.tempDir();
    writeFileSync(join(dir, 'thu-tuc.csv'), CATALOGUE);
    await importProcedures(db, join(dir, 'thu-tuc.csv'));
    const file = join(dir, 'ho-so.csv');
    writeCsv(file, HEADERS, [
      // Received in December 2022, still open on 31/12: carried over into 2023, resolved late in January.
      ['P-1', 'UBND xã An Một', 'T1', '', '', 'Trực tiếp', '20/12/2022 08:00', '26/12/2022 17:00', '05/01/2023 09:00', 'Đã trả kết quả'],
      ['P-2', 'UBND xã An Một', '', 'Đăng ký khai sinh', 'Hộ tịch', 'Trực tuyến', '03/01/2023 08:00', '10/01/2023 17:00', '10/01/2023 09:00', 'Đã trả kết quả'],
      ['P-3', 'UBND xã An Một', 'T2', '', '', 'Trực tiếp', '04/02/2023 08:00', '20/03/2023 17:00', '', 'Đang xử lý'],
      ['P-4', 'UBND xã An Một', 'T9', '', 'Tư pháp', 'Trực tiếp', '05/02/2023 08:00', '', '', 'Đang xử lý'],
      ['P-5', 'UBND xã An Một', '', '', 'Tư pháp', 'Trực tiếp', '06/02/2023 08:00', '', '', 'Đang xử lý'],
    ] as Cell[][]);
    const summary = await importFile(db, file);
    expect(summary.rejectedByReason).toEqual({});

    const query: StatsQuery = { period: { from: '2023-01-01', to: '2023-12-31' }, by: ['procedure'] };
    expect(summaryAnswers(query)).toBe(true);
    const rows = await computeStatsFromSummary(db, query);
    // carried over, received, resolved on time, resolved late, pending.
    expect(byProcedure(rows)).toEqual({
      'Đăng ký khai sinh': [1, 1, 1, 1, 0],
      'Cấp giấy chứng nhận QSDĐ': [0, 1, 0, 0, 1],
      // A code the catalogue does not know names no procedure, and neither does a row without either.
      null: [0, 2, 0, 0, 2],
    });
    expect(rows).toEqual(await computeStatsFromDossiers(db, query));
    // A range that is not made of whole half-months: the dossiers of its edge days correct the summary's.
    const range: StatsQuery = { period: { from: '2023-01-06', to: '2023-02-05' }, by: ['procedure'] };
    const ranged = await computeStatsFromSummary(db, range);
    // P-1 ended on 05/01, before the range; P-2 is carried over into it and resolved on its due day.
    expect(byProcedure(ranged)).toEqual({
      'Đăng ký khai sinh': [1, 0, 1, 0, 0],
      'Cấp giấy chứng nhận QSDĐ': [0, 1, 0, 0, 1],
      null: [0, 1, 0, 0, 1],
    });
    expect(ranged).toEqual(await computeStatsFromDossiers(db, range));
  });

  it('is what the dossiers give after imports in both parse threads with repeats and changed procedures, and what migration 0011 builds', async () => {
    const dir = t.tempDir();
    writeFileSync(join(dir, 'thu-tuc.csv'), CATALOGUE);
    const r = prng(31);
    const pick = <T>(items: readonly T[]) => items[Math.floor(r() * items.length)];
    const day = (n: number) => {
      const d = new Date(Date.UTC(2022, 0, 1) + n * 86_400_000);
      return `${String(d.getUTCDate()).padStart(2, '0')}/${String(d.getUTCMonth() + 1).padStart(2, '0')}/${d.getUTCFullYear()}`;
    };
    const snapshot = (seed: number): Cell[][] =>
      Array.from({ length: 6_000 }, (_, i) => {
        const received = Math.floor(r() * 700);
        const ended = r() < 0.6 ? received + Math.floor(r() * 40) : undefined;
        // Code only, name only, both, or neither; the second snapshot renames some.
        const [code, name] = pick([['T1', ''], ['', 'Đăng ký khai sinh'], ['T2', 'Cấp giấy chứng nhận QSDĐ'], ['', ''], ['T9', ''], ['', `Thủ tục ${seed}`]]);
        return [
          `R-${i % 4_500}`, pick(['UBND xã An Một', 'UBND xã An Hai', 'UBND huyện Thử Nghiệm']), code, name, r() < 0.3 ? '' : pick(['Hộ tịch', 'Đất đai']),
          pick(['Trực tiếp', 'Trực tuyến', 'Bưu chính']), `${day(received)} 08:00`, `${day(received + Math.floor(r() * 30))} 17:00`,
          ended === undefined ? '' : `${day(ended)} 10:00`, ended === undefined ? 'Đang xử lý' : pick(['Đã trả kết quả', 'Từ chối']),
        ];
      });
    const queries: StatsQuery[] = [
      { period: { from: '2022-01-01', to: '2023-12-31' }, by: ['year', 'procedure'] },
      { period: { from: '2022-03-15', to: '2023-03-14' }, by: ['month', 'unit', 'procedure'] },
      { period: { from: '2022-05-09', to: '2022-11-20' }, by: ['level', 'field', 'procedure', 'channel'] },
      { period: { from: '2023-02-01', to: '2023-02-28' }, by: ['procedure'], filters: { field: ['Hộ tịch'] } },
    ];
    for (const parseThread of ['worker', 'main'] as const) {
      const db = await t.open();
      await importProcedures(db, join(dir, 'thu-tuc.csv'));
      for (const seed of [1, 2]) {
        const file = join(dir, `ho-so-${parseThread}-${seed}.csv`);
        writeCsv(file, HEADERS, snapshot(seed));
        const imported = await importFile(db, file, { parseThread });
        expect(imported.repeatedInFile).toBeGreaterThan(1_000);
      }
      for (const query of queries) expect(await computeStatsFromSummary(db, query), JSON.stringify(query)).toEqual(await computeStatsFromDossiers(db, query));
      expect((await verifyDatabase(db)).summary).toEqual([]);

      const kept = await stored(db);
      expect(kept.some((row) => row.procedure_name === 'Đăng ký khai sinh')).toBe(true);
      expect(kept.some((row) => row.procedure_name === '')).toBe(true);
      await rebuildSummary(db);
      expect(await stored(db)).toEqual(kept);
      // The migration's own SQL builds the same table from the stored dossiers.
      await db.schema.dropTable('dossier_procedure_half_months').execute();
      await summaryByProcedure.up(db);
      expect(await stored(db)).toEqual(kept);
    }
  }, 120_000);

  it('rejects a dossier whose unit, field and procedure are too long to key a summary row, naming why', async () => {
    // PostgreSQL keeps an index key only up to 2,704 bytes; 700 Vietnamese letters take about 1,700.
    const db = await t.open();
    const long = (letter: string) => letter.repeat(700);
    const dir = t.tempDir();
    const file = join(dir, 'dai.csv');
    writeCsv(file, HEADERS, [
      ['L-1', 'UBND xã An Một', '', long('ệ'), long('ữ'), 'Trực tiếp', '05/01/2023 08:00', '', '', 'Đang xử lý'],
      ['L-2', 'UBND xã An Một', '', long('a'), 'Hộ tịch', 'Trực tiếp', '05/01/2023 08:00', '', '', 'Đang xử lý'],
    ] as Cell[][]);
    const imported = await importFile(db, file);
    expect(imported.newDossiers).toBe(1);
    expect(Object.keys(imported.rejectedByReason)).toEqual([expect.stringMatching(/^đơn vị, lĩnh vực và tên thủ tục cộng lại dài \d+ byte \(tối đa 2000\)/)]);
    const rows = await computeStatsFromSummary(db, { period: { from: '2023-01-01', to: '2023-12-31' }, by: ['procedure'] });
    expect(rows.map((r) => [r.procedure, r.receivedTotal])).toEqual([[long('a'), 1]]);
  });

  it('shares the read of the state at the start between the statistics of a page and its field choices', async () => {
    const db = await t.open();
    await importRows(db, t.tempDir(), [
      { code: 'A', received: '03/12/2022 08:00' },
      { code: 'B', received: '05/01/2023 08:00', field: 'Đất đai', procedure: 'Cấp sổ' },
    ]);
    let queries = 0;
    const counting: KyselyPlugin = {
      transformQuery: (args) => {
        queries++;
        return args.node;
      },
      transformResult: async (args) => args.result,
    };
    const query: StatsQuery = { period: { from: '2023-01-01', to: '2023-12-31' }, by: ['unit'] };
    const fields = await inSnapshot(db.withPlugin(counting) as Db, async (trx) => {
      shareSummaryReads(trx);
      await computeStatsFromSummary(trx, query);
      const before = queries;
      const out = await fieldsTakingPart(trx, query);
      // Only the read of the period's receipts is new.
      expect(queries - before).toBe(1);
      return out;
    });
    expect(fields.sort()).toEqual(['Hộ tịch', 'Đất đai']);
  });
});

async function stored(db: Db) {
  const rows = await db.selectFrom('dossier_procedure_half_months').selectAll()
    .orderBy('unit_code').orderBy('field').orderBy('channel').orderBy('procedure_name').orderBy('half_month').execute();
  return rows.filter((row) => SUMMARY_COUNTS.some((c) => row[c] !== 0)).map((row) => ({ ...row, ...Object.fromEntries(SUMMARY_COUNTS.map((c) => [c, Number(row[c])])) }));
}
