import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { isClean, repairSummary, verifyDatabase } from '../../src/audit/verify.ts';
import { processingWorkingDays } from '../../src/domain/due-day.ts';
import { createCalendar } from '../../src/domain/working-days.ts';
import type { Db } from '../../src/db/connection.ts';
import { monthPeriod } from '../../src/domain/periods.ts';
import { importFiles, importProcedures } from '../../src/import/index.ts';
import { computeStats, computeStatsFromDossiers } from '../../src/stats/compute.ts';
import { describeEachDatabase } from '../helpers/databases.ts';
import { tthc } from '../helpers/cli.ts';
import { exportCsv, type ExportRow } from '../stats/fixtures.ts';

// Due days computed from the procedure catalogue's duration (src/domain/due-day.ts), counted by hand on the
// shipped calendar (src/domain/working-days-vn.json):
// - Tết 2024: days off Thu 08/02 to Wed 14/02. 5 working days after Mon 05/02 (the day of receipt not counted):
//   Tue 06 (1), Wed 07 (2), Thu 15 (3), Fri 16 (4), Mon 19 (5) → 19/02/2024.
// - 30/4–1/5 2024: Mon 29/04 off, swapped for Sat 04/05, worked. 5 working days after Thu 25/04: Fri 26 (1),
//   Thu 02/05 (2), Fri 03 (3), Sat 04 (4), Mon 06 (5) → 06/05/2024.
// - 30/4–1/5 2025: Fri 02/05 off, swapped for Sat 26/04, worked. 5 after Thu 24/04: Fri 25 (1), Sat 26 (2),
//   Mon 28 (3), Tue 29 (4), Mon 05/05 (5) → 05/05/2025.
// - "05 ngày" (calendar days) after Mon 05/02/2024: Sat 10/02, in Tết → the next working day, Thu 15/02/2024.
// - "Trong ngày": the day of receipt.

const CATALOGUE = [
  'Mã thủ tục,Tên thủ tục,Lĩnh vực,Thời hạn giải quyết',
  '1.001,Đăng ký khai sinh,Hộ tịch,05 ngày làm việc',
  '1.002,Cấp giấy phép xây dựng,Xây dựng,15 ngày làm việc kể từ ngày nhận đủ hồ sơ',
  '1.003,Đăng ký kết hôn,Hộ tịch,05 ngày',
  '1.004,Chứng thực bản sao,Chứng thực,Trong ngày',
  '1.005,Cấp phép khai thác,Tài nguyên,nửa tháng',
  '1.006,Đăng ký thường trú,Cư trú,',
].join('\n') + '\n';

const FIRST: ExportRow[] = [
  { code: 'T1', received: '05/02/2024 09:00', ended: '19/02/2024 10:00', status: 'Đã trả kết quả' },
  { code: 'T2', received: '25/04/2024 08:00', status: 'Đang xử lý' },
  { code: 'T3', received: '24/04/2025 08:00', ended: '06/05/2025 10:00', status: 'Đã trả kết quả' },
  { code: 'T4', procedure: 'Đăng ký kết hôn', received: '05/02/2024 10:00', status: 'Đang xử lý' },
  { code: 'T5', received: '05/02/2024 11:00', due: '07/02/2024 17:00', ended: '07/02/2024 09:00' },
  { code: 'T6', procedure: 'Đăng ký thường trú', field: 'Cư trú', received: '05/02/2024 11:00', status: 'Đang xử lý' },
  { code: 'T7', procedure: 'Chứng thực bản sao', field: 'Chứng thực', received: '05/03/2024 08:00', ended: '06/03/2024 08:00' },
  // The same dossier twice in one file: the row with the export's due day wins over the computed one.
  { code: 'T8', received: '01/03/2024 08:00', status: 'Đang xử lý' },
  { code: 'T8', received: '01/03/2024 08:00', due: '20/03/2024 17:00', ended: '21/03/2024 09:00' },
];

interface Stored {
  code: string;
  due_at: string | null;
  due_computed: number;
  outcome: string;
  processing_working_days: number | null;
}

