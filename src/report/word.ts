import type * as Docx from 'docx';
import { LEVELS } from '../domain/levels.ts';
import { formatCount, formatDecimal, formatPercent } from '../domain/numbers.ts';
import { computeStats } from '../stats/compute.ts';
import { FIGURE_LABELS } from '../stats/labels.ts';
import { PROGRESS_POINTS_766 } from '../stats/rates.ts';
import { COUNT_FIGURES, type GroupKey, type StatsQuery, type StatsRow } from '../stats/types.ts';
import { CHART_HEIGHT, CHART_WIDTH } from './charts.ts';
import type { ReportData } from './data.ts';
import { headerCells, type Column, type Line } from './excel/table.ts';
import { levelLabel, periodLabel, reportingPeriodName, viDate, yearLabel } from './labels.ts';
import { BLANK, type Letterhead } from './letterhead.ts';
import { BIEU_06_COLUMNS, bieu06Lines } from './sheets/bieu-06.ts';
import { renderReportCharts } from './sheets/bieu-do.ts';
import { flowColumns } from './sheets/flow-columns.ts';
import { unitTable } from './sheets/theo-don-vi.ts';
import { byLevelThenPeriod } from './sheets/theo-nam.ts';
import { reportParagraphs } from './text.ts';

// The statistics section of a report in the form of Nghị định 30/2020/NĐ-CP (Phụ lục I, "Báo cáo"): A4, Times
// New Roman, margins top and bottom 20 mm, left 30 mm, right 15 mm; the header block as a borderless table of
// two columns (issuer under its superior, "Số: …" | quốc hiệu, tiêu ngữ, place and date in italics); the title;
// for each level the paragraphs of the Hạ Hoà report (text.ts, the sentences `tthc report --text` prints) and
// the yearly table; the units; the charts; the signature block with "Nơi nhận"; Biểu 06 as an annex in a
// landscape section. Page numbers stand centred in the header from the second page, as the decree asks.
// The docx package is loaded here only, when a Word report is asked.

/** Body text size (points). NĐ 30 asks 13–14 pt. */
const BODY_PT = 14;
const TABLE_PT = 11;
/** Tables of many columns (the yearly table, Biểu 06) at a size that still reads on paper. */
const WIDE_TABLE_PT = 10;
const FONT = 'Times New Roman';

const MM = 56.692; // twips per millimetre
const A4 = { width: 11906, height: 16838 }; // twips, as Word sizes A4
/** Margins (mm): the middle of each range NĐ 30 allows would waste nothing; these are the Hạ Hoà report's. */
export const WORD_MARGINS_MM = { top: 20, bottom: 20, left: 30, right: 15 };

/** "Năm 2022 (từ ngày 01/01/2022 đến ngày 31/12/2022)", or the days alone when the period has no name. */
function periodLine(period: { from: string; to: string }): string {
  const days = `từ ngày ${viDate(period.from)} đến ngày ${viDate(period.to)}`;
  const name = periodLabel(period);
  return name.startsWith('Từ ngày') ? days.replace(/^t/, 'T') : `${name}, ${days}`;
}

export interface WordReportInput {
  data: ReportData;
  letterhead: Letterhead;
  /** Columns of the yearly tables (flowColumns); default: the Hạ Hoà set without shares. */
  columns?: string[];
  /**
   * Add the section on QĐ 766's progress indicator per unit (handled766, inTime766, progressRate766, points): the
   * report was asked with the "Chỉ số 766" sheet (--sheets chi-so-766). It reads the dossiers: slower.
   */
  progress766?: boolean;
}

/** The yearly table's columns in the Word report: the Hạ Hoà set, counts only (the text gives the shares). */
const WORD_YEAR_COLUMNS = [
  'receivedDirect', 'receivedOnline', 'receivedPostal', 'receivedLienThong', 'carriedOver', 'toHandle',
  'resolvedEarly', 'resolvedOnTime', 'resolvedLate', 'resolvedRejected', 'resolvedTotal', 'pendingTotal', 'onTimeRate',
];

const PROGRESS_766_NOTE =
  'Hồ sơ đã và đang giải quyết = hồ sơ kết thúc xử lý trong kỳ (đã giải quyết, từ chối, công dân rút) + hồ sơ đang giải quyết cuối kỳ; ' +
  'đúng tiến độ = kết thúc vào hoặc trước ngày hẹn trả, hoặc đang giải quyết còn trong hạn (hồ sơ đang giải quyết đã quá hạn tính là trễ); ' +
  `điểm = ${PROGRESS_POINTS_766} × tỷ lệ đúng tiến độ.`;

