import fc from 'fast-check';
import { expect, it } from 'vitest';
import { verifyDatabase } from '../../src/audit/verify.ts';
import { computeStatsFromDossiers } from '../../src/stats/compute.ts';
import { computeStatsFromSummary, summaryAnswers } from '../../src/stats/compute-summary.ts';
import type { GroupKey, StatsQuery, StatsRow } from '../../src/stats/types.ts';
import { describeEachDatabase } from '../helpers/databases.ts';
import { importRows, type ExportRow } from './fixtures.ts';
import {
  ORACLE_COUNTS, oracleOnlineRate, oracleOnTimeRate, oracleRows, rowKey,
  type OracleChannel, type OracleCounts, type OracleDossier, type OracleKey, type OracleLevel, type OracleQuery, type OracleStatus,
} from './oracle.ts';

// Property tests: random dossiers imported through the real import path into a real database, random periods
// (aligned to half-months and not), groupings and filters. Three computations must agree on every figure:
// (a) the summary by half-month (computeStatsFromSummary, when it can answer), (b) the per-dossier SQL
// (computeStatsFromDossiers, always), and (c) the oracle written from docs/rules.md (oracle.ts). After every import
// `tthc verify` must also find nothing. A failure prints fast-check's seed and the smallest case it shrank to.

const UNITS: Array<{ name: string; level: OracleLevel }> = [
  { name: 'UBND huyện Hạ Hoà', level: 'huyen' },
  { name: 'UBND xã Hiền Lương', level: 'xa' },
  { name: 'UBND thị trấn Hạ Hoà', level: 'xa' },
  { name: 'Sở Tư pháp', level: 'tinh' },
];
const FIELDS = ['Hộ tịch', 'Đất đai', 'Chứng thực', null];
const PROCEDURES = ['Đăng ký khai sinh', 'Cấp bản sao trích lục', 'Chuyển nhượng quyền sử dụng đất'];
const CHANNELS: Array<[OracleChannel | null, string]> = [
  ['truc_tiep', 'Trực tiếp'], ['truc_tuyen', 'Trực tuyến'], ['buu_chinh', 'Bưu chính'], ['lien_thong', 'Liên thông'], [null, ''],
];
const STATUSES: Array<[OracleStatus, string]> = [
  ['processing', 'Đang xử lý'], ['supplement_requested', 'Yêu cầu bổ sung'], ['finished', 'Đã xử lý xong'],
  ['returned', 'Đã trả kết quả'], ['rejected', 'Từ chối'], ['withdrawn', 'Công dân rút hồ sơ'],
];
const OPEN: OracleStatus[] = ['processing', 'supplement_requested'];

const DAY = 86_400_000;
/** The data's days: received from 01/11/2021 over 420 days. */
const START = Date.UTC(2021, 10, 1);
const SPAN = 420;

const pad = (n: number) => String(n).padStart(2, '0');
const dayText = (ms: number) => new Date(ms).toISOString().slice(0, 10);
const exportTime = (ms: number) => {
  const d = new Date(ms);
  return `${pad(d.getUTCDate())}/${pad(d.getUTCMonth() + 1)}/${d.getUTCFullYear()} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}`;
};

/** A day near `ms`, moved onto an edge of its half-month (1st, 14th, 15th, last day) when `edge` says so. */
function onEdge(ms: number, edge: number): number {
  const d = new Date(ms);
  const y = d.getUTCFullYear();
  const m = d.getUTCMonth();
  const day = [1, 14, 15, new Date(Date.UTC(y, m + 1, 0)).getUTCDate()][edge - 1];
  return day === undefined ? ms : Date.UTC(y, m, day);
}

interface Drawn {
  unit: number;
  field: number;
  procedure: number;
  channel: number;
  status: number;
  receivedDay: number;
  receivedEdge: number;
  minutes: number;
  /** -1: no due day. */
  dueAfter: number;
  dueEdge: number;
  endAfter: number;
  /** 0: anywhere; 1: on the due day (at another hour); 2: on a half-month edge. */
  endHow: number;
  endMinutes: number;
}

