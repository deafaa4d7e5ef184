import { z } from 'zod';
import { readDateTime, type DateOrder, type WallClock } from '../domain/dates.ts';
import { isEnded, STATUS_LABELS, type Status } from '../domain/statuses.ts';
import { cleanText } from '../domain/text.ts';
import { DOSSIER_FIELDS, UncomputedFormula, type CellValue, type DossierField, type DossierInput } from './types.ts';
import { DEFAULT_VALUE_READERS, type ValueReaders } from './value-maps.ts';
import { FLAG_FIELDS, SATISFACTION_BIT, type FlagField } from './indicator-values.ts';

// One row of an export → a validated dossier, or the reasons it cannot be one (one reason per problem).
// The reasons are what an office reads in `tthc rejects`, so they are Vietnamese and name the value.
// The schema checks the cells' types and then reads every field in one transform: a million-row import
// spends its time on the values, not on per-field validator plumbing.

const FIELD_LABELS: Record<DossierField, string> = {
  code: 'mã hồ sơ',
  unit: 'đơn vị tiếp nhận',
  receivingUnit: 'nơi tiếp nhận',
  procedure: 'tên thủ tục',
  procedureCode: 'mã thủ tục',
  field: 'lĩnh vực',
  channel: 'hình thức nộp',
  receivedAt: 'ngày tiếp nhận',
  dueAt: 'ngày hẹn trả',
  endedAt: 'ngày kết thúc xử lý',
  returnedAt: 'ngày trả kết quả',
  status: 'trạng thái',
  paidOnline: 'thanh toán trực tuyến',
  hasFee: 'có phí, lệ phí',
  digitised: 'số hoá',
  electronicResult: 'kết quả điện tử',
  satisfaction: 'đánh giá hài lòng',
};

/**
 * Dossier codes are a few dozen characters; a cell far longer is text pasted into the wrong column, and
 * PostgreSQL's primary key cannot hold more than about 2,700 bytes.
 */
const MAX_CODE_LENGTH = 200;

function isCell(v: unknown): v is CellValue | undefined {
  return v === undefined || v === null || typeof v === 'string' || typeof v === 'number' ||
    typeof v === 'boolean' || v instanceof Date || v instanceof UncomputedFormula;
}

/** No text that tthc stores is longer (cells pasted into the wrong column, or a whole document in one). */
export const MAX_TEXT_LENGTH = 1000;

/** The most UTF-8 bytes a dossier's unit name, field and procedure name take together (a summary row's key). */
export const MAX_KEY_BYTES = 2000;

/**
 * The row without the cells that cannot be read as values, with a reason for each: a formula saved without its
 * value (a file written by a program that does not compute formulas) is never read as an empty cell, since a due
 * date computed by a formula would disappear and the dossier count as on time; and no text longer than
 * MAX_TEXT_LENGTH is stored. The row itself is left as it is, for the rejected-rows table.
 */
function unreadableCells(row: RowCells, reasons: string[]): RowCells {
  let cleaned: RowCells | undefined;
  for (const field of DOSSIER_FIELDS) {
    const value = row[field];
    if (value instanceof UncomputedFormula) {
      reasons.push(`ô công thức chưa có giá trị (${FIELD_LABELS[field]}): mở tệp bằng Excel và lưu lại`);
    } else if (typeof value === 'string' && value.length > MAX_TEXT_LENGTH && field !== 'code') {
      reasons.push(`${FIELD_LABELS[field]} dài ${value.length} ký tự (tối đa ${MAX_TEXT_LENGTH}): không phải giá trị của cột này`);
    } else continue;
    cleaned ??= { ...row };
    cleaned[field] = null;
  }
  return cleaned ?? row;
}

type RowCells = Partial<Record<DossierField, CellValue | undefined>>;

function isRowOfCells(row: unknown): boolean {
  if (typeof row !== 'object' || row === null || Array.isArray(row)) return false;
  for (const field of DOSSIER_FIELDS) if (!isCell((row as RowCells)[field])) return false;
  return true;
}

