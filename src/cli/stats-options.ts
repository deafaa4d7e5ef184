import type { Command } from 'commander';
// zod's mini build: the full one is 750 kB bundled, and every stats run would parse it.
import * as z from 'zod/mini';
import { parseLevel, type Level } from '../domain/levels.ts';
import {
  monthPeriod, parseYears, quarterPeriod, rangePeriod, reportingMonthPeriod, reportingYearPeriod, yearPeriod,
  type Period,
} from '../domain/periods.ts';
import { GROUP_KEYS, type GroupKey, type StatsQuery } from '../stats/types.ts';
import { isDay } from '../domain/dates.ts';
import { todayInVietnam } from '../units/chain.ts';
import { collect, UserError } from './common.ts';

// The period and filter options shared by `tthc stats`, `tthc dossiers` and `tthc report`, parsed in one place.

/** Options as commander hands them over (camelCase of the flags). */
export interface PeriodAndFilterOptions {
  year?: string;
  quarter?: string;
  month?: string;
  from?: string;
  to?: string;
  reportingMonth?: string;
  reportingYear?: string;
  years?: string;
  by?: string;
  level?: string[];
  unit?: string[];
  field?: string[];
  excludeField?: string[];
  receivingUnit?: string[];
  unitsAsOf?: string;
  currentUnits?: boolean;
}

export function addPeriodAndFilterOptions(cmd: Command): Command {
  return cmd
    .option('--year <yyyy>', 'a calendar year, e.g. 2022')
    .option('--quarter <yyyy-Qn>', 'a quarter, e.g. 2022-Q2')
    .option('--month <yyyy-MM>', 'a calendar month, e.g. 2022-05')
    .option('--from <yyyy-MM-dd>', 'first day of a range of days (with --to)')
    .option('--to <yyyy-MM-dd>', 'last day of a range of days (with --from)')
    .option('--reporting-month <yyyy-MM>', 'reporting month of Decree 09/2019: 15th of the month before to the 14th')
    .option('--reporting-year <yyyy>', 'reporting year: 15/12 of the year before to 14/12')
    .option('--years <yyyy-yyyy>', 'several calendar years, e.g. 2020-2023 (implies --by year)')
    .option('--level <level>', 'only units of this level: tinh, huyen, xa (repeatable or comma-separated)', collect)
    .option('--unit <code-or-name>', 'only this unit, by code or name; abbreviations (UBND, X., P.) and names without marks work (repeatable)', collect)
    .option('--field <name>', 'only this field (lĩnh vực), by name or abbreviation, e.g. "TN&MT" (repeatable)', collect)
    .option('--exclude-field <name>', 'leave out this field, e.g. "Bảo hiểm xã hội" or BHXH (repeatable)', collect)
    .option('--receiving-unit <name>', 'only dossiers received at this unit (Nơi tiếp nhận, e.g. a public-service centre), by name (repeatable)', collect)
    .option('--units-as-of <yyyy-MM-dd>', "count each dossier under the unit its unit had become on that day (the catalogue's validity and successors)")
    .option('--current-units', 'the same with the units valid today (Vietnam time)');
}

export function addGroupingOption(cmd: Command): Command {
  return cmd.option('--by <keys>', `group by any of ${GROUP_KEYS.join(', ')}, comma-separated (e.g. year,level)`);
}

const text = () => z.optional(z.string());
const texts = () => z.optional(z.array(z.string()));
const optionsSchema = z.object({
  year: z.optional(z.string().check(z.regex(/^\d{4}$/, { error: '--year phải có dạng yyyy, ví dụ 2022' }))),
  quarter: text(),
  month: text(),
  from: text(),
  to: text(),
  reportingMonth: text(),
  reportingYear: z.optional(z.string().check(z.regex(/^\d{4}$/, { error: '--reporting-year phải có dạng yyyy, ví dụ 2022' }))),
  years: text(),
  by: text(),
  level: texts(),
  unit: texts(),
  field: texts(),
  excludeField: texts(),
  receivingUnit: texts(),
  unitsAsOf: z.optional(z.string().check(z.refine(isDay, { error: '--units-as-of phải là một ngày dạng yyyy-MM-dd, ví dụ 2025-07-01' }))),
  currentUnits: z.optional(z.boolean()),
});

