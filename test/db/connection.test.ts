import Sqlite from 'better-sqlite3';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { DatabaseError, openDatabase } from '../../src/db/connection.ts';
import { dialectOf } from '../../src/db/dialect.ts';
import { migrations } from '../../schema/index.ts';
import { describeEachDatabase, tempDir } from '../helpers/databases.ts';

describeEachDatabase('database', (t) => {
  it('creates every table on first use and records the migration once', async () => {
    const target = await t.newTarget();
    const db = await t.open(target);
    expect(dialectOf(db)).toBe(t.dialect);
    for (const table of ['units', 'procedures', 'dossiers', 'import_batches', 'rejected_rows', 'dossier_half_months'] as const) {
      const { rows } = await sql<{ n: number }>`select count(*) as n from ${sql.table(table)}`.execute(db);
      expect(Number(rows[0].n)).toBe(0);
    }
    await db.destroy();
    const again = await openDatabase(target);
    const { rows } = await sql<{ n: number }>`select count(*) as n from kysely_migration`.execute(again);
    expect(Number(rows[0].n)).toBe(Object.keys(migrations).length);
    await again.destroy();
  });
});

describe('SQLite journal', () => {
  const modeOf = (path: string) => {
    const sqlite = new Sqlite(path, { readonly: true });
    try {
      return sqlite.pragma('journal_mode', { simple: true });
    } finally {
      sqlite.close();
    }
  };

  it('keeps a new database in rollback-journal mode, and switches one an earlier tthc left in WAL mode', async () => {
    const dir = tempDir();
    const fresh = join(dir, 'fresh.db');
    await (await openDatabase(fresh)).destroy();
    expect(modeOf(fresh)).toBe('delete');

    const old = join(dir, 'old.db');
    const wal = new Sqlite(old);
    wal.pragma('journal_mode = WAL');
    wal.exec('create table t (x)');
    wal.close();
    expect(modeOf(old)).toBe('wal');
    const db = await openDatabase(old);
    await db.selectFrom('dossiers').selectAll().execute();
    await db.destroy();
    expect(modeOf(old)).toBe('delete');
  });

  it('refuses a file that is not a database with a message naming it', async () => {
    const path = join(tempDir(), 'notes.db');
    writeFileSync(path, 'Danh sách hồ sơ tháng 3. '.repeat(200));
    await expect(openDatabase(path)).rejects.toThrow(
      new DatabaseError(`không mở được cơ sở dữ liệu ${path}: tệp này không phải là cơ sở dữ liệu SQLite (hoặc đã hỏng) (file is not a database)`),
    );
  });

  it('opens a WAL database that another connection holds open, and leaves it in WAL mode', async () => {
    const path = join(tempDir(), 'held.db');
    const holder = new Sqlite(path);
    holder.pragma('journal_mode = WAL');
    holder.exec('create table t (x)');
    try {
      const db = await openDatabase(path);
      expect(await db.selectFrom('units').selectAll().execute()).toEqual([]);
      await db.destroy();
      expect(holder.pragma('journal_mode', { simple: true })).toBe('wal');
    } finally {
      holder.close();
    }
  });
});
