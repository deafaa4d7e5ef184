import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { describeEachDatabase } from '../helpers/databases.ts';
import { tthc } from '../helpers/cli.ts';
import { COMMUNE, databaseWith, DISTRICT, type ExportRow } from './fixtures.ts';

// `tthc dossiers --due-within 2 --as-of 2024-02-07`: Wednesday 07/02/2024, the eve of Tết 2024 (days off Thu 08/02
// to Wed 14/02). The 2 working days after it are Thu 15/02 (1) and Fri 16/02 (2): due 07/02 to 16/02, pending at
// the end of 07/02. Counted by hand:
//  D1 due 07/02                          listed, 0 left (due that day)
//  D2 due Fri 09/02 (in Tết)             listed, 0 left (no working day after 07/02 up to 09/02)
//  D3 due 15/02 17:00                    listed, 1
//  D4 due 16/02                          listed, 2
//  D5 due 19/02                          not listed (3 left)
//  D6 due 06/02, D7 due 01/02            overdue: counted (2), not listed; -1 and -4 with --include-overdue
//  D8 due 08/02, ended 07/02             not pending
//  D9 received 08/02                     not received yet
//  D10 no due day                        not listed
//  D11 due 16/02, ended 12/02            pending at the end of 07/02: listed, 2
//  D12 (commune) due 15/02 08:00         listed, 1

const ROWS: ExportRow[] = [
  { code: 'D1', received: '01/02/2024 08:00', due: '07/02/2024 17:00' },
  { code: 'D2', received: '01/02/2024 08:00', due: '09/02/2024 17:00' },
  { code: 'D3', received: '01/02/2024 08:00', due: '15/02/2024 17:00' },
  { code: 'D4', received: '01/02/2024 08:00', due: '16/02/2024 16:00' },
  { code: 'D5', received: '01/02/2024 08:00', due: '19/02/2024 17:00' },
  { code: 'D6', received: '01/02/2024 08:00', due: '06/02/2024 17:00' },
  { code: 'D7', received: '25/01/2024 08:00', due: '01/02/2024 17:00' },
  { code: 'D8', received: '01/02/2024 08:00', due: '08/02/2024 17:00', ended: '07/02/2024 10:00' },
  { code: 'D9', received: '08/02/2024 08:00', due: '15/02/2024 17:00' },
  { code: 'D10', received: '01/02/2024 08:00' },
  { code: 'D11', received: '01/02/2024 08:00', due: '16/02/2024 17:00', ended: '12/02/2024 10:00' },
  { code: 'D12', unit: COMMUNE, received: '01/02/2024 08:00', due: '15/02/2024 08:00' },
];

describeEachDatabase('dossiers due within N working days', (t) => {
  it('lists the pending dossiers due within 2 working days of the eve of Tết, by due day, and counts the overdue ones', async () => {
    const target = await databaseWith(t, ROWS);
    const run = async (...args: string[]) => {
      const result = await tthc('--db', target, 'dossiers', '--due-within', '2', '--as-of', '2024-02-07', '--format', 'json', ...args);
      expect(result.code).toBe(0);
      return { rows: JSON.parse(result.stdout) as Array<{ code: string; workingDaysLeft: number; unitName: string }>, stderr: result.stderr };
    };
    const { rows, stderr } = await run();
    expect(rows.map((r) => [r.code, r.workingDaysLeft])).toEqual([['D1', 0], ['D2', 0], ['D12', 1], ['D3', 1], ['D4', 2], ['D11', 2]]);
    expect(rows[0].unitName).toBe(DISTRICT);
    expect(stderr).toContain('hạn xử lý từ 07/02/2024 đến 16/02/2024');
    expect(stderr).toContain('2 hồ sơ đã quá hạn vào 07/02/2024, không liệt kê (thêm --include-overdue để liệt kê)');

    const all = await run('--include-overdue');
    expect(all.rows.map((r) => [r.code, r.workingDaysLeft])).toEqual([
      ['D7', -4], ['D6', -1], ['D1', 0], ['D2', 0], ['D12', 1], ['D3', 1], ['D4', 2], ['D11', 2],
    ]);
    expect(all.stderr).not.toContain('quá hạn vào');

    const commune = await run('--unit', COMMUNE);
    expect(commune.rows.map((r) => r.code)).toEqual(['D12']);

    // The table marks nothing computed here and ends with the count; a bad N is one line.
    const table = await tthc('--db', target, 'dossiers', '--due-within', '2', '--as-of', '2024-02-07');
    expect(table.stdout).toContain('Tổng số: 6 hồ sơ');
    const bad = await tthc('--db', target, 'dossiers', '--due-within', 'hai');
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toContain('--due-within phải là một số ngày làm việc');

    // A user's calendar file that rests Thu 15/02 too: the 2 working days after 07/02 are then 16/02 and 19/02.
    const dir = t.tempDir();
    const calendar = join(dir, 'lich.json');
    writeFileSync(calendar, JSON.stringify({ years: { 2024: { sources: ['thử'], daysOff: { '2024-02-15': 'Nghỉ thêm' }, workingDays: {} } } }));
    const extended = await run('--calendar', calendar);
    expect(extended.rows.map((r) => [r.code, r.workingDaysLeft])).toEqual([
      ['D1', 0], ['D2', 0], ['D12', 0], ['D3', 0], ['D4', 1], ['D11', 1], ['D5', 2],
    ]);
    expect(extended.stderr).toContain('đến 19/02/2024');
    // A wrong file is one Vietnamese line naming the file and the mistake.
    const wrong = join(dir, 'sai.json');
    writeFileSync(wrong, JSON.stringify({ years: { 2024: { sources: ['thử'], daysOff: { '2024-02-30': 'Không có' } } } }, null, 2));
    const refused = await tthc('--db', target, 'dossiers', '--due-within', '2', '--calendar', wrong);
    expect(refused.code).not.toBe(0);
    expect(refused.stdout).toBe('');
    expect(refused.stderr.trim().split('\n')).toHaveLength(1);
    expect(refused.stderr).toContain('sai.json');
    expect(refused.stderr).toContain('2024-02-30');
  });
});
