import { createWriteStream, existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { once } from 'node:events';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import ExcelJS from 'exceljs';
import { CHANNEL_LABELS } from '../../src/domain/channels.ts';
import { STATUS_LABELS } from '../../src/domain/statuses.ts';
import { cellDate, exportDate, generateDossiers, GENERATOR_VERSION, PersonalData, type BenchDossier } from './dossiers.ts';
import { buildProvince } from './province.ts';

// The exports a province would hand to `tthc import`: title rows, a header, one row per dossier with the
// personal-data columns real systems include, and a totals/signature footer. Written once per size and seed
// under bench/out/ (git-ignored); generation is never part of a measurement.

export const OUT_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', 'out');

export const EXPORT_HEADERS = [
  'STT', 'Mã hồ sơ', 'Đơn vị tiếp nhận', 'Tên thủ tục', 'Lĩnh vực', 'Hình thức nộp', 'Ngày tiếp nhận', 'Ngày hẹn trả',
  'Ngày kết thúc xử lý', 'Ngày trả kết quả', 'Trạng thái', 'Người nộp', 'Số điện thoại', 'Địa chỉ',
];

const SHORT_STATUS: Record<string, string> = { ...STATUS_LABELS, rejected: 'Từ chối' };

export type ExportKind = 'csv' | 'xlsx';

export function exportPath(kind: ExportKind, rows: number, seed: number): string {
  return join(OUT_DIR, `dossiers-${rows}-s${seed}-v${GENERATOR_VERSION}.${kind}`);
}

/** The export file for this size and seed, generated on first use; returns its path and whether it was cached. */
export async function ensureExport(kind: ExportKind, rows: number, seed: number, log = (s: string) => process.stderr.write(s)): Promise<{ path: string; cached: boolean; seconds: number }> {
  const path = exportPath(kind, rows, seed);
  if (existsSync(path)) return { path, cached: true, seconds: 0 };
  mkdirSync(OUT_DIR, { recursive: true });
  const partial = `${path}.partial`;
  rmSync(partial, { force: true });
  const started = performance.now();
  log(`generating ${rows.toLocaleString('en')} rows → ${path} … `);
  const dossiers = generateDossiers(rows, seed, buildProvince(seed));
  if (kind === 'csv') await writeCsv(partial, dossiers, rows, seed);
  else await writeXlsx(partial, dossiers, rows, seed);
  renameSync(partial, path);
  const seconds = (performance.now() - started) / 1000;
  log(`${seconds.toFixed(1)} s\n`);
  return { path, cached: false, seconds };
}

function exportCells(d: BenchDossier, personal: PersonalData) {
  const who = personal.next(d.unit);
  return {
    stt: d.index + 1,
    code: d.code,
    unit: d.unit.name,
    procedure: d.procedure.name,
    field: d.procedure.field,
    channel: CHANNEL_LABELS[d.channel],
    status: SHORT_STATUS[d.status],
    ...who,
  };
}

function csvField(text: string): string {
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

async function writeCsv(path: string, dossiers: Iterable<BenchDossier>, rows: number, seed: number): Promise<void> {
  const out = createWriteStream(path, { encoding: 'utf8' });
  const personal = new PersonalData(seed);
  let buffer = '\ufeff' + [
    'UBND TỈNH PHÚ THỌ',
    'DANH SÁCH HỒ SƠ TIẾP NHẬN (Từ ngày 01/01/2020 đến ngày 31/12/2024)',
    '',
    EXPORT_HEADERS.join(','),
  ].join('\r\n') + '\r\n';
  for (const d of dossiers) {
    const c = exportCells(d, personal);
    buffer += [
      c.stt, c.code, csvField(c.unit), csvField(c.procedure), csvField(c.field), c.channel, exportDate(d.received),
      d.due === null ? '' : exportDate(d.due), d.ended === null ? '' : exportDate(d.ended),
      d.returned === null ? '' : exportDate(d.returned), c.status, c.name, c.phone, csvField(c.address),
    ].join(',') + '\r\n';
    if (buffer.length > 1 << 20) {
      if (!out.write(buffer)) await once(out, 'drain');
      buffer = '';
    }
  }
  buffer += `Tổng số: ${rows.toLocaleString('vi-VN')} hồ sơ\r\n\r\nNgười lập biểu\r\n`;
  out.end(buffer);
  await once(out, 'finish');
}

async function writeXlsx(path: string, dossiers: Iterable<BenchDossier>, rows: number, seed: number): Promise<void> {
  // Shared strings, as Excel itself writes them: the reader has to keep the string table while it streams.
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: path, useSharedStrings: true, useStyles: true });
  const sheet = workbook.addWorksheet('Danh sách hồ sơ');
  const personal = new PersonalData(seed);
  sheet.addRow(['UBND TỈNH PHÚ THỌ']);
  sheet.addRow(['DANH SÁCH HỒ SƠ TIẾP NHẬN']);
  sheet.addRow(['(Từ ngày 01/01/2020 đến ngày 31/12/2024)']);
  sheet.mergeCells('A1:N1');
  sheet.mergeCells('A2:N2');
  sheet.mergeCells('A3:N3');
  sheet.addRow([]);
  const header = sheet.addRow(EXPORT_HEADERS);
  header.font = { bold: true };
  header.commit();
  const dateFormat = 'dd/mm/yyyy hh:mm';
  let n = 0;
  for (const d of dossiers) {
    const c = exportCells(d, personal);
    const row = sheet.addRow([
      c.stt, c.code, c.unit, c.procedure, c.field, c.channel, cellDate(d.received),
      d.due === null ? null : cellDate(d.due), d.ended === null ? null : cellDate(d.ended),
      d.returned === null ? null : cellDate(d.returned), c.status, c.name, c.phone, c.address,
    ]);
    for (let col = 7; col <= 10; col++) row.getCell(col).numFmt = dateFormat;
    row.commit();
    // Let the file stream drain now and then instead of buffering the whole sheet.
    if (++n % 10_000 === 0) await new Promise((resolve) => setImmediate(resolve));
  }
  sheet.addRow([]).commit();
  sheet.addRow([`Tổng số: ${rows.toLocaleString('vi-VN')} hồ sơ`]).commit();
  sheet.addRow(['Người lập biểu']).commit();
  sheet.commit();
  await workbook.commit();
}
