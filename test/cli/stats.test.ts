import { execFile } from 'node:child_process';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, expect, it } from 'vitest';
import { tthc } from '../helpers/cli.ts';
import { describeEachDatabase } from '../helpers/databases.ts';
import { MAY } from '../stats/data.ts';
import { databaseWith } from '../stats/fixtures.ts';

// `tthc stats` and `tthc dossiers` as a user runs them, on the May 2022 cases of test/stats/data.ts. The CLI's
// main() runs in the test's process (a spawned tsx costs seconds on this machine); one test spawns bin/tthc.js.

const BIN = resolve(import.meta.dirname, '../../bin/tthc.js');
const run = promisify(execFile);

async function spawnTthc(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run('node', [BIN, ...args]);
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

describeEachDatabase('tthc stats and tthc dossiers', (t) => {
  let target: string;
  beforeAll(async () => {
    target = await databaseWith(t, MAY);
  });

  it('prints JSON objects with the group keys, from, to, every count and every rate', async () => {
    const { code, stdout } = await tthc('--db', target, 'stats', '--month', '2022-05', '--by', 'level', '--format', 'json');
    expect(code).toBe(0);
    const rows = JSON.parse(stdout);
    expect(rows).toHaveLength(2);
    expect(Object.keys(rows[0])).toEqual([
      'level', 'from', 'to',
      'receivedDirect', 'receivedOnline', 'receivedPostal', 'receivedLienThong', 'receivedTotal', 'carriedOver',
      'resolvedEarly', 'resolvedOnTime', 'resolvedLate', 'resolvedRejected', 'resolvedTotal', 'withdrawn',
      'pendingTotal', 'pendingOnTime', 'pendingOverdue',
      'onTimeRate', 'onlineRate', 'directShare', 'onlineShare', 'postalShare', 'lienThongShare',
    ]);
    // District: 9 received, resolved A early, D J on time, E late, K rejected; commune: X1 early of 1 resolved.
    expect(rows.map((r: any) => [r.level, r.from, r.to, r.receivedTotal, r.onTimeRate])).toEqual([
      ['huyen', '2022-05-01', '2022-05-31', 9, 3 / 5],
      ['xa', '2022-05-01', '2022-05-31', 2, 1],
    ]);
  });

  it('prints a table with Vietnamese headers and vi-VN numbers, and CSV', async () => {
    const table = await tthc('--db', target, 'stats', '--month', '2022-05');
    expect(table.code).toBe(0);
    expect(table.stdout).toContain('Từ kỳ'); // 'Từ kỳ trước', wrapped
    expect(table.stdout).toContain('Từ ngày');
    expect(table.stdout).toContain('66,7 %'); // 4 of 6 resolved early or on time
    expect(table.stdout).toContain('01/05/2022');
    const csv = await tthc('stats', '--db', target, '--years', '2021-2022', '--format', 'csv');
    expect(csv.code).toBe(0);
    const lines = csv.stdout.trim().split('\n');
    expect(lines[0].startsWith('year,from,to,receivedDirect,')).toBe(true);
    expect(lines.slice(1).map((l) => l.split(',').slice(0, 3).join(','))).toEqual([
      '2021,2021-01-01,2021-12-31',
      // The data ends on 10/06/2022 (C ended): 2022 is cut there (test/stats/coverage.test.ts).
      '2022,2022-01-01,2022-06-10',
    ]);
  });

  it('lists the dossiers behind a figure', async () => {
    const { code, stdout } = await tthc('--db', target, 'dossiers', '--month', '2022-05', '--figure', 'pendingOverdue', '--format', 'json');
    expect(code).toBe(0);
    expect(JSON.parse(stdout).map((d: any) => d.code)).toEqual(['M', 'C']);
    const table = await tthc('--db', target, 'dossiers', '--reporting-month', '2022-06', '--level', 'Huyện', '--figure', 'withdrawn');
    // Reporting June = 15/05–14/06: L was withdrawn on 12/05, so nothing; the table says so.
    expect(table.code).toBe(0);
    expect(table.stdout).toContain('Không có hồ sơ nào');
  });

  it('runs from bin/tthc.js with exit code 1 and one line for a user error', async () => {
    const ok = await spawnTthc('--db', target, 'stats', '--month', '2022-05', '--format', 'json');
    expect(ok.code).toBe(0);
    expect(JSON.parse(ok.stdout)[0].receivedTotal).toBe(11);
    const bad = await spawnTthc('--db', target, 'stats', '--quarter', '2022-Q5');
    expect(bad.code).toBe(1);
    expect(bad.stderr).toBe('tthc: quý không hợp lệ: "2022-Q5" (dạng yyyy-Qn, ví dụ 2022-Q2)\n');
  });

  it('refuses unclear questions with one line and exit code 1', async () => {
    const two = await tthc('--db', target, 'stats', '--year', '2022', '--month', '2022-05');
    expect(two.code).toBe(1);
    expect(two.stderr.trim().split('\n')).toEqual(['tthc: chỉ chọn một kỳ, đã chọn: --year, --month']);
    const none = await tthc('--db', target, 'stats');
    expect(none.code).toBe(1);
    expect(none.stderr).toContain('hãy chọn một kỳ');
    const figure = await tthc('--db', target, 'dossiers', '--year', '2022', '--figure', 'late');
    expect(figure.code).toBe(1);
    expect(figure.stderr).toContain('resolvedLate');
    const unit = await tthc('--db', target, 'stats', '--year', '2022', '--unit', 'UBND xã Không Có');
    expect(unit.code).toBe(1);
    expect(unit.stderr.trim().split('\n')).toHaveLength(1);
    expect(unit.stderr).toMatch(/^tthc: không tìm thấy đơn vị "UBND xã Không Có"; gần nhất: "UBND xã Hiền Lương" \(mã [^)]+\).* \(xem tthc units list\)\n$/);
  });
});
