import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { statsQueryFromOptions } from '../../src/cli/stats-options.ts';
import type { Db } from '../../src/db/connection.ts';
import { DEFAULT_SEED, generateProvince, PROVINCE_AS_OF, PROVINCE_CENTRE, PROVINCE_UNITS, writeProvinceFiles, type ProvinceDossier } from '../../src/demo/index.ts';
import { inferLevelFromUnitName } from '../../src/domain/levels.ts';
import { levelsOfPeriod } from '../../src/domain/reform.ts';
import { importFiles, importUnits } from '../../src/import/index.ts';
import { writeReport } from '../../src/report/index.ts';
import { computeStats, computeStatsFromDossiers } from '../../src/stats/compute.ts';
import { computeStatsFromSummary } from '../../src/stats/compute-summary.ts';
import { listDossiers } from '../../src/stats/dossiers.ts';
import type { StatsRow } from '../../src/stats/types.ts';
import { checkQuery } from '../../src/stats/warnings.ts';
import { todayInVietnam } from '../../src/units/chain.ts';
import { describeEachDatabase } from '../helpers/databases.ts';
import { readWorkbook, sheet, text } from '../report/fixtures.ts';

// The demo's province across the reform of 1 July 2025, imported through the real import path. The expected
// figures are counted here from the generated dossiers and from tables written by hand, never by src/stats.

/** Written by hand from the arrangement: each old unit's unit today. Units not listed are their own. */
const TODAY: Record<string, string> = {
  'UBND huyện Tam Nông': 'UBND xã Tam Nông', 'UBND thị trấn Hưng Hoá': 'UBND xã Tam Nông',
  'UBND xã Dậu Dương': 'UBND xã Tam Nông', 'UBND xã Thượng Nông': 'UBND xã Tam Nông',
  'UBND xã Hồng Đà': 'UBND xã Hiền Quan', 'UBND xã Vạn Xuân': 'UBND xã Hiền Quan',
  'UBND huyện Thanh Thủy': 'UBND xã Thanh Thủy', 'UBND thị trấn Thanh Thủy': 'UBND xã Thanh Thủy',
  'UBND xã Đào Xá': 'UBND xã Thanh Thủy', 'UBND xã Hoàng Xá': 'UBND xã Thanh Thủy',
};
/** The level each name says, written by hand: the catalogue's and what tthc must read from the name alone. */
const LEVEL_OF_NAME: Record<string, string> = {
  'Sở Tư pháp tỉnh Phú Thọ': 'tinh', 'UBND huyện Tam Nông': 'huyen', 'UBND huyện Thanh Thủy': 'huyen',
  'UBND thị trấn Hưng Hoá': 'xa', 'UBND thị trấn Thanh Thủy': 'xa', 'UBND xã Tam Nông': 'xa', 'UBND xã Tu Vũ': 'xa',
  [PROVINCE_CENTRE]: 'tinh', 'Trung tâm Phục vụ hành chính công xã Tam Nông': 'xa',
  'Trung tâm Phục vụ hành chính công xã Hiền Quan': 'xa', 'Trung tâm Phục vụ hành chính công xã Thanh Thủy': 'xa',
};
const levelOfTime = (d: ProvinceDossier) => LEVEL_OF_NAME[d.unit.name] ?? 'xa';
const levelToday = (d: ProvinceDossier) => (d.unit.level === 'tinh' ? 'tinh' : 'xa');
const year = (d: ProvinceDossier) => Number(d.receivedAt.slice(0, 4));

const dossiers = generateProvince(DEFAULT_SEED);

async function importProvince(db: Db, dir: string): Promise<void> {
  const files = writeProvinceFiles(dossiers, join(dir, 'danh-muc'), join(dir, 'ho-so'));
  await importUnits(db, files.catalogue);
  const summaries = await importFiles(db, files.exports, { strict: true });
  expect(summaries.reduce((n, s) => n + s.newDossiers, 0)).toBe(dossiers.length);
  // Each file says which unit columns it has: before the reform the one of the time, after it both.
  expect(new Set(summaries.map((s) => s.unitColumns))).toEqual(
    new Set(['chỉ có cột "Đơn vị tiếp nhận", không có cột cơ quan giải quyết: số liệu tính theo đơn vị ghi ở cột này', undefined]),
  );
}

const received = (rows: StatsRow[], where: (r: StatsRow) => boolean) => rows.filter(where).reduce((n, r) => n + r.receivedTotal, 0);

