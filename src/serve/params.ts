import { statsQueryFromOptions } from '../cli/stats-options.ts';
import { isDay } from '../domain/dates.ts';
import { StatsQueryError, type StatsQuery } from '../stats/types.ts';

// The web page and the JSON API take the CLI's option names as query parameters (`reporting-month=2022-05`,
// `exclude-field=BHXH`, repeatable `level`, `unit`, `field`), and hand them to the parser the CLI uses, so a
// URL and a command line mean the same query.

/** The period parameters, by their CLI names, in the order a period picker offers them. */
export const PERIOD_PARAMS = ['year', 'quarter', 'month', 'reporting-month', 'reporting-year', 'years', 'from', 'to'] as const;
const VALUE_PARAMS = [...PERIOD_PARAMS, 'by', 'units-as-of'] as const;
const LIST_PARAMS = ['level', 'unit', 'field', 'exclude-field'] as const;
const FLAG_PARAMS = ['current-units', 'whole-periods'] as const;
/** Every parameter that names the query (period, filters, grouping): what a link to another page carries on. */
export const QUERY_PARAMS = [...VALUE_PARAMS, ...LIST_PARAMS, ...FLAG_PARAMS] as const;

/** The period kinds of the page's picker (`ky`): each keeps only its own parameters. */
export const PERIOD_KINDS: Record<string, readonly string[]> = {
  year: ['year'],
  quarter: ['quarter'],
  month: ['month'],
  'reporting-month': ['reporting-month'],
  'reporting-year': ['reporting-year'],
  years: ['years'],
  range: ['from', 'to'],
};

const camel = (name: string) => name.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());

/**
 * The query parameters that name a query, cleaned: empty values dropped, and with the picker's `ky` only the
 * period parameters of that kind kept. Returned as parameters again, so links can carry them on.
 */
export function queryParams(search: URLSearchParams): URLSearchParams {
  const kind = search.get('ky');
  const keepPeriod = kind && PERIOD_KINDS[kind] ? new Set(PERIOD_KINDS[kind]) : undefined;
  const out = new URLSearchParams();
  for (const name of QUERY_PARAMS) {
    if (keepPeriod && (PERIOD_PARAMS as readonly string[]).includes(name) && !keepPeriod.has(name)) continue;
    for (const value of search.getAll(name)) {
      const v = value.trim();
      if (v !== '' || (FLAG_PARAMS as readonly string[]).includes(name)) out.append(name, v);
    }
  }
  return out;
}

/** Whether the parameters choose a period. */
export function hasPeriod(params: URLSearchParams): boolean {
  return PERIOD_PARAMS.some((p) => params.has(p));
}

const isOn = (value: string) => !/^(0|false|no|khong|không)$/i.test(value);

/** The parameters as commander would hand the same options to `tthc stats` (camelCase names). */
export function optionsOf(params: URLSearchParams): Record<string, unknown> {
  const options: Record<string, unknown> = {};
  for (const name of VALUE_PARAMS) {
    const value = params.get(name);
    if (value !== null) options[camel(name)] = value;
  }
  for (const name of LIST_PARAMS) {
    const values = params.getAll(name);
    if (values.length) options[camel(name)] = values;
  }
  for (const name of FLAG_PARAMS) {
    const value = params.get(name);
    if (value !== null && isOn(value)) options[camel(name)] = true;
  }
  return options;
}

/** The StatsQuery of the parameters, through the CLI's own parser (its errors are the CLI's, in Vietnamese). */
export function statsQueryOf(params: URLSearchParams): StatsQuery {
  return statsQueryFromOptions(optionsOf(params));
}

/** Whether `whole-periods` is on. */
export function wholePeriodsOf(params: URLSearchParams): boolean {
  const value = params.get('whole-periods');
  return value !== null && isOn(value);
}

/** `base` with some parameters replaced (a value of undefined removes one, an array repeats it). */
export function withParams(base: URLSearchParams, changes: Record<string, string | readonly string[] | undefined>): URLSearchParams {
  const out = new URLSearchParams(base);
  for (const [name, value] of Object.entries(changes)) {
    out.delete(name);
    if (value === undefined) continue;
    for (const v of typeof value === 'string' ? [value] : value) out.append(name, v);
  }
  return out;
}

/** The parameters with the period replaced by exactly the days from–to (a row's own sub-period). */
export function withDays(base: URLSearchParams, from: string, to: string): URLSearchParams {
  const out = new URLSearchParams(base);
  for (const name of PERIOD_PARAMS) out.delete(name);
  out.delete('by');
  out.set('from', from);
  out.set('to', to);
  return out;
}

/** What `due-within` asks of the Hồ sơ page, as `tthc dossiers --due-within` takes it. */
export interface DueWithinParams {
  workingDays: number;
  /** `as-of`: the day of the list; today in Vietnam when absent. */
  asOf?: string;
  /** `include-overdue`: also list the dossiers already overdue. */
  includeOverdue: boolean;
}

/** The `due-within`, `as-of` and `include-overdue` parameters, or undefined without `due-within`; a bad one is a user error. */
export function dueWithinOf(search: URLSearchParams): DueWithinParams | undefined {
  const value = search.get('due-within')?.trim();
  if (value === undefined || value === '') return undefined;
  if (!/^\d{1,3}$/.test(value)) throw new StatsQueryError(`due-within phải là một số ngày làm việc (0, 1, 2, …), nhận được "${value}"`);
  const asOf = search.get('as-of')?.trim() || undefined;
  if (asOf !== undefined && !isDay(asOf)) throw new StatsQueryError(`as-of phải là một ngày dạng yyyy-MM-dd (nhận được "${asOf}")`);
  const overdue = search.get('include-overdue');
  return { workingDays: Number(value), ...(asOf ? { asOf } : {}), includeOverdue: overdue !== null && isOn(overdue) };
}

/** The filters of the parameters (level, unit, field, …) without their period, as the CLI parses them. */
export function filtersOf(params: URLSearchParams, day: string): StatsQuery['filters'] {
  const options = optionsOf(params);
  for (const name of PERIOD_PARAMS) delete options[camel(name)];
  delete options.by;
  return statsQueryFromOptions({ ...options, from: day, to: day }).filters;
}
