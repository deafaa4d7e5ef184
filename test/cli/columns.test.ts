import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/db/connection.ts';
import { tthc } from '../helpers/cli.ts';
import { tempDir } from '../helpers/databases.ts';
import { MAY } from '../stats/data.ts';
import { importRows } from '../stats/fixtures.ts';

// `tthc stats` on a terminal: the table fits its width, and --columns chooses columns. A terminal's width is
// process.stdout.columns, which Node sets only when stdout is a terminal; the tests set it as a terminal would.

const shownWidth = (line: string) => [...line.normalize('NFC')].length;

describe('the terminal table of tthc stats', () => {
  let target: string;
  beforeAll(async () => {
    target = join(tempDir(), 'tthc.db');
    const db = await openDatabase(target);
    await importRows(db, tempDir(), MAY);
    await db.destroy();
  });
  const columns = process.stdout.columns;
  afterEach(() => {
    process.stdout.columns = columns;
  });

  it('on a narrow terminal keeps the group keys and the main figures, and says how to see the rest', async () => {
    process.stdout.columns = 80;
    const r = await tthc('--db', target, 'stats', '--month', '2022-05', '--by', 'level');
    expect(r.code).toBe(0);
    const lines = r.stdout.trimEnd().split('\n');
    const note = lines.pop()!;
    for (const line of lines) expect(shownWidth(line), line).toBeLessThanOrEqual(80);
    const rule = lines.findIndex((l) => l.startsWith('─'));
    const header = lines.slice(0, rule).join(' ');
    // The group key, then received, resolved, the two rates, pending, overdue: 9 + 6 × (9 + 2) = 75 characters;
    // the period's first and last day would take 24 more.
    expect(lines[rule - 1]).toMatch(/^Cấp /);
    for (const word of ['Tổng mới', 'Tổng đã', 'Tỷ lệ sớm', 'trực', 'Tổng đang']) expect(header).toContain(word);
    expect(header).not.toContain('Từ kỳ');
    // District, May 2022 (test/stats/data.ts): 9 received, 1 of them online; 5 resolved, A D J early or on time;
    // 7 pending at the end, C and M overdue. The columns kept stand in their usual order.
    expect(lines[rule + 1].split(/\s{2,}/)).toEqual(['Cấp huyện', '9', '5', '7', '2', '60,0 %', '11,1 %']);
    expect(note).toMatch(/^Ẩn 16 cột cho vừa màn hình 80 ký tự: from, to, receivedDirect, .*\. Chọn cột: --columns level,from,to,receivedDirect; xem đủ: --format csv\.$/);
  });

  it('prints every column when stdout is not a terminal', async () => {
    process.stdout.columns = undefined as unknown as number;
    const r = await tthc('--db', target, 'stats', '--month', '2022-05', '--by', 'level');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Từ kỳ');
    expect(r.stdout).toContain('Tỷ trọng');
    expect(r.stdout).not.toContain('Ẩn ');
  });

  it('--columns chooses the columns and their order, for the table and CSV', async () => {
    process.stdout.columns = 40;
    const table = await tthc('--db', target, 'stats', '--month', '2022-05', '--by', 'level', '--columns', 'level,pendingOverdue,carriedOver');
    expect(table.code).toBe(0);
    const lines = table.stdout.trimEnd().split('\n');
    // Overdue at the end of May: C and M; carried over into May: A, D, L, M.
    expect(lines.at(-2)!.split(/\s{2,}/)).toEqual(['Cấp huyện', '2', '4']);
    expect(lines.at(-1)!.split(/\s{2,}/)).toEqual(['Cấp xã', '0', '0']);
    const csv = await tthc('--db', target, 'stats', '--month', '2022-05', '--by', 'level', '--format', 'csv', '--columns', 'level,receivedTotal,onlineShare');
    expect(csv.stdout.startsWith('\uFEFF')).toBe(true); // for Excel on Windows
    expect(csv.stdout.slice(1).split('\n').slice(0, 3)).toEqual(['level,receivedTotal,onlineShare', 'huyen,9,0.1111111111111111', 'xa,2,0.5']);
  });

  it('an unknown column, a column of another grouping, or --columns with JSON is an error', async () => {
    const typo = await tthc('--db', target, 'stats', '--month', '2022-05', '--columns', 'recievedTotal');
    expect(typo.code).toBe(1);
    expect(typo.stderr).toBe('tthc: --columns: không có cột "recievedTotal" (gần nhất: receivedTotal, resolvedTotal, receivedPostal; các cột: tên trong --format json)\n');
    const unit = await tthc('--db', target, 'stats', '--month', '2022-05', '--by', 'level', '--columns', 'unitName');
    expect(unit.stderr).toBe('tthc: --columns: cột "unitName" chỉ có khi nhóm theo unit (--by unit)\n');
    const json = await tthc('--db', target, 'stats', '--month', '2022-05', '--format', 'json', '--columns', 'receivedTotal');
    expect(json.code).toBe(1);
    expect(json.stderr).toBe('tthc: --columns chỉ dùng với --format table hoặc csv (JSON có đủ các cột)\n');
  });
});
