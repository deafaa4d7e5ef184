import { join } from 'node:path';
import { sql } from 'kysely';
import { expect, it } from 'vitest';
import { openDatabase, type Db } from '../../src/db/connection.ts';
import { importFile } from '../../src/import/index.ts';
import { describeEachDatabase } from '../helpers/databases.ts';
import { EXPORT_HEADERS, writeCsv, type Cell } from '../helpers/exports.ts';

// The importer's write path at scale: on PostgreSQL new dossiers go in by COPY in its text format (src/db/pg-copy.ts),
// several chunks per file, the stored versions read first when the table held dossiers before the file. Each file
// is also imported into SQLite, whose multi-row inserts are the plain path: both must store the same rows, say
// the same counts, and keep the same summary.

/** Text a COPY line or an array literal must escape, or must not take for NULL. */
const TRICKY = [
  'tab\there', 'back\\slash', 'ends with \\', '\\N', '\\.', 'NULL', 'null', 'line\nbreak', 'carriage\r\nreturn',
  'say "quoted", {braced}', "it's", 'semi;colon', 'Đăng ký khai sinh',
];
const UNITS = ['UBND xã Hiền Lương', 'UBND xã Ấm Hạ', 'UBND huyện Hạ Hoà'];

/** A row in EXPORT_HEADERS order: STT, code, unit, procedure, field, channel, received, due, ended, returned, status. */
function row(i: number, code: string, finished: boolean): Cell[] {
  const day = String((i % 28) + 1).padStart(2, '0');
  const tricky = TRICKY[i % TRICKY.length];
  return [
    i + 1, code, UNITS[i % UNITS.length], `Thủ tục ${tricky}`, i % 5 === 0 ? '' : `Lĩnh vực ${TRICKY[(i + 3) % TRICKY.length]}`,
    i % 2 ? 'Trực tuyến' : 'Trực tiếp', `${day}/03/2021 08:00`, `${day}/04/2021`,
    finished ? `${day}/04/2021 10:00` : null, null, finished ? 'Đã trả kết quả' : 'Đang xử lý',
  ];
}

async function stored(db: Db) {
  const dossiers = await db.selectFrom('dossiers').selectAll().orderBy('code').execute();
  const summary = await db.selectFrom('dossier_half_months').selectAll().orderBy('unit_code').orderBy('field').orderBy('channel').orderBy('half_month').execute();
  return { dossiers, summary };
}

const counts = (s: Awaited<ReturnType<typeof importFile>>) => ({
  rowsRead: s.rowsRead, newDossiers: s.newDossiers, updated: s.updated, unchanged: s.unchanged, repeatedInFile: s.repeatedInFile, rejected: s.rejected,
});

describeEachDatabase('the import write path, several chunks per file', (t) => {
  it('stores backslashes, quotes and NULL-like words exactly, and the same rows, counts and summary as SQLite', async () => {
    const dir = t.tempDir();
    // File 1: 12,000 dossiers (three PostgreSQL chunks), some repeated thousands of rows later (another chunk).
    const first = Array.from({ length: 12_000 }, (_, i) => row(i, `A-${i}`, false));
    for (let i = 0; i < 300; i++) first.push(row(i, `A-${i * 7}`, i % 2 === 0));
    // File 2, into a database that holds dossiers: half of it known (some finished since), half new.
    const second = Array.from({ length: 8_000 }, (_, i) => row(i, i % 2 ? `A-${i}` : `B-${i}`, i % 4 === 1));
    writeCsv(join(dir, 'first.csv'), EXPORT_HEADERS, first);
    writeCsv(join(dir, 'second.csv'), EXPORT_HEADERS, second);

    const db = await t.open();
    const reference = await openDatabase(join(dir, 'reference.db'));
    try {
      for (const file of ['first.csv', 'second.csv']) {
        const got = await importFile(db, join(dir, file));
        const expected = await importFile(reference, join(dir, file));
        expect(counts(got)).toEqual(counts(expected));
      }
      const got = await stored(db);
      expect(got).toEqual(await stored(reference));
      expect(got.dossiers.length).toBe(12_000 + 4_000);
      // The values as written in the file, whatever the database: every tricky text came back whole, but for
      // runs of white space, which the parse makes one space (tabs and line breaks reach COPY in
      // test/db/dossier-store.test.ts).
      const asParsed = (text: string) => text.replace(/\s+/g, ' ');
      const procedures = new Set(got.dossiers.map((d) => d.procedure_name));
      for (const tricky of TRICKY) expect(procedures).toContain(`Thủ tục ${asParsed(tricky)}`);
      const a7 = got.dossiers.find((d) => d.code === 'A-7')!;
      expect([a7.procedure_name, a7.field, a7.status]).toEqual(['Thủ tục line break', `Lĩnh vực ${TRICKY[10]}`, 'processing']);
      const a1 = got.dossiers.find((d) => d.code === 'A-1')!;
      expect([a1.procedure_name, a1.field]).toEqual(['Thủ tục back\\slash', 'Lĩnh vực \\.']);
      expect(got.dossiers.find((d) => d.code === 'A-5')!.field).toBe(null);
    } finally {
      await reference.destroy();
    }
  });

  it('a row the database refuses in the middle of a file leaves nothing of that file', async () => {
    const dir = t.tempDir();
    const db = await t.open();
    writeCsv(join(dir, 'before.csv'), EXPORT_HEADERS, [row(0, 'KEEP-1', false), row(1, 'KEEP-2', true)]);
    await importFile(db, join(dir, 'before.csv'));
    const before = await stored(db);
    const batches = await db.selectFrom('import_batches').select('id').execute();

    // The server refuses one row of the second chunk, after a first chunk has gone in (as a full disk or a
    // constraint would): a trigger stands in for it.
    if (t.dialect === 'postgres') {
      await sql`create function refuse_row() returns trigger language plpgsql as $$ begin raise exception 'row refused: %', new.code; end $$`.execute(db);
      await sql`create trigger refuse before insert on dossiers for each row when (new.code = 'X-7000') execute function refuse_row()`.execute(db);
    } else {
      await sql`create trigger refuse before insert on dossiers when new.code = 'X-7000' begin select raise(abort, 'row refused'); end`.execute(db);
    }
    const rows = Array.from({ length: 9_000 }, (_, i) => row(i, `X-${i}`, i % 3 === 0));
    rows.push(row(5, 'KEEP-1', true)); // a stored dossier the file would have updated
    writeCsv(join(dir, 'refused.csv'), EXPORT_HEADERS, rows);
    await expect(importFile(db, join(dir, 'refused.csv'))).rejects.toThrow(/row refused/);

    expect(await stored(db)).toEqual(before);
    expect(await db.selectFrom('import_batches').select('id').execute()).toEqual(batches);
    expect(await db.selectFrom('rejected_rows').select('id').execute()).toEqual([]);
  });
});
