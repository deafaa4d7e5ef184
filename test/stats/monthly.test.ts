import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Db } from '../../src/db/connection.ts';
import { importFiles, importUnits } from '../../src/import/index.ts';
import { computeStats, computeStatsFromDossiers } from '../../src/stats/compute.ts';
import { computeStatsFromMonthly, monthlySummaryAnswers } from '../../src/stats/compute-monthly.ts';
import {
  accumulate, monthlyContributions, MONTHLY_COUNTS, nextMonth, overdueMonth, rebuildMonthlySummary, type MonthlyDossier,
} from '../../src/stats/monthly.ts';
import type { StatsQuery, StatsRow } from '../../src/stats/types.ts';
import { describeEachDatabase } from '../helpers/databases.ts';
import { exportCsv, prng, type ExportRow } from './fixtures.ts';

// The monthly summary must give exactly the rows of the full computation for every query it answers, whatever
// the order snapshots of the dossiers come in and after the unit catalogue takes over an auto unit.

describe('monthly contributions', () => {
  const dossier = (d: Partial<MonthlyDossier>): MonthlyDossier => ({
    code: 'A', unit_code: 'U', field: null, channel: null, received_at: '2022-05-20 08:00:00', due_at: null,
    ended_at: null, status: 'processing', ...d,
  });
  const table = (d: MonthlyDossier) =>
    [...accumulate(monthlyContributions(d, 1)).values()].map((row) =>
      [row.month, ...MONTHLY_COUNTS.filter((c) => row[c] !== 0).map((c) => `${c}:${row[c]}`)].join(' '),
    );

  it('finds the first month at whose end a due day is past', () => {
    expect(overdueMonth('2022-05-25 17:00:00')).toBe('2022-05');
    // Due on the last day: still in time at the end of that month.
    expect(overdueMonth('2022-05-31 08:00:00')).toBe('2022-06');
    expect(overdueMonth('2023-02-28 17:00:00')).toBe('2023-03');
    expect(overdueMonth('2024-02-28 17:00:00')).toBe('2024-02');
    expect(overdueMonth('2022-12-31 17:00:00')).toBe('2023-01');
    expect(nextMonth('2022-12')).toBe('2023-01');
    expect(nextMonth('2022-09')).toBe('2022-10');
  });

  it('adds receipt, outcome and overdue spells at the right months', () => {
    // Due on its last day, ended a day late at 00:00 on 1 June: late in June, never pending overdue.
    expect(table(dossier({ due_at: '2022-05-31 08:00:00', ended_at: '2022-06-01 00:00:00', status: 'finished' })))
      .toEqual(['2022-05 received:1', '2022-06 ended_late:1']);
    // Overdue at the end of May (due 25/05), ended in June: in at May, out at June.
    expect(table(dossier({ received_at: '2022-05-15 08:00:00', due_at: '2022-05-25 17:00:00', ended_at: '2022-06-10 09:00:00', status: 'returned' })))
      .toEqual(['2022-05 received:1 overdue_in:1', '2022-06 ended_late:1 overdue_out:1']);
    // Received after its due day (30/06, a last day): overdue from the month it was received.
    expect(table(dossier({ received_at: '2022-07-03 08:00:00', due_at: '2022-06-30 17:00:00' })))
      .toEqual(['2022-07 received:1 overdue_in:1']);
    // Late but ended in the month it became overdue: never overdue at a month's end.
    expect(table(dossier({ received_at: '2022-05-02 08:00:00', due_at: '2022-05-10 17:00:00', ended_at: '2022-05-20 09:00:00', status: 'finished' })))
      .toEqual(['2022-05 received:1 ended_late:1']);
    // Rejected, withdrawn, no due day = on time, removal of a stored version.
    expect(table(dossier({ ended_at: '2022-05-21 08:00:00', status: 'rejected' }))).toEqual(['2022-05 received:1 ended_rejected:1']);
    expect(table(dossier({ ended_at: '2022-06-21 08:00:00', status: 'withdrawn' }))).toEqual(['2022-05 received:1', '2022-06 ended_withdrawn:1']);
    expect(table(dossier({ ended_at: '2022-06-21 08:00:00', status: 'returned' }))).toEqual(['2022-05 received:1', '2022-06 ended_on_time:1']);
    const d = dossier({ channel: 'truc_tuyen', field: 'Hộ tịch', due_at: '2022-06-01 17:00:00', ended_at: '2022-05-30 10:00:00', status: 'finished' });
    const both = accumulate([...monthlyContributions(d, 1), ...monthlyContributions(d, -1)]);
    expect([...both.values()].every((row) => MONTHLY_COUNTS.every((c) => row[c] === 0))).toBe(true);
    expect(monthlyContributions(d, 1)[0]).toMatchObject({ unit_code: 'U', field: 'Hộ tịch', channel: 'truc_tuyen', month: '2022-05' });
    expect(monthlyContributions(dossier({}), 1)[0]).toMatchObject({ field: '', channel: '' });
  });
});

