import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../helpers/databases.ts';
import { COMMUNE, exportCsv } from '../stats/fixtures.ts';
import { serveDatabase, tinyDatabase, TINY_2023, type TestServer } from './fixtures.ts';
import { haveTools } from '../helpers/tools.ts';

// The pages in a real browser (Debian's chromium through playwright-core): read a figure, click it, count the
// dossiers listed; upload an export through the page and read its summary; download the report.

const CHROMIUM = '/usr/bin/chromium';
const ARGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
  '--disable-component-update', '--disable-sync',
];
const hasChromium = existsSync(CHROMIUM) || haveTools('tthc serve in Chromium', [CHROMIUM]);

describe.skipIf(!hasChromium)(`tthc serve in Chromium${hasChromium ? '' : ` (skipped: ${CHROMIUM} is absent)`}`, () => {
  let server: TestServer;
  let context: BrowserContext;
  let page: Page;
  let profile: string;
  let dir: string;

  beforeAll(async () => {
    dir = tempDir('tthc-serve-browser-');
    server = await serveDatabase(await tinyDatabase(dir));
    const { chromium } = await import('playwright-core');
    profile = mkdtempSync(join(tmpdir(), 'tthc-chromium-'));
    context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      args: ARGS,
      headless: true,
      acceptDownloads: true,
      viewport: { width: 1400, height: 900 },
    });
    page = context.pages()[0] ?? (await context.newPage());
    page.on('pageerror', (error) => {
      throw error;
    });
  });
  afterAll(async () => {
    await context?.close();
    await server?.stop();
    if (profile) rmSync(profile, { recursive: true, force: true });
  });

  it('shows the figures, and a click on one lists exactly that many dossiers', async () => {
    await page.goto(`${server.url}/?year=2023`);
    const received = page.locator('.cards a.num[data-figure="receivedTotal"]');
    expect(await received.textContent()).toBe(String(TINY_2023.receivedTotal));
    expect(await page.locator('.cards a.num[data-figure="pendingOverdue"]').textContent()).toBe(String(TINY_2023.pendingOverdue));
    // A figure of the table by level and month: the commune's received in January.
    const cell = page.locator('#theo-cap tbody tr', { hasText: '01/2023' }).filter({ hasText: 'Cấp xã' }).locator('a.num[data-figure="receivedTotal"]');
    const shown = Number(await cell.textContent());
    await cell.click();
    await page.waitForURL(/\/ho-so\?/);
    expect(Number(await page.locator('#so-ho-so').getAttribute('data-count'))).toBe(shown);
    expect(await page.locator('#danh-sach tbody tr').count()).toBe(shown);
    expect(shown).toBe(1); // A6 (A5 was received in 2022)
  });

  it('the period picker shows only the chosen kind and the query follows it', async () => {
    await page.goto(`${server.url}/`);
    await page.selectOption('select[name="ky"]', 'month');
    expect(await page.locator('input[name="year"]').isVisible()).toBe(false);
    await page.fill('input[name="month"]', '2023-02');
    await page.click('form.query button[type="submit"]');
    await page.waitForURL(/month=2023-02/);
    expect(page.url()).not.toMatch(/year=/);
    // February: A3 and A7 received.
    expect(await page.locator('.cards a.num[data-figure="receivedTotal"]').textContent()).toBe('2');
  });

  it('imports an uploaded export through the page and shows its summary', async () => {
    await page.goto(`${server.url}/nhap-du-lieu`);
    const file = join(dir, 'thang-4.csv');
    writeFileSync(file, exportCsv([
      { code: 'D1', unit: COMMUNE, received: '03/04/2023 08:00', due: '05/04/2023 17:00', ended: '04/04/2023 09:00' },
      { code: 'D2', unit: COMMUNE, received: '04/04/2023 08:00' },
      { code: 'D3', unit: COMMUNE, received: 'không phải ngày' },
    ]));
    await page.setInputFiles('input[name="files"]', file);
    await page.click('form.upload button[type="submit"]');
    await page.waitForSelector('[data-progress][data-done="1"]');
    const line = await page.locator('[data-progress] li').first().textContent();
    expect(line).toMatch(/^thang-4\.csv \[lô \d+\]: 3 dòng; 2 hồ sơ mới; 0 cập nhật; 0 không đổi; 1 dòng bị từ chối/);
    // The history shows the batch, and its rejected row downloads as a workbook.
    await page.waitForSelector('#lo-nhap td:text("thang-4.csv")');
    const download = page.waitForEvent('download');
    await page.locator('[data-progress] li a[href$=".xlsx"]').click();
    const rejects = await download;
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.readFile((await rejects.path())!);
    expect(workbook.worksheets[0].rowCount).toBe(2);
    // And viewable on the page, with its reason.
    await page.locator('[data-progress] li a', { hasText: 'Xem các dòng bị từ chối' }).click();
    await page.waitForSelector('#dong-tu-choi');
    const rejected = page.locator('#dong-tu-choi tbody tr');
    expect(await rejected.count()).toBe(1);
    expect(await rejected.first().textContent()).toContain('D3');
    // The dashboard now counts the new dossiers.
    await page.goto(`${server.url}/?month=2023-04`);
    expect(await page.locator('.cards a.num[data-figure="receivedTotal"]').textContent()).toBe('2');
  });

  it('downloads the report as a valid workbook', async () => {
    await page.goto(`${server.url}/bao-cao?year=2023`);
    expect(await page.locator('#thuyet-minh p').count()).toBeGreaterThan(0);
    const download = page.waitForEvent('download');
    await page.click('#tai-bao-cao');
    const file = await download;
    expect(file.suggestedFilename()).toMatch(/^bao-cao-2023-01-01-.*\.xlsx$/);
    const bytes = readFileSync((await file.path())!);
    expect(bytes.subarray(0, 2).toString()).toBe('PK');
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(bytes as any);
    expect(workbook.worksheets.map((s) => s.name)).toContain('Biểu 06');
  });
});
