import type { Command } from 'commander';
import { commandPath } from './command-path.ts';
import { inSnapshot, openDatabase, resolveDbTarget, type Db } from '../db/connection.ts';
import { emptiness, firstStepsMessage, isMissingFile, type Needs } from './first-steps.ts';

import { UserError } from '../domain/errors.ts';

export { UserError };

/**
 * Commands that only read, and what they need. On a missing database they do not create it, and on one without
 * what they read they say so (firstStepsMessage) instead of printing an empty table.
 */
const READING_COMMANDS: Record<string, Needs> = {
  stats: 'dossiers',
  dossiers: 'dossiers',
  rank: 'dossiers',
  report: 'dossiers',
  batches: 'anything',
  rejects: 'anything',
  'units list': 'anything',
  'procedures list': 'anything',
};

/**
 * Opens the database named by --db (before or after the command), TTHC_DB, or ./tthc.db; closes it after. A
 * reading command (READING_COMMANDS) on a missing or empty database is a UserError that names the databases
 * nearby and how to import.
 */
export async function withDb<T>(command: Command, body: (db: Db) => Promise<T>): Promise<T> {
  const target = resolveDbTarget(command.optsWithGlobals().db);
  const name = commandPath(command);
  const needs = READING_COMMANDS[name];
  if (needs && isMissingFile(target)) throw new UserError(firstStepsMessage(target, 'missing', name));
  const db = await openDatabase(target);
  try {
    if (needs) {
      const why = await emptiness(db, needs);
      if (why) throw new UserError(firstStepsMessage(target, why, name));
      // A reading command sees one state of the database, never half of an import that commits meanwhile.
      return await inSnapshot(db, body);
    }
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
