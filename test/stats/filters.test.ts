import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { openDatabase, type Db } from '../../src/db/connection.ts';
import { importProcedures } from '../../src/import/index.ts';
import { computeStats } from '../../src/stats/compute.ts';
import { StatsQueryError, type StatsFilters } from '../../src/stats/types.ts';
import { describeEachDatabase } from '../helpers/databases.ts';
import { DISTRICT, importRows, type ExportRow } from './fixtures.ts';

// --field, --exclude-field and --unit as people write them, through computeStats on SQLite and PostgreSQL. The
// expected counts are those of the rows written below.

const AM_HA = 'UBND xã Ấm Hạ';
const AM_HA_2 = 'UBND xã Âm Hà'; // another commune whose name without marks is the same
const HIEN_LUONG = 'UBND xã Hiền Lương';

// [field, unit, how many dossiers]
const PLAN: Array<[string, string, number]> = [
  ['Bảo hiểm xã hội', DISTRICT, 4],
  ['Bảo hiểm xã hội', AM_HA, 1],
  ['Tài nguyên và Môi trường', DISTRICT, 3],
  ['Văn hóa - Thể thao - Du lịch', DISTRICT, 2],
  ['Lao động - Thương binh và Xã hội', DISTRICT, 2],
  ['Bảo trợ xã hội', AM_HA, 2],
  ['Đất đai', AM_HA, 5],
  ['Hộ tịch', AM_HA_2, 6],
  ['Hộ tịch', HIEN_LUONG, 7],
];
const TOTAL = PLAN.reduce((n, [, , count]) => n + count, 0); // 32
const count = (where: (field: string, unit: string) => boolean) =>
  PLAN.filter(([field, unit]) => where(field, unit)).reduce((n, [, , c]) => n + c, 0);

describeEachDatabase('filters by field and unit names', (t) => {
  let db: Db;
  beforeAll(async () => {
    db = await openDatabase(await t.newTarget());
    const dir = t.tempDir();
    let n = 0;
    const rows: ExportRow[] = PLAN.flatMap(([field, unit, c]) =>
      Array.from({ length: c }, () => ({ code: `F${++n}`, unit, field, received: '10/03/2022 08:00' })),
    );
    await importRows(db, dir, rows);
    // A field of the procedure catalogue that no dossier has, and that is not among the common ones.
    const catalogue = join(dir, 'danh-muc-tthc.csv');
    writeFileSync(catalogue, 'Mã thủ tục,Tên thủ tục,Lĩnh vực,Mức độ,Cấp thực hiện\n1.000001,Thủ tục thử,Giáo dục thường xuyên,2,Cấp huyện\n');
    await importProcedures(db, catalogue);
  });
  afterAll(() => db.destroy());
  const received = async (filters: StatsFilters) =>
    (await computeStats(db, { period: { from: '2022-01-01', to: '2022-12-31' }, filters }))[0].receivedTotal;

  it('leaves out a field written as its abbreviation', async () => {
    const withoutBhxh = count((f) => f !== 'Bảo hiểm xã hội');
    expect(withoutBhxh).toBe(TOTAL - 5);
    expect(await received({ excludeField: ['BHXH'] })).toBe(withoutBhxh);
    expect(await received({ excludeField: ['bhxh'] })).toBe(withoutBhxh);
    expect(await received({ excludeField: ['Bao hiem xa hoi'] })).toBe(withoutBhxh);
  });

  it('keeps a field written as its abbreviation, with or without "&", "và", "-"', async () => {
    for (const name of ['TN&MT', 'TNMT', 'Tài nguyên - Môi trường', 'tai nguyen va moi truong']) {
      expect(await received({ field: [name] }), name).toBe(3);
    }
    for (const name of ['VHTT&DL', 'Văn hóa, Thể thao và Du lịch']) expect(await received({ field: [name] }), name).toBe(2);
    expect(await received({ field: ['LĐ-TB&XH'] })).toBe(2);
    expect(await received({ field: ['Lĩnh vực Hộ tịch'] })).toBe(13);
    expect(await received({ field: ['HT', 'Dat dai'] })).toBe(18);
  });

  it('finds a unit by its abbreviated name or its name without marks', async () => {
    const amHa = count((_, u) => u === AM_HA);
    expect(amHa).toBe(8);
    expect(await received({ unit: ['UBND X. Ấm Hạ'] })).toBe(amHa);
    expect(await received({ unit: ['Ủy ban nhân dân xã Ấm Hạ'] })).toBe(amHa);
    expect(await received({ unit: ['UBND xa Hien Luong'] })).toBe(7);
    expect(await received({ unit: ['UBND H. Hạ Hoà'] })).toBe(count((_, u) => u === DISTRICT));
  });

  it('refuses a name without marks that two units share, naming both', async () => {
    const error = await computeStats(db, { period: { from: '2022-01-01', to: '2022-12-31' }, filters: { unit: ['UBND xa Am Ha'] } }).catch((e) => e);
    expect(error).toBeInstanceOf(StatsQueryError);
    expect(error.message).toMatch(/^tên đơn vị "UBND xa Am Ha" khớp nhiều đơn vị: /);
    expect(error.message).toContain(`"${AM_HA}"`);
    expect(error.message).toContain(`"${AM_HA_2}"`);
  });

  it('an excluded field that matches nothing known is an error naming the closest fields', async () => {
    const error = await computeStats(db, { period: { from: '2022-01-01', to: '2022-12-31' }, filters: { excludeField: ['BHXHH'] } }).catch((e) => e);
    expect(error).toBeInstanceOf(StatsQueryError);
    expect(error.message).toMatch(/^--exclude-field: không có lĩnh vực "BHXHH" trong dữ liệu; gần nhất: "Bảo hiểm xã hội", "Bảo trợ xã hội"/);
    await expect(received({ field: ['Đất đia'] })).rejects.toThrow(/^--field: không có lĩnh vực "Đất đia" trong dữ liệu; gần nhất: "Đất đai"/);
    // One letter's mark away from each of two communes: both come first.
    const unit = await received({ unit: ['UBND xã Ấm Hà'] }).catch((e) => e);
    expect(unit.message).toMatch(/^không tìm thấy đơn vị "UBND xã Ấm Hà"; gần nhất: "UBND xã (Ấm Hạ|Âm Hà)" \(mã [^)]+\), "UBND xã (Ấm Hạ|Âm Hà)" \(mã /);
    expect(unit.message).toContain(`"${AM_HA}"`);
    expect(unit.message).toContain(`"${AM_HA_2}"`);
  });

  it('leaving out a known field that no dossier has excludes nothing, without an error', async () => {
    expect(await received({ excludeField: ['Bảo hiểm y tế'] })).toBe(TOTAL); // a common field
    expect(await received({ excludeField: ['Giáo dục thường xuyên'] })).toBe(TOTAL); // a field of the catalogue
    // --field on such a field would print an empty table: an error.
    await expect(received({ field: ['Bảo hiểm y tế'] })).rejects.toThrow(/^--field: không có lĩnh vực "Bảo hiểm y tế"/);
  });
});
