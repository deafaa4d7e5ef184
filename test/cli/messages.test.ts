import { writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { buildProgram, reportBug } from '../../src/cli/index.ts';
import { openDatabase } from '../../src/db/connection.ts';
import { tthc } from '../helpers/cli.ts';
import { tempDir } from '../helpers/databases.ts';
import { importRows } from '../stats/fixtures.ts';

// Every message a user can meet is Vietnamese: commander's own errors and the database drivers' errors
// included. --help stays English.

describe("commander's errors", () => {
  let target: string;
  beforeAll(async () => {
    target = join(tempDir(), 'tthc.db');
    const db = await openDatabase(target);
    await importRows(db, tempDir(), [{ code: 'A', received: '10/03/2022 08:00' }]);
    await db.destroy();
  });

  const cases: Array<[string[], string]> = [
    [['stats', '--yeer', '2022'], "tthc: không có tuỳ chọn '--yeer' (bạn muốn gõ --year?)"],
    [['stats', '--year', '2022', '--frmat', 'csv'], "tthc: không có tuỳ chọn '--frmat' (bạn muốn gõ --format?)"],
    [['stats', '--year', '2022', '-x'], "tthc: không có tuỳ chọn '-x' (xem tthc stats --help)"],
    [['stts', '--year', '2022'], "tthc: không có lệnh 'stts' (bạn muốn gõ stats?)"],
    [['nhap'], "tthc: không có lệnh 'nhap' (các lệnh: import, units, procedures, batches, rejects, stats, dossiers, rank, report, verify, check, demo, serve)"],
    [['units', 'lst'], "tthc: không có lệnh 'lst' (bạn muốn gõ list?)"],
    [[], 'tthc: thiếu tên lệnh, một trong: import, units, procedures, batches, rejects, stats, dossiers, rank, report, verify, check, demo, serve (xem tthc --help)'],
    [['units'], "tthc: thiếu tên lệnh sau 'tthc units', một trong: import, map, list, history (xem tthc units --help)"],
    [['import'], 'tthc: lệnh tthc import thiếu đối số <paths> (xem tthc import --help)'],
    [['units', 'import'], 'tthc: lệnh tthc units import thiếu đối số <file> (xem tthc units import --help)'],
    [['stats', '--year'], "tthc: tuỳ chọn '--year <yyyy>' cần một giá trị (xem tthc stats --help)"],
    [
      ['stats', '--year', '2022', '--exclude-field', 'Bảo', 'hiểm', 'xã', 'hội'],
      "tthc: lệnh tthc stats thừa đối số: 'hiểm' 'xã' 'hội' (nhận 0 đối số, đã gõ 3; giá trị có dấu cách phải đặt trong ngoặc kép)",
    ],
  ];
  it.each(cases)('%j', async (args, line) => {
    const r = await tthc('--db', target, ...args);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(`${line}\n`);
  });

  it('keeps --help in English, exit code 0', async () => {
    const r = await tthc('stats', '--help');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^Usage: tthc stats \[options\]/);
    expect(r.stdout).toContain('--columns <names>');
  });

  it('translates every kind of commander error it raises', async () => {
    // Commander's messages of the kinds tthc never meets yet (invalid choices, conflicts) are translated too.
    const program = await buildProgram();
    const stats = program.commands.find((c) => c.name() === 'stats')!;
    const lines: string[] = [];
    stats.configureOutput({ writeErr: (text) => lines.push(text), outputError: (text, write) => write(text) });
    for (const [message, code] of [
      ["error: option '--format <format>' argument 'xml' is invalid. Allowed choices are table, csv, json.", 'commander.invalidArgument'],
      ["error: option '--a' cannot be used with option '--b'", 'commander.conflictingOption'],
      ["error: required option '--out <file>' not specified", 'commander.missingMandatoryOptionValue'],
    ]) {
      expect(() => stats.error(message, { code })).toThrow();
    }
    expect(lines).toEqual([
      "tthc: giá trị 'xml' của tuỳ chọn '--format <format>' không hợp lệ: chọn một trong table, csv, json\n",
      "tthc: không dùng được tuỳ chọn '--a' cùng với tuỳ chọn '--b'\n",
      "tthc: thiếu tuỳ chọn bắt buộc '--out <file>' (xem tthc stats --help)\n",
    ]);
  });
});

