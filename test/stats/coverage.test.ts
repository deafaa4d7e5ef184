import { afterAll, beforeAll, expect, it } from 'vitest';
import { openDatabase, type Db } from '../../src/db/connection.ts';
import { computeStats, computeStatsFromDossiers } from '../../src/stats/compute.ts';
import { dataCoverage, dataSpan, fitToData } from '../../src/stats/coverage.ts';
import { figureWarnings } from '../../src/stats/missing-fields.ts';
import { COUNT_FIGURES, type GroupKey, type StatsQuery, type StatsRow } from '../../src/stats/types.ts';
import { tthc } from '../helpers/cli.ts';
import { describeEachDatabase } from '../helpers/databases.ts';
import { COLUMN, importColumns, SECOND_COMMUNE, UNTIL_25_MAY } from './coverage-data.ts';
import { COMMUNE, DISTRICT, importRows, type ExportRow } from './fixtures.ts';

const YEARS_2020_2023 = { from: '2020-01-01', to: '2023-12-31' };
const CUT_WARNING = 'dữ liệu chỉ đến 25/05/2023: số liệu năm 2023 tính đến ngày đó';

/** The counts of a row that the test states; the rest must be 0. */
function expectCounts(row: StatsRow | undefined, expected: Partial<Record<(typeof COUNT_FIGURES)[number], number>>) {
  expect(row).toBeDefined();
  const actual = Object.fromEntries(COUNT_FIGURES.map((f) => [f, row![f]]));
  expect(actual).toEqual(Object.fromEntries(COUNT_FIGURES.map((f) => [f, expected[f] ?? 0])));
}

const withoutMark = (rows: StatsRow[]) => rows.map(({ cutAtDataEnd, ...row }) => row);