const UNITS = ['UBND huyện Thử Nghiệm', 'UBND xã An Một', 'UBND xã An Hai', 'Sở Tư pháp'];
const FIELDS = ['Hộ tịch', 'Đất đai', 'Bảo hiểm xã hội', ''];
const CHANNELS = ['Trực tiếp', 'Trực tuyến', 'Bưu chính', 'Liên thông', ''];
const ENDED = ['Đã xử lý xong', 'Đã trả kết quả', 'Từ chối', 'Công dân rút hồ sơ'];
const OPEN = ['Đang xử lý', 'Yêu cầu bổ sung'];
const DAY = 86_400_000;
const START = Date.UTC(2021, 9, 1);
const MONTHS = 18; // 2021-10 … 2023-03

const pad = (n: number) => String(n).padStart(2, '0');
const exportTime = (ms: number) => {
  const d = new Date(ms);
  return `${pad(d.getUTCDate())}/${pad(d.getUTCMonth() + 1)}/${d.getUTCFullYear()} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}`;
};
const pick = <T>(r: () => number, list: T[]) => list[Math.floor(r() * list.length)];

/** A day, biased to the first and last days of months, where the month rules could go wrong. */
function someDay(r: () => number, from: number, spanDays: number): number {
  const day = from + Math.floor(r() * spanDays) * DAY;
  const edge = r();
  const d = new Date(day);
  if (edge < 0.2) return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1);
  if (edge < 0.4) return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 0);
  return day;
}
const someMinute = (r: () => number) => {
  const edge = r();
  return (edge < 0.25 ? 0 : edge < 0.5 ? 23 * 60 + 59 : Math.floor(r() * 1440)) * 60_000;
};

/**
 * Random dossiers as two snapshots: an early one (still open, sometimes a later receipt time, an earlier due
 * day, other field and channel) and the final one. Merging keeps the earliest receipt and latest due, and the
 * final snapshot's descriptions, so the order of the files changes nothing and the summary must follow.
 */
function generate(seed: number, count: number): { early: ExportRow[]; final: ExportRow[] } {
  const r = prng(seed);
  const early: ExportRow[] = [];
  const final: ExportRow[] = [];
  for (let i = 0; i < count; i++) {
    const code = `M${seed}-${i}`;
    const unit = pick(r, UNITS);
    const received = someDay(r, START, MONTHS * 30) + someMinute(r);
    const due = r() < 0.12 ? undefined : someDay(r, received - 5 * DAY, 70) + (r() < 0.5 ? 17 * 3_600_000 : 0);
    const isOpen = r() < 0.3;
    const ended = isOpen ? undefined : Math.max(received, someDay(r, received, 80) + someMinute(r));
    const row: ExportRow = {
      code, unit, field: pick(r, FIELDS), channel: pick(r, CHANNELS), received: exportTime(received),
      due: due === undefined ? undefined : exportTime(due), ended: ended === undefined ? undefined : exportTime(ended),
      status: isOpen ? pick(r, OPEN) : pick(r, ENDED),
    };
    final.push(row);
    if (r() < 0.75) {
      // Descriptions differ only when the final snapshot is further on: between two snapshots of the same
      // status the merge keeps the stored one, which depends on the order of the files.
      const differ = row.status !== 'Đang xử lý';
      early.push({
        code, unit,
        field: differ && r() < 0.3 ? pick(r, FIELDS) : row.field,
        channel: differ && r() < 0.3 ? pick(r, CHANNELS) : row.channel,
        received: r() < 0.2 ? exportTime(received + Math.floor(r() * 40) * DAY) : row.received,
        due: due !== undefined && r() < 0.3 ? exportTime(due - Math.floor(r() * 30) * DAY) : row.due,
        status: 'Đang xử lý',
      });
    }
  }
  return { early, final };
}

