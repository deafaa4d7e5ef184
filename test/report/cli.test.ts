import { execFile, execFileSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, expect, it } from 'vitest';
import { openDatabase } from '../../src/db/connection.ts';
import { describeEachDatabase } from '../helpers/databases.ts';
import { findRow, importFixture, readWorkbook, text } from './fixtures.ts';

// `tthc report` as a user runs it.

const BIN = resolve(import.meta.dirname, '../../bin/tthc.js');
const run = promisify(execFile);

async function tthc(cwd: string, ...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run('node', [BIN, ...args], { cwd, env: { ...process.env, TTHC_DB: '' } });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

describeEachDatabase('tthc report', (t) => {
  let target: string;
  let dir: string;
  beforeAll(async () => {
    target = await t.newTarget();
    dir = t.tempDir();
    const db = await openDatabase(target);
    await importFixture(db, dir, { procedures: true });
    await db.destroy();
  });

  it('writes the chosen sheets of the given period, with --compare and --targets', async () => {
    writeFileSync(join(dir, 'chi-tieu.json'), JSON.stringify({ source: 'Kế hoạch của huyện', year: 2025, onlineRate: { huyen: 0.75, xa: 0.65 } }));
    const r = await tthc(
      dir, '--db', target, 'report', '--years', '2021-2022', '--exclude-field', 'Bảo hiểm xã hội',
      '--sheets', 'theo-nam,chi-tieu,theo-don-vi', '--compare', '2021', '2022-01..2022-06', '--targets', 'chi-tieu.json',
      '--out', 'out/bao-cao.xlsx',
    );
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('Đã ghi out/bao-cao.xlsx: Theo năm, Theo đơn vị, Chỉ tiêu\n');
    const wb = await readWorkbook(join(dir, 'out/bao-cao.xlsx'));
    expect(wb.worksheets.map((w) => w.name)).toEqual(['Theo năm', 'Theo đơn vị', 'Chỉ tiêu']);
    const units = wb.getWorksheet('Theo đơn vị')!;
    const top = findRow(units, 1, 'STT');
    expect(text(units.getCell(top, 3))).toBe('Năm 2021');
    expect(text(units.getCell(top, 7))).toBe('Tháng 1–6/2022');
    const targets = wb.getWorksheet('Chỉ tiêu')!;
    expect(text(targets.getCell(findRow(targets, 1, 'Cấp'), 6))).toBe('Chỉ tiêu năm 2025');
  });

  it('--compare alone sets the period; --text prints the paragraphs', async () => {
    const r = await tthc(dir, '--db', target, 'report', '--compare', '2022-03', '2022', '--sheets', 'theo-don-vi', '--out', 'pl02.xlsx');
    expect(r.code).toBe(0);
    expect(existsSync(join(dir, 'pl02.xlsx'))).toBe(true);

    const text = await tthc(dir, '--db', target, 'report', '--year', '2022', '--exclude-field', 'Bảo hiểm xã hội', '--text');
    expect(text.code).toBe(0);
    const lines = text.stdout.split('\n');
    expect(lines[0]).toBe('CẤP HUYỆN');
    expect(lines[2]).toMatch(/^Năm 2022, hệ thống một cửa điện tử của huyện đã tiếp nhận, giải quyết 3 hồ sơ \(không tính hồ sơ lĩnh vực Bảo hiểm xã hội\)\./);
    expect(text.stdout).toContain('CẤP XÃ');
    expect(text.stdout).toContain('tỷ lệ giải quyết sớm và đúng hạn đạt 100,0 %.');
  });

  it('a wrong sheet, period or targets file is one line and exit code 1', async () => {
    for (const args of [
      ['--year', '2022', '--sheets', 'theo-nam,bieu-07'],
      ['--year', '2022', '--compare', '2022-13'],
      ['--year', '2022', '--targets', 'khong-co.json'],
      ['--year', '2022', '--columns', 'compact,tongSo'],
      ['--year', '2022', '--format', 'odt'],
      ['--year', '2022', '--date', '26/05/2023'],
    ]) {
      const r = await tthc(dir, '--db', target, 'report', ...args, '--out', 'x.xlsx');
      expect(r.code, args.join(' ')).toBe(1);
      expect(r.stderr.trim().split('\n'), args.join(' ')).toHaveLength(1);
      expect(r.stderr).toMatch(/^tthc: /);
    }
    expect(existsSync(join(dir, 'x.xlsx'))).toBe(false);
  });

  it('--format docx writes the Word report where --out would put the workbook; the letterhead from a file and options', async () => {
    writeFileSync(join(dir, 'vb.json'), JSON.stringify({ issuer: 'UBND huyện Hạ Hoà', recipients: ['Lưu: VT.'] }));
    const r = await tthc(dir, '--db', target, 'report', '--year', '2022', '--format', 'docx', '--letterhead', 'vb.json', '--place', 'Hạ Hoà');
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe('Đã ghi reports/bao-cao.docx\n');
    const xml = execFileSync('unzip', ['-p', join(dir, 'reports/bao-cao.docx'), 'word/document.xml'], { encoding: 'utf8' });
    expect(xml).toContain('UBND HUYỆN HẠ HOÀ');
    expect(xml).toContain('Hạ Hoà, ngày …… tháng …… năm ……');
    const bad = await tthc(dir, '--db', target, 'report', '--year', '2022', '--out', 'b.docx', '--letterhead', 'chi-tieu.json');
    expect(bad.code).toBe(1);
    expect(bad.stderr).toBe('tthc: chi-tieu.json: trường không có: "source", "year", "onlineRate" (chọn trong: superior, issuer, number, place, date, title, signerAuthority, signerTitle, signerName, recipients)\n');
  });
});
