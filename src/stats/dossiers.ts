import type { Compilable } from 'kysely';
import type { Db } from '../db/connection.ts';
import type { Channel } from '../domain/channels.ts';
import type { Level } from '../domain/levels.ts';
import type { Status } from '../domain/statuses.ts';
import { foldMarks, matchKey } from '../domain/text.ts';
import { normalizeBy } from './compute.ts';
import { FIGURE_PREDICATES, FIGURE_RULES, relevantTo, type FigureBuilder } from './figures.ts';
import { filterCondition, resolveFilters, unitsRelation } from './filters.ts';
import { FIGURE_GROUP_LABELS, FIGURE_HEADERS, FIGURE_LABELS } from './labels.ts';
import { periodsRelation, subPeriodsOf } from './sub-periods.ts';
import {
  COUNT_FIGURES, DUE_COUNTS, INDICATOR_766_COUNTS, PROGRESS_766_COUNTS, StatsQueryError, type CountFigure, type DossierFigure, type DueCount,
  type Indicator766Count, type Indicator766Rate, type Progress766Count, type RateFigure, type StatsQuery,
} from './types.ts';

const INDICATOR_766_RATES_TRACED: readonly TracedRate[] = ['fullOnlineRate', 'onlinePaymentRate', 'digitisedRate', 'electronicResultRate'];

/** Every count `tthc dossiers --figure` lists by its JSON name. */
export const TRACEABLE_COUNTS: readonly DossierFigure[] = [...COUNT_FIGURES, ...PROGRESS_766_COUNTS, ...DUE_COUNTS, ...INDICATOR_766_COUNTS];

/** One dossier behind a figure. With year or month grouping, a dossier is listed once per sub-period it counts in. */
export interface DossierRow {
  year?: number;
  month?: string;
  from: string;
  to: string;
  code: string;
  unitCode: string;
  unitName: string;
  level: Level;
  procedure: string | null;
  field: string | null;
  channel: Channel | null;
  receivedAt: string;
  dueAt: string | null;
  endedAt: string | null;
  returnedAt: string | null;
  status: Status;
}

/**
 * The dossiers behind one figure of computeStats for the same query, found with the same condition
 * (figures.ts): the list has exactly as many rows as the figure summed over the query's groups. A figure that
 * is a sum of figures (Biểu 06's (5), (7), (9), "Một cửa"; see traceFigure) lists the union of their dossiers,
 * each once per sub-period: its parts never share a dossier, so the list is as long as the sum. Sorted by
 * sub-period, receipt time and code.
 */
export async function listDossiers(
  db: Db,
  query: StatsQuery,
  figure: DossierFigure | readonly DossierFigure[],
): Promise<DossierRow[]> {
  const { periods, compiled } = await dossierQuery(db, query, typeof figure === 'string' ? [figure] : figure);
  const rows = await compiled.execute();
  const byFrom = new Map(periods.map((p) => [p.from, p]));
  return rows.map((r) => {
    const period = byFrom.get(r.from)!;
    return {
      ...(period.year !== undefined ? { year: period.year } : {}),
      ...(period.month !== undefined ? { month: period.month } : {}),
      from: r.from,
      to: r.to,
      code: r.code,
      unitCode: r.unit_code,
      unitName: r.unit_name,
      level: r.level,
      procedure: r.procedure_name,
      field: r.field,
      channel: r.channel,
      receivedAt: r.received_at,
      dueAt: r.due_at,
      endedAt: r.ended_at,
      returnedAt: r.returned_at,
      status: r.status,
    };
  });
}

/**
 * The query of listDossiers, built and not run: `--explain` prints its compile() (SQL and parameters), so what
 * it shows is what runs.
 */
export async function dossierQuery(db: Db, query: StatsQuery, parts: readonly DossierFigure[]) {
  if (!parts.length) throw new Error('dossierQuery: no figure');
  const by = normalizeBy(query.by);
  const periods = subPeriodsOf(query.period, by);
  const filters = await resolveFilters(db, query.filters);
  const compiled = db
    .selectFrom('dossiers as d')
    .crossJoin(periodsRelation(db, periods).as('p'))
    .innerJoin(unitsRelation(db, filters.unitMap), 'u.code', 'd.unit_code')
    .where((eb) => relevantTo(parts)(eb as unknown as FigureBuilder))
    .where((eb) => {
      const b = eb as unknown as FigureBuilder;
      return parts.length === 1 ? FIGURE_PREDICATES[parts[0]](b) : b.or(parts.map((f) => FIGURE_PREDICATES[f](b)));
    })
    .where((eb) => filterCondition(eb as unknown as FigureBuilder, filters))
    .select([
      'p.from', 'p.to', 'd.code', 'u.eff_code as unit_code', 'u.name as unit_name', 'u.level', 'd.procedure_name', 'd.field',
      'd.channel', 'd.received_at', 'd.due_at', 'd.ended_at', 'd.returned_at', 'd.status',
    ])
    .orderBy('p.from')
    .orderBy('d.received_at')
    .orderBy('d.code');
  return { periods, compiled };
}

