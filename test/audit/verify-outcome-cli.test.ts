import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { importFiles } from '../../src/import/index.ts';
import { tthc } from '../helpers/cli.ts';
import { describeEachDatabase } from '../helpers/databases.ts';
import { exportCsv } from '../stats/fixtures.ts';

// `tthc verify` on a dossier whose stored outcome was changed by hand (its status and dates untouched): exit code
// 1 naming the dossier, the stored and the recomputed outcome; --repair classifies it again, exit code 0.

describeEachDatabase('tthc verify: a stored outcome changed by hand', (t) => {
  it('fails naming the dossier, and --repair classifies it again', async () => {
    const target = await t.newTarget();
    const db = await t.open(target);
    const file = join(t.tempDir(), 'ho-so.csv');
    writeFileSync(file, exportCsv([
      // Returned three days after its due day: late.
      { code: 'C-1', unit: 'UBND xã Hiền Lương', field: 'Chứng thực', received: '16/03/2023 08:00', due: '17/03/2023 17:00', ended: '20/03/2023 09:00', status: 'Đã trả kết quả' },
    ]));
    await importFiles(db, [file]);
    expect((await tthc('--db', target, 'verify')).code).toBe(0);

    // Late made on time by hand, and the summary made to match, so that only the classification betrays it.
    await db.updateTable('dossiers').set({ outcome: 'on_time' }).where('code', '=', 'C-1').execute();
    await db.updateTable('dossier_half_months').set({ ended_late: 0, ended_on_time: 1 }).where('half_month', '=', '2023-03-2').execute();
    await db.updateTable('dossier_procedure_half_months').set({ ended_late: 0, ended_on_time: 1 }).where('half_month', '=', '2023-03-2').execute();
    let run = await tthc('--db', target, 'verify');
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('C-1 (UBND xã Hiền Lương): kết quả (outcome) đang lưu on_time, tính lại late');
    expect(run.stdout).not.toContain('Bảng tổng hợp theo nửa tháng khác với hồ sơ');

    run = await tthc('--db', target, 'verify', '--repair');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('Đã phân loại lại 1 hồ sơ');
    expect((await tthc('--db', target, 'verify')).code).toBe(0);
    const stored = await db.selectFrom('dossier_half_months').select(['ended_late', 'ended_on_time']).where('half_month', '=', '2023-03-2').executeTakeFirstOrThrow();
    expect(stored).toEqual({ ended_late: 1, ended_on_time: 0 });
  });
});
