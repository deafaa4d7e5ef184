import { spawnSync } from 'node:child_process';

// Programs some tests need from the machine (LibreOffice, poppler, Chromium). A test that needs a missing one is
// skipped with the reason printed; CI sets TTHC_TEST_REQUIRE_TOOLS=1 after installing them, which turns the skip
// into a failure, so that CI never passes by skipping.

const found = new Map<string, string | undefined>();

/** The path of a program on PATH (or the first of several names), or undefined. */
export function which(...names: string[]): string | undefined {
  const key = names.join(' ');
  if (!found.has(key)) {
    let path: string | undefined;
    for (const name of names) {
      const result = spawnSync('sh', ['-c', `command -v ${name}`], { encoding: 'utf8' });
      if (result.status === 0 && result.stdout.trim()) {
        path = result.stdout.trim();
        break;
      }
    }
    found.set(key, path);
  }
  return found.get(key);
}

/**
 * Whether a test that needs these programs can run: true when they are all there; otherwise false with one line
 * on stderr naming what is missing, or an error when TTHC_TEST_REQUIRE_TOOLS=1.
 */
export function haveTools(what: string, ...programs: string[][]): boolean {
  const missing = programs.filter((names) => !which(...names)).map((names) => names.join(' or '));
  if (!missing.length) return true;
  const line = `${what}: skipped, ${missing.join(', ')} not installed`;
  if (process.env.TTHC_TEST_REQUIRE_TOOLS === '1') throw new Error(`${line} (TTHC_TEST_REQUIRE_TOOLS=1)`);
  process.stderr.write(`${line}\n`);
  return false;
}
