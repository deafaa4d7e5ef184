import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { computeStats } from '../../src/stats/compute.ts';
import { checkQuery } from '../../src/stats/warnings.ts';
import { listDossiers } from '../../src/stats/dossiers.ts';
import { renderStatsTable } from '../../src/stats/render.ts';
import { tempDir } from '../helpers/databases.ts';
import { COMMUNE, exportCsv } from '../stats/fixtures.ts';
import { countLinks, listedCount, serveDatabase, tinyDatabase, TINY_2023, type TestServer } from './fixtures.ts';

// The real server on a real SQLite file, over HTTP: the JSON API against figures counted by hand and against
// computeStats, every number of the pages against the list it links to, and the guards of a local server.

let server: TestServer;
let dir: string;
/** The temporary folder the server's uploads go to (TMPDIR), to see that they are deleted. */
let uploads: string;
const tmpBefore = process.env.TMPDIR;

beforeAll(async () => {
  dir = tempDir('tthc-serve-');
  uploads = join(dir, 'tmp');
  mkdirSync(uploads);
  process.env.TMPDIR = uploads;
  server = await serveDatabase(await tinyDatabase(dir), { uploadLimit: 64 * 1024 });
});
afterAll(async () => {
  if (tmpBefore === undefined) delete process.env.TMPDIR;
  else process.env.TMPDIR = tmpBefore;
  await server?.stop();
});

const get = async (path: string, init?: RequestInit) => fetch(`${server.url}${path}`, init);
const text = async (path: string) => {
  const response = await get(path);
  expect(response.status, path).toBe(200);
  return response.text();
};

/** A raw request, for what fetch will not send (a Host header of another name). */
function rawGet(path: string, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(`${server.url}${path}`, { headers: { host } }, (res) => {
      res.resume();
      resolve(res.statusCode!);
    });
    req.on('error', reject);
    req.end();
  });
}

describe('JSON API', () => {
  it('/api/stats answers the figures counted by hand', async () => {
    const response = await get('/api/stats?year=2023');
    expect(response.headers.get('content-type')).toMatch(/application\/json/);
    const [row] = (await response.json()) as Array<Record<string, unknown>>;
    expect(row).toMatchObject(TINY_2023);
    // The CLI's warning (stderr) comes as a header.
    expect(decodeURIComponent(response.headers.get('x-tthc-warning') ?? '')).toContain('dữ liệu chỉ đến 01/03/2023');
  });

  it('/api/stats is what computeStats gives, as --format json prints it, with the CLI option names', async () => {
    const path = '/api/stats?years=2022-2023&by=level&exclude-field=%C4%90%E1%BA%A5t%20%C4%91ai';
    const body = await text(path);
    const checked = await checkQuery(server.db, {
      period: { from: '2022-01-01', to: '2023-12-31' },
      by: ['year', 'level'],
      filters: { excludeField: ['Đất đai'] },
    });
    expect(body).toBe(renderStatsTable(await computeStats(server.db, checked.query), 'json'));
    const rows = JSON.parse(body) as Array<{ year: number; level: string; receivedTotal: number }>;
    // Without A3 (Đất đai): the district received A1, A2, A7 in 2023.
    expect(rows.find((r) => r.year === 2023 && r.level === 'huyen')!.receivedTotal).toBe(3);
  });

  it('/api/dossiers lists as many dossiers as the figure, the ones counted by hand', async () => {
    const late = (await (await get('/api/dossiers?year=2023&figure=resolvedLate')).json()) as Array<{ code: string }>;
    expect(late.map((d) => d.code)).toEqual(['A3']);
    const pending = (await (await get('/api/dossiers?year=2023&figure=pendingTotal')).json()) as Array<{ code: string }>;
    expect(pending.map((d) => d.code).sort()).toEqual(['A4', 'A5']);
    const bieu = (await (await get('/api/dossiers?year=2023&figure=(9)')).json()) as Array<{ code: string }>;
    // Biểu 06 (9) "Đúng hạn" takes on time, rejected and withdrawn.
    expect(bieu.map((d) => d.code).sort()).toEqual(['A2', 'A6', 'A7']);
    const fromLibrary = await listDossiers(server.db, (await checkQuery(server.db, { period: { from: '2023-01-01', to: '2023-12-31' } })).query, ['receivedTotal']);
    expect(await text('/api/dossiers?year=2023&figure=receivedTotal')).toBe(`${JSON.stringify(fromLibrary, null, 2)}\n`);
  });

  it('a wrong option is a 400 with the CLI\'s Vietnamese message', async () => {
    const response = await get('/api/stats?year=2023&month=2023-01');
    expect(response.status).toBe(400);
    expect(((await response.json()) as { error: string }).error).toBe('chỉ chọn một kỳ, đã chọn: --year, --month');
    const figure = await get('/api/dossiers?year=2023&figure=nothing');
    expect(figure.status).toBe(400);
    expect(((await figure.json()) as { error: string }).error).toMatch(/^--figure không hợp lệ/);
  });
});

