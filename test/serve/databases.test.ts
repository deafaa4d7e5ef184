import { expect, it } from 'vitest';
import { describeEachDatabase } from '../helpers/databases.ts';
import { COMMUNE, exportCsv } from '../stats/fixtures.ts';
import { countLinks, listedCount, serveDatabase, tinyDatabase, TINY_2023 } from './fixtures.ts';

// The server on each database tthc runs on: SQLite (pages on a reader of their own, imports in a worker) and
// PostgreSQL (the pool's connections). The same figures, the same lists, the same import.

describeEachDatabase('tthc serve', (t) => {
  it('answers the hand-counted figures, links each to its list, and imports an upload', async () => {
    const server = await serveDatabase(await tinyDatabase(t.tempDir(), await t.newTarget()));
    try {
      const [row] = (await (await fetch(`${server.url}/api/stats?year=2023`)).json()) as Array<Record<string, unknown>>;
      expect(row).toMatchObject(TINY_2023);
      const links = countLinks(await (await fetch(`${server.url}/?year=2023`)).text());
      for (const link of links.filter((l) => l.value > 0).slice(0, 12)) {
        expect(listedCount(await (await fetch(`${server.url}${link.href}`)).text()), link.href).toBe(link.value);
      }
      const upload = await fetch(`${server.url}/api/import?name=thang-2.csv`, {
        method: 'POST',
        body: exportCsv([{ code: 'P1', unit: COMMUNE, received: '10/02/2023 08:00' }]),
        headers: { 'x-csrf-token': server.token },
      });
      expect(((await upload.json()) as { line: string }).line).toMatch(/^thang-2\.csv \[lô \d+\]: 1 dòng; 1 hồ sơ mới/);
      const [after] = (await (await fetch(`${server.url}/api/stats?year=2023`)).json()) as Array<{ receivedTotal: number }>;
      expect(after.receivedTotal).toBe(TINY_2023.receivedTotal + 1);
    } finally {
      await server.stop();
    }
  });
});