// ---------------------------------------------------------------------------------------------------------------
// Every column of every sheet, by name: the JSON names, the report's numbered and Vietnamese headers.

/** A figure `tthc dossiers --figure` can list: one count, or a sum of counts as a sheet shows it. */
export interface TracedFigure {
  /** The canonical name: a JSON name, or 'bieu06:5'-like for a column that no JSON name gives. */
  name: string;
  /** Where it stands and under which header, in Vietnamese. */
  label: string;
  /** The counts it adds up, each dossier listed once (the parts are disjoint). */
  parts: readonly DossierFigure[];
}

/**
 * The counts of the counting rules that rest on the same dossier fields as the given figures (QĐ 766's progress
 * counts on the ended and pending ones), for the warnings about fields an export lacks (checkQuery).
 */
export function countsBehind(parts: readonly DossierFigure[]): CountFigure[] {
  const received: CountFigure[] = ['receivedTotal'];
  const results: CountFigure[] = ['resolvedEarly', 'resolvedOnTime', 'resolvedLate'];
  const behind: Record<Progress766Count | DueCount | Indicator766Count, readonly CountFigure[]> = {
    fullOnlineEligible: received,
    receivedFullOnline: ['receivedOnline'],
    withFee: received,
    paidOnline: received,
    digitisedBase: results,
    digitised: results,
    electronicResultBase: results,
    electronicResult: results,
    satisfactionBase: ['resolvedTotal'],
    dissatisfied: ['resolvedTotal'],
    handled766: ['resolvedTotal', 'withdrawn', 'pendingTotal'],
    inTime766: ['resolvedEarly', 'resolvedOnTime', 'resolvedRejected', 'withdrawn', 'pendingOnTime'],
    dueTotal: ['resolvedTotal', 'pendingTotal'],
    dueOnTime: ['resolvedEarly', 'resolvedOnTime'],
  };
  return [...new Set(parts.flatMap((f) => (f in behind ? behind[f as keyof typeof behind] : [f as CountFigure])))];
}

/** The rates `--explain` names: those of every row, and QĐ 766's progress rate. */
export type TracedRate = RateFigure | 'progressRate766' | 'dueOnTimeRate' | Indicator766Rate;

/** A rate's two counts, for the message that sends the user to them. */
interface RateParts {
  label: string;
  numerator: readonly DossierFigure[];
  denominator: readonly DossierFigure[];
}

const RECEIVED_06 = 'Số hồ sơ nhận giải quyết';
const RESOLVED_06 = 'Số hồ sơ đã giải quyết';
const PENDING_06 = 'Số hồ sơ đang giải quyết';

/**
 * Biểu 06's numbered columns (3)–(13) as src/report/sheets/bieu-06.ts fills them: header path and the counts
 * each adds up ((1) STT and (2) Lĩnh vực are labels). test/stats/traced-figures.test.ts holds the two together.
 */
export const BIEU_06_TRACE: Record<number, { header: string[]; parts: readonly CountFigure[] }> = {
  3: { header: [RECEIVED_06, 'Tổng số'], parts: ['receivedTotal', 'carriedOver'] },
  4: { header: [RECEIVED_06, 'Trong kỳ', 'Trực tuyến'], parts: ['receivedOnline'] },
  5: { header: [RECEIVED_06, 'Trong kỳ', 'Trực tiếp và dịch vụ bưu chính'], parts: ['receivedDirect', 'receivedPostal', 'receivedLienThong'] },
  6: { header: [RECEIVED_06, 'Từ kỳ trước'], parts: ['carriedOver'] },
  7: { header: [RESOLVED_06, 'Tổng số'], parts: ['resolvedTotal', 'withdrawn'] },
  8: { header: [RESOLVED_06, 'Trước hạn'], parts: ['resolvedEarly'] },
  9: { header: [RESOLVED_06, 'Đúng hạn'], parts: ['resolvedOnTime', 'resolvedRejected', 'withdrawn'] },
  10: { header: [RESOLVED_06, 'Quá hạn'], parts: ['resolvedLate'] },
  11: { header: [PENDING_06, 'Tổng số'], parts: ['pendingTotal'] },
  12: { header: [PENDING_06, 'Trong hạn'], parts: ['pendingOnTime'] },
  13: { header: [PENDING_06, 'Quá hạn'], parts: ['pendingOverdue'] },
};

