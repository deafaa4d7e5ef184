import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Db } from '../../src/db/connection.ts';
import { monthPeriod, quarterPeriod, reportingMonthPeriod, reportingYearPeriod, yearPeriod } from '../../src/domain/periods.ts';
import { importProcedures } from '../../src/import/catalogues.ts';
import { importFile, importFiles, importUnits } from '../../src/import/index.ts';
import { computeStats, computeStatsFromDossiers } from '../../src/stats/compute.ts';
import { computeStatsFromSummary, isHalfMonthAligned, summaryAnswers } from '../../src/stats/compute-summary.ts';
import {
  accumulate, halfMonthOf, KEY_ORDER, lastDayOfHalfMonth, nextHalfMonth, overdueHalfMonth, summaryContributions,
  SUMMARY_COUNTS, type SummaryDossier, type SummaryRow,
} from '../../src/stats/summary.ts';
import { rebuildSummary } from '../../src/stats/summary-writer.ts';
import type { StatsQuery, StatsRow } from '../../src/stats/types.ts';
import { describeEachDatabase } from '../helpers/databases.ts';
import { EXPORT_HEADERS, writeCsv, type Cell } from '../helpers/exports.ts';
import { exportCsv, importRows, prng, type ExportRow } from './fixtures.ts';
import type { DossierTable } from '../../src/db/schema.ts';
import { classifyDossier } from '../../src/domain/outcome.ts';

// The summary by half-month must give exactly the rows of the full computation for every query it answers
// (calendar months, quarters, years, reporting months and years), whatever the order snapshots of the dossiers
// come in and after the unit catalogue takes over an auto unit.

