import type { Command } from 'commander';
import {
  isClean, isRepairable, MAX_LISTED_DOSSIERS, repairSummary, verifyDatabase, type DossierProblem, type FlowDifference,
  type SummaryCountName, type SummaryDifference, type VerifyResult,
} from '../../audit/verify.ts';
import type { Db } from '../../db/connection.ts';
import { CHANNEL_LABELS, type Channel } from '../../domain/channels.ts';
import { formatCount } from '../../domain/numbers.ts';
import { resolveDbTarget } from '../../db/connection.ts';
import { parseFormat, UserError, withDb } from '../common.ts';
import { firstStepsMessage, isMissingFile } from '../first-steps.ts';
import { renderRecords, type Column } from '../output.ts';
import { unitNames } from '../../units/catalogue.ts';
import { SUMMARIES } from '../summaries.ts';
import { addCalendarOption, calendarFromOptions } from '../calendar-option.ts';

export function register(program: Command): void {
  const cmd = program
    .command('verify')
    .description(SUMMARIES.verify)
    .option('--repair', 'rewrite the outcomes and summary rows that differ, in one transaction')
    .option('--format <format>', 'table or json', 'table');
  addCalendarOption(cmd)
    .action(async (opts: { repair?: boolean; format: string; calendar?: string[] }, command: Command) => {
      const calendar = calendarFromOptions(opts);
      const format = parseFormat(opts.format);
      if (format === 'csv') throw new UserError('tthc verify: --format là table hoặc json');
      // A mistyped path must not create an empty database that then verifies clean.
      const target = resolveDbTarget(command.optsWithGlobals().db);
      if (isMissingFile(target)) throw new UserError(firstStepsMessage(target, 'missing', 'verify'));
      await withDb(command, async (db) => {
        let result = await verifyDatabase(db, { calendar });
        const units = await unitNames(db);
        if (format === 'json') {
          const repaired = opts.repair && isRepairable(result) ? await repairSummary(db, { calendar }) : undefined;
          const after = repaired ? await verifyDatabase(db, { calendar }) : undefined;
          process.stdout.write(`${JSON.stringify({ ...result, ...(repaired ? { repaired, after } : {}) }, null, 2)}\n`);
          process.exitCode = isClean(after ?? result) ? 0 : 1;
          return;
        }
        process.stdout.write(describe(result, units));
        if (opts.repair && isRepairable(result)) {
          const repaired = await repairSummary(db, { calendar });
          if (repaired.dossiersRecounted) {
            process.stdout.write(`\nĐã đếm lại số ngày làm việc giải quyết của ${formatCount(repaired.dossiersRecounted)} hồ sơ theo lịch ngày nghỉ.\n`);
          }
          if (repaired.dossiersReclassified) {
            process.stdout.write(`\nĐã phân loại lại ${formatCount(repaired.dossiersReclassified)} hồ sơ theo trạng thái và các ngày của chính hồ sơ.\n`);
          }
          process.stdout.write(
            repaired.wholeTable
              ? `\nĐã tính lại toàn bộ bảng tổng hợp (${formatCount(repaired.rowsRewritten)} dòng) trong một giao dịch.\n`
              : `\nĐã ghi lại ${formatCount(repaired.rowsRewritten)} dòng tổng hợp khác với hồ sơ, trong một giao dịch.\n`,
          );
          result = await verifyDatabase(db, { calendar });
          process.stdout.write(`Kiểm tra lại sau khi sửa:\n${describe(result, units)}`);
        }
        if (opts.repair && (result.flow.length || result.inconsistentDossierCount)) {
          process.stdout.write(
            '\n--repair chỉ phân loại lại hồ sơ và tính lại bảng tổng hợp. Cân đối sai và hồ sơ mâu thuẫn nằm ở chính dữ liệu hồ sơ: ' +
              'hãy nhập lại tệp xuất mới nhất của các hồ sơ đó.\n',
          );
        }
        process.exitCode = isClean(result) ? 0 : 1;
      });
    });
}


