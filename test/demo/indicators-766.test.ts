import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../../src/db/connection.ts';
import { DEFAULT_SEED, generateProvince, runDemo, type DemoResult } from '../../src/demo/index.ts';
import { computeStats } from '../../src/stats/compute.ts';
import type { StatsRow } from '../../src/stats/types.ts';
import { tempDir } from '../helpers/databases.ts';
import { readWorkbook } from '../report/fixtures.ts';

// The demo's recent exports carry QĐ 766's optional columns and its procedure catalogue the online level and the
// duration of each procedure, so that the indicators, the ranking and the working-day figures show on the demo
// database. The expected values are counted here from the files the demo wrote (csv-parse, exceljs), from the
// reference file of the Hạ Hoà report and from the generated dossiers, never from src/stats.

const repoRoot = resolve(fileURLToPath(new URL('.', import.meta.url)), '../..');
const reference = JSON.parse(readFileSync(resolve(repoRoot, 'test/fixtures/reference/ha-hoa-2020-2023.json'), 'utf8')) as {
  procedure_catalogue: Record<'huyen' | 'xa', { total: number; muc_do_4_toan_trinh: number }>;
};

const RATES = ['fullOnlineRate', 'onlinePaymentRate', 'digitisedRate', 'electronicResultRate', 'satisfactionRate'] as const;

type CsvRow = Record<string, string>;
const readCsv = (path: string): CsvRow[] => parse(readFileSync(path), { bom: true, delimiter: ';', columns: true }) as CsvRow[];
const csvHeader = (path: string): string[] => (parse(readFileSync(path), { bom: true, delimiter: ';', toLine: 1 }) as string[][])[0];
/** 'dd/MM/yyyy…' → 'yyyy-MM-dd'. */
const isoDay = (text: string) => `${text.slice(6, 10)}-${text.slice(3, 5)}-${text.slice(0, 2)}`;

let dir: string;
let dbPath: string;
let db: Db;
let demo: DemoResult;
const out = () => join(dir, 'out');
const provinceFiles = () => readdirSync(join(out(), 'ho-so', 'phu-tho')).sort().map((f) => join(out(), 'ho-so', 'phu-tho', f));

beforeAll(async () => {
  dir = tempDir();
  dbPath = join(dir, 'demo.db');
  db = await openDatabase(dbPath);
  demo = await runDemo({ db, outDir: out(), seed: DEFAULT_SEED });
}, 300_000);

afterAll(async () => {
  await db?.destroy();
});

async function yearByLevel(year: number): Promise<StatsRow[]> {
  return computeStats(db, {
    period: { from: `${year}-01-01`, to: `${year}-12-31` }, by: ['level'], indicators766: true, processingTime: true,
  });
}

