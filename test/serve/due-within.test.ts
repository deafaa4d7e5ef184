import { afterAll, beforeAll, expect, it } from 'vitest';
import { openDatabase } from '../../src/db/connection.ts';
import { tempDir } from '../helpers/databases.ts';
import { importRows } from '../stats/fixtures.ts';
import { COMMUNE, type ExportRow } from '../stats/fixtures.ts';
import { serveDatabase, type TestServer } from './fixtures.ts';

// The Hồ sơ page's "Sắp đến hạn" list (`/ho-so?due-within=2&as-of=…`), on the eve of Tết 2024 (days off 08/02 to
// 14/02): due 07/02 to 16/02 listed (D1, D3, D12), D5 (due 19/02) not, D6 overdue counted and listed on request.

const ROWS: ExportRow[] = [
  { code: 'D1', received: '01/02/2024 08:00', due: '07/02/2024 17:00' },
  { code: 'D3', received: '01/02/2024 08:00', due: '15/02/2024 17:00' },
  { code: 'D5', received: '01/02/2024 08:00', due: '19/02/2024 17:00' },
  { code: 'D6', received: '01/02/2024 08:00', due: '06/02/2024 17:00' },
  { code: 'D12', unit: COMMUNE, received: '01/02/2024 08:00', due: '15/02/2024 08:00' },
];

let server: TestServer;
beforeAll(async () => {
  const dir = tempDir('tthc-serve-due-');
  const target = `${dir}/tthc.db`;
  const db = await openDatabase(target);
  try {
    await importRows(db, dir, ROWS);
  } finally {
    await db.destroy();
  }
  server = await serveDatabase(target);
});
afterAll(async () => {
  await server?.stop();
});

const page = async (path: string) => {
  const response = await fetch(`${server.url}${path}`);
  expect(response.status, path).toBe(200);
  return response.text();
};
const codes = (html: string) => [...html.matchAll(/<tr><td class="n">\d+<\/td><td>([^<]+)<\/td>/g)].map((m) => m[1]);

it('lists the dossiers due within 2 working days, counts the overdue ones, and is linked from the Hồ sơ page', async () => {
  const list = await page('/ho-so?due-within=2&as-of=2024-02-07');
  expect(codes(list)).toEqual(['D1', 'D12', 'D3']);
  expect(list).toContain('data-count="3"');
  expect(list).toContain('1 hồ sơ đã quá hạn vào 07/02/2024');
  expect(list).toContain('đến 16/02/2024');
  const all = await page('/ho-so?due-within=2&as-of=2024-02-07&include-overdue=1');
  expect(codes(all)).toEqual(['D6', 'D1', 'D12', 'D3']);
  const commune = await page(`/ho-so?due-within=2&as-of=2024-02-07&unit=${encodeURIComponent(COMMUNE)}`);
  expect(codes(commune)).toEqual(['D12']);
  expect(await page('/ho-so')).toContain('href="/ho-so?due-within=2"');
  expect(await page('/ho-so?due-within=hai')).toContain('due-within phải là một số ngày làm việc');
});
