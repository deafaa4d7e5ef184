import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/db/connection.ts';
import { writeReport, type ReportResult } from '../../src/report/index.ts';
import { tempDir } from '../helpers/databases.ts';
import { importFixture, PERIOD } from './fixtures.ts';
import { haveTools } from '../helpers/tools.ts';

// The workbook as LibreOffice prints it: each sheet on the pages planned, every word at 9 pt or more, no total
// line alone on a page. The sheet of a page is read from its footer ("<sheet> – trang n/N"); font sizes from the
// height of the words' boxes (pdftotext -bbox), in the unit a sheet printed at 100 % gives for its 12 pt text.
// Needs Debian packages libreoffice-calc, poppler-utils, fonts-liberation2 and fonts-crosextra-carlito (Carlito:
// the widths of Calibri, in which Excel measures columns).

const TOOLS = haveTools('printed workbook (LibreOffice)', ['soffice'], ['pdftotext']);

describe.skipIf(!TOOLS)('printed workbook (LibreOffice)', () => {
  let pdf: string;
  let result: ReportResult;
  let pages: Array<{ sheet: string; text: string; heights: number[] }>;
  beforeAll(async () => {
    const dir = tempDir();
    const db = await openDatabase(join(dir, 'tthc.db'));
    await importFixture(db, dir, { procedures: true });
    // Compared periods make Theo đơn vị wide; the full yearly columns make Theo năm and Theo tháng wider than a page.
    result = await writeReport(db, {
      query: { period: PERIOD },
      out: join(dir, 'bao-cao.xlsx'),
      compare: [{ from: '2021-01-01', to: '2021-12-31' }, { from: '2022-01-01', to: '2022-12-31' }, PERIOD],
    });
    await db.destroy();
    const profile = join(dir, 'lo-profile');
    mkdirSync(join(profile, 'user'), { recursive: true });
    writeFileSync(
      join(profile, 'user', 'registrymodifications.xcu'),
      '<?xml version="1.0" encoding="UTF-8"?><oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">' +
        '<item oor:path="/org.openoffice.Setup/L10N"><prop oor:name="ooSetupSystemLocale" oor:op="fuse"><value>vi-VN</value></prop></item></oor:items>',
    );
    execFileSync('soffice', [`-env:UserInstallation=file://${profile}`, '--headless', '--calc', '--convert-to', 'pdf', '--outdir', dir, result.path], {
      stdio: 'ignore',
      timeout: 180_000,
    });
    pdf = join(dir, 'bao-cao.pdf');
    const count = Number(/Pages:\s+(\d+)/.exec(execFileSync('pdfinfo', [pdf], { encoding: 'utf8' }))![1]);
    pages = [];
    for (let p = 1; p <= count; p++) {
      const text = execFileSync('pdftotext', ['-f', String(p), '-l', String(p), '-layout', pdf, '-'], { encoding: 'utf8' });
      const sheet = /(\S.*?) – trang \d+\/\d+/.exec(text)?.[1] ?? '?';
      const bbox = execFileSync('pdftotext', ['-f', String(p), '-l', String(p), '-bbox', pdf, '-'], { encoding: 'utf8' });
      const heights = [...bbox.matchAll(/<word xMin="[\d.]+" yMin="([\d.]+)" xMax="[\d.]+" yMax="([\d.]+)">/g)].map((m) => Number(m[2]) - Number(m[1]));
      pages.push({ sheet, text, heights });
    }
  }, 240_000);

  it('each sheet prints on the pages planned, A4 landscape', () => {
    const info = execFileSync('pdfinfo', [pdf], { encoding: 'utf8' });
    expect(info).toMatch(/Page size:\s+841\.\d+ x 595\.\d+ pts \(A4\)/);
    const counted = new Map<string, number>();
    for (const p of pages) counted.set(p.sheet, (counted.get(p.sheet) ?? 0) + 1);
    expect([...counted.keys()]).toEqual(result.sheets);
    for (const [name, plan] of result.prints) expect(counted.get(name), name).toBe(plan.pages);
    // Theo năm's full columns do not fit one page at 9 pt: two parts, each with the labels.
    expect(result.prints.get('Theo năm')!.columnBreaks.length).toBeGreaterThan(0);
    const nam = pages.filter((p) => p.sheet === 'Theo năm');
    for (const p of nam) expect(p.text).toContain('Cấp huyện');
  });

  it('every word prints at 9 pt or more', () => {
    // The unit: Danh mục TTHC prints at 100 %, its body text is 12 pt.
    const scale100 = [...result.prints].find(([, plan]) => plan.scale === 100)![0];
    const reference = pages.find((p) => p.sheet === scale100)!.heights;
    const mode = [...reference].sort((a, b) => reference.filter((h) => h === b).length - reference.filter((h) => h === a).length)[0];
    const perPoint = mode / 12;
    for (const p of pages) {
      if (!p.heights.length) continue;
      expect(Math.min(...p.heights) / perPoint, p.sheet).toBeGreaterThanOrEqual(8.95);
    }
  });

  it('rates print as the text writes them: "66,7 %", never "66.7%" or "66,7%"', () => {
    const all = pages.map((p) => p.text).join('\n');
    expect(all).toMatch(/\d+,\d %/);
    expect(all).not.toMatch(/\d%/);
  });

  it('no total line alone on a page', () => {
    for (const p of pages) {
      const lines = p.text.split('\n');
      const total = lines.findIndex((l) => /^\s*(Tổng cộng|Cộng năm)/.test(l) || /\s{2}Tổng cộng\s/.test(l));
      if (total < 0) continue;
      // Above the total on its page: at least one line of figures that is not a header.
      const figures = lines.slice(0, total).filter((l) => /\d{1,3}(\.\d{3})*\s+\d/.test(l) && !/trang/.test(l));
      expect(figures.length, `${p.sheet}: ${lines[total].trim()}`).toBeGreaterThan(0);
    }
  });
});
if (!TOOLS) describe('printed workbook', () => it.skip('needs soffice (libreoffice-calc) and pdftotext (poppler-utils)', () => {}));