describeEachDatabase('the data span and periods that run past it', (t) => {
  let db: Db;
  let target: string;
  beforeAll(async () => {
    target = await t.newTarget();
    db = await openDatabase(target);
    await importRows(db, t.tempDir(), UNTIL_25_MAY);
  });
  afterAll(() => db?.destroy());

  it('knows the first and last day of the data, overall and per unit', async () => {
    // First: C1 received 02/01/2020; last: E1 ended 25/05/2023. Communes: X1 10/03 to X2 12/05/2023; V1 05/12 to 30/12/2022.
    expect(await dataSpan(db)).toEqual({ first: '2020-01-02', last: '2023-05-25' });
    const coverage = await dataCoverage(db);
    expect(coverage.span).toEqual({ first: '2020-01-02', last: '2023-05-25' });
    expect(coverage.units.map((u) => [u.unitName, u.level, u.first, u.last])).toEqual([
      [DISTRICT, 'huyen', '2020-01-02', '2023-05-25'],
      [COMMUNE, 'xa', '2023-03-10', '2023-05-12'],
      [SECOND_COMMUNE, 'xa', '2022-12-05', '2022-12-30'],
    ]);
    expect((await dataCoverage(db, { level: ['xa'] })).span).toEqual({ first: '2022-12-05', last: '2023-05-12' });
    expect(await dataSpan(db, { unit: [SECOND_COMMUNE] })).toEqual({ first: '2022-12-05', last: '2022-12-30' });
  });

  it('cuts --years 2020-2023 at 25/05/2023: pending and overdue as at that day, the same as --from/--to', async () => {
    const fitted = await fitToData(db, { period: YEARS_2020_2023, by: ['year'] });
    expect(fitted.query.period).toEqual({ from: '2020-01-01', to: '2023-05-25' });
    expect(fitted.query.uncut).toEqual(YEARS_2020_2023);
    expect(fitted.warnings).toEqual([CUT_WARNING]);

    const rows = await computeStats(db, fitted.query);
    expect(rows.map((r) => [r.year, r.from, r.to, r.cutAtDataEnd])).toEqual([
      [2020, '2020-01-01', '2020-12-31', undefined],
      [2021, '2021-01-01', '2021-12-31', undefined],
      [2022, '2022-01-01', '2022-12-31', undefined],
      [2023, '2023-01-01', '2023-05-25', true],
    ]);
    expect(Object.keys(rows[3]).slice(0, 4)).toEqual(['year', 'from', 'to', 'cutAtDataEnd']);
    expectCounts(rows[0], { receivedDirect: 1, receivedTotal: 1, resolvedEarly: 1, resolvedTotal: 1 });
    expectCounts(rows[1], { receivedDirect: 1, receivedTotal: 1, resolvedLate: 1, resolvedTotal: 1 });
    expectCounts(rows[2], { receivedDirect: 1, receivedTotal: 1, resolvedLate: 1, resolvedTotal: 1 });
    // 2023 to 25/05: P1–P5, E1, X1, X2 received (P3 online); E1 early; 7 pending, of which P1 and X1 overdue.
    const until25May = {
      receivedDirect: 7, receivedOnline: 1, receivedTotal: 8, resolvedEarly: 1, resolvedTotal: 1,
      pendingTotal: 7, pendingOnTime: 5, pendingOverdue: 2,
    };
    expectCounts(rows[3], until25May);
    const [explicit] = await computeStats(db, { period: { from: '2023-01-01', to: '2023-05-25' } });
    expectCounts(explicit, until25May);
  });

  it('gives the same rows from the summary (with the pending dossiers due after the cut) as from the dossiers', async () => {
    const groupings: GroupKey[][] = [[], ['year'], ['year', 'level'], ['month', 'unit'], ['year', 'field', 'channel'], ['year', 'procedure']];
    for (const by of groupings) {
      const { query } = await fitToData(db, { period: YEARS_2020_2023, by });
      const fromDossiers = await computeStatsFromDossiers(db, { period: query.period, by });
      expect(withoutMark(await computeStats(db, query)), by.join(',')).toEqual(fromDossiers);
    }
    // By level, 2023 to 25/05: the district's P1 and the commune's X1 are the overdue ones.
    const { query } = await fitToData(db, { period: YEARS_2020_2023, by: ['year', 'level'] });
    const rows = (await computeStats(db, query)).filter((r) => r.year === 2023);
    expect(rows.map((r) => [r.level, r.receivedTotal, r.pendingTotal, r.pendingOnTime, r.pendingOverdue])).toEqual([
      ['huyen', 6, 5, 4, 1],
      ['xa', 2, 2, 1, 1],
    ]);
  });

  it('keeps the whole year with wholePeriods: everything pending at 25/05 but P5 is overdue at 31/12', async () => {
    const fitted = await fitToData(db, { period: { from: '2023-01-01', to: '2023-12-31' } }, { wholePeriods: true });
    expect(fitted.query.period).toEqual({ from: '2023-01-01', to: '2023-12-31' });
    expect(fitted.query.uncut).toBeUndefined();
    expect(fitted.warnings).toEqual([
      'dữ liệu chỉ đến 25/05/2023: không có số liệu từ 26/05/2023 đến 31/12/2023, hồ sơ chưa kết thúc được tính là đang giải quyết đến 31/12/2023 và quá hạn theo ngày đó',
    ]);
    const [row] = await computeStats(db, fitted.query);
    expect([row.to, row.pendingTotal, row.pendingOnTime, row.pendingOverdue]).toEqual(['2023-12-31', 7, 1, 6]);
  });

  it('leaves out the years after the data, warns for periods before it or after it, and only then', async () => {
    const to2024 = await fitToData(db, { period: { from: '2020-01-01', to: '2024-12-31' }, by: ['year'] });
    expect(to2024.query.period).toEqual({ from: '2020-01-01', to: '2023-05-25' });
    expect(to2024.warnings).toEqual([`${CUT_WARNING}; không có số liệu năm 2024, bỏ qua`]);
    expect((await computeStats(db, to2024.query)).map((r) => r.year)).toEqual([2020, 2021, 2022, 2023]);

    const only2024 = await fitToData(db, { period: { from: '2024-01-01', to: '2024-12-31' } });
    expect(only2024.query.period).toEqual({ from: '2024-01-01', to: '2024-12-31' });
    expect(only2024.warnings).toEqual(['dữ liệu chỉ đến 25/05/2023: không có số liệu của năm 2024']);

    const before = await fitToData(db, { period: { from: '2019-01-01', to: '2020-12-31' } });
    expect(before.warnings).toEqual(['dữ liệu chỉ có từ ngày 02/01/2020: không có số liệu từ 01/01/2019 đến 01/01/2020']);

    // 01/01/2020 is a holiday: the data starting on 02/01 covers the year 2020. A period inside the data: nothing.
    for (const period of [{ from: '2020-01-01', to: '2020-12-31' }, { from: '2021-03-01', to: '2021-03-31' }, { from: '2023-01-01', to: '2023-05-25' }]) {
      const fitted = await fitToData(db, { period });
      expect(fitted.warnings, period.from).toEqual([]);
      expect(fitted.query.period).toEqual(period);
    }
  });

  it("fits to the selected units' data: a commune's 2022 ends on Friday 30/12, which covers the year", async () => {
    const unit = { unit: [SECOND_COMMUNE] };
    const year2022 = await fitToData(db, { period: { from: '2022-01-01', to: '2022-12-31' }, filters: unit });
    expect(year2022.query.period).toEqual({ from: '2022-01-01', to: '2022-12-31' });
    expect(year2022.warnings).toEqual(['dữ liệu chỉ có từ ngày 05/12/2022: không có số liệu từ 01/01/2022 đến 04/12/2022']);
    const after = await fitToData(db, { period: { from: '2023-01-01', to: '2023-12-31' }, filters: unit });
    expect(after.query.period).toEqual({ from: '2023-01-01', to: '2023-12-31' });
    expect(after.warnings).toEqual(['dữ liệu chỉ đến 30/12/2022: không có số liệu của năm 2023']);
    const years = await fitToData(db, { period: { from: '2022-01-01', to: '2023-12-31' }, by: ['year'], filters: unit });
    expect(years.query.period).toEqual({ from: '2022-01-01', to: '2022-12-31' });
    expect(years.warnings.at(-1)).toBe('dữ liệu chỉ đến 30/12/2022: không có số liệu năm 2023, bỏ qua');
    const rows = await computeStats(db, years.query);
    expect(rows.map((r) => [r.year, r.to, r.cutAtDataEnd, r.resolvedLate])).toEqual([[2022, '2022-12-31', undefined, 1]]);
  });

  it('tthc stats and tthc dossiers cut, warn on stderr, and keep the year whole with --whole-periods', async () => {
    const cut = await tthc('--db', target, 'stats', '--years', '2020-2023', '--format', 'json');
    expect(cut.code).toBe(0);
    expect(cut.stderr).toBe(`tthc: cảnh báo: ${CUT_WARNING}\n`);
    const last = JSON.parse(cut.stdout).at(-1);
    expect([last.year, last.from, last.to, last.cutAtDataEnd, last.pendingOverdue]).toEqual([2023, '2023-01-01', '2023-05-25', true, 2]);

    const explicit = await tthc('--db', target, 'stats', '--from', '2023-01-01', '--to', '2023-05-25', '--format', 'json');
    expect(explicit.stderr).toBe('');
    const [row] = JSON.parse(explicit.stdout);
    for (const figure of COUNT_FIGURES) expect(row[figure], figure).toBe(last[figure]);

    const whole = await tthc('--db', target, 'stats', '--year', '2023', '--whole-periods', '--format', 'json');
    expect(whole.code).toBe(0);
    expect(whole.stderr).toMatch(/^tthc: cảnh báo: dữ liệu chỉ đến 25\/05\/2023: không có số liệu từ 26\/05\/2023 đến 31\/12\/2023/);
    expect(JSON.parse(whole.stdout).map((r: StatsRow) => [r.to, r.pendingOverdue, r.cutAtDataEnd])).toEqual([['2023-12-31', 6, undefined]]);

    const list = await tthc('--db', target, 'dossiers', '--year', '2023', '--figure', 'pendingOverdue', '--format', 'json');
    expect(list.code).toBe(0);
    expect(JSON.parse(list.stdout).map((d: { code: string; to: string }) => [d.code, d.to])).toEqual([['X1', '2023-05-25'], ['P1', '2023-05-25']]);
    expect(list.stderr).toBe(`tthc: cảnh báo: ${CUT_WARNING}\n`);
  });
});