const drawnDossier: fc.Arbitrary<Drawn> = fc.record({
  unit: fc.nat(UNITS.length - 1),
  field: fc.nat(FIELDS.length - 1),
  procedure: fc.nat(PROCEDURES.length - 1),
  channel: fc.nat(CHANNELS.length - 1),
  status: fc.nat(STATUSES.length - 1),
  receivedDay: fc.nat(SPAN - 1),
  receivedEdge: fc.nat(6),
  minutes: fc.integer({ min: 0, max: 24 * 60 - 1 }),
  dueAfter: fc.oneof(fc.constant(-1), fc.integer({ min: -3, max: 45 })),
  dueEdge: fc.nat(6),
  endAfter: fc.integer({ min: 0, max: 70 }),
  endHow: fc.nat(2),
  endMinutes: fc.integer({ min: 0, max: 24 * 60 - 1 }),
});

/** The dossier as the oracle sees it and as an export row. */
function materialize(d: Drawn, i: number): { oracle: OracleDossier; row: ExportRow } {
  const unit = UNITS[d.unit];
  const [channel, channelWord] = CHANNELS[d.channel];
  const [status, statusWord] = STATUSES[d.status];
  const receivedDayMs = onEdge(START + d.receivedDay * DAY, d.receivedEdge);
  const received = receivedDayMs + d.minutes * 60_000;
  const dueDayMs = d.dueAfter === -1 ? null : onEdge(receivedDayMs + d.dueAfter * DAY, d.dueEdge);
  const due = dueDayMs === null ? null : dueDayMs + 17 * 3_600_000;
  let ended: number | null = null;
  if (!OPEN.includes(status)) {
    let endDayMs = receivedDayMs + d.endAfter * DAY;
    if (d.endHow === 1 && dueDayMs !== null) endDayMs = dueDayMs;
    if (d.endHow === 2) endDayMs = onEdge(endDayMs, 1 + (d.endAfter % 4));
    // Nothing ends before it was received.
    ended = Math.max(received, endDayMs + d.endMinutes * 60_000);
  }
  const oracle: OracleDossier = {
    unitName: unit.name, level: unit.level, field: FIELDS[d.field], procedure: PROCEDURES[d.procedure], channel,
    receivedDay: dayText(received), dueDay: due === null ? null : dayText(due), endDay: ended === null ? null : dayText(ended), status,
  };
  const row: ExportRow = {
    code: `P-${i}`, unit: unit.name, procedure: PROCEDURES[d.procedure], field: FIELDS[d.field] ?? '', channel: channelWord,
    received: exportTime(received), due: due === null ? undefined : exportTime(due), ended: ended === null ? undefined : exportTime(ended),
    status: statusWord,
  };
  return { oracle, row };
}

interface DrawnQuery {
  from: number;
  length: number;
  aligned: boolean;
  /** Not aligned: 1–4 moves the first (last) day onto the 1st, 14th, 15th or last day of its month (onEdge). */
  fromEdge: number;
  toEdge: number;
  by: GroupKey[];
  filter: number;
  filterValue: number;
}

const BY_SETS: GroupKey[][] = [
  [], ['level'], ['unit'], ['field'], ['channel'], ['procedure'], ['year'], ['month'], ['year', 'level'], ['month', 'unit'],
  ['level', 'field'], ['unit', 'field', 'channel'], ['year', 'procedure'], ['month', 'channel'], ['year', 'unit', 'field', 'channel'],
];

const drawnQuery: fc.Arbitrary<DrawnQuery> = fc.record({
  from: fc.integer({ min: -20, max: SPAN + 20 }),
  length: fc.integer({ min: 0, max: 240 }),
  aligned: fc.boolean(),
  fromEdge: fc.nat(8),
  toEdge: fc.nat(8),
  by: fc.constantFrom(...BY_SETS),
  filter: fc.nat(4),
  filterValue: fc.nat(11),
});

/**
 * The query in the code's terms and in the oracle's. A unit or field filter names one the data has (an unknown
 * one is an error by design).
 */
