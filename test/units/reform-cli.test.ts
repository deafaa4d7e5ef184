import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { describeEachDatabase } from '../helpers/databases.ts';
import { tthc } from '../helpers/cli.ts';

// From the command line: an export before the reform (one unit column) and one after it (where received, who
// resolves), then the figures by level across 1 July 2025 and by receiving unit.

const BEFORE = [
  'Mã hồ sơ;Đơn vị tiếp nhận;Lĩnh vực;Hình thức nộp;Ngày tiếp nhận;Ngày hẹn trả;Ngày kết thúc xử lý;Trạng thái',
  'H-1;UBND huyện Tam Nông;Đất đai;Trực tiếp;03/06/2025 08:00;20/06/2025 17:00;10/06/2025 09:00;Đã xử lý xong',
  'X-1;UBND xã Vạn Xuân;Hộ tịch;Trực tuyến;04/06/2025 08:00;05/06/2025 17:00;05/06/2025 09:00;Đã xử lý xong',
].join('\n');
const AFTER = [
  'Mã hồ sơ;Nơi tiếp nhận;Cơ quan giải quyết;Lĩnh vực;Hình thức nộp;Ngày tiếp nhận;Ngày hẹn trả;Ngày kết thúc xử lý;Trạng thái',
  'S-1;Trung tâm Phục vụ hành chính công tỉnh Phú Thọ;Sở Tư pháp tỉnh Phú Thọ;Tư pháp;Trực tuyến;02/07/2025 08:00;10/07/2025 17:00;08/07/2025 09:00;Đã xử lý xong',
  'S-2;Trung tâm Phục vụ hành chính công tỉnh Phú Thọ;Sở Tư pháp tỉnh Phú Thọ;Tư pháp;Trực tiếp;03/07/2025 08:00;10/07/2025 17:00;;Đang xử lý',
  'X-2;Trung tâm Phục vụ hành chính công xã Hiền Quan;UBND xã Hiền Quan;Hộ tịch;Trực tuyến;05/01/2026 08:00;06/01/2026 17:00;06/01/2026 09:00;Đã xử lý xong',
].join('\n');

describeEachDatabase('the reform from the command line', (t) => {
  it('imports both shapes of export, says which unit columns each has, and counts by level and by receiving unit', async () => {
    const target = await t.newTarget();
    const dir = t.tempDir();
    writeFileSync(join(dir, 'truoc.csv'), `${BEFORE}\n`);
    writeFileSync(join(dir, 'sau.csv'), `${AFTER}\n`);
    const imported = await tthc('--db', target, 'import', join(dir, 'truoc.csv'), join(dir, 'sau.csv'));
    expect(imported.code, imported.stderr).toBe(0);
    const lines = imported.stdout.split('\n');
    expect(lines.find((l) => l.startsWith('truoc.csv'))).toContain('chỉ có cột "Đơn vị tiếp nhận", không có cột cơ quan giải quyết');
    expect(lines.find((l) => l.startsWith('sau.csv'))).not.toContain('chỉ có cột');
    // Levels read from the names: the department and the new commune are tỉnh and xã.
    const levels = await tthc('--db', target, 'stats', '--from', '2025-01-01', '--to', '2026-01-31', '--by', 'year,level', '--format', 'json');
    expect(levels.code, levels.stderr).toBe(0);
    expect(JSON.parse(levels.stdout).map((r: any) => [r.year, r.level, r.receivedTotal, r.notes ?? null])).toEqual([
      [2025, 'tinh', 2, null],
      [2025, 'huyen', 1, ['từ 01/07/2025 chính quyền địa phương có hai cấp (tỉnh, xã): số liệu cấp huyện chỉ gồm phần kỳ đến 30/06/2025']],
      [2025, 'xa', 1, null],
      [2026, 'tinh', 0, null],
      [2026, 'xa', 1, null],
    ]);
    expect(levels.stderr).toContain('tthc: cảnh báo: từ 01/07/2025 chính quyền địa phương có hai cấp (tỉnh, xã)');

    const received = await tthc('--db', target, 'stats', '--year', '2025', '--by', 'receiving-unit', '--format', 'csv', '--columns', 'receivingUnit,receivedTotal,pendingTotal');
    expect(received.code, received.stderr).toBe(0);
    expect(received.stdout.trim().split('\n')).toEqual([
      'receivingUnit,receivedTotal,pendingTotal',
      'Trung tâm Phục vụ hành chính công tỉnh Phú Thọ,2,1',
      ',2,0',
    ]);
    const filtered = await tthc('--db', target, 'dossiers', '--year', '2025', '--receiving-unit', 'Trung tam Phuc vu hanh chinh cong tinh Phu Tho', '--figure', 'receivedTotal', '--format', 'json');
    expect(filtered.code, filtered.stderr).toBe(0);
    expect(JSON.parse(filtered.stdout).map((d: any) => d.code)).toEqual(['S-1', 'S-2']);
  });
});
