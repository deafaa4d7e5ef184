import ExcelJS from 'exceljs';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { summaryLine } from '../../src/cli/commands/import.ts';
import type { Db } from '../../src/db/connection.ts';
import { importFile } from '../../src/import/index.ts';
import { reasonKind } from '../../src/import/import-file.ts';
import { listRejects } from '../../src/import/rejects.ts';
import { inputError } from '../helpers/async.ts';
import { tthc } from '../helpers/cli.ts';
import { describeEachDatabase } from '../helpers/databases.ts';

// What an import cannot know, it says (issue 12, points 1–4, the import's side).

const XA = 'UBND xã Ấm Hạ';

async function stored(db: Db) {
  return db.selectFrom('dossiers').select(['code', 'received_at', 'due_at', 'ended_at']).orderBy('code').execute();
}

describeEachDatabase('never silently wrong: import', (t) => {
  it("names at most ten of a file's new units and counts the rest, so that a province's first export keeps a readable line", async () => {
    const db = await t.open();
    const path = join(t.tempDir(), 'tinh.csv');
    // 13 communes written by hand: the line names the first ten in the file's order and counts three more.
    const communes = ['An', 'Bình', 'Cao', 'Đông', 'Gia', 'Hà', 'Kim', 'Lạc', 'Minh', 'Ngọc', 'Phú', 'Quang', 'Sơn'];
    writeFileSync(path, 'Mã hồ sơ,Đơn vị,Ngày tiếp nhận\n' + communes.map((c, i) => `T-${i},UBND xã ${c},15/03/2021`).join('\n') + '\n');
    const line = summaryLine(await importFile(db, path));
    expect(line).toContain('13 đơn vị mới: UBND xã An, UBND xã Bình, UBND xã Cao, UBND xã Đông, UBND xã Gia, UBND xã Hà, UBND xã Kim, UBND xã Lạc, UBND xã Minh, UBND xã Ngọc và 3 đơn vị khác (xem tthc units list)');
    expect(line).not.toContain('UBND xã Phú');
  });

  it('names the columns it did not use and warns of each needed field the file lacks; --strict refuses such a file', async () => {
    const db = await t.open();
    const path = join(t.tempDir(), 'thieu-cot.csv');
    writeFileSync(path, `Mã hồ sơ,Đơn vị,Ngày tiếp nhận,Hạn trả KQ (ngày),Ghi chú nội bộ\nA-1,${XA},15/03/2021,15,x\n`);
    const summary = await importFile(db, path);
    expect(summary.unusedColumns).toEqual(['Hạn trả KQ (ngày)', 'Ghi chú nội bộ']);
    expect(summary.warnings).toEqual([
      'không có cột ngày hẹn trả: không phân biệt được trước hạn / đúng hạn / quá hạn',
      'không có cột hình thức nộp: không tách được trực tiếp / trực tuyến / bưu chính',
      'không có cột ngày kết thúc xử lý hay ngày trả kết quả: không biết hồ sơ giải quyết xong ngày nào',
      'không có cột trạng thái: trạng thái suy ra từ các ngày, không nhận ra hồ sơ từ chối hay rút',
    ]);
    expect(summaryLine(summary)).toContain('cột không dùng: Hạn trả KQ (ngày), Ghi chú nội bộ');

    const strict = await inputError(importFile(db, path, { strict: true }));
    expect(strict.message).toContain('không có cột ngày hẹn trả');
    expect(strict.message).toContain('--strict');
  });

  it('reads a file whose dates prove month/day in that order, and says so', async () => {
    const db = await t.open();
    const path = join(t.tempDir(), 'us.csv');
    writeFileSync(
      path,
      'Mã hồ sơ,Đơn vị,Ngày tiếp nhận,Ngày hẹn trả,Trạng thái\n' +
        `U-1,${XA},4/2/2021 08:00,4/9/2021,Đang xử lý\n` +
        `U-2,${XA},3/25/2021 14:30,4/13/2021,Đang xử lý\n`,
    );
    const summary = await importFile(db, path);
    expect([summary.dateOrder, summary.dateOrderProved, summary.rejected]).toEqual(['mdy', true, 0]);
    expect(await stored(db)).toEqual([
      { code: 'U-1', received_at: '2021-04-02 08:00:00', due_at: '2021-04-09 00:00:00', ended_at: null },
      { code: 'U-2', received_at: '2021-03-25 14:30:00', due_at: '2021-04-13 00:00:00', ended_at: null },
    ]);
    expect(summaryLine(summary)).toContain('ngày đọc theo thứ tự tháng/ngày');
    // Exactly one batch: the first read, in day/month order, was rolled back.
    expect(await db.selectFrom('import_batches').select('id').execute()).toHaveLength(1);
  });

  it('fails a file whose dates prove both orders, naming two rows; --date-order decides', async () => {
    const db = await t.open();
    const path = join(t.tempDir(), 'mixed.csv');
    writeFileSync(
      path,
      'Mã hồ sơ,Đơn vị,Ngày tiếp nhận,Trạng thái\n' +
        `M-1,${XA},25/03/2021,Đang xử lý\n` +
        `M-2,${XA},02/03/2021,Đang xử lý\n` +
        `M-3,${XA},03/26/2021,Đang xử lý\n`,
    );
    const error = await inputError(importFile(db, path));
    expect(error.message).toContain('dòng 2 ghi "25/03/2021" (chỉ có thể là ngày/tháng)');
    expect(error.message).toContain('dòng 4 ghi "03/26/2021" (chỉ có thể là tháng/ngày)');
    expect(await stored(db)).toEqual([]);

    const forced = await importFile(db, path, { dateOrder: 'dmy' });
    expect([forced.newDossiers, forced.rejected]).toEqual([2, 1]);
    expect((await stored(db)).map((d) => d.received_at)).toEqual(['2021-03-25 00:00:00', '2021-03-02 00:00:00']);
  });

  it('reads undecidable dates day first and warns', async () => {
    const db = await t.open();
    const path = join(t.tempDir(), 'undecided.csv');
    writeFileSync(path, `Mã hồ sơ,Đơn vị,Ngày tiếp nhận,Trạng thái\nD-1,${XA},04/02/2021,Đang xử lý\n`);
    const summary = await importFile(db, path);
    expect(summary.dateOrder).toBe('dmy');
    expect(summary.warnings.some((w) => w.includes('không ngày nào của tệp cho biết thứ tự ngày/tháng'))).toBe(true);
    expect((await stored(db))[0].received_at).toBe('2021-02-04 00:00:00');
  });

  it('rejects a shifted CSV row and stores none of its values: no personal data anywhere', async () => {
    const dir = t.tempDir();
    const target = await t.newTarget();
    const path = join(dir, 'lech.csv');
    // An applicant's name with an unquoted comma shifts the row: the phone number lands in the date column.
    writeFileSync(
      path,
      'Mã hồ sơ,Họ tên người nộp,Số điện thoại,Đơn vị,Ngày tiếp nhận,Trạng thái\n' +
        `S-1,Nguyễn Văn A,0900000001,${XA},01/03/2021,Đang xử lý\n` +
        `S-2,Canary, Trần Thị,0987654321,${XA},02/03/2021,Đang xử lý\n` +
        `S-3,Lê B,0900000003,${XA},03/03/2021\n`,
    );
    const result = await tthc('--db', target, 'import', '--silent', path);
    expect(result.stdout).toContain('2 dòng bị từ chối (số ô không khớp dòng tiêu đề, không đọc dòng này: 2)');
    const db = await t.open(target);
    expect((await stored(db)).map((d) => d.code)).toEqual(['S-1']);
    const rejects = await listRejects(db);
    expect(rejects.map((r) => [r.rowNumber, r.values])).toEqual([[3, {}], [4, {}]]);
    expect(rejects[0].reasons[0]).toMatch(/^số ô không khớp dòng tiêu đề \(7 ô, tiêu đề có 6 cột\)/);

    const outputs = [result.stdout, result.stderr];
    for (const format of ['table', 'csv', 'json']) outputs.push((await tthc('--db', target, 'rejects', '--format', format)).stdout);
    for (const text of outputs) {
      expect(text).not.toContain('Canary');
      expect(text).not.toContain('0987654321');
    }
    if (t.dialect === 'sqlite') {
      await db.destroy();
      // The database file and any journal beside it, as bytes.
      for (const name of readdirSync(dir).filter((n) => n.startsWith('tthc.db'))) {
        const bytes = readFileSync(join(dir, name));
        expect(bytes.includes(Buffer.from('Canary')), name).toBe(false);
        expect(bytes.includes(Buffer.from('0987654321')), name).toBe(false);
      }
      expect(existsSync(target)).toBe(true);
    }
  });

  it('writes rejects a clerk can fix in Excel and import back; importing the same file again replaces its rejects', async () => {
    const dir = t.tempDir();
    const target = await t.newTarget();
    const path = join(dir, 'loi.csv');
    writeFileSync(
      path,
      'Mã hồ sơ,Đơn vị tiếp nhận,Hình thức nộp,Ngày tiếp nhận,Ngày hẹn trả,Trạng thái\n' +
        `R-1,${XA},Trực tuyến,01/03/2021,05/03/2021,Đang xử lý\n` +
        `R-2,${XA},Kiosk,02/03/2021,06/03/2021,Đang xử lý\n` +
        `R-3,${XA},Trực tiếp,31/02/2021,07/03/2021,Đang xử lý\n`,
    );
    expect((await tthc('--db', target, 'import', '--silent', path)).code).toBe(0);
    expect((await tthc('--db', target, 'import', '--silent', path)).code).toBe(0);
    const db = await t.open(target);
    // Two imports of the same file, its two rejects once.
    expect((await listRejects(db)).map((r) => r.rowNumber)).toEqual([3, 4]);

    const out = join(dir, 'loi-can-sua.xlsx');
    expect((await tthc('--db', target, 'rejects', '--format', 'xlsx', '--out', out)).code).toBe(0);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.readFile(out);
    const sheet = workbook.worksheets[0];
    const rows = sheet.getSheetValues().slice(1).map((row) => (row as unknown[]).slice(1));
    expect(rows[0]).toEqual([
      'Mã hồ sơ', 'Đơn vị tiếp nhận', 'Hình thức nộp', 'Ngày tiếp nhận', 'Ngày hẹn trả', 'Trạng thái',
      'Lý do bị từ chối', 'Tệp gốc', 'Trang gốc', 'Dòng gốc',
    ]);
    expect(rows[1].slice(0, 7)).toEqual(['R-2', XA, 'Kiosk', '02/03/2021', '06/03/2021', 'Đang xử lý', 'hình thức nộp không rõ: "Kiosk"']);
    expect(rows[2][0]).toBe('R-3');
    expect(String(rows[2][6])).toContain('ngày tiếp nhận không hợp lệ');

    // The clerk fixes the two cells and imports the workbook.
    sheet.getCell('C2').value = 'Trực tiếp';
    sheet.getCell('D3').value = '28/02/2021';
    await workbook.xlsx.writeFile(out);
    const fixed = await importFile(db, out);
    expect([fixed.newDossiers, fixed.rejected]).toEqual([2, 0]);
    expect((await stored(db)).map((d) => d.code)).toEqual(['R-1', 'R-2', 'R-3']);
  });
});