describeEachDatabase('warnings about columns the exports lacked', (t) => {
  const year2023: StatsQuery = { period: { from: '2023-01-01', to: '2023-12-31' } };
  const DUE = 'không có cột ngày hẹn trả: không phân biệt được đúng hạn / quá hạn';
  const CHANNEL = 'không có cột hình thức nộp: không tách được trực tiếp / trực tuyến';
  const UNIT = 'không có cột đơn vị: hồ sơ được tính cho đơn vị ghi bằng --unit khi nhập, số liệu theo đơn vị / theo cấp dựa vào đó';
  let db: Db;
  let target: string;
  beforeAll(async () => {
    target = await t.newTarget();
    db = await openDatabase(target);
    const dir = t.tempDir();
    // Every column: F1 in 2022, F2 in January 2023.
    await importRows(db, dir, [
      { code: 'F1', received: '10/03/2022 08:00', due: '20/03/2022 17:00', ended: '18/03/2022 10:00' },
      { code: 'F2', received: '05/01/2023 08:00', due: '10/01/2023 17:00', ended: '09/01/2023 10:00' },
    ]);
    // Neither a due-date nor a channel column: N1 resolved, N2 pending, N3 brought again by a full export below.
    const { code, unit, procedure, field, received, ended, returned, status } = COLUMN;
    const noDue: ExportRow[] = [
      { code: 'N1', received: '10/02/2023 08:00', ended: '20/02/2023 10:00' },
      { code: 'N2', received: '15/02/2023 08:00' },
      { code: 'N3', received: '20/02/2023 08:00' },
    ];
    await importColumns(db, dir, 'khong-han.csv', [code, unit, procedure, field, received, ended, returned, status], noDue);
    const { channel, due } = COLUMN;
    await importColumns(db, dir, 'day-du.csv', Object.values(COLUMN), [
      { code: 'N3', channel: 'Trực tuyến', received: '20/02/2023 08:00', due: '01/03/2023 17:00' },
    ]);
    // No unit column: U1 goes to the commune named by --unit.
    await importColumns(db, dir, 'khong-don-vi.csv', [code, procedure, field, channel, received, due, ended, returned, status], [
      { code: 'U1', received: '03/04/2023 08:00', due: '10/04/2023 17:00' },
    ], { unit: COMMUNE });
  });
  afterAll(() => db?.destroy());

  it('names the missing due-date and channel columns behind 2023, with the dossiers and files, and nothing for 2022', async () => {
    // N1 and N2 have neither a due date nor a channel; N3 got both from the later full export.
    expect(await figureWarnings(db, year2023)).toEqual([
      `${DUE} (2 hồ sơ trong kỳ, từ tệp khong-han.csv)`,
      `${CHANNEL} (2 hồ sơ trong kỳ, từ tệp khong-han.csv)`,
    ]);
    // Grouped by level, the file without a unit column matters too.
    expect(await figureWarnings(db, { ...year2023, by: ['level'] })).toEqual([
      `${DUE} (2 hồ sơ trong kỳ, từ tệp khong-han.csv)`,
      `${CHANNEL} (2 hồ sơ trong kỳ, từ tệp khong-han.csv)`,
      `${UNIT} (1 hồ sơ trong kỳ, từ tệp khong-don-vi.csv)`,
    ]);
    expect(await figureWarnings(db, { period: { from: '2022-01-01', to: '2022-12-31' }, by: ['level'] })).toEqual([]);
    // Only the columns that can change the figures asked for.
    expect(await figureWarnings(db, year2023, ['receivedTotal'])).toEqual([]);
    expect(await figureWarnings(db, year2023, ['resolvedLate'])).toEqual([`${DUE} (2 hồ sơ trong kỳ, từ tệp khong-han.csv)`]);
    expect(await figureWarnings(db, year2023, ['receivedOnline'])).toEqual([`${CHANNEL} (2 hồ sơ trong kỳ, từ tệp khong-han.csv)`]);
    // Filters apply: the commune had none of those dossiers.
    expect(await figureWarnings(db, { ...year2023, filters: { unit: [COMMUNE] } })).toEqual([`${UNIT} (1 hồ sơ trong kỳ, từ tệp khong-don-vi.csv)`]);
  });

  it('tthc stats and tthc dossiers print them, one line each', async () => {
    // The data ends on 03/04/2023 (U1 received).
    const stats = await tthc('--db', target, 'stats', '--from', '2023-01-01', '--to', '2023-04-03', '--by', 'level');
    expect(stats.code).toBe(0);
    expect(stats.stderr.split('\n').filter(Boolean)).toEqual([
      `tthc: cảnh báo: ${DUE} (2 hồ sơ trong kỳ, từ tệp khong-han.csv)`,
      `tthc: cảnh báo: ${CHANNEL} (2 hồ sơ trong kỳ, từ tệp khong-han.csv)`,
      `tthc: cảnh báo: ${UNIT} (1 hồ sơ trong kỳ, từ tệp khong-don-vi.csv)`,
    ]);
    const late = await tthc('--db', target, 'dossiers', '--from', '2023-01-01', '--to', '2023-04-03', '--figure', 'resolvedLate');
    expect(late.stderr).toBe(`tthc: cảnh báo: ${DUE} (2 hồ sơ trong kỳ, từ tệp khong-han.csv)\n`);
    // The data starts on 10/03/2022 (F1 received).
    const quiet = await tthc('--db', target, 'stats', '--from', '2022-03-10', '--to', '2022-03-31');
    expect(quiet.stderr).toBe('');
  });

  it('takes a batch whose fields are unknown (an older tthc) as complete', async () => {
    await db.updateTable('import_batches').set({ fields: null }).where('file_name', 'like', '%khong-%').execute();
    expect(await figureWarnings(db, { ...year2023, by: ['level'] })).toEqual([]);
  });
});

