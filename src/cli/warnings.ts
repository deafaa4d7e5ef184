import type { Command } from 'commander';

// What `tthc stats`, `tthc dossiers` and `tthc report` add to the period options for the data's span, and how
// they print the warnings the library gives (src/stats/warnings.ts): one line each on stderr, after the output.

export function addWholePeriodsOption(cmd: Command): Command {
  return cmd.option('--whole-periods', "keep --year/--years periods whole when the data ends inside them (default: cut at the data's last day)");
}

export function printWarnings(warnings: readonly string[]): void {
  for (const line of new Set(warnings)) process.stderr.write(`tthc: cảnh báo: ${line}\n`);
}
