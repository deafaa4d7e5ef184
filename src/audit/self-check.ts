import { monthsOf, type Period } from '../domain/periods.ts';
import { LEVELS } from '../domain/levels.ts';
import { formatCount, formatDecimal } from '../domain/numbers.ts';
import { FIGURE_HEADERS } from '../stats/labels.ts';
import { figureKey, scopeLabel, type CountName, type FigureRef, type PublishedFigure, type Scope } from './published.ts';

// `tthc check --self`: a published table against itself, without a database. Every rule compares figures the
// table gives (or, where the rule needs a total the table leaves out, one it can add up from its parts):
// - totals against the sum of their parts: new receipts = the channels, to handle = carried over + new receipts,
//   resolved = early + on time + late + rejected, pending = in time + overdue;
// - the flow: carried over + received = resolved + withdrawn + pending; without a withdrawn figure (many reports
//   leave it out) only resolved + pending ≤ carried over + received can be held against the table;
// - rates and shares against their counts, to the printed rounding: 97,9 % is any value in [97,85; 97,95). A
//   value that rounds to 100 % while not all is printed 99,9 %, and one that rounds to 0 while not none 0,1 %,
//   by the usual care not to print 100 % or 0 %; both are accepted;
// - a total over every level ("Tổng", "Toàn huyện") against the sum of the levels it gives (two at least);
// - a period against its months or quarters when the table gives all of them: flows add up, carried over is the
//   first part's, pending the last part's.
// A channel, carried over or rejected count the table leaves out counts as 0 in a sum, as reports leave out
// what is zero; a total or a rate the table leaves out is not checked.

export type SelfRule = 'parts' | 'flow' | 'rate' | 'levels' | 'months' | 'duplicate';

export interface SelfFinding {
  rule: SelfRule;
  /** The published figure found wrong: the total of a sum, the rate, the later of two values. */
  figure: PublishedFigure;
  /** The value the other figures give (a count or a percentage), or for the flow without withdrawn, its bound. */
  expected: number;
  /** The other figures the rule used. */
  parts: PublishedFigure[];
  /** One line in Vietnamese: the rule, the numbers. */
  message: string;
}

const CHANNEL_PARTS: CountName[] = ['receivedDirect', 'receivedOnline', 'receivedPostal', 'receivedLienThong'];
/** Counts that add up over units and levels. */
const ADDITIVE_OVER_UNITS: CountName[] = [
  'receivedDirect', 'receivedOnline', 'receivedPostal', 'receivedLienThong', 'receivedTotal', 'carriedOver', 'toHandle',
  'resolvedEarly', 'resolvedOnTime', 'resolvedLate', 'resolvedRejected', 'resolvedTotal', 'withdrawn', 'pendingTotal',
  'pendingOnTime', 'pendingOverdue',
];
/** Counts that add up over consecutive periods. */
const ADDITIVE_OVER_TIME: CountName[] = [
  'receivedDirect', 'receivedOnline', 'receivedPostal', 'receivedLienThong', 'receivedTotal', 'resolvedEarly',
  'resolvedOnTime', 'resolvedLate', 'resolvedRejected', 'resolvedTotal', 'withdrawn',
];
const FIRST_OF_TIME: CountName[] = ['carriedOver'];
const LAST_OF_TIME: CountName[] = ['pendingTotal', 'pendingOnTime', 'pendingOverdue'];

const periodKey = (p: Period) => `${p.from}..${p.to}`;
function scopeKey(scope: Scope): string {
  return scope.kind === 'all' ? 'all' : scope.kind === 'level' ? `level:${scope.level}` : `unit:${scope.name.normalize('NFC').toLowerCase()}`;
}

export function countLabel(name: CountName): string {
  return name === 'toHandle' ? 'Tổng số hồ sơ nhận giải quyết' : FIGURE_HEADERS[name];
}

export function figureLabel(figure: FigureRef): string {
  if (figure.kind === 'share') return `${countLabel(figure.numerator)} / ${countLabel(figure.denominator)}`;
  return figure.kind === 'count' ? countLabel(figure.name) : FIGURE_HEADERS[figure.name];
}

/** Counts of one period and scope, as the table gives them. */
class Group {
  readonly counts = new Map<CountName, PublishedFigure>();
  readonly rates: PublishedFigure[] = [];
  constructor(readonly period: Period, readonly scope: Scope) {}