describe('pages', () => {
  it('the dashboard shows the key figures counted by hand', async () => {
    const page = await text('/?year=2023');
    const links = countLinks(page);
    const first = (figure: string) => links.find((l) => l.figure === figure)!.value;
    for (const figure of ['receivedTotal', 'receivedOnline', 'resolvedTotal', 'resolvedLate', 'pendingOverdue', 'carriedOver'] as const) {
      expect(first(figure), figure).toBe(TINY_2023[figure]);
    }
    expect(page).toContain('50,0 %');
    const charts = [...page.matchAll(/src="data:image\/svg\+xml;base64,([^"]+)"/g)].map((m) => Buffer.from(m[1], 'base64').toString());
    expect(charts).toHaveLength(2);
    expect(charts[0]).toMatch(/^<svg[^>]*>/);
    expect(charts[0]).toContain('Tỷ lệ hồ sơ tiếp nhận trực tuyến theo tháng');
  });

  it('every number of the dashboard and of Biểu 06 links to a list of exactly that many dossiers', async () => {
    const links = [...countLinks(await text('/?year=2023')), ...countLinks(await text('/bao-cao?year=2023'))];
    expect(links.length).toBeGreaterThan(100);
    const seen = new Map<string, number>();
    for (const link of links) {
      if (!seen.has(link.href)) seen.set(link.href, listedCount(await text(link.href)));
      expect(seen.get(link.href), `${link.figure} → ${link.href}`).toBe(link.value);
    }
  });

  it('Hồ sơ pages through a list, sorts it, and downloads it as csv and xlsx', async () => {
    const page = await text('/ho-so?year=2023&figure=receivedTotal&sort=code&dir=desc');
    expect(listedCount(page)).toBe(6);
    const codes = [...page.matchAll(/<td>(A\d)<\/td>/g)].map((m) => m[1]);
    expect(codes).toEqual(['A7', 'A6', 'A4', 'A3', 'A2', 'A1']);
    const bytes = Buffer.from(await (await get('/ho-so/tai-ve.csv?year=2023&figure=receivedTotal')).arrayBuffer());
    // With a BOM, so that Excel reads the Vietnamese text as UTF-8.
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const csv = bytes.toString('utf8');
    expect(csv.trim().split('\n')).toHaveLength(7);
    const xlsx = await get('/ho-so/tai-ve.xlsx?year=2023&figure=receivedOnline');
    expect(xlsx.headers.get('content-disposition')).toMatch(/attachment/);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(Buffer.from(await xlsx.arrayBuffer()) as any);
    const sheet = workbook.worksheets[0];
    expect(sheet.getRow(2).getCell(2).value).toBe('Mã hồ sơ');
    expect(sheet.rowCount).toBe(2 + 3);
  });

  it('Báo cáo gives the workbook `tthc report` writes and the paragraphs', async () => {
    const page = await text('/bao-cao?year=2023');
    expect(page).toContain('hệ thống một cửa điện tử');
    const response = await get('/bao-cao/tai-ve.xlsx?year=2023&sheets=theo-nam&sheets=bieu-06');
    expect(response.status).toBe(200);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(Buffer.from(await response.arrayBuffer()) as any);
    expect(workbook.worksheets.map((s) => s.name)).toEqual(['Theo năm', 'Biểu 06']);
  });

  it('Kiểm tra runs verify', async () => {
    const page = await text('/kiem-tra?verify=1');
    expect(page).toContain('Đã kiểm tra 7 hồ sơ');
    expect(page).toContain('Không có chênh lệch');
  });

  it('Kiểm tra checks an uploaded table of published figures against the database', async () => {
    const form = new FormData();
    form.append('csrf', server.token);
    form.append('file', new Blob([
      'Kỳ,Cấp / đơn vị,Chỉ tiêu,Giá trị công bố\n' +
        'Tháng 1/2023,Cấp huyện,receivedTotal,2\n' + // A1, A2
        'Tháng 2/2023,Cấp huyện,resolvedLate,2\n', // only A3
    ]), 'so-lieu.csv');
    const page = await (await get('/kiem-tra', { method: 'POST', body: form })).text();
    expect(page).toContain('Đã đọc 2 số liệu công bố từ so-lieu.csv.');
    expect(page).toContain('2 số liệu, 1 khớp, 1 khác');
    expect(page).not.toContain(uploads);
  });
});