async function stored(db: Db): Promise<Record<string, Omit<Stored, 'code'>>> {
  const rows = await db.selectFrom('dossiers').select(['code', 'due_at', 'due_computed', 'outcome', 'processing_working_days']).orderBy('code').execute();
  return Object.fromEntries(rows.map(({ code, ...r }) => [code, { ...r, due_computed: Number(r.due_computed), processing_working_days: r.processing_working_days === null ? null : Number(r.processing_working_days) }]));
}

let n = 0;
async function importRows(db: Db, dir: string, rows: ExportRow[], options: { dueFromCatalogue?: boolean } = { dueFromCatalogue: true }) {
  const file = join(dir, `ho-so-${++n}.csv`);
  writeFileSync(file, exportCsv(rows));
  const [summary] = await importFiles(db, [file], options);
  return summary;
}

describeEachDatabase('due days from the procedure catalogue', (t) => {
  it('reads durations, computes due days across Tết and swapped days, marks them, and keeps a real due day over a computed one', async () => {
    const db = await t.open();
    const dir = t.tempDir();
    writeFileSync(join(dir, 'thu-tuc.csv'), CATALOGUE);
    const catalogue = await importProcedures(db, join(dir, 'thu-tuc.csv'));
    expect(catalogue.imported).toBe(6);
    expect(catalogue.withDuration).toBe(4);
    expect(catalogue.warnings).toHaveLength(1);
    expect(catalogue.warnings[0]).toContain('dòng');
    expect(catalogue.warnings[0]).toContain('"nửa tháng"');
    expect(catalogue.warnings[0]).toContain('1.005');
    const durations = await db.selectFrom('procedures').select(['code', 'duration_days', 'duration_unit']).orderBy('code').execute();
    expect(durations.map((p) => [p.code, p.duration_days === null ? null : Number(p.duration_days), p.duration_unit])).toEqual([
      ['1.001', 5, 'working'], ['1.002', 15, 'working'], ['1.003', 5, 'calendar'], ['1.004', 0, 'working'], ['1.005', null, null], ['1.006', null, null],
    ]);

    const summary = await importRows(db, dir, FIRST);
    expect(summary.dueComputed).toBe(6);
    expect(summary.warnings).toContain('6 hồ sơ không có hạn xử lý: tính từ thời hạn của thủ tục theo ngày làm việc');
    expect(await stored(db)).toEqual({
      T1: { due_at: '2024-02-19 00:00:00', due_computed: 1, outcome: 'on_time', processing_working_days: 5 },
      T2: { due_at: '2024-05-06 00:00:00', due_computed: 1, outcome: 'open', processing_working_days: null },
      // Received Thu 24/04/2025, ended Tue 06/05/2025: 25, 26 (Saturday worked), 28, 29/04, 05, 06/05.
      T3: { due_at: '2025-05-05 00:00:00', due_computed: 1, outcome: 'late', processing_working_days: 6 },
      T4: { due_at: '2024-02-15 00:00:00', due_computed: 1, outcome: 'open', processing_working_days: null },
      T5: { due_at: '2024-02-07 17:00:00', due_computed: 0, outcome: 'on_time', processing_working_days: 2 },
      T6: { due_at: null, due_computed: 0, outcome: 'open', processing_working_days: null },
      T7: { due_at: '2024-03-05 00:00:00', due_computed: 1, outcome: 'late', processing_working_days: 1 },
      T8: { due_at: '2024-03-20 17:00:00', due_computed: 0, outcome: 'late', processing_working_days: 14 },
    });
    // The summary by half-month was corrected for the rows whose classification the computed due day changed.
    expect(isClean(await verifyDatabase(db))).toBe(true);
    const period = monthPeriod('2024-02');
    expect(await computeStats(db, { period, by: ['unit'] })).toEqual(await computeStatsFromDossiers(db, { period, by: ['unit'] }));

    // A later export gives T2 its real due day: it replaces the computed one; one without a due day again keeps it.
    await importRows(db, dir, [{ code: 'T2', received: '25/04/2024 08:00', due: '10/05/2024 17:00', status: 'Đang xử lý' }]);
    await importRows(db, dir, [{ code: 'T2', received: '25/04/2024 08:00', ended: '08/05/2024 09:00', status: 'Đã trả kết quả' }]);
    const t2 = (await stored(db)).T2;
    // 26/04, 02, 03, 04 (Saturday worked), 06, 07, 08/05.
    expect(t2).toEqual({ due_at: '2024-05-10 17:00:00', due_computed: 0, outcome: 'early', processing_working_days: 7 });
    // And the other way round: a computed due day arriving after a real one does not replace it.
    await importRows(db, dir, [{ code: 'T5', received: '05/02/2024 11:00', ended: '07/02/2024 09:00', status: 'Đã trả kết quả' }]);
    expect((await stored(db)).T5).toMatchObject({ due_at: '2024-02-07 17:00:00', due_computed: 0 });
    expect(isClean(await verifyDatabase(db))).toBe(true);
  });

  it('computes nothing without --due-from-catalogue: such dossiers count as on time, as the one-stop systems count them, and the summary says how many', async () => {
    const db = await t.open();
    const dir = t.tempDir();
    writeFileSync(join(dir, 'thu-tuc.csv'), CATALOGUE);
    await importProcedures(db, join(dir, 'thu-tuc.csv'));
    const summary = await importRows(db, dir, FIRST, {});
    expect(summary.dueComputed).toBe(0);
    expect(summary.warnings).toContain(
      '6 hồ sơ không có hạn xử lý, tính là đúng hạn như hệ thống một cửa; danh mục thủ tục có thời hạn giải quyết của chúng: nhập lại với --due-from-catalogue (trên trang Nhập dữ liệu: ô "tính hạn từ thời hạn giải quyết của thủ tục") để tính hạn theo ngày làm việc',
    );
    const before = await stored(db);
    // T3 ended after its procedure's 5 working days: late with a computed due day, on time without one.
    expect(before.T3).toEqual({ due_at: null, due_computed: 0, outcome: 'on_time', processing_working_days: 6 });
    expect(Object.values(before).filter((d) => d.due_computed === 1)).toEqual([]);
    // The same file again with the option dates the stored dossiers through the merge.
    const again = await importRows(db, dir, FIRST);
    expect(again.dueComputed).toBe(6);
    expect((await stored(db)).T3).toEqual({ due_at: '2025-05-05 00:00:00', due_computed: 1, outcome: 'late', processing_working_days: 6 });
    expect(isClean(await verifyDatabase(db))).toBe(true);
  });

  it('says, for a file without a due column whose due days come from the catalogue, that only those dossiers are dated', async () => {
    const db = await t.open();
    const dir = t.tempDir();
    writeFileSync(join(dir, 'thu-tuc.csv'), CATALOGUE);
    await importProcedures(db, join(dir, 'thu-tuc.csv'));
    const file = join(dir, 'khong-co-han.csv');
    writeFileSync(file, 'Mã hồ sơ,Mã thủ tục,Đơn vị,Ngày tiếp nhận,Ngày kết thúc,Trạng thái\nN1,1.001,UBND xã A,05/02/2024 09:00,19/02/2024 10:00,Đã trả kết quả\n');
    const [summary] = await importFiles(db, [file], { dueFromCatalogue: true });
    expect(summary.warnings).not.toContain('không có cột ngày hẹn trả: không phân biệt được trước hạn / đúng hạn / quá hạn');
    expect(summary.warnings).toContain('không có cột ngày hẹn trả: chỉ hồ sơ có hạn tính từ thời hạn của thủ tục (dưới đây) phân biệt được trước hạn / đúng hạn / quá hạn');
    expect(summary.warnings).toContain('1 hồ sơ không có hạn xử lý: tính từ thời hạn của thủ tục theo ngày làm việc');
  });

  it('recounts every dossier in one statement when a calendar change touches many days (verify --repair)', async () => {
    const db = await t.open();
    const dir = t.tempDir();
    // 80 dossiers received on 80 different days of 2024 (from 02/01), each ended 20 days later: 80 groups of
    // (receipt, end) days. A calendar that rests every Wednesday of 2024 changes the count of each of them.
    const rows: ExportRow[] = [];
    const day = (n: number) => new Date(Date.UTC(2024, 0, 2 + n));
    const vn = (d: Date) => `${String(d.getUTCDate()).padStart(2, '0')}/${String(d.getUTCMonth() + 1).padStart(2, '0')}/${d.getUTCFullYear()} 09:00`;
    for (let i = 0; i < 80; i++) rows.push({ code: `R${i}`, received: vn(day(i)), ended: vn(day(i + 20)), status: 'Đã trả kết quả' });
    await importRows(db, dir, rows);
    const wednesdays: Record<string, string> = {};
    for (let d = new Date(Date.UTC(2024, 0, 3)); d.getUTCFullYear() === 2024; d = new Date(d.getTime() + 7 * 86_400_000)) {
      wednesdays[d.toISOString().slice(0, 10)] = 'Nghỉ thử';
    }
    const calendar = createCalendar([{ years: { 2024: { sources: ['thử'], daysOff: wednesdays, workingDays: {} } } }]);
    const repaired = await repairSummary(db, { calendar });
    expect(repaired.dossiersRecounted).toBe(80);
    // Counted by hand for R0: after Tue 02/01 to Mon 22/01, less weekends and Wednesdays: 04, 05, 08, 09, 11, 12,
    // 15, 16, 18, 19, 22 = 11 working days.
    const counts = await db.selectFrom('dossiers').select(['code', 'processing_working_days']).orderBy('code').execute();
    expect(Number(counts.find((c) => c.code === 'R0')!.processing_working_days)).toBe(11);
    for (const c of counts) {
      const i = Number(c.code.slice(1));
      expect(Number(c.processing_working_days), c.code).toBe(processingWorkingDays(day(i).toISOString(), day(i + 20).toISOString(), calendar));
    }
    expect(isClean(await verifyDatabase(db, { calendar }))).toBe(true);
  });

  it('takes a user\'s calendar at import (--calendar), and verify recounts by the calendar it is given', async () => {
    const target = await t.newTarget();
    const dir = t.tempDir();
    writeFileSync(join(dir, 'thu-tuc.csv'), CATALOGUE);
    expect((await tthc('--db', target, 'procedures', 'import', join(dir, 'thu-tuc.csv'))).stderr).toContain('"nửa tháng"');
    // A calendar that rests Monday 19/02/2024 as well: T1's 5 working days after 05/02 end on Tuesday 20/02.
    const calendar = join(dir, 'lich.json');
    writeFileSync(calendar, JSON.stringify({ years: { 2024: { sources: ['thử'], daysOff: { '2024-02-19': 'Nghỉ thêm' }, workingDays: {} } } }));
    writeFileSync(join(dir, 'ho-so.csv'), exportCsv(FIRST.slice(0, 1)));
    const imported = await tthc('--db', target, 'import', '--due-from-catalogue', '--calendar', calendar, join(dir, 'ho-so.csv'));
    expect(imported.code, imported.stderr).toBe(0);
    expect(imported.stdout).toContain('1 hồ sơ không có hạn xử lý: tính từ thời hạn của thủ tục theo ngày làm việc');
    const db = await t.open(target);
    // Ended Monday 19/02, a day off by this calendar: 06, 07, 15, 16 = 4 working days; due the 20th, so early.
    expect((await stored(db)).T1).toEqual({ due_at: '2024-02-20 00:00:00', due_computed: 1, outcome: 'early', processing_working_days: 4 });
    // By the shipped calendar the count is 5: verify says so, and is clean with the calendar of the import.
    const shipped = await tthc('--db', target, 'verify', '--format', 'json');
    expect(shipped.code).toBe(1);
    expect(JSON.parse(shipped.stdout).workingDays).toEqual([{ code: 'T1', unitCode: expect.any(String), stored: 4, recomputed: 5 }]);
    expect((await tthc('--db', target, 'verify', '--calendar', calendar)).code).toBe(0);
    // A bad calendar file is one line naming it; nothing is imported.
    const wrong = join(dir, 'sai.json');
    writeFileSync(wrong, '{ "years": { "2024": { "sources": [] } } }');
    const refused = await tthc('--db', target, 'import', '--calendar', wrong, join(dir, 'ho-so.csv'));
    expect(refused.code).not.toBe(0);
    expect(refused.stderr.trim().split('\n')).toHaveLength(1);
    expect(refused.stderr).toContain('sai.json');
  });
});

