import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, afterEach, describe, inject } from 'vitest';
import { openDatabase, type Db } from '../../src/db/connection.ts';
import type { DialectName } from '../../src/db/dialect.ts';

// One helper opens every test database, so each test that touches a database runs on SQLite and on PostgreSQL
// (the shape of kysely's own test suite: for each dialect, describe …).

export interface TestDatabases {
  dialect: DialectName;
  /** A fresh, empty database: a new SQLite file in a temp folder, or a new PostgreSQL database. */
  newTarget(): Promise<string>;
  /** newTarget(), opened and migrated; closed after the test. */
  open(target?: string): Promise<Db>;
  /** A temp folder for the test's files, removed after the file's tests. */
  tempDir(): string;
}

const pgAdminUrl = inject('pgAdminUrl');
export const DIALECTS: DialectName[] = ['sqlite', 'postgres'];

let counter = 0;
async function createPgDatabase(): Promise<string> {
  const name = `tthc_test_${process.pid}_${Date.now()}_${counter++}`;
  const client = new pg.Client({ connectionString: pgAdminUrl! });
  await client.connect();
  try {
    await client.query(`create database ${name}`);
  } finally {
    await client.end();
  }
  const url = new URL(pgAdminUrl!);
  url.pathname = `/${name}`;
  return url.toString();
}

export function tempDir(prefix = 'tthc-test-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  dirs.push(dir);
  return dir;
}
const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** describe(name) once per database; the PostgreSQL one is skipped when the setup found no server. */
export function describeEachDatabase(name: string, body: (t: TestDatabases) => void): void {
  for (const dialect of DIALECTS) {
    const skip = dialect === 'postgres' && !pgAdminUrl;
    describe.skipIf(skip)(`${name} [${dialect}]`, () => {
      const opened: Db[] = [];
      afterEach(async () => {
        for (const db of opened.splice(0)) await db.destroy();
      });
      const t: TestDatabases = {
        dialect,
        async newTarget() {
          return dialect === 'postgres' ? createPgDatabase() : join(tempDir(), 'tthc.db');
        },
        async open(target) {
          const db = await openDatabase(target ?? (await t.newTarget()));
          opened.push(db);
          return db;
        },
        tempDir: () => tempDir(),
      };
      body(t);
    });
  }
}