let files = 0;
async function importExport(db: Db, dir: string, rows: ExportRow[]): Promise<void> {
  const file = join(dir, `snapshot-${++files}.csv`);
  writeFileSync(file, exportCsv(rows));
  const [summary] = await importFiles(db, [file]);
  expect(summary.rejectedByReason).toEqual({});
}

const QUERIES: StatsQuery[] = [
  { period: { from: '2021-01-01', to: '2023-12-31' }, by: ['year', 'level'] },
  { period: { from: '2022-01-01', to: '2022-12-31' }, by: ['month', 'unit'] },
  { period: { from: '2021-11-01', to: '2023-02-28' }, by: ['month', 'level', 'channel'] },
  { period: { from: '2022-03-01', to: '2022-08-31' }, by: ['field', 'channel'] },
  { period: { from: '2022-03-01', to: '2023-06-30' }, by: ['year', 'unit', 'field'] },
  { period: { from: '2022-10-01', to: '2022-12-31' } },
  { period: { from: '2022-01-01', to: '2022-12-31' }, by: ['year', 'level'], filters: { excludeField: ['Bảo hiểm xã hội'] } },
  { period: { from: '2022-01-01', to: '2022-12-31' }, by: ['month'], filters: { field: ['hộ tịch'] } },
  { period: { from: '2022-02-01', to: '2022-02-28' }, by: ['unit'], filters: { level: ['xa'] } },
  { period: { from: '2021-10-01', to: '2022-09-30' }, by: ['month', 'channel'], filters: { unit: ['UBND xã An Một'], excludeField: ['Đất đai'] } },
  { period: { from: '2020-01-01', to: '2020-12-31' }, by: ['year', 'level'] },
  { period: { from: '2023-01-01', to: '2023-12-31' }, by: ['month', 'unit'] },
  { period: { from: '2021-10-01', to: '2021-10-31' }, by: ['channel'] },
];

