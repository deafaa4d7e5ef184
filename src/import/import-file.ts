import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { basename } from 'node:path';
import type { Db } from '../db/connection.ts';
import { lockForImport } from '../db/dialect.ts';
import { dossierChunkSize, insertNewDossiers, loadStoredDossiers, overwriteDossiers } from '../db/dossier-store.ts';
import type { DossierTable } from '../db/schema.ts';
import { ownCopy } from '../domain/memo.ts';
import { HalfMonthSummaryWriter } from '../stats/summary.ts';
import { mergeDossier, type DossierValues } from './merge.ts';
import { ProcedureCatalogue } from './procedures.ts';
import { openParsedFile, type ParseThread } from './parse-in-worker.ts';
import { DOSSIER_WIRE, WIRE_WIDTH, wireValues, type ParsedFile } from './parsed-file.ts';
import { fileError } from './readers/file-head.ts';
import { InputError, type DossierField } from './types.ts';
import { UnitResolver } from './units.ts';

export interface ImportOptions {
  /** Unit for rows whose file has no unit column or an empty unit cell (--unit). */
  unit?: string;
  /** One bad row fails the whole file: nothing from it is stored (--strict). */
  strict?: boolean;
  /** Header in file → field, from --map and --profile. */
  columns?: Record<string, DossierField>;
  /** Called now and then with the number of data rows read so far. */
  onProgress?: (rowsRead: number) => void;
  /** Where the file is read and validated (parse-in-worker.ts); by default a worker thread for large files. */
  parseThread?: ParseThread;
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
}

export async function sha256File(path: string): Promise<string> {
  const hash = createHash('sha256');
  try {
    for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  } catch (error) {
    throw fileError(path, error);
  }
  return hash.digest('hex');
}

/**
 * Imports one export in one transaction: either every good row of the file is stored with its batch, rejects
 * and new units, or (on an unreadable file, a --strict failure, a killed process) nothing from it is.
 */
export async function importFile(db: Db, path: string, options: ImportOptions = {}): Promise<FileSummary> {
  const started = performance.now();
  // The file is hashed while the parse worker starts and reads its first batches.
  const opening = openParsedFile(path, { unit: options.unit, columns: options.columns }, options.parseThread);
  opening.catch(() => undefined); // awaited below; an error surfaces there
  let sha256: string;
  try {
    sha256 = await sha256File(path);
  } catch (error) {
    await opening.then((parsed) => parsed.close(), () => undefined);
    throw error;
  }
  const parsed = await opening;
  try {
    return await db.transaction().execute((trx) => importParsed(trx, path, sha256, parsed, options, started));
  } finally {
    await parsed.close();
  }
}

