import type { Command } from 'commander';
import { isPostgresUrl, openDatabase, redact } from '../../db/connection.ts';
import { formatCount } from '../../domain/numbers.ts';
import { DEFAULT_DEMO_DB, DEFAULT_DEMO_OUT, DEFAULT_SEED, DEMO_QUERY, NotADemoDatabaseError, runDemo } from '../../demo/index.ts';
import { EXAMPLE_LETTERHEAD_FILE, loadLetterhead, writeReport } from '../../report/index.ts';
import { renderStatsTable } from '../../stats/render.ts';
import { parseFormat, UserError } from '../common.ts';
import { SUMMARIES } from '../summaries.ts';

export function register(program: Command): void {
  program
    .command('demo')
    .description(SUMMARIES.demo)
    .option('--seed <n>', 'seed of the generated data (same seed, same files)', String(DEFAULT_SEED))
    .option('--out <dir>', 'folder for the generated exports', DEFAULT_DEMO_OUT)
    .option('--format <format>', 'table, csv or json', 'table')
    .option('--report <file.xlsx>', 'where to write the workbook with every report sheet', 'reports/demo.xlsx')
    .action(async (opts, command: Command) => {
      const seed = Number(opts.seed);
      if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) {
        throw new UserError(`--seed phải là số nguyên từ 0 đến 4294967295 (nhận được "${opts.seed}")`);
      }
      const format = parseFormat(opts.format);
      // The demo never falls back to TTHC_DB or ./tthc.db: it would empty them.
      const target: string = command.optsWithGlobals().db ?? DEFAULT_DEMO_DB;
      const db = await openDatabase(target);
      try {
        const result = await runDemo({
          db,
          outDir: opts.out,
          seed,
          onStep: (message) => process.stderr.write(`${message}\n`),
        });
        const s = result.seconds;
        process.stderr.write(
          `Đã nhập ${formatCount(result.dossiers)} hồ sơ từ ${result.files.exports.length} tệp vào ${redact(target)} ` +
            `(tạo ${s.generate.toFixed(1)} s, ghi ${s.write.toFixed(1)} s, nhập ${s.import.toFixed(1)} s, thống kê ${s.stats.toFixed(1)} s).\n`,
        );
        if (format === 'table') {
          process.stdout.write(
            'Kết quả giải quyết hồ sơ TTHC theo năm và cấp, huyện Hạ Hoà (dữ liệu mẫu)\n' +
              'Không tính hồ sơ lĩnh vực Bảo hiểm xã hội; năm 2023 tính từ 01/01 đến 25/05.\n\n',
          );
        }
        process.stdout.write(
          renderStatsTable(result.rows, format, { width: process.stdout.columns || undefined, columnsOption: false }),
        );
        const report = await writeReport(db, { query: DEMO_QUERY, out: opts.report });
        process.stderr.write(`Đã ghi báo cáo ${report.path} (${report.sheets.length} biểu) và biểu đồ ${report.files.filter((f) => f.endsWith('.png')).join(', ')}.\n`);
        const word = await writeReport(db, {
          query: DEMO_QUERY,
          out: String(opts.report).replace(/\.xlsx$/i, '') + '.docx',
          letterhead: loadLetterhead(EXAMPLE_LETTERHEAD_FILE),
        });
        process.stderr.write(`Đã ghi báo cáo Word ${word.path}.\n`);
        if (format === 'table') process.stdout.write(`\n${followUp(target)}`);
      } catch (error) {
        if (error instanceof NotADemoDatabaseError) throw new UserError(`${redact(target)}: ${error.message}`);
        throw error;
      } finally {
        await db.destroy();
      }
    });
}

/**
 * The commands to try next, each runnable as printed: they name the demo's database, since the other commands'
 * default is ./tthc.db. A PostgreSQL URL is printed without its password.
 */
export function followUp(target: string): string {
  const db = `--db ${shellWord(redact(target))}`;
  const period = '--from 2020-01-01 --to 2023-05-25';
  return [
    'Xem tiếp:',
    `  npx tthc ${db} stats ${period} --by year,level,field --exclude-field "Bảo hiểm xã hội"`,
    `  npx tthc ${db} dossiers --year 2022 --level huyen --figure resolvedLate --exclude-field BHXH`,
    `  npx tthc ${db} report ${period} --exclude-field BHXH --text`,
    isPostgresUrl(target) && redact(target) !== target
      ? '(thay *** bằng mật khẩu, hoặc đặt biến môi trường TTHC_DB rồi bỏ --db)'
      : `(hoặc đặt biến môi trường TTHC_DB=${shellWord(target)} rồi bỏ --db)`,
  ].join('\n') + '\n';
}

/** A word as a POSIX shell reads it back: quoted when it holds anything but plain path characters. */
function shellWord(text: string): string {
  return /^[\w./:@=+,-]+$/.test(text) ? text : `'${text.replace(/'/g, `'\\''`)}'`;
}
