import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../helpers/databases.ts';
import { haveTools } from '../helpers/tools.ts';
import { tthc } from '../helpers/cli.ts';
import { COMMUNE, DISTRICT, importRows } from '../stats/fixtures.ts';
import { PROGRESS_766_ROWS } from '../stats/progress766-fixture.ts';
import { openDatabase } from '../../src/db/connection.ts';

// The Word report with QĐ 766's progress section (`tthc report --format docx --sheets chi-so-766`), read back with
// unzip. March 2024, counted by hand (test/stats/progress766-fixture.ts): the district handled 11 dossiers, 7 in
// time (63,64 %, 20 × 7/11 = 12,73 points); the commune 2 and 1 (50,00 %, 10,00); together 13 and 8: 61,54 %,
// 20 × 8/13 = 12,31 points.

const UNZIP = haveTools('Word report read back', ['unzip']);

const ROWS = PROGRESS_766_ROWS;

const texts = (xml: string) =>
  [...xml.matchAll(/<w:p[ >][\s\S]*?<\/w:p>/g)].map((p) => [...p[0].matchAll(/<w:t(?: [^>]*)?>([^<]*)<\/w:t>/g)].map((t) => t[1]).join(''));
const tables = (xml: string) =>
  [...xml.matchAll(/<w:tbl>[\s\S]*?<\/w:tbl>/g)].map((t) =>
    [...t[0].matchAll(/<w:tr[ >][\s\S]*?<\/w:tr>/g)].map((r) => [...r[0].matchAll(/<w:tc>[\s\S]*?<\/w:tc>/g)].map((c) => texts(c[0]).join('\n'))),
  );

describe.skipIf(!UNZIP)('Word report with the 766 section', () => {
  it('adds the progress per unit and its sentence when the report asks for "Chỉ số 766", and leaves it out otherwise', async () => {
    const dir = tempDir();
    const target = join(dir, 'tthc.db');
    const db = await openDatabase(target);
    try {
      await importRows(db, dir, ROWS);
    } finally {
      await db.destroy();
    }
    const out = join(dir, 'bao-cao.docx');
    const written = await tthc('--db', target, 'report', '--month', '2024-03', '--out', out, '--sheets', 'chi-so-766');
    expect(written.code, written.stderr).toBe(0);
    const xml = execFileSync('unzip', ['-p', out, 'word/document.xml'], { encoding: 'utf8', maxBuffer: 64 << 20 });
    const paragraphs = texts(xml);
    expect(paragraphs).toContain('III. TIẾN ĐỘ GIẢI QUYẾT HỒ SƠ THEO CHỈ SỐ 766');
    expect(paragraphs).toContain('IV. BIỂU ĐỒ');
    expect(paragraphs).toContain(
      'Theo Chỉ số 766 (Quyết định số 766/QĐ-TTg), trong kỳ có 13 hồ sơ đã và đang giải quyết, trong đó 8 hồ sơ đúng tiến độ, ' +
        'đạt tỷ lệ 61,54 %, tương ứng 12,31/20 điểm tiến độ giải quyết.',
    );
    const table = tables(xml).find((t) => t[0][0] === 'Đơn vị' && t[0].includes('Đúng tiến độ'))!;
    expect(table[0]).toEqual(['Đơn vị', 'Đã và đang giải quyết', 'Đúng tiến độ', 'Tỷ lệ đúng tiến độ', 'Điểm (tối đa 20)']);
    expect(table.find((r) => r[0] === DISTRICT)).toEqual([DISTRICT, '11', '7', '63,64 %', '12,73']);
    expect(table.find((r) => r[0] === COMMUNE)).toEqual([COMMUNE, '2', '1', '50,00 %', '10,00']);

    const plainOut = join(dir, 'bao-cao-thuong.docx');
    expect((await tthc('--db', target, 'report', '--month', '2024-03', '--out', plainOut)).code).toBe(0);
    const plain = texts(execFileSync('unzip', ['-p', plainOut, 'word/document.xml'], { encoding: 'utf8', maxBuffer: 64 << 20 }));
    expect(plain.some((p) => p.includes('CHỈ SỐ 766'))).toBe(false);
    expect(plain).toContain('III. BIỂU ĐỒ');
  });
});
