import { COUNT_FIGURES } from '../../stats/types.ts';
import type { Column, Line } from '../excel/table.ts';
import { wrappedHeight } from '../excel/style.ts';
import { levelLabel } from '../labels.ts';
import { reportParagraphs, type Paragraph } from '../text.ts';
import { writeEmptySheet, writeTableSheet, type SheetWriter } from './common.ts';

const TEXT_WIDTH = 110;

export const thuyetMinh: SheetWriter = {
  slug: 'thuyet-minh',
  name: 'Thuyết minh',
  async write(ctx) {
    const title = 'THUYẾT MINH KẾT QUẢ TIẾP NHẬN, GIẢI QUYẾT HỒ SƠ THỦ TỤC HÀNH CHÍNH';
    const paragraphs = await reportParagraphs(ctx.data);
    if (!paragraphs.length) {
      writeEmptySheet(ctx, this.name, title, 'Không có hồ sơ trong kỳ.');
      return;
    }
    const columns: Column<Paragraph>[] = [
      { key: 'level', header: ['Cấp'], kind: 'text', minWidth: 12 },
      { key: 'period', header: ['Kỳ'], kind: 'text', minWidth: 10, maxWidth: 20 },
      { key: 'text', header: ['Nội dung (dán vào báo cáo)'], kind: 'text', minWidth: TEXT_WIDTH, maxWidth: TEXT_WIDTH },
    ];
    const lines: Line<Paragraph>[] = paragraphs.map((p) => ({
      kind: 'data',
      labels: { level: levelLabel(p.level), period: p.period, text: p.text },
    }));
    const notes = await ctx.data.warningNotes(COUNT_FIGURES);
    const { ws, layout, print } = writeTableSheet(ctx, this.name, { title, columns, lines, frozenColumns: 0, notes });
    paragraphs.forEach((p, i) => {
      ws.getRow(layout.firstLineRow + i).height = wrappedHeight(p.text, TEXT_WIDTH);
      ws.getCell(layout.firstLineRow + i, 3).alignment = { wrapText: true, vertical: 'top', horizontal: 'justify' };
    });
    print();
  },
};
