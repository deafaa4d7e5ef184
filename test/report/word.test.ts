import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../../src/db/connection.ts';
import { writeReport } from '../../src/report/index.ts';
import { computeStats } from '../../src/stats/compute.ts';
import { tempDir } from '../helpers/databases.ts';
import { importFixture, PERIOD } from './fixtures.ts';
import { haveTools } from '../helpers/tools.ts';

// The Word report read back by readers that are not ours: unzip (Info-ZIP) and the XML of word/document.xml,
// and LibreOffice turning it into PDF text (pdftotext) where they are installed. The expected figures are worked
// out by hand from the dossiers in fixtures.ts (2021–2022, every field).

const UNZIP = haveTools('Word report read back', ['unzip']);
const SOFFICE = haveTools('Word report through LibreOffice', ['soffice'], ['pdftotext']);

function part(docx: string, name: string): string {
  return execFileSync('unzip', ['-p', docx, name], { encoding: 'utf8', maxBuffer: 64 << 20 });
}

/** Texts of the paragraphs of an XML fragment, each the join of its <w:t> runs. */
function texts(xml: string): string[] {
  return [...xml.matchAll(/<w:p[ >][\s\S]*?<\/w:p>/g)].map((p) => [...p[0].matchAll(/<w:t(?: [^>]*)?>([^<]*)<\/w:t>/g)].map((t) => t[1]).join(''));
}

/** Tables as rows of cell texts (top-level tables; the report nests none). */
function tables(xml: string): string[][][] {
  return [...xml.matchAll(/<w:tbl>[\s\S]*?<\/w:tbl>/g)].map((t) =>
    [...t[0].matchAll(/<w:tr[ >][\s\S]*?<\/w:tr>/g)].map((r) => [...r[0].matchAll(/<w:tc>[\s\S]*?<\/w:tc>/g)].map((c) => texts(c[0]).join('\n'))),
  );
}

const decode = (s: string) => s.replace(/&quot;/g, '"').replace(/&amp;/g, '&').replace(/&lt;/g, '<').replace(/&gt;/g, '>');

