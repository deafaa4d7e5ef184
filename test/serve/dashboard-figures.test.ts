import { expect, it } from 'vitest';
import { inSnapshot } from '../../src/db/connection.ts';
import { monthPeriod, quarterPeriod, reportingMonthPeriod, reportingYearPeriod, yearPeriod, type Period } from '../../src/domain/periods.ts';
import type { ServeContext } from '../../src/serve/context.ts';
import { dashboardFigures, pageParams } from '../../src/serve/pages/dashboard.ts';
import { computeStats, computeStatsFromDossiers } from '../../src/stats/compute.ts';
import { fieldsTakingPart, isHalfMonthAligned } from '../../src/stats/compute-summary.ts';
import { dataHalfMonths, dataSpan } from '../../src/stats/coverage.ts';
import { halfMonthOf } from '../../src/stats/summary.ts';
import type { GroupKey, StatsFilters, StatsQuery, StatsRow } from '../../src/stats/types.ts';
import { checkQuery } from '../../src/stats/warnings.ts';
import { describeEachDatabase } from '../helpers/databases.ts';
import { importRows, prng, type ExportRow } from '../stats/fixtures.ts';

// The dashboard computes its groupings of one period from one shared read of the summary (shareSummaryReads) and
// its field choices from the summary's rows: for random dossiers and periods, each must equal what the
// per-dossier SQL (computeStatsFromDossiers, which never reads the summary) gives, and computeStats unshared.

const UNITS = ['UBND huyện Hạ Hoà', 'UBND xã Hiền Lương', 'UBND thị trấn Hạ Hoà', 'Sở Tư pháp', 'UBND huyện Thanh Ba'];
const FIELDS = ['Hộ tịch', 'Đất đai', 'Chứng thực', 'Bảo hiểm xã hội', ''];
const CHANNELS = ['Trực tiếp', 'Trực tuyến', 'Bưu chính', 'Liên thông', ''];
const DAY = 86_400_000;
/** Received from 01/11/2021 to 20/08/2023: the data ends inside 2023, so year=2023 is cut at its last day. */
const START = Date.UTC(2021, 10, 1);
const SPAN = 658;

const pad = (n: number) => String(n).padStart(2, '0');
const exportTime = (ms: number) => {
  const d = new Date(ms);
  return `${pad(d.getUTCDate())}/${pad(d.getUTCMonth() + 1)}/${d.getUTCFullYear()} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}`;
};

function randomRows(count: number, seed: number): ExportRow[] {
  const random = prng(seed);
  const pick = <T>(list: readonly T[]) => list[Math.floor(random() * list.length)];
  return Array.from({ length: count }, (_, i) => {
    const received = START + Math.floor(random() * SPAN) * DAY + Math.floor(random() * 600) * 60_000 + 7 * 3_600_000;
    const due = received + Math.floor(random() * 40 - 2) * DAY;
    const outcome = random();
    const ended = outcome < 0.25 ? undefined : received + Math.floor(random() * 60) * DAY;
    const status = ended === undefined ? pick(['Đang xử lý', 'Yêu cầu bổ sung']) : outcome < 0.3 ? 'Từ chối' : outcome < 0.33 ? 'Công dân rút hồ sơ' : 'Đã trả kết quả';
    return {
      code: `D-${i}`, unit: pick(UNITS), field: pick(FIELDS), channel: pick(CHANNELS), received: exportTime(received),
      due: random() < 0.1 ? undefined : exportTime(due), ended: ended === undefined ? undefined : exportTime(ended), status,
    };
  });
}

const PERIODS: Period[] = [
  yearPeriod(2022), yearPeriod(2023), reportingYearPeriod(2023), quarterPeriod('2022-Q4'), monthPeriod('2022-05'),
  reportingMonthPeriod('2023-03'), { from: '2022-01-01', to: '2023-12-31' }, { from: '2022-03-07', to: '2022-11-20' },
];
const FILTERS: StatsFilters[] = [{}, { level: ['xa'] }, { unit: ['UBND huyện Hạ Hoà'] }, { field: ['Đất đai'] }, { excludeField: ['Hộ tịch'] }];

/** A row as compared: without the mark of a sub-period cut at the data's last day, which only computeStats adds. */
const comparable = (rows: StatsRow[]) => rows.map(({ cutAtDataEnd: _cut, ...row }) => row);

describeEachDatabase("the dashboard's figures", (t) => {
  it('equal the per-dossier SQL and computeStats, for random dossiers, periods and filters', async () => {
    const db = await t.open();
    await importRows(db, t.tempDir(), randomRows(t.dialect === 'sqlite' ? 600 : 300, 20_261_205));
    const random = prng(17);
    let checked = 0;
    for (const period of PERIODS) {
      // Two filters per period, the first period unfiltered: a few random queries, the same on every run.
      const filters = [FILTERS[Math.floor(random() * FILTERS.length)], period === PERIODS[0] ? {} : FILTERS[Math.floor(random() * FILTERS.length)]];
      for (const filter of filters) {
        const q = (await checkQuery(db, { period, by: [], filters: filter })).query;
        const label = JSON.stringify(q);
        const [figures, fields] = await inSnapshot(db, async (snapshot) => [await dashboardFigures(snapshot, q), await fieldsTakingPart(snapshot, q)] as const);
        const multiYear = q.period.from.slice(0, 4) !== q.period.to.slice(0, 4);
        const groupings: Array<[StatsRow[], GroupKey[]]> = [
          [[figures.total], []],
          [figures.byTime, [multiYear ? 'year' : 'month', 'level']],
          [figures.byUnit, ['level', 'unit']],
          [figures.monthly, ['month', 'level']],
        ];
        for (const [rows, by] of groupings) {
          const plain: StatsQuery = { period: q.period, by, filters: q.filters };
          expect(comparable(rows), `${label} by ${by}`).toEqual(comparable(await computeStatsFromDossiers(db, plain)));
          expect(rows, `${label} by ${by}`).toEqual(await computeStats(db, { ...q, by }));
        }
        if (isHalfMonthAligned(q.period)) {
          const { field: _f, excludeField: _x, ...unitFilters } = q.filters ?? {};
          const byField = await computeStatsFromDossiers(db, { period: q.period, by: ['field'], filters: unitFilters });
          expect([...fields].sort(), label).toEqual(byField.map((r) => r.field).filter((f): f is string => !!f).sort());
        }
        checked++;
      }
    }
    expect(checked).toBe(PERIODS.length * 2);
    // The data's last day falls inside 2023: the cut period (figures from the summary and the pending dossiers due
    // after the cut) was among those checked.
    expect((await checkQuery(db, { period: yearPeriod(2023), by: [] })).query.uncut).toBeDefined();
  }, 120_000);

  it("shows the year of the data's last day when no period is chosen, read from the summary", async () => {
    const db = await t.open();
    expect(await dataHalfMonths(db)).toBeNull();
    await importRows(db, t.tempDir(), randomRows(80, 7));
    const span = (await dataSpan(db))!;
    expect(await dataHalfMonths(db)).toEqual({ first: halfMonthOf(span.first), last: halfMonthOf(span.last) });
    const params = await pageParams({ db } as ServeContext, new URLSearchParams('level=xa'));
    expect(params.get('year')).toBe(span.last.slice(0, 4));
    expect(params.get('level')).toBe('xa');
  });
});
