import cliProgress from 'cli-progress';
import type { Command } from 'commander';
import { basename } from 'node:path';
import { formatCount, formatDecimal } from '../../domain/numbers.ts';
import { loadProfile, parseMapOptions } from '../../import/columns.ts';
import { importFiles, type FileSummary } from '../../import/index.ts';
import type { DossierField } from '../../import/types.ts';
import { collect, withDb } from '../common.ts';

export function register(program: Command): void {
  program
    .command('import')
    .description('Import dossier exports (.xlsx, .csv, or folders of them) into the database, one transaction per file')
    .argument('<paths...>', 'export files or folders (every .xlsx/.csv inside, sub-folders too, in name order)')
    .option('--unit <name>', 'unit for rows without a unit column or with an empty unit cell')
    .option('--strict', 'one bad row fails the whole file: nothing from it is stored, exit code 1')
    .option('--map <header=field>', 'map a header of the file to a field (repeatable), e.g. "Ngày nộp HS=receivedAt"', collect)
    .option('--profile <file.json>', 'column mapping profile, see imports/profiles/')
    .option('--silent', 'no progress on stderr')
    .action(async (paths: string[], opts, command: Command) => {
      const columns: Record<string, DossierField> = {
        ...(opts.profile ? loadProfile(opts.profile) : {}),
        ...parseMapOptions(opts.map ?? []),
      };
      const failed: string[] = [];
      await withDb(command, async (db) => {
        const progress = makeProgress(!opts.silent && process.stderr.isTTY);
        await importFiles(db, paths, {
          unit: opts.unit,
          strict: opts.strict,
          columns,
          onProgress: progress.update,
          onFile: (summary) => {
            progress.stop();
            process.stdout.write(`${summaryLine(summary)}\n`);
          },
          onFileError: (error) => {
            progress.stop();
            failed.push(error.message);
            process.stderr.write(`tthc: ${error.message}\n`);
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
  if (s.unitsCreated.length) parts.push(`đơn vị mới: ${s.unitsCreated.join(', ')}`);
  parts.push(`${formatDecimal(s.seconds, 1)} giây`);
  return `${basename(s.file)} [lô ${s.batchId}]: ${parts.join('; ')}`;
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
