// Plain-text result tables for the terminal and for docs/benchmarks.md (Markdown).

export type Cell = string | number;

export function formatNumber(value: number, digits = 0): string {
  return value.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

export function printTable(headers: string[], rows: Cell[][]): string {
  const text = rows.map((r) => r.map(String));
  const widths = headers.map((h, i) => Math.max(h.length, ...text.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) =>
    cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  const out = [line(headers), widths.map((w) => '-'.repeat(w)).join('  '), ...text.map(line)].join('\n');
  console.log(out);
  return out;
}

export function markdownTable(headers: string[], rows: Cell[][]): string {
  return [
    `| ${headers.join(' | ')} |`,
    `| ${headers.map((_, i) => (i === 0 ? '---' : '---:')).join(' | ')} |`,
    ...rows.map((r) => `| ${r.map(String).join(' | ')} |`),
  ].join('\n');
}

export interface Target {
  name: string;
  met: boolean;
  detail: string;
}

export function printTargets(targets: Target[]): void {
  for (const t of targets) console.log(`${t.met ? 'MET   ' : 'MISSED'}  ${t.name}: ${t.detail}`);
}
