import { execFile } from 'node:child_process';
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { detectFormat } from '../../src/import/readers/detect.ts';
import { inputError } from '../helpers/async.ts';
import { tempDir } from '../helpers/databases.ts';

// detectFormat on files written by real programs (test/fixtures/legacy/make.mjs: LibreOffice, SheetJS,
// xlsx-populate, pdftoppm, zip), and on bytes made here where a format is only its signature.

const execFileAsync = promisify(execFile);
const fixture = (name: string) => join(import.meta.dirname, '..', 'fixtures', 'legacy', name);

function written(name: string, content: string | Buffer): string {
  const path = join(tempDir(), name);
  writeFileSync(path, content);
  return path;
}

describe('spreadsheets, told from their bytes', () => {
  it.each([
    ['lo-ho-so.xlsx', 'xlsx'],
    ['lo-ho-so.xlsm', 'xlsx'],
    ['sj-cong-thuc.xlsx', 'xlsx'],
    ['sj-ho-so.xlsb', 'xlsb'],
    ['lo-ho-so.ods', 'ods'],
    ['lo-ho-so.fods', 'ods'],
    ['lo-ho-so.xls', 'xls'],
    ['sj-ho-so.xls', 'xls'],
    // A password-protected .xls is still a workbook stream: its reader says it has a password.
    ['lo-mat-khau.xls', 'xls'],
    ['lo-ho-so-html.xls', 'xls-html'],
    ['sj-ho-so.html', 'xls-html'],
    ['export-1258.xls', 'xls-html'],
    ['excel-ho-so.mht', 'xls-html'],
    ['sj-ho-so.xml', 'xml2003'],
    ['sj-1904.xml', 'xml2003'],
    ['lo-ho-so.csv', 'csv'],
  ])('%s → %s', async (file, format) => {
    expect(await detectFormat(fixture(file))).toEqual({ format });
  });

  it('never by the name: a .xls workbook named .csv, and an HTML page named .xlsx', async () => {
    const dir = tempDir();
    copyFileSync(fixture('lo-ho-so.xls'), join(dir, 'ho-so.csv'));
    copyFileSync(fixture('export-1258.xls'), join(dir, 'ho-so.xlsx'));
    expect(await detectFormat(join(dir, 'ho-so.csv'))).toEqual({ format: 'xls' });
    expect(await detectFormat(join(dir, 'ho-so.xlsx'))).toEqual({ format: 'xls-html' });
  });

  it('text: CSV in UTF-8, with a BOM, in Windows-1258 or UTF-16 (the CSV reader judges the encoding)', async () => {
    expect(await detectFormat(written('a.csv', 'Mã hồ sơ;Ngày tiếp nhận\r\nH56.01-0001;05/01/2024\r\n'))).toEqual({ format: 'csv' });
    expect(await detectFormat(written('b.csv', '\ufeffMã hồ sơ,Ngày\n'))).toEqual({ format: 'csv' });
    // "Mã hồ sơ" in Windows-1258 (the grave accent as a combining mark, 0xD2).
    const cp1258 = Buffer.from([0x4d, 0xe3, 0x20, 0x68, 0xf4, 0xd2, 0x20, 0x73, 0xf5, 0x0d, 0x0a]);
    expect(await detectFormat(written('c.csv', cp1258))).toEqual({ format: 'csv' });
    expect(await detectFormat(written('d.txt', Buffer.from('\ufeffMã hồ sơ\tNgày\r\n', 'utf16le')))).toEqual({ format: 'csv' });
  });

  it('markup after a BOM, blank lines, a comment or a DOCTYPE', async () => {
    expect(await detectFormat(written('a.xls', '\ufeff\r\n  <!-- xuất từ hệ thống -->\n<TABLE><tr><td>1</td></tr></TABLE>'))).toEqual({
      format: 'xls-html',
    });
    expect(await detectFormat(written('b.xls', '<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0//EN">\n<html><body></body></html>'))).toEqual({
      format: 'xls-html',
    });
    expect(await detectFormat(written('c.xls', Buffer.from('\ufeff<html><table></table></html>', 'utf16le')))).toEqual({ format: 'xls-html' });
    expect(
      await detectFormat(
        written('d.xml', '<?xml version="1.0"?>\n<?mso-application progid="Excel.Sheet"?>\n<ss:Workbook xmlns:ss="urn:schemas-microsoft-com:office:spreadsheet"></ss:Workbook>'),
      ),
    ).toEqual({ format: 'xml2003' });
  });
});

