import Sqlite from 'better-sqlite3';
import { closeSync, existsSync, openSync, readdirSync, readSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import type { Db } from '../db/connection.ts';
import { isPostgresUrl, redact } from '../db/connection.ts';
import { formatCount } from '../domain/numbers.ts';

// What a reading command says on a database with nothing to read: a user who ran `tthc demo` and then the
// README's `tthc stats` (on ./tthc.db), or who mistyped --db, learns it in one line, with the databases beside
// it and how to import, instead of an empty table and exit code 0.

/** What a reading command needs: dossiers (stats, dossiers, report) or anything imported (lists). */
export type Needs = 'dossiers' | 'anything';

/** Whether a SQLite target names a file that does not exist (a reading command must not create it). */
export function isMissingFile(target: string): boolean {
  if (isPostgresUrl(target) || target === '' || target === ':memory:' || target.startsWith('file:')) return false;
  return !existsSync(target);
}

/** Why the database cannot answer a reading command, or undefined when it can. */
export async function emptiness(db: Db, needs: Needs): Promise<'empty' | 'no-dossiers' | undefined> {
  const any = async (table: 'dossiers' | 'import_batches' | 'units' | 'procedures') =>
    (await db.selectFrom(table).select((eb) => eb.lit(1).as('one')).limit(1).execute()).length > 0;
  if (needs === 'dossiers' && (await any('dossiers'))) return undefined;
  const anything = (await any('import_batches')) || (await any('units')) || (await any('procedures'));
  if (needs === 'anything') return anything ? undefined : 'empty';
  return anything ? 'no-dossiers' : 'empty';
}

/**
 * The message for a missing or empty database: what is wrong in the first line, then the tthc databases in
 * the current folder (and the target's) with their dossier counts, and how to import.
 */
export function firstStepsMessage(target: string, why: 'missing' | 'empty' | 'no-dossiers', command: string): string {
  const shown = redact(target);
  const lines = [
    why === 'missing'
      ? `chưa có cơ sở dữ liệu ${shown} (tệp không tồn tại; lệnh ${command} chỉ đọc nên không tạo tệp)`
      : why === 'empty'
        ? `cơ sở dữ liệu ${shown} chưa có dữ liệu nào`
        : `cơ sở dữ liệu ${shown} chưa có hồ sơ nào (mới có danh mục đơn vị hoặc thủ tục)`,
  ];
  const nearby = nearbyDatabases(target);
  if (nearby.length) {
    const list = nearby.map((d) => (d.dossiers === undefined ? d.path : `${d.path} (${formatCount(d.dossiers)} hồ sơ)`));
    const example = nearby.find((d) => d.dossiers) ?? nearby[0];
    lines.push(`  Cơ sở dữ liệu ở gần: ${list.join(', ')}; chọn bằng --db, ví dụ: tthc --db ${quote(example.path)} ${command} …`);
  }
  lines.push('  Nhập dữ liệu: tthc import THƯ-MỤC (các tệp .xlsx/.csv xuất từ hệ thống một cửa); dữ liệu mẫu: tthc demo');
  return lines.join('\n');
}

interface NearbyDatabase {
  path: string;
  /** Undefined when it could not be counted at once (locked by an import, say). */
  dossiers?: number;
}

/** tthc's SQLite databases (*.db) in the current folder and in the target's folder, other than the target. */
export function nearbyDatabases(target: string): NearbyDatabase[] {
  const folders = [process.cwd()];
  if (!isPostgresUrl(target) && target !== '') folders.push(resolve(dirname(target)));
  const self = isPostgresUrl(target) || target === '' ? undefined : resolve(target);
  const found: NearbyDatabase[] = [];
  for (const folder of new Set(folders)) {
    let names: string[];
    try {
      names = readdirSync(folder).filter((n) => /\.db$/i.test(n)).sort();
    } catch {
      continue;
    }
    for (const name of names) {
      const path = join(folder, name);
      if (path === self) continue;
      const probe = probeDatabase(path);
      if (probe) found.push({ path: shownPath(path), ...probe });
    }
  }
  return found;
}

function shownPath(path: string): string {
  const rel = relative(process.cwd(), path);
  return rel.startsWith('..') || rel === '' ? path : `.${sep}${rel}`;
}

const quote = (path: string) => (/^[\w./\\:-]+$/.test(path) ? path : `"${path}"`);

const SQLITE_HEADER = 'SQLite format 3\0';

/**
 * Whether a file is a tthc database, and how many dossiers it holds: read-only, without waiting for a lock, from
 * the summary by half-month (its received counts add up to the dossiers, src/stats/summary.ts), so even a
 * database of millions answers at once. Undefined for a file that is not a tthc database.
 */
function probeDatabase(path: string): { dossiers?: number } | undefined {
  try {
    if (!statSync(path).isFile()) return undefined;
    const head = Buffer.alloc(16);
    const fd = openSync(path, 'r');
    try {
      readSync(fd, head, 0, 16, 0);
    } finally {
      closeSync(fd);
    }
    if (head.toString('latin1') !== SQLITE_HEADER) return undefined;
  } catch {
    return undefined;
  }
  let sqlite: Sqlite.Database | undefined;
  try {
    sqlite = new Sqlite(path, { readonly: true, fileMustExist: true, timeout: 0 });
    const tables = new Set(
      (sqlite.prepare("select name from sqlite_master where type = 'table'").all() as Array<{ name: string }>).map((t) => t.name),
    );
    if (!tables.has('dossiers') || !tables.has('import_batches')) return undefined;
    if (!tables.has('dossier_half_months')) return {};
    const row = sqlite.prepare('select coalesce(sum(received), 0) as n from dossier_half_months').get() as { n: number };
    return { dossiers: Number(row.n) };
  } catch {
    // A database locked by an import, or damaged: listed without a count.
    return {};
  } finally {
    sqlite?.close();
  }
}
