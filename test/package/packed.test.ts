import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// The package as a user gets it: `npm pack` of the build the test setup made (test/helpers/build-global-setup.ts;
// --ignore-scripts, so that no rebuild runs under the other tests), the tarball unpacked into an empty folder's
// node_modules/tthc, its declared dependencies beside it (linked to this repository's copies: the tarball's own
// files are what is under test, and no network is needed). A program there imports 'tthc' by its name.

const root = join(import.meta.dirname, '..', '..');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { name: string; version: string; dependencies: Record<string, string> };
let dir: string;
let installed: string;

// Four dossiers of January 2022, counted by hand: received 2 online and 2 directly; resolved 1 early (05/01, due
// 10/01), 1 on time (on its due day), 1 late (12/01, due 07/01); 1 pending at the end of 2022 and overdue.
const EXPORT = [
  'Mã hồ sơ,Đơn vị tiếp nhận,Hình thức nộp,Ngày tiếp nhận,Ngày hẹn trả,Ngày kết thúc xử lý,Trạng thái',
  'P-01,UBND xã Ấm Hạ,Trực tuyến,03/01/2022 08:00,10/01/2022 17:00,05/01/2022 09:00,Đã trả kết quả',
  'P-02,UBND xã Ấm Hạ,Trực tiếp,04/01/2022 08:00,10/01/2022 17:00,10/01/2022 16:00,Đã trả kết quả',
  'P-03,UBND huyện Hạ Hoà,Trực tiếp,05/01/2022 08:00,07/01/2022 17:00,12/01/2022 10:00,Đã trả kết quả',
  'P-04,UBND huyện Hạ Hoà,Trực tuyến,06/01/2022 08:00,20/01/2022 17:00,,Đang xử lý',
].join('\r\n');

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'tthc-packed-'));
  const out = execFileSync('npm', ['pack', '--silent', '--ignore-scripts', '--pack-destination', dir], { cwd: root, encoding: 'utf8' });
  const tarball = join(dir, out.trim().split('\n').pop()!);
  installed = join(dir, 'node_modules', pkg.name);
  mkdirSync(installed, { recursive: true });
  execFileSync('tar', ['-xzf', tarball, '-C', installed, '--strip-components=1']);
  for (const name of Object.keys(pkg.dependencies)) {
    const link = join(dir, 'node_modules', name);
    mkdirSync(dirname(link), { recursive: true });
    symlinkSync(join(root, 'node_modules', name), link, 'dir');
  }
  writeFileSync(join(dir, 'package.json'), '{ "type": "module", "private": true }\n');
  writeFileSync(join(dir, 'thang-1.csv'), EXPORT);
}, 180_000);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the packed package', () => {
  it('ships the build, the types, the docs and the shipped data, and no sources or tests', () => {
    const files = (sub: string) => readdirSync(join(installed, sub));
    expect(files('dist')).toContain('cli.js');
    expect(files('dist')).toContain('index.js');
    expect(files('dist')).toContain('parse-worker.js');
    expect(existsSync(join(installed, 'dist/types/src/index.d.ts'))).toBe(true);
    expect(files('docs')).toEqual(expect.arrayContaining(['rules.md', 'cli.md']));
    expect(existsSync(join(installed, 'reports/targets.default.json'))).toBe(true);
    expect(existsSync(join(installed, 'LICENSE'))).toBe(true);
    for (const absent of ['src', 'test', 'bench', 'schema', 'tsconfig.json']) expect(existsSync(join(installed, absent)), absent).toBe(false);
  });

  it('runs as a library: import, statistics and the error type, by the package name', () => {
    writeFileSync(
      join(dir, 'example.mjs'),
      `import { openDatabase, importFiles, computeStats, yearPeriod, UserError } from 'tthc';
const db = await openDatabase('example.db');
const [summary] = await importFiles(db, ['thang-1.csv']);
const [row] = await computeStats(db, { period: yearPeriod(2022) });
let userError = false;
try { await openDatabase('no-such-folder/x.db'); } catch (error) { userError = error instanceof UserError; }
await db.destroy();
console.log(JSON.stringify({ newDossiers: summary.newDossiers, row, userError }));
`,
    );
    const run = spawnSync(process.execPath, ['example.mjs'], { cwd: dir, encoding: 'utf8' });
    expect(run.stderr).toBe('');
    const { newDossiers, row, userError } = JSON.parse(run.stdout);
    expect(newDossiers).toBe(4);
    expect(row).toMatchObject({
      receivedTotal: 4, receivedOnline: 2, receivedDirect: 2, carriedOver: 0,
      resolvedEarly: 1, resolvedOnTime: 1, resolvedLate: 1, resolvedTotal: 3,
      pendingTotal: 1, pendingOverdue: 1,
    });
    expect(row.onTimeRate).toBeCloseTo(2 / 3, 10);
    expect(userError).toBe(true);
  });

  it('type-checks a TypeScript program against the shipped declarations', () => {
    writeFileSync(
      join(dir, 'typed.ts'),
      `import { openDatabase, computeStats, yearPeriod, type StatsRow } from 'tthc';
const db = await openDatabase(':memory:');
const rows: StatsRow[] = await computeStats(db, { period: yearPeriod(2022), by: ['level'] });
const late: number = rows[0].resolvedLate;
// @ts-expect-error: a figure that does not exist
rows[0].resolvedSomehow;
export { late };
`,
    );
    const tsc = spawnSync(
      process.execPath,
      [join(root, 'node_modules/typescript/bin/tsc'), '--noEmit', '--strict', '--skipLibCheck', '--target', 'es2022', '--module', 'nodenext', '--moduleResolution', 'nodenext', 'typed.ts'],
      { cwd: dir, encoding: 'utf8' },
    );
    expect(tsc.stdout + tsc.stderr).toBe('');
    expect(tsc.status).toBe(0);
  });

  it('runs as a command: --version, import, stats, and a user error in one line', () => {
    const tthc = (...args: string[]) => spawnSync(process.execPath, [join(installed, 'bin/tthc.js'), ...args], { cwd: dir, encoding: 'utf8' });
    expect(tthc('--version').stdout.trim()).toBe(pkg.version);
    expect(tthc('--db', 'cli.db', 'import', 'thang-1.csv').status).toBe(0);
    const stats = tthc('--db', 'cli.db', 'stats', '--year', '2022', '--whole-periods', '--format', 'json');
    expect(stats.status).toBe(0);
    expect(JSON.parse(stats.stdout)[0]).toMatchObject({ receivedTotal: 4, resolvedLate: 1, pendingOverdue: 1 });
    const wrong = tthc('--db', 'cli.db', 'stats', '--year', '22');
    expect(wrong.status).toBe(1);
    expect(wrong.stderr.trim().split('\n')).toHaveLength(1);
    expect(wrong.stderr).toMatch(/^tthc: .*--year/);
  });
});
