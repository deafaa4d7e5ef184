import { Command, CommanderError, type HelpContext } from 'commander';
import { UserError } from '../domain/errors.ts';
import { commandPath } from './command-path.ts';
import { SUMMARIES } from './summaries.ts';
import { packageVersion } from './version.ts';

interface CommandModule {
  register(program: Command): void;
}

// Each command is one file under commands/ that parses its arguments, calls the library and prints. A run loads
// only the command it runs (and what that command imports): `tthc --help` and `tthc stats` never load exceljs,
// pg or vega.
const COMMANDS: Record<keyof typeof SUMMARIES, () => Promise<CommandModule>> = {
  import: () => import('./commands/import.ts'),
  units: () => import('./commands/units.ts'),
  procedures: () => import('./commands/procedures.ts'),
  batches: () => import('./commands/batches.ts'),
  rejects: () => import('./commands/rejects.ts'),
  stats: () => import('./commands/stats.ts'),
  dossiers: () => import('./commands/dossiers.ts'),
  rank: () => import('./commands/rank.ts'),
  report: () => import('./commands/report.ts'),
  verify: () => import('./commands/verify.ts'),
  check: () => import('./commands/check.ts'),
  demo: () => import('./commands/demo.ts'),
  serve: () => import('./commands/serve.ts'),
};
type CommandName = keyof typeof COMMANDS;
export const COMMAND_NAMES = Object.keys(COMMANDS) as CommandName[];

/**
 * The program with the named commands fully defined (all of them by default); the others are listed by name and
 * summary only, which is all that `tthc --help` and a mistyped command's suggestion need.
 */
export async function buildProgram(names: readonly CommandName[] = COMMAND_NAMES): Promise<Command> {
  const program = new TthcCommand('tthc')
    .description(
      'Statistics of administrative-procedure dossiers (hồ sơ TTHC) from the exports of Vietnam\'s one-stop systems',
    )
    .option('--db <path-or-url>', 'SQLite file or postgres:// URL (env TTHC_DB; default ./tthc.db)')
    .version(packageVersion(), '-V, --version', 'print the version')
    .exitOverride();
  const modules = new Map(await Promise.all(names.map(async (name) => [name, await COMMANDS[name]()] as const)));
  for (const name of COMMAND_NAMES) {
    const module = modules.get(name);
    if (module) module.register(program);
    else program.command(name).description(SUMMARIES[name]);
  }
  return program;
}

/** The command a command line runs ("stats" in `tthc --db x.db stats --year 2022`; the one `help` names). */
export function commandOf(args: readonly string[]): CommandName | undefined {
  const words: string[] = [];
  for (let i = 0; i < args.length; i++) {
    if (args[i] === '--db') i++;
    else if (!args[i].startsWith('-')) words.push(args[i]);
  }
  const name = words[0] === 'help' ? words[1] : words[0];
  return name !== undefined && Object.hasOwn(COMMANDS, name) ? (name as CommandName) : undefined;
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
  const name = commandOf(argv.slice(2));
  const program = await buildProgram(name ? [name] : []);
  try {
    await program.parseAsync(argv);
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode;
    if (error instanceof UserError) {
      process.stderr.write(`tthc: ${error.message}\n`);
      return 1;
    }
    // A driver's error after the database was opened (a full disk, a server gone): said in words, exit code 1.
    const [{ resolveDbTarget }, { explainDriverError }] = await Promise.all([import('../db/connection.ts'), import('../db/driver-errors.ts')]);
    const explained = explainDriverError(error, resolveDbTarget(program.opts().db));
    if (explained) {
      process.stderr.write(`tthc: ${explained} (${(error as Error)?.message ?? error})\n`);
      return 1;
    }
    return reportBug(error);
  }
}

/** Anything that is not a UserError is a bug in tthc: one line, exit code 2, the stack only with TTHC_DEBUG. */
export function reportBug(error: unknown): number {
  const message = firstLine(error instanceof Error ? error.message : String(error));
  if (process.env.TTHC_DEBUG) {
    process.stderr.write(`tthc: lỗi không mong đợi (lỗi của tthc): ${message}\n${(error as Error)?.stack ?? ''}\n`);
  } else {
    process.stderr.write(`tthc: lỗi không mong đợi (lỗi của tthc): ${message}; chạy lại với TTHC_DEBUG=1 để xem chi tiết\n`);
  }
  return 2;
}

const firstLine = (text: string) => text.split('\n', 1)[0];
