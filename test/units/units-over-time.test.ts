import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Db } from '../../src/db/connection.ts';
import { rangePeriod, yearPeriod } from '../../src/domain/periods.ts';
import { importUnitMapping } from '../../src/import/catalogues.ts';
import { importUnits } from '../../src/import/index.ts';
import { computeStats, computeStatsFromDossiers } from '../../src/stats/compute.ts';
import { computeStatsFromSummary } from '../../src/stats/compute-summary.ts';
import { listDossiers } from '../../src/stats/dossiers.ts';
import { StatsQueryError, type StatsQuery } from '../../src/stats/types.ts';
import { effectiveUnits, successorCycles, todayInVietnam, unitHistory, type CatalogueUnit } from '../../src/units/chain.ts';
import { describeEachDatabase } from '../helpers/databases.ts';
import { importRows, prng, type ExportRow } from '../stats/fixtures.ts';

// A province from 2024 to 2026 across the reform of 1 July 2025: two communes merged into one (which became a
// ward on 01/01/2026), a district whose work went to the province's public-service centre, a district dissolved
// without a successor, and a commune that went on unchanged.

const CATALOGUE = [
  'Mã đơn vị,Tên đơn vị,Cấp,Hiệu lực từ,Hiệu lực đến,Mã đơn vị kế thừa',
  'T,UBND tỉnh Phú Thọ,tinh,,,',
  'TT,Trung tâm Phục vụ hành chính công tỉnh Phú Thọ,tinh,01/07/2025,,',
  'H1,UBND huyện Hạ Hoà,huyen,,30/06/2025,TT',
  'H2,UBND huyện Phù Ninh,huyen,,30/06/2025,',
  'X1,UBND xã Hiền Lương,xa,,30/06/2025,XM',
  'X2,UBND xã Xuân Áng,xa,,30/06/2025,XM',
  'X3,UBND xã Vô Tranh,xa,,,',
  'XM,UBND xã Hiền Xuân,xa,01/07/2025,31/12/2025,XN',
  'XN,UBND phường Hiền Xuân,xa,01/01/2026,,',
].join('\n');

/** Written by hand from the catalogue above: each unit's unit and level by today's units (2026 and later). */
const TODAY: Record<string, [string, string]> = {
  T: ['T', 'tinh'], TT: ['TT', 'tinh'], H1: ['TT', 'tinh'], H2: ['H2', 'huyen'], X1: ['XN', 'xa'], X2: ['XN', 'xa'],
  X3: ['X3', 'xa'], XM: ['XN', 'xa'], XN: ['XN', 'xa'],
};
const NAMES: Record<string, string> = {
  T: 'UBND tỉnh Phú Thọ', TT: 'Trung tâm Phục vụ hành chính công tỉnh Phú Thọ', H1: 'UBND huyện Hạ Hoà',
  H2: 'UBND huyện Phù Ninh', X1: 'UBND xã Hiền Lương', X2: 'UBND xã Xuân Áng', X3: 'UBND xã Vô Tranh',
  XM: 'UBND xã Hiền Xuân', XN: 'UBND phường Hiền Xuân',
};
const BEFORE = ['T', 'H1', 'H2', 'X1', 'X2', 'X3'];
const H2_2025 = ['T', 'TT', 'XM', 'X3'];
const FROM_2026 = ['T', 'TT', 'XN', 'X3'];

interface Made { code: string; unit: string; received: string }

/** Dossiers received by the units valid on their day, ended 0–80 days later or still pending. */
function makeDossiers(): { rows: ExportRow[]; made: Made[] } {
  const random = prng(2025);
  const rows: ExportRow[] = [];
  const made: Made[] = [];
  const start = Date.UTC(2024, 0, 1);
  const days = (Date.UTC(2026, 10, 30) - start) / 86_400_000;
  const vi = (t: number) => {
    const d = new Date(t);
    const p = (n: number) => String(n).padStart(2, '0');
    return `${p(d.getUTCDate())}/${p(d.getUTCMonth() + 1)}/${d.getUTCFullYear()} 09:00`;
  };
  for (let i = 0; i < 420; i++) {
    const t = start + Math.floor(random() * days) * 86_400_000;
    const iso = new Date(t).toISOString().slice(0, 10);
    const valid = iso < '2025-07-01' ? BEFORE : iso < '2026-01-01' ? H2_2025 : FROM_2026;
    const unit = valid[Math.floor(random() * valid.length)];
    const ends = random() < 0.85;
    const ended = ends ? vi(t + Math.floor(random() * 80) * 86_400_000 + 3_600_000) : '';
    const code = `HS-${String(i).padStart(4, '0')}`;
    rows.push({
      code, unit: NAMES[unit], received: vi(t), due: vi(t + 20 * 86_400_000), ended, returned: ended,
      channel: random() < 0.5 ? 'Trực tuyến' : 'Trực tiếp',
    });
    made.push({ code, unit, received: iso });
  }
  return { rows, made };
}

