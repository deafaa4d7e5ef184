import { afterAll, beforeAll, expect, it } from 'vitest';
import { tempDir } from '../helpers/databases.ts';
import { COMMUNE, exportCsv, type ExportRow } from '../stats/fixtures.ts';
import { serveDatabase, tinyDatabase, TINY_2023, type TestServer } from './fixtures.ts';

// The page stays usable during an import: while a large file's transaction runs (in the server's import worker),
// requests answer at once with the figures from before that file.

let server: TestServer;

beforeAll(async () => {
  server = await serveDatabase(await tinyDatabase(tempDir('tthc-serve-during-')));
});
afterAll(async () => {
  await server?.stop();
});

it('answers with the figures before the file while the file is imported', async () => {
  const rows: ExportRow[] = Array.from({ length: 50_000 }, (_, i) => ({
    code: `L${i}`, unit: COMMUNE, channel: 'Trực tuyến', received: `${String(1 + (i % 28)).padStart(2, '0')}/02/2023 08:00`,
  }));
  let finished = false;
  const upload = fetch(`${server.url}/api/import?name=lon.csv`, {
    method: 'POST',
    body: exportCsv(rows),
    headers: { 'x-csrf-token': server.token },
  }).then(async (response) => {
    finished = true;
    return { status: response.status, body: (await response.json()) as { line: string } };
  });

  const answers: Array<{ ms: number; receivedTotal: number }> = [];
  while (!finished) {
    const started = performance.now();
    const [row] = (await (await fetch(`${server.url}/api/stats?year=2023`)).json()) as Array<{ receivedTotal: number }>;
    if (!finished) answers.push({ ms: performance.now() - started, receivedTotal: row.receivedTotal });
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  const result = await upload;
  expect(result.status).toBe(200);
  expect(result.body.line).toMatch(/^lon\.csv \[lô \d+\]: 50\.000 dòng; 50\.000 hồ sơ mới/);
  // Each request answered within a second, with the figures before the file until its commit (the last few
  // may come between the commit and the upload's answer); several came while the file was being imported.
  for (const a of answers) expect(a.ms).toBeLessThan(1000);
  const totals = answers.map((a) => a.receivedTotal);
  const before = totals.filter((n) => n === TINY_2023.receivedTotal).length;
  expect(before).toBeGreaterThan(2);
  expect(totals.slice(before).every((n) => n === TINY_2023.receivedTotal + 50_000)).toBe(true);
  const [after] = (await (await fetch(`${server.url}/api/stats?year=2023`)).json()) as Array<{ receivedTotal: number }>;
  expect(after.receivedTotal).toBe(TINY_2023.receivedTotal + 50_000);
});
