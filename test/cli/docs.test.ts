import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { buildProgram } from '../../src/cli/index.ts';

const README = readFileSync(resolve(import.meta.dirname, '../../README.md'), 'utf8');

function commands(program: Command, prefix = 'tthc'): Array<[string, Command]> {
  return program.commands.flatMap((c) => {
    const name = `${prefix} ${c.name()}`;
    return [[name, c] as [string, Command], ...commands(c, name)];
  });
}

describe('the README and --help keep up with the CLI', () => {
  const all = commands(buildProgram());
  it.each(all.map(([name, c]) => [name, c]))('%s is in the README and has help text', (name, c) => {
    expect(README).toContain(name);
    expect((c as Command).description().length).toBeGreaterThan(10);
  });
  it('documents every option of every command', () => {
    for (const [name, c] of all) {
      for (const option of c.options) expect(README, `${name} ${option.long}`).toContain(option.long!);
    }
  });
});