// The row is checked as one value (every field a cell or missing), not as an object of eleven cell schemas:
// z.object made a result object and an issue list for each of the eleven fields of every row. A row with a
// cell of another type gets the same single reason either way.
const rowSchema = (read: ValueReaders, order: DateOrder) => z
  .custom<RowCells>(isRowOfCells, { error: 'ô có kiểu dữ liệu không đọc được' })
  .transform((cells, ctx): DossierInput | typeof z.NEVER => {
    const reasons: string[] = [];
    const row = unreadableCells(cells, reasons);

    const code = asText(row.code);
    if (!code) reasons.push('thiếu mã hồ sơ');
    else if (code.length > MAX_CODE_LENGTH) reasons.push(`mã hồ sơ dài ${code.length} ký tự (tối đa ${MAX_CODE_LENGTH}): không phải mã hồ sơ`);
    const unitName = asText(row.unit);
    if (!unitName) reasons.push('thiếu đơn vị tiếp nhận (thêm cột "Đơn vị tiếp nhận" hoặc dùng --unit)');
    const reasonsBefore = reasons.length;
    const receivedAt = readDate(row, 'receivedAt', reasons, order);
    // Missing, unless it is there but not a date (readDate gave that reason).
    if (!receivedAt && reasons.length === reasonsBefore) reasons.push('thiếu ngày tiếp nhận');
    const dueAt = readDate(row, 'dueAt', reasons, order);
    const endedInFile = readDate(row, 'endedAt', reasons, order);
    const returnedAt = readDate(row, 'returnedAt', reasons, order);

    const channelText = asText(row.channel);
    const channel = channelText === undefined ? undefined : read.channel(channelText);
    if (channelText !== undefined && !channel) reasons.push(`hình thức nộp không rõ: "${channelText}"`);

    const statusText = asText(row.status);
    const parsedStatus = statusText === undefined ? undefined : read.status(statusText);
    if (statusText !== undefined && !parsedStatus) reasons.push(`trạng thái không rõ: "${statusText}"`);
    const status = parsedStatus ?? inferStatus(endedInFile, returnedAt);

    let endedAt = endedInFile;
    if (isEnded(status)) {
      // One-stop systems often leave "Ngày kết thúc xử lý" empty once the result is handed over.
      endedAt ??= returnedAt;
      if (!endedAt && statusText !== undefined && parsedStatus) {
        reasons.push(`trạng thái "${STATUS_LABELS[status]}" nhưng không có ngày kết thúc xử lý hay ngày trả kết quả`);
      }
    } else if (endedInFile) {
      reasons.push(`trạng thái "${STATUS_LABELS[status]}" nhưng có ngày kết thúc xử lý ${endedInFile.slice(0, 16)}`);
      endedAt = undefined;
    }
    // QĐ 766's optional columns: a value tthc cannot read leaves the column unknown for this dossier (counted in
    // the import summary, never quoted: such a cell may be free text) rather than losing the dossier from every
    // figure, as rejecting the row would.
    const flags: Partial<Record<FlagField, boolean>> = {};
    let unreadable766 = 0;
    FLAG_FIELDS.forEach((field, bit) => {
      const cell = row[field];
      // Numbers and booleans as the workbook holds them (1/0, TRUE/FALSE); a date is no yes/no.
      const flag = cell instanceof Date ? null
        : read.flag(field, typeof cell === 'number' || typeof cell === 'boolean' ? cell : asText(cell));
      if (flag === null) unreadable766 |= 1 << bit;
      else if (flag !== undefined) flags[field] = flag;
    });
    const satisfactionText = asText(row.satisfaction);
    const satisfaction = satisfactionText === undefined || satisfactionText === '-' ? undefined : read.satisfaction(satisfactionText);
    if (satisfactionText !== undefined && satisfactionText !== '-' && !satisfaction) unreadable766 |= 1 << SATISFACTION_BIT;

    // The unit, field and procedure of a dossier are the key of a summary row, and PostgreSQL keeps a key in an
    // index only up to 2,704 bytes: texts this long are no real names (a real procedure name is under 1,000 bytes).
    const procedureName = asText(row.procedure);
    const field = asText(row.field);
    const keyBytes = [unitName, field, procedureName].reduce((sum, text) => sum + (text ? Buffer.byteLength(text) : 0), 0);
    if (keyBytes > MAX_KEY_BYTES) {
      reasons.push(`đơn vị, lĩnh vực và tên thủ tục cộng lại dài ${keyBytes} byte (tối đa ${MAX_KEY_BYTES}): không phải tên thật`);
    }

    if (endedAt && receivedAt && endedAt < receivedAt) {
      reasons.push(`ngày kết thúc xử lý (${endedAt.slice(0, 16)}) trước ngày tiếp nhận (${receivedAt.slice(0, 16)})`);
    }

    if (reasons.length) {
      for (const message of reasons) ctx.addIssue({ code: 'custom', message });
      return z.NEVER;
    }
    return {
      code: code!,
      unitName: unitName!,
      receivingUnit: asText(row.receivingUnit),
      procedureName,
      procedureCode: asText(row.procedureCode),
      field,
      channel,
      receivedAt: receivedAt!,
      dueAt,
      endedAt,
      endFromReturned: endedAt !== undefined && endedInFile === undefined,
      returnedAt,
      status,
      ...flags,
      ...(satisfaction ? { satisfaction } : {}),
      ...(unreadable766 ? { unreadable766 } : {}),
    };
  });

