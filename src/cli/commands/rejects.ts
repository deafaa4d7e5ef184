import type { Command } from 'commander';
import { parseFormat, UserError, withDb } from '../common.ts';
import { renderRecords } from '../output.ts';

export function register(program: Command): void {
  program
    .command('rejects')
    .description('List the rows that imports rejected, with their reasons and their (non-personal) values')
    .option('--batch <n>', 'only this import batch (see tthc batches)')
    .option('--format <format>', 'table, csv or json', 'table')
    .action(async (opts, command: Command) => {
      const format = parseFormat(opts.format);
      const batch = opts.batch === undefined ? undefined : Number(opts.batch);
      if (batch !== undefined && !Number.isInteger(batch)) throw new UserError(`--batch phải là số lô (nhận được "${opts.batch}")`);
      await withDb(command, async (db) => {
        if (batch !== undefined) {
          const found = await db.selectFrom('import_batches').select('id').where('id', '=', batch).executeTakeFirst();
          if (!found) throw new UserError(`không có lô ${batch} (xem "tthc batches")`);
        }
        let query = db
          .selectFrom('rejected_rows as r')
          .innerJoin('import_batches as b', 'b.id', 'r.batch_id')
          .select(['r.batch_id as batch', 'b.file_name as fileName', 'r.sheet', 'r.row_number as rowNumber', 'r.reasons', 'r.row_values as rowValues'])
          .orderBy('r.batch_id').orderBy('r.row_number');
        if (batch !== undefined) query = query.where('r.batch_id', '=', batch);
        const rows = (await query.execute()).map((r) => ({
          ...r,
          reasons: JSON.parse(r.reasons) as string[],
          rowValues: JSON.parse(r.rowValues) as Record<string, unknown>,
        }));
        process.stdout.write(
          format === 'json'
            ? renderRecords(rows, [], 'json')
            : renderRecords(
                rows.map((r) => ({ ...r, reasons: r.reasons.join('; '), rowValues: JSON.stringify(r.rowValues) })),
                [
                  { key: 'batch', header: 'Lô' },
                  { key: 'fileName', header: 'Tệp' },
                  { key: 'sheet', header: 'Trang' },
                  { key: 'rowNumber', header: 'Dòng' },
                  { key: 'reasons', header: 'Lý do' },
                  { key: 'rowValues', header: 'Giá trị của dòng' },
                ],
                format,
              ),
        );
      });
    });
}
