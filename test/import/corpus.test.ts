import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../../src/db/connection.ts';
import type { DialectName } from '../../src/db/dialect.ts';
import { importFile, type FileSummary } from '../../src/import/index.ts';
import { computeStats } from '../../src/stats/compute.ts';
import { COUNT_FIGURES, type CountFigure } from '../../src/stats/types.ts';
import { describeEachDatabase } from '../helpers/databases.ts';

// The export corpus (test/fixtures/exports/README.md): files written by other programs than tthc (openpyxl,
// XlsxWriter, SheetJS, LibreOffice, Gnumeric, Python's csv module), each beside an .expected.json that its make
// script worked out from source.json without tthc. Every file found in the folder is imported into a fresh
// database and what was stored is compared with its expected file: a new file is tested without editing this one.

const CORPUS = fileURLToPath(new URL('../fixtures/exports/', import.meta.url));
/** Not exports: the source data, the make scripts, the README and the expected files. */
const NOT_EXPORTS = /^(source\.json|README\.md|make\/.*|.*\.expected\.json)$/;

interface StoredDossier {
  code: string;
  unit_name: string | null;
  procedure_name: string | null;
  procedure_code: string | null;
  field: string | null;
  channel: string | null;
  received_at: string;
  due_at: string | null;
  ended_at: string | null;
  returned_at: string | null;
  status: string;
}

interface Expected {
  file: string;
  program: string;
  description: string;
  /** Every sheet of a workbook, in order; null for a text file. */
  sheets: Array<{ name: string; hidden: boolean; read: boolean }> | null;
  rowsRead: number;
  dossiers: StoredDossier[];
  rejected: Array<{ sheet: string | null; row: number; code: string; reasonContains: string }>;
  personalColumns: string[];
  personalValues: string[];
  figures: Array<{
    period: { from: string; to: string };
    counts: Record<CountFigure, number>;
    onTimeRate: number | null;
    onlineRate: number | null;
  }>;
}

/** The corpus's files, as paths relative to its folder with '/', in name order. */
function corpusFiles(dir = ''): string[] {
  const files: string[] = [];
  for (const entry of readdirSync(join(CORPUS, dir), { withFileTypes: true })) {
    if (entry.name.startsWith('.')) continue;
    const path = dir ? `${dir}/${entry.name}` : entry.name;
    if (entry.isDirectory()) files.push(...corpusFiles(path));
    else files.push(path);
  }
  return files.sort();
}

const ALL_FILES = corpusFiles();
const EXPORTS = ALL_FILES.filter((path) => !NOT_EXPORTS.test(path));

function expectedOf(file: string): Expected {
  return JSON.parse(readFileSync(join(CORPUS, `${file}.expected.json`), 'utf8')) as Expected;
}

/**
 * The sheets as the import's summary reports them. FileSummary does not report sheets yet: issue 11 asks that
 * it say which sheets were read and which were skipped; this is the one place that knows the shape assumed,
 * `sheets: Array<{ name, read }>` in workbook order, hidden sheets included.
 */
function reportedSheets(summary: FileSummary): Array<{ name: string | null; read: boolean }> {
  return summary.sheets.map((sheet) => ({ name: sheet.name ?? null, read: sheet.read }));
}

const byCode = (a: { code: string }, b: { code: string }) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0);

async function storedDossiers(db: Db): Promise<StoredDossier[]> {
  const rows = await db
    .selectFrom('dossiers as d')
    .innerJoin('units as u', 'u.code', 'd.unit_code')
    .select([
      'd.code', 'u.name as unit_name', 'd.procedure_name', 'd.procedure_code', 'd.field', 'd.channel',
      'd.received_at', 'd.due_at', 'd.ended_at', 'd.returned_at', 'd.status',
    ])
    .execute();
  return (rows as StoredDossier[]).sort(byCode);
}

/** Every text value of every table of the database, with its table. */
async function textValues(db: Db, dialect: DialectName): Promise<Array<{ table: string; value: string }>> {
  const tables =
    dialect === 'sqlite'
      ? await sql<{ name: string }>`select name from sqlite_master where type = 'table'`.execute(db)
      : await sql<{ name: string }>`select table_name as name from information_schema.tables
          where table_schema = current_schema() and table_type = 'BASE TABLE'`.execute(db);
  const values: Array<{ table: string; value: string }> = [];
  for (const { name } of tables.rows) {
    const rows = await sql<Record<string, unknown>>`select * from ${sql.table(name)}`.execute(db);
    for (const row of rows.rows) {
      for (const value of Object.values(row)) if (typeof value === 'string') values.push({ table: name, value });
    }
  }
  return values;
}

/** The personal values of a file in every form they could be stored in, and the canary word they all carry. */
function personalNeedles(expected: Expected): string[] {
  const needles = new Set<string>(['Canary']);
  for (const value of expected.personalValues) {
    needles.add(value.normalize('NFC'));
    needles.add(value.normalize('NFD'));
  }
  return [...needles];
}

