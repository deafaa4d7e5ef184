import { afterAll, beforeAll, expect, it } from 'vitest';
import { openDatabase, type Db } from '../../src/db/connection.ts';
import { computeStats } from '../../src/stats/compute.ts';
import { describeEachDatabase } from '../helpers/databases.ts';
import { importRows, prng, type ExportRow } from './fixtures.ts';
import { exportTime, storedTime, type GeneratedDossier } from '../helpers/exports.ts';

// Random dossiers and periods: QĐ 766's progress counts and the due basis's, per unit, equal a plain reading of
// docs/rules.md on days written here without SQL, and the counts they rest on add up
// (handled766 = resolvedTotal + withdrawn + pendingTotal; inTime766 ≥ resolvedEarly + resolvedOnTime + pendingOnTime).

const UNITS = 12;
const PER_UNIT = 30;
const ENDED = ['Đã xử lý xong', 'Đã trả kết quả', 'Từ chối', 'Công dân rút hồ sơ'];
const OPEN = ['Đang xử lý', 'Yêu cầu bổ sung'];
const START = Date.UTC(2023, 10, 1);
const DAY = 86_400_000;



function generate(): { rows: ExportRow[]; dossiers: GeneratedDossier[] } {
  const r = prng(766);
  const rows: ExportRow[] = [];
  const dossiers: GeneratedDossier[] = [];
  for (let u = 1; u <= UNITS; u++) {
    const unit = `UBND xã Chỉ Số ${u}`;
    for (let i = 0; i < PER_UNIT; i++) {
      const day = START + Math.floor(r() * 120) * DAY;
      const minute = r() < 0.3 ? 0 : r() < 0.5 ? 23 * 60 + 59 : Math.floor(r() * 1440);
      const received = storedTime(new Date(day + minute * 60_000));
      const due = r() < 0.15 ? undefined : storedTime(new Date(day + Math.floor(r() * 25) * DAY + 17 * 3_600_000));
      const open = r() < 0.3;
      const ended = open ? undefined : storedTime(new Date(day + minute * 60_000 + Math.floor(r() * 40 * 1440) * 60_000));
      const status = open ? OPEN[Math.floor(r() * OPEN.length)] : ENDED[Math.floor(r() * ENDED.length)];
      dossiers.push({ unit, received, due, ended, status });
      rows.push({ code: `R${u}-${i}`, unit, received: exportTime(received), due: due && exportTime(due), ended: ended && exportTime(ended), status });
    }
  }
  return { rows, dossiers };
}

/** The rules on days: handled, in time (766); due, due and on time. */
function expected(dossiers: GeneratedDossier[], from: string, to: string): Map<string, number[]> {
  const out = new Map<string, number[]>();
  for (const d of dossiers) {
    const c = out.get(d.unit) ?? [0, 0, 0, 0];
    out.set(d.unit, c);
    const got = d.received.slice(0, 10);
    const end = d.ended?.slice(0, 10);
    const due = d.due?.slice(0, 10);
    const endedIn = end !== undefined && end >= from && end <= to;
    const pending = got <= to && (end === undefined || end > to);
    if (endedIn || pending) c[0]++;
    if ((endedIn && (due === undefined || end! <= due)) || (pending && (due === undefined || due >= to))) c[1]++;
    const result = d.status === 'Đã xử lý xong' || d.status === 'Đã trả kết quả';
    if (due !== undefined && due >= from && due <= to && d.status !== 'Công dân rút hồ sơ') {
      c[2]++;
      if (result && end! <= due) c[3]++;
    }
  }
  return out;
}

describeEachDatabase('QĐ 766 progress and the due basis on random data', (t) => {
  let db: Db;
  const { rows, dossiers } = generate();
  beforeAll(async () => {
    db = await openDatabase(await t.newTarget());
    await importRows(db, t.tempDir(), rows);
  });
  afterAll(() => db?.destroy());

  it('equal the rules read plainly, for random periods', async () => {
    const r = prng(2026);
    for (let round = 0; round < 10; round++) {
      const from = new Date(START + Math.floor(r() * 110) * DAY).toISOString().slice(0, 10);
      const to = new Date(Date.parse(from) + Math.floor(r() * 60) * DAY).toISOString().slice(0, 10);
      const got = await computeStats(db, { period: { from, to }, by: ['unit'], progress766: true, dueBasis: true });
      const want = expected(dossiers, from, to);
      const counted = [...want].filter(([, c]) => c.some((n) => n > 0)).map(([unit]) => unit);
      expect(counted.length).toBeGreaterThan(0);
      for (const unit of counted) expect(got.map((row) => row.unitName)).toContain(unit);
      for (const row of got) {
        const where = `${row.unitName} ${from}..${to}`;
        expect([row.handled766, row.inTime766, row.dueTotal, row.dueOnTime], where).toEqual(want.get(row.unitName!));
        expect(row.handled766, where).toBe(row.resolvedTotal + row.withdrawn + row.pendingTotal);
        expect(row.inTime766!, where).toBeGreaterThanOrEqual(row.resolvedEarly + row.resolvedOnTime + row.pendingOnTime);
      }
    }
  });
});
