import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { computeStatsFromDossiers } from '../../src/stats/compute.ts';
import { computeStatsFromSummary, isHalfMonthAligned, nearestWholeHalfMonths, summaryAnswers } from '../../src/stats/compute-summary.ts';
import { halfMonthOf } from '../../src/stats/summary.ts';
import type { GroupKey, StatsQuery } from '../../src/stats/types.ts';
import { describeEachDatabase } from '../helpers/databases.ts';
import { importRows, type ExportRow } from './fixtures.ts';

// Ranges of days that are not made of whole half-months, answered from the summary by half-month widened to
// whole half-months and corrected by the dossiers of the added days (compute-summary.ts, partialHalfMonths),
// must give exactly the rows of the per-dossier SQL: every key, figure, rate, note and the order. The dossiers
// are crowded into four months and the ranges start and end on any day of them, so that receipts, ends and
// due days fall on either side of each range's edges within their half-months.

const UNITS = ['UBND huyện Hạ Hoà', 'UBND xã Hiền Lương', 'UBND thị trấn Hạ Hoà', 'Sở Tư pháp'];
const FIELDS = ['Hộ tịch', 'Đất đai', ''];
// '' for a row without a procedure: its dossiers group under no procedure.
const PROCEDURES = ['Đăng ký khai sinh', 'Cấp giấy chứng nhận quyền sử dụng đất', ''];
const CHANNELS = ['Trực tiếp', 'Trực tuyến', 'Bưu chính', 'Liên thông', ''];
const STATUSES = ['Đang xử lý', 'Yêu cầu bổ sung', 'Đã xử lý xong', 'Đã trả kết quả', 'Từ chối', 'Công dân rút hồ sơ'];
const OPEN = 2;

const DAY = 86_400_000;
/** Dossiers are received from 20/01/2023 over 90 days; ranges fall from 01/01/2023 over 150 days. */
const DATA_START = Date.UTC(2023, 0, 20);
const RANGE_START = Date.UTC(2023, 0, 1);

const pad = (n: number) => String(n).padStart(2, '0');
const dayText = (ms: number) => new Date(ms).toISOString().slice(0, 10);
const exportTime = (ms: number) => {
  const d = new Date(ms);
  return `${pad(d.getUTCDate())}/${pad(d.getUTCMonth() + 1)}/${d.getUTCFullYear()} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}`;
};

const drawnDossier = fc.record({
  unit: fc.nat(UNITS.length - 1),
  field: fc.nat(FIELDS.length - 1),
  procedure: fc.nat(PROCEDURES.length - 1),
  channel: fc.nat(CHANNELS.length - 1),
  status: fc.nat(STATUSES.length - 1),
  receivedDay: fc.nat(89),
  minutes: fc.integer({ min: 0, max: 24 * 60 - 1 }),
  dueAfter: fc.oneof(fc.constant(-1), fc.integer({ min: -2, max: 30 })),
  endAfter: fc.integer({ min: 0, max: 40 }),
  endMinutes: fc.integer({ min: 0, max: 24 * 60 - 1 }),
});

type DrawnDossier = typeof drawnDossier extends fc.Arbitrary<infer T> ? T : never;

function exportRow(d: DrawnDossier, i: number): ExportRow {
  const receivedDay = DATA_START + d.receivedDay * DAY;
  const received = receivedDay + d.minutes * 60_000;
  const due = d.dueAfter === -1 ? undefined : receivedDay + d.dueAfter * DAY + 17 * 3_600_000;
  const ended = d.status < OPEN ? undefined : Math.max(received, receivedDay + d.endAfter * DAY + d.endMinutes * 60_000);
  return {
    code: `Q-${i}`, unit: UNITS[d.unit], procedure: PROCEDURES[d.procedure], field: FIELDS[d.field], channel: CHANNELS[d.channel],
    received: exportTime(received), due: due === undefined ? undefined : exportTime(due),
    ended: ended === undefined ? undefined : exportTime(ended), status: STATUSES[d.status],
  };
}

const BY_SETS: GroupKey[][] = [
  [], ['level'], ['unit'], ['field'], ['channel'], ['year'], ['month'], ['month', 'unit'], ['year', 'level'],
  ['unit', 'field', 'channel'], ['month', 'level', 'channel'],
  // From the summary by procedure (schema/0011) and its edge days.
  ['procedure'], ['month', 'procedure'], ['unit', 'procedure', 'channel'],
];

const drawnQuery = fc.record({
  from: fc.nat(149),
  // Half the ranges within about a half-month, where both ends may fall in one.
  length: fc.oneof(fc.integer({ min: 0, max: 16 }), fc.integer({ min: 0, max: 120 })),
  // 1–4: the range's first (last) day moved onto the 1st, 14th, 15th or last day of its month; otherwise left.
  fromEdge: fc.nat(8),
  toEdge: fc.nat(8),
  // 0: the range cut to lie inside one half-month, away from both its edges.
  inside: fc.nat(5),
  by: fc.constantFrom(...BY_SETS),
  filter: fc.nat(4),
  value: fc.nat(5),
});

