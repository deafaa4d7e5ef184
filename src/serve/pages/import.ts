import { createWriteStream, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { formatCount, formatDecimal } from '../../domain/numbers.ts';
import { importProcedures, importUnits } from '../../import/index.ts';
import { listRejects, rejectsTable, writeRejectsWorkbook } from '../../import/rejects.ts';
import { isUserError, type ServeContext } from '../context.ts';
import { html, notice, viTime, type Html } from '../html.ts';
import { importUploads, type UploadOptions, type UploadResult } from '../import-uploads.ts';
import { listBatches, type BatchRecord } from '../../import/batches.ts';

export type { UploadResult } from '../import-uploads.ts';

// Nhập dữ liệu: exports uploaded through the page go to a temporary folder of their own, are imported by the
// importer the CLI uses (one transaction per file, one import at a time), and are deleted after. The page says
// of each file what `tthc import` prints for it.

export class UploadTooLarge extends Error {}

/**
 * The name an uploaded file keeps in the temporary folder and in the batch history: the last part of the name
 * the browser sent, without control characters or path separators, so that no upload can name a server path.
 */
export function safeFileName(name: string): string {
  const last = basename(name.replace(/\\/g, '/'));
  const clean = last.replace(/[\u0000-\u001f\u007f/\\:*?"<>|]/g, '_').replace(/^\.+/, '').trim().slice(0, 200);
  return clean || 'tep-tai-len';
}

/** Streams a body to `path`, failing with UploadTooLarge beyond `limit` bytes. */
export async function saveStream(body: ReadableStream<Uint8Array> | Readable, path: string, limit: number): Promise<number> {
  let size = 0;
  const counter = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      size += chunk.length;
      if (size > limit) done(new UploadTooLarge(`tệp lớn hơn giới hạn ${formatCount(Math.round(limit / 1024 / 1024))} MB`));
      else done(null, chunk);
    },
  });
  const source = body instanceof Readable ? body : Readable.fromWeb(body as any);
  await pipeline(source, counter, createWriteStream(path));
  return size;
}

/**
 * Imports files already saved in `dir` (each under its safe name), one transaction each and one import at a time,
 * then removes `dir`. With a reader of its own (SQLite in WAL mode), the import runs in a worker thread on its own
 * connection, so that the pages answer meanwhile.
 */
