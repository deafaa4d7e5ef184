import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// Every `npx tthc …` line of the README's shell examples, run as printed (through the built bin/tthc.js) in a
// folder where `tthc demo` ran first, with TTHC_DB=./tthc-demo.db as the README suggests. The files the examples
// name that the demo does not write are made here: a real LibreOffice .xls from the fixture corpus, a workbook of
// two sheets, an ASCII CSV with month-first dates, a reform mapping and a table of published figures.

const root = resolve(import.meta.dirname, '../..');
const README = readFileSync(join(root, 'README.md'), 'utf8');
const BIN = join(root, 'bin', 'tthc.js');

/** The README's example command lines: `npx tthc …` inside ```sh blocks, without their trailing comments. */
function exampleCommands(): string[][] {
  const lines: string[][] = [];
  for (const block of README.matchAll(/```sh\n([\s\S]*?)```/g)) {
    for (const line of block[1].split('\n')) {
      const words = shellWords(line);
      const at = words.indexOf('npx');
      if (at >= 0 && words[at + 1] === 'tthc') lines.push(words.slice(at + 2, words.indexOf('&&', at) >= 0 ? words.indexOf('&&', at) : undefined));
    }
  }
  return lines;
}

/** A line's words as a POSIX shell splits them (double and single quotes), up to a `#` comment. */
function shellWords(line: string): string[] {
  const words: string[] = [];
  const re = /"([^"]*)"|'([^']*)'|(#.*$)|(\S+)/g;
  for (const m of line.matchAll(re)) {
    if (m[3] !== undefined) break;
    words.push(m[1] ?? m[2] ?? m[4]);
  }
  return words;
}

let dir: string;
const run = (args: string[]) =>
  spawnSync(process.execPath, [BIN, ...args], { cwd: dir, encoding: 'utf8', maxBuffer: 512 * 1024 * 1024, env: { ...process.env, TTHC_DB: './tthc-demo.db', TTHC_DEBUG: '' } });

async function workbook(path: string, sheets: Array<{ name: string; rows: unknown[][] }>) {
  const book = new ExcelJS.Workbook();
  for (const sheet of sheets) book.addWorksheet(sheet.name).addRows(sheet.rows);
  await book.xlsx.writeFile(path);
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'tthc-readme-'));
  const demo = run(['demo']);
  expect(demo.status, demo.stderr).toBe(0);
  copyFileSync(join(root, 'test/fixtures/exports/libreoffice/danh-sach-ho-so.xls'), join(dir, 'danh-sach-ho-so-03-2021.xls'));
  const header = ['Mã hồ sơ', 'Đơn vị tiếp nhận', 'Hình thức nộp', 'Ngày tiếp nhận', 'Ngày hẹn trả', 'Ngày kết thúc xử lý', 'Trạng thái'];
  await workbook(join(dir, 'bao-cao-quy-1.xlsx'), [
    { name: 'Hướng dẫn', rows: [['Danh sách hồ sơ quý 1/2021, xem trang "Danh sách"']] },
    { name: 'Danh sách', rows: [header, ['README-Q1-01', 'UBND xã Hiền Lương', 'Trực tuyến', '05/01/2021 08:00', '12/01/2021 17:00', '11/01/2021 10:00', 'Đã trả kết quả']] },
  ]);
  // A real Windows-1258 CSV of the corpus; and one with month-first dates and the file's own word "Kiosk".
  copyFileSync(join(root, 'test/fixtures/exports/csv/windows-1258.csv'), join(dir, 'xuat-tu-phan-mem.csv'));
  writeFileSync(join(dir, 'he-thong-cu.csv'), [
    'Mã hồ sơ,Đơn vị tiếp nhận,Hình thức nộp,Ngày tiếp nhận,Ngày hẹn trả,Trạng thái',
    'README-X-01,UBND xã Hiền Lương,Kiosk,3/13/2021 08:00,3/20/2021 17:00,Đang xử lý',
  ].join('\r\n'));
  await workbook(join(dir, 'sap-xep-don-vi-2025.xlsx'), [
    { name: 'Sắp xếp', rows: [['Tên đơn vị cũ', 'Mã đơn vị mới', 'Tên đơn vị mới', 'Từ ngày'], ['UBND xã Vô Tranh', '002.01.18.H47', 'UBND xã Vô Tranh', '01/07/2025']] },
  ]);
  // Two figures the Hạ Hoà report published for 2022, commune level, without Bảo hiểm xã hội (the examples'
  // imports above add dossiers of the district and of 2021 only).
  await workbook(join(dir, 'so-lieu-bao-cao.xlsx'), [
    { name: 'Số liệu', rows: [['Kỳ', 'Cấp / đơn vị', 'Chỉ tiêu', 'Giá trị công bố'], ['Năm 2022', 'Cấp xã', 'resolvedLate', 272], ['Năm 2022', 'Cấp xã', 'resolvedRejected', 20]] },
  ]);
}, 300_000);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the README examples', () => {
  const commands = exampleCommands();

  it('are found (the demo, the imports, stats, dossiers, report, verify and check)', () => {
    const names = new Set(commands.map((c) => c.find((w) => !w.startsWith('-'))));
    for (const name of ['demo', 'import', 'units', 'procedures', 'batches', 'rejects', 'stats', 'dossiers', 'report', 'verify', 'check']) {
      expect(names, name).toContain(name);
    }
  });

  it.each(commands.filter((c) => c[0] !== 'demo').map((c) => [c.join(' '), c]))('tthc %s', (_, args) => {
    const result = run(args as string[]);
    expect(result.stderr).not.toMatch(/lỗi không mong đợi/);
    expect(result.status, `exit code ${result.status}: ${result.stderr}${result.stdout.slice(0, 2000)}`).toBe(0);
    const out = (args as string[])[(args as string[]).indexOf('--out') + 1];
    if ((args as string[]).includes('--out')) expect(existsSync(join(dir, out)) && statSync(join(dir, out)).size > 0, out).toBe(true);
    else expect(result.stdout.length + result.stderr.length).toBeGreaterThan(0);
  });
});