async function province(db: Db, dir: string): Promise<Made[]> {
  const file = join(dir, 'don-vi.csv');
  writeFileSync(file, CATALOGUE + '\n');
  await importUnits(db, file);
  const { rows, made } = makeDossiers();
  await importRows(db, dir, rows);
  return made;
}

const sum = (rows: Array<{ receivedTotal: number }>) => rows.reduce((s, r) => s + r.receivedTotal, 0);

describeEachDatabase('figures by the units of a day', (t) => {
  it('adds up to the same totals as by the units of the time, per year and overall, with levels of the mapped units', async () => {
    const db = await t.open();
    const made = await province(db, t.tempDir());
    const years = { from: '2024-01-01', to: '2026-12-31' };
    const today = { unitsAsOf: '2026-12-31' };
    const ofTime = await computeStats(db, { period: years, by: ['year', 'unit'] });
    const ofToday = await computeStats(db, { period: years, by: ['year', 'unit'], filters: today });
    for (const year of [2024, 2025, 2026]) {
      const expected = made.filter((m) => m.received.startsWith(String(year))).length;
      expect(sum(ofTime.filter((r) => r.year === year))).toBe(expected);
      expect(sum(ofToday.filter((r) => r.year === year))).toBe(expected);
      // By today's units, each unit's receipts are those of the units that became it (the table written by hand).
      for (const unit of ['T', 'TT', 'H2', 'X3', 'XN']) {
        const row = ofToday.find((r) => r.year === year && r.unitCode === unit);
        expect(row?.receivedTotal ?? 0, `${year} ${unit}`).toBe(
          made.filter((m) => m.received.startsWith(String(year)) && TODAY[m.unit][0] === unit).length,
        );
      }
    }
    expect(sum(ofToday)).toBe(made.length);
    expect(new Set(ofToday.map((r) => r.unitCode))).toEqual(new Set(['T', 'TT', 'H2', 'X3', 'XN']));
    expect(ofToday.find((r) => r.unitCode === 'H2')!.unitName).toBe('UBND huyện Phù Ninh (đã giải thể)');
    expect(ofToday.find((r) => r.unitCode === 'XN')!.unitName).toBe('UBND phường Hiền Xuân');

    // Pending at the end of each year adds up the same way.
    const pending = (rows: typeof ofTime, year: number) => rows.filter((r) => r.year === year).reduce((s, r) => s + r.pendingTotal, 0);
    for (const year of [2024, 2025, 2026]) expect(pending(ofToday, year)).toBe(pending(ofTime, year));

    const levels = await computeStats(db, { period: years, by: ['level'], filters: today });
    for (const level of ['tinh', 'huyen', 'xa']) {
      expect(levels.find((r) => r.level === level)?.receivedTotal ?? 0, level).toBe(made.filter((m) => TODAY[m.unit][1] === level).length);
    }
    const levelsOfTime = await computeStats(db, { period: years, by: ['level'] });
    expect(levelsOfTime.find((r) => r.level === 'huyen')!.receivedTotal).toBe(made.filter((m) => m.unit === 'H1' || m.unit === 'H2').length);
  });

  it('answers the same from the summary and from the dossiers, and lists the dossiers each figure counts', async () => {
    const db = await t.open();
    const made = await province(db, t.tempDir());
    const query: StatsQuery = { period: yearPeriod(2025), by: ['month', 'level', 'unit'], filters: { unitsAsOf: '2025-08-01' } };
    const fromSummary = await computeStatsFromSummary(db, query);
    expect(fromSummary).toEqual(await computeStatsFromDossiers(db, query));
    // On 01/08/2025 the merged commune is XM, not yet the ward XN.
    const xm = fromSummary.filter((r) => r.unitCode === 'XM');
    expect(sum(xm)).toBe(made.filter((m) => m.received.startsWith('2025') && ['X1', 'X2', 'XM'].includes(m.unit)).length);
    expect(fromSummary.some((r) => r.unitCode === 'XN' && r.receivedTotal > 0)).toBe(false);

    // A filter by a unit of that day takes the units merged into it; the dossier list matches the figure.
    const filtered: StatsQuery = { period: rangePeriod('2025-03-10', '2025-09-20'), filters: { unitsAsOf: '2025-08-01', unit: ['XM'] } };
    const [row] = await computeStats(db, filtered);
    const expected = made.filter((m) => m.received >= '2025-03-10' && m.received <= '2025-09-20' && ['X1', 'X2', 'XM'].includes(m.unit));
    expect(row.receivedTotal).toBe(expected.length);
    const listed = await listDossiers(db, filtered, 'receivedTotal');
    expect(listed.map((d) => d.code).sort()).toEqual(expected.map((m) => m.code).sort());
    expect(new Set(listed.map((d) => d.unitCode))).toEqual(new Set(['XM']));

    // A level filter takes the level of the mapped unit: H1's dossiers are the province's by today's units.
    const [huyen] = await computeStats(db, { period: yearPeriod(2024), filters: { level: ['huyen'], unitsAsOf: '2026-01-01' } });
    expect(huyen.receivedTotal).toBe(made.filter((m) => m.received.startsWith('2024') && m.unit === 'H2').length);
  });

  it('lists every catalogue unit valid in the period, with zeros, and none that was not', async () => {
    const db = await t.open();
    const dir = t.tempDir();
    writeFileSync(join(dir, 'don-vi.csv'), CATALOGUE + '\n');
    await importUnits(db, join(dir, 'don-vi.csv'));
    // One dossier of X3 and one of a unit met only in an export (no catalogue entry): nothing else.
    await importRows(db, dir, [
      { code: 'A1', unit: 'UBND xã Vô Tranh', received: '10/02/2026 08:00', ended: '12/02/2026 08:00', returned: '12/02/2026 08:00' },
      { code: 'A2', unit: 'UBND xã Minh Côi', received: '11/02/2026 08:00' },
    ]);
    const rows = await computeStats(db, { period: yearPeriod(2026), by: ['unit'] });
    expect(rows.map((r) => [r.unitName, r.receivedTotal])).toEqual([
      // Vietnamese collation: Trung tâm … before UBND …; phường before tỉnh before xã.
      ['Trung tâm Phục vụ hành chính công tỉnh Phú Thọ', 0],
      ['UBND phường Hiền Xuân', 0],
      ['UBND tỉnh Phú Thọ', 0],
      ['UBND xã Minh Côi', 1],
      ['UBND xã Vô Tranh', 1],
    ]);
    expect(rows[0].onlineRate).toBeNull();
    const june2025 = await computeStats(db, { period: { from: '2025-06-01', to: '2025-06-30' }, by: ['level', 'unit'] });
    expect(june2025.map((r) => r.unitCode)).toEqual(['T', 'H1', 'H2', 'X1', 'X3', 'X2']);
    expect(await computeStatsFromSummary(db, { period: yearPeriod(2026), by: ['unit'] })).toEqual(
      await computeStatsFromDossiers(db, { period: yearPeriod(2026), by: ['unit'] }),
    );
  });

  it('refuses a chain of successors that loops, naming it', async () => {
    const db = await t.open();
    const dir = t.tempDir();
    writeFileSync(join(dir, 'don-vi.csv'), CATALOGUE + '\n');
    await importUnits(db, join(dir, 'don-vi.csv'));
    await db.updateTable('units').set({ valid_to: '2026-03-31', successor_code: 'X1' }).where('code', '=', 'XN').execute();
    const query = computeStats(db, { period: yearPeriod(2026), filters: { unitsAsOf: '2026-06-01' } });
    await expect(query).rejects.toThrow(StatsQueryError);
    await expect(query).rejects.toThrow(/X1 → XM → XN → X1|XM → XN → X1 → XM|XN → X1 → XM → XN/);
  });

  it('applies a reform mapping file: old units end the day before and the new unit succeeds them', async () => {
    const db = await t.open();
    const dir = t.tempDir();
    writeFileSync(join(dir, 'don-vi.csv'), ['Mã đơn vị,Tên đơn vị,Cấp', 'A,UBND xã Hiền Lương,xa', 'B,UBND xã Xuân Áng,xa'].join('\n') + '\n');
    await importUnits(db, join(dir, 'don-vi.csv'));
    // Dossiers of the merged commune imported before the mapping: they belong to an auto unit until then.
    await importRows(db, dir, [{ code: 'N1', unit: 'UBND xã Hiền Xuân', received: '05/08/2025 08:00' }]);
    writeFileSync(
      join(dir, 'sap-xep.csv'),
      ['Mã đơn vị cũ,Tên đơn vị cũ,Mã đơn vị mới,Tên đơn vị mới,Từ ngày', 'A,,C,UBND xã Hiền Xuân,01/07/2025', ',UBND xã Xuân Áng,C,UBND xã Hiền Xuân,01/07/2025'].join('\n') + '\n',
    );
    expect(await importUnitMapping(db, join(dir, 'sap-xep.csv'))).toEqual({ mapped: 2, created: ['C'] });
    const units = await db.selectFrom('units').select(['code', 'name', 'level', 'valid_from', 'valid_to', 'successor_code']).orderBy('code').execute();
    expect(units).toEqual([
      { code: 'A', name: 'UBND xã Hiền Lương', level: 'xa', valid_from: null, valid_to: '2025-06-30', successor_code: 'C' },
      { code: 'B', name: 'UBND xã Xuân Áng', level: 'xa', valid_from: null, valid_to: '2025-06-30', successor_code: 'C' },
      { code: 'C', name: 'UBND xã Hiền Xuân', level: 'xa', valid_from: '2025-07-01', valid_to: null, successor_code: null },
    ]);
    expect((await db.selectFrom('dossiers').select('unit_code').execute()).map((r) => r.unit_code)).toEqual(['C']);

    writeFileSync(join(dir, 'chia.csv'), ['Mã đơn vị cũ,Mã đơn vị mới,Từ ngày', 'A,C,01/07/2025', 'A,B,01/07/2025'].join('\n') + '\n');
    await expect(importUnitMapping(db, join(dir, 'chia.csv'))).rejects.toThrow(/hai đơn vị mới/);
    writeFileSync(join(dir, 'vong.csv'), ['Mã đơn vị cũ,Mã đơn vị mới,Từ ngày', 'C,A,01/01/2026'].join('\n') + '\n');
    await expect(importUnitMapping(db, join(dir, 'vong.csv'))).rejects.toThrow(/quay vòng: .*A → C → A|C → A → C/);
  });

  it('maps an old unit by name when the new unit keeps that name', async () => {
    const db = await t.open();
    const dir = t.tempDir();
    writeFileSync(join(dir, 'don-vi.csv'), ['Mã đơn vị,Tên đơn vị,Cấp', 'A,UBND xã Vô Tranh,xa', 'B,UBND xã Bằng Giã,xa'].join('\n') + '\n');
    await importUnits(db, join(dir, 'don-vi.csv'));
    writeFileSync(
      join(dir, 'sap-xep.csv'),
      ['Tên đơn vị cũ,Mã đơn vị mới,Tên đơn vị mới,Từ ngày', 'UBND xã Vô Tranh,N,UBND xã Vô Tranh,01/07/2025', 'UBND xã Bằng Giã,N,UBND xã Vô Tranh,01/07/2025'].join('\n') + '\n',
    );
    expect(await importUnitMapping(db, join(dir, 'sap-xep.csv'))).toEqual({ mapped: 2, created: ['N'] });
    const units = await db.selectFrom('units').select(['code', 'valid_to', 'successor_code']).orderBy('code').execute();
    expect(units).toEqual([
      { code: 'A', valid_to: '2025-06-30', successor_code: 'N' },
      { code: 'B', valid_to: '2025-06-30', successor_code: 'N' },
      { code: 'N', valid_to: null, successor_code: null },
    ]);
  });
});

