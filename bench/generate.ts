import { ensureExport } from './lib/export-files.ts';
import { benchSeed, importRows } from './lib/options.ts';

// Writes the import benchmark's export files ahead of time (they are cached under bench/out/).
const rows = importRows();
const seed = benchSeed();
for (const kind of ['csv', 'xlsx'] as const) {
  const { path, cached } = await ensureExport(kind, rows, seed);
  if (cached) console.log(`${path} (cached)`);
}