describe('database errors in words', () => {
  it('a folder that does not exist', async () => {
    const dir = tempDir();
    const file = join(dir, 'a.csv');
    writeFileSync(file, 'Mã hồ sơ,Ngày tiếp nhận\nA,10/03/2022\n');
    const r = await tthc('--db', join(dir, 'khong-co', 'tthc.db'), 'import', '--silent', file);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(
      `tthc: không mở được cơ sở dữ liệu ${join(dir, 'khong-co', 'tthc.db')}: thư mục ${join(dir, 'khong-co')} không tồn tại ` +
        '(Cannot open database because the directory does not exist)\n',
    );
  });

  it('a file that is not a SQLite database', async () => {
    const file = join(tempDir(), 'ghi-chu.db');
    writeFileSync(file, 'ghi chú của văn phòng, không phải cơ sở dữ liệu '.repeat(40));
    const r = await tthc('--db', file, 'stats', '--year', '2022');
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^tthc: không mở được cơ sở dữ liệu .*ghi-chu\.db: tệp này không phải là cơ sở dữ liệu SQLite \(hoặc đã hỏng\) \(file is not a database\)\n$/);
  });

  it('a PostgreSQL server that is not running', async () => {
    // A port that was free a moment ago: nothing listens on it.
    const port = await new Promise<number>((resolve) => {
      const server = createServer().listen(0, '127.0.0.1', () => {
        const { port } = server.address() as { port: number };
        server.close(() => resolve(port));
      });
    });
    const r = await tthc('--db', `postgres://tthc:bi-mat@127.0.0.1:${port}/tthc`, 'stats', '--year', '2022');
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(
      `tthc: không kết nối được cơ sở dữ liệu postgres://tthc:***@127.0.0.1:${port}/tthc: máy chủ PostgreSQL 127.0.0.1:${port} ` +
        `không nhận kết nối: máy chủ chưa chạy, hoặc sai tên máy hay cổng (connect ECONNREFUSED 127.0.0.1:${port})\n`,
    );
    expect(r.stderr).not.toContain('bi-mat');
  });

  const pgAdminUrl = inject('pgAdminUrl');
  it.skipIf(!pgAdminUrl)('a PostgreSQL database that does not exist', async () => {
    const url = new URL(pgAdminUrl!);
    url.pathname = '/tthc_khong_co';
    const r = await tthc('--db', url.toString(), 'stats', '--year', '2022');
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(
      new RegExp(`^tthc: không kết nối được cơ sở dữ liệu .+: máy chủ PostgreSQL ${url.host} chưa có cơ sở dữ liệu "tthc_khong_co" \\(tạo bằng: createdb tthc_khong_co\\) \\(database "tthc_khong_co" does not exist\\)\\n$`),
    );
  });
});

describe('a bug in tthc, as opposed to a user error', () => {
  const capture = (body: () => number) => {
    const lines: string[] = [];
    const write = process.stderr.write;
    process.stderr.write = ((chunk: string) => lines.push(String(chunk)) > 0) as typeof process.stderr.write;
    try {
      return { code: body(), text: lines.join('') };
    } finally {
      process.stderr.write = write;
    }
  };
  const bug = () => {
    const error = new TypeError("Cannot read properties of undefined (reading 'x')\nsecond line");
    error.stack = 'TypeError: …\n    at readRow (src/import/x.ts:1:1)';
    return error;
  };

  it('prints one line with how to see more, and exit code 2', () => {
    const saved = process.env.TTHC_DEBUG;
    delete process.env.TTHC_DEBUG;
    try {
      const { code, text } = capture(() => reportBug(bug()));
      expect(code).toBe(2);
      expect(text.trimEnd().split('\n')).toHaveLength(1);
      expect(text).toContain("reading 'x'");
      expect(text).toContain('chạy lại với TTHC_DEBUG=1 để xem chi tiết');
      expect(text).not.toContain('at readRow');
    } finally {
      if (saved !== undefined) process.env.TTHC_DEBUG = saved;
    }
  });

  it('prints the stack with TTHC_DEBUG', () => {
    process.env.TTHC_DEBUG = '1';
    try {
      const { code, text } = capture(() => reportBug(bug()));
      expect(code).toBe(2);
      expect(text).toContain('at readRow');
    } finally {
      delete process.env.TTHC_DEBUG;
    }
  });
});