type DrawnQuery = typeof drawnQuery extends fc.Arbitrary<infer T> ? T : never;

/** The day `ms` moved onto an edge of its month's half-months (1st, 14th, 15th, last day) when `edge` is 1–4. */
function onEdge(ms: number, edge: number): number {
  const d = new Date(ms);
  const [y, m] = [d.getUTCFullYear(), d.getUTCMonth()];
  const day = [1, 14, 15, new Date(Date.UTC(y, m + 1, 0)).getUTCDate()][edge - 1];
  return day === undefined ? ms : Date.UTC(y, m, day);
}

/** The days of `ms`'s half-month but its first and last: the 2nd–13th, or the 16th to the day before the last. */
function insideHalfMonth(ms: number): [first: number, last: number] {
  const d = new Date(ms);
  const [y, m] = [d.getUTCFullYear(), d.getUTCMonth()];
  return d.getUTCDate() < 15 ? [Date.UTC(y, m, 2), Date.UTC(y, m, 13)] : [Date.UTC(y, m, 16), Date.UTC(y, m + 1, -1)];
}

function queryOf(q: DrawnQuery): StatsQuery {
  let from = onEdge(RANGE_START + q.from * DAY, q.fromEdge);
  let to = Math.max(from, onEdge(from + q.length * DAY, q.toEdge));
  if (q.inside === 0) {
    const [first, last] = insideHalfMonth(from);
    from = Math.min(Math.max(from, first), last);
    to = Math.min(from + (q.length % 12) * DAY, last);
  }
  const filters: StatsQuery['filters'] = {};
  if (q.filter === 1) filters.level = [(['tinh', 'huyen', 'xa'] as const)[q.value % 3]];
  if (q.filter === 2) filters.unit = [UNITS[q.value % UNITS.length]];
  if (q.filter === 3) filters.field = [FIELDS[q.value % 2]];
  if (q.filter === 4) filters.excludeField = [FIELDS[q.value % 2]];
  return { period: { from: dayText(from), to: dayText(to) }, by: q.by, filters };
}

describe('the nearest period of whole half-months', () => {
  it('moves each end to the nearer edge of its half-month, inwards only within its month and never past the other end', () => {
    // 25/05 is 6 days from 31/05 and 11 from 14/05.
    expect(nearestWholeHalfMonths({ from: '2023-01-01', to: '2023-05-25' })).toEqual({ from: '2023-01-01', to: '2023-05-31' });
    // 10/01: 5 days to the 15th, 9 from the 1st; 20/11: 6 days after the 14th, 10 before the 30th.
    expect(nearestWholeHalfMonths({ from: '2023-01-10', to: '2023-11-20' })).toEqual({ from: '2023-01-15', to: '2023-11-14' });
    // From the 15th on, a start moves back to the 15th, and before the 15th an end moves on to the 14th: inwards
    // would leave the month.
    expect(nearestWholeHalfMonths({ from: '2023-01-28', to: '2023-03-03' })).toEqual({ from: '2023-01-15', to: '2023-03-14' });
    // 10/03–18/03: both ends inwards (15/03, 14/03) would cross, so the start widens to 01/03 (9 days), which costs
    // fewer days than widening the end to 31/03 (13 days).
    expect(nearestWholeHalfMonths({ from: '2023-03-10', to: '2023-03-18' })).toEqual({ from: '2023-03-01', to: '2023-03-14' });
    expect(nearestWholeHalfMonths({ from: '2023-03-03', to: '2023-03-05' })).toEqual({ from: '2023-03-01', to: '2023-03-14' });
    expect(nearestWholeHalfMonths({ from: '2024-02-15', to: '2024-02-29' })).toEqual({ from: '2024-02-15', to: '2024-02-29' });
    // One day: on a half-month's first day the end widens; on its last day the start does.
    expect(nearestWholeHalfMonths({ from: '2023-03-15', to: '2023-03-15' })).toEqual({ from: '2023-03-15', to: '2023-03-31' });
    expect(nearestWholeHalfMonths({ from: '2023-03-01', to: '2023-03-01' })).toEqual({ from: '2023-03-01', to: '2023-03-14' });
    expect(nearestWholeHalfMonths({ from: '2023-03-14', to: '2023-03-14' })).toEqual({ from: '2023-03-01', to: '2023-03-14' });
    expect(nearestWholeHalfMonths({ from: '2023-03-31', to: '2023-03-31' })).toEqual({ from: '2023-03-15', to: '2023-03-31' });
    expect(nearestWholeHalfMonths({ from: '2023-03-16', to: '2023-03-16' })).toEqual({ from: '2023-03-15', to: '2023-03-31' });
  });
});

