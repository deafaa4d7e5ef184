import { afterAll, beforeAll, expect, it } from 'vitest';
import { openDatabase, type Db } from '../../src/db/connection.ts';
import { dayAfter, type Period } from '../../src/domain/periods.ts';
import { computeStats } from '../../src/stats/compute.ts';
import { COUNT_FIGURES, type Counts, type GroupKey, type StatsRow } from '../../src/stats/types.ts';
import { describeEachDatabase } from '../helpers/databases.ts';
import { importRows, prng, type ExportRow } from './fixtures.ts';
import { exportTime, storedTime, type GeneratedDossier } from '../helpers/exports.ts';

// Property test: random dossiers for many seeds (one commune per seed), random periods, and for every group the
// flow identity, totals = sums of parts, carried over = pending at the end of the sub-period before, and the
// counts of a plain reading of docs/rules.md on days, written here without SQL.

const SEEDS = 40;
const PER_SEED = 25;
const CHANNELS = ['Trực tiếp', 'Trực tuyến', 'Bưu chính', 'Liên thông', ''];
const ENDED = ['Đã xử lý xong', 'Đã trả kết quả', 'Từ chối', 'Công dân rút hồ sơ'];
const OPEN = ['Đang xử lý', 'Yêu cầu bổ sung'];


const pick = <T>(r: () => number, list: T[]) => list[Math.floor(r() * list.length)];
const START = Date.UTC(2021, 10, 1);
const DAY = 86_400_000;

function generate(): { rows: ExportRow[]; dossiers: GeneratedDossier[] } {
  const rows: ExportRow[] = [];
  const dossiers: GeneratedDossier[] = [];
  for (let seed = 1; seed <= SEEDS; seed++) {
    const r = prng(seed);
    const unit = `UBND xã Thử Nghiệm ${seed}`;
    for (let i = 0; i < PER_SEED; i++) {
      const day = START + Math.floor(r() * 150) * DAY;
      const edge = r();
      // A good share of times sit exactly on the edges of days.
      const minute = edge < 0.2 ? 0 : edge < 0.4 ? 23 * 60 + 59 : Math.floor(r() * 1440);
      const received = storedTime(new Date(day + minute * 60_000));
      const due = r() < 0.1 ? undefined : storedTime(new Date(day + Math.floor(r() * 20) * DAY + 17 * 3_600_000));
      const isOpen = r() < 0.3;
      const ended = isOpen ? undefined : storedTime(new Date(day + minute * 60_000 + Math.floor(r() * 40 * 1440) * 60_000));
      const status = isOpen ? pick(r, OPEN) : pick(r, ENDED);
      dossiers.push({ unit, received, due, ended, status });
      rows.push({
        code: `S${seed}-${i}`, unit, channel: pick(r, CHANNELS), field: pick(r, ['Hộ tịch', 'Đất đai', 'Bảo hiểm xã hội', '']),
        received: exportTime(received), due: due && exportTime(due), ended: ended && exportTime(ended), status,
      });
    }
  }
  return { rows, dossiers };
}

/** the counting rules' (docs/rules.md) rules read plainly, on days, for the checks. */
function expected(dossiers: GeneratedDossier[], period: Period): Map<string, Partial<Counts>> {
  const out = new Map<string, Partial<Counts>>();
  for (const d of dossiers) {
    const c = out.get(d.unit) ?? { receivedTotal: 0, carriedOver: 0, resolvedEarly: 0, resolvedOnTime: 0, resolvedLate: 0, resolvedRejected: 0, withdrawn: 0, pendingOnTime: 0, pendingOverdue: 0 };
    out.set(d.unit, c);
    const got = d.received.slice(0, 10);
    const end = d.ended?.slice(0, 10);
    const due = d.due?.slice(0, 10);
    if (got >= period.from && got <= period.to) c.receivedTotal!++;
    if (got < period.from && (!end || end >= period.from)) c.carriedOver!++;
    if (end && end >= period.from && end <= period.to) {
      if (d.status === 'Từ chối') c.resolvedRejected!++;
      else if (d.status === 'Công dân rút hồ sơ') c.withdrawn!++;
      else if (!due || end === due) c.resolvedOnTime!++;
      else if (end < due) c.resolvedEarly!++;
      else c.resolvedLate!++;
    }
    if (got <= period.to && (!end || end > period.to)) {
      if (due && due < period.to) c.pendingOverdue!++;
      else c.pendingOnTime!++;
    }
  }
  return out;
}

