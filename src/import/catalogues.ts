import { basename } from 'node:path';
import { z } from 'zod';
import type { Db } from '../db/connection.ts';
import { lockForImport } from '../db/dialect.ts';
import type { ProcedureTable, UnitTable } from '../db/schema.ts';
import { parseDateTime } from '../domain/dates.ts';
import { parseDuration } from '../domain/due-day.ts';
import { inferLevelFromUnitName, parseLevel } from '../domain/levels.ts';
import { dayBefore } from '../domain/periods.ts';
import { successorCycles } from '../units/chain.ts';
import { cleanText, matchKey } from '../domain/text.ts';
import { moveUnitInSummary } from '../stats/summary-writer.ts';
import type { ColumnSpec } from './columns.ts';
import { openTable } from './table.ts';
import { InputError, type CellValue } from './types.ts';

// The unit and procedure catalogues: small files, so a bad row fails the whole file with its line.

const UNIT_COLUMNS: ColumnSpec<'code' | 'name' | 'level' | 'parentCode' | 'validFrom' | 'validTo' | 'successorCode'> = {
  aliases: {
    code: ['Mã đơn vị', 'code', 'Mã'],
    name: ['Tên đơn vị', 'name', 'Tên', 'Đơn vị'],
    level: ['Cấp', 'level', 'Cấp hành chính', 'Cấp đơn vị'],
    parentCode: ['Mã đơn vị cấp trên', 'parent_code', 'Đơn vị cấp trên'],
    validFrom: ['Hiệu lực từ', 'valid_from', 'Từ ngày'],
    validTo: ['Hiệu lực đến', 'valid_to', 'Đến ngày'],
    successorCode: ['Mã đơn vị kế thừa', 'successor_code', 'Đơn vị kế thừa'],
  },
  required: ['code', 'name', 'level'],
};

const PROCEDURE_COLUMNS: ColumnSpec<'code' | 'name' | 'field' | 'onlineLevel' | 'level' | 'duration'> = {
  aliases: {
    code: ['Mã thủ tục', 'code', 'Mã TTHC', 'Mã thủ tục hành chính'],
    name: ['Tên thủ tục', 'name', 'Tên thủ tục hành chính', 'Tên TTHC'],
    field: ['Lĩnh vực', 'field'],
    onlineLevel: ['Mức độ', 'online_level', 'Mức độ DVC', 'Mức độ trực tuyến', 'Mức độ dịch vụ công'],
    level: ['Cấp thực hiện', 'level', 'Cấp'],
    duration: ['Thời hạn giải quyết', 'duration', 'Thời hạn', 'Thời gian giải quyết', 'Thời hạn xử lý', 'Số ngày giải quyết'],
  },
  required: ['code', 'name'],
};

const text = z.custom<CellValue | undefined>().transform((v) => cleanText(v instanceof Date ? undefined : v));
const requiredText = (label: string) => text.pipe(z.string({ error: `thiếu ${label}` }));
const level = text.transform((v, ctx) => {
  if (v === undefined) return undefined;
  const parsed = parseLevel(v);
  if (!parsed) ctx.addIssue({ code: 'custom', message: `cấp không rõ: "${v}" (tinh/huyen/xa hoặc Tỉnh/Huyện/Xã)` });
  return parsed;
});
const day = z.custom<CellValue | undefined>().transform((v, ctx) => {
  const parsed = parseDateTime(v);
  if (parsed === undefined) return null;
  if (!parsed.ok) {
    ctx.addIssue({ code: 'custom', message: `ngày không hợp lệ: "${String(v)}"` });
    return null;
  }
  return parsed.value.slice(0, 10);
});

/** Mức độ 2/3/4, or the words of Nghị định 42/2022: dịch vụ công (2), một phần (3), toàn trình (4). */
export function parseOnlineLevel(value: string): number | undefined {
  const key = matchKey(value);
  const digit = /([234])\s*$/.exec(key) ?? /^(?:mức độ\s*)?([234])/.exec(key);
  if (digit) return Number(digit[1]);
  if (key.includes(matchKey('toàn trình'))) return 4;
  if (key.includes(matchKey('một phần'))) return 3;
  if (key.includes(matchKey('dịch vụ công')) || key.includes('dvc')) return 2;
  return undefined;
}

