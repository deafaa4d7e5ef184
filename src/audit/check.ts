import { redact, type Db } from '../db/connection.ts';
import { computeStats } from '../stats/compute.ts';
import { ratesOf, toHandle } from '../stats/rates.ts';
import { StatsQueryError, type CountFigure, type StatsFilters, type StatsRow } from '../stats/types.ts';
import { percentConsistent } from './self-check.ts';
import type { CountName, FigureRef, PublishedFigure, Scope } from './published.ts';

// `tthc check FILE`: each published figure against the same figure computed from the database (computeStats, the
// figures of `tthc stats`), with the `tthc dossiers` commands that list the dossiers behind it. Counts must be
// equal; a rate or share must be what the recomputed counts give, to the printed rounding.

export interface DatabaseComparison {
  figure: PublishedFigure;
  /** The recomputed count, or percentage; undefined when the database cannot give it (see problem). */
  recomputed: number | undefined;
  /** published − recomputed (counts, or percentage points). */
  difference: number | undefined;
  agrees: boolean;
  /** Why there is no recomputed value (an unknown unit, no denominator). */
  problem?: string;
  /** `tthc dossiers …` commands listing the dossiers the figure counts. */
  commands: string[];
}

export interface CheckOptions {
  /** Filters applied to every figure, as the report's own scope note says (e.g. excludeField: ['Bảo hiểm xã hội']). */
  filters?: Pick<StatsFilters, 'field' | 'excludeField'>;
  /** How the commands name the database (the --db given), if not the default. */
  dbOption?: string;
}

export async function checkAgainstDatabase(db: Db, figures: readonly PublishedFigure[], options: CheckOptions = {}): Promise<DatabaseComparison[]> {
  const rows = new Map<string, Promise<StatsRow | Error>>();
  const statsOf = (f: PublishedFigure) => {
    const filters = { ...options.filters, ...scopeFilters(f.scope) };
    const key = JSON.stringify([f.period, filters]);
    let row = rows.get(key);
    if (!row) {
      row = computeStats(db, { period: f.period, filters }).then(
        (r) => r[0],
        (error) => {
          if (error instanceof StatsQueryError) return error;
          throw error;
        },
      );
      rows.set(key, row);
    }
    return row;
  };
  const out: DatabaseComparison[] = [];
  for (const figure of figures) {
    const commands = dossierCommands(figure, options);
    const row = await statsOf(figure);
    if (row instanceof Error) {
      out.push({ figure, recomputed: undefined, difference: undefined, agrees: false, problem: row.message, commands });
      continue;
    }
    const value = recompute(figure.figure, row);
    if (value === undefined) {
      out.push({ figure, recomputed: undefined, difference: undefined, agrees: false, problem: 'mẫu số bằng 0 trong dữ liệu', commands });
      continue;
    }
    const agrees =
      figure.figure.kind === 'count'
        ? value.value === figure.value
        : percentConsistent(figure.value, figure.decimals, value.value, value.part, value.whole);
    out.push({ figure, recomputed: value.value, difference: figure.value - value.value, agrees, commands });
  }
  return out;
}

function scopeFilters(scope: Scope): StatsFilters {
  if (scope.kind === 'level') return { level: [scope.level] };
  if (scope.kind === 'unit') return { unit: [scope.name] };
  return {};
}

const count = (row: StatsRow, name: CountName) => (name === 'toHandle' ? toHandle(row) : row[name]);

/** The figure from a stats row: a count, or a percentage with the counts it is made of. */
export function recompute(figure: FigureRef, row: StatsRow): { value: number; part: number; whole: number } | undefined {
  if (figure.kind === 'count') {
    const value = count(row, figure.name);
    return { value, part: value, whole: value };
  }
  if (figure.kind === 'share') {
    const part = count(row, figure.numerator);
    const whole = count(row, figure.denominator);
    return whole === 0 ? undefined : { value: (100 * part) / whole, part, whole };
  }
  const rate = ratesOf(row)[figure.name];
  if (rate === null) return undefined;
  const whole = figure.name === 'onTimeRate' ? row.resolvedTotal : row.receivedTotal;
  return { value: 100 * rate, part: Math.round(rate * whole), whole };
}

/** The counts whose dossiers explain a figure: the figure itself, a rate's numerator (and late ones, for on-time). */
function explainingCounts(figure: FigureRef): CountFigure[] {
  const expand = (name: CountName): CountFigure[] => (name === 'toHandle' ? ['receivedTotal', 'carriedOver'] : [name]);
  switch (figure.kind) {
    case 'count': return expand(figure.name);
    case 'share': return expand(figure.numerator);
    case 'rate':
      switch (figure.name) {
        case 'onTimeRate': return ['resolvedLate', 'resolvedRejected'];
        case 'onlineRate':
        case 'onlineShare': return ['receivedOnline'];
        case 'directShare': return ['receivedDirect'];
        case 'postalShare': return ['receivedPostal'];
        case 'lienThongShare': return ['receivedLienThong'];
      }
  }
}

const quote = (text: string) => (/^[\w./:=@-]+$/.test(text) ? text : `"${text.replace(/(["\\$`])/g, '\\$1')}"`);

export function dossierCommands(f: PublishedFigure, options: CheckOptions = {}): string[] {
  const parts = ['tthc'];
  // A PostgreSQL URL is shown without its password.
  if (options.dbOption) parts.push('--db', quote(redact(options.dbOption)));
  parts.push('dossiers', '--from', f.period.from, '--to', f.period.to);
  if (f.scope.kind === 'level') parts.push('--level', f.scope.level);
  if (f.scope.kind === 'unit') parts.push('--unit', quote(f.scope.name));
  for (const field of options.filters?.field ?? []) parts.push('--field', quote(field));
  for (const field of options.filters?.excludeField ?? []) parts.push('--exclude-field', quote(field));
  return explainingCounts(f.figure).map((c) => [...parts, '--figure', c].join(' '));
}
