import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tthc } from '../helpers/cli.ts';
import { tempDir } from '../helpers/databases.ts';

// Right after `npx tthc demo`, the commands it prints work as printed, in the folder it ran in; the README's
// next command, which reads ./tthc.db, says where the demo's data is instead of printing an empty table.

/** The words of a command line as a POSIX shell splits them (quotes, no expansions). */
function shellWords(line: string): string[] {
  return [...line.matchAll(/'((?:[^']|'\\'')*)'|"([^"]*)"|(\S+)/g)].map((m) => m[1]?.replace(/'\\''/g, "'") ?? m[2] ?? m[3]);
}

describe('after tthc demo', () => {
  let cwd: string;
  let env: string | undefined;
  let demo: { code: number; stdout: string; stderr: string };
  beforeAll(async () => {
    cwd = process.cwd();
    env = process.env.TTHC_DB;
    delete process.env.TTHC_DB;
    process.chdir(tempDir());
    demo = await tthc('demo');
  }, 600_000);
  afterAll(() => {
    process.chdir(cwd);
    if (env !== undefined) process.env.TTHC_DB = env;
  });

  it('prints follow-up commands that name ./tthc-demo.db, and each one runs as printed', async () => {
    expect(demo.code).toBe(0);
    const commands = demo.stdout.split('\n').filter((line) => line.startsWith('  npx tthc '));
    expect(commands.map((c) => c.split(' ').slice(0, 8).join(' '))).toEqual([
      '  npx tthc --db ./tthc-demo.db stats --from',
      '  npx tthc --db ./tthc-demo.db dossiers --year',
      '  npx tthc --db ./tthc-demo.db report --from',
    ]);
    const outputs: string[] = [];
    for (const command of commands) {
      const [, , ...args] = shellWords(command.trim());
      const r = await tthc(...args);
      expect(r.code, command).toBe(0);
      outputs.push(r.stdout);
    }
    const [stats, dossiers, report] = outputs;
    // By year, level and field without Bảo hiểm xã hội: every other field of the district is there, not that one.
    expect(stats).toContain('Đất đai');
    expect(stats).toContain('Hộ tịch');
    expect(stats).not.toContain('Bảo hiểm xã hội');
    expect(dossiers).toMatch(/\nTổng số: [\d.]+ hồ sơ\n$/);
    expect(report.split('\n')[0]).toBe('CẤP HUYỆN');
    expect(report).toContain('(không tính hồ sơ lĩnh vực BHXH)');
  }, 600_000);

  it('the next command on ./tthc.db names the demo database and its dossiers', async () => {
    const imported = /Đã nhập ([\d.]+) hồ sơ/.exec(demo.stderr)?.[1];
    expect(imported).toBeDefined();
    const r = await tthc('stats', '--years', '2020-2023', '--by', 'level', '--exclude-field', 'Bảo hiểm xã hội');
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    const lines = r.stderr.trimEnd().split('\n');
    expect(lines[0]).toBe('tthc: chưa có cơ sở dữ liệu ./tthc.db (tệp không tồn tại; lệnh stats chỉ đọc nên không tạo tệp)');
    expect(lines[1]).toBe(`  Cơ sở dữ liệu ở gần: ./tthc-demo.db (${imported} hồ sơ); chọn bằng --db, ví dụ: tthc --db ./tthc-demo.db stats …`);
  });
});