/** The per-unit sheet (src/report/sheets/theo-don-vi.ts): its count columns. */
const THEO_DON_VI_TRACE: Array<{ header: string[]; parts: readonly CountFigure[] }> = [
  { header: ['Tổng số hồ sơ tiếp nhận'], parts: ['receivedTotal'] },
  { header: ['Trong đó', 'Một cửa (trực tiếp, bưu chính)'], parts: ['receivedDirect', 'receivedPostal'] },
  { header: ['Trong đó', 'Trực tuyến'], parts: ['receivedOnline'] },
];

const RATES: Record<TracedRate, RateParts> = {
  progressRate766: { label: FIGURE_HEADERS.progressRate766, numerator: ['inTime766'], denominator: ['handled766'] },
  dueOnTimeRate: { label: FIGURE_HEADERS.dueOnTimeRate, numerator: ['dueOnTime'], denominator: ['dueTotal'] },
  fullOnlineRate: { label: FIGURE_HEADERS.fullOnlineRate, numerator: ['receivedFullOnline'], denominator: ['fullOnlineEligible'] },
  onlinePaymentRate: { label: FIGURE_HEADERS.onlinePaymentRate, numerator: ['paidOnline'], denominator: ['withFee'] },
  digitisedRate: { label: FIGURE_HEADERS.digitisedRate, numerator: ['digitised'], denominator: ['digitisedBase'] },
  electronicResultRate: { label: FIGURE_HEADERS.electronicResultRate, numerator: ['electronicResult'], denominator: ['electronicResultBase'] },
  // Not a share of two counts: 100 % − resolvedLate / resolvedTotal − dissatisfied / satisfactionBase.
  satisfactionRate: { label: FIGURE_HEADERS.satisfactionRate, numerator: ['dissatisfied'], denominator: ['satisfactionBase'] },
  onTimeRate: { label: 'Tỷ lệ giải quyết sớm và đúng hạn', numerator: ['resolvedEarly', 'resolvedOnTime'], denominator: ['resolvedTotal'] },
  onlineRate: { label: FIGURE_HEADERS.onlineRate, numerator: ['receivedOnline'], denominator: ['receivedTotal'] },
  directShare: { label: FIGURE_HEADERS.directShare, numerator: ['receivedDirect'], denominator: ['receivedTotal'] },
  onlineShare: { label: FIGURE_HEADERS.onlineShare, numerator: ['receivedOnline'], denominator: ['receivedTotal'] },
  postalShare: { label: FIGURE_HEADERS.postalShare, numerator: ['receivedPostal'], denominator: ['receivedTotal'] },
  lienThongShare: { label: FIGURE_HEADERS.lienThongShare, numerator: ['receivedLienThong'], denominator: ['receivedTotal'] },
};

const sameParts = (a: readonly DossierFigure[], b: readonly DossierFigure[]) =>
  a.length === b.length && a.every((f) => b.includes(f));

/** Every traceable figure, by canonical name; a sheet column that is one JSON figure is that figure. */
const TRACED = new Map<string, TracedFigure>();
for (const f of TRACEABLE_COUNTS) TRACED.set(f, { name: f, label: FIGURE_HEADERS[f], parts: [f] });
TRACED.set('toHandle', { name: 'toHandle', label: 'Tổng số hồ sơ nhận giải quyết', parts: ['receivedTotal', 'carriedOver'] });
function canonical(parts: readonly CountFigure[], name: string, label: string): TracedFigure {
  const known = [...TRACED.values()].find((t) => sameParts(t.parts, parts));
  if (known) return known;
  const traced = { name, label, parts };
  TRACED.set(name, traced);
  return traced;
}
const BIEU_06_BY_NUMBER = new Map<number, TracedFigure>();
for (const [n, c] of Object.entries(BIEU_06_TRACE)) {
  BIEU_06_BY_NUMBER.set(Number(n), canonical(c.parts, `bieu06:${n}`, `Biểu 06, cột (${n}) ${c.header.join(' / ')}`));
}
const ONE_STOP = canonical(THEO_DON_VI_TRACE[1].parts, 'oneStop', 'Theo đơn vị: Một cửa (trực tiếp, bưu chính)');