describe('half-month contributions', () => {
  type Raw = Omit<SummaryDossier, 'outcome' | 'overdue_from'> & Pick<DossierTable, 'due_at' | 'status'>;
  // As the importer stores it: the export's values and their classification.
  const dossier = (d: Partial<Raw>): SummaryDossier => {
    const raw: Raw = {
      code: 'A', unit_code: 'U', field: null, channel: null, procedure_name: null, received_at: '2022-05-20 08:00:00', due_at: null,
      ended_at: null, status: 'processing', ...d,
    };
    return { ...raw, ...classifyDossier(raw) };
  };
  const table = (d: SummaryDossier) =>
    [...accumulate(summaryContributions(d, 1)).values()]
      .map((row) => [row.half_month, ...SUMMARY_COUNTS.filter((c) => row[c] !== 0).map((c) => `${c}:${row[c]}`)].join(' '))
      .sort();

  it('cuts months at the 15th', () => {
    expect(halfMonthOf('2022-05-01 00:00:00')).toBe('2022-05-1');
    expect(halfMonthOf('2022-05-14 23:59:59')).toBe('2022-05-1');
    expect(halfMonthOf('2022-05-15 00:00:00')).toBe('2022-05-2');
    expect(halfMonthOf('2022-05-31')).toBe('2022-05-2');
    expect(lastDayOfHalfMonth('2022-05-1')).toBe('2022-05-14');
    expect(lastDayOfHalfMonth('2022-05-2')).toBe('2022-05-31');
    expect(lastDayOfHalfMonth('2024-02-2')).toBe('2024-02-29');
    expect(nextHalfMonth('2022-09-1')).toBe('2022-09-2');
    expect(nextHalfMonth('2022-09-2')).toBe('2022-10-1');
    expect(nextHalfMonth('2022-12-2')).toBe('2023-01-1');
    // The keys sort as text in time order.
    expect(['2022-10-1', '2022-09-2', '2022-09-1', '2021-12-2'].sort()).toEqual(['2021-12-2', '2022-09-1', '2022-09-2', '2022-10-1']);
  });

  it('finds the first half-month at whose end a due day is past', () => {
    expect(overdueHalfMonth('2022-05-13 17:00:00')).toBe('2022-05-1');
    // Due on the 14th: still in time at the end of the reporting month that ends on it, overdue at the month's end.
    expect(overdueHalfMonth('2022-05-14 17:00:00')).toBe('2022-05-2');
    // Due on the 15th: in time at the end of 14/05, overdue at the end of 31/05.
    expect(overdueHalfMonth('2022-05-15 08:00:00')).toBe('2022-05-2');
    expect(overdueHalfMonth('2022-05-25 17:00:00')).toBe('2022-05-2');
    // Due on the last day: still in time at the end of that month, overdue at the next 14th.
    expect(overdueHalfMonth('2022-05-31 08:00:00')).toBe('2022-06-1');
    expect(overdueHalfMonth('2023-02-28 17:00:00')).toBe('2023-03-1');
    expect(overdueHalfMonth('2024-02-28 17:00:00')).toBe('2024-02-2');
    expect(overdueHalfMonth('2022-12-31 17:00:00')).toBe('2023-01-1');
  });

  it('adds receipt, outcome and overdue spells at the right half-months', () => {
    // Due on its last day, ended a day late at 00:00 on 1 June: late in June, never pending overdue.
    expect(table(dossier({ due_at: '2022-05-31 08:00:00', ended_at: '2022-06-01 00:00:00', status: 'finished' })))
      .toEqual(['2022-05-2 received:1', '2022-06-1 ended_late:1']);
    // Due on the last day and still pending: overdue from the half-month that ends on 14/06.
    expect(table(dossier({ due_at: '2022-05-31 08:00:00' }))).toEqual(['2022-05-2 received:1', '2022-06-1 overdue_in:1']);
    // Due on the 14th and still pending: overdue from the second half of May.
    expect(table(dossier({ received_at: '2022-05-02 08:00:00', due_at: '2022-05-14 17:00:00' })))
      .toEqual(['2022-05-1 received:1', '2022-05-2 overdue_in:1']);
    // Due on the 14th, ended late on the 20th: never overdue at a half-month's end.
    expect(table(dossier({ received_at: '2022-05-02 08:00:00', due_at: '2022-05-14 17:00:00', ended_at: '2022-05-20 09:00:00', status: 'finished' })))
      .toEqual(['2022-05-1 received:1', '2022-05-2 ended_late:1']);
    // Due on the 15th, ended on 2 June: overdue at the end of May, out in the first half of June.
    expect(table(dossier({ received_at: '2022-05-03 08:00:00', due_at: '2022-05-15 08:00:00', ended_at: '2022-06-02 10:00:00', status: 'returned' })))
      .toEqual(['2022-05-1 received:1', '2022-05-2 overdue_in:1', '2022-06-1 ended_late:1 overdue_out:1']);
    // Overdue at the end of May (due 25/05), ended in June: in at the second half of May, out at the first of June.
    expect(table(dossier({ received_at: '2022-05-15 08:00:00', due_at: '2022-05-25 17:00:00', ended_at: '2022-06-10 09:00:00', status: 'returned' })))
      .toEqual(['2022-05-2 received:1 overdue_in:1', '2022-06-1 ended_late:1 overdue_out:1']);
    // Received after its due day (30/06, a last day): overdue from the half-month it was received.
    expect(table(dossier({ received_at: '2022-07-03 08:00:00', due_at: '2022-06-30 17:00:00' })))
      .toEqual(['2022-07-1 received:1 overdue_in:1']);
    // Due on 10/05, ended on 20/05: overdue at the end of 14/05 (the reporting month), so in and out.
    expect(table(dossier({ received_at: '2022-05-02 08:00:00', due_at: '2022-05-10 17:00:00', ended_at: '2022-05-20 09:00:00', status: 'finished' })))
      .toEqual(['2022-05-1 received:1 overdue_in:1', '2022-05-2 ended_late:1 overdue_out:1']);
    // Late but ended in the half-month it became overdue: never overdue at a half-month's end.
    expect(table(dossier({ received_at: '2022-05-02 08:00:00', due_at: '2022-05-10 17:00:00', ended_at: '2022-05-12 09:00:00', status: 'finished' })))
      .toEqual(['2022-05-1 received:1 ended_late:1']);
    // Rejected, withdrawn, no due day = on time, removal of a stored version.
    expect(table(dossier({ ended_at: '2022-05-21 08:00:00', status: 'rejected' }))).toEqual(['2022-05-2 received:1 ended_rejected:1']);
    expect(table(dossier({ ended_at: '2022-06-21 08:00:00', status: 'withdrawn' }))).toEqual(['2022-05-2 received:1', '2022-06-2 ended_withdrawn:1']);
    expect(table(dossier({ ended_at: '2022-06-14 08:00:00', status: 'returned' }))).toEqual(['2022-05-2 received:1', '2022-06-1 ended_on_time:1']);
    const d = dossier({ channel: 'truc_tuyen', field: 'Hộ tịch', due_at: '2022-06-01 17:00:00', ended_at: '2022-05-30 10:00:00', status: 'finished' });
    const both = accumulate([...summaryContributions(d, 1), ...summaryContributions(d, -1)]);
    expect([...both.values()].every((row) => SUMMARY_COUNTS.every((c) => row[c] === 0))).toBe(true);
    expect(summaryContributions(d, 1)[0]).toMatchObject({ unit_code: 'U', field: 'Hộ tịch', channel: 'truc_tuyen', half_month: '2022-05-2' });
    expect(summaryContributions(dossier({}), 1)[0]).toMatchObject({ field: '', channel: '' });
  });

  it('gives its rows in the order of the table key, every row once', () => {
    // Added in a scrambled order; written in key order (the upsert then walks the key's index in step).
    const units = ['U-b', 'U-a', 'U-ä', 'U-a2'];
    const fields = ['Hộ tịch', 'Đất đai', '', 'Chứng thực'];
    const deltas = accumulate(
      Array.from({ length: 400 }, (_, i) => {
        const month = String(((i * 7) % 12) + 1).padStart(2, '0');
        return {
          unit_code: units[(i * 3) % 4], field: fields[(i * 5) % 4], channel: ['truc_tuyen', 'truc_tiep', ''][i % 3], procedure_name: '',
          half_month: `${2020 + ((i * 11) % 5)}-${month}-${1 + (i % 2)}`, count: 'received' as const, amount: 1 as const,
        };
      }),
    );
    const key = (r: SummaryDossierRow) => [r.unit_code, r.field, r.channel, r.half_month];
    const byKey = (a: SummaryDossierRow, b: SummaryDossierRow) => {
      const [x, y] = [key(a), key(b)];
      for (let k = 0; k < 4; k++) if (x[k] !== y[k]) return x[k] < y[k] ? -1 : 1;
      return 0;
    };
    // In slices of 7 rows, one after another.
    const slices = [...deltas.sortedRows(undefined, 7)];
    expect(slices.slice(0, -1).every((slice) => slice.length === 7)).toBe(true);
    const sorted = slices.flat();
    expect(sorted).toHaveLength(deltas.size);
    expect(sorted.map(key)).toEqual([...deltas.values()].sort(byKey).map(key));
    expect(new Set(sorted.map((r) => key(r).join('|'))).size).toBe(deltas.size);
    // Each row keeps its counts: 400 receipts in all.
    expect(sorted.reduce((sum, r) => sum + r.received, 0)).toBe(400);
    // The order of the summary by procedure's key: the procedure first.
    const byProcedure = accumulate([
      { unit_code: 'U-a', field: '', channel: '', procedure_name: 'P-b', half_month: '2020-01-1', count: 'received', amount: 1 },
      { unit_code: 'U-b', field: '', channel: '', procedure_name: 'P-a', half_month: '2020-01-1', count: 'received', amount: 1 },
    ]);
    expect([...byProcedure.sortedRows(KEY_ORDER.byProcedure)].flat().map((r) => r.unit_code)).toEqual(['U-b', 'U-a']);
    expect([...byProcedure.sortedRows()].flat().map((r) => r.unit_code)).toEqual(['U-a', 'U-b']);
    expect([...byProcedure.withoutProcedures().values()].map((r) => [r.procedure_name, r.received])).toEqual([['', 1], ['', 1]]);
  });
});