const unitRow = z.object({
  code: requiredText('mã đơn vị'),
  name: requiredText('tên đơn vị'),
  level: level.refine((v) => v !== undefined, { error: 'thiếu cấp' }),
  parentCode: text,
  validFrom: day,
  validTo: day,
  successorCode: text,
});

const procedureRow = z.object({
  code: requiredText('mã thủ tục'),
  name: requiredText('tên thủ tục'),
  field: text,
  onlineLevel: text.transform((v, ctx) => {
    if (v === undefined) return null;
    const parsed = parseOnlineLevel(v);
    if (parsed === undefined) ctx.addIssue({ code: 'custom', message: `mức độ không rõ: "${v}" (2, 3, 4, một phần, toàn trình)` });
    return parsed ?? null;
  }),
  level,
  duration: z.custom<CellValue | undefined>(),
});

async function readCatalogue<F extends string, T>(
  path: string,
  spec: ColumnSpec<F>,
  schema: z.ZodType<T>,
): Promise<Array<T & { rowNumber: number }>> {
  const table = await openTable(path, spec);
  const rows: Array<T & { rowNumber: number }> = [];
  for await (const row of table.rows) {
    const result = schema.safeParse({ ...Object.fromEntries(Object.keys(spec.aliases).map((k) => [k, undefined])), ...row.values });
    if (!result.success) {
      throw new InputError(path, [...new Set(result.error.issues.map((i) => i.message))].join('; '), row.rowNumber);
    }
    rows.push({ ...result.data, rowNumber: row.rowNumber });
  }
  return rows;
}

/** Imports or updates the unit catalogue; returns how many units it holds now from this file. */
export async function importUnits(db: Db, path: string): Promise<{ imported: number }> {
  const rows = await readCatalogue(path, UNIT_COLUMNS, unitRow);
  const units: UnitTable[] = rows.map((r) => ({
    code: r.code, name: r.name, name_key: matchKey(r.name), level: r.level as UnitTable['level'],
    parent_code: r.parentCode ?? null, valid_from: r.validFrom, valid_to: r.validTo, successor_code: r.successorCode ?? null,
  }));
  await db.transaction().execute(async (trx) => {
    await lockForImport(trx);
    const autoUnits = await trx.selectFrom('units').select(['code', 'name_key']).where('code', 'like', 'auto-%').execute();
    const autoByKey = new Map(autoUnits.map((u) => [u.name_key, u.code]));
    for (const unit of units) {
      await trx
        .insertInto('units')
        .values(unit)
        .onConflict((oc) => oc.column('code').doUpdateSet({
          name: unit.name, name_key: unit.name_key, level: unit.level, parent_code: unit.parent_code,
          valid_from: unit.valid_from, valid_to: unit.valid_to, successor_code: unit.successor_code,
        }))
        .execute();
      await takeOverAutoUnit(trx, autoByKey.get(unit.name_key), unit.code);
    }
    await checkSuccessorCycles(trx, path);
  });
  return { imported: units.length };
}

/** A unit first met in an export (before the catalogue came) is the same unit: its dossiers move over. */
async function takeOverAutoUnit(trx: Db, auto: string | undefined, code: string): Promise<void> {
  if (!auto || auto === code) return;
  await trx.updateTable('dossiers').set({ unit_code: code }).where('unit_code', '=', auto).execute();
  await moveUnitInSummary(trx, auto, code);
  await trx.deleteFrom('units').where('code', '=', auto).execute();
}

async function checkSuccessorCycles(trx: Db, path: string): Promise<void> {
  const units = await trx.selectFrom('units').select(['code', 'name', 'level', 'valid_from', 'valid_to', 'successor_code']).execute();
  const cycles = successorCycles(units);
  if (cycles.length) {
    throw new InputError(path, `chuỗi đơn vị kế thừa quay vòng: ${cycles.map((c) => c.join(' → ')).join('; ')}`);
  }
}

