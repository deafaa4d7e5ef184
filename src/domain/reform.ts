import type { Day } from './dates.ts';
import { LEVELS, type Level } from './levels.ts';
import type { Period } from './periods.ts';

// The reform of local government: from 1 July 2025 Vietnam's local government has two levels, tỉnh and xã
// (Luật Tổ chức chính quyền địa phương 2025; one-stop work by Nghị định 118/2025/NĐ-CP). Districts (cấp huyện)
// exist up to 30 June 2025 and in no period after it. Every rule that depends on the date is here.

/** The first day of two-level local government. */
export const TWO_LEVELS_FROM: Day = '2025-07-01';
/** The last day districts existed. */
export const LAST_DAY_OF_DISTRICTS: Day = '2025-06-30';

/** The levels of local government on a day: tỉnh, huyện and xã until 30/06/2025, tỉnh and xã from 01/07/2025. */
export function levelsOn(day: Day): readonly Level[] {
  return day < TWO_LEVELS_FROM ? LEVELS : LEVELS.filter((level) => level !== 'huyen');
}

/** The levels that existed at some day of a period: a period after 30/06/2025 has no huyện. */
export function levelsOfPeriod(period: Period): readonly Level[] {
  return levelsOn(period.from);
}

/** Whether a period has days on both sides of the reform: huyện figures cover only its part up to 30/06/2025. */
export function crossesReform(period: Period): boolean {
  return period.from < TWO_LEVELS_FROM && period.to >= TWO_LEVELS_FROM;
}

/** Whether a period lies wholly after 30/06/2025. */
export function afterReform(period: Period): boolean {
  return period.from >= TWO_LEVELS_FROM;
}

/** What a table whose period crosses the reform says about its huyện figures (one Vietnamese line). */
export const ACROSS_REFORM_NOTE =
  'từ 01/07/2025 chính quyền địa phương có hai cấp (tỉnh, xã): số liệu cấp huyện chỉ gồm phần kỳ đến 30/06/2025';

/**
 * What a huyện row of a period after the reform says: it exists only because dossiers of a district still take
 * part in the period (received before, resolved or pending after 30/06/2025).
 */
export const HUYEN_AFTER_REFORM_NOTE =
  'hồ sơ của đơn vị cấp huyện còn giải quyết hoặc tồn sau 30/06/2025; để tính theo đơn vị kế thừa, dùng --units-as-of hoặc --current-units';

/** The note a row of some level and sub-period carries, if any. */
export function levelNote(level: Level | undefined, period: Period): string | undefined {
  if (level !== 'huyen') return undefined;
  if (afterReform(period)) return HUYEN_AFTER_REFORM_NOTE;
  return crossesReform(period) ? ACROSS_REFORM_NOTE : undefined;
}
