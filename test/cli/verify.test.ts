import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { importFiles } from '../../src/import/index.ts';
import { tthc } from '../helpers/cli.ts';
import { describeEachDatabase } from '../helpers/databases.ts';
import { exportCsv } from '../stats/fixtures.ts';

// The command's words and exit codes: 0 when the database agrees with its dossiers, 1 with every difference
// listed, and --repair leaving 0 behind when only the summary was wrong.

describeEachDatabase('tthc verify (command)', (t) => {
  it('exits 0 on a sound database, 1 on a tampered one, and --repair rebuilds the rows that differ', async () => {
    const target = await t.newTarget();
    const db = await t.open(target);
    const file = join(t.tempDir(), 'ho-so.csv');
    writeFileSync(file, exportCsv([
      { code: 'B-1', unit: 'UBND xã Hiền Lương', field: 'Chứng thực', channel: 'Trực tuyến', received: '16/03/2023 08:00', due: '17/03/2023 17:00', ended: '20/03/2023 09:00', status: 'Đã trả kết quả' },
      { code: 'B-2', unit: 'UBND xã Hiền Lương', field: 'Chứng thực', channel: 'Trực tuyến', received: '16/03/2023 09:00', due: '17/03/2023 17:00' },
    ]));
    await importFiles(db, [file]);

    let run = await tthc('--db', target, 'verify');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('Đã kiểm tra 2 hồ sơ');
    expect(run.stdout).toContain('Không có chênh lệch');

    await db.updateTable('dossier_half_months').set({ ended_late: 5 }).where('half_month', '=', '2023-03-2').execute();
    run = await tthc('--db', target, 'verify');
    expect(run.code).toBe(1);
    const line = run.stdout.split('\n').find((l) => l.includes('Giải quyết quá hạn'))!;
    expect(line.split(/\s{2,}/)).toEqual(['UBND xã Hiền Lương', 'auto-ubnd-xa-hien-luong', 'Chứng thực', 'Trực tuyến', '15–31/03/2023', 'Giải quyết quá hạn', '5', '1']);
    expect(run.stdout).toContain('tthc verify --repair');

    const json = JSON.parse((await tthc('--db', target, 'verify', '--format', 'json')).stdout);
    expect(json.summary).toEqual([
      { unitCode: 'auto-ubnd-xa-hien-luong', field: 'Chứng thực', channel: 'truc_tuyen', halfMonth: '2023-03-2', figure: 'ended_late', stored: 5, recomputed: 1 },
    ]);

    run = await tthc('--db', target, 'verify', '--repair');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('Đã ghi lại 1 dòng tổng hợp');
    expect((await tthc('--db', target, 'verify')).code).toBe(0);
  });
});
