import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

// The tests that run bin/tthc.js as a user would run the build in dist/: rebuild its JavaScript first when a
// source is newer than it (esbuild, under a second).
const root = join(import.meta.dirname, '..', '..');

function newest(dir: string): number {
  let latest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    latest = Math.max(latest, entry.isDirectory() ? newest(path) : statSync(path).mtimeMs);
  }
  return latest;
}

export default function setup(): void {
  const built = join(root, 'dist', 'cli.js');
  const sources = Math.max(newest(join(root, 'src')), newest(join(root, 'schema')), statSync(join(root, 'package.json')).mtimeMs);
  if (existsSync(built) && statSync(built).mtimeMs >= sources) return;
  execFileSync(process.execPath, [join(root, 'scripts', 'build.mjs'), '--js-only'], { cwd: root, stdio: 'inherit' });
}
