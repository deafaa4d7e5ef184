import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

// The tests that run bin/tthc.js as a user would run the build in dist/, and the packed-package test packs it:
// rebuild it first when a source is newer (esbuild, then tsc's declarations; 10-20 s). Nothing rebuilds it while
// the tests run.
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
  const built = [join(root, 'dist', 'cli.js'), join(root, 'dist', 'types', 'src', 'index.d.ts')];
  const sources = Math.max(newest(join(root, 'src')), newest(join(root, 'schema')), statSync(join(root, 'package.json')).mtimeMs);
  if (built.every((file) => existsSync(file) && statSync(file).mtimeMs >= sources)) return;
  execFileSync(process.execPath, [join(root, 'scripts', 'build.mjs')], { cwd: root, stdio: 'inherit' });
}