type SummaryDossierRow = SummaryRow;

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

/** A day, biased to the edges of half-months (1st, 14th, 15th, last day), where the half-month rules could go wrong. */
function someDay(r: () => number, from: number, spanDays: number): number {
  const day = from + Math.floor(r() * spanDays) * DAY;
  const edge = r();
  const d = new Date(day);
  if (edge < 0.15) return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1);
  if (edge < 0.3) return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 0);
  if (edge < 0.4) return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 14);
  if (edge < 0.5) return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 15);
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
/** Procedures of the generated dossiers (some have none); a later snapshot may name another. */
const SUMMARY_PROCEDURES = ['Đăng ký khai sinh', 'Đăng ký kết hôn', 'Cấp giấy chứng nhận QSDĐ', 'Chứng thực bản sao'];

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
      code, unit, procedure: r() < 0.1 ? '' : pick(r, SUMMARY_PROCEDURES), field: pick(r, FIELDS), channel: pick(r, CHANNELS), received: exportTime(received),
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
        procedure: differ && r() < 0.3 ? pick(r, SUMMARY_PROCEDURES) : row.procedure,
        channel: differ && r() < 0.3 ? pick(r, CHANNELS) : row.channel,
        received: r() < 0.2 ? exportTime(received + Math.floor(r() * 40) * DAY) : row.received,
        due: due !== undefined && r() < 0.3 ? exportTime(due - Math.floor(r() * 30) * DAY) : row.due,
        status: 'Đang xử lý',
      });
    }
  }
  return { early, final };
}

