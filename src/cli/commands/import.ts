import cliProgress from 'cli-progress';
import type { Command } from 'commander';
import { basename } from 'node:path';
import { formatCount, formatDecimal } from '../../domain/numbers.ts';
import { parseMapOptions, readProfile } from '../../import/columns.ts';
import { mergeValueMaps } from '../../import/value-maps.ts';
import { importFiles, type FileSummary } from '../../import/index.ts';
import type { DossierField } from '../../import/types.ts';
import { collect, UserError, withDb } from '../common.ts';
import type { DateOrder } from '../../domain/dates.ts';
import { SUMMARIES } from '../summaries.ts';
import { addCalendarOption, calendarFromOptions } from '../calendar-option.ts';

export function register(program: Command): void {
  const cmd = program
    .command('import')
    .description(SUMMARIES.import)
    .argument('<paths...>', 'export files or folders (every file inside, sub-folders too, in name order; files of other types are listed as skipped)')
    .option('--unit <name>', 'unit for rows without a unit column or with an empty unit cell')
    .option('--strict', 'one bad row fails the whole file: nothing from it is stored, exit code 1')
    .option('--map <header=field>', 'map a header of the file to a field (repeatable), e.g. "Ngày nộp HS=receivedAt"', collect)
    .option('--profile <file.json>', 'column mapping profile, see imports/profiles/')
    .option('--map-value <field:value=meaning>', 'what a word of the file means (repeatable) for channel, status, satisfaction or a yes/no column of QĐ 766 (paidOnline, hasFee, digitised, electronicResult), e.g. "channel:Kiosk=truc_tiep", "satisfaction:4 sao=satisfied"', collect)
    .option('--date-order <order>', 'dmy or mdy: how to read dates like 04/02/2021, instead of what the file\'s own dates prove (default: dmy unless they prove mdy)')
    .option('--sheet <name-or-number>', 'read this sheet of a workbook (repeatable); by default every visible sheet whose header is recognised', collect)
    .option('--encoding <name>', 'text encoding of a .csv file (utf-8, utf-16le, utf-16be, windows-1258), instead of the one detected')
    .option('--due-from-catalogue', 'give a dossier whose export has no due day one computed from its procedure\'s duration in the procedure catalogue (working days; marked as computed). Off by default: the one-stop systems count such a dossier as on time')
    .option('--silent', 'no progress on stderr');
  addCalendarOption(cmd)
    .action(async (paths: string[], opts, command: Command) => {
      const calendar = calendarFromOptions(opts);
      const profile = opts.profile ? readProfile(opts.profile) : { columns: {}, values: {} };
      const columns: Record<string, DossierField> = { ...profile.columns, ...parseMapOptions(opts.map ?? []) };
      const values = mergeValueMaps(profile.values, opts.mapValue ?? []);
      const failed: string[] = [];
      await withDb(command, async (db) => {
        const progress = makeProgress(!opts.silent && process.stderr.isTTY);
        await importFiles(db, paths, {
          unit: opts.unit,
          strict: opts.strict,
          columns,
          values,
          dateOrder: parseDateOrder(opts.dateOrder),
          sheets: opts.sheet,
          encoding: opts.encoding,
          calendar,
          ...(opts.dueFromCatalogue ? { dueFromCatalogue: true } : {}),
          onProgress: progress.update,
          onFile: (summary) => {
            progress.stop();
            process.stdout.write(`${summaryLine(summary)}\n`);
            for (const warning of summary.warnings) process.stdout.write(`  cảnh báo: ${warning}\n`);
          },
          onFileError: (error) => {
            progress.stop();
            failed.push(error.message);
            process.stderr.write(`tthc: ${error.message}\n`);
          },
          onFileSkipped: (file, reason, quiet) => {
            progress.stop();
            if (!quiet) failed.push(file);
            process.stderr.write(`tthc: ${file}: bỏ qua, ${reason}\n`);
          },
        });
      });
      if (failed.length) process.exitCode = 1;
    });
}

