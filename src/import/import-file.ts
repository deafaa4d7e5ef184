import { basename } from 'node:path';
import { DatabaseError, type Db } from '../db/connection.ts';
import { lockForImport } from '../db/dialect.ts';
import { storageFailure } from '../db/driver-errors.ts';
import {
  dossierChunkSize, dossierOfBlock, loadStoredDossiers, overwriteDossiers, prepareNewDossiers, setAsideDossierKeysAndIndexes, writeNewDossiers, WRITTEN_COLUMNS, WRITTEN_WIDTH,
  type DossierBlock, type NewDossiersWritten, type PreparedDossiers,
} from '../db/dossier-store.ts';
import type { DossierTable, ProcedureTable } from '../db/schema.ts';
import { dueDayOf, processingWorkingDays } from '../domain/due-day.ts';
import { formatCount } from '../domain/numbers.ts';
import { vietnamCalendar, type WorkingCalendar } from '../domain/working-days.ts';
import { classifyDossier } from '../domain/outcome.ts';
import type { Channel } from '../domain/channels.ts';
import type { Status } from '../domain/statuses.ts';
import { missingFields, type MissingField } from '../stats/missing-fields.ts';
import { SUMMARY_COUNTS } from '../stats/summary.ts';
import { HalfMonthSummaryWriter } from '../stats/summary-writer.ts';
import { mergeDossier, type DossierValues } from './merge.ts';
import { filledFromCatalogue, lacksProcedure, ProcedureCatalogue, type ProcedureOfRow } from './procedures.ts';
import { openParsedFile, type ParseThread } from './parse-in-worker.ts';
import {
  DOSSIER_NUMBERS, DOSSIER_TEXTS, flagOfNumber, NUMBERS_WIDTH, readFieldKey, readProcedureKey, ASSUMED_KEYS, TEXTS_WIDTH, WireWords, wireTexts, type AssumedSummary, type ParsedFile,
} from './parsed-file.ts';
import type { FileFormat } from './readers/source.ts';
import type { ValueMaps } from './value-maps.ts';
import type { DateOrder } from '../domain/dates.ts';
import { InputError, type DossierField, type SheetLayout } from './types.ts';
import { unitColumnsNote } from './columns.ts';
import { SATISFACTION_BIT, unreadable766Warning } from './indicator-values.ts';
import { UnitResolver, unitOnDay, type UnitMatch } from './units.ts';
import { applyImportHeapSettings } from './heap-settings.ts';

export interface ImportOptions {
  /** Unit for rows whose file has no unit column or an empty unit cell (--unit). */
  unit?: string;
  /** One bad row fails the whole file: nothing from it is stored (--strict). */
  strict?: boolean;
  /** Header in file → field, from --map and --profile. */
  columns?: Record<string, DossierField>;
  /** --sheet: the sheets to read, by name or number; by default every visible sheet with a header. */
  sheets?: string[];
  /** --encoding: a text file's encoding instead of the one found by itself. */
  encoding?: string;
  /** What the file's own words for channels and statuses mean (--map-value, a profile's "values"). */
  values?: ValueMaps;
  /** --date-order: how to read d/M-shaped dates, instead of what the file's own dates prove. */
  dateOrder?: DateOrder;
  /** Called now and then with the number of data rows read so far. */
  onProgress?: (rowsRead: number) => void;
  /** Where the file is read and validated (parse-in-worker.ts); by default a worker thread for large files. */
  parseThread?: ParseThread;
  /**
   * The working-day calendar of computed due days and processing times (--calendar); by default the shipped one
   * (src/domain/working-days.ts).
   */
  calendar?: WorkingCalendar;
  /**
   * --due-from-catalogue: a dossier whose export gives no due day gets one from its procedure's duration in the
   * catalogue (marked due_computed). Off by default: the one-stop systems count a dossier without a due day as on
   * time (docs/rules.md), and the figures should match the system's own report unless the office asks otherwise.
   */
  dueFromCatalogue?: boolean;
}