/** The half-month as days: '2022-05-1' → "01–14/05/2022", '2022-05-2' → "15–31/05/2022". */
export function showHalfMonth(halfMonth: string): string {
  const [year, month, half] = halfMonth.split('-');
  const last = new Date(Date.UTC(Number(year), Number(month), 0)).getUTCDate();
  return half === '1' ? `01–14/${month}/${year}` : `15–${last}/${month}/${year}`;
}

export const SUMMARY_COUNT_LABELS: Record<SummaryCountName, string> = {
  received: 'Tiếp nhận',
  ended_early: 'Giải quyết trước hạn',
  ended_on_time: 'Giải quyết đúng hạn',
  ended_late: 'Giải quyết quá hạn',
  ended_rejected: 'Từ chối giải quyết',
  ended_withdrawn: 'Công dân rút hồ sơ',
  overdue_in: 'Bắt đầu quá hạn',
  overdue_out: 'Hết quá hạn (kết thúc)',
};

const PROBLEM_LABELS: Record<DossierProblem, string> = {
  end_without_ended_status: 'có ngày kết thúc nhưng trạng thái chưa kết thúc',
  ended_status_without_end: 'trạng thái đã kết thúc nhưng không có ngày kết thúc',
  ended_before_received: 'ngày kết thúc trước ngày tiếp nhận',
};

const none = (text: string) => text || '(không ghi)';

/** Every record, as tables of PAGE rows (each with its header): a summary wrong everywhere has 100,000s of rows. */
function pages<T extends object>(records: T[], columns: Column<T>[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < records.length; i += PAGE) out.push(renderRecords(records.slice(i, i + PAGE), columns, 'table').trimEnd());
  return out;
}
const PAGE = 5_000;

