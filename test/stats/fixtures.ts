import { mulberry32 } from '../../src/demo/random.ts';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';
import { openDatabase, type Db } from '../../src/db/connection.ts';
import type { TestDatabases } from '../helpers/databases.ts';
import { importFiles } from '../../src/import/index.ts';

// Test data goes in through the real import path: each test writes an export as a one-stop system gives it
// (dates 'dd/MM/yyyy HH:mm', Vietnamese channel and status words) and imports it.

export const HEADER = [
  'Mã hồ sơ', 'Đơn vị tiếp nhận', 'Tên thủ tục', 'Lĩnh vực', 'Hình thức nộp',
  'Ngày tiếp nhận', 'Ngày hẹn trả', 'Ngày kết thúc xử lý', 'Ngày trả kết quả', 'Trạng thái',
];

export const DISTRICT = 'UBND huyện Hạ Hoà';
export const COMMUNE = 'UBND xã Hiền Lương';

/** One dossier as an export row. Dates 'dd/MM/yyyy HH:mm'; empty = absent. */
export interface ExportRow {
  code: string;
  unit?: string;
  procedure?: string;
  field?: string;
  /** Trực tiếp | Trực tuyến | Bưu chính | Liên thông; '' = no channel. Default Trực tiếp. */
  channel?: string;
  received: string;
  due?: string;
  ended?: string;
  returned?: string;
  /** Đang xử lý | Yêu cầu bổ sung | Đã xử lý xong | Đã trả kết quả | Từ chối | Công dân rút hồ sơ. */
  status?: string;
}

const quote = (text: string) => (/[",\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text);

export function exportCsv(rows: ExportRow[]): string {
  const lines = rows.map((r) =>
    [
      r.code, r.unit ?? DISTRICT, r.procedure ?? 'Đăng ký khai sinh', r.field ?? 'Hộ tịch', r.channel ?? 'Trực tiếp',
      r.received, r.due ?? '', r.ended ?? '', r.returned ?? '',
      r.status ?? (r.ended ? 'Đã trả kết quả' : 'Đang xử lý'),
    ].map(quote).join(','),
  );
  return [HEADER.join(','), ...lines].join('\n') + '\n';
}

let files = 0;
/** Writes the rows as a CSV export in `dir` and imports it; every row must be accepted. */
export async function importRows(db: Db, dir: string, rows: ExportRow[]): Promise<void> {
  const file = join(dir, `ho-so-${++files}.csv`);
  writeFileSync(file, exportCsv(rows));
  const [summary] = await importFiles(db, [file]);
  expect(summary.rejectedByReason).toEqual({});
  expect(summary.newDossiers).toBe(rows.length);
}

/** A small seeded PRNG (mulberry32), so random test data is the same on every run. */
export function prng(seed: number): () => number {
  const random = mulberry32(seed);
  return () => random.next();
}

/** A new database of the test's kind holding these rows (data.ts), for tests that run the CLI on it. */
export async function databaseWith(t: TestDatabases, rows: Parameters<typeof importRows>[2]): Promise<string> {
  const target = await t.newTarget();
  const db = await openDatabase(target);
  try {
    await importRows(db, t.tempDir(), rows);
  } finally {
    await db.destroy();
  }
  return target;
}
