import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/db/connection.ts';
import { DEMO_QUERY, runDemo } from '../../src/demo/index.ts';
import { writeReport } from '../../src/report/index.ts';
import { FIGURE_GROUP_LABELS, FIGURE_LABELS } from '../../src/stats/labels.ts';
import { tempDir } from '../helpers/databases.ts';
import { findRow, headerColumns, num, readWorkbook, text } from './fixtures.ts';

// The demo's workbook shows the Hạ Hoà report's published figures in its "Theo năm" sheet (the demo is built
// to reproduce them; see issue 3). One run of the demo is heavy, so this runs on SQLite only.

interface ReferencePeriod {
  level: 'huyen' | 'xa';
  from: string;
  to: string;
  received: { direct: number; online: number; lien_thong: number };
  resolved: { early: number; on_time: number; late: number; rejected: number; total: number };
  published_on_time_rate: number | null;
}
const REFERENCE = JSON.parse(
  readFileSync(resolve(import.meta.dirname, '../../../shared/reference/ha-hoa-2020-2023.json'), 'utf8'),
) as { periods: ReferencePeriod[] };

describe('the demo report', () => {
  it('"Theo năm" shows the Hạ Hoà figures for every year and level', async () => {
    const dir = tempDir();
    const db = await openDatabase(join(dir, 'demo.db'));
    try {
      await runDemo({ db, outDir: join(dir, 'imports') });
      const out = join(dir, 'demo.xlsx');
      await writeReport(db, { query: DEMO_QUERY, out, sheets: ['theo-nam'] });
      const ws = (await readWorkbook(out)).getWorksheet('Theo năm')!;
      const top = findRow(ws, 1, 'Cấp');
      const columns = headerColumns(ws, top, 2);
      const col = (figure: keyof typeof FIGURE_LABELS) => {
        const group = FIGURE_GROUP_LABELS[figure];
        return columns.get(group ? `${group} / ${FIGURE_LABELS[figure]}` : FIGURE_LABELS[figure])!;
      };
      for (const p of REFERENCE.periods) {
        const levelName = p.level === 'huyen' ? 'Cấp huyện' : 'Cấp xã';
        let r = findRow(ws, 1, levelName, top + 1);
        while (!text(ws.getCell(r, 2)).startsWith(p.from.slice(0, 4))) r++;
        const at = (figure: keyof typeof FIGURE_LABELS) => num(ws.getCell(r, col(figure)));
        const where = `${p.level} ${p.from.slice(0, 4)}`;
        expect(at('receivedDirect'), where).toBe(p.received.direct);
        expect(at('receivedOnline'), where).toBe(p.received.online);
        expect(columns.has(`${FIGURE_GROUP_LABELS.receivedLienThong} / ${FIGURE_LABELS.receivedLienThong}`) ? at('receivedLienThong') : 0, where).toBe(
          p.received.lien_thong,
        );
        expect(at('resolvedEarly'), where).toBe(p.resolved.early);
        expect(at('resolvedOnTime'), where).toBe(p.resolved.on_time);
        expect(at('resolvedLate'), where).toBe(p.resolved.late);
        expect(at('resolvedRejected'), where).toBe(p.resolved.rejected);
        expect(at('resolvedTotal'), where).toBe(p.resolved.total);
        if (p.published_on_time_rate !== null) {
          const rate = num(ws.getCell(r, columns.get('Tỷ lệ giải quyết sớm và đúng hạn')!))!;
          expect(Math.round(rate * 1000) / 10, where).toBe(p.published_on_time_rate);
        }
      }
    } finally {
      await db.destroy();
    }
  }, 300_000);
});