describe('uploads', () => {
  const upload = (name: string, body: BodyInit, headers: Record<string, string> = {}) =>
    get(`/api/import?name=${encodeURIComponent(name)}`, {
      method: 'POST',
      body,
      headers: { 'content-type': 'application/octet-stream', 'x-csrf-token': server.token, ...headers },
    });

  it('imports an uploaded export and says what the CLI says of it; the temporary file is gone', async () => {
    const csv = exportCsv([
      { code: 'B1', unit: COMMUNE, received: '10/02/2023 08:00', due: '12/02/2023 17:00', ended: '11/02/2023 09:00' },
      { code: 'B2', unit: COMMUNE, received: '11/02/2023 08:00', due: '' },
    ]);
    const response = await upload('../../../etc/thang-2.csv', csv);
    expect(response.status).toBe(200);
    const result = (await response.json()) as { file: string; line: string };
    // The path in the name is dropped: the file keeps only its own name.
    expect(result.file).toBe('thang-2.csv');
    expect(result.line).toMatch(/^thang-2\.csv \[lô \d+\]: 2 dòng; 2 hồ sơ mới; 0 cập nhật; 0 không đổi; 0 dòng bị từ chối; /);
    const [{ file_name }] = await server.db.selectFrom('import_batches').select('file_name').orderBy('id', 'desc').limit(1).execute();
    expect(file_name).toBe('thang-2.csv');
    expect(readdirSync(uploads).filter((name) => name.startsWith('tthc-'))).toEqual([]);
    const history = await text('/nhap-du-lieu');
    expect(history).toContain('thang-2.csv');
    const [row] = (await (await get('/api/stats?month=2023-02&unit=' + encodeURIComponent(COMMUNE))).json()) as Array<{ receivedTotal: number }>;
    expect(row.receivedTotal).toBe(2);
  });

  it('rejects a file that is no export, with why', async () => {
    const png = readFileSync(join(import.meta.dirname, '../fixtures/legacy/anh-chup.png'));
    const result = (await (await upload('anh.png', png)).json()) as { skipped?: string; error?: string };
    expect(result.skipped ?? result.error).toBeTruthy();
  });

  it('refuses an oversized upload with 413', async () => {
    const response = await upload('lon.csv', new Uint8Array(100 * 1024));
    expect(response.status).toBe(413);
    // Sent in chunks without a length, it is cut off while streaming, and what was saved is deleted.
    const chunks = new ReadableStream<Uint8Array>({
      start(controller) {
        for (let i = 0; i < 10; i++) controller.enqueue(new Uint8Array(16 * 1024));
        controller.close();
      },
    });
    const streamed = await get('/api/import?name=lon.csv', {
      method: 'POST', body: chunks, duplex: 'half', headers: { 'x-csrf-token': server.token },
    } as RequestInit);
    expect(streamed.status).toBe(413);
    expect(readdirSync(uploads).filter((name) => name.startsWith('tthc-'))).toEqual([]);
  });

  it('refuses a POST without the token, with a wrong one, or from another origin', async () => {
    expect((await get('/api/import?name=a.csv', { method: 'POST', body: 'x' })).status).toBe(403);
    expect((await upload('a.csv', 'x', { 'x-csrf-token': 'sai' })).status).toBe(403);
    expect((await upload('a.csv', 'x', { origin: 'http://evil.example' })).status).toBe(403);
    const form = new FormData();
    form.append('files', new Blob(['x']), 'a.csv');
    expect((await get('/nhap-du-lieu', { method: 'POST', body: form })).status).toBe(403);
    // A form (what another site's page can post) carries its token only to the routes that check it.
    form.append('csrf', server.token);
    expect((await get('/api/import?name=a.csv', { method: 'POST', body: form })).status).toBe(403);
  });

  it('imports through the form without script too', async () => {
    const file = join(dir, 'thang-3.csv');
    writeFileSync(file, exportCsv([{ code: 'C1', unit: COMMUNE, received: '02/03/2023 08:00' }]));
    const form = new FormData();
    form.append('csrf', server.token);
    form.append('files', new Blob([readFileSync(file)]), 'thang-3.csv');
    const page = await (await get('/nhap-du-lieu', { method: 'POST', body: form })).text();
    expect(page).toMatch(/thang-3\.csv \[lô \d+\]: 1 dòng; 1 hồ sơ mới/);
  });
});

