import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { Hono, type Context } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { computeStats } from '../stats/compute.ts';
import { listDossiers } from '../stats/dossiers.ts';
import { renderDossiers, renderStatsTable } from '../stats/render.ts';
import { checkQuery } from '../stats/warnings.ts';
import { formatCount } from '../domain/numbers.ts';
import { APP_CSS, APP_JS } from './assets.ts';
import { isUserError, type ServeContext } from './context.ts';
import { layout, notice, PAGES, type Html } from './html.ts';
import { queryParams, statsQueryOf, wholePeriodsOf } from './params.ts';
import { checkPage, checkUpload } from './pages/check.ts';
import { dashboardPage } from './pages/dashboard.ts';
import { dossiersCsv, dossiersPage, dossiersXlsx, selectDossiers } from './pages/dossiers.ts';
import { importCatalogue, importPage, importSaved, rejectsPage, rejectsWorkbook, safeFileName, saveStream, UploadTooLarge, uploadDir, type UploadResult } from './pages/import.ts';
import { reportPage, reportWorkbook } from './pages/report.ts';
import { Login, loginForm } from './login.ts';
import { csrfCheck, formTokenValid, hostCheck, securityHeaders } from './security.ts';
import { inSnapshot } from '../db/connection.ts';

// The routes of `tthc serve`: the pages (server-written HTML), the JSON API under /api/ (what the CLI's
// --format json prints, for the same options as query parameters), the downloads, and the two assets.