// A reform's arrangement as provinces published it: each row an old unit (by code or name), the new unit that
// takes over its work (by code, with its name when the catalogue does not hold it yet), and the first day.
const MAPPING_COLUMNS: ColumnSpec<'oldCode' | 'oldName' | 'newCode' | 'newName' | 'from'> = {
  aliases: {
    oldCode: ['Mã đơn vị cũ', 'old_code', 'Mã ĐV cũ', 'Mã đơn vị trước sắp xếp'],
    oldName: ['Tên đơn vị cũ', 'old_name', 'Đơn vị cũ', 'Đơn vị trước sắp xếp', 'Tên đơn vị trước sắp xếp'],
    newCode: ['Mã đơn vị mới', 'new_code', 'Mã ĐV mới', 'Mã đơn vị sau sắp xếp'],
    newName: ['Tên đơn vị mới', 'new_name', 'Đơn vị mới', 'Đơn vị sau sắp xếp', 'Tên đơn vị sau sắp xếp'],
    from: ['Từ ngày', 'from', 'Ngày hiệu lực', 'Hiệu lực từ', 'Ngày có hiệu lực'],
  },
  required: ['newCode', 'from'],
};

const mappingRow = z.object({
  oldCode: text,
  oldName: text,
  newCode: requiredText('mã đơn vị mới'),
  newName: text,
  from: day.refine((v) => v !== null, { error: 'thiếu ngày (Từ ngày)' }),
}).refine((r) => r.oldCode !== undefined || r.oldName !== undefined, { error: 'thiếu mã hoặc tên đơn vị cũ' });

/**
 * Applies a reform mapping file: each old unit ends the day before "Từ ngày" with the new unit as its successor.
 * A new unit missing from the catalogue is added from its name (level read from the name), valid from that day;
 * an old unit is found by code, else by name (a unit created from an export's names included). One old unit
 * mapped to two new ones (a split) is an error: its dossiers cannot be shared out. Returns the rows applied and
 * the units added.
 */
export async function importUnitMapping(db: Db, path: string): Promise<{ mapped: number; created: string[] }> {
  const rows: Array<{ row: z.infer<typeof mappingRow>; rowNumber: number }> = [];
  const table = await openTable(path, MAPPING_COLUMNS);
  for await (const row of table.rows) {
    const result = mappingRow.safeParse({ ...Object.fromEntries(Object.keys(MAPPING_COLUMNS.aliases).map((k) => [k, undefined])), ...row.values });
    if (!result.success) {
      throw new InputError(path, [...new Set(result.error.issues.map((i) => i.message))].join('; '), row.rowNumber);
    }
    rows.push({ row: result.data, rowNumber: row.rowNumber });
  }
  const created: string[] = [];
  let mapped = 0;
  await db.transaction().execute(async (trx) => {
    await lockForImport(trx);
    const units = await trx.selectFrom('units').select(['code', 'name', 'name_key', 'level', 'valid_from']).execute();
    const byCode = new Map(units.map((u) => [u.code, u]));
    const successorOf = new Map<string, string>();
    for (const { row, rowNumber } of rows) {
      const fail = (detail: string) => new InputError(path, detail, rowNumber);
      let target = byCode.get(row.newCode);
      if (!target) {
        if (row.newName === undefined) throw fail(`mã đơn vị mới "${row.newCode}" không có trong danh mục đơn vị; hãy thêm cột Tên đơn vị mới`);
        const level = inferLevelFromUnitName(row.newName);
        if (!level) throw fail(`không biết cấp của đơn vị mới "${row.newName}"; hãy nhập đơn vị này bằng tthc units import`);
        const unit = {
          code: row.newCode, name: row.newName, name_key: matchKey(row.newName), level, parent_code: null,
          valid_from: row.from, valid_to: null, successor_code: null,
        };
        await trx.insertInto('units').values(unit).execute();
        const auto = units.find((u) => u.code.startsWith('auto-') && u.name_key === unit.name_key);
        await takeOverAutoUnit(trx, auto?.code, unit.code);
        target = { code: unit.code, name: unit.name, name_key: unit.name_key, level, valid_from: unit.valid_from };
        byCode.set(unit.code, target);
        created.push(unit.code);
      }
      let old = row.oldCode !== undefined ? byCode.get(row.oldCode) : undefined;
      if (!old && row.oldName !== undefined) {
        const key = matchKey(row.oldName);
        // A merged commune often keeps the name of one of the communes it replaced: the old unit is one valid before
        // the mapping's day, never the new unit itself.
        const named = [...byCode.values()].filter(
          (u) => u.name_key === key && u.code !== target!.code && (u.valid_from === null || u.valid_from < row.from!),
        );
        if (named.length > 1) throw fail(`tên đơn vị cũ "${row.oldName}" khớp nhiều đơn vị: ${named.map((u) => u.code).join(', ')}; hãy ghi mã đơn vị cũ`);
        old = named[0];
      }
      if (!old) throw fail(`không tìm thấy đơn vị cũ "${row.oldCode ?? row.oldName}" trong danh mục đơn vị`);
      if (old.code === target.code) continue;
      const earlier = successorOf.get(old.code);
      if (earlier !== undefined && earlier !== target.code) {
        throw fail(`đơn vị cũ "${old.name}" được chuyển cho hai đơn vị mới (${earlier}, ${target.code}); mỗi đơn vị cũ chỉ có một đơn vị kế thừa`);
      }
      successorOf.set(old.code, target.code);
      await trx
        .updateTable('units')
        .set({ valid_to: dayBefore(row.from!), successor_code: target.code })
        .where('code', '=', old.code)
        .execute();
      mapped++;
    }
    await checkSuccessorCycles(trx, path);
  });
  return { mapped, created };
}

