import type { Command } from 'commander';
import { formatCount, formatDecimal } from '../../domain/numbers.ts';
import { listCommand } from '../output.ts';
import { listBatches } from '../../import/batches.ts';
import { SUMMARIES } from '../summaries.ts';

export function register(program: Command): void {
  const n = (v: unknown) => formatCount(Number(v));
  listCommand(
    program.command('batches').description(SUMMARIES.batches),
    (db) => listBatches(db),
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
