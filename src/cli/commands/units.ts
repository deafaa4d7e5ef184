import type { Command } from 'commander';
import { LEVEL_LABELS, type Level } from '../../domain/levels.ts';
import { importUnits } from '../../import/index.ts';
import { withDb } from '../common.ts';
import { listCommand } from '../output.ts';

export function register(program: Command): void {
  const units = program.command('units').description('The unit catalogue (đơn vị): import and list');
  units
    .command('import')
    .description('Import units from .xlsx/.csv: Mã đơn vị, Tên đơn vị, Cấp, Mã đơn vị cấp trên (or code, name, level, parent_code)')
    .argument('<file>')
    .action(async (file: string, _opts, command: Command) => {
      await withDb(command, async (db) => {
        const { imported } = await importUnits(db, file);
        process.stdout.write(`${file}: ${imported} đơn vị\n`);
      });
    });
  listCommand(
    units.command('list').description('List the units with their level and parent'),
    (db) =>
      db
        .selectFrom('units')
        .select(['code', 'name', 'level', 'parent_code as parentCode', 'valid_from as validFrom', 'valid_to as validTo', 'successor_code as successorCode'])
        .orderBy('level').orderBy('name')
        .execute(),
    [
      { key: 'code', header: 'Mã đơn vị' },
      { key: 'name', header: 'Tên đơn vị' },
      { key: 'level', header: 'Cấp', show: (v) => LEVEL_LABELS[v as Level] },
      { key: 'parentCode', header: 'Mã đơn vị cấp trên' },
      { key: 'validFrom', header: 'Hiệu lực từ' },
      { key: 'validTo', header: 'Hiệu lực đến' },
      { key: 'successorCode', header: 'Mã đơn vị kế thừa' },
    ],
  );
}
