import { readFileSync } from 'node:fs';
import { relative } from 'node:path';

// Reads a V8 .cpuprofile (node --cpu-prof) and tells where the time went: self time per function and per
// source file, so that a missed target comes with the place to look at.

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
  children?: number[];
}
interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
  endTime: number;
}

export interface ProfileSummary {
  totalMs: number;
  /** Sampled time not spent idle. */
  busyMs: number;
  byFunction: Array<{ name: string; ms: number; share: number }>;
  byFile: Array<{ file: string; ms: number; share: number }>;
}

function place(url: string, root: string): string {
  if (!url) return '(native / GC / idle)';
  const path = url.replace(/^file:\/\//, '');
  const nm = path.indexOf('node_modules/');
  if (nm >= 0) return path.slice(nm + 'node_modules/'.length).replace(/^(@[^/]+\/[^/]+|[^/]+)\/.*$/, '$1 (dependency)');
  if (path.startsWith('node:')) return path;
  return relative(root, path);
}

export function summarizeProfile(file: string, root: string, top = 15): ProfileSummary {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map<number, number>();
  for (let i = 0; i < profile.samples.length; i++) {
    const delta = (profile.timeDeltas[i + 1] ?? 0) / 1000;
    self.set(profile.samples[i], (self.get(profile.samples[i]) ?? 0) + delta);
  }
  const fn = new Map<string, number>();
  const files = new Map<string, number>();
  let total = 0;
  let idle = 0;
  for (const [id, ms] of self) {
    const node = byId.get(id)!;
    const { functionName, url, lineNumber } = node.callFrame;
    if (functionName === '(idle)') idle += ms;
    const where = place(url, root);
    const name = `${functionName || '(anonymous)'} ${url ? `${where}:${lineNumber + 1}` : where}`;
    fn.set(name, (fn.get(name) ?? 0) + ms);
    const fileKey = functionName === '(garbage collector)' ? '(garbage collector)' : functionName === '(idle)' ? '(idle: waiting for I/O)' : where;
    files.set(fileKey, (files.get(fileKey) ?? 0) + ms);
    total += ms;
  }
  const sorted = (m: Map<string, number>) => [...m].sort((a, b) => b[1] - a[1]).slice(0, top);
  return {
    totalMs: total,
    busyMs: total - idle,
    byFunction: sorted(fn).map(([name, ms]) => ({ name, ms, share: ms / total })),
    byFile: sorted(files).map(([file, ms]) => ({ file, ms, share: ms / total })),
  };
}

export function printProfile(label: string, summary: ProfileSummary): string {
  const lines = [`CPU profile of ${label} (${(summary.totalMs / 1000).toFixed(1)} s sampled), self time:`];
  lines.push('  by file:');
  for (const f of summary.byFile) lines.push(`    ${(f.share * 100).toFixed(1).padStart(5)} %  ${(f.ms / 1000).toFixed(2).padStart(6)} s  ${f.file}`);
  lines.push('  by function:');
  for (const f of summary.byFunction) lines.push(`    ${(f.share * 100).toFixed(1).padStart(5)} %  ${(f.ms / 1000).toFixed(2).padStart(6)} s  ${f.name}`);
  const text = lines.join('\n');
  console.log(text);
  return text;
}