describe('unit chains', () => {
  const unit = (code: string, valid_from: string | null, valid_to: string | null, successor_code: string | null): CatalogueUnit => ({
    code, name: code, level: 'xa', valid_from, valid_to, successor_code,
  });
  const units = [
    unit('A', null, '2025-06-30', 'M'), unit('B', null, '2025-06-30', 'M'), unit('M', '2025-07-01', '2025-12-31', 'W'),
    unit('W', '2026-01-01', null, null), unit('D', null, '2025-06-30', null),
  ];

  it('follows successors to the unit of the day, keeping a unit dissolved without one', () => {
    const code = (day: string) => Object.fromEntries([...effectiveUnits(units, day)].map(([c, u]) => [c, u.code]));
    expect(code('2025-06-30')).toEqual({ A: 'A', B: 'B', M: 'M', W: 'W', D: 'D' });
    expect(code('2025-07-01')).toEqual({ A: 'M', B: 'M', M: 'M', W: 'W', D: 'D' });
    expect(code('2026-01-01')).toEqual({ A: 'W', B: 'W', M: 'W', W: 'W', D: 'D' });
    expect(effectiveUnits(units, '2026-01-01').get('D')).toEqual({ code: 'D', name: 'D (đã giải thể)', level: 'xa', dissolved: true });
    expect(successorCycles(units)).toEqual([]);
    expect(successorCycles([...units.slice(0, 3), unit('W', null, '2026-05-01', 'A')])).toEqual([['A', 'M', 'W', 'A']]);
  });

  it('prints the history of a unit: predecessors, the unit, successors', () => {
    expect(unitHistory(units, 'M').map((e) => `${e.relation} ${e.unit.code}`)).toEqual(['trước A', 'trước B', 'đơn vị M', 'sau W']);
    expect(unitHistory(units, 'W').map((e) => `${e.relation} ${e.unit.code}`)).toEqual(['trước A', 'trước B', 'trước M', 'đơn vị W']);
  });

  it('takes today in Vietnam time', () => {
    expect(todayInVietnam(new Date('2025-06-30T17:30:00Z'))).toBe('2025-07-01');
    expect(todayInVietnam(new Date('2025-06-30T16:59:00Z'))).toBe('2025-06-30');
  });
});