/** Text as names are compared: punctuation as spaces, then matchKey (case, spaces, Unicode forms, tone marks). */
const nameKey = (text: string) => matchKey(text.replace(/[^\p{L}\p{N}\p{M}]+/gu, ' '));

/** Each spelling's key → the canonical names it may mean (more than one: ambiguous). */
const ALIASES = new Map<string, Set<string>>();
function alias(spelling: string, name: string): void {
  const key = nameKey(spelling);
  if (!key) return;
  const names = ALIASES.get(key) ?? new Set<string>();
  names.add(name);
  ALIASES.set(key, names);
}
/**
 * A header path, as a whole and by its last levels (how a reader quotes a column), also after the sheet's
 * name: the same header means different sums on different sheets ("Đúng hạn" of Biểu 06 holds rejected and
 * withdrawn dossiers), and "Biểu 06: Đúng hạn" says which.
 */
function aliasPath(path: string[], name: string, sheets: readonly string[] = []): void {
  for (let i = 0; i < path.length; i++) {
    const tail = path.slice(i).join(' ');
    alias(tail, name);
    for (const sheet of sheets) alias(`${sheet} ${tail}`, name);
  }
}
const FLOW_SHEETS = ['Theo năm', 'Theo tháng'];
for (const t of TRACED.values()) alias(t.name, t.name);
for (const f of TRACEABLE_COUNTS) {
  alias(FIGURE_HEADERS[f], f);
  const group = FIGURE_GROUP_LABELS[f];
  aliasPath(group ? [group, FIGURE_LABELS[f]] : [FIGURE_LABELS[f]], f, FLOW_SHEETS);
}
aliasPath(['Tổng số hồ sơ nhận giải quyết'], 'toHandle', FLOW_SHEETS);
for (const [n, c] of Object.entries(BIEU_06_TRACE)) {
  const name = BIEU_06_BY_NUMBER.get(Number(n))!.name;
  aliasPath(c.header, name, ['Biểu 06']);
  alias(`bieu06:${n}`, name);
}
for (const c of THEO_DON_VI_TRACE) aliasPath(c.header, canonical(c.parts, '', '').name, ['Theo đơn vị']);
alias('Một cửa', ONE_STOP.name);
const RATE_ALIASES = new Map<string, TracedRate>();
for (const [rate, r] of Object.entries(RATES) as Array<[TracedRate, RateParts]>) {
  for (const spelling of [rate, r.label, FIGURE_LABELS[rate], FIGURE_HEADERS[rate]]) RATE_ALIASES.set(nameKey(spelling), rate);
}

/** Biểu 06's numbered forms: "(5)", "bieu06:5", "Biểu 06 (5)", "bieu-06:(5)". */
const NUMBERED = /^(?:bieu\s*-?\s*0?6\s*[:\s]?\s*\(?\s*(\d{1,2})\s*\)?|\(\s*(\d{1,2})\s*\))$/;

const sumOf = (parts: readonly DossierFigure[]) => parts.join(' + ');

/**
 * The figure a user names: a JSON name, a Biểu 06 column number, a sheet's Vietnamese header, or a sum of
 * those with "+" ("(4)+(5)"). A user's error (unknown, ambiguous, a rate) is a StatsQueryError in Vietnamese.
 */
export function traceFigure(text: string): TracedFigure {
  const terms = text.split('+').map((t) => t.trim());
  if (terms.length > 1 && terms.every(Boolean)) {
    const found = terms.map(traceOne);
    const parts: DossierFigure[] = [];
    for (const t of found) {
      for (const f of t.parts) {
        if (parts.includes(f)) throw new StatsQueryError(`--figure "${text}": ${f} có mặt hai lần, mỗi hồ sơ chỉ được tính một lần`);
        parts.push(f);
      }
    }
    const known = [...TRACED.values()].find((t) => sameParts(t.parts, parts));
    return known ?? { name: found.map((t) => t.name).join('+'), label: found.map((t) => t.label).join(' + '), parts };
  }
  return traceOne(text.trim());
}

