import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { checkAgainstDatabase, type DatabaseComparison } from '../../audit/check.ts';
import { readPublishedTable, scopeLabel, showValue, type PublishedFigure, type UnreadRow } from '../../audit/published.ts';
import { checkSelf, figureLabel, type SelfFinding } from '../../audit/self-check.ts';
import { isClean, verifyDatabase, type VerifyResult } from '../../audit/verify.ts';
import { SUMMARY_COUNT_LABELS, showHalfMonth } from '../../cli/commands/verify.ts';
import { formatCount, formatDecimal } from '../../domain/numbers.ts';
import { isUserError, type ServeContext } from '../context.ts';
import { html, notice, type Html } from '../html.ts';
import { safeFileName, uploadDir } from './import.ts';

// Kiểm tra: `tthc verify` (the summary and the flow identity recomputed from the dossiers) and `tthc check`
// (a published table of figures, against the database or against itself), on the library functions they call.

const LISTED = 200;

function verifyHtml(result: VerifyResult): Html {
  const head = `Đã kiểm tra ${formatCount(result.dossiers)} hồ sơ, ${formatCount(result.summaryRows)} dòng tổng hợp theo nửa tháng và ${formatCount(result.unitMonths)} cặp đơn vị – tháng (${formatDecimal(result.seconds, 1)} giây).`;
  if (isClean(result)) {
    return html`<div id="ket-qua-verify">${notice('info', [head, 'Không có chênh lệch: bảng tổng hợp đúng bằng hồ sơ, mọi đơn vị và tháng đều cân đối.'])}</div>`;
  }
  return html`<div id="ket-qua-verify">${notice('warning', [head])}
${result.summary.length
    ? html`<h3>Bảng tổng hợp khác với hồ sơ: ${formatCount(result.summary.length)} chỗ</h3>
<p>Sửa bằng lệnh <code>tthc verify --repair</code>.</p>
<table class="list"><thead><tr><th>Mã đơn vị</th><th>Lĩnh vực</th><th>Thủ tục</th><th>Nửa tháng</th><th>Chỉ số</th><th>Đang lưu</th><th>Tính lại</th></tr></thead><tbody>${result.summary.slice(0, LISTED).map(
      (d) => html`<tr><td>${d.unitCode}</td><td>${d.field || '(không ghi)'}</td><td>${d.procedureName === undefined ? '(mọi thủ tục)' : d.procedureName || '(không ghi)'}</td><td>${showHalfMonth(d.halfMonth)}</td><td>${SUMMARY_COUNT_LABELS[d.figure]}</td><td class="n">${formatCount(d.stored)}</td><td class="n">${formatCount(d.recomputed)}</td></tr>`,
    )}</tbody></table>`
    : ''}
${result.flow.length
    ? html`<h3>Không cân đối: ${formatCount(result.flow.length)} đơn vị – tháng</h3>
<table class="list"><thead><tr><th>Mã đơn vị</th><th>Tháng</th><th>Vào</th><th>Ra + còn</th></tr></thead><tbody>${result.flow.slice(0, LISTED).map(
      (d) => html`<tr><td>${d.unitCode}</td><td>${d.month}</td><td class="n">${formatCount(d.inflow)}</td><td class="n">${formatCount(d.outflow)}</td></tr>`,
    )}</tbody></table>`
    : ''}
${result.inconsistentDossierCount ? html`<h3>Hồ sơ tự mâu thuẫn: ${formatCount(result.inconsistentDossierCount)}</h3>
<ul>${result.inconsistentDossiers.map((d) => html`<li>${d.code} (${d.unitCode}): ${d.problem}</li>`)}</ul>` : ''}
</div>`;
}

const percentOf = (f: PublishedFigure) => f.figure.kind !== 'count';
const exact = (f: PublishedFigure, value: number) => showValue(value, percentOf(f), percentOf(f) ? f.decimals + 2 : 0);
const rowOf = (f: PublishedFigure) => (f.sheet ? `${f.sheet}!${f.rowNumber}` : String(f.rowNumber));