/** What one file did to the database: the summary line a one-stop office reads. */
export interface FileSummary {
  file: string;
  batchId: number;
  rowsRead: number;
  newDossiers: number;
  updated: number;
  unchanged: number;
  /** Rows that repeat a dossier already met earlier in the same file (merged, not counted twice). */
  repeatedInFile: number;
  rejected: number;
  rejectedByReason: Record<string, number>;
  footerRowsSkipped: number;
  personalColumnsDropped: string[];
  unitsCreated: string[];
  seconds: number;
  /** What the file was read as, its encoding, and its sheets: read, or skipped and why. */
  format: FileFormat;
  encoding?: string;
  sheets: SheetLayout[];
  /** How d/M-shaped dates were read, and whether the file's own dates decided it (else the default or --date-order). */
  dateOrder: DateOrder;
  dateOrderProved: boolean;
  /** Columns of the file that are neither a field nor personal data: not used. */
  unusedColumns: string[];
  /** What the office should know about the file's figures (Vietnamese lines): missing columns, an undecided date order. */
  warnings: string[];
  /** Which of the receiving unit and the resolving agency the file has, when it has only one (unitColumnsNote). */
  unitColumns?: string;
  /** Dossiers without a due day in the export whose due day was computed from their procedure's duration. */
  dueComputed: number;
}

/**
 * Imports one export in one transaction: either every good row of the file is stored with its batch, rejects
 * and new units, or (on an unreadable file, a --strict failure, a killed process) nothing from it is.
 */
export async function importFile(db: Db, path: string, options: ImportOptions = {}): Promise<FileSummary> {
  applyImportHeapSettings();
  try {
    return await importFileOnce(db, path, options, options.dateOrder ?? 'dmy');
  } catch (error) {
    // The file's dates prove M/d (and none proves d/M): it is read again, in that order, from the start.
    if (error instanceof SwitchDateOrder) return importFileOnce(db, path, options, 'mdy');
    throw error;
  }
}

/** Thrown inside a file's transaction to read the file again in the order its dates prove (the first read is rolled back). */
class SwitchDateOrder extends Error {}

async function importFileOnce(db: Db, path: string, options: ImportOptions, dateOrder: DateOrder): Promise<FileSummary> {
  const started = performance.now();
  const parsed = await openParsedFile(
    path,
    {
      unit: options.unit, columns: options.columns, sheets: options.sheets, encoding: options.encoding, values: options.values,
      dateOrder, dateOrderForced: options.dateOrder !== undefined,
    },
    options.parseThread,
  );
  try {
    return await db.transaction().execute((trx) => importParsed(trx, path, parsed, options, started, dateOrder));
  } catch (error) {
    const failure = storageFailure(error);
    // Not an InputError: the files after this one would meet the same wall, so the import stops here.
    if (failure) throw new DatabaseError(`${path}: ${failure}; không có gì từ tệp này được lưu, dừng nhập (${(error as Error).message})`);
    throw error;
  } finally {
    await parsed.close();
  }
}

/**
 * What a file without a column the statistics need makes unreliable, said at import (which columns a batch lacks
 * is decided once, by missingFields; the statistics say it again, in their words, for the figures it touches).
 */
const IMPORT_WARNINGS: Partial<Record<MissingField, string>> = {
  dueAt: 'không có cột ngày hẹn trả: không phân biệt được trước hạn / đúng hạn / quá hạn',
  channel: 'không có cột hình thức nộp: không tách được trực tiếp / trực tuyến / bưu chính',
  end: 'không có cột ngày kết thúc xử lý hay ngày trả kết quả: không biết hồ sơ giải quyết xong ngày nào',
  status: 'không có cột trạng thái: trạng thái suy ra từ các ngày, không nhận ra hồ sơ từ chối hay rút',
  unit: 'không có cột đơn vị: mọi dòng bị từ chối (dùng --unit để chỉ đơn vị của cả tệp)',
};

/** One warning per needed field the file has no column for; none for the unit when --unit stands in for it. */
export function missingColumnWarnings(fields: readonly DossierField[], options: { unit?: string }): string[] {
  return missingFields(fields).flatMap((kind) => {
    const warning = IMPORT_WARNINGS[kind];
    return warning === undefined || (kind === 'unit' && options.unit) ? [] : [warning];
  });
}