describeEachDatabase('the data span when the dossiers written last are not the latest', (t) => {
  it('reads every dossier when the last ones written do not settle it', { timeout: 60_000 }, async () => {
    const db = await t.open();
    // Z0, written first, is the last day of the data: Friday 29/12/2023. Then 20,500 dossiers of 2022, more than
    // the rows SQLite's sample reads from the end of the table.
    const rows: ExportRow[] = [{ code: 'Z0', received: '29/12/2023 08:00' }];
    for (let i = 0; i < 20_500; i++) {
      const day = String(1 + (i % 28)).padStart(2, '0');
      rows.push({ code: `Z${i + 1}`, received: `${day}/06/2022 08:00`, ended: `${day}/06/2022 15:00`, status: 'Đã trả kết quả' });
    }
    await importRows(db, t.tempDir(), rows);
    const year = { from: '2023-01-01', to: '2023-12-31' };
    // Only Saturday 30/12 and Sunday 31/12 come after Z0: the year is covered, neither cut nor warned.
    const fitted = await fitToData(db, { period: year, by: ['year'] });
    expect(fitted.query.period).toEqual(year);
    expect(fitted.warnings).toEqual([]);
    expect(fitted.span).toEqual({ first: '2022-06-01', last: '2023-12-29' });
    // 2024 lies after the data.
    expect((await fitToData(db, { period: { from: '2024-01-01', to: '2024-12-31' } })).warnings).toEqual([
      'dữ liệu chỉ đến 29/12/2023: không có số liệu của năm 2024',
    ]);
  });
});
