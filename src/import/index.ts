import { readdirSync, statSync } from 'node:fs';
import { extname, join } from 'node:path';
import type { Db } from '../db/connection.ts';
import { importFile, type FileSummary, type ImportOptions } from './import-file.ts';
import { InputError } from './types.ts';

export { importFile, type FileSummary, type ImportOptions } from './import-file.ts';
export { importProcedures, importUnits } from './catalogues.ts';

const EXPORT_EXTENSIONS = new Set(['.xlsx', '.csv']);

/**
 * The files an import argument names: a file as it is; a folder, every .xlsx and .csv inside it and its
 * sub-folders, in name order (so that monthly exports named by month go in month order).
 */
export function expandPaths(paths: string[]): string[] {
  const files: string[] = [];
  for (const path of paths) {
    let stat;
    try {
      stat = statSync(path);
    } catch {
      throw new InputError(path, 'không tìm thấy tệp hoặc thư mục');
    }
    if (stat.isDirectory()) files.push(...listExports(path));
    else files.push(path);
  }
  return files;
}

function listExports(dir: string): string[] {
  const entries = readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return entries.flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return listExports(path);
    return entry.isFile() && EXPORT_EXTENSIONS.has(extname(entry.name).toLowerCase()) && !entry.name.startsWith('~$')
      ? [path]
      : [];
  });
}

export interface ImportFilesOptions extends ImportOptions {
  /** Called for each file once it is imported. */
  onFile?: (summary: FileSummary) => void;
  /**
   * Called for a file that could not be imported (nothing from it is stored); the other files go on. Without
   * it the first such file stops the import with its error.
   */
  onFileError?: (error: InputError) => void;
}

/** Imports files and folders, one transaction per file. */
export async function importFiles(db: Db, paths: string[], options: ImportFilesOptions = {}): Promise<FileSummary[]> {
  const summaries: FileSummary[] = [];
  for (const file of expandPaths(paths)) {
    try {
      const summary = await importFile(db, file, options);
      summaries.push(summary);
      options.onFile?.(summary);
    } catch (error) {
      if (!(error instanceof InputError) || !options.onFileError) throw error;
      options.onFileError(error);
    }
  }
  return summaries;
}