function describe(result: VerifyResult, units: Map<string, string>): string {
  const out: string[] = [];
  out.push(
    `Đã kiểm tra ${formatCount(result.dossiers)} hồ sơ, ${formatCount(result.summaryRows)} dòng tổng hợp theo nửa tháng ` +
      `và ${formatCount(result.unitMonths)} cặp đơn vị – tháng (${result.seconds.toFixed(1).replace('.', ',')} giây).`,
  );
  if (isClean(result)) {
    out.push('Không có chênh lệch: bảng tổng hợp đúng bằng hồ sơ, mọi đơn vị và tháng đều cân đối.');
    return `${out.join('\n')}\n`;
  }
  const unit = (code: string) => units.get(code) ?? code;
  if (result.summary.length) {
    out.push('', `Bảng tổng hợp theo nửa tháng khác với hồ sơ: ${formatCount(result.summary.length)} chỗ.`);
    const columns: Column<SummaryDifference & { unitName: string }>[] = [
      { key: 'unitName', header: 'Đơn vị' },
      { key: 'unitCode', header: 'Mã đơn vị' },
      { key: 'field', header: 'Lĩnh vực', show: (v) => none(String(v)) },
      { key: 'channel', header: 'Hình thức nộp', show: (v) => (v ? CHANNEL_LABELS[v as Channel] ?? String(v) : none('')) },
      // Rows of the summary by procedure name theirs; the other summary's rows sum every procedure.
      ...(result.summary.some((d) => d.procedureName !== undefined)
        ? [{ key: 'procedureName' as const, header: 'Thủ tục', show: (v: unknown) => (v === undefined ? '(mọi thủ tục)' : none(String(v))) }]
        : []),
      { key: 'halfMonth', header: 'Nửa tháng', show: (v) => showHalfMonth(String(v)) },
      { key: 'figure', header: 'Chỉ số', show: (v) => SUMMARY_COUNT_LABELS[v as SummaryCountName] },
      { key: 'stored', header: 'Đang lưu', show: (v) => formatCount(Number(v)), align: 'right' },
      { key: 'recomputed', header: 'Tính lại', show: (v) => formatCount(Number(v)), align: 'right' },
    ];
    out.push(...pages(result.summary.map((d) => ({ ...d, unitName: unit(d.unitCode) })), columns));
    out.push('Sửa bằng: tthc verify --repair');
  }
  if (result.flow.length) {
    out.push(
      '',
      `Không cân đối (từ kỳ trước + mới tiếp nhận = đã giải quyết + rút + đang giải quyết): ${formatCount(result.flow.length)} đơn vị – tháng.`,
    );
    const columns: Column<FlowDifference & { unitName: string }>[] = [
      { key: 'unitName', header: 'Đơn vị' },
      { key: 'month', header: 'Tháng', show: (v) => `${String(v).slice(5, 7)}/${String(v).slice(0, 4)}` },
      { key: 'carriedOver', header: 'Từ kỳ trước', show: (v) => formatCount(Number(v)) },
      { key: 'receivedTotal', header: 'Mới tiếp nhận', show: (v) => formatCount(Number(v)) },
      { key: 'resolvedTotal', header: 'Đã giải quyết', show: (v) => formatCount(Number(v)) },
      { key: 'withdrawn', header: 'Rút', show: (v) => formatCount(Number(v)) },
      { key: 'pendingTotal', header: 'Đang giải quyết', show: (v) => formatCount(Number(v)) },
      { key: 'inflow', header: 'Vào', show: (v) => formatCount(Number(v)) },
      { key: 'outflow', header: 'Ra + còn', show: (v) => formatCount(Number(v)) },
    ];
    out.push(...pages(result.flow.map((d) => ({ ...d, unitName: unit(d.unitCode) })), columns));
  }
  if (result.classificationDifferenceCount) {
    const more = result.classificationDifferenceCount > MAX_LISTED_DOSSIERS ? ` (${MAX_LISTED_DOSSIERS} chỗ đầu)` : '';
    out.push('', `Kết quả phân loại đang lưu của hồ sơ khác với kết quả tính lại từ trạng thái và các ngày: ${formatCount(result.classificationDifferenceCount)} chỗ${more}.`);
    for (const d of result.classifications) {
      const label = d.column === 'outcome' ? 'kết quả (outcome)' : 'quá hạn từ ngày (overdue_from)';
      out.push(`  ${d.code} (${unit(d.unitCode)}): ${label} đang lưu ${d.stored ?? '(trống)'}, tính lại ${d.recomputed ?? '(trống)'}`);
    }
    out.push('Sửa bằng: tthc verify --repair');
  }
  if (result.workingDaysDifferenceCount) {
    const more = result.workingDaysDifferenceCount > MAX_LISTED_DOSSIERS ? ` (${MAX_LISTED_DOSSIERS} hồ sơ đầu)` : '';
    out.push('', `Số ngày làm việc giải quyết đang lưu khác với số đếm lại theo lịch ngày nghỉ: ${formatCount(result.workingDaysDifferenceCount)} hồ sơ${more}.`);
    for (const d of result.workingDays) out.push(`  ${d.code} (${unit(d.unitCode)}): đang lưu ${d.stored ?? '(trống)'}, đếm lại ${d.recomputed ?? '(trống)'}`);
    out.push('Sửa bằng: tthc verify --repair (cùng --calendar đã dùng khi nhập, nếu có)');
  }
  if (result.inconsistentDossierCount) {
    const more = result.inconsistentDossierCount > MAX_LISTED_DOSSIERS ? ` (${MAX_LISTED_DOSSIERS} hồ sơ đầu)` : '';
    out.push('', `Hồ sơ tự mâu thuẫn: ${formatCount(result.inconsistentDossierCount)}${more}.`);
    for (const d of result.inconsistentDossiers) out.push(`  ${d.code} (${unit(d.unitCode)}): ${PROBLEM_LABELS[d.problem]}`);
  }
  return `${out.join('\n')}\n`;
}
