import { Command, CommanderError, type HelpContext } from 'commander';
import { DatabaseError, resolveDbTarget } from '../db/connection.ts';
import { explainDriverError } from '../db/driver-errors.ts';
import { PeriodError } from '../domain/periods.ts';
import { InputError } from '../import/types.ts';
import { StatsQueryError } from '../stats/types.ts';
import { commandPath, UserError } from './common.ts';
import * as batches from './commands/batches.ts';
import * as check from './commands/check.ts';
import * as demo from './commands/demo.ts';
import * as dossiers from './commands/dossiers.ts';
import * as importCommand from './commands/import.ts';
import * as procedures from './commands/procedures.ts';
import * as rejects from './commands/rejects.ts';
import * as report from './commands/report.ts';
import * as serve from './commands/serve.ts';
import * as stats from './commands/stats.ts';
import * as units from './commands/units.ts';
import * as verify from './commands/verify.ts';

// Each command is one file under commands/ that only parses its arguments, calls the library and prints.
const COMMANDS = [importCommand, units, procedures, batches, rejects, stats, dossiers, report, verify, check, demo, serve];

export function buildProgram(): Command {
  const program = new TthcCommand('tthc')
    .description(
      'Statistics of administrative-procedure dossiers (hồ sơ TTHC) from the exports of Vietnam\'s one-stop systems',
    )
    .option('--db <path-or-url>', 'SQLite file or postgres:// URL (env TTHC_DB; default ./tthc.db)')
    .exitOverride();
  for (const command of COMMANDS) command.register(program);
  return program;
}

/**
 * Commander with its errors in Vietnamese, each one line naming the command ("--help" stays English). Every
 * command of the program is one: `command()` makes them with createCommand.
 */
class TthcCommand extends Command {
  override createCommand(name?: string): Command {
    return new TthcCommand(name);
  }

  override error(message: string, errorOptions?: { code?: string; exitCode?: number }): never {
    return super.error(`tthc: ${commanderMessage(message, this)}`, errorOptions);
  }

  // A command run without one of its sub-commands ("tthc", "tthc units") gets a line, not the English help.
  override help(context?: HelpContext): never;
  override help(cb: (str: string) => string): never;
  override help(context?: HelpContext | ((str: string) => string)): never {
    if (typeof context === 'object' && context.error) {
      // `tthc help NAME` with an unknown NAME comes here too.
      const [first, second] = this.args;
      if (first === 'help' && second !== undefined) return this.error(`error: unknown command '${second}'`, { code: 'commander.unknownCommand' });
      return this.error('error: missing command', { code: 'commander.missingCommand' });
    }
    return super.help(context as HelpContext);
  }
}

/** Commander's English error message (commander 14) in Vietnamese, with its suggestion kept. */
export function commanderMessage(message: string, command: Command): string {
  const name = ['tthc', commandPath(command)].filter(Boolean).join(' ');
  const help = ` (xem ${name} --help)`;
  const [first, ...rest] = message.replace(/^error: /, '').split('\n');
  const did = /\(Did you mean (one of )?(.+)\?\)/.exec(rest.join(' '));
  const suggestion = did ? ` (bạn muốn gõ ${did[1] ? 'một trong ' : ''}${did[2]}?)` : '';
  const subcommands = command.commands.map((c) => c.name()).filter((n) => n !== 'help');
  let m: RegExpExecArray | null;
  if ((m = /^unknown option '(.+)'$/.exec(first))) return `không có tuỳ chọn '${m[1]}'${suggestion || help}`;
  if ((m = /^unknown command '(.+)'$/.exec(first))) {
    return `không có lệnh '${m[1]}'${suggestion || ` (các lệnh: ${subcommands.join(', ')})`}`;
  }
  if (first === 'missing command') {
    return `thiếu tên lệnh${command.parent ? ` sau '${name}'` : ''}, một trong: ${subcommands.join(', ')}${help}`;
  }
  if ((m = /^missing required argument '(.+)'$/.exec(first))) return `lệnh ${name} thiếu đối số <${m[1]}>${help}`;
  if ((m = /^option '(.+)' argument missing$/.exec(first))) return `tuỳ chọn '${m[1]}' cần một giá trị${help}`;
  if ((m = /^required option '(.+)' not specified$/.exec(first))) return `thiếu tuỳ chọn bắt buộc '${m[1]}'${help}`;
  if ((m = /^too many arguments(?: for '.+')?\. Expected (\d+) arguments? but got (\d+)\.$/.exec(first))) {
    const extra = command.args.slice(Number(m[1]));
    const which = extra.length ? `: ${extra.map((a) => `'${a}'`).join(' ')}` : '';
    return `lệnh ${name} thừa đối số${which} (nhận ${m[1]} đối số, đã gõ ${m[2]}; giá trị có dấu cách phải đặt trong ngoặc kép)`;
  }
  if ((m = /^option '(.+)' (?:argument|value) '(.*)'(?: from env '(.+)')? is invalid\.\s*(.*)$/s.exec(message.replace(/^error: /, '')))) {
    return `giá trị '${m[2]}' của tuỳ chọn '${m[1]}' không hợp lệ${invalidDetail(m[4])}`;
  }
  if ((m = /^command-argument value '(.*)' is invalid for argument '(.+)'\.\s*(.*)$/s.exec(message.replace(/^error: /, '')))) {
    return `giá trị '${m[1]}' của đối số <${m[2]}> không hợp lệ${invalidDetail(m[3])}`;
  }
  if ((m = /^(.+) cannot be used with (.+)$/.exec(first))) return `không dùng được ${optionWords(m[1])} cùng với ${optionWords(m[2])}`;
  return `lỗi dòng lệnh: ${message.replace(/^error: /, '')}${help}`;
}

function invalidDetail(detail: string): string {
  const choices = /^Allowed choices are (.+)\.$/.exec(detail.trim());
  if (choices) return `: chọn một trong ${choices[1]}`;
  return detail.trim() ? `: ${detail.trim()}` : '';
}

const optionWords = (text: string) =>
  text.replace(/^option /, 'tuỳ chọn ').replace(/^environment variable /, 'biến môi trường ');

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
    // A driver's error after the database was opened (a full disk, a server gone): said in words, exit code 1.
    const explained = explainDriverError(error, resolveDbTarget(program.opts().db));
    if (explained) {
      process.stderr.write(`tthc: ${explained} (${(error as Error)?.message ?? error})\n`);
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