/** The one line per file that a one-stop office reads after an import. */
export function summaryLine(s: FileSummary): string {
  const parts = [
    `${formatCount(s.rowsRead)} dòng`,
    `${formatCount(s.newDossiers)} hồ sơ mới`,
    `${formatCount(s.updated)} cập nhật`,
    `${formatCount(s.unchanged)} không đổi`,
  ];
  if (s.repeatedInFile) parts.push(`${formatCount(s.repeatedInFile)} dòng lặp lại hồ sơ đã có trong tệp`);
  const reasons = Object.entries(s.rejectedByReason)
    .map(([reason, n]) => `${reason}: ${formatCount(n)}`)
    .join(', ');
  parts.push(`${formatCount(s.rejected)} dòng bị từ chối${reasons ? ` (${reasons})` : ''}`);
  if (s.footerRowsSkipped) parts.push(`bỏ qua ${formatCount(s.footerRowsSkipped)} dòng tổng/chữ ký`);
  if (s.personalColumnsDropped.length) parts.push(`bỏ cột dữ liệu cá nhân: ${s.personalColumnsDropped.join(', ')}`);
  if (s.unitsCreated.length) parts.push(newUnitsPart(s.unitsCreated));
  if (s.unusedColumns.length) parts.push(`cột không dùng: ${s.unusedColumns.join(', ')}`);
  if (s.unitColumns) parts.push(s.unitColumns);
  parts.push(...readAs(s));
  parts.push(`${formatDecimal(s.seconds, 1)} giây`);
  return `${basename(s.file)} [lô ${s.batchId}]: ${parts.join('; ')}`;
}

/** How many new units the line names: a province's first export brings hundreds, which would bury the rest. */
export const NEW_UNITS_NAMED = 10;

function newUnitsPart(names: string[]): string {
  if (names.length <= NEW_UNITS_NAMED) return `đơn vị mới: ${names.join(', ')}`;
  const named = names.slice(0, NEW_UNITS_NAMED).join(', ');
  return `${formatCount(names.length)} đơn vị mới: ${named} và ${formatCount(names.length - NEW_UNITS_NAMED)} đơn vị khác (xem tthc units list)`;
}

const FORMAT_NAMES: Record<string, string> = {
  xls: 'Excel 97-2003 (.xls)', 'xls-html': 'bảng HTML lưu dưới tên .xls', ods: 'OpenDocument (.ods)', xlsb: 'Excel nhị phân (.xlsb)',
};
const ENCODING_NAMES: Record<string, string> = {
  'utf-16le': 'UTF-16 LE', 'utf-16be': 'UTF-16 BE', 'windows-1258': 'Windows-1258 (mã Windows tiếng Việt)',
};

/** How the file was read, where that is worth saying: its format and encoding, the sheets read and skipped. */
function readAs(s: FileSummary): string[] {
  const parts: string[] = [];
  if (FORMAT_NAMES[s.format]) parts.push(`đọc dạng ${FORMAT_NAMES[s.format]}`);
  if (s.encoding && s.encoding !== 'utf-8') parts.push(`mã ký tự ${ENCODING_NAMES[s.encoding] ?? s.encoding}`);
  if (s.dateOrder === 'mdy') parts.push(`ngày đọc theo thứ tự tháng/ngày${s.dateOrderProved ? ' (các ngày của tệp cho thấy như vậy)' : ''}`);
  if (s.sheets.length > 1) {
    const read = s.sheets.filter((sheet) => sheet.read);
    parts.push(`đã đọc ${read.length === 1 ? 'trang' : `${read.length} trang`} ${read.map((sheet) => `'${sheet.name}'`).join(', ')}`);
    for (const sheet of s.sheets.filter((sheet) => !sheet.read)) {
      parts.push(sheet.skipped === 'trang ẩn' ? `bỏ qua trang ẩn '${sheet.name}'` : `bỏ qua trang '${sheet.name}': ${sheet.skipped}`);
    }
  }
  return parts;
}

function parseDateOrder(value: string | undefined): DateOrder | undefined {
  if (value === undefined) return undefined;
  const order = value.trim().toLowerCase();
  if (order === 'dmy' || order === 'mdy') return order;
  throw new UserError(`--date-order phải là dmy (ngày/tháng) hoặc mdy (tháng/ngày) (nhận được "${value}")`);
}

function makeProgress(enabled: boolean) {
  if (!enabled) return { update: () => {}, stop: () => {} };
  let bar: cliProgress.SingleBar | undefined;
  return {
    update(rows: number) {
      if (!bar) {
        bar = new cliProgress.SingleBar(
          { format: 'Đang nhập {value} dòng…', stream: process.stderr, clearOnComplete: true, hideCursor: true },
          cliProgress.Presets.shades_classic,
        );
        bar.start(0, rows);
      }
      bar.update(rows);
    },
    stop() {
      bar?.stop();
      bar = undefined;
    },
  };
}
