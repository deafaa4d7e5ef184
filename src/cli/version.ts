import { readFileSync } from 'node:fs';
import { packageFile } from '../domain/package-files.ts';

/** tthc's version, from its package.json (the same file in the sources and in the installed package). */
export function packageVersion(): string {
  return (JSON.parse(readFileSync(packageFile('package.json'), 'utf8')) as { version: string }).version;
}