/** Both stored summaries, rows of zeros left out (a rebuild does not write them). */
async function storedSummaries(db: Db) {
  const nonZero = <R extends Record<(typeof SUMMARY_COUNTS)[number], number>>(rows: R[]) => rows.filter((row) => SUMMARY_COUNTS.some((c) => row[c] !== 0));
  return {
    byUnit: nonZero(await db.selectFrom('dossier_half_months').selectAll().orderBy(['unit_code', 'field', 'channel', 'half_month']).execute()),
    byProcedure: nonZero(
      await db.selectFrom('dossier_procedure_half_months').selectAll().orderBy(['unit_code', 'field', 'channel', 'procedure_name', 'half_month']).execute(),
    ),
  };
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
  // Calendar months, quarters and years through the period helpers the CLI uses.
  { period: monthPeriod('2022-07'), by: ['level', 'field'] },
  { period: quarterPeriod('2022-Q3'), by: ['month', 'level'] },
  { period: quarterPeriod('2023-Q1'), by: ['unit', 'channel'] },
  { period: yearPeriod(2022), by: ['year', 'unit'] },
  // Reporting months (15th of the month before to the 14th) and years (15/12 to 14/12) of Nghị định 09/2019.
  { period: reportingMonthPeriod('2022-05') },
  { period: reportingMonthPeriod('2022-05'), by: ['unit', 'channel'] },
  { period: reportingMonthPeriod('2022-05'), by: ['month', 'level'] },
  { period: reportingMonthPeriod('2022-01'), by: ['year', 'channel'] },
  { period: reportingMonthPeriod('2023-03'), by: ['level', 'field'], filters: { excludeField: ['Bảo hiểm xã hội'] } },
  { period: reportingYearPeriod(2022) },
  { period: reportingYearPeriod(2022), by: ['year', 'level'] },
  { period: reportingYearPeriod(2022), by: ['month', 'unit'] },
  { period: reportingYearPeriod(2022), by: ['level', 'field', 'channel'] },
  { period: reportingYearPeriod(2023), by: ['year', 'month'], filters: { level: ['xa'] } },
  { period: reportingYearPeriod(2021), by: ['year'] },
  // Any range of whole half-months.
  { period: { from: '2022-03-15', to: '2022-09-30' }, by: ['month', 'channel'] },
  { period: { from: '2022-06-01', to: '2022-06-14' }, by: ['unit'] },
  // By procedure, from the summary by procedure (schema/0011).
  { period: { from: '2022-01-01', to: '2022-12-31' }, by: ['procedure'] },
  { period: reportingYearPeriod(2022), by: ['month', 'procedure'] },
  { period: quarterPeriod('2022-Q2'), by: ['level', 'unit', 'procedure', 'channel'], filters: { excludeField: ['Đất đai'] } },
  { period: { from: '2021-01-01', to: '2023-12-31' }, by: ['year', 'field', 'procedure'], filters: { level: ['xa'] } },
];

