import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { isClean, verifyDatabase } from '../../src/audit/verify.ts';
import { importFiles, importUnits } from '../../src/import/index.ts';
import { computeStats, computeStatsFromDossiers } from '../../src/stats/compute.ts';
import { describeEachDatabase } from '../helpers/databases.ts';
import { exportCsv } from '../stats/fixtures.ts';

// Many communes merged in 2025 took the name of one of the communes merged into them: an export then names the old
// unit before 01/07/2025 and the new one after, in the same words. The importer takes the unit valid on the day of
// receipt, and the summary by half-month follows.

const CATALOGUE = [
  'Mã đơn vị,Tên đơn vị,Cấp,Hiệu lực từ,Hiệu lực đến,Mã đơn vị kế thừa',
  'X-CU,UBND xã Vạn Xuân,xa,,30/06/2025,X-MOI',
  'X-HD,UBND xã Hồng Đà,xa,,30/06/2025,X-MOI',
  'X-MOI,UBND xã Vạn Xuân,xa,01/07/2025,,',
].join('\n');

describeEachDatabase('a merged commune named after an old one', (t) => {
  it('takes the unit valid on the day of receipt, with the summary in step, also for a dossier repeated in a file', async () => {
    const db = await t.open();
    const dir = t.tempDir();
    writeFileSync(join(dir, 'don-vi.csv'), `${CATALOGUE}\n`);
    await importUnits(db, join(dir, 'don-vi.csv'));
    writeFileSync(join(dir, 'thang-6-7.csv'), exportCsv([
      { code: 'A', unit: 'UBND xã Vạn Xuân', received: '20/06/2025 08:00', due: '25/06/2025 17:00', ended: '24/06/2025 10:00', returned: '24/06/2025 10:00' },
      { code: 'B', unit: 'UBND xã Vạn Xuân', received: '28/06/2025 08:00', due: '10/07/2025 17:00' },
      { code: 'C', unit: 'UBND  xã  Vạn Xuân', received: '02/07/2025 08:00', due: '09/07/2025 17:00', ended: '03/07/2025 10:00', returned: '03/07/2025 10:00' },
      { code: 'D', unit: 'UBND xã Hồng Đà', received: '27/06/2025 08:00' },
      // B again, ended after the reform: still the old commune's dossier, merged into its first row.
      { code: 'B', unit: 'UBND xã Vạn Xuân', received: '28/06/2025 08:00', due: '10/07/2025 17:00', ended: '08/07/2025 10:00', returned: '08/07/2025 10:00' },
    ]));
    const [summary] = await importFiles(db, [join(dir, 'thang-6-7.csv')]);
    expect([summary.newDossiers, summary.repeatedInFile, summary.rejected]).toEqual([4, 1, 0]);
    const stored = await db.selectFrom('dossiers').select(['code', 'unit_code']).orderBy('code').execute();
    expect(stored).toEqual([
      { code: 'A', unit_code: 'X-CU' }, { code: 'B', unit_code: 'X-CU' }, { code: 'C', unit_code: 'X-MOI' }, { code: 'D', unit_code: 'X-HD' },
    ]);
    const verified = await verifyDatabase(db);
    expect(verified.summary).toEqual([]);
    expect(isClean(verified)).toBe(true);

    // Re-imported in another file, the dossiers stay where they are and the summary stays in step.
    writeFileSync(join(dir, 'thang-7.csv'), exportCsv([
      { code: 'C', unit: 'UBND xã Vạn Xuân', received: '02/07/2025 08:00', due: '09/07/2025 17:00', ended: '03/07/2025 10:00', returned: '03/07/2025 10:00' },
      { code: 'E', unit: 'UBND xã Vạn Xuân', received: '15/07/2025 08:00' },
      { code: 'A', unit: 'UBND xã Vạn Xuân', received: '20/06/2025 08:00', due: '25/06/2025 17:00', ended: '24/06/2025 10:00', returned: '24/06/2025 10:00' },
    ]));
    const [again] = await importFiles(db, [join(dir, 'thang-7.csv')]);
    expect([again.newDossiers, again.unchanged]).toEqual([1, 2]);
    expect(isClean(await verifyDatabase(db))).toBe(true);
    const query = { period: { from: '2025-06-01', to: '2025-07-31' }, by: ['month' as const, 'unit' as const] };
    const rows = await computeStats(db, query);
    expect(rows).toEqual(await computeStatsFromDossiers(db, query));
    expect(rows.filter((r) => r.receivedTotal > 0).map((r) => [r.month, r.unitCode, r.receivedTotal])).toEqual([
      ['2025-06', 'X-HD', 1], ['2025-06', 'X-CU', 2], ['2025-07', 'X-MOI', 2],
    ]);
  });
});
