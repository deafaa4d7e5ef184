import type { Db } from '../db/connection.ts';
import { importFiles, importProcedures, importUnits, type FileSummary } from '../import/index.ts';
import { computeStats } from '../stats/compute.ts';
import type { StatsQuery, StatsRow } from '../stats/types.ts';
import { join } from 'node:path';
import { EXPORT_FILE_PATTERN, HA_HOA_EXPORT_DIRS, PROVINCE_EXPORT_DIR, writeDemoFiles, type DemoFiles } from './exports.ts';
import { DEFAULT_SEED, generateDataset } from './generate.ts';
import { UNITS } from './ha-hoa.ts';
import { PROVINCE_UNITS } from './province.ts';
import { AS_OF, EXCLUDED_FIELD } from './targets.ts';
import { UserError } from '../domain/errors.ts';

// `tthc demo` as a library: generate the Hạ Hoà-like dataset, write it as exports, import them through the
// normal import path, and answer the report's question with the normal statistics.

export { DEFAULT_SEED, generateDataset, type DemoDataset, type DemoDossier } from './generate.ts';
export { HA_HOA_EXPORT_DIRS, PROVINCE_EXPORT_DIR, writeDemoFiles, writeProvinceFiles, type DemoFiles } from './exports.ts';
export { feeOf, HA_HOA_INDICATORS_FROM, PROVINCE_DUE_GAPS_FROM } from './indicators.ts';
export { generateProvince, PROVINCE_AS_OF, PROVINCE_CENTRE, PROVINCE_UNITS, type ProvinceDossier, type ProvinceUnit } from './province.ts';
export { AS_OF, EXCLUDED_FIELD, TARGETS } from './targets.ts';

export const DEFAULT_DEMO_DB = './tthc-demo.db';
export const DEFAULT_DEMO_OUT = 'imports/demo';

/** The report's yearly table by level: 2020–2023, the last year cut at the export day, without BHXH. */
export const DEMO_QUERY: StatsQuery = {
  period: { from: '2020-01-01', to: AS_OF },
  by: ['year', 'level'],
  filters: { excludeField: [EXCLUDED_FIELD] },
};

export interface DemoOptions {
  /** An open database: empty, or one a previous demo run filled (it is emptied first). */
  db: Db;
  outDir: string;
  seed?: number;
  /** Called as each step starts, with a Vietnamese line for the user. */
  onStep?: (message: string) => void;
}

export interface DemoResult {
  files: DemoFiles;
  summaries: FileSummary[];
  dossiers: number;
  rows: StatsRow[];
  /** Seconds spent on each step. */
  seconds: { generate: number; write: number; import: number; stats: number };
}

/** A database that holds data the demo did not write: the demo refuses to empty it. */
export class NotADemoDatabaseError extends UserError {}

/**
 * Empties a database for the demo, so that a rerun gives the same figures. Only a database that is empty or
 * holds nothing but an earlier demo's data (demo units, demo export files) is emptied.
 */
export async function resetDemoDatabase(db: Db): Promise<void> {
  const demoUnits = new Set([...UNITS, ...PROVINCE_UNITS].map((u) => u.code));
  const [units, batches] = await Promise.all([
    db.selectFrom('units').select(['code']).execute(),
    db.selectFrom('import_batches').select(['file_name']).execute(),
  ]);
  const foreignUnit = units.find((u) => !demoUnits.has(u.code));
  const foreignBatch = batches.find((b) => !EXPORT_FILE_PATTERN.test(b.file_name));
  if (foreignUnit || foreignBatch) {
    throw new NotADemoDatabaseError(
      `cơ sở dữ liệu đã có dữ liệu không phải của demo (${foreignBatch ? `tệp ${foreignBatch.file_name}` : `đơn vị ${foreignUnit!.code}`}); dùng --db với một tệp khác`,
    );
  }
  await db.transaction().execute(async (trx) => {
    await trx.deleteFrom('rejected_rows').execute();
    await trx.deleteFrom('dossiers').execute();
    // The statistics' summaries by half-month of the dossiers go with them.
    await trx.deleteFrom('dossier_half_months').execute();
    await trx.deleteFrom('dossier_procedure_half_months').execute();
    await trx.deleteFrom('import_batches').execute();
    await trx.deleteFrom('procedures').execute();
    await trx.deleteFrom('units').execute();
  });
}

export async function runDemo(options: DemoOptions): Promise<DemoResult> {
  const { db, outDir, seed = DEFAULT_SEED, onStep } = options;
  const clock = () => performance.now() / 1000;
  await resetDemoDatabase(db);

  let t = clock();
  onStep?.(`Đang tạo dữ liệu mẫu (seed ${seed})…`);
  const dataset = generateDataset(seed);
  const generate = clock() - t;

  t = clock();
  const dossiers = dataset.dossiers.length + dataset.province.length;
  onStep?.(`Đang ghi ${dossiers.toLocaleString('vi-VN')} hồ sơ ra ${outDir}…`);
  const files = await writeDemoFiles(dataset, outDir, seed);
  const write = clock() - t;

  t = clock();
  onStep?.(`Đang nhập danh mục và ${files.exports.length} tệp hồ sơ…`);
  await importUnits(db, files.unitCatalogue);
  await importUnits(db, files.provinceCatalogue);
  await importProcedures(db, files.procedureCatalogue);
  // Hạ Hoà's report counted the district's dossiers without a due day as on time, as its system did: they keep
  // none. The province's few gaps get a due day from the catalogue's durations (--due-from-catalogue), to show it.
  const summaries = await importFiles(db, HA_HOA_EXPORT_DIRS.map((dir) => join(files.exportsDir, dir)), { strict: true });
  summaries.push(...(await importFiles(db, [join(files.exportsDir, PROVINCE_EXPORT_DIR)], { strict: true, dueFromCatalogue: true })));
  const computed = summaries.filter((s) => s.dueComputed > 0);
  if (computed.length > 0) {
    const count = computed.reduce((n, s) => n + s.dueComputed, 0);
    onStep?.(`${count.toLocaleString('vi-VN')} hồ sơ ở ${computed.length} tệp không có hạn xử lý: tính từ thời hạn của thủ tục theo ngày làm việc`);
  }
  const imported = clock() - t;

  t = clock();
  const rows = await computeStats(db, DEMO_QUERY);
  const stats = clock() - t;

  return {
    files,
    summaries,
    dossiers,
    rows,
    seconds: { generate, write, import: imported, stats },
  };
}
