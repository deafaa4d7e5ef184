import { join } from 'node:path';
import { summaryLine } from '../cli/commands/import.ts';
import type { Db } from '../db/connection.ts';
import { importFiles, type FileSummary } from '../import/index.ts';
import { isUserError } from './context.ts';

// The import of uploaded files, the same in the server's thread and in its import worker (import-worker.ts).

/** What importing one uploaded file gave: the CLI's line and warnings, or why it was not imported. */
export interface UploadResult {
  file: string;
  /** The CLI's summary line (summaryLine), when imported. */
  line?: string;
  warnings: string[];
  summary?: FileSummary;
  /** Why nothing of the file was stored. */
  error?: string;
  /** Why the file was skipped (not an export). */
  skipped?: string;
}

/** What the page's import form asks besides the files: the CLI's import options it offers. */
export interface UploadOptions {
  /** `tthc import --due-from-catalogue`: the form's "Tính hạn xử lý từ thời hạn của thủ tục" box. */
  dueFromCatalogue?: boolean;
}

/** Imports the files saved in `dir` under `names`, one transaction each; messages name a file by its name only. */
export async function importUploads(db: Db, dir: string, names: readonly string[], options: UploadOptions = {}): Promise<UploadResult[]> {
  const results: UploadResult[] = [];
  for (const name of names) {
    const path = join(dir, name);
    const withoutDir = (message: string) => message.split(path).join(name);
    const result: UploadResult = { file: name, warnings: [] };
    try {
      await importFiles(db, [path], {
        ...(options.dueFromCatalogue ? { dueFromCatalogue: true } : {}),
        onFile: (summary) => {
          result.summary = { ...summary, file: name };
          result.line = summaryLine(summary);
          result.warnings = summary.warnings;
        },
        onFileError: (error) => {
          result.error = withoutDir(error.message);
        },
        onFileSkipped: (_file, reason) => {
          result.skipped = reason;
        },
      });
    } catch (error) {
      if (!isUserError(error)) throw error;
      result.error = withoutDir(error.message);
    }
    results.push(result);
  }
  return results;
}