describeEachDatabase('any range of days from the summary by half-month', (t) => {
  const runs = t.dialect === 'sqlite' ? 30 : 8;

  it('gives exactly the rows of the per-dossier SQL, for random dossiers, ranges, groupings and filters', async () => {
    let unaligned = 0;
    let onEdgeDays = 0;
    let withinOneHalfMonth = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.array(drawnDossier, { minLength: 1, maxLength: 80 }),
        fc.array(drawnQuery, { minLength: 4, maxLength: 10 }),
        async (drawn, queries) => {
          const db = await t.open();
          const rows = drawn.map(exportRow);
          await importRows(db, t.tempDir(), rows);
          // Every unit and field named by a filter must exist: an unknown one is an error by design.
          const units = new Set(rows.map((r) => r.unit));
          const fields = new Set(rows.map((r) => r.field));
          for (const drawnQ of queries) {
            const query = queryOf(drawnQ);
            if (query.filters?.unit && !units.has(query.filters.unit[0])) continue;
            if (query.filters?.field && !fields.has(query.filters.field[0])) continue;
            if (query.filters?.excludeField && !fields.has(query.filters.excludeField[0])) continue;
            expect(summaryAnswers(query)).toBe(true);
            if (!isHalfMonthAligned(query.period)) unaligned++;
            const [fromDay, toDay] = [query.period.from.slice(8), query.period.to.slice(8)];
            if (['01', '14', '15'].includes(fromDay) || ['01', '14', '15'].includes(toDay)) onEdgeDays++;
            if (halfMonthOf(query.period.from) === halfMonthOf(query.period.to) && !['01', '15'].includes(fromDay)) withinOneHalfMonth++;
            const expected = await computeStatsFromDossiers(db, query);
            expect(await computeStatsFromSummary(db, query), JSON.stringify(query)).toEqual(expected);
          }
        },
      ),
      { numRuns: runs },
    );
    expect(unaligned).toBeGreaterThan(runs);
    // The generator's edge days and ranges inside one half-month were drawn.
    expect(onEdgeDays).toBeGreaterThan(runs / 2);
    expect(withinOneHalfMonth).toBeGreaterThan(runs / 4);
  }, 180_000);

  it('gives the Hạ Hoà report column 01/01–25/05 as the per-dossier SQL does, with the edges inside half-months', async () => {
    const db = await t.open();
    // Around each edge: received, ended and due on the days just before, on and after 01/01 and 25/05.
    const rows: ExportRow[] = [
      { code: 'E1', unit: UNITS[0], field: FIELDS[0], received: '20/12/2022 08:00', due: '03/01/2023 17:00', status: 'Đang xử lý' },
      { code: 'E2', unit: UNITS[0], field: FIELDS[0], received: '31/12/2022 23:59', due: '10/01/2023 17:00', ended: '01/01/2023 00:00', status: 'Đã trả kết quả' },
      { code: 'E3', unit: UNITS[1], field: FIELDS[1], received: '20/05/2023 08:00', due: '24/05/2023 17:00', status: 'Đang xử lý' },
      { code: 'E4', unit: UNITS[1], field: FIELDS[1], received: '22/05/2023 08:00', due: '25/05/2023 17:00', status: 'Đang xử lý' },
      { code: 'E5', unit: UNITS[1], field: FIELDS[1], received: '22/05/2023 08:00', due: '26/05/2023 17:00', ended: '26/05/2023 08:00', status: 'Đã xử lý xong' },
      { code: 'E6', unit: UNITS[2], received: '25/05/2023 23:00', due: '29/05/2023 17:00', status: 'Đang xử lý' },
      { code: 'E7', unit: UNITS[2], received: '26/05/2023 07:00', due: '29/05/2023 17:00', status: 'Đang xử lý' },
      { code: 'E8', unit: UNITS[3], received: '02/05/2023 07:00', due: '10/05/2023 17:00', ended: '25/05/2023 16:00', status: 'Đã trả kết quả' },
    ];
    await importRows(db, t.tempDir(), rows);
    for (const by of [[], ['unit'], ['month', 'level'], ['year', 'unit', 'field']] as GroupKey[][]) {
      const query: StatsQuery = { period: { from: '2023-01-01', to: '2023-05-25' }, by };
      expect(await computeStatsFromSummary(db, query)).toEqual(await computeStatsFromDossiers(db, query));
    }
    // Figures counted by hand from the rows above (docs/rules.md), not by either path.
    const [all] = await computeStatsFromSummary(db, { period: { from: '2023-01-01', to: '2023-05-25' } });
    expect({
      carriedOver: all.carriedOver, receivedTotal: all.receivedTotal, resolvedTotal: all.resolvedTotal,
      pendingTotal: all.pendingTotal, pendingOverdue: all.pendingOverdue, pendingOnTime: all.pendingOnTime,
    }).toEqual({ carriedOver: 2, receivedTotal: 5, resolvedTotal: 2, pendingTotal: 5, pendingOverdue: 2, pendingOnTime: 3 });
  });
});
