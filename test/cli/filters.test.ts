import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/db/connection.ts';
import { tthc } from '../helpers/cli.ts';
import { tempDir } from '../helpers/databases.ts';
import { DISTRICT, importRows, type ExportRow } from '../stats/fixtures.ts';

// --field, --exclude-field and --unit as typed on the command line (test/stats/filters.test.ts has the cases on
// both databases). Counts come from the rows written here.

const rows: ExportRow[] = [
  ...Array.from({ length: 4 }, (_, i) => ({ code: `B${i}`, field: 'Bảo hiểm xã hội', received: '10/03/2022 08:00' })),
  ...Array.from({ length: 3 }, (_, i) => ({ code: `T${i}`, field: 'Tài nguyên và Môi trường', received: '10/03/2022 08:00' })),
  ...Array.from({ length: 2 }, (_, i) => ({ code: `A${i}`, unit: 'UBND xã Ấm Hạ', field: 'Hộ tịch', received: '10/03/2022 08:00' })),
  { code: 'A9', unit: 'UBND xã Âm Hà', field: 'Hộ tịch', received: '10/03/2022 08:00' },
];

describe('filters on the command line', () => {
  let target: string;
  beforeAll(async () => {
    target = join(tempDir(), 'tthc.db');
    const db = await openDatabase(target);
    await importRows(db, tempDir(), rows);
    await db.destroy();
  });
  const received = async (...args: string[]) => {
    const r = await tthc('--db', target, 'stats', '--year', '2022', '--format', 'json', ...args);
    expect(errorsOf(r.stderr)).toEqual([]);
    return JSON.parse(r.stdout)[0].receivedTotal as number;
  };

  it('--exclude-field BHXH leaves out Bảo hiểm xã hội', async () => {
    expect(await received()).toBe(10);
    expect(await received('--exclude-field', 'BHXH')).toBe(6);
  });

  it('--field "TN&MT" keeps Tài nguyên và Môi trường', async () => {
    expect(await received('--field', 'TN&MT')).toBe(3);
  });

  it('--unit without marks: one unit, or an error naming the units it could mean', async () => {
    expect(await received('--unit', 'UBND X. Ấm Hạ')).toBe(2);
    const r = await tthc('--db', target, 'stats', '--year', '2022', '--unit', 'UBND xa Am Ha');
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(
      /^tthc: tên đơn vị "UBND xa Am Ha" khớp nhiều đơn vị: "UBND xã (Ấm Hạ|Âm Hà)" \(mã [^)]+\), "UBND xã (Ấm Hạ|Âm Hà)" \(mã [^)]+\); hãy ghi tên có dấu hoặc mã đơn vị\n$/,
    );
  });

  it('an unknown --exclude-field is an error with the closest names, as for --field', async () => {
    const exclude = await tthc('--db', target, 'stats', '--year', '2022', '--exclude-field', 'Bảo hiễm xã hội');
    expect(exclude.code).toBe(1);
    expect(exclude.stdout).toBe('');
    expect(exclude.stderr).toMatch(/^tthc: --exclude-field: không có lĩnh vực "Bảo hiễm xã hội" trong dữ liệu; gần nhất: "Bảo hiểm xã hội"(, "[^"]+")*\n$/);
    const field = await tthc('--db', target, 'stats', '--year', '2022', '--field', 'Tai nguyen');
    expect(field.code).toBe(1);
    expect(field.stderr).toMatch(/^tthc: --field: không có lĩnh vực "Tai nguyen" trong dữ liệu; gần nhất: "Tài nguyên và Môi trường"/);
  });

  it('the district is found by its abbreviated name too', async () => {
    expect(await received('--unit', 'UBND H. Hạ Hoà')).toBe(rows.filter((r) => (r.unit ?? DISTRICT) === DISTRICT).length);
  });
});

/** What a command printed on stderr but the coverage warnings (the test data covers only part of the period). */
function errorsOf(stderr: string): string[] {
  return stderr.split('\n').filter((line) => line !== '' && !line.startsWith('tthc: cảnh báo:'));
}