/**
 * Imports or updates the procedure catalogue. Its "Thời hạn giải quyết" is read as a duration (parseDuration,
 * src/domain/due-day.ts); a duration tthc cannot read is stored as none, with one warning line naming the row.
 */
export async function importProcedures(db: Db, path: string): Promise<{ imported: number; withDuration: number; warnings: string[] }> {
  const rows = await readCatalogue(path, PROCEDURE_COLUMNS, procedureRow);
  const warnings: string[] = [];
  const procedures: ProcedureTable[] = rows.map((r) => {
    const given = typeof r.duration === 'number' ? r.duration : cleanText(r.duration instanceof Date ? undefined : r.duration);
    const duration = given === undefined ? undefined : parseDuration(given);
    if (given !== undefined && duration === undefined) {
      warnings.push(`${basename(path)}, dòng ${r.rowNumber}: thời hạn giải quyết không đọc được "${String(given)}" (cần dạng "10 ngày làm việc", "05 ngày" hoặc một số): thủ tục ${r.code} không có thời hạn`);
    }
    return {
      code: r.code, name: r.name, name_key: matchKey(r.name), field: r.field ?? null,
      online_level: r.onlineLevel, level: (r.level as ProcedureTable['level']) ?? null,
      duration_days: duration?.days ?? null, duration_unit: duration?.unit ?? null,
    };
  });
  await db.transaction().execute(async (trx) => {
    await lockForImport(trx);
    for (let i = 0; i < procedures.length; i += 1000) {
      await trx
        .insertInto('procedures')
        .values(procedures.slice(i, i + 1000))
        .onConflict((oc) => oc.column('code').doUpdateSet((eb) => ({
          name: eb.ref('excluded.name'), name_key: eb.ref('excluded.name_key'), field: eb.ref('excluded.field'),
          online_level: eb.ref('excluded.online_level'), level: eb.ref('excluded.level'),
          duration_days: eb.ref('excluded.duration_days'), duration_unit: eb.ref('excluded.duration_unit'),
        })))
        .execute();
    }
  });
  return { imported: procedures.length, withDuration: procedures.filter((p) => p.duration_days !== null).length, warnings };
}