describeEachDatabase('summary by half-month', (t) => {
  async function sameAsFullComputation(db: Db): Promise<StatsRow[]> {
    const all: StatsRow[] = [];
    for (const query of QUERIES) {
      expect(summaryAnswers(query)).toBe(true);
      const full = await computeStatsFromDossiers(db, query);
      const fromSummary = await computeStatsFromSummary(db, query);
      expect(fromSummary, JSON.stringify(query)).toEqual(full);
      all.push(...full);
    }
    const negative = await db
      .selectFrom('dossier_half_months')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where((eb) => eb.or(SUMMARY_COUNTS.map((c) => eb(c, '<', 0))))
      .executeTakeFirstOrThrow();
    expect(Number(negative.n)).toBe(0);
    const received = await db.selectFrom('dossier_half_months').select((eb) => eb.fn.sum<number>('received').as('n')).executeTakeFirstOrThrow();
    const dossiers = await db.selectFrom('dossiers').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    expect(Number(received.n)).toBe(Number(dossiers.n));
    const byProcedure = await db.selectFrom('dossier_procedure_half_months').select((eb) => eb.fn.sum<number>('received').as('n')).executeTakeFirstOrThrow();
    expect(Number(byProcedure.n)).toBe(Number(dossiers.n));
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
    const summary = (db: Db) => storedSummaries(db);
    const kept = await summary(backward);
    await rebuildSummary(backward);
    expect(await summary(backward)).toEqual(kept);
    expect(kept.byUnit.length).toBeGreaterThan(50);
    expect(kept.byProcedure.length).toBeGreaterThan(kept.byUnit.length);
  });

  it('is kept right by an import of several chunks with repeats, unit rejects and fields from the catalogue', async () => {
    // The parse adds every good row to the summary as a new dossier and the importer corrects that for the rows
    // that are not (src/import/parsed-file.ts, AssumedSummary): this file has each kind, across more rows than
    // one chunk of either database holds, and it is imported in the worker thread and in the importer's thread.
    const dir = t.tempDir();
    const catalogue = join(dir, 'thu-tuc.csv');
    writeFileSync(catalogue, 'Mã thủ tục,Tên thủ tục,Lĩnh vực,Mức độ\nT1,Đăng ký khai sinh,Hộ tịch,2\nT2,Cấp giấy chứng nhận QSDĐ,Đất đai,3\n');
    const r = prng(23);
    const rows: Cell[][] = [];
    const codes: string[] = [];
    for (let i = 0; i < 12_000; i++) {
      // A repeat of a code met a few rows earlier (same chunk) or thousands of rows earlier (an earlier chunk).
      const repeat = i > 10 && r() < 0.06;
      const code = repeat ? codes[r() < 0.5 ? i - 1 - Math.floor(r() * 8) : Math.floor(r() * (i - 1))] : `C-${i}`;
      codes.push(code);
      const received = someDay(r, START, MONTHS * 30) + someMinute(r);
      const due = someDay(r, received, 40) + 17 * 3_600_000;
      const ended = r() < 0.6 ? Math.max(received, someDay(r, received, 60)) + someMinute(r) : undefined;
      const procedure = pick(r, ['Đăng ký khai sinh', 'Cấp giấy chứng nhận QSDĐ', 'Thủ tục ngoài danh mục']);
      rows.push([
        i, code, r() < 0.02 ? 'Bộ phận tiếp nhận chung' : pick(r, UNITS), procedure, r() < 0.5 ? '' : pick(r, FIELDS), pick(r, CHANNELS),
        exportTime(received), exportTime(due), ended === undefined ? null : exportTime(ended), null,
        ended === undefined ? pick(r, OPEN) : pick(r, ENDED),
      ]);
    }
    const file = join(dir, 'many-chunks.csv');
    writeCsv(file, EXPORT_HEADERS, rows);

    for (const parseThread of ['worker', 'main'] as const) {
      const db = await t.open();
      await importProcedures(db, catalogue);
      const first = await importFile(db, file, { parseThread });
      expect(first.repeatedInFile).toBeGreaterThan(500);
      expect(first.rejectedByReason).not.toEqual({});
      expectEveryFigureSomewhere(await sameAsFullComputation(db));
      // Again: every row now merges with its stored dossier; then the summary built from scratch must agree.
      const again = await importFile(db, file, { parseThread });
      expect(again.newDossiers).toBe(0);
      await sameAsFullComputation(db);
      const kept = await storedSummaries(db);
      await rebuildSummary(db);
      expect(await storedSummaries(db)).toEqual(kept);
      expect(kept.byUnit.some((row) => row.field === 'Đất đai')).toBe(true);
      expect(kept.byProcedure.some((row) => row.procedure_name === 'Thủ tục ngoài danh mục')).toBe(true);
    }
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
    const left = await db.selectFrom('dossier_half_months').select('unit_code').distinct().execute();
    expect(left.map((row) => row.unit_code).filter((code) => code.startsWith('auto-'))).toHaveLength(2);

    // Dossiers of the taken-over unit imported afterwards land on the catalogue code, in the summary too.
    const { final: more } = generate(12, 200);
    await importExport(db, dir, more);
    await sameAsFullComputation(db);
  });

  it('counts pending dossiers due on the 14th, the 15th and the last day as docs/rules.md says', async () => {
    const db = await t.open();
    await importRows(db, t.tempDir(), [
      { code: 'A', received: '02/05/2022 08:00', due: '14/05/2022 17:00' },
      { code: 'B', received: '03/05/2022 08:00', due: '15/05/2022 17:00' },
      { code: 'C', received: '20/05/2022 08:00', due: '31/05/2022 17:00' },
      { code: 'D', received: '04/05/2022 08:00', due: '14/05/2022 17:00', ended: '16/05/2022 09:00', status: 'Đã trả kết quả' },
    ]);
    const stats = async (query: StatsQuery) => {
      expect(summaryAnswers(query)).toBe(true);
      const rows = await computeStats(db, query);
      expect(rows).toEqual(await computeStatsFromDossiers(db, query));
      return rows;
    };
    const figures = (row: StatsRow) => ({
      carriedOver: row.carriedOver, receivedTotal: row.receivedTotal, resolvedLate: row.resolvedLate,
      resolvedTotal: row.resolvedTotal, pendingTotal: row.pendingTotal, pendingOnTime: row.pendingOnTime, pendingOverdue: row.pendingOverdue,
    });

    // Reporting month 05/2022 (15/04–14/05): A, B, D received and pending on 14/05; none due before 14/05.
    const [may09] = await stats({ period: reportingMonthPeriod('2022-05') });
    expect(figures(may09)).toEqual({ carriedOver: 0, receivedTotal: 3, resolvedLate: 0, resolvedTotal: 0, pendingTotal: 3, pendingOnTime: 3, pendingOverdue: 0 });
    // Calendar May: D ended late on 16/05; A (due 14) and B (due 15) are overdue on 31/05, C (due 31) is not.
    const [may] = await stats({ period: monthPeriod('2022-05') });
    expect(figures(may)).toEqual({ carriedOver: 0, receivedTotal: 4, resolvedLate: 1, resolvedTotal: 1, pendingTotal: 3, pendingOnTime: 1, pendingOverdue: 2 });
    // Reporting month 06/2022 (15/05–14/06): A, B, D carried over, C received, D resolved; all three pending
    // ones are due before 14/06.
    const [june09] = await stats({ period: reportingMonthPeriod('2022-06') });
    expect(figures(june09)).toEqual({ carriedOver: 3, receivedTotal: 1, resolvedLate: 1, resolvedTotal: 1, pendingTotal: 3, pendingOnTime: 0, pendingOverdue: 3 });

    // Reporting year 2022 by month: its months cut at 15/12/2021 and 14/12/2022.
    const byMonth = await stats({ period: reportingYearPeriod(2022), by: ['month'] });
    expect(byMonth.map((row) => `${row.from}..${row.to}`)).toEqual([
      '2021-12-15..2021-12-31', ...Array.from({ length: 11 }, (_, i) => `${monthPeriod(`2022-${String(i + 1).padStart(2, '0')}`).from}..${monthPeriod(`2022-${String(i + 1).padStart(2, '0')}`).to}`),
      '2022-12-01..2022-12-14',
    ]);
    expect(figures(byMonth[0])).toEqual({ carriedOver: 0, receivedTotal: 0, resolvedLate: 0, resolvedTotal: 0, pendingTotal: 0, pendingOnTime: 0, pendingOverdue: 0 });
    expect(figures(byMonth[5])).toEqual(figures(may));
    expect(figures(byMonth[12])).toEqual({ carriedOver: 3, receivedTotal: 0, resolvedLate: 0, resolvedTotal: 0, pendingTotal: 3, pendingOnTime: 0, pendingOverdue: 3 });
    // By year: 15/12–31/12/2021 then 01/01–14/12/2022.
    const byYear = await stats({ period: reportingYearPeriod(2022), by: ['year'] });
    expect(byYear.map((row) => [row.year, row.from, row.to])).toEqual([[2021, '2021-12-15', '2021-12-31'], [2022, '2022-01-01', '2022-12-14']]);
    expect(figures(byYear[1])).toEqual({ carriedOver: 0, receivedTotal: 4, resolvedLate: 1, resolvedTotal: 1, pendingTotal: 3, pendingOnTime: 0, pendingOverdue: 3 });
  });

  it('routes every period grouped and filtered by summary keys to the summary, and tells whole half-months apart', () => {
    expect(summaryAnswers({ period: { from: '2023-01-01', to: '2023-05-25' }, by: ['year', 'level'] })).toBe(true);
    expect(summaryAnswers({ period: { from: '2022-04-16', to: '2022-05-14' }, by: ['month', 'unit'] })).toBe(true);
    expect(summaryAnswers({ period: reportingYearPeriod(2022), by: ['month', 'field', 'channel'] })).toBe(true);
    // Grouping by procedure reads the summary by procedure (schema/0011).
    expect(summaryAnswers({ period: reportingMonthPeriod('2022-05'), by: ['procedure'] })).toBe(true);
    expect(summaryAnswers({ period: { from: '2022-01-03', to: '2022-12-20' }, by: ['month', 'procedure', 'unit'] })).toBe(true);
    expect(summaryAnswers({ period: yearPeriod(2022), filters: { receivingUnit: ['Trung tâm Phục vụ hành chính công'] } })).toBe(false);
    expect(isHalfMonthAligned({ from: '2022-04-15', to: '2022-05-14' })).toBe(true);
    expect(isHalfMonthAligned({ from: '2022-04-15', to: '2022-04-30' })).toBe(true);
    expect(isHalfMonthAligned({ from: '2022-04-01', to: '2022-04-14' })).toBe(true);
    expect(isHalfMonthAligned({ from: '2022-04-16', to: '2022-05-14' })).toBe(false);
    expect(isHalfMonthAligned({ from: '2022-04-15', to: '2022-05-15' })).toBe(false);
    expect(isHalfMonthAligned({ from: '2022-04-14', to: '2022-05-31' })).toBe(false);
    expect(isHalfMonthAligned({ from: '2022-04-15', to: '2022-05-13' })).toBe(false);
    expect(isHalfMonthAligned({ from: '2024-02-01', to: '2024-02-28' })).toBe(false);
    expect(isHalfMonthAligned({ from: '2024-02-01', to: '2024-02-29' })).toBe(true);
    expect(isHalfMonthAligned({ from: '2023-02-15', to: '2023-02-28' })).toBe(true);
  });
});
