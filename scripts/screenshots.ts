// Writes the README's pictures of the web page (docs/serve-*.png) from the demo database, in Debian's Chromium
// through playwright-core: `npm run docs:screenshots` (CHROMIUM=/path to use another build). Each page is shown
// as an office would open it; the pictures change when the pages or the demo do, so they are made again by hand,
// not by the tests.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase } from '../src/db/connection.ts';
import { runDemo } from '../src/demo/index.ts';
import { startServer } from '../src/serve/index.ts';
import { dataSpan } from '../src/stats/coverage.ts';

const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';
const root = join(import.meta.dirname, '..');
const work = mkdtempSync(join(tmpdir(), 'tthc-screenshots-'));
const target = join(work, 'tthc-demo.db');

const PAGES = [
  { file: 'serve-tong-quan.png', path: '/?years=2020-2023&exclude-field=B%E1%BA%A3o+hi%E1%BB%83m+x%C3%A3+h%E1%BB%99i', fullPage: true },
  { file: 'serve-ho-so.png', path: '/ho-so?year=2022&level=huyen&figure=resolvedLate', fullPage: false },
  // The office's list on the data's last day (set below).
  { file: 'serve-sap-den-han.png', path: '/ho-so?due-within=3&as-of=', fullPage: false },
  { file: 'serve-nhap-du-lieu.png', path: '/nhap-du-lieu', fullPage: false },
  { file: 'serve-bao-cao.png', path: '/bao-cao?year=2022', fullPage: false },
  { file: 'serve-kiem-tra.png', path: '/kiem-tra', fullPage: false },
];

const db = await openDatabase(target);
try {
  process.stderr.write('building the demo database…\n');
  await runDemo({ db, outDir: work });
  const last = (await dataSpan(db))?.last.slice(0, 10) ?? '';
  for (const shot of PAGES) if (shot.path.endsWith('as-of=')) shot.path += last;
  const server = await startServer({ db, target, dbLabel: './tthc-demo.db', port: 0 });
  const { chromium } = await import('playwright-core');
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-gpu'], headless: true });
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    for (const shot of PAGES) {
      await page.goto(server.url + shot.path, { waitUntil: 'networkidle' });
      await page.screenshot({ path: join(root, 'docs', shot.file), fullPage: shot.fullPage });
      process.stderr.write(`docs/${shot.file}\n`);
    }
  } finally {
    await browser.close();
    await server.close();
  }
} finally {
  await db.destroy();
  rmSync(work, { recursive: true, force: true });
}