const ASSETS: Record<string, { type: string; body: string }> = {
  'app.css': { type: 'text/css; charset=utf-8', body: APP_CSS },
  'app.js': { type: 'text/javascript; charset=utf-8', body: APP_JS },
};

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** A Content-Disposition that keeps a Vietnamese file name (RFC 6266) with an ASCII fallback. */
function attachment(name: string): string {
  const ascii = name.normalize('NFD').replace(/[\u0300-\u036f]/g, '').replace(/đ/g, 'd').replace(/Đ/g, 'D').replace(/[^\w.-]/g, '_');
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(name)}`;
}

/** The warnings a CLI command prints on stderr, as response headers (one each, URI-encoded UTF-8). */
function warningHeaders(c: Context, warnings: readonly string[]): void {
  for (const w of new Set(warnings)) c.header('X-Tthc-Warning', encodeURIComponent(w), { append: true });
}

export interface AppOptions {
  /** The host the server listens on: requests may name it, besides the loopback names. */
  host: string;
  /**
   * A password for a server other computers reach: every page and API call then needs a session (the login
   * page) or the password as a bearer token, and the Host header is no longer checked (a rebound name carries
   * no session cookie).
   */
  password?: string;
}

/**
 * A page's reads on one snapshot of the database (inSnapshot): its figures, and the lists behind them, never mix
 * the states before and after an import that commits while the page is computed.
 */
function read<T>(ctx: ServeContext, body: (snapshot: ServeContext) => Promise<T>): Promise<T> {
  return inSnapshot(ctx.db, (db) => body({ ...ctx, db }));
}

export function createApp(ctx: ServeContext, options: AppOptions): Hono {
  const app = new Hono();
  if (!options.password) app.use('*', hostCheck(options.host));
  app.use('*', securityHeaders);
  // The routes that take a form check its token themselves, after reading it.
  app.use('*', csrfCheck(ctx.csrf, new Set(['/nhap-du-lieu', '/nhap-du-lieu/danh-muc', '/kiem-tra', '/dang-nhap'])));

  const page = async (c: Context, current: string, body: Html, status: 200 | 400 | 401 | 413 | 429 = 200, title?: string) => {
    const heading = title ?? PAGES.find((p) => p.path === current)?.title ?? 'tthc';
    return c.html(await layout({ title: heading, current, csrf: ctx.csrf, body }), status);
  };
  const search = (c: Context) => new URL(c.req.url).searchParams;

  if (options.password) {
    const login = new Login(options.password);
    app.use('*', login.guard());
    app.get('/dang-nhap', (c) => page(c, '', loginForm(ctx.csrf, search(c).get('tiep') ?? '/'), 200, 'Đăng nhập'));
    app.post('/dang-nhap', async (c) => {
      const form = await c.req.formData();
      if (!formTokenValid(form, ctx.csrf)) return c.text('Từ chối: thiếu hoặc sai mã chống giả mạo (CSRF).', 403);
      return login.handle(c, form, ctx.csrf, (body, status) => page(c, '', body, status, 'Đăng nhập'));
    });
  }

  app.get('/assets/:name', (c) => {
    const asset = ASSETS[c.req.param('name')];
    if (!asset) return c.notFound();
    return c.body(asset.body, 200, { 'Content-Type': asset.type });
  });

  // --- Pages ---------------------------------------------------------------------------------------------------
  app.get('/', async (c) => page(c, '/', await read(ctx, (r) => dashboardPage(r, search(c)))));
  app.get('/ho-so', async (c) => page(c, '/ho-so', await read(ctx, (r) => dossiersPage(r, search(c)))));
  app.get('/nhap-du-lieu', async (c) => page(c, '/nhap-du-lieu', await importPage(ctx)));
  app.get('/nhap-du-lieu/tu-choi', async (c) => {
    const batch = Number(search(c).get('lo'));
    if (!Number.isInteger(batch) || batch < 1) return page(c, '/nhap-du-lieu', notice('error', ['Thiếu số lô (lo=…).']), 400);
    return page(c, '/nhap-du-lieu', await rejectsPage(ctx, batch));
  });
  app.get('/bao-cao', async (c) => page(c, '/bao-cao', await read(ctx, (r) => reportPage(r, search(c)))));
  app.get('/kiem-tra', async (c) => page(c, '/kiem-tra', await checkPage(ctx, search(c))));

  const limit = bodyLimit({
    maxSize: ctx.uploadLimit,
    onError: (c) => c.text(`Tệp tải lên lớn hơn giới hạn ${formatCount(Math.round(ctx.uploadLimit / 1024 / 1024))} MB.`, 413),
  });

  // Without script: the files of a multipart form, each saved under its own safe name, then imported.
  app.post('/nhap-du-lieu', limit, async (c) => {
    const form = await c.req.formData();
    if (!formTokenValid(form, ctx.csrf)) return c.text('Từ chối: thiếu hoặc sai mã chống giả mạo (CSRF).', 403);
    const files = [...form.getAll('files'), ...form.getAll('folder')].filter((f): f is File => f instanceof File && f.size > 0);
    if (!files.length) return page(c, '/nhap-du-lieu', await importPage(ctx, undefined, 'Hãy chọn ít nhất một tệp.'), 400);
    const dir = uploadDir();
    const names = uniqueNames(files.map((f) => f.name));
    try {
      for (const [i, file] of files.entries()) await saveStream(file.stream(), join(dir, names[i]), ctx.uploadLimit);
    } catch (error) {
      rmSync(dir, { recursive: true, force: true });
      throw error;
    }
    const results = await importSaved(ctx, dir, names, { dueFromCatalogue: form.get('due-from-catalogue') === '1' });
    return page(c, '/nhap-du-lieu', await importPage(ctx, results));
  });

  app.post('/nhap-du-lieu/danh-muc', limit, async (c) => {
    const form = await c.req.formData();
    if (!formTokenValid(form, ctx.csrf)) return c.text('Từ chối: thiếu hoặc sai mã chống giả mạo (CSRF).', 403);
    const file = form.get('file');
    if (!(file instanceof File) || !file.size) return page(c, '/nhap-du-lieu', await importPage(ctx, undefined, 'Hãy chọn tệp danh mục.'), 400);
    const result = await importCatalogue(ctx, String(form.get('kind') ?? ''), file);
    return page(c, '/nhap-du-lieu', await importPage(ctx, [result]));
  });

  app.post('/kiem-tra', limit, async (c) => {
    const form = await c.req.formData();
    if (!formTokenValid(form, ctx.csrf)) return c.text('Từ chối: thiếu hoặc sai mã chống giả mạo (CSRF).', 403);
    return page(c, '/kiem-tra', await checkPage(ctx, new URLSearchParams(), await checkUpload(ctx, form)));
  });

  // --- Downloads -----------------------------------------------------------------------------------------------
  app.get('/ho-so/tai-ve.csv', async (c) => {
    const { selection, text } = await read(ctx, async (r) => {
      const selection = await selectDossiers(r, search(c));
      return { selection, text: await dossiersCsv(r, selection) };
    });
    return c.body(text, 200, {
      'Content-Type': 'text/csv; charset=utf-8',
      'Content-Disposition': attachment(`ho-so-${selection.figure.name}-${selection.query.period.from}-${selection.query.period.to}.csv`),
    });
  });
  app.get('/ho-so/tai-ve.xlsx', async (c) => {
    const { selection, bytes } = await read(ctx, async (r) => {
      const selection = await selectDossiers(r, search(c));
      return { selection, bytes: await dossiersXlsx(r, selection) };
    });
    return c.body(new Uint8Array(bytes), 200, {
      'Content-Type': XLSX,
      'Content-Disposition': attachment(`ho-so-${selection.figure.name}-${selection.query.period.from}-${selection.query.period.to}.xlsx`),
    });
  });
  app.get('/bao-cao/tai-ve.xlsx', async (c) => {
    const { name, bytes, warnings } = await read(ctx, (r) => reportWorkbook(r, search(c)));
    warningHeaders(c, warnings);
    return c.body(new Uint8Array(bytes), 200, { 'Content-Type': XLSX, 'Content-Disposition': attachment(name) });
  });
  app.get('/nhap-du-lieu/:file{tu-choi-[0-9]+\\.xlsx}', async (c) => {
    const batch = Number(/\d+/.exec(c.req.param('file'))![0]);
    return c.body(new Uint8Array(await rejectsWorkbook(ctx, batch)), 200, {
      'Content-Type': XLSX,
      'Content-Disposition': attachment(`tu-choi-lo-${batch}.xlsx`),
    });
  });

  // --- JSON API ------------------------------------------------------------------------------------------------
  app.get('/api/stats', async (c) => {
    const params = queryParams(search(c));
    const { checked, rows } = await read(ctx, async (r) => {
      const checked = await checkQuery(r.db, statsQueryOf(params), { wholePeriods: wholePeriodsOf(params) });
      return { checked, rows: await computeStats(r.db, checked.query) };
    });
    warningHeaders(c, checked.warnings);
    if (search(c).get('format') === 'csv') return c.body(renderStatsTable(rows, 'csv'), 200, { 'Content-Type': 'text/csv; charset=utf-8' });
    return c.body(renderStatsTable(rows, 'json'), 200, { 'Content-Type': 'application/json; charset=utf-8' });
  });
  app.get('/api/dossiers', async (c) => {
    const { selection, rows } = await read(ctx, async (r) => {
      const selection = await selectDossiers(r, search(c), false);
      return { selection, rows: await listDossiers(r.db, selection.query, selection.figure.parts) };
    });
    warningHeaders(c, selection.warnings);
    if (search(c).get('format') === 'csv') return c.body(renderDossiers(rows, 'csv'), 200, { 'Content-Type': 'text/csv; charset=utf-8' });
    return c.body(renderDossiers(rows, 'json'), 200, { 'Content-Type': 'application/json; charset=utf-8' });
  });
  // A script's POST needs the token: a page of another site cannot read this answer (no CORS).
  app.get('/api/csrf-token', (c) => c.json({ token: ctx.csrf }));
  // With script: one file per request, its body streamed to a temporary file; ?name= is only its display name.
  app.post('/api/import', async (c) => {
    const body = c.req.raw.body;
    if (!body) return c.json({ error: 'yêu cầu không có nội dung tệp' }, 400);
    const declared = Number(c.req.header('content-length') ?? NaN);
    const name = safeFileName(search(c).get('name') ?? 'tep-tai-len');
    if (declared > ctx.uploadLimit) return c.json({ file: name, error: `tệp lớn hơn giới hạn ${formatCount(Math.round(ctx.uploadLimit / 1024 / 1024))} MB` }, 413);
    const dir = uploadDir();
    try {
      await saveStream(body, join(dir, name), ctx.uploadLimit);
    } catch (error) {
      rmSync(dir, { recursive: true, force: true });
      if (error instanceof UploadTooLarge) return c.json({ file: name, error: error.message }, 413);
      throw error;
    }
    const [result] = await importSaved(ctx, dir, [name], { dueFromCatalogue: search(c).get('due-from-catalogue') === '1' });
    return c.json(publicResult(result), result.error ? 422 : 200);
  });

  app.notFound((c) => (c.req.path.startsWith('/api/') ? c.json({ error: 'không có địa chỉ này' }, 404) : page(c, '', notice('error', ['Không có trang này.']))));
  app.onError(async (thrown, c) => {
    const error: Error = thrown;
    if (error instanceof UploadTooLarge) return c.text(error.message, 413);
    if (!isUserError(thrown as unknown)) {
      process.stderr.write(`tthc serve: lỗi không mong đợi: ${error.stack ?? error.message}\n`);
      if (c.req.path.startsWith('/api/')) return c.json({ error: `lỗi không mong đợi: ${error.message}` }, 500);
      return c.html(await layout({ title: 'Lỗi', current: '', csrf: ctx.csrf, body: notice('error', [`Lỗi không mong đợi: ${error.message}`]) }), 500);
    }
    if (c.req.path.startsWith('/api/')) return c.json({ error: error.message }, 400);
    return c.html(await layout({ title: 'Lỗi', current: '', csrf: ctx.csrf, body: notice('error', [error.message]) }), 400);
  });
  return app;
}

/** A file's result for the page's script: the CLI's line and warnings, not the server's paths. */
function publicResult(r: UploadResult) {
  return {
    file: r.file,
    ...(r.line ? { line: r.line } : {}),
    warnings: r.warnings,
    ...(r.summary ? { batchId: r.summary.batchId, rejected: r.summary.rejected, newDossiers: r.summary.newDossiers, updated: r.summary.updated, unchanged: r.summary.unchanged } : {}),
    ...(r.error ? { error: r.error } : {}),
    ...(r.skipped ? { skipped: r.skipped } : {}),
  };
}

/** Safe names, made distinct: two files of the same name from different folders both go in. */
function uniqueNames(names: string[]): string[] {
  const seen = new Set<string>();
  return names.map((raw) => {
    const name = safeFileName(raw);
    let candidate = name;
    for (let i = 2; seen.has(candidate); i++) candidate = name.replace(/(\.[^.]*)?$/, (ext) => ` (${i})${ext}`);
    seen.add(candidate);
    return candidate;
  });
}
