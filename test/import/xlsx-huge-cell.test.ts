import { spawnSync } from 'node:child_process';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { MAX_CELL_CHARS } from '../../src/import/readers/xlsx-xml.ts';
import { workbookParts, writeWorkbook } from './xlsx-parts.ts';

// A cell of many megabytes (a hand-made or damaged workbook: Excel stops at 32,767 characters) is read in
// bounded memory and linear time, its text cut at MAX_CELL_CHARS. Each workbook is read in a child process of its
// own, whose peak RSS (the kernel's) is the reader's alone.

const READERS = pathToFileURL(fileURLToPath(new URL('../../src/import/readers/index.ts', import.meta.url))).href;
const HUGE_BYTES = 48 * 1024 * 1024;

/** What a child process read: each row's cells (long texts as their length and ends), its peak RSS and CPU time. */
interface ChildRead {
  rows: Array<{ rowNumber: number; cells: unknown[] }>;
  peakMB: number;
  cpuSeconds: number;
}

function readInChild(path: string): ChildRead {
  const script = `
    const { readRawRows } = await import(${JSON.stringify(READERS)});
    const cpu = process.cpuUsage();
    const rows = [];
    for await (const row of readRawRows(${JSON.stringify(path)})) {
      rows.push({ rowNumber: row.rowNumber, cells: row.cells.map((cell) =>
        typeof cell === 'string' && cell.length > 100 ? { length: cell.length, head: cell.slice(0, 40), tail: cell.slice(-40) } : cell) });
    }
    const used = process.cpuUsage(cpu);
    console.log(JSON.stringify({ rows, peakMB: process.resourceUsage().maxRSS / 1024, cpuSeconds: (used.user + used.system) / 1e6 }));
  `;
  const child = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { encoding: 'utf8', timeout: 120_000 });
  if (child.status !== 0) throw new Error(`child failed (${child.status ?? child.signal}): ${child.stderr}`);
  return JSON.parse(child.stdout.trim().split('\n').pop()!) as ChildRead;
}

/** A text of `bytes` bytes of XML: Vietnamese words with an entity, and what it decodes to. */
function hugeText(bytes: number): { xml: string; text: string } {
  const unit = 'Đơn vị &amp; hành chính công ';
  const count = Math.ceil(bytes / Buffer.byteLength(unit));
  const decoded = unit.replace('&amp;', '&');
  return { xml: unit.repeat(count), text: decoded.repeat(Math.ceil((MAX_CELL_CHARS + 100) / decoded.length)) };
}

/** How a cut huge text shows in a child's result. */
function cut(text: string) {
  const kept = text.slice(0, MAX_CELL_CHARS);
  return { length: kept.length, head: kept.slice(0, 40), tail: kept.slice(-40) };
}

describe('a cell of many megabytes', () => {
  const { xml, text } = hugeText(HUGE_BYTES);
  let baseline: ChildRead;

  it('reads a small workbook (the baseline)', () => {
    baseline = readInChild(writeWorkbook(workbookParts({ sheets: ['<row r="1"><c><v>1</v></c><c t="inlineStr"><is><t>nhỏ</t></is></c></row>'] })));
    expect(baseline.rows).toEqual([{ rowNumber: 1, cells: [1, 'nhỏ'] }]);
  });

  for (const kind of ['inline string', 'shared string', '<v> of a text formula'] as const) {
    it(`is cut at ${MAX_CELL_CHARS} characters, in bounded memory: a ${HUGE_BYTES / 1024 / 1024} MB ${kind}`, () => {
      let sheet: string;
      let sharedStrings: string | undefined;
      if (kind === 'inline string') {
        sheet = `<row r="1"><c><v>1</v></c><c t="inlineStr"><is><t>${xml}</t></is></c><c t="inlineStr"><is><t>sau</t></is></c></row>`;
      } else if (kind === 'shared string') {
        sharedStrings = `<si><t>đầu</t></si><si><t>${xml}</t></si><si><t>cuối</t></si>`;
        sheet = '<row r="1"><c><v>1</v></c><c t="s"><v>1</v></c><c t="s"><v>2</v></c></row>';
      } else {
        sheet = `<row r="1"><c><v>1</v></c><c t="str"><f>A1</f><v>${xml}</v></c><c t="inlineStr"><is><t>sau</t></is></c></row>`;
      }
      sheet += '<row r="2"><c t="inlineStr"><is><t>dòng 2</t></is></c></row>';
      const read = readInChild(writeWorkbook(workbookParts({ sheets: [sheet], sharedStrings })));
      expect(read.rows).toEqual([
        { rowNumber: 1, cells: [1, cut(text), kind === 'shared string' ? 'cuối' : 'sau'] },
        { rowNumber: 2, cells: ['dòng 2'] },
      ]);
      // Measured: about 30 MB above the baseline and 0.2 CPU s; holding the cell whole (its bytes, copies of them
      // while the row grew, then a UTF-16 string) took 470-500 MB and 1.5-2.7 CPU s.
      expect(read.peakMB - baseline.peakMB, `peak ${read.peakMB} MB, baseline ${baseline.peakMB} MB`).toBeLessThan(64);
      expect(read.cpuSeconds, 'CPU seconds').toBeLessThan(3);
    });
  }
});
