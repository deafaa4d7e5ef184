import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../helpers/databases.ts';
import { haveTools } from '../helpers/tools.ts';
import { tthc } from '../helpers/cli.ts';
import { COMMUNE, DISTRICT, importRows, type ExportRow } from '../stats/fixtures.ts';
import { openDatabase } from '../../src/db/connection.ts';

// The Word report with QĐ 766's progress section (`tthc report --format docx --sheets chi-so-766`), read back with
// unzip. March 2024, counted by hand (test/stats/progress766.test.ts): the district handled 11 dossiers, 7 in
// time (63,64 %, 20 × 7/11 = 12,73 points); the commune 2 and 1 (50,00 %, 10,00); together 13 and 8: 61,54 %,
// 20 × 8/13 = 12,31 points.

const UNZIP = haveTools('Word report read back', ['unzip']);

const ROWS: ExportRow[] = [
  { code: 'A', received: '01/02/2024 08:00', due: '10/03/2024 17:00', ended: '05/03/2024 09:00', status: 'Đã trả kết quả' },
  { code: 'B', received: '01/03/2024 08:00', due: '10/03/2024 17:00', ended: '10/03/2024 16:00', status: 'Đã trả kết quả' },
  { code: 'C', received: '01/03/2024 08:30', due: '10/03/2024 17:00', ended: '12/03/2024 09:00', status: 'Đã xử lý xong' },
  { code: 'D', received: '02/03/2024 08:00', due: '08/03/2024 17:00', ended: '07/03/2024 10:00', status: 'Từ chối' },
  { code: 'E', received: '02/03/2024 09:00', due: '05/03/2024 17:00', ended: '20/03/2024 10:00', status: 'Công dân rút hồ sơ' },
  { code: 'F', received: '10/03/2024 08:00', due: '31/03/2024 17:00', status: 'Đang xử lý' },
  { code: 'G', received: '10/03/2024 09:00', due: '30/03/2024 17:00', status: 'Yêu cầu bổ sung' },
  { code: 'H', received: '15/03/2024 08:00', status: 'Đang xử lý' },
  { code: 'I', received: '01/02/2024 09:00', due: '25/02/2024 17:00', ended: '20/02/2024 10:00', status: 'Đã trả kết quả' },
  { code: 'J', received: '01/04/2024 08:00', due: '10/04/2024 17:00', status: 'Đang xử lý' },
  { code: 'K', received: '20/03/2024 08:00', due: '25/03/2024 17:00', ended: '02/04/2024 10:00', status: 'Đã trả kết quả' },
  { code: 'L', received: '12/03/2024 08:00', ended: '15/03/2024 10:00', status: 'Đã trả kết quả' },
  { code: 'M', received: '05/03/2024 08:00', due: '20/03/2024 17:00', ended: '18/03/2024 10:00', status: 'Từ chối' },
  { code: 'N', unit: COMMUNE, received: '01/03/2024 08:00', due: '05/03/2024 17:00', status: 'Đang xử lý' },
  { code: 'O', unit: COMMUNE, channel: 'Trực tuyến', received: '01/03/2024 08:00', due: '05/03/2024 17:00', ended: '04/03/2024 10:00', status: 'Đã trả kết quả' },
];

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
