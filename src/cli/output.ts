import { stringify } from 'csv-stringify/sync';
import type { Command } from 'commander';
import type { Db } from '../db/connection.ts';
import { parseFormat, withDb, type OutputFormat } from './common.ts';

/** A column of a printed listing: the record key, and the Vietnamese header shown in tables and CSV. */
export interface Column<T> {
  key: keyof T & string;
  header: string;
  /** How a table cell shows the value (vi-VN numbers, dates); CSV and JSON keep the raw value. */
  show?: (value: T[keyof T], record: T) => string;
  align?: 'left' | 'right';
}

/**
 * Renders records for the terminal (an aligned text table), as CSV (UTF-8 with a BOM so that Excel opens
 * Vietnamese text right; Vietnamese headers), or as JSON (the records' own keys).
 */
export function renderRecords<T extends object>(records: T[], columns: Column<T>[], format: OutputFormat): string {
  if (format === 'json') return `${JSON.stringify(records, null, 2)}\n`;
  if (format === 'csv') {
    return `\uFEFF${stringify([
      columns.map((c) => c.header),
      ...records.map((r) => columns.map((c) => raw(r[c.key]))),
    ])}`;
  }
  const cells = records.map((r) => columns.map((c) => (c.show ? c.show(r[c.key], r) : raw(r[c.key]))));
  const widths = columns.map((c, i) => Math.max(width(c.header), ...cells.map((row) => width(row[i]))));
  const line = (row: string[]) =>
    row
      .map((cell, i) => {
        const pad = ' '.repeat(widths[i] - width(cell));
        const right = columns[i].align === 'right' || (columns[i].align === undefined && /^[\d.,\s%-]+$/.test(cell) && cell !== '');
        return right ? pad + cell : cell + pad;
      })
      .join('  ')
      .trimEnd();
  return `${[line(columns.map((c) => c.header)), widths.map((w) => '-'.repeat(w)).join('  '), ...cells.map(line)].join('\n')}\n`;
}

function raw(value: unknown): string {
  if (value === null || value === undefined) return '';
  return String(value);
}

// Terminal width of Vietnamese text: combining marks take no column.
function width(text: string): number {
  return text.normalize('NFC').replace(/\p{M}/gu, '').length;
}

/**
 * A command that lists records from the database (`units list`, `procedures list`, `batches`): the --format
 * option, the database, and the rendering, around the one query that differs.
 */
export function listCommand<T extends object>(
  command: Command,
  load: (db: Db) => Promise<T[]>,
  columns: Column<T>[],
): Command {
  return command.option('--format <format>', 'table, csv or json', 'table').action(async (opts, self: Command) => {
    const format = parseFormat(opts.format);
    await withDb(self, async (db) => {
      process.stdout.write(renderRecords(await load(db), columns, format));
    });
  });
}