describe('the demo province', () => {
  it('reads the level of every pre- and post-reform name from the name', () => {
    for (const [name, level] of Object.entries(LEVEL_OF_NAME)) expect(inferLevelFromUnitName(name), name).toBe(level);
    for (const unit of PROVINCE_UNITS) expect(inferLevelFromUnitName(unit.name), unit.name).toBe(unit.level);
  });

  it('runs from 2024 to its export day, the old units until 30/06/2025 and the new ones after', () => {
    expect(dossiers.length).toBeGreaterThan(5000);
    const days = dossiers.map((d) => d.receivedAt.slice(0, 10)).sort();
    expect(days[0] >= '2024-01-01' && days[days.length - 1] <= PROVINCE_AS_OF).toBe(true);
    for (const d of dossiers) {
      const day = d.receivedAt.slice(0, 10);
      if (d.unit.validTo) expect(day <= d.unit.validTo && (d.endedAt ?? '') <= '2025-06-30 23:59:59').toBe(true);
      if (d.unit.validFrom && d.unit.validFrom > '2024-01-01') expect(day >= d.unit.validFrom).toBe(true);
    }
  });
});

describeEachDatabase('the demo province across the reform', (t) => {
  it('adds up by today\'s communes to the totals by the units of the time, per year and level', { timeout: 120_000 }, async () => {
    const db = await t.open();
    await importProvince(db, t.tempDir());
    const period = { from: '2024-01-01', to: '2026-12-31' };
    const ofTime = await computeStats(db, { period, by: ['year', 'level'] });
    const asOf = await computeStats(db, { period, by: ['year', 'level'], filters: { unitsAsOf: '2026-01-01' } });
    const current = statsQueryFromOptions({ years: '2024-2026', by: 'level', currentUnits: true });
    expect(current.filters?.unitsAsOf).toBe(todayInVietnam());
    expect(await computeStats(db, current)).toEqual(asOf);

    for (const y of [2024, 2025, 2026]) {
      const inYear = dossiers.filter((d) => year(d) === y);
      for (const level of ['tinh', 'huyen', 'xa'] as const) {
        const where = (r: StatsRow) => r.year === y && r.level === level;
        expect(received(ofTime, where), `${y} ${level} of the time`).toBe(inYear.filter((d) => levelOfTime(d) === level).length);
        expect(received(asOf, where), `${y} ${level} today`).toBe(inYear.filter((d) => levelToday(d) === level).length);
      }
      // Every flow adds up the same way in each year, whichever units count it.
      for (const figure of ['receivedTotal', 'carriedOver', 'resolvedTotal', 'resolvedLate', 'withdrawn', 'pendingTotal', 'pendingOverdue'] as const) {
        const sum = (rows: StatsRow[]) => rows.filter((r) => r.year === y).reduce((n, r) => n + r[figure], 0);
        expect(sum(asOf), `${y} ${figure}`).toBe(sum(ofTime));
      }
    }
    // By today's units there is no huyện at all; by the units of the time, huyện in 2024 and 2025 only.
    expect(asOf.filter((r) => r.level === 'huyen')).toEqual([]);
    expect(ofTime.filter((r) => r.level === 'huyen').map((r) => r.year)).toEqual([2024, 2025]);
    expect(ofTime.find((r) => r.level === 'huyen' && r.year === 2025)!.notes).toEqual([
      'từ 01/07/2025 chính quyền địa phương có hai cấp (tỉnh, xã): số liệu cấp huyện chỉ gồm phần kỳ đến 30/06/2025',
    ]);

    // By today's communes, each commune's receipts are those of the units that became it (the table above).
    const byUnit = await computeStats(db, { period, by: ['year', 'unit'], filters: { unitsAsOf: '2026-01-01' } });
    for (const name of ['UBND xã Tam Nông', 'UBND xã Hiền Quan', 'UBND xã Thanh Thủy', 'UBND xã Tu Vũ', 'Sở Tư pháp tỉnh Phú Thọ']) {
      for (const y of [2024, 2025, 2026]) {
        const expected = dossiers.filter((d) => year(d) === y && (TODAY[d.unit.name] ?? d.unit.name) === name).length;
        expect(received(byUnit, (r) => r.year === y && r.unitName === name), `${name} ${y}`).toBe(expected);
      }
    }
    expect(new Set(byUnit.map((r) => r.unitName))).toEqual(
      new Set(['UBND xã Tam Nông', 'UBND xã Hiền Quan', 'UBND xã Thanh Thủy', 'UBND xã Tu Vũ', 'Sở Tư pháp tỉnh Phú Thọ']),
    );
  });

  it('has no huyện rows in a period after 30/06/2025, and says so in a period across it', { timeout: 120_000 }, async () => {
    const db = await t.open();
    await importProvince(db, t.tempDir());
    expect(levelsOfPeriod({ from: '2026-01-01', to: '2026-12-31' })).toEqual(['tinh', 'xa']);
    for (const query of [
      { period: { from: '2026-01-01', to: '2026-06-30' }, by: ['month' as const, 'level' as const] },
      { period: { from: '2025-07-01', to: '2026-06-30' }, by: ['level' as const, 'unit' as const] },
    ]) {
      const rows = await computeStats(db, query);
      expect(rows.length).toBeGreaterThan(0);
      expect(rows.filter((r) => r.level === 'huyen')).toEqual([]);
    }
    // By month over 2025: huyện rows up to June, none after; the summary and the dossiers agree.
    const months = await computeStatsFromSummary(db, { period: { from: '2025-01-01', to: '2025-12-31' }, by: ['month', 'level'] });
    expect(months.filter((r) => r.level === 'huyen').map((r) => r.month)).toEqual(['2025-01', '2025-02', '2025-03', '2025-04', '2025-05', '2025-06']);
    expect(months).toEqual(await computeStatsFromDossiers(db, { period: { from: '2025-01-01', to: '2025-12-31' }, by: ['month', 'level'] }));
    // Per unit in 2026: the units valid then, with zeros where they had nothing, and no old unit.
    const units2026 = await computeStats(db, { period: { from: '2026-01-01', to: '2026-06-30' }, by: ['unit'] });
    expect(units2026.map((r) => r.unitName)).toEqual([
      'Sở Tư pháp tỉnh Phú Thọ', 'UBND xã Hiền Quan', 'UBND xã Tam Nông', 'UBND xã Thanh Thủy', 'UBND xã Tu Vũ',
    ]);

    const checked = await checkQuery(db, { period: { from: '2025-01-01', to: '2025-12-31' }, by: ['level'] });
    expect(checked.warnings).toContain('từ 01/07/2025 chính quyền địa phương có hai cấp (tỉnh, xã): số liệu cấp huyện chỉ gồm phần kỳ đến 30/06/2025');

    // The report: Biểu 06 of 2026 lists tỉnh and xã only; that of 2025 huyện too, with the note under it.
    const dir = t.tempDir();
    for (const y of ['2025', '2026']) {
      const out = join(dir, `bao-cao-${y}.xlsx`);
      const period = y === '2025' ? { from: '2025-01-01', to: '2025-12-31' } : { from: '2026-01-01', to: '2026-06-30' };
      await writeReport(db, { query: { period }, out, sheets: ['bieu-06'] });
      const ws = sheet(await readWorkbook(out), 'Biểu 06');
      const cells: string[] = [];
      ws.eachRow((row) => row.eachCell((cell) => cells.push(text(cell))));
      expect(cells.includes('Cấp huyện'), y).toBe(y === '2025');
      expect(cells.some((c) => c.includes('số liệu cấp huyện chỉ gồm phần kỳ đến 30/06/2025')), y).toBe(y === '2025');
    }
  });

  it('groups by where dossiers were received and filters by it, figures staying by the resolving agency', { timeout: 120_000 }, async () => {
    const db = await t.open();
    await importProvince(db, t.tempDir());
    const period = { from: '2025-07-01', to: '2026-06-30' };
    const inPeriod = dossiers.filter((d) => d.receivedAt.slice(0, 10) >= period.from && d.receivedAt.slice(0, 10) <= period.to);
    const rows = await computeStats(db, { period, by: ['receiving-unit'] });
    const centres = [...new Set(inPeriod.map((d) => d.unit.receivedAt!))];
    for (const centre of centres) {
      expect(received(rows, (r) => r.receivingUnit === centre), centre).toBe(inPeriod.filter((d) => d.unit.receivedAt === centre).length);
    }
    // The province's centre receives for the department, which resolves: by unit its dossiers are the department's.
    const filtered = await computeStats(db, { period, by: ['unit'], filters: { receivingUnit: ['trung tam phuc vu hanh chinh cong tinh phu tho'] } });
    expect(filtered.filter((r) => r.receivedTotal > 0).map((r) => r.unitName)).toEqual(['Sở Tư pháp tỉnh Phú Thọ']);
    const listed = await listDossiers(db, { period, filters: { receivingUnit: [PROVINCE_CENTRE] } }, 'receivedTotal');
    expect(listed.length).toBe(inPeriod.filter((d) => d.unit.receivedAt === PROVINCE_CENTRE).length);
    // Before the reform the exports named one unit: no receiving unit is stored for those dossiers.
    const before = await computeStats(db, { period: { from: '2024-01-01', to: '2024-12-31' }, by: ['receiving-unit'] });
    expect(before.map((r) => r.receivingUnit)).toEqual([null]);
    await expect(computeStats(db, { period, filters: { receivingUnit: ['Trung tâm xã Không Có'] } })).rejects.toThrow(/không có nơi tiếp nhận/);
  });
});