function checkRow(row: StatsRow) {
  const where = JSON.stringify({ from: row.from, unit: row.unitName, channel: row.channel, field: row.field });
  expect(row.carriedOver + row.receivedTotal, where).toBe(row.resolvedTotal + row.withdrawn + row.pendingTotal);
  expect(row.resolvedTotal, where).toBe(row.resolvedEarly + row.resolvedOnTime + row.resolvedLate + row.resolvedRejected);
  expect(row.pendingTotal, where).toBe(row.pendingOnTime + row.pendingOverdue);
  expect(row.receivedTotal, where).toBeGreaterThanOrEqual(row.receivedDirect + row.receivedOnline + row.receivedPostal + row.receivedLienThong);
  if (row.channel) expect(row.receivedTotal, where).toBe(row.receivedDirect + row.receivedOnline + row.receivedPostal + row.receivedLienThong);
}

function checkChain(rows: StatsRow[]) {
  const byGroup = new Map<string, StatsRow[]>();
  for (const row of rows) {
    const key = JSON.stringify([row.unitCode, row.channel, row.field, row.level]);
    byGroup.set(key, [...(byGroup.get(key) ?? []), row]);
  }
  for (const group of byGroup.values()) {
    for (let i = 1; i < group.length; i++) {
      expect(group[i].from).toBe(dayAfter(group[i - 1].to));
      expect(group[i].carriedOver).toBe(group[i - 1].pendingTotal);
    }
  }
}

describeEachDatabase('statistics on random data', (t) => {
  let db: Db;
  const { rows, dossiers } = generate();
  beforeAll(async () => {
    db = await openDatabase(await t.newTarget());
    await importRows(db, t.tempDir(), rows);
  });
  afterAll(() => db?.destroy());

  it(`keeps the flow identity and the plain reading of the rules over ${SEEDS} seeds`, async () => {
    const r = prng(2024);
    for (let round = 0; round < 8; round++) {
      const from = new Date(START + Math.floor(r() * 120) * DAY).toISOString().slice(0, 10);
      const to = new Date(Date.parse(from) + Math.floor(r() * 70) * DAY).toISOString().slice(0, 10);
      const period = { from, to };

      const byUnit = await computeStats(db, { period, by: ['unit'] });
      const want = expected(dossiers, period);
      expect(byUnit.length).toBeGreaterThan(0);
      for (const row of byUnit) {
        checkRow(row);
        const counts = want.get(row.unitName!)!;
        expect(Object.fromEntries(Object.keys(counts).map((k) => [k, row[k as keyof Counts]])), `${row.unitName} ${from}..${to}`).toEqual(counts);
      }
      // Units with nothing in the period do not appear; every other one does.
      const active = [...want].filter(([, c]) => Object.values(c).some((n) => n! > 0)).map(([unit]) => unit).sort();
      expect(byUnit.map((row) => row.unitName!).sort()).toEqual(active);

      for (const by of [['month', 'unit'], ['year', 'channel', 'field'], ['month', 'level', 'channel']] as GroupKey[][]) {
        const grouped = await computeStats(db, { period, by });
        for (const row of grouped) checkRow(row);
        checkChain(grouped);
        // The groups add up to the whole: receipts over all sub-periods, carried over at the start, pending at the end.
        const [whole] = await computeStats(db, { period });
        const sum = (list: StatsRow[], figure: (typeof COUNT_FIGURES)[number]) => list.reduce((n, row) => n + row[figure], 0);
        expect(sum(grouped, 'receivedTotal')).toBe(whole.receivedTotal);
        expect(sum(grouped, 'resolvedTotal')).toBe(whole.resolvedTotal);
        expect(sum(grouped.filter((row) => row.from === period.from), 'carriedOver')).toBe(whole.carriedOver);
        for (const figure of ['pendingTotal', 'pendingOnTime', 'pendingOverdue'] as const) {
          expect(sum(grouped.filter((row) => row.to === period.to), figure)).toBe(whole[figure]);
        }
      }
    }
  });
});
