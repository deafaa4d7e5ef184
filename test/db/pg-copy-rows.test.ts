import fc from 'fast-check';
import { sql } from 'kysely';
import { expect, it } from 'vitest';
import { copyRows, someCopyRows, withPgSession } from '../../src/db/pg-copy.ts';
import { describeEachDatabase } from '../helpers/databases.ts';

// COPY data written straight as bytes (src/db/pg-copy.ts, copyRows): whatever a value holds, the server must read
// back the value given, NULL as NULL, and a chosen subset of the rows as those rows alone. The reference is the
// server's own reading of the data, not the encoder.

const NAMES = ['t1', 'n1', 't2', 'n2'];
const INTEGER = [false, true, false, true];

/** Text with what COPY's text format must escape or must not take for NULL or the end of data, among ordinary and Vietnamese text. */
const text = fc.oneof(
  fc.string({ unit: fc.constantFrom('\\', '\t', '\n', '\r', 'N', '.', ',', '"', ' ', 'a', 'ệ', 'Đ', '😀', '\u0007') }),
  fc.string({ unit: 'grapheme' }),
  fc.constantFrom('', '\\N', '\\.', 'NULL', 'null', '\\', 'Đăng ký khai sinh'),
).filter((s) => !s.includes('\0')); // PostgreSQL's text holds no NUL, by any path
const integer = fc.oneof(fc.integer({ min: -5, max: 12 }), fc.integer({ min: -2_147_483_648, max: 2_147_483_647 }));
const row = fc.tuple(fc.option(text), fc.option(integer), fc.option(text), fc.option(integer));

describeEachDatabase('COPY data built as bytes', (t) => {
  it.skipIf(t.dialect !== 'postgres')('the server reads back every value and NULL as given, and a subset of rows as those rows', async () => {
    const db = await t.open();
    await sql`create table copied (i serial, t1 text, n1 integer, t2 text, n2 integer)`.execute(db);
    await fc.assert(
      fc.asyncProperty(fc.array(row, { maxLength: 40 }), fc.func(fc.boolean()), async (rows, keepRow) => {
        const values = rows.flat();
        const built = copyRows(values, 4, rows.length, INTEGER, NAMES);
        const kept = rows.map((_, i) => keepRow(i));
        for (const [data, expected] of [
          [built.data, rows],
          [someCopyRows(built, (i) => kept[i]), rows.filter((_, i) => kept[i])],
        ] as const) {
          await sql`truncate copied restart identity`.execute(db);
          const stored = await withPgSession(db, (session) => session.copyFrom('copy copied (t1, n1, t2, n2) from stdin', data));
          expect(stored).toBe(expected.length);
          const back = await sql<{ t1: string | null; n1: number | null; t2: string | null; n2: number | null }>`select t1, n1, t2, n2 from copied order by i`.execute(db);
          expect(back.rows.map((r) => [r.t1, r.n1, r.t2, r.n2])).toEqual(expected);
        }
      }),
      { numRuns: 150 },
    );
  });

  it('refuses a value that is not an integer in an integer column, naming the column', () => {
    expect(() => copyRows(['a', 1.5, 'b', 2], 4, 1, INTEGER, NAMES)).toThrow(/n1: not an integer: 1.5/);
    expect(() => copyRows(['a', 1, 'b', '2'], 4, 1, INTEGER, NAMES)).toThrow(/n2: not an integer/);
  });

  it('grows its buffer for rows longer than it guessed', () => {
    const long = 'Đ'.repeat(50_000);
    const built = copyRows([long, 1, 'x', null], 4, 1, INTEGER, NAMES);
    expect(built.data.toString('utf8')).toBe(`${long}\t1\tx\t\\N\n`);
    expect([...built.lineEnds]).toEqual([built.data.length]);
  });
});