function queryOf(q: DrawnQuery, data: readonly OracleDossier[]): { query: StatsQuery; oracle: OracleQuery } {
  let from = onEdge(START + q.from * DAY, q.fromEdge);
  let to = Math.max(from, onEdge(from + q.length * DAY, q.toEdge));
  if (q.aligned) {
    const f = new Date(from);
    from = Date.UTC(f.getUTCFullYear(), f.getUTCMonth(), f.getUTCDate() < 15 ? 1 : 15);
    const t = new Date(Math.max(to, from));
    to = t.getUTCDate() <= 14 ? Date.UTC(t.getUTCFullYear(), t.getUTCMonth(), 14) : Date.UTC(t.getUTCFullYear(), t.getUTCMonth() + 1, 0);
  }
  const period = { from: dayText(from), to: dayText(to) };
  const oracle: OracleQuery = { ...period, by: q.by as OracleKey[] };
  const filters: StatsQuery['filters'] = {};
  const fields = [...new Set(data.map((d) => d.field).filter((f): f is string => f !== null))];
  const units = [...new Set(data.map((d) => d.unitName))];
  if (q.filter === 1) {
    oracle.level = (['tinh', 'huyen', 'xa'] as const)[q.filterValue % 3];
    filters.level = [oracle.level];
  } else if (q.filter === 2) {
    oracle.unitName = units[q.filterValue % units.length];
    filters.unit = [oracle.unitName];
  } else if (q.filter === 3 && fields.length) {
    oracle.field = fields[q.filterValue % fields.length];
    filters.field = [oracle.field];
  } else if (q.filter === 4 && fields.length) {
    oracle.excludeField = fields[q.filterValue % fields.length];
    filters.excludeField = [oracle.excludeField];
  }
  return { query: { period, by: q.by, filters }, oracle };
}

/** A computed table as the oracle's: rows of zeros left out, each row's counts and its two rates. */
function asOracle(rows: StatsRow[], by: readonly OracleKey[]): Map<string, OracleCounts> {
  const out = new Map<string, OracleCounts>();
  for (const row of rows) {
    const counts = Object.fromEntries(ORACLE_COUNTS.map((k) => [k, row[k]])) as OracleCounts;
    if (ORACLE_COUNTS.every((k) => counts[k] === 0)) continue;
    // The rates follow from the counts as docs/rules.md defines them.
    expect(row.onTimeRate).toBe(oracleOnTimeRate(counts));
    expect(row.onlineRate).toBe(oracleOnlineRate(counts));
    const key = rowKey(by, row);
    expect(out.has(key), `row ${key} twice`).toBe(false);
    out.set(key, counts);
  }
  return out;
}

const sorted = (m: Map<string, OracleCounts>) => [...m.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));

describeEachDatabase('the summary, the per-dossier SQL and the oracle of docs/rules.md agree', (t) => {
  const runs = t.dialect === 'sqlite' ? 25 : 6;

  it('on every figure, for random dossiers, periods, groupings and filters', async () => {
    let summaryChecked = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.array(drawnDossier, { minLength: 1, maxLength: 60 }),
        fc.array(drawnQuery, { minLength: 4, maxLength: 8 }),
        async (drawn, queries) => {
          const dossiers = drawn.map(materialize);
          const db = await t.open();
          await importRows(db, t.tempDir(), dossiers.map((d) => d.row));
          const verified = await verifyDatabase(db);
          expect([verified.summary, verified.flow, verified.classifications, verified.inconsistentDossiers]).toEqual([[], [], [], []]);
          for (const drawnQ of queries) {
            const { query, oracle } = queryOf(drawnQ, dossiers.map((d) => d.oracle));
            const expected = sorted(oracleRows(dossiers.map((d) => d.oracle), oracle));
            const fromDossiers = asOracle(await computeStatsFromDossiers(db, query), oracle.by);
            expect(sorted(fromDossiers), `per-dossier SQL, ${JSON.stringify(query)}`).toEqual(expected);
            if (summaryAnswers(query)) {
              summaryChecked++;
              const fromSummary = asOracle(await computeStatsFromSummary(db, query), oracle.by);
              expect(sorted(fromSummary), `summary, ${JSON.stringify(query)}`).toEqual(expected);
            }
          }
        },
      ),
      { numRuns: runs },
    );
    // Aligned periods are half the draws: the summary path must have been exercised.
    expect(summaryChecked).toBeGreaterThan(runs);
  }, 120_000);
});