  has(name: CountName): boolean {
    return this.counts.has(name);
  }

  /** A count the table gives, or one it adds up from parts it gives (receivedTotal, toHandle, resolvedTotal). */
  value(name: CountName): { value: number; from: PublishedFigure[] } | undefined {
    const given = this.counts.get(name);
    if (given) return { value: given.value, from: [given] };
    switch (name) {
      case 'receivedTotal':
        return this.channels();
      case 'toHandle': {
        const carried = this.counts.get('carriedOver');
        const received = this.value('receivedTotal');
        return carried && received ? { value: carried.value + received.value, from: [carried, ...received.from] } : undefined;
      }
      case 'resolvedTotal': {
        const parts = (['resolvedEarly', 'resolvedOnTime', 'resolvedLate'] as const).map((n) => this.counts.get(n));
        if (parts.some((p) => !p)) return undefined;
        const rejected = this.counts.get('resolvedRejected');
        const all = [...(parts as PublishedFigure[]), ...(rejected ? [rejected] : [])];
        return { value: all.reduce((s, p) => s + p.value, 0), from: all };
      }
      default:
        return undefined;
    }
  }

  /** The sum of the channels, when the table gives direct and online (the others count as 0 when left out). */
  channels(): { value: number; from: PublishedFigure[] } | undefined {
    if (!this.has('receivedDirect') || !this.has('receivedOnline')) return undefined;
    const from = CHANNEL_PARTS.flatMap((c) => (this.counts.has(c) ? [this.counts.get(c)!] : []));
    return { value: from.reduce((s, p) => s + p.value, 0), from };
  }
}

export function checkSelf(figures: readonly PublishedFigure[]): SelfFinding[] {
  const findings: SelfFinding[] = [];
  const groups = new Map<string, Group>();
  const seen = new Map<string, PublishedFigure>();
  for (const f of figures) {
    const key = `${periodKey(f.period)}|${scopeKey(f.scope)}`;
    const figureAt = `${key}|${figureKey(f.figure)}`;
    const earlier = seen.get(figureAt);
    if (earlier) {
      if (earlier.value !== f.value || earlier.decimals !== f.decimals) {
        findings.push({
          rule: 'duplicate', figure: f, expected: earlier.value, parts: [earlier],
          message: `cùng chỉ tiêu, cùng kỳ đã công bố ${earlier.valueText} (dòng ${earlier.rowNumber}), ở đây ${f.valueText}`,
        });
      }
      continue;
    }
    seen.set(figureAt, f);
    let group = groups.get(key);
    if (!group) groups.set(key, (group = new Group(f.period, f.scope)));
    if (f.figure.kind === 'count') group.counts.set(f.figure.name, f);
    else group.rates.push(f);
  }

  for (const group of groups.values()) {
    findings.push(...checkParts(group), ...checkFlow(group), ...checkRates(group));
  }
  findings.push(...checkLevels(groups), ...checkTime(groups));
  return findings;
}

const n = formatCount;
const sumText = (parts: PublishedFigure[]) => parts.map((p) => n(p.value)).join(' + ');

function sumFinding(total: PublishedFigure, parts: PublishedFigure[], what: string): SelfFinding | undefined {
  const sum = parts.reduce((s, p) => s + p.value, 0);
  if (sum === total.value) return undefined;
  return {
    rule: 'parts', figure: total, expected: sum, parts,
    message: `${what}: ${sumText(parts)} = ${n(sum)}, công bố ${n(total.value)} (lệch ${signed(total.value - sum)})`,
  };
}