describe('the export corpus', () => {
  it('has files, each with its expected file', () => {
    expect(EXPORTS.length).toBeGreaterThan(0);
    expect(EXPORTS.filter((file) => !existsSync(join(CORPUS, `${file}.expected.json`)))).toEqual([]);
    const orphans = ALL_FILES.filter((path) => path.endsWith('.expected.json'))
      .map((path) => path.slice(0, -'.expected.json'.length))
      .filter((file) => !EXPORTS.includes(file));
    expect(orphans).toEqual([]);
  });
});

describeEachDatabase('import of the export corpus', (t) => {
  for (const file of EXPORTS) {
    describe(file, () => {
      const expected = expectedOf(file);
      let target: string;
      let db: Db;
      let summary: FileSummary | undefined;
      let failure: unknown;

      beforeAll(async () => {
        // One database per file, shared by the file's tests (t.open() would close it after the first test).
        target = await t.newTarget();
        db = await openDatabase(target);
        try {
          summary = await importFile(db, join(CORPUS, file));
        } catch (error) {
          failure = error;
        }
      });
      afterAll(async () => {
        await db?.destroy();
      });

      /** The import's summary; a file that could not be imported fails every test with its error. */
      function imported(): FileSummary {
        if (failure !== undefined) throw failure;
        return summary!;
      }

      it('reads every data row and counts what it stored and rejected', () => {
        const s = imported();
        expect({ rowsRead: s.rowsRead, newDossiers: s.newDossiers, rejected: s.rejected, repeated: s.repeatedInFile })
          .toEqual({
            rowsRead: expected.rowsRead,
            newDossiers: expected.dossiers.length,
            rejected: expected.rejected.length,
            repeated: 0,
          });
      });

      it('stores each dossier with the values of the source data', async () => {
        imported();
        expect(await storedDossiers(db)).toEqual([...expected.dossiers].sort(byCode));
      });

      it('rejects the rows that must be rejected, each with its reason', async () => {
        const s = imported();
        const rejects = await db
          .selectFrom('rejected_rows')
          .select(['row_number', 'reasons', 'row_values'])
          .where('batch_id', '=', s.batchId)
          .execute();
        const numbers = (list: Array<{ row: number }>) => list.map((r) => r.row).sort((a, b) => a - b);
        expect(numbers(rejects.map((r) => ({ row: r.row_number })))).toEqual(numbers(expected.rejected));
        for (const want of expected.rejected) {
          // A multi-sheet file can reject the same row number on two sheets: the code tells them apart.
          const found = rejects.find(
            (r) => r.row_number === want.row && Object.values(JSON.parse(r.row_values) as object).includes(want.code),
          );
          expect(found, `row ${want.row} (${want.code}) among the rejected rows`).toBeDefined();
          const reasons = (JSON.parse(found!.reasons) as string[]).join(' | ').normalize('NFC').toLowerCase();
          expect(reasons, `the reasons of row ${want.row}`).toContain(want.reasonContains.normalize('NFC').toLowerCase());
        }
      });

      if (expected.sheets) {
        const sheets = expected.sheets;
        it('reads the visible sheets that have a dossier header and skips the others', () => {
          expect(reportedSheets(imported()), 'FileSummary.sheets').toEqual(
            sheets.map((sheet) => ({ name: sheet.name, read: sheet.read })),
          );
        });
      }

      it('drops the personal columns and keeps no personal value anywhere in the database', async () => {
        const s = imported();
        expect(new Set(s.personalColumnsDropped).size).toBe(expected.personalColumns.length);
        const needles = personalNeedles(expected);
        const leaks = (await textValues(db, t.dialect)).filter(({ value }) =>
          needles.some((needle) => value.toLowerCase().includes(needle.toLowerCase())),
        );
        expect(leaks).toEqual([]);
        if (t.dialect === 'sqlite') {
          // The bytes of the database file and its WAL, free pages included.
          for (const path of [target, `${target}-wal`]) {
            if (!existsSync(path)) continue;
            const bytes = readFileSync(path);
            const found = needles.filter((needle) => bytes.includes(Buffer.from(needle, 'utf8')));
            expect(found, path).toEqual([]);
          }
        }
      });

      it('gives the figures of docs/rules.md that the source data gives', async () => {
        imported();
        for (const want of expected.figures) {
          const rows = await computeStats(db, { period: want.period });
          expect(rows).toHaveLength(1);
          const [row] = rows;
          const counts = Object.fromEntries(COUNT_FIGURES.map((figure) => [figure, row[figure]]));
          expect(counts, `${want.period.from}–${want.period.to}`).toEqual(want.counts);
          for (const rate of ['onTimeRate', 'onlineRate'] as const) {
            if (want[rate] === null) expect(row[rate]).toBeNull();
            else expect(row[rate]).toBeCloseTo(want[rate]!, 12);
          }
        }
      });
    });
  }
});