describeEachDatabase('monthly summary', (t) => {
  async function sameAsFullComputation(db: Db): Promise<StatsRow[]> {
    const all: StatsRow[] = [];
    for (const query of QUERIES) {
      expect(monthlySummaryAnswers(query)).toBe(true);
      const full = await computeStatsFromDossiers(db, query);
      const monthly = await computeStatsFromMonthly(db, query);
      expect(monthly, JSON.stringify(query)).toEqual(full);
      all.push(...full);
    }
    const negative = await db
      .selectFrom('dossier_months')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where((eb) => eb.or(MONTHLY_COUNTS.map((c) => eb(c, '<', 0))))
      .executeTakeFirstOrThrow();
    expect(Number(negative.n)).toBe(0);
    const received = await db.selectFrom('dossier_months').select((eb) => eb.fn.sum<number>('received').as('n')).executeTakeFirstOrThrow();
    const dossiers = await db.selectFrom('dossiers').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    expect(Number(received.n)).toBe(Number(dossiers.n));
    return all;
  }

  /** The comparison is only worth something if every kind of figure occurs. */
  function expectEveryFigureSomewhere(rows: StatsRow[]) {
    for (const figure of ['receivedOnline', 'receivedPostal', 'receivedLienThong', 'carriedOver', 'resolvedEarly', 'resolvedOnTime', 'resolvedLate', 'resolvedRejected', 'withdrawn', 'pendingOnTime', 'pendingOverdue'] as const) {
      expect(rows.some((row) => row[figure] > 0), figure).toBe(true);
    }
  }

  it('gives the rows of the full computation as snapshots come in, in either order', async () => {
    const { early, final } = generate(7, 500);
    const dir = t.tempDir();

    const forward = await t.open();
    await importExport(forward, dir, early);
    // Only open dossiers so far: receipts, carried over and pending.
    expect((await sameAsFullComputation(forward)).some((row) => row.pendingOverdue > 0)).toBe(true);
    await importExport(forward, dir, final);
    const forwardRows = await sameAsFullComputation(forward);
    expectEveryFigureSomewhere(forwardRows);
    // Importing the same file again changes nothing.
    await importExport(forward, dir, final);
    expect(await sameAsFullComputation(forward)).toEqual(forwardRows);

    const backward = await t.open();
    await importExport(backward, dir, final);
    await importExport(backward, dir, early);
    expect(await sameAsFullComputation(backward)).toEqual(forwardRows);

    // Kept up to date file by file, the summary is what building it from scratch gives (rows that dropped to
    // zero aside).
    const summary = async (db: Db) =>
      (await db.selectFrom('dossier_months').selectAll().orderBy('unit_code').orderBy('field').orderBy('channel').orderBy('month').execute())
        .filter((row) => MONTHLY_COUNTS.some((c) => row[c] !== 0));
    const kept = await summary(backward);
    await rebuildMonthlySummary(backward);
    expect(await summary(backward)).toEqual(kept);
    expect(kept.length).toBeGreaterThan(50);
  });

  it('moves the summary with the dossiers when the unit catalogue takes over an auto unit', async () => {
    const { final } = generate(11, 300);
    const dir = t.tempDir();
    const db = await t.open();
    await importExport(db, dir, final);
    const before = await computeStats(db, { period: { from: '2022-01-01', to: '2022-12-31' }, by: ['unit'] });
    const anMot = before.find((row) => row.unitName === 'UBND xã An Một')!;
    expect(anMot.unitCode).toMatch(/^auto-/);

    writeFileSync(join(dir, 'units.csv'), 'Mã đơn vị,Tên đơn vị,Cấp\nXA-AN1,UBND xã An Một,Xã\nH-TN,UBND huyện Thử Nghiệm,Huyện\n');
    await importUnits(db, join(dir, 'units.csv'));
    await sameAsFullComputation(db);
    const after = await computeStats(db, { period: { from: '2022-01-01', to: '2022-12-31' }, by: ['unit'] });
    expect(after.find((row) => row.unitName === 'UBND xã An Một')).toEqual({ ...anMot, unitCode: 'XA-AN1' });
    const left = await db.selectFrom('dossier_months').select('unit_code').distinct().execute();
    expect(left.map((row) => row.unit_code).filter((code) => code.startsWith('auto-'))).toHaveLength(2);

    // Dossiers of the taken-over unit imported afterwards land on the catalogue code, in the summary too.
    const { final: more } = generate(12, 200);
    await importExport(db, dir, more);
    await sameAsFullComputation(db);
  });

  it('routes only whole months with summary keys to the summary', () => {
    expect(monthlySummaryAnswers({ period: { from: '2023-01-01', to: '2023-05-25' }, by: ['year', 'level'] })).toBe(false);
    expect(monthlySummaryAnswers({ period: { from: '2022-04-15', to: '2022-05-14' } })).toBe(false);
    expect(monthlySummaryAnswers({ period: { from: '2022-01-01', to: '2022-12-31' }, by: ['procedure'] })).toBe(false);
    expect(monthlySummaryAnswers({ period: { from: '2024-02-01', to: '2024-02-28' } })).toBe(false);
    expect(monthlySummaryAnswers({ period: { from: '2024-02-01', to: '2024-02-29' } })).toBe(true);
  });
});
