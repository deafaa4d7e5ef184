import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';
import type { Db } from '../../src/db/connection.ts';
import { importFiles } from '../../src/import/index.ts';
import { COMMUNE, type ExportRow } from './fixtures.ts';

// Data that ends on Thursday 25/05/2023 (E1 ended that day), as the Hạ Hoà exports do: the district office (the
// default unit of fixtures.ts) and a commune from 02/01/2020, and a second commune whose data ends on Friday
// 30/12/2022. What each dossier is at 25/05/2023, at 31/05/2023 (the end of that half-month) and at 31/12/2023 is
// written next to it; the tests' expected numbers are added up from these comments.

export const SECOND_COMMUNE = 'UBND xã Vô Tranh';

export const UNTIL_25_MAY: ExportRow[] = [
  // 2020: received on the first working day (01/01 is a holiday), ended early
  { code: 'C1', received: '02/01/2020 08:00', due: '10/01/2020 17:00', ended: '08/01/2020 10:00' },
  // 2021: received and ended late
  { code: 'C2', received: '15/06/2021 08:00', due: '20/06/2021 17:00', ended: '25/06/2021 10:00' },
  // 2023, district, still pending at the end of the data:
  // due 10/05: overdue at 25/05, 31/05 and 31/12
  { code: 'P1', received: '02/05/2023 08:00', due: '10/05/2023 17:00' },
  // due on the last day of the data: in time at 25/05; overdue at 31/05 and 31/12
  { code: 'P2', received: '15/05/2023 08:00', due: '25/05/2023 17:00' },
  // online, due 29/05: in time at 25/05; overdue at 31/05 and 31/12
  { code: 'P3', channel: 'Trực tuyến', field: 'Đất đai', received: '20/05/2023 08:00', due: '29/05/2023 17:00' },
  // due 15/06: in time at 25/05 and 31/05; overdue at 31/12
  { code: 'P4', received: '22/05/2023 08:00', due: '15/06/2023 17:00' },
  // no due date: in time whenever
  { code: 'P5', received: '24/05/2023 08:00' },
  // ended on the last day of the data, before its due day: 2023 resolvedEarly
  { code: 'E1', received: '20/05/2023 08:00', due: '30/05/2023 17:00', ended: '25/05/2023 14:00' },
  // 2023, commune, pending: due 20/03 (overdue everywhere); due 26/05 (in time at 25/05, overdue at 31/05, 31/12)
  { code: 'X1', unit: COMMUNE, received: '10/03/2023 08:00', due: '20/03/2023 17:00' },
  { code: 'X2', unit: COMMUNE, received: '12/05/2023 08:00', due: '26/05/2023 17:00' },
  // the second commune: its data ends on Friday 30/12/2022 (31/12/2022 is a Saturday); ended late
  { code: 'V1', unit: SECOND_COMMUNE, received: '05/12/2022 08:00', due: '20/12/2022 17:00', ended: '30/12/2022 10:00' },
];

/**
 * Writes `rows` as a CSV export with only the given columns (header → what each row gives) and imports it:
 * how a file that lacks a column is made.
 */
export async function importColumns(
  db: Db,
  dir: string,
  name: string,
  columns: Array<[header: string, value: (row: ExportRow) => string]>,
  rows: ExportRow[],
  options: { unit?: string } = {},
): Promise<void> {
  const file = join(dir, name);
  const lines = [columns.map(([header]) => header).join(','), ...rows.map((row) => columns.map(([, value]) => value(row)).join(','))];
  writeFileSync(file, `${lines.join('\n')}\n`);
  const [summary] = await importFiles(db, [file], options);
  expect(summary.rejectedByReason).toEqual({});
}

export const COLUMN = {
  code: ['Mã hồ sơ', (r: ExportRow) => r.code],
  unit: ['Đơn vị tiếp nhận', (r: ExportRow) => r.unit ?? 'UBND huyện Hạ Hoà'],
  procedure: ['Tên thủ tục', (r: ExportRow) => r.procedure ?? 'Đăng ký khai sinh'],
  field: ['Lĩnh vực', (r: ExportRow) => r.field ?? 'Hộ tịch'],
  channel: ['Hình thức nộp', (r: ExportRow) => r.channel ?? 'Trực tiếp'],
  received: ['Ngày tiếp nhận', (r: ExportRow) => r.received],
  due: ['Ngày hẹn trả', (r: ExportRow) => r.due ?? ''],
  ended: ['Ngày kết thúc xử lý', (r: ExportRow) => r.ended ?? ''],
  returned: ['Ngày trả kết quả', (r: ExportRow) => r.returned ?? ''],
  status: ['Trạng thái', (r: ExportRow) => r.status ?? (r.ended ? 'Đã trả kết quả' : 'Đang xử lý')],
} satisfies Record<string, [string, (row: ExportRow) => string]>;