const PERIOD_FLAGS = {
  year: '--year', quarter: '--quarter', month: '--month', range: '--from/--to',
  reportingMonth: '--reporting-month', reportingYear: '--reporting-year', years: '--years',
} as const;

/** The options as a StatsQuery: exactly one period choice; groupings and filters checked. */
export function statsQueryFromOptions(raw: PeriodAndFilterOptions | Record<string, unknown>): StatsQuery {
  const parsed = optionsSchema.safeParse(raw);
  if (!parsed.success) throw new UserError(parsed.error.issues[0].message);
  const opts = parsed.data;

  if ((opts.from === undefined) !== (opts.to === undefined)) throw new UserError('--from và --to phải đi cùng nhau');
  const chosen = (Object.keys(PERIOD_FLAGS) as Array<keyof typeof PERIOD_FLAGS>).filter((k) =>
    k === 'range' ? opts.from !== undefined : opts[k] !== undefined,
  );
  if (chosen.length !== 1) {
    const all = Object.values(PERIOD_FLAGS).join(', ');
    throw new UserError(
      chosen.length === 0
        ? `hãy chọn một kỳ: ${all}`
        : `chỉ chọn một kỳ, đã chọn: ${chosen.map((k) => PERIOD_FLAGS[k]).join(', ')}`,
    );
  }

  const by = parseBy(opts.by);
  let period: Period;
  switch (chosen[0]) {
    case 'year': period = yearPeriod(Number(opts.year)); break;
    case 'quarter': period = quarterPeriod(opts.quarter!); break;
    case 'month': period = monthPeriod(opts.month!); break;
    case 'range': period = rangePeriod(opts.from!, opts.to!); break;
    case 'reportingMonth': period = reportingMonthPeriod(opts.reportingMonth!); break;
    case 'reportingYear': period = reportingYearPeriod(Number(opts.reportingYear)); break;
    case 'years': {
      const years = parseYears(opts.years!);
      period = { from: yearPeriod(years[0]).from, to: yearPeriod(years[years.length - 1]).to };
      if (!by.includes('year')) by.unshift('year');
      break;
    }
  }

  const level = opts.level?.flatMap((text) => text.split(',')).map((text): Level => {
    const parsedLevel = parseLevel(text);
    if (!parsedLevel) throw new UserError(`--level không hợp lệ: "${text}" (tinh, huyen, xa hoặc Tỉnh, Huyện, Xã)`);
    return parsedLevel;
  });
  if (opts.unitsAsOf !== undefined && opts.currentUnits) throw new UserError('chỉ chọn một trong --units-as-of và --current-units');
  const unitsAsOf = opts.currentUnits ? todayInVietnam() : opts.unitsAsOf;
  const filters = {
    ...(level?.length ? { level } : {}),
    ...(opts.unit?.length ? { unit: opts.unit } : {}),
    ...(opts.field?.length ? { field: opts.field } : {}),
    ...(opts.excludeField?.length ? { excludeField: opts.excludeField } : {}),
    ...(opts.receivingUnit?.length ? { receivingUnit: opts.receivingUnit } : {}),
    ...(unitsAsOf !== undefined ? { unitsAsOf } : {}),
  };
  return { period, by, filters };
}

function parseBy(text: string | undefined): GroupKey[] {
  if (text === undefined) return [];
  const keys = text.split(',').map((k) => k.trim()).filter(Boolean);
  for (const key of keys) {
    if (!(GROUP_KEYS as readonly string[]).includes(key)) {
      throw new UserError(`--by không hợp lệ: "${key}" (chọn trong: ${GROUP_KEYS.join(', ')})`);
    }
  }
  return [...new Set(keys)] as GroupKey[];
}