describe('the demo with QĐ 766 columns and the catalogue\'s durations', () => {
  it('writes the optional columns in the files from 2023 on and not before', () => {
    const optional = ['Thanh toán trực tuyến', 'Số hóa', 'Kết quả điện tử', 'Mức độ hài lòng'];
    const communes = (month: string) => join(out(), 'ho-so', 'cac-xa', `ho-so-cac-xa-${month}.csv`);
    for (const name of optional) {
      expect(csvHeader(communes('2022-12')), name).not.toContain(name);
      expect(csvHeader(communes('2023-01')), name).toContain(name);
    }
    for (const file of provinceFiles()) expect(csvHeader(file), file).toEqual(expect.arrayContaining([...optional, 'Có phí/lệ phí']));
    // Plausible and varied: each value occurs, a few citizens dissatisfied, most not rating.
    const rows = provinceFiles().flatMap(readCsv);
    const count = (column: string, value: string) => rows.filter((r) => r[column] === value).length;
    for (const column of ['Thanh toán trực tuyến', 'Có phí/lệ phí', 'Số hóa', 'Kết quả điện tử']) {
      expect(count(column, 'Có'), column).toBeGreaterThan(0);
      expect(count(column, 'Không'), column).toBeGreaterThan(0);
    }
    const rated = rows.filter((r) => r['Mức độ hài lòng'] !== '').length;
    expect(count('Mức độ hài lòng', 'Không hài lòng') / rated).toBeGreaterThan(0.002);
    expect(count('Mức độ hài lòng', 'Không hài lòng') / rated).toBeLessThan(0.05);
    expect(count('Mức độ hài lòng', 'Chưa đánh giá') / rated).toBeGreaterThan(0.4);
    // Digitisation rises year by year.
    const share = (year: string) => {
      const inYear = rows.filter((r) => r['Ngày nhận'].slice(6, 10) === year && r['Số hóa'] !== '');
      return inYear.filter((r) => r['Số hóa'] === 'Có').length / inYear.length;
    };
    expect(share('2024')).toBeLessThan(share('2025'));
    expect(share('2025')).toBeLessThan(share('2026'));
  });

  it('writes a procedure catalogue with a readable duration for every procedure and the published toàn trình counts', async () => {
    const procedures = await db.selectFrom('procedures').select(['level', 'online_level', 'duration_days', 'duration_unit']).execute();
    for (const level of ['huyen', 'xa'] as const) {
      const ofLevel = procedures.filter((p) => p.level === level);
      expect(ofLevel.length).toBe(reference.procedure_catalogue[level].total);
      expect(ofLevel.filter((p) => p.online_level === 4).length).toBe(reference.procedure_catalogue[level].muc_do_4_toan_trinh);
    }
    expect(procedures.filter((p) => p.duration_days === null || p.duration_days < 1 || p.duration_unit !== 'working')).toEqual([]);
    // Registering a birth in the commune is a toàn trình procedure, as it is on the national portal.
    const ws = (await readWorkbook(join(out(), 'danh-muc', 'thu-tuc.xlsx'))).worksheets[0];
    const header = ws.getRow(3).values as string[];
    const at = (name: string) => header.indexOf(name);
    const birth = ws.getRows(4, ws.rowCount - 3)!.find((r) => r.getCell(at('Tên thủ tục')).text === 'Đăng ký khai sinh')!;
    expect(birth.getCell(at('Mức độ')).text).toBe('Mức độ 4');
    expect(birth.getCell(at('Thời hạn giải quyết')).text).toMatch(/ngày làm việc/);
  });

  it('gives every 766 rate and the processing time for 2025, in [0, 1], and for 2021 only the toàn trình share, which the catalogue gives ("không có dữ liệu" for the others)', async () => {
    const rows2025 = await yearByLevel(2025);
    expect(rows2025.map((r) => r.level).sort()).toEqual(['huyen', 'tinh', 'xa']);
    for (const row of rows2025) {
      for (const rate of RATES) {
        expect(row[rate], `${row.level} ${rate}`).not.toBeNull();
        expect(row[rate]! >= 0 && row[rate]! <= 1, `${row.level} ${rate} = ${row[rate]}`).toBe(true);
      }
      expect(row.avgProcessingDays, row.level).toBeGreaterThan(0);
    }
    const rows2021 = await yearByLevel(2021);
    expect(rows2021.map((r) => r.level).sort()).toEqual(['huyen', 'xa']);
    for (const row of rows2021) {
      // The exports of 2021 have none of the optional columns; the toàn trình share rests on the procedure
      // catalogue (imported before the exports), not on them.
      for (const rate of RATES.filter((r) => r !== 'fullOnlineRate')) expect(row[rate], `${row.level} ${rate}`).toBeNull();
      expect(row.fullOnlineRate! >= 0 && row.fullOnlineRate! <= 1, `${row.level} fullOnlineRate = ${row.fullOnlineRate}`).toBe(true);
      // The processing time needs no optional column.
      expect(row.avgProcessingDays, row.level).toBeGreaterThan(0);
    }
    // The table says it: "không có dữ liệu" and a warning naming the missing column.
    const run = spawnSync(process.execPath, [join(repoRoot, 'bin/tthc.js'), '--db', dbPath, 'stats', '--year', '2021', '--by', 'level', '--indicators-766'], { encoding: 'utf8' });
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).toContain('không có dữ liệu');
    expect(run.stderr).toContain('"Số hoá"');
  });

  it('counts a unit-month\'s payment, toàn trình and digitised shares as the files give them by hand', async () => {
    const unit = 'UBND huyện Tam Nông';
    const month = '2025-03';
    // The catalogue's toàn trình procedures, by name, read from the workbook.
    const ws = (await readWorkbook(join(out(), 'danh-muc', 'thu-tuc.xlsx'))).worksheets[0];
    const header = ws.getRow(3).values as string[];
    const fullOnline = new Set<string>();
    ws.eachRow((row, n) => {
      if (n > 3 && row.getCell(header.indexOf('Mức độ')).text === 'Mức độ 4') fullOnline.add(row.getCell(header.indexOf('Tên thủ tục')).text);
    });
    expect(fullOnline.size).toBe(reference.procedure_catalogue.huyen.muc_do_4_toan_trinh + reference.procedure_catalogue.xa.muc_do_4_toan_trinh);

    const received = readCsv(join(out(), 'ho-so', 'phu-tho', `ho-so-phu-tho-${month}.csv`)).filter((r) => r['Đơn vị tiếp nhận'] === unit);
    const withFee = received.filter((r) => r['Có phí/lệ phí'] === 'Có' && r['Thanh toán trực tuyến'] !== '');
    const eligible = received.filter((r) => fullOnline.has(r['Tên thủ tục hành chính']));
    // Given a result in the month (ended then, neither rejected nor withdrawn), from whichever month's file.
    const resulted = provinceFiles().flatMap(readCsv).filter((r) =>
      (r['Đơn vị tiếp nhận'] ?? r['Cơ quan giải quyết']) === unit && r['Ngày có kết quả'] !== '' &&
      isoDay(r['Ngày có kết quả']).startsWith(month) && (r['Tình trạng'] === 'Đã giải quyết' || r['Tình trạng'] === 'Đã trả kết quả'),
    ).filter((r) => r['Số hóa'] !== '');
    const expected = {
      withFee: withFee.length,
      paidOnline: withFee.filter((r) => r['Thanh toán trực tuyến'] === 'Có').length,
      fullOnlineEligible: eligible.length,
      receivedFullOnline: eligible.filter((r) => r['Hình thức tiếp nhận'] === 'Nộp trực tuyến').length,
      digitisedBase: resulted.length,
      digitised: resulted.filter((r) => r['Số hóa'] === 'Có').length,
    };
    expect(expected.withFee).toBeGreaterThan(5);
    expect(expected.fullOnlineEligible).toBeGreaterThan(3);

    const [row] = await computeStats(db, {
      period: { from: `${month}-01`, to: `${month}-31` }, by: ['unit'], filters: { unit: [unit] }, indicators766: true,
    });
    expect(row).toMatchObject(expected);
    expect(row.onlinePaymentRate).toBeCloseTo(expected.paidOnline / expected.withFee, 12);
    expect(row.fullOnlineRate).toBeCloseTo(expected.receivedFullOnline / expected.fullOnlineEligible, 12);
    expect(row.digitisedRate).toBeCloseTo(expected.digitised / expected.digitisedBase, 12);
  });

  it('ranks the units of 2025 on the indicators (tthc rank --year 2025)', () => {
    const run = spawnSync(process.execPath, [join(repoRoot, 'bin/tthc.js'), '--db', dbPath, 'rank', '--year', '2025', '--format', 'json'], {
      encoding: 'utf8', maxBuffer: 64 * 1024 * 1024,
    });
    expect(run.status, run.stderr).toBe(0);
    const ranking = JSON.parse(run.stdout) as {
      indicators: Array<{ id: string; rate: string; counted: boolean }>;
      rows: Array<{ level: string; unitCode: string; unitName: string; rank: number | null; indicators: Record<string, { rate: number | null; points: number | null }> }>;
    };
    const counted = ranking.indicators.filter((i) => i.counted).map((i) => i.rate).sort();
    expect(counted).toEqual(['progressRate766', ...RATES].sort());
    // Every unit of the province with dossiers in 2025 is ranked with a value for each of them (Hạ Hoà's units,
    // whose exports end in 2023, have their dossiers still open then and progress alone).
    const ids = ranking.indicators.filter((i) => i.counted).map((i) => i.id);
    const province = ranking.rows.filter((r) => !r.unitCode.endsWith('.18.H47'));
    expect(province.every((r) => r.rank !== null)).toBe(true);
    expect(province.length).toBeGreaterThanOrEqual(10);
    for (const row of province) {
      for (const id of ids) {
        const value = row.indicators[id];
        expect(value?.rate ?? null, `${row.unitName} ${id}`).not.toBeNull();
        expect(value!.rate! >= 0 && value!.rate! <= 1).toBe(true);
      }
    }
  });

  it('leaves out a few of the province\'s due days, computed again at import to the generator\'s own days', async () => {
    const emptyDue = provinceFiles().flatMap(readCsv).filter((r) => r['Hạn xử lý'] === '');
    expect(emptyDue.length).toBeGreaterThan(5);
    expect(emptyDue.length).toBeLessThan(100);
    expect(demo.summaries.reduce((n, s) => n + s.dueComputed, 0)).toBe(emptyDue.length);
    const computed = await db.selectFrom('dossiers').select(['code', 'due_at']).where('due_computed', '=', 1).execute();
    expect(computed.map((d) => d.code).sort()).toEqual(emptyDue.map((r) => r['Số hồ sơ']).sort());
    // The due day computed is the one the generator set (so that no figure moves), and only from July 2025.
    const generated = new Map(generateProvince(DEFAULT_SEED).map((d) => [d.code, d]));
    for (const d of computed) {
      const source = generated.get(d.code)!;
      expect(String(d.due_at).slice(0, 10), d.code).toBe(source.dueAt.slice(0, 10));
      expect(source.receivedAt >= '2025-07-01', d.code).toBe(true);
    }
    // Hạ Hoà's dossiers without a due day keep none: its report counted them on time.
    const haHoa = await db.selectFrom('dossiers').select((eb) => eb.fn.countAll<number>().as('n'))
      .where('due_at', 'is', null).where('status', '!=', 'processing').executeTakeFirstOrThrow();
    expect(Number(haHoa.n)).toBeGreaterThan(100);
  });
});
