import type { Db } from '../db/connection.ts';

/** One import batch: a file imported, when, and what it brought. */
export interface BatchRecord {
  id: number;
  fileName: string;
  sha256: string;
  importedAt: string;
  rowsRead: number;
  newDossiers: number;
  updated: number;
  unchanged: number;
  rejected: number;
  footerRowsSkipped: number;
  seconds: number;
}

/** Every import batch, oldest first. */
export async function listBatches(db: Db): Promise<BatchRecord[]> {
  const rows = await db
    .selectFrom('import_batches')
    .select([
      'id', 'file_name as fileName', 'sha256', 'imported_at as importedAt', 'rows_read as rowsRead',
      'new_count as newDossiers', 'updated_count as updated', 'unchanged_count as unchanged',
      'rejected_count as rejected', 'footer_rows_skipped as footerRowsSkipped', 'seconds',
    ])
    .orderBy('id')
    .execute();
  return rows as BatchRecord[];
}