function checkParts(g: Group): SelfFinding[] {
  const out: Array<SelfFinding | undefined> = [];
  const received = g.counts.get('receivedTotal');
  const channels = g.channels();
  if (received && channels) out.push(sumFinding(received, channels.from, 'tổng mới tiếp nhận khác tổng các hình thức'));
  const toHandle = g.counts.get('toHandle');
  const newReceipts = received ? { from: [received] } : channels;
  if (toHandle && newReceipts) {
    const carried = g.counts.get('carriedOver');
    out.push(sumFinding(toHandle, [...newReceipts.from, ...(carried ? [carried] : [])], 'hồ sơ nhận giải quyết khác mới tiếp nhận + từ kỳ trước'));
  }
  const resolved = g.counts.get('resolvedTotal');
  const resolvedParts = (['resolvedEarly', 'resolvedOnTime', 'resolvedLate'] as const).map((c) => g.counts.get(c));
  if (resolved && resolvedParts.every(Boolean)) {
    const rejected = g.counts.get('resolvedRejected');
    out.push(sumFinding(resolved, [...(resolvedParts as PublishedFigure[]), ...(rejected ? [rejected] : [])], 'tổng đã giải quyết khác trước hạn + đúng hạn + quá hạn + từ chối'));
  }
  const pending = g.counts.get('pendingTotal');
  const onTime = g.counts.get('pendingOnTime');
  const overdue = g.counts.get('pendingOverdue');
  if (pending && onTime && overdue) out.push(sumFinding(pending, [onTime, overdue], 'tổng đang giải quyết khác trong hạn + quá hạn'));
  return out.filter((f): f is SelfFinding => f !== undefined);
}

function checkFlow(g: Group): SelfFinding[] {
  const resolved = g.counts.get('resolvedTotal');
  const pending = g.counts.get('pendingTotal');
  if (!resolved || !pending) return [];
  // The inflow as the table states it: its "to handle" total, else carried over + new receipts.
  let inflow: { value: number; from: PublishedFigure[] } | undefined;
  const toHandle = g.counts.get('toHandle');
  const carried = g.counts.get('carriedOver');
  const received = g.value('receivedTotal');
  if (toHandle) inflow = { value: toHandle.value, from: [toHandle] };
  else if (carried && received) inflow = { value: carried.value + received.value, from: [carried, ...received.from] };
  if (!inflow) return [];
  const withdrawn = g.counts.get('withdrawn');
  const out = resolved.value + pending.value + (withdrawn?.value ?? 0);
  const outParts = [resolved, ...(withdrawn ? [withdrawn] : []), pending];
  const main = inflow.from[0];
  if (withdrawn ? out === inflow.value : out <= inflow.value) return [];
  const left = `${sumText(outParts)} = ${n(out)}`;
  return [{
    rule: 'flow', figure: main, expected: out, parts: [...inflow.from.slice(1), ...outParts],
    message: withdrawn
      ? `không cân đối: đã giải quyết + rút + đang giải quyết = ${left}, khác số nhận giải quyết ${n(inflow.value)} (lệch ${signed(inflow.value - out)})`
      : `không cân đối: đã giải quyết + đang giải quyết = ${left}, vượt số nhận giải quyết ${n(inflow.value)} (bảng không có số rút hồ sơ)`,
  }];
}

/** The counts a rate is made of. */
function rateTerms(figure: FigureRef): { numerator: CountName[]; denominator: CountName } | undefined {
  switch (figure.kind) {
    case 'share':
      return { numerator: [figure.numerator], denominator: figure.denominator };
    case 'rate':
      switch (figure.name) {
        case 'onTimeRate': return { numerator: ['resolvedEarly', 'resolvedOnTime'], denominator: 'resolvedTotal' };
        case 'onlineRate':
        case 'onlineShare': return { numerator: ['receivedOnline'], denominator: 'receivedTotal' };
        case 'directShare': return { numerator: ['receivedDirect'], denominator: 'receivedTotal' };
        case 'postalShare': return { numerator: ['receivedPostal'], denominator: 'receivedTotal' };
        case 'lienThongShare': return { numerator: ['receivedLienThong'], denominator: 'receivedTotal' };
      }
  }
  return undefined;
}

/**
 * Whether a printed percentage fits an exact one: in [printed − h, printed + h) with h half the last printed
 * digit; or printed just below 100 (above 0) for a value that rounds to 100 (to 0) without being all (none).
 */
export function percentConsistent(printed: number, decimals: number, exact: number, part: number, whole: number): boolean {
  const step = 10 ** -decimals;
  const epsilon = 1e-9;
  if (exact >= printed - step / 2 - epsilon && exact < printed + step / 2 - epsilon) return true;
  if (part !== whole && exact >= 100 - step / 2 - epsilon && Math.abs(printed - (100 - step)) < epsilon) return true;
  if (part !== 0 && exact < step / 2 && Math.abs(printed - step) < epsilon) return true;
  return false;
}