function checkHtml(name: string, figures: PublishedFigure[], unread: UnreadRow[], self?: SelfFinding[], database?: DatabaseComparison[]): Html {
  const lines = [`Đã đọc ${formatCount(figures.length)} số liệu công bố từ ${name}.`, ...unread.map((u) => `Không đọc được dòng ${u.sheet ? `${u.sheet}!` : ''}${u.rowNumber}: ${u.reason}`)];
  const differ = database?.filter((c) => !c.agrees) ?? [];
  return html`<div id="ket-qua-check">${notice(unread.length || differ.length || self?.length ? 'warning' : 'info', lines)}
${self
    ? self.length
      ? html`<h3>Kiểm tra nội bộ: ${formatCount(self.length)} chỗ không khớp</h3><table class="list"><thead><tr><th>Dòng</th><th>Kỳ</th><th>Cấp / đơn vị</th><th>Chỉ tiêu</th><th>Công bố</th><th>Nhận xét</th></tr></thead><tbody>${self.map(
        (s) => html`<tr><td>${rowOf(s.figure)}</td><td>${s.figure.periodText}</td><td>${scopeLabel(s.figure.scope)}</td><td>${figureLabel(s.figure.figure)}</td><td class="n">${s.figure.valueText}</td><td>${s.message}</td></tr>`,
      )}</tbody></table>`
      : html`<p>Kiểm tra nội bộ: các số liệu khớp nhau (tổng và thành phần, tỷ lệ, cân đối, tháng và năm).</p>`
    : ''}
${database
    ? html`<h3>Đối chiếu với cơ sở dữ liệu: ${formatCount(database.length)} số liệu, ${formatCount(database.length - differ.length)} khớp, ${formatCount(differ.length)} khác</h3>
<table class="list"><thead><tr><th>Dòng</th><th>Kỳ</th><th>Cấp / đơn vị</th><th>Chỉ tiêu</th><th>Công bố</th><th>Tính lại</th><th>Chênh lệch</th><th>Kết quả</th></tr></thead><tbody>${database.map(
      (c) => html`<tr class="${c.agrees ? 'ok' : 'error'}"><td>${rowOf(c.figure)}</td><td>${c.figure.periodText}</td><td>${scopeLabel(c.figure.scope)}</td><td>${figureLabel(c.figure.figure)}</td><td class="n">${c.figure.valueText}</td><td class="n">${c.recomputed === undefined ? '' : exact(c.figure, c.recomputed)}</td><td class="n">${c.difference === undefined ? '' : exact(c.figure, c.difference)}</td><td>${c.agrees ? 'khớp' : c.problem ? `khác: ${c.problem}` : 'khác'}</td></tr>`,
    )}</tbody></table>`
    : ''}</div>`;
}

export async function checkPage(ctx: ServeContext, search: URLSearchParams, result?: Html): Promise<Html> {
  const verify = search.get('verify') ? verifyHtml(await verifyDatabase(ctx.db)) : '';
  return html`<section><h2>Kiểm tra cơ sở dữ liệu (tthc verify)</h2>
<p>Tính lại từ hồ sơ bảng tổng hợp theo nửa tháng và cân đối của mọi đơn vị, mọi tháng (từ kỳ trước + mới tiếp nhận = đã giải quyết + rút + đang giải quyết).</p>
<form method="get" action="/kiem-tra"><input type="hidden" name="verify" value="1"><button type="submit">Kiểm tra</button></form>
${verify}
</section>
<section><h2>Đối chiếu số liệu đã công bố (tthc check)</h2>
<form method="post" action="/kiem-tra" enctype="multipart/form-data">
<input type="hidden" name="csrf" value="${ctx.csrf}">
<p>Bảng số liệu công bố (.xlsx hoặc .csv) với các cột Kỳ, Cấp / đơn vị, Chỉ tiêu, Giá trị công bố.</p>
<label>Tệp <input type="file" name="file" required></label>
<label><input type="checkbox" name="self" value="1"> Chỉ kiểm tra nội bộ bảng (không đối chiếu cơ sở dữ liệu)</label>
<label>Không tính lĩnh vực <input type="text" name="exclude-field" placeholder="Bảo hiểm xã hội"></label>
<button type="submit">Đối chiếu</button>
</form>
${result ?? ''}
</section>`;
}

/** Runs `tthc check` on an uploaded table (saved to a temporary folder, removed after). */
export async function checkUpload(ctx: ServeContext, form: FormData): Promise<Html> {
  const file = form.get('file');
  if (!(file instanceof File) || !file.size) return notice('error', ['Hãy chọn một tệp bảng số liệu.']);
  const dir = uploadDir();
  const name = safeFileName(file.name);
  try {
    if (file.size > ctx.uploadLimit) return notice('error', [`${name}: tệp lớn hơn giới hạn`]);
    const path = join(dir, name);
    writeFileSync(path, Buffer.from(await file.arrayBuffer()));
    const { figures, unread } = await readPublishedTable(path);
    if (form.get('self')) return checkHtml(name, figures, unread, checkSelf(figures));
    const excluded = form.getAll('exclude-field').map(String).map((s) => s.trim()).filter(Boolean);
    const database = await checkAgainstDatabase(ctx.db, figures, { filters: excluded.length ? { excludeField: excluded } : {} });
    return checkHtml(name, figures, unread, undefined, database);
  } catch (error) {
    if (!isUserError(error)) throw error;
    return notice('error', [error.message.split(join(dir, name)).join(name)]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
