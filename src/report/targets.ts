import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { packageFile } from '../domain/package-files.ts';
import { z } from 'zod';
import { InputError } from '../import/types.ts';

// Targets for the online rate (Chỉ tiêu sheet). The default, Phú Thọ's 2025 targets (docs/rules.md, published
// table 4), lives in reports/targets.default.json, the template a user copies for `--targets FILE`.

const rate = z.number().min(0).max(1);

export const TargetsSchema = z.object({
  /** Where the targets come from, printed under the table. */
  source: z.string().min(1),
  /** The year the targets are set for. */
  year: z.number().int().min(2000).max(2100),
  /** Online rate (fraction 0..1) per level; "all" for every level together. A level left out has no target. */
  onlineRate: z.object({ tinh: rate, huyen: rate, xa: rate, all: rate }).partial(),
});
export type Targets = z.infer<typeof TargetsSchema>;

export const DEFAULT_TARGETS_FILE = pathToFileURL(packageFile('reports/targets.default.json'));

export function loadTargets(file: string | URL = DEFAULT_TARGETS_FILE): Targets {
  const name = file instanceof URL ? file.pathname : file;
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    throw new InputError(name, 'không đọc được tệp chỉ tiêu');
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new InputError(name, `tệp chỉ tiêu không phải JSON hợp lệ: ${(error as Error).message}`);
  }
  const parsed = TargetsSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new InputError(name, `tệp chỉ tiêu sai ở "${issue.path.join('.')}": ${issue.message}`);
  }
  return parsed.data;
}
