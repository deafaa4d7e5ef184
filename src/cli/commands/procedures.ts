import type { Command } from 'commander';
import { importProcedures } from '../../import/index.ts';
import { listProcedures } from '../../import/procedures.ts';
import { withDb } from '../common.ts';
import { listCommand } from '../output.ts';
import { SUMMARIES } from '../summaries.ts';
import { printWarnings } from '../warnings.ts';

export function register(program: Command): void {
  const procedures = program.command('procedures').description(SUMMARIES.procedures);
  procedures
    .command('import')
    .description('Import procedures from .xlsx/.csv: Mã thủ tục, Tên thủ tục, Lĩnh vực, Mức độ (2/3/4, một phần, toàn trình), Cấp thực hiện, Thời hạn giải quyết ("10 ngày làm việc", "05 ngày")')
    .argument('<file>')
    .action(async (file: string, _opts, command: Command) => {
      await withDb(command, async (db) => {
        const { imported, warnings } = await importProcedures(db, file);
        process.stdout.write(`${file}: ${imported} thủ tục\n`);
        printWarnings(warnings);
      });
    });
  listCommand(
    procedures.command('list').description('List the procedures'),
    (db) => listProcedures(db),
    [
      { key: 'code', header: 'Mã thủ tục' },
      { key: 'name', header: 'Tên thủ tục' },
      { key: 'field', header: 'Lĩnh vực' },
      { key: 'onlineLevel', header: 'Mức độ' },
      { key: 'level', header: 'Cấp thực hiện' },
      { key: 'duration', header: 'Thời hạn giải quyết' },
    ],
  );
}