export async function importSaved(ctx: ServeContext, dir: string, names: string[], options: UploadOptions = {}): Promise<UploadResult[]> {
  try {
    return await ctx.serialize(() => (ctx.importWorker ? ctx.importWorker.run(dir, names, options) : importUploads(ctx.writer, dir, names, options)));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The catalogues the page imports, by the form's `kind`: what `tthc units import` and `procedures import` do. */
export const CATALOGUES = {
  'don-vi': { label: 'Danh mục đơn vị', import: importUnits, unit: 'đơn vị' },
  'thu-tuc': { label: 'Danh mục thủ tục hành chính', import: importProcedures, unit: 'thủ tục' },
} as const;

/** Imports an uploaded catalogue; the line the CLI prints for it, or the error. */
export async function importCatalogue(ctx: ServeContext, kind: string, file: File): Promise<UploadResult> {
  const catalogue = CATALOGUES[kind as keyof typeof CATALOGUES];
  const name = safeFileName(file.name);
  if (!catalogue) return { file: name, warnings: [], error: `không có loại danh mục "${kind}"` };
  const dir = uploadDir();
  const path = join(dir, name);
  try {
    await saveStream(file.stream(), path, ctx.uploadLimit);
    const result: { imported: number; warnings?: string[] } = await ctx.serialize(() => catalogue.import(ctx.writer, path));
    // The procedure catalogue warns of durations it could not read, as `tthc procedures import` prints them.
    const warnings = (result.warnings ?? []).map((w) => w.split(path).join(name));
    return { file: name, warnings, line: `${name}: ${formatCount(result.imported)} ${catalogue.unit}` };
  } catch (error) {
    if (!isUserError(error)) throw error;
    return { file: name, warnings: [], error: error.message.split(path).join(name) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** A new private temporary folder for one request's uploads. */
export function uploadDir(): string {
  return mkdtempSync(join(tmpdir(), 'tthc-upload-'));
}

export function resultsHtml(results: readonly UploadResult[]): Html {
  return html`<ul class="results">${results.map((r) => {
    if (r.error) return html`<li class="error"><strong>${r.file}</strong>: không nhập được: ${r.error}</li>`;
    if (r.skipped) return html`<li class="warning"><strong>${r.file}</strong>: bỏ qua, ${r.skipped}</li>`;
    return html`<li class="ok"><span class="summary-line">${r.line}</span>${r.warnings.length
      ? html`<ul>${r.warnings.map((w) => html`<li>cảnh báo: ${w}</li>`)}</ul>`
      : ''}${r.summary && r.summary.rejected > 0
      ? html` <a href="/nhap-du-lieu/tu-choi?lo=${String(r.summary.batchId)}">Xem các dòng bị từ chối</a> · <a href="/nhap-du-lieu/tu-choi-${String(r.summary.batchId)}.xlsx">tải xlsx để sửa</a>`
      : ''}</li>`;
  })}</ul>`;
}

/** The batch history, newest first (the library's list, as `tthc batches` prints it oldest first). */
async function batches(ctx: ServeContext): Promise<BatchRecord[]> {
  return (await listBatches(ctx.db)).reverse();
}

export async function importPage(ctx: ServeContext, results?: readonly UploadResult[], error?: string): Promise<Html> {
  const history = await batches(ctx);
  const n = (v: number) => formatCount(Number(v));
  return html`${error ? notice('error', [error]) : ''}
${results ? html`<section id="ket-qua"><h2>Kết quả</h2>${resultsHtml(results)}</section>` : ''}
<form class="upload" method="post" action="/nhap-du-lieu" enctype="multipart/form-data" data-upload>
<input type="hidden" name="csrf" value="${ctx.csrf}">
<p>Chọn các tệp xuất từ hệ thống một cửa (.xlsx, .xls, .csv, .ods…), một hay nhiều tệp, hoặc cả một thư mục.
Mỗi tệp tối đa ${formatCount(Math.round(ctx.uploadLimit / 1024 / 1024))} MB; tệp được xoá ngay sau khi nhập.</p>
<label class="drop">Tệp <input type="file" name="files" multiple></label>
<label class="drop">Thư mục <input type="file" name="folder" webkitdirectory multiple></label>
<label class="option"><input type="checkbox" name="due-from-catalogue" value="1"> Hồ sơ không có hạn xử lý: tính hạn từ thời hạn giải quyết của thủ tục (theo ngày làm việc). Không chọn thì tính là đúng hạn, như hệ thống một cửa.</label>
<button type="submit">Nhập</button>
<ol class="progress" data-progress></ol>
</form>
<details class="catalogues"><summary>Nhập danh mục đơn vị hoặc thủ tục</summary>
<form class="upload" method="post" action="/nhap-du-lieu/danh-muc" enctype="multipart/form-data">
<input type="hidden" name="csrf" value="${ctx.csrf}">
<p>Danh mục đơn vị: Mã đơn vị, Tên đơn vị, Cấp, Mã đơn vị cấp trên, Hiệu lực từ, Hiệu lực đến, Mã đơn vị kế thừa.
Danh mục thủ tục: Mã thủ tục, Tên thủ tục, Lĩnh vực, Mức độ, Cấp thực hiện, Thời hạn giải quyết.</p>
<label>Loại <select name="kind">${Object.entries(CATALOGUES).map(([value, c]) => html`<option value="${value}">${c.label}</option>`)}</select></label>
<label>Tệp <input type="file" name="file" required></label>
<button type="submit">Nhập danh mục</button>
</form></details>
<section id="lich-su"><h2>Các lần nhập</h2>
${history.length
    ? html`<div class="scroll"><table class="list" id="lo-nhap"><thead><tr><th>Lô</th><th>Thời điểm nhập</th><th>Tệp</th><th>Số dòng</th><th>Hồ sơ mới</th><th>Cập nhật</th><th>Không đổi</th><th>Bị từ chối</th><th>Giây</th></tr></thead><tbody>${history.map(
      (b) => html`<tr><td>${String(b.id)}</td><td>${viTime(b.importedAt)}</td><td>${b.fileName}</td><td class="n">${n(b.rowsRead)}</td><td class="n">${n(b.newDossiers)}</td><td class="n">${n(b.updated)}</td><td class="n">${n(b.unchanged)}</td><td class="n">${Number(b.rejected) > 0
        ? html`<a href="/nhap-du-lieu/tu-choi?lo=${String(b.id)}" title="Xem các dòng bị từ chối">${n(b.rejected)}</a>`
        : n(b.rejected)}</td><td class="n">${formatDecimal(Number(b.seconds), 1)}</td></tr>`,
    )}</tbody></table></div>`
    : html`<p>Chưa nhập tệp nào.</p>`}
</section>`;
}

/** The rejected rows of a batch as the fixable workbook `tthc rejects --format xlsx` writes. */
export async function rejectsWorkbook(ctx: ServeContext, batch: number): Promise<Buffer> {
  const dir = uploadDir();
  try {
    const path = join(dir, 'tu-choi.xlsx');
    await writeRejectsWorkbook(await listRejects(ctx.db, { batch }), path);
    return readFileSync(path);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** At most this many rejected rows are shown on the page; the workbook has them all. */
const SHOWN_REJECTS = 1000;

/** The rejected rows of a batch: where each was, why, and its (non-personal) cells under the export's headers. */
export async function rejectsPage(ctx: ServeContext, batch: number): Promise<Html> {
  const rows = await listRejects(ctx.db, { batch });
  const table = rejectsTable(rows.slice(0, SHOWN_REJECTS));
  const download = html`<a class="button" href="/nhap-du-lieu/tu-choi-${String(batch)}.xlsx">Tải xlsx để sửa rồi nhập lại</a>`;
  if (!rows.length) return html`<p>Lô ${String(batch)} không có dòng nào bị từ chối.</p>`;
  return html`<p>Lô ${String(batch)}, tệp <strong>${rows[0].fileName}</strong>: ${formatCount(rows.length)} dòng bị từ chối${
    rows.length > SHOWN_REJECTS ? html` (trang này hiện ${formatCount(SHOWN_REJECTS)} dòng đầu)` : ''
  }. ${download}</p>
<div class="scroll"><table class="list" id="dong-tu-choi"><thead><tr>${table.headers.map((h) => html`<th>${h}</th>`)}</tr></thead><tbody>${table.rows.map(
    (row) => html`<tr>${row.map((cell) => html`<td>${cell === null ? '' : String(cell)}</td>`)}</tr>`,
  )}</tbody></table></div>`;
}
