import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Db } from '../db/connection.ts';
import { importFile, type FileSummary, type ImportOptions } from './import-file.ts';
import { NotAnExport } from './readers/index.ts';
import { InputError } from './types.ts';

export { importFile, type FileSummary, type ImportOptions } from './import-file.ts';
export { importProcedures, importUnits } from './catalogues.ts';

/** One path an import argument leads to: a file to import, or one to skip (with why), or a missing path. */
export type ImportTarget =
  | { file: string }
  | { skipped: string; reason: string; quiet: boolean }
  | { error: InputError };

/**
 * What import arguments name: a file as it is; a folder, every file inside it and its sub-folders in name order
 * (so that monthly exports named by month go in month order), each either to import or skipped with its reason.
 * A missing or unreadable path is an error of its own; the other paths still go on.
 */
export function expandPaths(paths: string[]): ImportTarget[] {
  const targets: ImportTarget[] = [];
  for (const path of paths) {
    let stat;
    try {
      stat = statSync(path);
    } catch (error) {
      targets.push({ error: pathError(path, error) });
      continue;
    }
    if (stat.isDirectory()) targets.push(...listFolder(path));
    else targets.push({ file: path });
  }
  return targets;
}

function pathError(path: string, error: unknown): InputError {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'ENOENT' || code === 'ENOTDIR') return new InputError(path, 'không tìm thấy tệp hoặc thư mục');
  if (code === 'EACCES' || code === 'EPERM') return new InputError(path, 'không có quyền đọc');
  return new InputError(path, `không đọc được (${(error as Error)?.message ?? String(error)})`);
}

function listFolder(dir: string): ImportTarget[] {
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch (error) {
    return [{ error: pathError(dir, error) }];
  }
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return entries.flatMap((entry): ImportTarget[] => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return listFolder(path);
    const reason = skipReason(entry.name);
    return reason ? [{ skipped: path, ...reason }] : [{ file: path }];
  });
}

// Files that programs leave beside an office's exports: Excel's lock files, the system's folder files.
const SYSTEM_FILES = new Set(['thumbs.db', 'desktop.ini', '.ds_store']);

/**
 * Why a file of a folder is not even opened, or undefined to import it: the files programs leave beside an office's
 * exports, listed without failing the run. Every other file is opened, and what its bytes show it is decides: a
 * file that is no export (a PDF, a Word file) is listed as skipped with what it is (NotAnExport).
 */
function skipReason(name: string): { reason: string; quiet: boolean } | undefined {
  if (name.startsWith('~$')) return { reason: 'tệp tạm của Excel (đang mở tệp gốc)', quiet: true };
  if (name.startsWith('.') || SYSTEM_FILES.has(name.toLowerCase())) return { reason: 'tệp hệ thống', quiet: true };
  return undefined;
}

export interface ImportFilesOptions extends ImportOptions {
  /** Called for each file once it is imported. */
  onFile?: (summary: FileSummary) => void;
  /**
   * Called for a file that could not be imported (nothing from it is stored), or a path that does not exist;
   * the other files go on. Without it the first such file stops the import with its error.
   */
  onFileError?: (error: InputError) => void;
  /** Called for a file of a folder that is not imported, with why (quiet: a lock or system file). */
  onFileSkipped?: (file: string, reason: string, quiet: boolean) => void;
}

/** Imports files and folders, one transaction per file. */
export async function importFiles(db: Db, paths: string[], options: ImportFilesOptions = {}): Promise<FileSummary[]> {
  const summaries: FileSummary[] = [];
  for (const target of expandPaths(paths)) {
    if ('error' in target) {
      if (!options.onFileError) throw target.error;
      options.onFileError(target.error);
      continue;
    }
    if ('skipped' in target) {
      options.onFileSkipped?.(target.skipped, target.reason, target.quiet);
      continue;
    }
    const file = target.file;
    try {
      const summary = await importFile(db, file, options);
      summaries.push(summary);
      options.onFile?.(summary);
    } catch (error) {
      if (error instanceof NotAnExport && options.onFileSkipped) options.onFileSkipped(file, error.detail, false);
      else if (error instanceof InputError && options.onFileError) options.onFileError(error);
      else throw error;
    }
  }
  return summaries;
}