function traceOne(text: string): TracedFigure {
  const numbered = NUMBERED.exec(foldMarks(text).trim());
  if (numbered) {
    const n = Number(numbered[1] ?? numbered[2]);
    const traced = BIEU_06_BY_NUMBER.get(n);
    if (traced) return traced;
    if (n === 1 || n === 2) throw new StatsQueryError(`Biểu 06 cột (${n}) là ${n === 1 ? 'số thứ tự' : 'tên lĩnh vực'}, không phải số hồ sơ`);
    throw new StatsQueryError(`Biểu 06 không có cột (${n}): các cột số hồ sơ là (3) đến (13)`);
  }
  const key = nameKey(text);
  const names = ALIASES.get(key);
  if (names?.size === 1) return TRACED.get([...names][0])!;
  if (names && names.size > 1) {
    const options = [...names].map((n) => `${n} (${TRACED.get(n)!.label})`).join('; ');
    throw new StatsQueryError(`--figure "${text}" có nhiều nghĩa, hãy chọn một: ${options}`);
  }
  const rate = RATE_ALIASES.get(key);
  if (rate) {
    const r = RATES[rate];
    throw new StatsQueryError(
      `"${text}" là tỷ lệ, không phải số hồ sơ: tử số --figure "${r.numerator.join('+')}", mẫu số --figure "${r.denominator.join('+')}"`,
    );
  }
  throw new StatsQueryError(
    `--figure không hợp lệ: "${text}" (tên JSON: ${TRACEABLE_COUNTS.join(', ')}, toHandle, oneStop; cột Biểu 06: (3) đến (13); hoặc tiêu đề cột của báo cáo)`,
  );
}

/** The rate a user names (JSON name or header), for `stats --explain`; undefined when it names no rate. */
export function traceRate(text: string): (RateParts & { name: TracedRate }) | undefined {
  const rate = RATE_ALIASES.get(nameKey(text));
  return rate ? { name: rate, ...RATES[rate] } : undefined;
}

/** What `--explain` prints for one figure: the rule in words and the query that lists its dossiers. */
export interface FigureExplanation {
  figure: TracedFigure;
  /** One line per part: "resolvedOnTime (Giải quyết đúng hạn): <rule>". */
  rules: string[];
  sql: string;
  parameters: readonly unknown[];
}

export async function explainFigure(db: Db, query: StatsQuery, figure: TracedFigure): Promise<FigureExplanation> {
  const { compiled } = await dossierQuery(db, query, figure.parts);
  const { sql, parameters } = (compiled as Compilable).compile();
  return {
    figure,
    rules: figure.parts.map((f) => `${f} (${FIGURE_HEADERS[f]}): ${FIGURE_RULES[f]}`),
    sql,
    parameters,
  };
}

/** An explanation as text, Vietnamese words around the SQL. */
export function renderExplanation(e: FigureExplanation): string {
  const lines = [`${e.figure.name}: ${e.figure.label}`];
  if (e.figure.parts.length > 1) lines.push(`  = ${sumOf(e.figure.parts)} (mỗi hồ sơ tính một lần trong mỗi kỳ; các phần không trùng nhau)`);
  lines.push('  Quy tắc (docs/rules.md, src/stats/figures.ts):');
  for (const rule of e.rules) lines.push(`    - ${rule}`);
  lines.push('  Câu lệnh SQL liệt kê hồ sơ (p = các kỳ, d = hồ sơ, u = đơn vị):');
  lines.push(`    ${e.sql}`);
  lines.push(`  Tham số: ${JSON.stringify(e.parameters)}`);
  return lines.join('\n') + '\n';
}

/** A rate in words: its formula over counts, each count explained by explainFigure. */
export function renderRateRule(rate: RateParts & { name: TracedRate }): string {
  if (rate.name === 'satisfactionRate') {
    return `${rate.name}: ${rate.label} = 100 % − (resolvedLate) / (resolvedTotal) − (dissatisfied) / (satisfactionBase), không dưới 0; ghi "không có dữ liệu" khi satisfactionBase bằng 0\n`;
  }
  if ((INDICATOR_766_RATES_TRACED as readonly string[]).includes(rate.name)) {
    return `${rate.name}: ${rate.label} = (${sumOf(rate.numerator)}) / (${sumOf(rate.denominator)}); ghi "không có dữ liệu" khi mẫu số bằng 0 (tệp xuất không có cột, hoặc không có hồ sơ)\n`;
  }
  return `${rate.name}: ${rate.label} = (${sumOf(rate.numerator)}) / (${sumOf(rate.denominator)}); để trống khi mẫu số bằng 0\n`;
}
