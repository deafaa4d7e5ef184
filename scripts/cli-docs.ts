// Writes docs/cli.md, the CLI reference, from the program's own --help: `npm run docs:cli`. A test fails when the
// file differs from what this prints, so the reference cannot drift from the CLI.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import { buildProgram } from '../src/cli/index.ts';

export const CLI_REFERENCE_FILE = join(import.meta.dirname, '..', 'docs', 'cli.md');

function walk(command: Command, path: string[]): Array<[string[], Command]> {
  return [[path, command], ...command.commands.flatMap((c) => walk(c, [...path, c.name()]))];
}

/** The reference: every command's help, as `tthc … --help` prints it at 100 columns. */
export async function cliReference(): Promise<string> {
  const program = await buildProgram();
  const parts = [
    '# CLI reference',
    '',
    'Generated from `--help` by `npm run docs:cli`; a test fails when it is out of date. The rules behind each',
    'figure are in [rules.md](rules.md).',
  ];
  for (const [path, command] of walk(program, ['tthc'])) {
    if (command.name() === 'help') continue;
    command.configureOutput({ getOutHelpWidth: () => 100, getErrHelpWidth: () => 100 });
    parts.push('', `## ${path.join(' ')}`, '', '```text', command.helpInformation().trimEnd(), '```');
  }
  return `${parts.join('\n')}\n`;
}

if (process.argv[1] === import.meta.filename) {
  writeFileSync(CLI_REFERENCE_FILE, await cliReference());
  process.stdout.write(`wrote ${CLI_REFERENCE_FILE}\n`);
}