/** The table and the sentence of the 766 section: per level (its own line) then its units, as "Chỉ số 766" lists them. */
export async function progress766Section(data: ReportData): Promise<{ sentence: string; columns: Column<StatsRow>[]; lines: Line<StatsRow>[] }> {
  const query = (by: GroupKey[]): StatsQuery => ({
    period: data.period, by, filters: data.filters, progress766: true, ...(data.uncut ? { uncut: data.uncut } : {}),
  });
  const [total, byLevel, byUnit] = await Promise.all([
    computeStats(data.db, query([])),
    computeStats(data.db, query(['level'])),
    computeStats(data.db, query(['level', 'unit'])),
  ]);
  const lines: Line<StatsRow>[] = [];
  for (const level of LEVELS) {
    const whole = byLevel.find((r) => r.level === level);
    const units = byUnit.filter((r) => r.level === level);
    if (!whole || !units.length) continue;
    lines.push({ kind: 'subtotal', labels: { unit: levelLabel(level) }, data: whole });
    for (const unit of units) lines.push({ kind: 'data', labels: { unit: unit.unitName! }, data: unit });
  }
  const columns: Column<StatsRow>[] = [
    { key: 'unit', header: ['Đơn vị'], kind: 'text', minWidth: 30 },
    { key: 'handled766', header: [FIGURE_LABELS.handled766], kind: 'count', value: (r) => r.handled766 ?? 0 },
    { key: 'inTime766', header: [FIGURE_LABELS.inTime766], kind: 'count', value: (r) => r.inTime766 ?? 0 },
    { key: 'progressRate766', header: [FIGURE_LABELS.progressRate766], kind: 'rate2', value: (r) => r.progressRate766 ?? null },
    { key: 'progressPoints766', header: [`Điểm (tối đa ${PROGRESS_POINTS_766})`], kind: 'text', value: (r) => (r.progressPoints766 == null ? '–' : formatDecimal(r.progressPoints766, 2)) },
  ];
  const all = total[0];
  const sentence = !all || !all.handled766
    ? 'Theo Chỉ số 766 (Quyết định số 766/QĐ-TTg), trong kỳ không có hồ sơ đã và đang giải quyết.'
    : `Theo Chỉ số 766 (Quyết định số 766/QĐ-TTg), trong kỳ có ${formatCount(all.handled766)} hồ sơ đã và đang giải quyết, ` +
      `trong đó ${formatCount(all.inTime766 ?? 0)} hồ sơ đúng tiến độ, đạt tỷ lệ ${formatPercent(all.progressRate766, 2)}, ` +
      `tương ứng ${formatDecimal(all.progressPoints766 ?? 0, 2)}/${PROGRESS_POINTS_766} điểm tiến độ giải quyết.`;
  return { sentence, columns, lines };
}