function checkRates(g: Group): SelfFinding[] {
  const out: SelfFinding[] = [];
  for (const rate of g.rates) {
    const terms = rateTerms(rate.figure);
    if (!terms) continue;
    const numerator = terms.numerator.map((c) => g.value(c));
    const denominator = g.value(terms.denominator);
    if (!denominator || denominator.value === 0 || numerator.some((x) => !x)) continue;
    const part = numerator.reduce((s, x) => s + x!.value, 0);
    const exact = (100 * part) / denominator.value;
    if (percentConsistent(rate.value, rate.decimals, exact, part, denominator.value)) continue;
    out.push({
      rule: 'rate', figure: rate, expected: exact, parts: [...numerator.flatMap((x) => x!.from), ...denominator.from],
      message: `${n(part)} / ${n(denominator.value)} = ${formatDecimal(exact, rate.decimals + 2)} %, công bố ${formatDecimal(rate.value, rate.decimals)} %`,
    });
  }
  return out;
}

function checkLevels(groups: Map<string, Group>): SelfFinding[] {
  const out: SelfFinding[] = [];
  for (const total of groups.values()) {
    if (total.scope.kind !== 'all') continue;
    const levels = LEVELS.map((level) => groups.get(`${periodKey(total.period)}|level:${level}`)).filter((g): g is Group => !!g);
    if (levels.length < 2) continue;
    for (const name of ADDITIVE_OVER_UNITS) {
      const figure = total.counts.get(name);
      const parts = levels.map((l) => l.counts.get(name));
      if (!figure || parts.some((p) => !p)) continue;
      const f = sumFinding(figure, parts as PublishedFigure[], `tổng các cấp khác dòng tổng (${countLabel(name)})`);
      if (f) out.push({ ...f, rule: 'levels' });
    }
  }
  return out;
}

/** The periods a period is made of, when the table could give them: its calendar months, a year's quarters. */
function partitions(period: Period): Period[][] {
  const months = monthsOf(period);
  const out: Period[][] = [];
  if (months.length > 1) out.push(months);
  if (period.from.slice(5) === '01-01' && period.to.slice(5) === '12-31' && period.from.slice(0, 4) === period.to.slice(0, 4)) {
    const y = period.from.slice(0, 4);
    out.push([['01-01', '03-31'], ['04-01', '06-30'], ['07-01', '09-30'], ['10-01', '12-31']].map(([a, b]) => ({ from: `${y}-${a}`, to: `${y}-${b}` })));
  }
  return out;
}

function checkTime(groups: Map<string, Group>): SelfFinding[] {
  const out: SelfFinding[] = [];
  for (const whole of groups.values()) {
    for (const pieces of partitions(whole.period)) {
      const parts = pieces.map((p) => groups.get(`${periodKey(p)}|${scopeKey(whole.scope)}`));
      if (parts.some((p) => !p)) continue;
      const groupsOf = parts as Group[];
      const what = pieces.length === 4 && pieces[0].to.slice(5) === '03-31' ? 'các quý' : 'các tháng';
      for (const name of [...ADDITIVE_OVER_TIME, ...FIRST_OF_TIME, ...LAST_OF_TIME]) {
        const figure = whole.counts.get(name);
        if (!figure) continue;
        if (ADDITIVE_OVER_TIME.includes(name)) {
          const values = groupsOf.map((g) => g.counts.get(name));
          if (values.some((v) => !v)) continue;
          const f = sumFinding(figure, values as PublishedFigure[], `tổng ${what} khác cả kỳ (${countLabel(name)})`);
          if (f) out.push({ ...f, rule: 'months' });
          continue;
        }
        const edge = FIRST_OF_TIME.includes(name) ? groupsOf[0] : groupsOf[groupsOf.length - 1];
        const value = edge.counts.get(name);
        if (!value || value.value === figure.value) continue;
        out.push({
          rule: 'months', figure, expected: value.value, parts: [value],
          message: `${countLabel(name)} của cả kỳ phải bằng của ${FIRST_OF_TIME.includes(name) ? 'kỳ đầu' : 'kỳ cuối'} (${value.periodText}): ${n(value.value)}, công bố ${n(figure.value)}`,
        });
      }
    }
  }
  return out;
}

const signed = (x: number) => (x > 0 ? `+${n(x)}` : n(x));

export function describeFigure(f: PublishedFigure): string {
  return `${f.periodText}, ${scopeLabel(f.scope)}, ${figureLabel(f.figure)}`;
}
