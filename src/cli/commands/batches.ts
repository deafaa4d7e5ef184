import type { Command } from 'commander';
import { formatCount, formatDecimal } from '../../domain/numbers.ts';
import { listCommand } from '../output.ts';

export function register(program: Command): void {
  const n = (v: unknown) => formatCount(Number(v));
  listCommand(
    program.command('batches').description('List the import batches: what was imported, when, from which file, with its counts'),
    (db) =>
      db
        .selectFrom('import_batches')
        .select([
          'id', 'file_name as fileName', 'sha256', 'imported_at as importedAt', 'rows_read as rowsRead',
          'new_count as newDossiers', 'updated_count as updated', 'unchanged_count as unchanged',
          'rejected_count as rejected', 'footer_rows_skipped as footerRowsSkipped', 'seconds',
        ])
        .orderBy('id')
        .execute(),
    [
      { key: 'id', header: 'Lô' },
      { key: 'importedAt', header: 'Thời điểm nhập' },
      { key: 'fileName', header: 'Tệp' },
      { key: 'rowsRead', header: 'Số dòng', show: n },
      { key: 'newDossiers', header: 'Hồ sơ mới', show: n },
      { key: 'updated', header: 'Cập nhật', show: n },
      { key: 'unchanged', header: 'Không đổi', show: n },
      { key: 'rejected', header: 'Bị từ chối', show: n },
      { key: 'footerRowsSkipped', header: 'Dòng tổng/chữ ký', show: n },
      { key: 'seconds', header: 'Giây', show: (v) => formatDecimal(Number(v), 1) },
      { key: 'sha256', header: 'SHA-256', show: (v) => String(v).slice(0, 12) },
    ],
  );
}
