import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

let root: string | undefined;

/**
 * A file shipped with tthc (package.json, reports/…, imports/profiles/…), found from the package's root: the
 * first folder above this module with a package.json named tthc. The same code runs from src/ (sources) and from
 * a bundled chunk in dist/, at different depths.
 */
export function packageFile(relative: string): string {
  root ??= findRoot(dirname(fileURLToPath(import.meta.url)));
  return join(root, relative);
}

function findRoot(start: string): string {
  for (let dir = start; ; dir = dirname(dir)) {
    const candidate = join(dir, 'package.json');
    if (existsSync(candidate) && /"name":\s*"tthc"/.test(readFileSyncSafe(candidate))) return dir;
    if (dirname(dir) === dir) throw new Error(`tthc's package.json not found above ${start}`);
  }
}

function readFileSyncSafe(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return '';
  }
}
