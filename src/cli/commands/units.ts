import type { Command } from 'commander';
import { LEVEL_LABELS, type Level } from '../../domain/levels.ts';
import { viDay } from '../../domain/periods.ts';
import { importUnitMapping } from '../../import/catalogues.ts';
import { importUnits } from '../../import/index.ts';
import { findUnit, listUnits } from '../../units/catalogue.ts';
import { unitHistory } from '../../units/chain.ts';
import { parseFormat, withDb } from '../common.ts';
import { listCommand, renderRecords, type Column } from '../output.ts';
import { SUMMARIES } from '../summaries.ts';

const showDay = (v: unknown) => (v ? viDay(String(v)) : '');

export function register(program: Command): void {
  const units = program.command('units').description(SUMMARIES.units);
  units
    .command('import')
    .description(
      'Import units from .xlsx/.csv: Mã đơn vị, Tên đơn vị, Cấp, Mã đơn vị cấp trên, Hiệu lực từ, Hiệu lực đến, Mã đơn vị kế thừa',
    )
    .argument('<file>')
    .action(async (file: string, _opts, command: Command) => {
      await withDb(command, async (db) => {
        const { imported } = await importUnits(db, file);
        process.stdout.write(`${file}: ${imported} đơn vị\n`);
      });
    });
  units
    .command('map')
    .description(
      'Apply a reform mapping from .xlsx/.csv: Mã đơn vị cũ or Tên đơn vị cũ, Mã đơn vị mới (Tên đơn vị mới), Từ ngày: ' +
        'the old unit ends the day before and the new one succeeds it',
    )
    .argument('<file>')
    .action(async (file: string, _opts, command: Command) => {
      await withDb(command, async (db) => {
        const { mapped, created } = await importUnitMapping(db, file);
        process.stdout.write(
          `${file}: ${mapped} đơn vị cũ có đơn vị kế thừa` + (created.length ? `; thêm ${created.length} đơn vị mới: ${created.join(', ')}` : '') + '\n',
        );
      });
    });
  listCommand(
    units.command('list').description('List the units with their level, parent, validity and successor'),
    (db) => listUnits(db),
    [
      { key: 'code', header: 'Mã đơn vị' },
      { key: 'name', header: 'Tên đơn vị' },
      { key: 'level', header: 'Cấp', show: (v) => LEVEL_LABELS[v as Level] },
      { key: 'parentCode', header: 'Mã đơn vị cấp trên' },
      { key: 'validFrom', header: 'Hiệu lực từ', show: showDay },
      { key: 'validTo', header: 'Hiệu lực đến', show: showDay },
      { key: 'successorCode', header: 'Mã đơn vị kế thừa' },
    ],
  );
  units
    .command('history')
    .description("A unit's chain: the units it succeeded (earliest first), the unit, and its successors, with their days")
    .argument('<code-or-name>')
    .option('--format <format>', 'table, csv or json', 'table')
    .action(async (wanted: string, opts: { format: string }, command: Command) => {
      const format = parseFormat(opts.format);
      await withDb(command, async (db) => {
        const { unit, all } = await findUnit(db, wanted);
        const records = unitHistory(all, unit.code).map(({ relation, unit }) => ({
          relation, code: unit.code, name: unit.name, level: unit.level,
          validFrom: unit.valid_from, validTo: unit.valid_to, successorCode: unit.successor_code,
        }));
        const columns: Column<(typeof records)[number]>[] = [
          { key: 'relation', header: 'Quan hệ' },
          { key: 'code', header: 'Mã đơn vị' },
          { key: 'name', header: 'Tên đơn vị' },
          { key: 'level', header: 'Cấp', show: (v) => LEVEL_LABELS[v as Level] },
          { key: 'validFrom', header: 'Hiệu lực từ', show: showDay },
          { key: 'validTo', header: 'Hiệu lực đến', show: showDay },
          { key: 'successorCode', header: 'Mã đơn vị kế thừa' },
        ];
        process.stdout.write(renderRecords(records, columns, format));
      });
    });
}
