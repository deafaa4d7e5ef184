import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CLI_REFERENCE_FILE, cliReference } from '../../scripts/cli-docs.ts';
import { buildProgram } from '../../src/cli/index.ts';

const README = readFileSync(resolve(import.meta.dirname, '../../README.md'), 'utf8');

describe('the docs keep up with the CLI', () => {
  it('docs/cli.md is the help of every command as the CLI prints it now (npm run docs:cli)', async () => {
    expect(readFileSync(CLI_REFERENCE_FILE, 'utf8')).toBe(await cliReference());
  });

  it('the README names every command, and every command has help text', async () => {
    const program = await buildProgram();
    for (const command of program.commands.filter((c) => c.name() !== 'help')) {
      expect(README).toContain(`tthc ${command.name()}`);
      expect(command.description().length).toBeGreaterThan(10);
    }
  });
});