async function importParsed(trx: Db, path: string, sha256: string, parsed: ParsedFile, options: ImportOptions, started: number): Promise<FileSummary> {
  await lockForImport(trx);
  // The batch row is written first: on SQLite that takes the write lock before anything is read, so a
  // concurrent import waits instead of failing to upgrade a stale read.
  const { id: batchId } = await trx
    .insertInto('import_batches')
    .values({
      file_name: basename(path), sha256, imported_at: nowInVietnam(),
      rows_read: 0, new_count: 0, updated_count: 0, unchanged_count: 0, rejected_count: 0,
      footer_rows_skipped: 0, personal_columns_dropped: '[]', units_created: '[]', seconds: 0,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const units = await UnitResolver.load(trx);
  const procedures = await ProcedureCatalogue.load(trx);

  const summary: FileSummary = {
    file: path, batchId, rowsRead: 0, newDossiers: 0, updated: 0, unchanged: 0, repeatedInFile: 0,
    rejected: 0, rejectedByReason: {}, footerRowsSkipped: 0,
    personalColumnsDropped: parsed.layout.personalColumnsDropped, unitsCreated: [], seconds: 0,
  };
  const seen = new Set<string>();
  let repeats = new Set<string>();
  let chunk = new Map<string, DossierValues>();
  const rejects: Array<{ batch_id: number; row_number: number; reasons: string; row_values: string }> = [];
  const chunkSize = dossierChunkSize(trx);
  // The summary by half-month moves with the dossiers, in the same transaction (src/stats/summary.ts).
  const summaryWriter = new HalfMonthSummaryWriter();

  // The last chunk written, whose insert may still be running on PostgreSQL (the server works while this thread
  // prepares the next chunk). It is settled (counted, its stored dossiers merged) before anything else is
  // written, and before the transaction commits.
  let pending: PendingChunk | undefined;
  const settle = async () => {
    if (pending) await settleChunk(trx, pending, batchId, summary, summaryWriter);
    pending = undefined;
  };
  const flush = async () => {
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
    if (chunk.size) {
      pending = writeChunk(trx, chunk, batchId, repeats);
      repeats = new Set();
      chunk = new Map();
    }
  };
  const reject = (rowNumber: number, reasons: string[], originalJson: string) => {
    if (options.strict) {
      throw new InputError(path, `${reasons.join('; ')} (--strict: không nhập dòng nào của tệp này)`, rowNumber);
    }
    summary.rejected++;
    for (const reason of reasons) summary.rejectedByReason[reasonKind(reason)] = (summary.rejectedByReason[reasonKind(reason)] ?? 0) + 1;
    rejects.push({ batch_id: batchId, row_number: rowNumber, reasons: JSON.stringify(reasons), row_values: originalJson });
  };

  for await (const batch of parsed.batches) {
    summary.rowsRead += batch.rowsRead;
    // Rejects first: under --strict the first bad row of the batch stops the file either way.
    for (const row of batch.rejects) reject(row.rowNumber, row.reasons, row.originalJson);
    const v = wireValues(batch);
    for (let i = 0, at = 0; i < batch.dossierCount; i++, at += WIRE_WIDTH) {
      const unit = units.resolve(v[at + W.unitName]);
      if (!unit.ok) {
        reject(batch.rowNumbers[i], [unit.reason], batch.unitUnclear[i] ?? '{}');
        continue;
      }
      const procedureCode = v[at + W.procedureCode] || undefined;
      const procedureName = v[at + W.procedureName] || undefined;
      const procedure = procedures.find(procedureCode, procedureName);
      const values: DossierValues = {
        code: v[at + W.code],
        unit_code: unit.code,
        procedure_code: procedureCode ?? procedure?.code ?? null,
        procedure_name: procedureName ?? procedure?.name ?? null,
        field: v[at + W.field] || procedure?.field || null,
        channel: (v[at + W.channel] || null) as DossierValues['channel'],
        received_at: v[at + W.receivedAt],
        due_at: v[at + W.dueAt] || null,
        ended_at: v[at + W.endedAt] || null,
        end_from_returned: v[at + W.endFromReturned] ? 1 : 0,
        returned_at: v[at + W.returnedAt] || null,
        status: v[at + W.status] as DossierValues['status'],
      };
      if (seen.has(values.code)) {
        summary.repeatedInFile++;
        const earlier = chunk.get(values.code);
        if (earlier) {
          chunk.set(values.code, mergeDossier(earlier, values));
          continue;
        }
        // Its first row is already written: merge this one in without counting the dossier again.
        repeats.add(values.code);
      } else seen.add(ownCopy(values.code));
      chunk.set(values.code, values);
      if (chunk.size >= chunkSize) {
        await flush();
        options.onProgress?.(summary.rowsRead);
      }
    }
  }
  await flush();
  await settle();
  await summaryWriter.write(trx);
  options.onProgress?.(summary.rowsRead);

  summary.footerRowsSkipped = parsed.footerRowsSkipped();
  summary.seconds = (performance.now() - started) / 1000;
  await trx
    .updateTable('import_batches')
    .set({
      rows_read: summary.rowsRead, new_count: summary.newDossiers, updated_count: summary.updated,
      unchanged_count: summary.unchanged, rejected_count: summary.rejected,
      footer_rows_skipped: summary.footerRowsSkipped,
      personal_columns_dropped: JSON.stringify(summary.personalColumnsDropped),
      units_created: JSON.stringify(summary.unitsCreated), seconds: summary.seconds,
    })
    .where('id', '=', batchId)
    .execute();
  return summary;
}

/** Index of each value in a parsed row (parsed-file.ts). */
const W = Object.fromEntries(DOSSIER_WIRE.map((name, i) => [name, i])) as Record<(typeof DOSSIER_WIRE)[number], number>;

/** A chunk of dossiers whose insert has been sent. */
interface PendingChunk {
  rows: DossierTable[];
  /** Codes of the chunk whose first row went out in an earlier chunk (counted then). */
  repeats: Set<string>;
  /** How many rows the insert stored as new dossiers; an error surfaces when the chunk is settled. */
  inserting: Promise<number>;
}

/**
 * Sends a chunk: every dossier is inserted as new, and those already stored are skipped, to be merged when the
 * chunk is settled. In a file of new dossiers (a first import, most of a month's export) the stored versions are
 * then never read.
 */
function writeChunk(trx: Db, chunk: Map<string, DossierValues>, batchId: number, repeats: Set<string>): PendingChunk {
  const rows: DossierTable[] = [];
  for (const values of chunk.values()) rows.push(Object.assign(values, { created_batch_id: batchId, updated_batch_id: batchId }));
  const inserting = insertNewDossiers(trx, rows);
  // An error is thrown when the chunk is settled; until then it must not count as unhandled.
  inserting.catch(() => undefined);
  return { rows, repeats, inserting };
}

/**
 * Counts a sent chunk and adds it to the summary; the dossiers its insert skipped were stored already: they are
 * merged with their stored versions, and written again when the merge changed them.
 */
async function settleChunk(trx: Db, chunk: PendingChunk, batchId: number, summary: FileSummary, summaryWriter: HalfMonthSummaryWriter) {
  // Dossiers this file already counted (a repeated row whose first row went out in an earlier chunk).
  const count = (code: string, outcome: 'newDossiers' | 'updated' | 'unchanged') => {
    if (!chunk.repeats.has(code)) summary[outcome]++;
  };
  const inserted = await chunk.inserting;
  if (inserted === chunk.rows.length) {
    for (const row of chunk.rows) {
      count(row.code, 'newDossiers');
      summaryWriter.change(undefined, row);
    }
    return;
  }
  const stored = await loadStoredDossiers(trx, chunk.rows.map((row) => row.code));
  const byCode = new Map(stored.map((row) => [row.code, row]));
  const changed: DossierTable[] = [];
  for (const incoming of chunk.rows) {
    const before = byCode.get(incoming.code);
    if (!before) throw new Error(`dossier ${incoming.code}: neither inserted nor stored`);
    // Stored by this file and met for the first time in this chunk: the insert just stored it. (Batch ids are
    // not reused while dossiers refer to them: nothing deletes a batch but the demo's reset, which deletes the
    // dossiers first.)
    if (before.created_batch_id === batchId && !chunk.repeats.has(incoming.code)) {
      count(incoming.code, 'newDossiers');
      summaryWriter.change(undefined, incoming);
      continue;
    }
    const { created_batch_id, updated_batch_id: _, ...beforeValues } = before;
    const { created_batch_id: _c, updated_batch_id: _u, ...incomingValues } = incoming;
    const merged = mergeDossier(beforeValues, incomingValues);
    if (merged === beforeValues) {
      count(incoming.code, 'unchanged');
      continue;
    }
    count(incoming.code, 'updated');
    changed.push(Object.assign(merged, { created_batch_id, updated_batch_id: batchId }));
    summaryWriter.change(beforeValues, merged);
  }
  await overwriteDossiers(trx, changed);
}

/** Groups reasons by kind for the summary line: the text before the value it names. */
function reasonKind(reason: string): string {
  return reason.replace(/:.*$/, '').replace(/ \(.*$/, '').replace(/ \d{4}-\d{2}-\d{2}.*$/, '').replace(/"[^"]*"/g, '…');
}

export function nowInVietnam(): string {
  return new Date(Date.now() + 7 * 3600_000).toISOString().slice(0, 19).replace('T', ' ');
}