function readDate(row: RowCells, field: DossierField, reasons: string[], order: DateOrder): WallClock | undefined {
  const parsed = readDateTime(row[field], order);
  if (parsed === undefined || typeof parsed === 'string') return parsed;
  reasons.push(`${FIELD_LABELS[field]} không hợp lệ: ${show(row[field])} (${parsed.reason})`);
  return undefined;
}

function asText(value: CellValue | undefined): string | undefined {
  if (value instanceof Date) return dateCellText(value);
  return cleanText(value);
}

/**
 * The wall-clock text of an .xlsx date cell. A cell formatted as a date can hold a number beyond any date
 * (an Invalid Date): it has no text, so that its row is rejected with a reason instead of failing the file.
 */
function dateCellText(value: Date): string | undefined {
  return Number.isNaN(value.getTime()) ? undefined : value.toISOString().slice(0, 19).replace('T', ' ');
}

/** A missing status is read from the dates: a result handed over, processing ended, or still in progress. */
function inferStatus(endedAt?: string, returnedAt?: string): Status {
  if (returnedAt) return 'returned';
  if (endedAt) return 'finished';
  return 'processing';
}

function show(value: unknown): string {
  if (value instanceof Date) return dateCellText(value) ?? 'ô ngày không đọc được';
  return `"${String(value).trim()}"`;
}

export type RowParse = { ok: true; dossier: DossierInput } | { ok: false; reasons: string[] };

/**
 * Validates one row. `defaultUnit` (the --unit option) stands in when the file has no unit column or the cell
 * is empty.
 */
export function parseDossierRow(
  values: Partial<Record<DossierField, CellValue>>,
  defaultUnit?: string,
  readers: ValueReaders = DEFAULT_VALUE_READERS,
  order: DateOrder = 'dmy',
): RowParse {
  const input = defaultUnit && cleanText(values.unit) === undefined ? { ...values, unit: defaultUnit } : values;
  const result = schemaFor(readers, order).safeParse(input);
  if (result.success) return { ok: true, dossier: result.data };
  return { ok: false, reasons: [...new Set(result.error.issues.map((issue) => issue.message))] };
}

const schemas: Record<DateOrder, WeakMap<ValueReaders, ReturnType<typeof rowSchema>>> = { dmy: new WeakMap(), mdy: new WeakMap() };
function schemaFor(readers: ValueReaders, order: DateOrder): ReturnType<typeof rowSchema> {
  let schema = schemas[order].get(readers);
  if (!schema) schemas[order].set(readers, (schema = rowSchema(readers, order)));
  return schema;
}

/** The date fields, whose text tells a file's day/month order (dateOrderOf). */
export const DATE_FIELDS = ['receivedAt', 'dueAt', 'endedAt', 'returnedAt'] as const;

