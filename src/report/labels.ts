import { endOfMonth } from 'date-fns/endOfMonth';
import { endOfQuarter } from 'date-fns/endOfQuarter';
import { format } from 'date-fns/format';
import { parseISO } from 'date-fns/parseISO';
import { viDay, type Period } from '../domain/periods.ts';
import { LEVEL_LABELS, type Level } from '../domain/levels.ts';
import type { StatsFilters } from '../stats/types.ts';

// How the report names periods, levels and the scope of a table, in the words of Vietnamese reports.

/** 'yyyy-MM-dd' → 'dd/MM/yyyy'. */
export function viDate(day: string): string {
  return `${day.slice(8, 10)}/${day.slice(5, 7)}/${day.slice(0, 4)}`;
}

const iso = (d: Date) => format(d, 'yyyy-MM-dd');
const ROMAN = ['I', 'II', 'III', 'IV', 'V', 'VI', 'VII', 'VIII', 'IX', 'X', 'XI', 'XII'];

export function roman(n: number): string {
  return ROMAN[n - 1] ?? String(n);
}

function isWholeYear(p: Period): boolean {
  return p.from.slice(5) === '01-01' && p.to.slice(5) === '12-31' && p.from.slice(0, 4) === p.to.slice(0, 4);
}

function isWholeMonths(p: Period): boolean {
  return p.from.slice(8) === '01' && iso(endOfMonth(parseISO(p.to))) === p.to;
}

/** "Năm 2022", "Tháng 6/2020", "Quý II/2022", "Tháng 1–6/2021", "Năm 2020–2023", else "Từ ngày … đến ngày …". */
export function periodLabel(p: Period): string {
  const y1 = p.from.slice(0, 4);
  const y2 = p.to.slice(0, 4);
  if (isWholeYear(p)) return `Năm ${y1}`;
  if (p.from.slice(5) === '01-01' && p.to.slice(5) === '12-31') return `Năm ${y1}–${y2}`;
  if (isWholeMonths(p)) {
    const m1 = Number(p.from.slice(5, 7));
    const m2 = Number(p.to.slice(5, 7));
    if (y1 === y2 && m1 === m2) return `Tháng ${m1}/${y1}`;
    if (y1 === y2 && (m1 - 1) % 3 === 0 && m2 === m1 + 2 && iso(endOfQuarter(parseISO(p.from))) === p.to) {
      return `Quý ${roman((m1 - 1) / 3 + 1)}/${y1}`;
    }
    if (y1 === y2) return `Tháng ${m1}–${m2}/${y1}`;
    return `Tháng ${m1}/${y1} – tháng ${m2}/${y2}`;
  }
  return `Từ ngày ${viDate(p.from)} đến ngày ${viDate(p.to)}`;
}

/**
 * The name of a period of the periodic reporting regime (Nghị định 09/2019: 15/12–14/12 is "Năm 2022",
 * 15/04–14/05 is "Tháng 5/2022"), else the calendar name of periodLabel; undefined for a bare range of days.
 */
export function reportingPeriodName(p: Period): string | undefined {
  const y = Number(p.to.slice(0, 4));
  if (p.from === `${y - 1}-12-15` && p.to === `${y}-12-14`) return `Năm ${y}`;
  const m = Number(p.to.slice(5, 7));
  const prev = m === 1 ? `${y - 1}-12` : `${y}-${String(m - 1).padStart(2, '0')}`;
  if (p.to.slice(8) === '14' && p.from === `${prev}-15`) return `Tháng ${m}/${y}`;
  const label = periodLabel(p);
  return label.startsWith('Từ ngày') ? undefined : label;
}

/** A year row of a table: "2022", or "2023 (01/01–25/05)" when the period cuts the year. */
export function yearLabel(p: Period): string {
  const year = p.from.slice(0, 4);
  if (isWholeYear(p)) return year;
  return `${year} (${viDate(p.from).slice(0, 5)}–${viDate(p.to).slice(0, 5)})`;
}

/** A month row: "01/2022". */
export function monthLabel(month: string): string {
  return `${month.slice(5, 7)}/${month.slice(0, 4)}`;
}

export function levelLabel(level: Level | undefined | null): string {
  return level ? LEVEL_LABELS[level] : 'Chưa xác định cấp';
}

/** The scope of a table: its days and its filters, as the line under a title says it. */
export function scopeLabel(period: Period, filters: StatsFilters = {}): string {
  return [`Từ ngày ${viDate(period.from)} đến ngày ${viDate(period.to)}`, ...filterParts(filters)].join('; ');
}

/** The filters alone: "không tính hồ sơ lĩnh vực Bảo hiểm xã hội; cấp: Cấp huyện"; empty when there are none. */
export function filterLabel(filters: StatsFilters = {}): string {
  return filterParts(filters).join('; ');
}

function filterParts(filters: StatsFilters): string[] {
  const parts: string[] = [];
  if (filters.level?.length) parts.push(`cấp: ${filters.level.map((l) => LEVEL_LABELS[l]).join(', ')}`);
  if (filters.unit?.length) parts.push(`đơn vị: ${filters.unit.join(', ')}`);
  if (filters.field?.length) parts.push(`lĩnh vực: ${filters.field.join(', ')}`);
  if (filters.receivingUnit?.length) parts.push(`nơi tiếp nhận: ${filters.receivingUnit.join(', ')}`);
  const excluded = exclusionNote(filters);
  if (excluded) parts.push(excluded);
  if (filters.unitsAsOf) parts.push(`theo đơn vị hành chính ngày ${viDay(filters.unitsAsOf)}`);
  return parts;
}

/** "không tính hồ sơ lĩnh vực Bảo hiểm xã hội", as reports say what they leave out. */
export function exclusionNote(filters: StatsFilters = {}): string | undefined {
  if (!filters.excludeField?.length) return undefined;
  return `không tính hồ sơ lĩnh vực ${filters.excludeField.join(', ')}`;
}