describe('catalogues', () => {
  it('imports a unit catalogue through the page, as `tthc units import` does', async () => {
    const form = new FormData();
    form.append('csrf', server.token);
    form.append('kind', 'don-vi');
    form.append('file', new Blob(['Mã đơn vị,Tên đơn vị,Cấp\nX9,UBND xã Vô Tranh,xa\n']), 'don-vi.csv');
    const page = await (await get('/nhap-du-lieu/danh-muc', { method: 'POST', body: form })).text();
    expect(page).toContain('don-vi.csv: 1 đơn vị');
    const units = await server.db.selectFrom('units').select(['code', 'name']).where('code', '=', 'X9').execute();
    expect(units).toEqual([{ code: 'X9', name: 'UBND xã Vô Tranh' }]);
  });
});

describe('due days from the catalogue', () => {
  it('computes them only when the import form asks (the box, or due-from-catalogue=1 for the script\'s upload)', async () => {
    const form = new FormData();
    form.append('csrf', server.token);
    form.append('kind', 'thu-tuc');
    form.append('file', new Blob(['Mã thủ tục,Tên thủ tục,Lĩnh vực,Thời hạn giải quyết\nP9,Cấp phép thử,Thử,05 ngày làm việc\n']), 'thu-tuc-9.csv');
    expect(await (await get('/nhap-du-lieu/danh-muc', { method: 'POST', body: form })).text()).toContain('thu-tuc-9.csv: 1 thủ tục');
    const upload = async (code: string, query: string) => {
      const csv = `Mã hồ sơ,Mã thủ tục,Đơn vị,Ngày tiếp nhận,Trạng thái\n${code},P9,${COMMUNE},04/03/2024 08:00,Đang xử lý\n`;
      const response = await get(`/api/import?name=${code}.csv${query}`, {
        method: 'POST', body: csv, headers: { 'X-CSRF-Token': server.token, 'Content-Type': 'application/octet-stream' },
      });
      return (await response.json()) as { warnings: string[] };
    };
    const without = await upload('DUE-1', '');
    expect(without.warnings.join('\n')).toContain('1 hồ sơ không có hạn xử lý, tính là đúng hạn như hệ thống một cửa');
    const withBox = await upload('DUE-2', '&due-from-catalogue=1');
    expect(withBox.warnings).toContain('1 hồ sơ không có hạn xử lý: tính từ thời hạn của thủ tục theo ngày làm việc');
    const rows = await server.db.selectFrom('dossiers').select(['code', 'due_at', 'due_computed']).where('code', 'in', ['DUE-1', 'DUE-2']).orderBy('code').execute();
    // Mon 04/03/2024 + 5 working days: 05, 06, 07, 08, 11/03.
    expect(rows.map((r) => [r.code, r.due_at, Number(r.due_computed)])).toEqual([['DUE-1', null, 0], ['DUE-2', '2024-03-11 00:00:00', 1]]);
  });
});

describe('procedure catalogue', () => {
  it('imports it through the page with its durations, and shows the duration it could not read as a warning', async () => {
    const form = new FormData();
    form.append('csrf', server.token);
    form.append('kind', 'thu-tuc');
    const csv = 'Mã thủ tục,Tên thủ tục,Lĩnh vực,Thời hạn giải quyết\nP1,Đăng ký khai sinh,Hộ tịch,03 ngày làm việc\nP2,Chứng thực bản sao,Chứng thực,4 giờ\n';
    form.append('file', new Blob([csv]), 'thu-tuc.csv');
    const page = await (await get('/nhap-du-lieu/danh-muc', { method: 'POST', body: form })).text();
    expect(page).toContain('thu-tuc.csv: 2 thủ tục');
    expect(page).toContain('cảnh báo: thu-tuc.csv, dòng 3: thời hạn giải quyết không đọc được &quot;4 giờ&quot;');
    expect(page).not.toContain('tthc-upload-');
  });
});

describe('a server for this computer only', () => {
  it('answers only requests addressed to a loopback name (DNS rebinding)', async () => {
    expect(await rawGet('/api/stats?year=2023', 'evil.example:8686')).toBe(403);
    expect(await rawGet('/api/stats?year=2023', 'localhost:8686')).toBe(200);
  });

  it('sends a strict Content-Security-Policy and serves its assets itself', async () => {
    const response = await get('/');
    expect(response.headers.get('content-security-policy')).toContain("script-src 'self'");
    const page = await response.text();
    expect(page).not.toMatch(/<script>|https?:\/\/(?!127\.0\.0\.1)/);
    expect((await get('/assets/app.js')).status).toBe(200);
  });
});