export async function buildWordReport(input: WordReportInput): Promise<Buffer> {
  const d = await import('docx');
  const { data, letterhead: lh } = input;
  const run = (text: string, o: Partial<Docx.IRunOptions> = {}) => new d.TextRun({ text, font: FONT, ...o });
  const para = (children: Docx.ParagraphChild[], o: Partial<Docx.IParagraphOptions> = {}) =>
    new d.Paragraph({ children, spacing: { after: 0, line: 276 }, ...o });
  const body = (text: string) =>
    para([run(text)], { alignment: d.AlignmentType.JUSTIFIED, indent: { firstLine: Math.round(10 * MM) }, spacing: { before: 60, after: 60, line: 300 } });
  const heading = (text: string) => para([run(text, { bold: true })], { spacing: { before: 180, after: 60 }, indent: { firstLine: Math.round(10 * MM) } });
  const noBorder = { style: d.BorderStyle.NONE, size: 0, color: 'FFFFFF' };
  const noBorders = { top: noBorder, bottom: noBorder, left: noBorder, right: noBorder, insideHorizontal: noBorder, insideVertical: noBorder };

  // Header block.
  const textWidth = A4.width - Math.round((WORD_MARGINS_MM.left + WORD_MARGINS_MM.right) * MM);
  const leftWidth = Math.round(textWidth * 0.4);
  const center = d.AlignmentType.CENTER;
  const rule = (width: number) =>
    para([], { alignment: center, border: { bottom: { style: d.BorderStyle.SINGLE, size: 6, color: '000000', space: 1 } }, indent: { left: width, right: width } });
  const date = lh.date ? { d: Number(lh.date.slice(8)), m: Number(lh.date.slice(5, 7)), y: lh.date.slice(0, 4) } : undefined;
  const dateLine = `${lh.place ?? BLANK}, ngày ${date ? String(date.d).padStart(2, '0') : BLANK} tháng ${date ? String(date.m).padStart(2, '0') : BLANK} năm ${date?.y ?? BLANK}`;
  const headerBlock = new d.Table({
    width: { size: textWidth, type: d.WidthType.DXA },
    columnWidths: [leftWidth, textWidth - leftWidth],
    borders: noBorders,
    layout: d.TableLayoutType.FIXED,
    rows: [
      new d.TableRow({
        children: [
          new d.TableCell({
            width: { size: leftWidth, type: d.WidthType.DXA },
            borders: noBorders,
            children: [
              para([run((lh.superior ?? BLANK).toUpperCase(), { size: 26 })], { alignment: center }),
              para([run((lh.issuer ?? BLANK).toUpperCase(), { size: 26, bold: true })], { alignment: center }),
              rule(Math.round(leftWidth * 0.3)),
              para([run(`Số: ${lh.number ?? `${BLANK}/BC-${BLANK}`}`, { size: 26 })], { alignment: center, spacing: { before: 120 } }),
            ],
          }),
          new d.TableCell({
            width: { size: textWidth - leftWidth, type: d.WidthType.DXA },
            borders: noBorders,
            children: [
              para([run('CỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM', { size: 24, bold: true })], { alignment: center }),
              para([run('Độc lập - Tự do - Hạnh phúc', { size: 28, bold: true })], { alignment: center }),
              rule(Math.round((textWidth - leftWidth) * 0.2)),
              para([run(dateLine, { size: 28, italics: true })], { alignment: center, spacing: { before: 120 } }),
            ],
          }),
        ],
      }),
    ],
  });

  const period = data.period;
  const title = [
    para([run('BÁO CÁO', { bold: true })], { alignment: center, spacing: { before: 360 } }),
    para([run(lh.title ?? 'Kết quả tiếp nhận, giải quyết hồ sơ thủ tục hành chính', { bold: true })], { alignment: center }),
    para([run(`(${periodLine(period)})`, { italics: true })], { alignment: center }),
    rule(Math.round(textWidth * 0.42)),
    para([], { spacing: { after: 120 } }),
  ];

  // Tables from the sheets' own columns and lines, so the Word figures are the workbook's.
  const cellText = <T>(column: Column<T>, line: Line<T>): string => {
    if (!column.value) return String(line.labels?.[column.key] ?? '');
    if (line.kind === 'heading' || line.data === undefined) return '';
    const v = column.value(line.data);
    if (v === null || v === '') return column.kind === 'count' ? '0' : '–';
    if (typeof v === 'string') return v;
    if (column.kind === 'count') return formatCount(v);
    return formatPercent(v, column.kind === 'rate2' ? 2 : 1);
  };
  const table = <T>(given: Column<T>[], lines: Line<T>[], width: number, size: number, options: { numbered?: boolean; weights?: number[] } = {}) => {
    const halfPoints = size * 2;
    // A header group over a single column of this table ("Số hồ sơ đang giải quyết" over its total alone) says
    // nothing its column does not: the column keeps its own header.
    const columns = given.map((c) =>
      c.header.length > 1 && given.filter((o) => o.header[0] === c.header[0]).length === 1 ? { ...c, header: c.header.slice(-1) } : c,
    );
    const depth = Math.max(...columns.map((c) => c.header.length));
    const weights = options.weights ?? columns.map((c) => (c.kind === 'text' ? (c.minWidth ?? 8) : c.kind === 'count' ? 7 : 8));
    const sum = weights.reduce((a, b) => a + b, 0);
    const widths = weights.map((w) => Math.floor((w / sum) * width));
    const cellPara = (text: string, o: { bold?: boolean; italics?: boolean; align?: Docx.IParagraphOptions['alignment']; keepNext?: boolean }) =>
      new d.Paragraph({
        alignment: o.align,
        keepNext: o.keepNext,
        spacing: { before: 20, after: 20 },
        children: [run(text, { size: halfPoints, bold: o.bold, italics: o.italics })],
      });
    // As in the workbook: a heading or subtotal above its lines is not the last row of a page, and a total below
    // its lines takes two of them onto its page ("keep with next" on a row's paragraphs keeps the rows together).
    const index = new Map(lines.map((line, k) => [line, k]));
    const leads = (line: Line<T>) =>
      line.kind === 'heading' || (line.kind !== 'data' && (line.children ?? []).some((c) => index.get(c)! > index.get(line)!));
    const closes = (line: Line<T> | undefined) => line !== undefined && line.kind !== 'data' && line.kind !== 'heading' && !leads(line);
    const keepWithNext = (k: number) => leads(lines[k]) || closes(lines[k + 1]) || closes(lines[k + 2]);
    const margins = { top: 20, bottom: 20, left: 50, right: 50 };
    const rows: Docx.TableRow[] = [];
    // Header rows: a header path shared by neighbours is one merged cell; a leaf spans the rows below it.
    for (let level = 0; level < depth; level++) {
      const cells: Docx.TableCell[] = [];
      for (const header of headerCells(columns, level)) {
        if ('covered' in header) {
          // Covered by a cell above that spans down: docx wants a continuation cell for vertical merges.
          cells.push(new d.TableCell({ children: [cellPara('', {})], verticalMerge: d.VerticalMergeType.CONTINUE, margins }));
          continue;
        }
        const leafSpansDown = header.leaf && depth - level > 1;
        cells.push(
          new d.TableCell({
            children: [cellPara(header.text, { bold: true, align: center })],
            columnSpan: header.last - header.first + 1,
            verticalMerge: leafSpansDown ? d.VerticalMergeType.RESTART : undefined,
            verticalAlign: d.VerticalAlign.CENTER,
            width: { size: widths.slice(header.first, header.last + 1).reduce((a, b) => a + b, 0), type: d.WidthType.DXA },
            margins,
          }),
        );
      }
      rows.push(new d.TableRow({ children: cells, tableHeader: true, cantSplit: true }));
    }
    if (options.numbered) {
      rows.push(
        new d.TableRow({
          tableHeader: true,
          children: columns.map((_, i) => new d.TableCell({ children: [cellPara(`(${i + 1})`, { italics: true, align: center })], margins })),
        }),
      );
    }
    for (const [k, line] of lines.entries()) {
      const bold = line.kind !== 'data';
      const keepNext = keepWithNext(k);
      rows.push(
        new d.TableRow({
          cantSplit: true,
          children: columns.map((column) => {
            const text = cellText(column, line);
            const align = !column.value
              ? (column.align === 'center' || typeof line.labels?.[column.key] === 'number' ? center : d.AlignmentType.LEFT)
              : d.AlignmentType.RIGHT;
            return new d.TableCell({ children: [cellPara(text, { bold, align, keepNext })], verticalAlign: d.VerticalAlign.CENTER, margins });
          }),
        }),
      );
    }
    return new d.Table({ rows, width: { size: width, type: d.WidthType.DXA }, columnWidths: widths, layout: d.TableLayoutType.FIXED });
  };
  const caption = (text: string) => para([run(text, { bold: true, size: 26 })], { alignment: center, spacing: { before: 120, after: 60 }, keepNext: true });
  const note = (text: string) => para([run(text, { italics: true, size: 24 })], { alignment: d.AlignmentType.JUSTIFIED, spacing: { before: 60, after: 60 } });

  // Section I: by level, the paragraphs then the yearly table.
  const years = byLevelThenPeriod(await data.stats(['year', 'level']));
  const paragraphs = await reportParagraphs(data);
  const yearColumns = flowColumns({ rows: years, columns: input.columns?.length ? input.columns : WORD_YEAR_COLUMNS });
  const yearLabelColumn: Column<StatsRow> = { key: 'year', header: ['Năm'], kind: 'text', minWidth: 10 };
  const content: Array<Docx.Paragraph | Docx.Table> = [heading('I. KẾT QUẢ TIẾP NHẬN, GIẢI QUYẾT HỒ SƠ THỦ TỤC HÀNH CHÍNH')];
  const levels = LEVELS.filter((l) => years.some((r) => r.level === l));
  levels.forEach((level, i) => {
    content.push(heading(`${i + 1}. ${levelLabel(level)}`));
    for (const p of paragraphs.filter((p) => p.level === level)) content.push(body(p.text));
    const lines: Line<StatsRow>[] = years.filter((r) => r.level === level).map((r) => ({ kind: 'data', labels: { year: yearLabel(r) }, data: r }));
    content.push(caption(`Bảng ${i + 1}. Kết quả tiếp nhận, giải quyết hồ sơ ${levelLabel(level).toLowerCase()} theo năm`));
    content.push(table([yearLabelColumn, ...yearColumns], lines, textWidth, WIDE_TABLE_PT));
    content.push(note('Đơn vị tính: hồ sơ. Tổng số nhận giải quyết = số mới tiếp nhận + số từ kỳ trước chuyển sang; tỷ lệ giải quyết sớm và đúng hạn = (trước hạn + đúng hạn) / tổng số đã giải quyết.'));
  });

  // Section II: per unit.
  const units = await unitTable(data, [period]);
  content.push(heading('II. KẾT QUẢ TIẾP NHẬN HỒ SƠ THEO ĐƠN VỊ'));
  content.push(caption(`Bảng ${levels.length + 1}. Kết quả tiếp nhận hồ sơ thủ tục hành chính theo đơn vị`));
  content.push(table(units.columns, units.lines, textWidth, TABLE_PT, { weights: [5, 34, 12, 12, 12, 12] }));
  content.push(note('Tỷ lệ trực tuyến = số hồ sơ tiếp nhận trực tuyến / tổng số hồ sơ mới tiếp nhận trong kỳ; đơn vị trong mỗi cấp xếp theo tỷ lệ trực tuyến, từ cao xuống thấp.'));

  // Section III, when asked: QĐ 766's progress per unit.
  let tableNumber = levels.length + 2;
  if (input.progress766) {
    const progress = await progress766Section(data);
    content.push(heading('III. TIẾN ĐỘ GIẢI QUYẾT HỒ SƠ THEO CHỈ SỐ 766'));
    content.push(body(progress.sentence));
    content.push(caption(`Bảng ${tableNumber++}. Tiến độ giải quyết hồ sơ theo Chỉ số 766 (Quyết định 766/QĐ-TTg), theo đơn vị`));
    content.push(table(progress.columns, progress.lines, textWidth, TABLE_PT, { weights: [34, 12, 12, 12, 10] }));
    content.push(note(PROGRESS_766_NOTE));
  }

  // The charts.
  content.push(heading(`${input.progress766 ? 'IV' : 'III'}. BIỂU ĐỒ`));
  const charts = await renderReportCharts(await data.stats(['month', 'level']));
  // Pixels at 96 dpi: 85 % of the text width, so that two charts and the signature block share a page more often.
  const pictureWidth = Math.round((textWidth / 1440) * 96 * 0.85);
  charts.forEach(({ chart, rendered }, i) => {
    content.push(
      para(
        [new d.ImageRun({ type: 'png', data: rendered.png, transformation: { width: pictureWidth, height: Math.round((pictureWidth * CHART_HEIGHT) / CHART_WIDTH) }, altText: { name: chart.suffix, title: chart.title, description: chart.title } })],
        { alignment: center, spacing: { before: 120 }, keepNext: true },
      ),
      para([run(`Biểu đồ ${i + 1}. ${chart.title}`, { italics: true, size: 26 })], { alignment: center, spacing: { after: 120 } }),
    );
  });
  for (const warning of await data.warningNotes(COUNT_FIGURES)) content.push(note(warning));

  // Signature block: "Nơi nhận" on the left, the signer on the right.
  const small = (text: string, o: Partial<Docx.IRunOptions> = {}) => para([run(text, { size: 22, ...o })]);
  const signature = new d.Table({
    width: { size: textWidth, type: d.WidthType.DXA },
    columnWidths: [Math.round(textWidth * 0.5), textWidth - Math.round(textWidth * 0.5)],
    borders: noBorders,
    layout: d.TableLayoutType.FIXED,
    rows: [
      new d.TableRow({
        cantSplit: true,
        children: [
          new d.TableCell({
            borders: noBorders,
            width: { size: Math.round(textWidth * 0.5), type: d.WidthType.DXA },
            children: [
              para([run('Nơi nhận:', { bold: true, italics: true, size: 24 })]),
              ...(lh.recipients?.length ? lh.recipients : [`${BLANK};`, `- Lưu: VT.`]).map((r) => small(r.startsWith('-') ? r : `- ${r}`)),
            ],
          }),
          new d.TableCell({
            borders: noBorders,
            width: { size: textWidth - Math.round(textWidth * 0.5), type: d.WidthType.DXA },
            children: [
              para([run((lh.signerAuthority ?? `TM. ${BLANK}`).toUpperCase(), { bold: true })], { alignment: center }),
              para([run((lh.signerTitle ?? BLANK).toUpperCase(), { bold: true })], { alignment: center }),
              ...[1, 2, 3].map(() => para([])),
              para([run(lh.signerName ?? BLANK, { bold: true })], { alignment: center }),
            ],
          }),
        ],
      }),
    ],
  });
  content.push(para([], { spacing: { after: 240 } }), signature);

  // Annex: Biểu 06 in a landscape section.
  const annexWidth = A4.height - Math.round((WORD_MARGINS_MM.left + WORD_MARGINS_MM.right) * MM);
  const kyBaoCao = reportingPeriodName(period);
  const annex: Array<Docx.Paragraph | Docx.Table> = [
    para([run('Phụ lục', { bold: true })], { alignment: center }),
    para([run('Biểu số 06/VPCP/KSTT (ban hành kèm theo Thông tư số 01/2020/TT-VPCP)', { italics: true, size: 26 })], { alignment: center }),
    para([run('TÌNH HÌNH, KẾT QUẢ GIẢI QUYẾT TTHC TẠI CƠ QUAN, ĐƠN VỊ TRỰC TIẾP GIẢI QUYẾT TTHC', { bold: true, size: 26 })], { alignment: center, spacing: { before: 120 } }),
    para([run(`${kyBaoCao ? `Kỳ báo cáo: ${kyBaoCao} ` : ''}(từ ngày ${viDate(period.from)} đến ngày ${viDate(period.to)})`, { italics: true, size: 26 })], { alignment: center }),
    para([run(`Đơn vị báo cáo: ${lh.issuer ?? BLANK}. Đơn vị tính: số hồ sơ TTHC.`, { italics: true, size: 24 })], { alignment: d.AlignmentType.RIGHT, spacing: { after: 120 } }),
    table(BIEU_06_COLUMNS, await bieu06Lines(data), annexWidth, WIDE_TABLE_PT, { numbered: true, weights: [4, 26, 8, 8, 9, 8, 8, 8, 8, 8, 8, 8, 8] }),
    note('Cột (9) "Đúng hạn" bao gồm cả hồ sơ trả lại (từ chối giải quyết) và hồ sơ công dân xin rút; cột (5) gồm hồ sơ tiếp nhận trực tiếp, qua dịch vụ bưu chính công ích và tiếp nhận liên thông.'),
  ];

  const pageNumberHeader = () =>
    new d.Header({ children: [new d.Paragraph({ alignment: center, children: [new d.TextRun({ children: [d.PageNumber.CURRENT], font: FONT, size: BODY_PT * 2 })] })] });
  const margin = {
    top: Math.round(WORD_MARGINS_MM.top * MM),
    bottom: Math.round(WORD_MARGINS_MM.bottom * MM),
    left: Math.round(WORD_MARGINS_MM.left * MM),
    right: Math.round(WORD_MARGINS_MM.right * MM),
    header: Math.round(10 * MM),
    footer: Math.round(10 * MM),
  };
  const doc = new d.Document({
    creator: 'tthc',
    title: `Báo cáo ${lh.title ?? 'kết quả tiếp nhận, giải quyết hồ sơ thủ tục hành chính'}`,
    styles: { default: { document: { run: { font: FONT, size: BODY_PT * 2 }, paragraph: { spacing: { after: 0 } } } } },
    sections: [
      {
        properties: { page: { size: { ...A4, orientation: d.PageOrientation.PORTRAIT }, margin }, titlePage: true },
        headers: { default: pageNumberHeader(), first: new d.Header({ children: [] }) },
        children: [headerBlock, ...title, ...content],
      },
      {
        // The same margins on the turned page; docx swaps width and height for a landscape section.
        properties: { page: { size: { ...A4, orientation: d.PageOrientation.LANDSCAPE }, margin } },
        headers: { default: pageNumberHeader() },
        children: annex,
      },
    ],
  });
  return d.Packer.toBuffer(doc);
}
