import { stringify } from 'csv-stringify/sync';
import type { Command } from 'commander';
import { writeFileSync } from 'node:fs';
import { listRejects, rejectsTable, writeRejectsWorkbook } from '../../import/rejects.ts';
import { UserError, withDb } from '../common.ts';
import { SUMMARIES } from '../summaries.ts';

const FORMATS = ['table', 'csv', 'xlsx', 'json'] as const;

export function register(program: Command): void {
  program
    .command('rejects')
    .description(SUMMARIES.rejects)
    .option('--batch <n>', 'only this import batch (see tthc batches)')
    .option('--format <format>', `${FORMATS.join(', ')} (xlsx needs --out)`, 'table')
    .option('--out <file>', 'write to this file instead of the terminal (required for xlsx)')
    .action(async (opts, command: Command) => {
      const format = opts.format as (typeof FORMATS)[number];
      if (!FORMATS.includes(format)) throw new UserError(`--format phải là một trong: ${FORMATS.join(', ')} (nhận được "${opts.format}")`);
      if (format === 'xlsx' && !opts.out) throw new UserError('--format xlsx cần --out TỆP.xlsx');
      const batch = opts.batch === undefined ? undefined : Number(opts.batch);
      if (batch !== undefined && !Number.isInteger(batch)) throw new UserError(`--batch phải là số lô (nhận được "${opts.batch}")`);
      await withDb(command, async (db) => {
        const rows = await listRejects(db, { batch });
        if (format === 'xlsx') {
          await writeRejectsWorkbook(rows, opts.out);
          process.stderr.write(`đã ghi ${rows.length} dòng bị từ chối vào ${opts.out}\n`);
          return;
        }
        const text = render(rows, format);
        if (opts.out) writeFileSync(opts.out, text);
        else process.stdout.write(text);
      });
    });
}

function render(rows: Awaited<ReturnType<typeof listRejects>>, format: 'table' | 'csv' | 'json'): string {
  if (format === 'json') return `${JSON.stringify(rows, null, 2)}\n`;
  const table = rejectsTable(rows);
  if (format === 'csv') return `\uFEFF${stringify([table.headers, ...table.rows])}`;
  // The terminal: where each rejected row is and why, one line each.
  if (rows.length === 0) return 'không có dòng nào bị từ chối\n';
  return `${rows
    .map((r) => `lô ${r.batch} ${r.fileName}${r.sheet ? `, trang '${r.sheet}'` : ''}, dòng ${r.rowNumber}: ${r.reasons.join('; ')}`)
    .join('\n')}\n`;
}