describe('files that are not spreadsheets: what they are and what to do', () => {
  const EXPORT_AGAIN = 'hãy xuất lại danh sách hồ sơ từ hệ thống ra Excel (.xlsx, .xls) hoặc CSV';

  it('a PDF (LibreOffice)', async () => {
    expect(await detectFormat(fixture('lo-ho-so.pdf'))).toEqual({
      unsupported: `tệp PDF, không phải bảng tính: ${EXPORT_AGAIN}`,
      kind: 'pdf',
    });
  });

  it('Word documents, .doc and .docx (LibreOffice Writer)', async () => {
    const advice = `${EXPORT_AGAIN}; nếu danh sách là một bảng trong tệp Word, hãy chép bảng sang Excel rồi lưu dưới dạng .xlsx`;
    expect(await detectFormat(fixture('lo-cong-van.doc'))).toEqual({
      unsupported: `tệp Word (.doc), không phải bảng tính: ${advice}`,
      kind: 'word',
    });
    expect(await detectFormat(fixture('lo-cong-van.docx'))).toEqual({
      unsupported: `tệp Word (.docx), không phải bảng tính: ${advice}`,
      kind: 'word',
    });
  });

  it('a zip of exports (zip), and a RAR archive (its signature)', async () => {
    expect(await detectFormat(fixture('ho-so.zip'))).toEqual({
      unsupported: 'tệp nén (.zip), không phải bảng tính: hãy giải nén rồi nhập các tệp bên trong',
      kind: 'zip',
    });
    const rar = written('ho-so.rar', Buffer.concat([Buffer.from('Rar!\x1a\x07\x01\x00', 'latin1'), Buffer.alloc(64, 7)]));
    expect(await detectFormat(rar)).toEqual({
      unsupported: 'tệp nén RAR, không phải bảng tính: hãy giải nén rồi nhập các tệp bên trong',
      kind: 'archive',
    });
  });

  it('an image (pdftoppm)', async () => {
    expect(await detectFormat(fixture('anh-chup.png'))).toEqual({
      unsupported: `tệp ảnh (PNG), không phải bảng tính: ảnh chụp hay bản quét không đọc được thành số liệu; ${EXPORT_AGAIN}`,
      kind: 'image',
    });
  });

  it('a password-protected .xlsx (xlsx-populate: an OLE file with EncryptedPackage)', async () => {
    expect(await detectFormat(fixture('xp-mat-khau.xlsx'))).toEqual({
      unsupported:
        'tệp Excel được đặt mật khẩu (mã hoá): hãy mở bằng Excel, bỏ mật khẩu (Tệp > Thông tin > Bảo vệ sổ làm việc) rồi lưu lại dưới dạng .xlsx',
      kind: 'encrypted',
    });
  });

  it('XML that is no Excel 2003 workbook', async () => {
    const result = await detectFormat(written('a.xml', '<?xml version="1.0"?><hoso><ma>1</ma></hoso>'));
    expect(result).toMatchObject({ kind: 'xml' });
  });

  it('random bytes', async () => {
    // A fixed pseudo-random sequence (no NUL byte needed: control characters tell binary too).
    const bytes = Buffer.alloc(4096);
    let x = 12345;
    for (let i = 0; i < bytes.length; i++) {
      x = (x * 1103515245 + 12345) >>> 0;
      bytes[i] = (x >>> 16) & 0xff || 1;
    }
    expect(await detectFormat(written('random.xls', bytes))).toEqual({
      unsupported: `tệp không phải bảng tính hay văn bản CSV (dữ liệu nhị phân không nhận ra được): ${EXPORT_AGAIN}`,
      kind: 'binary',
    });
  });
});

describe('files that cannot be told', () => {
  it('an empty file', async () => {
    expect((await inputError(detectFormat(written('empty.xls', '')))).detail).toBe('tệp rỗng (0 byte)');
  });

  it('a truncated zip (a download cut short)', async () => {
    const bytes = readFileSync(fixture('lo-ho-so.xlsx'));
    expect((await inputError(detectFormat(written('cut.xlsx', bytes.subarray(0, bytes.length >> 1))))).detail).toBe(
      'tệp nén (.xlsx, .ods hoặc .zip) bị hỏng hoặc không đầy đủ (tải về bị cắt cụt?)',
    );
  });

  it('a truncated OLE file', async () => {
    const bytes = readFileSync(fixture('lo-ho-so.xls'));
    expect((await inputError(detectFormat(written('cut.xls', bytes.subarray(0, 4096))))).detail).toBe(
      'tệp Office 97-2003 (.xls, .doc) bị hỏng hoặc không đầy đủ (tải về bị cắt cụt?)',
    );
  });

  it('a missing file', async () => {
    expect((await inputError(detectFormat(join(tempDir(), 'none.xls')))).detail).toBe('không tìm thấy tệp');
  });
});

describe('SheetJS is loaded only for the files that need it', () => {
  it('telling an .xlsx, a .csv, a PDF or an HTML page apart never loads it; an OLE file does', async () => {
    // A child process whose module hooks report every module it resolves from @e965/xlsx.
    const hooks = `
      let port;
      export function initialize(data) { port = data.port; }
      export async function resolve(specifier, context, next) {
        const result = await next(specifier, context);
        if (result.url.includes('/@e965/xlsx/')) port.postMessage(result.url);
        return result;
      }`;
    const script = `
      import { register } from 'node:module';
      import { MessageChannel } from 'node:worker_threads';
      const { port1, port2 } = new MessageChannel();
      const loaded = [];
      port1.on('message', (url) => loaded.push(url));
      port1.unref();
      register('data:text/javascript,' + encodeURIComponent(${JSON.stringify(hooks)}), { data: { port: port2 }, transferList: [port2] });
      const { detectFormat } = await import(${JSON.stringify(join(import.meta.dirname, '../../src/import/readers/detect.ts'))});
      const settle = () => new Promise((resolve) => setTimeout(resolve, 200));
      for (const file of ${JSON.stringify(['lo-ho-so.xlsx', 'lo-ho-so.csv', 'lo-ho-so.pdf', 'export-1258.xls'].map(fixture))}) await detectFormat(file);
      await settle();
      const before = loaded.length;
      await detectFormat(${JSON.stringify(fixture('lo-ho-so.xls'))});
      await settle();
      console.log(JSON.stringify({ before, after: loaded.length }));`;
    const { stdout } = await execFileAsync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      cwd: join(import.meta.dirname, '../..'),
    });
    const { before, after } = JSON.parse(stdout.trim().split('\n').pop() as string);
    expect(before).toBe(0);
    expect(after).toBeGreaterThan(0);
  });
});
