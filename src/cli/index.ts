import { Command, CommanderError } from 'commander';
import { DatabaseError } from '../db/connection.ts';
import { PeriodError } from '../domain/periods.ts';
import { InputError } from '../import/types.ts';
import { StatsQueryError } from '../stats/types.ts';
import { UserError } from './common.ts';
import * as batches from './commands/batches.ts';
import * as demo from './commands/demo.ts';
import * as dossiers from './commands/dossiers.ts';
import * as importCommand from './commands/import.ts';
import * as procedures from './commands/procedures.ts';
import * as rejects from './commands/rejects.ts';
import * as report from './commands/report.ts';
import * as stats from './commands/stats.ts';
import * as units from './commands/units.ts';

// Each command is one file under commands/ that only parses its arguments, calls the library and prints.
const COMMANDS = [importCommand, units, procedures, batches, rejects, stats, dossiers, report, demo];

export function buildProgram(): Command {
  const program = new Command('tthc')
    .description(
      'Statistics of administrative-procedure dossiers (hồ sơ TTHC) from the exports of Vietnam\'s one-stop systems',
    )
    .option('--db <path-or-url>', 'SQLite file or postgres:// URL (env TTHC_DB; default ./tthc.db)')
    .showHelpAfterError()
    .exitOverride();
  for (const command of COMMANDS) command.register(program);
  return program;
}

/** Runs the CLI; returns the exit code. User errors print one line on stderr. */
export async function main(argv: string[]): Promise<number> {
  const program = buildProgram();
  try {
    await program.parseAsync(argv);
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode;
    if (isUserError(error)) {
      process.stderr.write(`tthc: ${(error as Error).message}\n`);
      return 1;
    }
    process.stderr.write(`tthc: lỗi không mong đợi: ${(error as Error)?.message ?? error}\n`);
    if (process.env.TTHC_DEBUG) process.stderr.write(`${(error as Error)?.stack}\n`);
    return 2;
  }
}

function isUserError(error: unknown): boolean {
  return (
    error instanceof UserError ||
    error instanceof InputError ||
    error instanceof DatabaseError ||
    error instanceof PeriodError ||
    error instanceof StatsQueryError
  );
}
