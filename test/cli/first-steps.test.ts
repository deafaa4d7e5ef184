import Sqlite from 'better-sqlite3';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/db/connection.ts';
import { importProcedures } from '../../src/import/index.ts';
import { tthc } from '../helpers/cli.ts';
import { describeEachDatabase, tempDir } from '../helpers/databases.ts';
import { importRows, type ExportRow } from '../stats/fixtures.ts';

// A user's first commands: a reading command on a missing or empty database says so, names the tthc databases
// beside it and how to import, exits 1, and creates nothing.

const READING = [
  ['stats', '--year', '2022'],
  ['dossiers', '--year', '2022', '--figure', 'receivedTotal'],
  ['report', '--year', '2022', '--text'],
  ['batches'],
  ['rejects'],
  ['units', 'list'],
  ['procedures', 'list'],
];

const ROWS: ExportRow[] = Array.from({ length: 7 }, (_, i) => ({ code: `H${i}`, received: '10/03/2022 08:00' }));

describe('a reading command on a missing SQLite database', () => {
  let dir: string;
  let cwd: string;
  let env: string | undefined;
  beforeEach(() => {
    cwd = process.cwd();
    dir = tempDir();
    process.chdir(dir);
    env = process.env.TTHC_DB;
    delete process.env.TTHC_DB;
  });
  afterEach(() => {
    process.chdir(cwd);
    if (env !== undefined) process.env.TTHC_DB = env;
  });

  it('says so in its first line, exits 1 and does not create the file', async () => {
    for (const args of READING) {
      const r = await tthc(...args);
      const name = args[0] === 'units' || args[0] === 'procedures' ? `${args[0]} list` : args[0];
      expect(r.code, name).toBe(1);
      expect(r.stdout, name).toBe('');
      expect(r.stderr.split('\n')[0], name).toBe(
        `tthc: chưa có cơ sở dữ liệu ./tthc.db (tệp không tồn tại; lệnh ${name} chỉ đọc nên không tạo tệp)`,
      );
      expect(r.stderr, name).toContain('tthc import THƯ-MỤC');
      expect(existsSync(join(dir, 'tthc.db')), name).toBe(false);
    }
    // The same for a --db or TTHC_DB that names a missing file.
    const named = await tthc('--db', 'bao-cao/ho-so.db', 'stats', '--year', '2022');
    expect(named.code).toBe(1);
    expect(named.stderr).toMatch(/^tthc: chưa có cơ sở dữ liệu bao-cao\/ho-so\.db /);
  });

  it('names the tthc databases of the folder with their dossier counts, not other files', async () => {
    const demo = await openDatabase(join(dir, 'tthc-demo.db'));
    await importRows(demo, tempDir(), ROWS);
    await demo.destroy();
    const other = new Sqlite(join(dir, 'khac.db')); // a SQLite database of another program
    other.exec('create table notes (text)');
    other.close();
    writeFileSync(join(dir, 'ghi-chu.db'), 'not a database');

    const r = await tthc('stats', '--year', '2022');
    expect(r.code).toBe(1);
    expect(r.stderr.trimEnd().split('\n')).toEqual([
      'tthc: chưa có cơ sở dữ liệu ./tthc.db (tệp không tồn tại; lệnh stats chỉ đọc nên không tạo tệp)',
      '  Cơ sở dữ liệu ở gần: ./tthc-demo.db (7 hồ sơ); chọn bằng --db, ví dụ: tthc --db ./tthc-demo.db stats …',
      '  Nhập dữ liệu: tthc import THƯ-MỤC (các tệp .xlsx/.csv xuất từ hệ thống một cửa); dữ liệu mẫu: tthc demo',
    ]);
    // As suggested, it reads.
    const ok = await tthc('--db', './tthc-demo.db', 'stats', '--year', '2022', '--format', 'json');
    expect(ok.code).toBe(0);
    expect(JSON.parse(ok.stdout)[0].receivedTotal).toBe(7);
  });

  it('a writing command still creates the database', async () => {
    const file = join(dir, 'ho-so.csv');
    writeFileSync(file, 'Mã hồ sơ,Đơn vị tiếp nhận,Ngày tiếp nhận\nA1,UBND huyện Hạ Hoà,10/03/2022 08:00\n');
    const r = await tthc('import', '--silent', file);
    expect(r.code).toBe(0);
    expect(existsSync(join(dir, 'tthc.db'))).toBe(true);
  });
});

describeEachDatabase('a reading command on an empty database', (t) => {
  it('says that nothing was imported, or that only catalogues were', async () => {
    const target = await t.newTarget();
    await (await openDatabase(target)).destroy(); // created and migrated, nothing imported
    for (const args of READING) {
      const r = await tthc('--db', target, ...args);
      expect(r.code, args.join(' ')).toBe(1);
      expect(r.stderr.split('\n')[0], args.join(' ')).toMatch(/^tthc: cơ sở dữ liệu .+ chưa có dữ liệu nào$/);
      expect(r.stderr).toContain('tthc import THƯ-MỤC');
    }

    const db = await openDatabase(target);
    const catalogue = join(t.tempDir(), 'danh-muc-tthc.csv');
    writeFileSync(catalogue, 'Mã thủ tục,Tên thủ tục,Lĩnh vực,Mức độ,Cấp thực hiện\n1.000001,Đăng ký khai sinh,Hộ tịch,4,Cấp xã\n');
    await importProcedures(db, catalogue);
    await db.destroy();
    const stats = await tthc('--db', target, 'stats', '--year', '2022');
    expect(stats.code).toBe(1);
    expect(stats.stderr.split('\n')[0]).toMatch(/^tthc: cơ sở dữ liệu .+ chưa có hồ sơ nào \(mới có danh mục đơn vị hoặc thủ tục\)$/);
    // The catalogue itself can be listed.
    const list = await tthc('--db', target, 'procedures', 'list', '--format', 'json');
    expect(list.code).toBe(0);
    expect(JSON.parse(list.stdout).map((p: { code: string }) => p.code)).toEqual(['1.000001']);
  });
});
