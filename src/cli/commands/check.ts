import type { Command } from 'commander';
import { checkAgainstDatabase, type DatabaseComparison } from '../../audit/check.ts';
import { writeCheckWorkbook } from '../../audit/check-workbook.ts';
import { readPublishedTable, scopeLabel, showValue, type PublishedFigure, type UnreadRow } from '../../audit/published.ts';
import { checkSelf, figureLabel, type SelfFinding } from '../../audit/self-check.ts';
import { resolveDbTarget } from '../../db/connection.ts';
import { formatCount } from '../../domain/numbers.ts';
import { collect, parseFormat, UserError, withDb } from '../common.ts';
import { emptiness, firstStepsMessage, isMissingFile } from '../first-steps.ts';
import { renderRecords, type Column } from '../output.ts';
import { SUMMARIES } from '../summaries.ts';

export function register(program: Command): void {
  program
    .command('check')
    .argument('<file>', 'a table of published figures (xlsx or csv): Kỳ, Cấp / đơn vị, Chỉ tiêu, Giá trị công bố')
    .description(SUMMARIES.check)
    .option('--self', 'check the table against itself only, without a database')
    .option('--out <file.xlsx>', 'write the table back with the wrong cells marked and a note on each')
    .option('--field <name>', 'the report counts only this field (repeatable)', collect)
    .option('--exclude-field <name>', 'the report leaves out this field, e.g. "Bảo hiểm xã hội" (repeatable)', collect)
    .option('--format <format>', 'table or json', 'table')
    .action(async (file: string, opts: Record<string, any>, command: Command) => {
      const format = parseFormat(String(opts.format));
      if (format === 'csv') throw new UserError('tthc check: --format là table hoặc json');
      if (opts.out !== undefined && !/\.xlsx$/i.test(opts.out)) throw new UserError(`--out phải là tệp .xlsx (nhận được "${opts.out}")`);
      const { figures, unread } = await readPublishedTable(file);
      let self: SelfFinding[] | undefined;
      let database: DatabaseComparison[] | undefined;
      if (opts.self) {
        if (opts.field || opts.excludeField) throw new UserError('--field và --exclude-field chỉ dùng khi đối chiếu với cơ sở dữ liệu (không có --self)');
        self = checkSelf(figures);
      } else {
        const dbOption: string | undefined = command.optsWithGlobals().db;
        const target = resolveDbTarget(dbOption);
        if (isMissingFile(target)) throw new UserError(firstStepsMessage(target, 'missing', 'check'));
        database = await withDb(command, async (db) => {
          const why = await emptiness(db, 'dossiers');
          if (why) throw new UserError(firstStepsMessage(target, why, 'check'));
          const filters = {
            ...(opts.field?.length ? { field: opts.field as string[] } : {}),
            ...(opts.excludeField?.length ? { excludeField: opts.excludeField as string[] } : {}),
          };
          return checkAgainstDatabase(db, figures, { filters, dbOption });
        });
      }
      if (opts.out) await writeCheckWorkbook(opts.out, { figures, unread, self, database });
      const wrong = (self?.length ?? 0) + (database?.filter((c) => !c.agrees).length ?? 0) + unread.length;
      if (format === 'json') {
        process.stdout.write(`${JSON.stringify({ figures: figures.length, unread, self, database }, null, 2)}\n`);
      } else {
        process.stdout.write(describe(file, figures, unread, self, database, opts.out));
      }
      process.exitCode = wrong ? 1 : 0;
    });
}

const rowOf = (f: PublishedFigure) => (f.sheet ? `${f.sheet}!${f.rowNumber}` : String(f.rowNumber));

/** The columns that say which published figure a line is about, first in both tables. */
type FigureCells = { row: string; period: string; scope: string; figure: string; published: string };

function figureColumns<T extends FigureCells>(): Column<T>[] {
  return [
    { key: 'row', header: 'Dòng', align: 'right' },
    { key: 'period', header: 'Kỳ' },
    { key: 'scope', header: 'Cấp / đơn vị' },
    { key: 'figure', header: 'Chỉ tiêu' },
    { key: 'published', header: 'Công bố', align: 'right' },
  ];
}

function figureCells(f: PublishedFigure): FigureCells {
  return { row: rowOf(f), period: f.periodText, scope: scopeLabel(f.scope), figure: figureLabel(f.figure), published: f.valueText };
}
const percent = (f: PublishedFigure) => f.figure.kind !== 'count';
/** A recomputed value, with two more digits than the report printed, so that its rounding shows. */
const exact = (f: PublishedFigure, value: number) => showValue(value, percent(f), percent(f) ? f.decimals + 2 : 0);

function describe(
  file: string,
  figures: PublishedFigure[],
  unread: UnreadRow[],
  self: SelfFinding[] | undefined,
  database: DatabaseComparison[] | undefined,
  out: string | undefined,
): string {
  const lines: string[] = [`Đã đọc ${formatCount(figures.length)} số liệu công bố từ ${file}.`];
  for (const u of unread) lines.push(`  Không đọc được dòng ${u.sheet ? `${u.sheet}!` : ''}${u.rowNumber}: ${u.reason}`);
  if (self) {
    if (!self.length) lines.push('Kiểm tra nội bộ: các số liệu khớp nhau (tổng và thành phần, tỷ lệ, cân đối, tháng và năm).');
    else {
      lines.push(`Kiểm tra nội bộ: ${formatCount(self.length)} chỗ không khớp.`, '');
      type Line = FigureCells & { expected: string; message: string };
      const columns: Column<Line>[] = [
        ...figureColumns<Line>(),
        { key: 'expected', header: 'Đúng ra', align: 'right' },
        { key: 'message', header: 'Nhận xét', align: 'left' },
      ];
      lines.push(
        renderRecords(
          self.map((s) => ({
            ...figureCells(s.figure), expected: s.rule === 'flow' ? '' : exact(s.figure, s.expected), message: s.message,
          })),
          columns,
          'table',
        ).trimEnd(),
      );
    }
  }
  if (database) {
    const differ = database.filter((c) => !c.agrees);
    lines.push(
      `Đối chiếu với cơ sở dữ liệu: ${formatCount(database.length)} số liệu, ${formatCount(database.length - differ.length)} khớp, ${formatCount(differ.length)} khác.`,
      '',
    );
    type Line = FigureCells & { recomputed: string; difference: string; result: string };
    const columns: Column<Line>[] = [
      ...figureColumns<Line>(),
      { key: 'recomputed', header: 'Tính lại', align: 'right' },
      { key: 'difference', header: 'Chênh lệch', align: 'right' },
      { key: 'result', header: 'Kết quả', align: 'left' },
    ];
    lines.push(
      renderRecords(
        database.map((c) => ({
          ...figureCells(c.figure),
          recomputed: c.recomputed === undefined ? '' : exact(c.figure, c.recomputed),
          difference: c.difference === undefined ? '' : exact(c.figure, c.difference),
          result: c.agrees ? 'khớp' : c.problem ? `khác: ${c.problem}` : 'khác',
        })),
        columns,
        'table',
      ).trimEnd(),
    );
    if (differ.some((c) => c.recomputed !== undefined)) {
      lines.push('', 'Hồ sơ đằng sau các số khác:');
      for (const c of differ) if (c.recomputed !== undefined) for (const cmd of c.commands) lines.push(`  dòng ${rowOf(c.figure)}: ${cmd}`);
    }
  }
  if (out) lines.push('', `Đã ghi ${out}: các ô sai được tô đỏ, mỗi ô có ghi chú.`);
  return `${lines.join('\n')}\n`;
}