it('groups reasons in the summary line without cutting them to meaninglessness', () => {
  expect(reasonKind('hình thức nộp không rõ: "Kiosk"')).toBe('hình thức nộp không rõ: "Kiosk"');
  expect(reasonKind('ngày tiếp nhận không hợp lệ: "31/02/2021" (ngày không tồn tại)')).toBe('ngày tiếp nhận không hợp lệ (ngày không tồn tại)');
  expect(reasonKind('trạng thái "Đang xử lý" nhưng có ngày kết thúc xử lý 2021-03-04 10:00')).toBe(
    'trạng thái "Đang xử lý" nhưng có ngày kết thúc xử lý',
  );
  expect(reasonKind('ngày kết thúc xử lý (2021-03-01 10:00) trước ngày tiếp nhận (2021-03-02 08:00)')).toBe(
    'ngày kết thúc xử lý trước ngày tiếp nhận',
  );
  expect(reasonKind('ô công thức chưa có giá trị (ngày hẹn trả): mở tệp bằng Excel và lưu lại')).toBe(
    'ô công thức chưa có giá trị (ngày hẹn trả): mở tệp bằng Excel và lưu lại',
  );
});

it('refuses a file without a header without showing its cells, which may be personal data', async () => {
  const { tempDir } = await import('../helpers/databases.ts');
  const { openTable } = await import('../../src/import/table.ts');
  const { DOSSIER_COLUMNS } = await import('../../src/import/columns.ts');
  const { inputError } = await import('../helpers/async.ts');
  const dir = tempDir();
  const headerless = join(dir, 'khong-tieu-de.csv');
  writeFileSync(headerless, 'H-1,Nguyễn Văn Canary,0987654321,01/03/2021\nH-2,Trần Thị Canary,0912345678,02/03/2021\n');
  const error = await inputError(openTable(headerless, DOSSIER_COLUMNS));
  expect(error.message).toContain('không dòng nào trong 30 dòng đầu có tên cột nhận ra được');
  expect(error.message).not.toContain('Canary');
  expect(error.message).not.toContain('0987654321');

  const json = join(dir, 'ket-qua.json');
  writeFileSync(json, '{"personalValues": ["Nguyễn Văn Canary"]}\n');
  const refused = await inputError(openTable(json, DOSSIER_COLUMNS));
  expect(refused.message).toContain('tệp JSON, không phải bảng tính');
  expect(refused.message).not.toContain('Canary');
});
