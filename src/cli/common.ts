import type { Command } from 'commander';
import { openDatabase, resolveDbTarget, type Db } from '../db/connection.ts';

/** An error in what the user asked for or gave: printed as one line, exit code 1, no stack trace. */
export class UserError extends Error {}

/** Opens the database named by --db (before or after the command), TTHC_DB, or ./tthc.db; closes it after. */
export async function withDb<T>(command: Command, body: (db: Db) => Promise<T>): Promise<T> {
  const db = await openDatabase(resolveDbTarget(command.optsWithGlobals().db));
  try {
    return await body(db);
  } finally {
    await db.destroy();
  }
}

export const OUTPUT_FORMATS = ['table', 'csv', 'json'] as const;
export type OutputFormat = (typeof OUTPUT_FORMATS)[number];

export function parseFormat(value: string): OutputFormat {
  if (!(OUTPUT_FORMATS as readonly string[]).includes(value)) {
    throw new UserError(`--format phải là một trong: ${OUTPUT_FORMATS.join(', ')} (nhận được "${value}")`);
  }
  return value as OutputFormat;
}

/** Collects a repeatable option into an array. */
export function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}