async function importParsed(
  trx: Db,
  path: string,
  parsed: ParsedFile,
  options: ImportOptions,
  started: number,
  dateOrder: DateOrder,
): Promise<FileSummary> {
  const warnings = missingColumnWarnings(parsed.layout.fields, options);
  if (options.strict && warnings.length) {
    throw new InputError(path, `${warnings.join('; ')} (--strict: không nhập tệp thiếu cột)`);
  }
  await lockForImport(trx);
  // No dossier stored before this file (a first import): none of its dossiers can be, but those it sent itself.
  const noneStoredBefore = (await trx.selectFrom('dossiers').select('code').limit(1).executeTakeFirst()) === undefined;
  // A first import writes its dossiers without checking their units or indexing them, and does both once at the end (dossier-store.ts).
  const restoreKeysAndIndexes = noneStoredBefore ? await setAsideDossierKeysAndIndexes(trx) : async () => {};
  const { id: batchId } = await trx
    .insertInto('import_batches')
    .values({
      file_name: basename(path), sha256: '', imported_at: nowInVietnam(),
      rows_read: 0, new_count: 0, updated_count: 0, unchanged_count: 0, rejected_count: 0,
      footer_rows_skipped: 0, personal_columns_dropped: '[]', units_created: '[]', seconds: 0,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const units = await UnitResolver.load(trx);
  const procedures = await ProcedureCatalogue.load(trx);

  const unitColumns = unitColumnsNote(parsed.layout.mapped);
  const summary: FileSummary = {
    file: path, batchId, rowsRead: 0, newDossiers: 0, updated: 0, unchanged: 0, repeatedInFile: 0,
    rejected: 0, rejectedByReason: {}, footerRowsSkipped: 0,
    personalColumnsDropped: parsed.layout.personalColumnsDropped, unitsCreated: [], seconds: 0,
    format: parsed.layout.format, encoding: parsed.layout.encoding, sheets: parsed.layout.sheets,
    dateOrder, dateOrderProved: false, unusedColumns: parsed.layout.ignored, warnings,
    ...(unitColumns ? { unitColumns } : {}), dueComputed: 0,
  };
  const calendar = options.calendar ?? vietnamCalendar();
  // Where the latest row of each dossier of the file went: its sequence number among the rows sent (chunk after
  // chunk) plus one, 0 for none yet, so that a repeat within the chunk being built is merged into its row there.
  // A dossier is known by its first row's number among the file's good rows: the parse finds the repeats
  // (ParsedBatch.firstRowOf), so this thread never compares codes.
  let latestRow = new Int32Array(1 << 16);
  let fileRows = 0;
  let chunk = newChunk();
  let chunkStart = 0;
  // The words of the parsed rows (parsed-file.ts), and the unit each unit word names.
  const words = new WireWords();
  let wordsGeneration = 0;
  let unitOfWord: UnitMatch[] = [];
  const rejects: Array<{ batch_id: number; sheet: string | null; row_number: number; reasons: string; row_values: string }> = [];
  const chunkSize = dossierChunkSize(trx);
  // The summary by half-month moves with the dossiers, in the same transaction (src/stats/summary.ts).
  const summaryWriter = new HalfMonthSummaryWriter();

  // The last chunk written, whose insert may still be running on PostgreSQL (the server works while this thread
  // prepares the next chunk). It is settled (counted, its stored dossiers merged) before anything else is
  // written, and before the transaction commits.
  let pending: PendingChunk | undefined;
  const settle = async () => {
    if (pending) await settleChunk(trx, pending, batchId, summary, summaryWriter, calendar);
    pending = undefined;
  };
  const flush = async () => {
    // The chunk is made ready to write (on PostgreSQL, its COPY data) while the server still writes the last one.
    const ready = chunk.count ? prepareNewDossiers(trx, chunk) : undefined;
    await settle();
    if (units.created.length) {
      await trx.insertInto('units').values(units.created).execute();
      summary.unitsCreated.push(...units.created.map((u) => u.name));
      units.created.length = 0;
    }
    await summaryWriter.writeIfLarge(trx);
    if (rejects.length) {
      for (let i = 0; i < rejects.length; i += 5000) {
        await trx.insertInto('rejected_rows').values(rejects.slice(i, i + 5000)).execute();
      }
      rejects.length = 0;
    }
    // The chunk's insert goes last: nothing is written after it until it is settled, so that when it fails,
    // its own error is the one reported (on PostgreSQL a later statement would only say the transaction aborted).
    if (ready) {
      pending = writeChunk(trx, chunk, ready, noneStoredBefore && chunk.repeats.size === 0);
      chunkStart += chunk.count;
      chunk = newChunk();
    }
  };
  // Under --strict the first bad row fails the file, once the rest of it has been read: a row rejected for a
  // date read in the wrong order is no reason to fail a file whose dates prove the other order.
  let strictFailure: InputError | undefined;
  // Dossiers without a due day whose procedure has a duration, when --due-from-catalogue is off: said, not computed.
  let dueComputable = 0;
  // Per optional QĐ 766 column (by its bit), the cells that could not be read: stored as unknown, counted here.
  const unreadable766 = new Array<number>(SATISFACTION_BIT + 1).fill(0);
  const reject = (rowNumber: number, sheet: string | undefined, reasons: string[], originalJson: string) => {
    if (options.strict) {
      strictFailure ??= new InputError(path, `${reasons.join('; ')} (--strict: không nhập dòng nào của tệp này)`, rowNumber, sheet);
      return;
    }
    summary.rejected++;
    for (const reason of reasons) summary.rejectedByReason[reasonKind(reason)] = (summary.rejectedByReason[reasonKind(reason)] ?? 0) + 1;
    rejects.push({ batch_id: batchId, sheet: sheet ?? null, row_number: rowNumber, reasons: JSON.stringify(reasons), row_values: originalJson });
  };

  for await (const batch of parsed.batches) {
    summary.rowsRead += batch.rowsRead;
    for (const row of batch.rejects) reject(row.rowNumber, row.sheet, row.reasons, row.originalJson);
    if (strictFailure) continue;
    words.take(batch);
    if (words.generation !== wordsGeneration) {
      unitOfWord = [];
      wordsGeneration = words.generation;
    }
    const v = wireTexts(batch);
    const n = batch.numbers;
    if (fileRows + batch.dossierCount > latestRow.length) {
      const grown = new Int32Array(Math.max(latestRow.length * 2, fileRows + batch.dossierCount));
      grown.set(latestRow);
      latestRow = grown;
    }
    for (let i = 0, at = 0, nat = 0; i < batch.dossierCount; i++, at += TEXTS_WIDTH, nat += NUMBERS_WIDTH) {
      const unitNumber = n[nat + N.unitName];
      let unit = unitOfWord[unitNumber];
      if (unit === undefined) unit = unitOfWord[unitNumber] = units.resolve(words.word(unitNumber) ?? '');
      if (!unit.ok) {
        reject(batch.rowNumbers[i], batch.sheet, [unit.reason], batch.unitUnclear[i] ?? '{}');
        if (strictFailure) break;
        continue;
      }
      const code = v[at + T.code];
      // A name of several units valid at different times: the unit valid on the day of receipt. The parse could
      // not tell which unit such a row's summary goes to: it is added when the chunk is settled (assumed false).
      const unitCode = unit.dated ? unitOnDay(unit.dated, v[at + T.receivedAt].slice(0, 10)) : unit.code;
      const exportedDue = v[at + T.dueAt] || null;
      // The catalogue fills what the export left out (an export without a "Lĩnh vực" column, a due day).
      const exported = { procedureCode: words.word(n[nat + N.procedureCode]), procedureName: words.word(n[nat + N.procedureName]), field: words.word(n[nat + N.field]) };
      // Looked up once, for what the export left out or for a due day from the catalogue.
      const procedure = lacksProcedure(exported) || exportedDue === null ? procedures.findOf(exported) : undefined;
      const { procedureCode, procedureName, field } = filledFromCatalogue(exported, procedure);
      // The row goes in as the chunk's next one; a repeat of a dossier already in the chunk is then merged into it.
      const receivedAt = v[at + T.receivedAt];
      const computable = exportedDue === null ? computedDueAt(receivedAt, procedure, calendar) : null;
      const computedDue = options.dueFromCatalogue ? computable : null;
      if (computable !== null && computedDue === null) dueComputable++;
      const dueAt = exportedDue ?? computedDue;
      const endedAt = v[at + T.endedAt] || null;
      const status = words.word(n[nat + N.status]) as Status;
      const channel = words.word(n[nat + N.channel]) as Channel | null;
      const { outcome, overdue_from } = classifyDossier({ status, due_at: dueAt, ended_at: endedAt });
      // The parse added the row to the summary as it classified it, without a due day: that is taken back, and
      // the row's own contribution added when its chunk is settled (as for a row the parse could not place).
      const assumed = !unit.dated && computedDue === null;
      if (computedDue !== null) {
        summary.dueComputed++;
        if (!unit.dated) {
          summaryWriter.withdraw({
            code, unit_code: unitCode, field, channel, procedure_name: procedureName, received_at: receivedAt, ended_at: endedAt,
            ...classifyDossier({ status, due_at: null, ended_at: endedAt }),
          });
        }
      }
      const unreadable = n[nat + N.unreadable766];
      if (unreadable) for (let bit = 0; bit < unreadable766.length; bit++) if (unreadable & (1 << bit)) unreadable766[bit]++;
      chunk.values.push(
        code, unitCode, words.word(n[nat + N.receivingUnit]), procedureCode, procedureName, field, channel,
        receivedAt, dueAt, endedAt, n[nat + N.endFromReturned],
        v[at + T.returnedAt] || null, status, batchId, batchId, outcome, overdue_from,
        flagOfNumber(n[nat + N.paidOnline]), flagOfNumber(n[nat + N.hasFee]), flagOfNumber(n[nat + N.digitised]),
        flagOfNumber(n[nat + N.electronicResult]), words.word(n[nat + N.satisfaction]),
        computedDue === null ? 0 : 1, processingWorkingDays(receivedAt, endedAt, calendar),
      );
      const dossier = batch.firstRowOf[i] < 0 ? fileRows + i : batch.firstRowOf[i];
      // -1 also when the dossier's earlier rows were all rejected for their unit.
      const first = latestRow[dossier] - 1;
      if (first >= 0) {
        summary.repeatedInFile++;
        if (first >= chunkStart) {
          mergeNextRowInto(chunk, first - chunkStart, summaryWriter, assumed, calendar);
          continue;
        }
        // Its first row is already written: merge this one in without counting the dossier again.
        chunk.repeats.add(code);
      }
      latestRow[dossier] = chunkStart + chunk.count + 1;
      chunk.assumed.push(assumed);
      chunk.count++;
      if (chunk.count >= chunkSize) {
        await flush();
        options.onProgress?.(summary.rowsRead);
      }
    }
    fileRows += batch.dossierCount;
    if (batch.assumedSummary) addAssumedSummary(batch.assumedSummary, units, procedures, summaryWriter);
  }
  const evidence = parsed.dateEvidence();
  if (options.dateOrder === undefined && dateOrder === 'dmy' && evidence.mdy) throw new SwitchDateOrder();
  if (strictFailure) throw strictFailure;
  summary.dateOrderProved = evidence[dateOrder] !== undefined;
  if (!summary.dateOrderProved && evidence.undecided && options.dateOrder === undefined) {
    summary.warnings.push('không ngày nào của tệp cho biết thứ tự ngày/tháng (mọi ngày đều ≤ 12): đọc theo ngày/tháng; nếu tệp ghi tháng/ngày, nhập lại với --date-order mdy');
  }
  if (summary.dueComputed > 0) {
    // The missing column's warning would say no dossier can be early / on time / late: those dated now can.
    const missingDue = summary.warnings.indexOf(IMPORT_WARNINGS.dueAt!);
    if (missingDue >= 0) summary.warnings[missingDue] = 'không có cột ngày hẹn trả: chỉ hồ sơ có hạn tính từ thời hạn của thủ tục (dưới đây) phân biệt được trước hạn / đúng hạn / quá hạn';
    summary.warnings.push(`${formatCount(summary.dueComputed)} hồ sơ không có hạn xử lý: tính từ thời hạn của thủ tục theo ngày làm việc`);
  }
  unreadable766.forEach((count, bit) => {
    if (count) summary.warnings.push(unreadable766Warning(bit, count, formatCount));
  });
  if (dueComputable > 0) {
    summary.warnings.push(`${formatCount(dueComputable)} hồ sơ không có hạn xử lý, tính là đúng hạn như hệ thống một cửa; danh mục thủ tục có thời hạn giải quyết của chúng: nhập lại với --due-from-catalogue (trên trang Nhập dữ liệu: ô "tính hạn từ thời hạn giải quyết của thủ tục") để tính hạn theo ngày làm việc`);
  }
  await flush();
  await settle();
  await restoreKeysAndIndexes();
  await summaryWriter.write(trx);
  options.onProgress?.(summary.rowsRead);

  summary.footerRowsSkipped = parsed.footerRowsSkipped();
  const sha256 = parsed.sha256();
  // The same file imported again: its rejects replace the earlier ones (the dossiers merge as always).
  const earlier = trx.selectFrom('import_batches').select('id').where('sha256', '=', sha256).where('id', '<>', batchId);
  await trx.deleteFrom('rejected_rows').where('batch_id', 'in', earlier).execute();
  summary.seconds = (performance.now() - started) / 1000;
  await trx
    .updateTable('import_batches')
    .set({
      sha256,
      rows_read: summary.rowsRead, new_count: summary.newDossiers, updated_count: summary.updated,
      unchanged_count: summary.unchanged, rejected_count: summary.rejected,
      footer_rows_skipped: summary.footerRowsSkipped,
      personal_columns_dropped: JSON.stringify(summary.personalColumnsDropped),
      units_created: JSON.stringify(summary.unitsCreated), seconds: summary.seconds,
      format: summary.format, encoding: summary.encoding ?? null, sheets: JSON.stringify(summary.sheets),
      fields: JSON.stringify(parsed.layout.fields),
    })
    .where('id', '=', batchId)
    .execute();
  return summary;
}

/** Index of each value in a parsed row's texts and numbers (parsed-file.ts). */
const T = Object.fromEntries(DOSSIER_TEXTS.map((name, i) => [name, i])) as Record<(typeof DOSSIER_TEXTS)[number], number>;
const N = Object.fromEntries(DOSSIER_NUMBERS.map((name, i) => [name, i])) as Record<(typeof DOSSIER_NUMBERS)[number], number>;

/** A chunk of dossiers being built, then sent: its rows as the insert binds them (dossier-store.ts). */
interface Chunk extends DossierBlock {
  /** Codes of the chunk whose first row went out in an earlier chunk (counted then). */
  repeats: Set<string>;
  /**
   * Per row: it is one parsed row as it stands, which the parse added to the summary as a new dossier
   * (AssumedSummary); false once merged with another row of the file, whose summary change the importer then
   * computes itself.
   */
  assumed: boolean[];
}

const newChunk = (): Chunk => ({ count: 0, values: [], repeats: new Set(), assumed: [] });

/**
 * Adds the summary contributions the parse collected (AssumedSummary) under the units' codes and the fields'
 * names. The rows of a unit name the importer rejects are left out, as those rows are.
 */
function addAssumedSummary(assumed: AssumedSummary, units: UnitResolver, procedures: ProcedureCatalogue, summaryWriter: HalfMonthSummaryWriter): void {
  const width = SUMMARY_COUNTS.length;
  for (let row = 0, at = 0; at < assumed.keys.length; row++, at += ASSUMED_KEYS) {
    const unit = units.resolve(assumed.keys[at]);
    if (!unit.ok || unit.dated) continue;
    // Keyed as the importer stores the rows: the field and the procedure's name filled from the catalogue as theirs are.
    const fieldKey = readFieldKey(assumed.keys[at + 1]);
    const procedureKey = readProcedureKey(assumed.keys[at + 3]);
    const byProcedure = (row: ProcedureOfRow) => filledFromCatalogue(row, procedures.findOf(row));
    const field = 'field' in fieldKey ? fieldKey.field : byProcedure({ procedureCode: fieldKey.procedureCode ?? null, procedureName: fieldKey.procedureName ?? null, field: null }).field;
    const procedureName = 'procedureName' in procedureKey ? procedureKey.procedureName : byProcedure({ procedureCode: procedureKey.procedureCode, procedureName: null, field: null }).procedureName;
    summaryWriter.addCounts(unit.code, field ?? '', assumed.keys[at + 2], procedureName ?? '', assumed.keys[at + 4], assumed.counts, row * width);
  }
}

/** A chunk whose insert has been sent. */
interface PendingChunk {
  chunk: Chunk;
  /** How many rows the insert stored as new dossiers (and the stored versions of the others, if read); an error surfaces when the chunk is settled. */
  writing: Promise<NewDossiersWritten>;
}

/** A row of a chunk as a dossier's values, with its classification. */
function chunkValues(chunk: Chunk, i: number): ClassifiedValues {
  const { created_batch_id: _c, updated_batch_id: _u, ...values } = dossierOfBlock(chunk, i);
  return values;
}

type ClassifiedValues = Omit<DossierTable, 'created_batch_id' | 'updated_batch_id'>;

/** Merged values with the classification that they give (src/domain/outcome.ts), and their working days. */
function classified(values: DossierValues, calendar: WorkingCalendar): ClassifiedValues {
  return Object.assign(values, classifyDossier(values), {
    processing_working_days: processingWorkingDays(values.received_at, values.ended_at, calendar),
  });
}

/**
 * The due time of a dossier that its export gives none, from its procedure's duration in the catalogue
 * (src/domain/due-day.ts): the due day at 00:00, as an export that gives days alone; null without a duration.
 */
function computedDueAt(receivedAt: string, procedure: ProcedureTable | undefined, calendar: WorkingCalendar): string | null {
  if (!procedure || procedure.duration_days === null || procedure.duration_unit === null) return null;
  const day = dueDayOf(receivedAt, { days: procedure.duration_days, unit: procedure.duration_unit }, calendar);
  return day === undefined ? null : `${day} 00:00:00`;
}

/**
 * Merges the row just put after the chunk's last one into row i, the same dossier's (a dossier repeated close by in
 * the file), and takes it off again.
 */
function mergeNextRowInto(chunk: Chunk, i: number, summaryWriter: HalfMonthSummaryWriter, incomingAssumed: boolean, calendar: WorkingCalendar): void {
  const incoming = chunkValues(chunk, chunk.count);
  chunk.values.length = chunk.count * WRITTEN_WIDTH;
  const earlier = chunkValues(chunk, i);
  // The parse counted each of the two rows as a new dossier (unless assumed false); the chunk row's change is
  // counted when it is settled.
  if (incomingAssumed) summaryWriter.withdraw(incoming);
  if (chunk.assumed[i]) summaryWriter.withdraw(earlier);
  chunk.assumed[i] = false;
  const merged = classified(mergeDossier(earlier, incoming), calendar);
  const base = i * WRITTEN_WIDTH;
  for (let k = 0; k < WRITTEN_WIDTH; k++) {
    const column = WRITTEN_COLUMNS[k];
    if (column !== 'created_batch_id' && column !== 'updated_batch_id') chunk.values[base + k] = merged[column];
  }
}

/**
 * Sends a chunk: every dossier is inserted as new, and those already stored are skipped, to be merged when the
 * chunk is settled (writeNewDossiers). `noneStored`: no dossier of the chunk can be stored yet.
 */
function writeChunk(trx: Db, chunk: Chunk, ready: PreparedDossiers, noneStored: boolean): PendingChunk {
  const writing = writeNewDossiers(trx, ready, { noneStored });
  // An error is thrown when the chunk is settled; until then it must not count as unhandled.
  writing.catch(() => undefined);
  return { chunk, writing };
}

/**
 * Counts a sent chunk and adds it to the summary; the dossiers its insert skipped were stored already: they are
 * merged with their stored versions, and written again when the merge changed them.
 */
async function settleChunk(
  trx: Db, pending: PendingChunk, batchId: number, summary: FileSummary, summaryWriter: HalfMonthSummaryWriter, calendar: WorkingCalendar,
) {
  const { chunk } = pending;
  const { inserted, stored: storedBefore } = await pending.writing;
  if (inserted === chunk.count) {
    // All new (a repeat's code is stored, so a chunk holding one cannot be inserted whole): the parse has added
    // them to the summary already, but for the rows merged in the chunk.
    summary.newDossiers += chunk.count;
    for (let i = 0; i < chunk.count; i++) if (!chunk.assumed[i]) summaryWriter.change(undefined, dossierOfBlock(chunk, i));
    return;
  }
  // Dossiers this file already counted (a repeated row whose first row went out in an earlier chunk).
  const count = (code: string, outcome: 'newDossiers' | 'updated' | 'unchanged') => {
    if (!chunk.repeats.has(code)) summary[outcome]++;
  };
  const rows: DossierTable[] = [];
  for (let i = 0; i < chunk.count; i++) rows.push(dossierOfBlock(chunk, i));
  // Read before the insert (PostgreSQL), or now: then the dossiers just inserted are among them.
  const stored = storedBefore ?? (await loadStoredDossiers(trx, rows.map((row) => row.code)));
  const byCode = new Map(stored.map((row) => [row.code, row]));
  const changed: DossierTable[] = [];
  for (let i = 0; i < rows.length; i++) {
    const incoming = rows[i];
    // Counted by the parse as a new dossier as it stands; what it really changes is counted below.
    if (chunk.assumed[i]) summaryWriter.withdraw(incoming);
    const before = byCode.get(incoming.code);
    if (!before && !storedBefore) throw new Error(`dossier ${incoming.code}: neither inserted nor stored`);
    // Not stored before the insert, or stored by this file and met for the first time in this chunk: the insert
    // just stored it. (Batch ids are not reused while dossiers refer to them: nothing deletes a batch but the
    // demo's reset, which deletes the dossiers first.)
    if (!before || (before.created_batch_id === batchId && !chunk.repeats.has(incoming.code))) {
      count(incoming.code, 'newDossiers');
      summaryWriter.change(undefined, incoming);
      continue;
    }
    const { created_batch_id, updated_batch_id: _, processing_working_days: _pb, ...beforeValues } = before;
    const { created_batch_id: _c, updated_batch_id: _u, processing_working_days: _p, ...incomingValues } = incoming;
    const merge = mergeDossier(beforeValues, incomingValues);
    if (merge === beforeValues) {
      count(incoming.code, 'unchanged');
      continue;
    }
    const merged = classified(merge, calendar);
    count(incoming.code, 'updated');
    changed.push(Object.assign(merged, { created_batch_id, updated_batch_id: batchId }));
    summaryWriter.change(beforeValues, merged);
  }
  await overwriteDossiers(trx, changed);
}

/**
 * Groups reasons by kind for the summary line: the reason without what varies from row to row (dates, numbers,
 * lengths), keeping the words that say what is wrong and the values that are few ("hình thức nộp không rõ:
 * \"Kiosk\"" stays whole, so the office sees which word to map).
 */
export function reasonKind(reason: string): string {
  return reason
    .replace(/: "[^"]*\d[^"]*"/g, '')
    .replace(/ \(\d{4}-\d{2}-\d{2}[^)]*\)/g, '')
    .replace(/ \d{4}-\d{2}-\d{2}( \d{2}:\d{2}(:\d{2})?)?/g, '')
    .replace(/ dài \d+ ký tự/g, ' quá dài')
    .replace(/ \(\d+ ô, tiêu đề có \d+ cột\)/g, '');
}

export function nowInVietnam(): string {
  return new Date(Date.now() + 7 * 3600_000).toISOString().slice(0, 19).replace('T', ' ');
}