describe.skipIf(!UNZIP)('Word report (tthc report --out …docx)', () => {
  let dir: string;
  let db: Db;
  let docx: string;
  let bare: string;
  let document: string;
  beforeAll(async () => {
    dir = tempDir();
    db = await openDatabase(join(dir, 'tthc.db'));
    await importFixture(db, dir);
    const letterhead = join(dir, 'vb.json');
    writeFileSync(
      letterhead,
      JSON.stringify({
        superior: 'UBND tỉnh Phú Thọ',
        issuer: 'Ủy ban nhân dân huyện Hạ Hoà',
        number: '125/BC-UBND',
        place: 'Hạ Hoà',
        date: '2023-05-26',
        signerAuthority: 'TM. Ủy ban nhân dân',
        signerTitle: 'Chủ tịch',
        recipients: ['UBND tỉnh (b/c);', 'Lưu: VT.'],
      }),
    );
    const { loadLetterhead } = await import('../../src/report/index.ts');
    docx = join(dir, 'bao-cao.docx');
    const result = await writeReport(db, { query: { period: PERIOD }, out: docx, letterhead: loadLetterhead(letterhead) });
    expect(result.format).toBe('docx');
    bare = join(dir, 'trong.docx');
    await writeReport(db, { query: { period: PERIOD }, out: bare });
    document = decode(part(docx, 'word/document.xml'));
  }, 120_000);

  it('the header block of NĐ 30: issuer under its superior, quốc hiệu, tiêu ngữ, number, place and date in italics', () => {
    const [head] = tables(document);
    expect(head[0][0].split('\n')).toEqual(['UBND TỈNH PHÚ THỌ', 'ỦY BAN NHÂN DÂN HUYỆN HẠ HOÀ', '', 'Số: 125/BC-UBND']);
    expect(head[0][1].split('\n')).toEqual(['CỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM', 'Độc lập - Tự do - Hạnh phúc', '', 'Hạ Hoà, ngày 26 tháng 05 năm 2023']);
    expect(document).toMatch(/<w:i\/>[\s\S]{0,400}<w:t[^>]*>Hạ Hoà, ngày 26 tháng 05 năm 2023</);
    // The header table has no borders.
    const headXml = /<w:tbl>[\s\S]*?<\/w:tbl>/.exec(document)![0];
    expect(headXml).not.toMatch(/w:val="single"[^>]*\/>\s*<w:left/);
    const paragraphs = texts(document);
    const title = paragraphs.indexOf('BÁO CÁO');
    expect(title).toBeGreaterThan(0);
    expect(paragraphs[title + 2]).toBe('(Năm 2021–2022, từ ngày 01/01/2021 đến ngày 31/12/2022)');
  });

  it('blanks to fill where no letterhead is given', () => {
    const [head] = tables(decode(part(bare, 'word/document.xml')));
    expect(head[0][0]).toContain('Số: ……/BC-……');
    expect(head[0][1]).toContain('……, ngày …… tháng …… năm ……');
  });

  it('the paragraphs and the yearly table of each level hold the figures worked out by hand', () => {
    const paragraphs = texts(document);
    const p2022 = paragraphs.find((p) => p.startsWith('Năm 2022, hệ thống một cửa điện tử của huyện'))!;
    // 2022, district: new H-5 (direct), H-6 (online), H-7 (postal); H-4 carried over; resolved H-4, H-6 early, H-5 rejected.
    expect(p2022).toContain('đã tiếp nhận, giải quyết 4 hồ sơ.');
    expect(p2022).toContain('số từ kỳ trước chuyển sang 1 hồ sơ; số mới tiếp nhận 3 hồ sơ');
    expect(p2022).toContain('tiếp nhận trực tuyến 1 hồ sơ, chiếm 33,3 %');
    expect(p2022).toContain('Đã giải quyết 3 hồ sơ, trong đó trước hạn 2 hồ sơ, đúng hạn 0 hồ sơ, quá hạn 0 hồ sơ, từ chối giải quyết 1 hồ sơ');
    expect(p2022).toContain('tỷ lệ giải quyết sớm và đúng hạn đạt 66,7 %.');
    const yearly = tables(document).find((t) => t.some((r) => r[0] === 'Năm'))!;
    const header = yearly[0];
    expect(header[0]).toBe('Năm');
    const rows = yearly.filter((r) => /^20\d\d$/.test(r[0]));
    // Năm | direct online postal liên thông | carried | to handle | early on-time late rejected | resolved | pending | rate
    expect(rows[0]).toEqual(['2021', '0', '2', '0', '1', '1', '4', '1', '1', '1', '0', '3', '1', '66,7 %']);
    expect(rows[1]).toEqual(['2022', '1', '1', '1', '0', '1', '4', '2', '0', '0', '1', '3', '1', '66,7 %']);
  });

  it('every figure of the yearly tables is computeStats, in vi-VN form, and the paragraphs say the same numbers', async () => {
    const stats = await computeStats(db, { period: PERIOD, by: ['year', 'level'] });
    const vi = (n: number) => n.toLocaleString('vi-VN');
    const pct = (x: number) => `${(x * 100).toFixed(1).replace('.', ',')} %`;
    const yearly = tables(document).filter((t) => t[0][0] === 'Năm');
    const paragraphs = texts(document);
    expect(yearly).toHaveLength(2);
    (['huyen', 'xa'] as const).forEach((level, i) => {
      const rows = yearly[i].filter((r) => /^20\d\d$/.test(r[0]));
      const expected = stats.filter((s) => s.level === level);
      expect(rows).toHaveLength(expected.length);
      rows.forEach((cells, k) => {
        const s = expected[k];
        expect(cells).toEqual([
          s.from.slice(0, 4),
          ...[s.receivedDirect, s.receivedOnline, s.receivedPostal, s.receivedLienThong, s.carriedOver, s.receivedTotal + s.carriedOver,
            s.resolvedEarly, s.resolvedOnTime, s.resolvedLate, s.resolvedRejected, s.resolvedTotal, s.pendingTotal].map(vi),
          s.onTimeRate === null ? '–' : pct(s.onTimeRate),
        ]);
        const words = level === 'huyen' ? 'của huyện' : 'cấp xã';
        const paragraph = paragraphs.find((p) => p.startsWith(`Năm ${cells[0]}, hệ thống một cửa điện tử ${words}`))!;
        expect(paragraph).toContain(`đã tiếp nhận, giải quyết ${cells[6]} hồ sơ`);
        expect(paragraph).toContain(`Đã giải quyết ${cells[11]} hồ sơ, trong đó trước hạn ${cells[7]} hồ sơ, đúng hạn ${cells[8]} hồ sơ, quá hạn ${cells[9]} hồ sơ`);
        expect(paragraph).toContain(`đang giải quyết ${cells[12]} hồ sơ`);
        if (s.onTimeRate !== null) expect(paragraph).toContain(`đạt ${cells[13]}.`);
      });
    });
  });

  it('the per-unit table and Biểu 06 in a landscape annex', () => {
    const all = tables(document);
    const units = all.find((t) => t.some((r) => r[0] === 'STT' && r[1] === 'Đơn vị'))!;
    // UBND huyện Hạ Hoà, 2021–2022: 6 new (H-2 … H-7), online H-2, H-3, H-6, one-stop H-5, H-7, liên thông H-4.
    expect(units.find((r) => r[1] === 'UBND huyện Hạ Hoà')!.slice(2)).toEqual(['6', '2', '3', '50,00 %']);
    const form = all.find((t) => t.some((r) => r[1] === 'Lĩnh vực'))!;
    const total = form.find((r) => r[1] === 'Tổng cộng')!;
    // 11 new + H-1 carried over = 12 to handle; pending at the end H-7 (overdue) and X2-2 (on time).
    expect(total[2]).toBe('12');
    expect(total.slice(10)).toEqual(['2', '1', '1']);
    const sections = [...document.matchAll(/<w:sectPr[\s\S]*?<\/w:sectPr>/g)].map((m) => m[0]);
    expect(sections).toHaveLength(2);
    expect(sections[1]).toMatch(/<w:pgSz w:w="16838" w:h="11906" w:orient="landscape"\/>/);
  });

  it('A4, margins 20/20/30/15 mm, Times New Roman 14 pt, page numbers, the two charts as pictures', () => {
    const sections = [...document.matchAll(/<w:sectPr[\s\S]*?<\/w:sectPr>/g)].map((m) => m[0]);
    expect(sections[0]).toMatch(/<w:pgSz w:w="11906" w:h="16838"/);
    const margin = /<w:pgMar ([^>]*)\/>/.exec(sections[0])![1];
    const twips = (name: string) => Number(new RegExp(`w:${name}="(\\d+)"`).exec(margin)![1]);
    // 1 mm = 1440 / 25.4 twips.
    expect(twips('top') / 56.6929).toBeCloseTo(20, 0);
    expect(twips('bottom') / 56.6929).toBeCloseTo(20, 0);
    expect(twips('left') / 56.6929).toBeCloseTo(30, 0);
    expect(twips('right') / 56.6929).toBeCloseTo(15, 0);
    const styles = part(docx, 'word/styles.xml');
    expect(styles).toMatch(/<w:docDefaults>[\s\S]*w:ascii="Times New Roman"[\s\S]*<w:sz w:val="28"\/>[\s\S]*<\/w:docDefaults>/);
    const headers = execFileSync('unzip', ['-Z1', docx], { encoding: 'utf8' }).split('\n').filter((f) => /^word\/header\d+\.xml$/.test(f));
    expect(headers.some((h) => /PAGE/.test(part(docx, h)))).toBe(true);
    const media = execFileSync('unzip', ['-Z1', docx], { encoding: 'utf8' }).split('\n').filter((f) => f.startsWith('word/media/'));
    expect(media).toHaveLength(2);
    for (const m of media) expect(execFileSync('unzip', ['-p', docx, m]).subarray(1, 4).toString()).toBe('PNG');
    expect(document.match(/<w:drawing>/g)).toHaveLength(2);
  });

  it.skipIf(!SOFFICE)('--format pdf writes the report as PDF through LibreOffice', async () => {
    const result = await writeReport(db, { query: { period: PERIOD }, out: join(dir, 'bao-cao-pdf.bin'), format: 'pdf' });
    expect(readFileSync(result.path).subarray(0, 5).toString()).toBe('%PDF-');
    const text = execFileSync('pdftotext', ['-layout', result.path, '-'], { encoding: 'utf8' });
    expect(text).toContain('tỷ lệ giải quyết sớm và đúng hạn đạt 66,7 %');
  }, 180_000);

  it('without LibreOffice, --format pdf says what to install', async () => {
    const before = process.env.TTHC_SOFFICE;
    process.env.TTHC_SOFFICE = join(dir, 'khong-co-soffice');
    try {
      await expect(writeReport(db, { query: { period: PERIOD }, out: join(dir, 'x.pdf') })).rejects.toThrow(
        'cần LibreOffice (lệnh soffice) để ghi PDF; cài gói libreoffice-writer, hoặc ghi .docx rồi tự chuyển',
      );
    } finally {
      if (before === undefined) delete process.env.TTHC_SOFFICE;
      else process.env.TTHC_SOFFICE = before;
    }
  });

  it.skipIf(!SOFFICE)('LibreOffice opens it: A4 pages with the title, the figures and the annex', () => {
    const out = join(dir, 'pdf');
    mkdirSync(out);
    execFileSync('soffice', [`-env:UserInstallation=file://${join(dir, 'lo-profile')}`, '--headless', '--convert-to', 'pdf', '--outdir', out, docx], {
      stdio: 'ignore',
      timeout: 120_000,
    });
    const pdf = join(out, 'bao-cao.pdf');
    const info = execFileSync('pdfinfo', [pdf], { encoding: 'utf8' });
    expect(info).toMatch(/Page size:\s+595\.\d+ x 841\.\d+ pts \(A4\)/);
    const text = execFileSync('pdftotext', ['-layout', pdf, '-'], { encoding: 'utf8' });
    expect(text).toContain('CỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM');
    expect(text).toContain('BÁO CÁO');
    expect(text).toContain('tỷ lệ giải quyết sớm và đúng hạn đạt 66,7 %');
    expect(text).toContain('TÌNH HÌNH, KẾT QUẢ GIẢI QUYẾT TTHC');
    expect(readFileSync(pdf).length).toBeGreaterThan(10_000);
  }, 180_000);
});
if (!UNZIP) describe('Word report', () => it.skip('needs unzip (Debian package unzip) to read the .docx back', () => {}));
