import { beforeAll, expect, it } from 'vitest';
import { tthc } from '../helpers/cli.ts';
import { describeEachDatabase } from '../helpers/databases.ts';
import { MAY } from '../stats/data.ts';
import { databaseWith } from '../stats/fixtures.ts';

// `tthc dossiers --figure` with the report's column names, and `--explain` on dossiers and stats, on the May
// 2022 cases of test/stats/data.ts (their comments give the expected codes).

describeEachDatabase('tthc dossiers --figure for sheet columns, and --explain', (t) => {
  let target: string;
  beforeAll(async () => {
    target = await databaseWith(t, MAY);
  });

  it('lists Biểu 06 (9) and the per-unit sheet\'s "Một cửa"', async () => {
    const nine = await tthc('--db', target, 'dossiers', '--month', '2022-05', '--figure', '(9)', '--format', 'json');
    expect(nine.code).toBe(0);
    // On time D J, rejected K, withdrawn L.
    expect(JSON.parse(nine.stdout).map((d: any) => d.code).sort()).toEqual(['D', 'J', 'K', 'L']);
    const oneStop = await tthc('--db', target, 'dossiers', '--month', '2022-05', '--figure', 'Một cửa (trực tiếp, bưu chính)', '--format', 'csv');
    expect(oneStop.code).toBe(0);
    expect(oneStop.stdout.trim().split('\n')).toHaveLength(1 + 7);
    expect(oneStop.stderr).toBe('');
  });

  it('refuses an ambiguous header with one line naming the choices', async () => {
    const r = await tthc('--db', target, 'dossiers', '--month', '2022-05', '--figure', 'Quá hạn');
    expect(r.code).toBe(1);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain('resolvedLate');
    expect(r.stderr).toContain('pendingOverdue');
  });

  it('dossiers --explain prints the rule and runnable SQL on stderr, the list on stdout', async () => {
    const r = await tthc('--db', target, 'dossiers', '--month', '2022-05', '--figure', 'bieu06:7', '--explain', '--format', 'json');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toHaveLength(7);
    expect(r.stderr).toContain('bieu06:7: Biểu 06, cột (7) Số hồ sơ đã giải quyết / Tổng số');
    expect(r.stderr).toContain('= resolvedTotal + withdrawn');
    expect(r.stderr).toContain('withdrawn (Công dân rút hồ sơ): Kết thúc xử lý trong kỳ với trạng thái công dân rút hồ sơ.');
    expect(r.stderr).toMatch(/\n {4}select .*from "dossiers" as "d"/);
    expect(r.stderr).toContain('Tham số: [');
    expect(r.stderr).toContain('"2022-05-01"');
  });

  it('stats --explain explains the figures named, those of --columns, or every count; stdout unchanged', async () => {
    const plain = await tthc('--db', target, 'stats', '--month', '2022-05', '--format', 'json');
    const named = await tthc('--db', target, 'stats', '--month', '2022-05', '--format', 'json', '--explain', 'receivedTotal,(5)');
    expect(named.code).toBe(0);
    expect(named.stdout).toBe(plain.stdout);
    expect(named.stderr.match(/^\S+: /gm)).toEqual(['receivedTotal: ', 'bieu06:5: ']);
    const columns = await tthc('--db', target, 'stats', '--month', '2022-05', '--columns', 'receivedOnline,onTimeRate', '--explain');
    expect(columns.code).toBe(0);
    expect(columns.stderr).toContain('receivedOnline (Tiếp nhận trực tuyến): Tiếp nhận trong kỳ, hình thức nộp trực tuyến.');
    expect(columns.stderr).toContain('onTimeRate: Tỷ lệ giải quyết sớm và đúng hạn = (resolvedEarly + resolvedOnTime) / (resolvedTotal)');
    const all = await tthc('--db', target, 'stats', '--month', '2022-05', '--explain');
    expect(all.stderr.match(/^\S+: /gm)).toHaveLength(15);
  });
});
