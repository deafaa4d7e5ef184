import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import type ExcelJS from 'exceljs';
import { expect, it } from 'vitest';
import { writeReport } from '../../src/report/index.ts';
import { computeStats } from '../../src/stats/compute.ts';
import { FIGURE_GROUP_LABELS, FIGURE_LABELS } from '../../src/stats/labels.ts';
import { COUNT_FIGURES, type StatsRow } from '../../src/stats/types.ts';
import { describeEachDatabase, tempDir } from '../helpers/databases.ts';
import { findRow, formulaOf, headerColumns, importFixture, PERIOD, readWorkbook, sheet, text } from './fixtures.ts';
import { haveTools, which } from '../helpers/tools.ts';

// The report's formula cells (totals of their parts, shares and rates as IF(…) cells, subtotal SUMs, targets) are
// what a reader sees in Excel. Each is evaluated here by a small evaluator of the formulas the workbook uses,
// from the cells it refers to (their formulas evaluated in turn, never their cached results), and must equal
// the cached value tthc stored with it and the figure computeStats gives. LibreOffice, when installed,
// recalculates the whole workbook as a second, independent evaluator.

type Value = number | string | boolean | null;

/** A formula evaluator for the functions and operators the report writes; anything else is an error. */
class Evaluator {
  private readonly memo = new Map<string, Value>();

  constructor(private readonly workbook: ExcelJS.Workbook) {}

  /** The value of a cell: its formula evaluated, else its stored value (null when empty). */
  cell(ws: ExcelJS.Worksheet, address: string): Value {
    const key = `${ws.name}!${address}`;
    if (this.memo.has(key)) return this.memo.get(key)!;
    const cell = ws.getCell(address);
    const formula = formulaOf(cell);
    let value: Value;
    if (formula !== undefined) value = this.formula(ws, formula);
    else {
      const v = cell.value as unknown;
      if (v === null || v === undefined || v === '') value = null;
      else if (typeof v === 'number' || typeof v === 'string' || typeof v === 'boolean') value = v;
      else value = text(cell);
    }
    this.memo.set(key, value);
    return value;
  }

  formula(ws: ExcelJS.Worksheet, formula: string): Value {
    const parser = new Parser(formula, ws, this);
    const value = parser.expression();
    parser.end();
    return Array.isArray(value) ? (() => { throw new Error(`${formula}: a range is no value`); })() : value;
  }

  sheetNamed(name: string): ExcelJS.Worksheet {
    const ws = this.workbook.getWorksheet(name);
    if (!ws) throw new Error(`no sheet ${name}`);
    return ws;
  }
}

const TOKEN = /\s*(?:(\d+(?:\.\d+)?(?:E[+-]?\d+)?)|"((?:[^"]|"")*)"|((?:'(?:[^']|'')+'|[A-Za-z_][\w.]*)!)?(\$?[A-Z]{1,3}\$?\d+(?::\$?[A-Z]{1,3}\$?\d+)?)(?![\w(])|([A-Z][A-Z0-9.]*)\(|(<=|>=|<>|[-+*/&=<>(),]))/y;

type Operand = Value | Value[];

class Parser {
  private at = 0;
  private token: { kind: 'number' | 'string' | 'ref' | 'function' | 'op'; text: string; sheet?: string } | undefined;

  constructor(private readonly source: string, private readonly ws: ExcelJS.Worksheet, private readonly evaluator: Evaluator) {
    this.next();
  }

  private next(): void {
    if (this.at >= this.source.length || /^\s*$/.test(this.source.slice(this.at))) {
      this.token = undefined;
      return;
    }
    TOKEN.lastIndex = this.at;
    const m = TOKEN.exec(this.source);
    if (!m) throw new Error(`cannot read "${this.source}" at ${this.at}`);
    this.at = TOKEN.lastIndex;
    if (m[1] !== undefined) this.token = { kind: 'number', text: m[1] };
    else if (m[2] !== undefined) this.token = { kind: 'string', text: m[2].replace(/""/g, '"') };
    else if (m[4] !== undefined) this.token = { kind: 'ref', text: m[4].replace(/\$/g, ''), sheet: m[3]?.slice(0, -1).replace(/^'|'$/g, '').replace(/''/g, "'") };
    else if (m[5] !== undefined) this.token = { kind: 'function', text: m[5] };
    else this.token = { kind: 'op', text: m[6] };
  }

  private isOp(...ops: string[]): boolean {
    return this.token?.kind === 'op' && ops.includes(this.token.text);
  }

  private expect(op: string): void {
    if (!this.isOp(op)) throw new Error(`"${this.source}": expected ${op}`);
    this.next();
  }

  end(): void {
    if (this.token) throw new Error(`"${this.source}": unexpected ${this.token.text}`);
  }

  expression(): Operand {
    let left = this.concatenation();
    while (this.isOp('=', '<>', '<', '>', '<=', '>=')) {
      const op = this.token!.text;
      this.next();
      left = compare(op, scalar(left), scalar(this.concatenation()));
    }
    return left;
  }

  private concatenation(): Operand {
    let left = this.additive();
    while (this.isOp('&')) {
      this.next();
      left = `${scalar(left) ?? ''}${scalar(this.additive()) ?? ''}`;
    }
    return left;
  }

  private additive(): Operand {
    let left = this.term();
    while (this.isOp('+', '-')) {
      const op = this.token!.text;
      this.next();
      const right = number(scalar(this.term()));
      left = op === '+' ? number(scalar(left)) + right : number(scalar(left)) - right;
    }
    return left;
  }

  private term(): Operand {
    let left = this.unary();
    while (this.isOp('*', '/')) {
      const op = this.token!.text;
      this.next();
      const right = number(scalar(this.unary()));
      if (op === '/' && right === 0) throw new Error(`"${this.source}": #DIV/0!`);
      left = op === '*' ? number(scalar(left)) * right : number(scalar(left)) / right;
    }
    return left;
  }

  private unary(): Operand {
    if (this.isOp('-')) {
      this.next();
      return -number(scalar(this.unary()));
    }
    return this.primary();
  }

  private primary(): Operand {
    const token = this.token;
    if (!token) throw new Error(`"${this.source}": ends early`);
    this.next();
    switch (token.kind) {
      case 'number':
        return Number(token.text);
      case 'string':
        return token.text;
      case 'ref': {
        const ws = token.sheet ? this.evaluator.sheetNamed(token.sheet) : this.ws;
        const [first, last] = token.text.split(':');
        if (!last) return this.evaluator.cell(ws, first);
        const a = /^([A-Z]+)(\d+)$/.exec(first)!;
        const b = /^([A-Z]+)(\d+)$/.exec(last)!;
        const values: Value[] = [];
        for (let c = columnNumber(a[1]); c <= columnNumber(b[1]); c++) {
          for (let r = Number(a[2]); r <= Number(b[2]); r++) values.push(this.evaluator.cell(ws, `${columnLetter(c)}${r}`));
        }
        return values;
      }
      case 'function':
        return this.call(token.text);
      case 'op':
        if (token.text === '(') {
          const value = this.expression();
          this.expect(')');
          return value;
        }
        throw new Error(`"${this.source}": unexpected ${token.text}`);
    }
  }

  /** Arguments are evaluated eagerly but for IF's branches, which Excel evaluates only when taken. */
  private call(name: string): Operand {
    if (name === 'IF') {
      const condition = truth(scalar(this.expression()));
      this.expect(',');
      const start = this.at;
      const yes = condition ? this.expression() : this.skipArgument(start);
      let no: Operand = false;
      if (this.isOp(',')) {
        this.next();
        no = condition ? this.skipArgument(this.at) : this.expression();
      }
      this.expect(')');
      return condition ? yes : no;
    }
    const args: Operand[] = [];
    if (!this.isOp(')')) {
      args.push(this.expression());
      while (this.isOp(',')) {
        this.next();
        args.push(this.expression());
      }
    }
    this.expect(')');
    const flat = args.flatMap((a) => (Array.isArray(a) ? a : [a]));
    switch (name) {
      case 'SUM':
        return flat.reduce<number>((sum, v) => sum + (typeof v === 'number' ? v : 0), 0);
      case 'OR':
        return flat.some(truth);
      case 'AND':
        return flat.every(truth);
      default:
        throw new Error(`"${this.source}": the evaluator does not know ${name}`);
    }
  }

  /** Reads past an argument without evaluating it (the branch IF does not take, which may divide by zero). */
  private skipArgument(_start: number): Operand {
    let depth = 0;
    while (this.token && !(depth === 0 && this.isOp(',', ')'))) {
      if (this.token.kind === 'function' || this.isOp('(')) depth++;
      else if (this.isOp(')')) depth--;
      this.next();
    }
    return null;
  }
}

const scalar = (v: Operand): Value => {
  if (Array.isArray(v)) throw new Error('a range where a value is needed');
  return v;
};
const number = (v: Value): number => {
  if (v === null || v === '') return 0;
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (typeof v === 'number') return v;
  throw new Error(`#VALUE!: "${v}" is no number`);
};
const truth = (v: Value): boolean => (typeof v === 'string' ? v !== '' : Boolean(v));
function compare(op: string, a: Value, b: Value): boolean {
  // An empty cell equals both "" and 0, as in Excel.
  const left = a === null ? (typeof b === 'string' ? '' : 0) : a;
  const right = b === null ? (typeof a === 'string' ? '' : 0) : b;
  if (typeof left !== typeof right) return op === '<>';
  const order = left < right ? -1 : left > right ? 1 : 0;
  return { '=': order === 0, '<>': order !== 0, '<': order < 0, '>': order > 0, '<=': order <= 0, '>=': order >= 0 }[op]!;
}
const columnNumber = (letters: string) => [...letters].reduce((n, ch) => n * 26 + ch.charCodeAt(0) - 64, 0);
const columnLetter = (n: number): string => (n <= 26 ? String.fromCharCode(64 + n) : columnLetter(Math.floor((n - 1) / 26)) + String.fromCharCode(65 + ((n - 1) % 26)));

/** Every formula cell of the workbook: sheet, address, formula and the result cached with it. */
function formulaCells(workbook: ExcelJS.Workbook): Array<{ ws: ExcelJS.Worksheet; address: string; formula: string; cached: Value }> {
  const out: Array<{ ws: ExcelJS.Worksheet; address: string; formula: string; cached: Value }> = [];
  for (const ws of workbook.worksheets) {
    ws.eachRow((row) =>
      row.eachCell((cell) => {
        const formula = formulaOf(cell);
        // cell.value drops a cached result of 0 (exceljs copies only truthy parts); cell.result keeps it.
        if (formula !== undefined) out.push({ ws, address: cell.address, formula, cached: (cell.result ?? null) as Value });
      }),
    );
  }
  return out;
}

function expectSame(actual: Value, expected: Value, where: string): void {
  if (typeof expected === 'number' && typeof actual === 'number') expect(actual, where).toBeCloseTo(expected, 12);
  else expect(actual ?? '', where).toEqual(expected ?? '');
}

const LEVEL_NAMES = { tinh: 'Cấp tỉnh', huyen: 'Cấp huyện', xa: 'Cấp xã' } as const;
const figureHeader = (f: keyof typeof FIGURE_LABELS) => (FIGURE_GROUP_LABELS[f] ? `${FIGURE_GROUP_LABELS[f]} / ${FIGURE_LABELS[f]}` : FIGURE_LABELS[f]);

/** A row of Theo năm or Theo tháng, evaluated, against computeStats' row: every count and the rates shown. */
function expectEvaluatedRow(evaluator: Evaluator, ws: ExcelJS.Worksheet, columns: Map<string, number>, r: number, row: StatsRow): number {
  let checked = 0;
  const at = (c: number) => evaluator.cell(ws, `${columnLetter(c)}${r}`);
  for (const figure of COUNT_FIGURES) {
    const c = columns.get(figureHeader(figure));
    if (c === undefined) continue;
    expectSame(at(c), row[figure], `${ws.name} row ${r} ${figure}`);
    checked++;
  }
  const rate = (value: number | null) => (value === null ? '' : value);
  expectSame(at(columns.get('Tỷ lệ giải quyết sớm và đúng hạn')!), rate(row.onTimeRate), `${ws.name} row ${r} onTimeRate`);
  for (const share of ['directShare', 'onlineShare'] as const) {
    expectSame(at(columns.get(`${FIGURE_GROUP_LABELS.receivedTotal} / ${FIGURE_LABELS[share]}`)!), rate(row[share]), `${ws.name} row ${r} ${share}`);
  }
  expectSame(at(columns.get('Tổng số hồ sơ nhận giải quyết')!), row.receivedTotal + row.carriedOver, `${ws.name} row ${r} toHandle`);
  return checked + 4;
}

/** soffice on the PATH, or undefined. */
const soffice = haveTools('report formulas recalculated by LibreOffice', ['soffice']) ? which('soffice') : undefined;

/**
 * The workbook recalculated by LibreOffice: a fresh profile told to recalculate every .xlsx on load
 * (OOXMLRecalcMode 0, "always"), since by default it keeps the cached results.
 */
function recalculatedByLibreOffice(path: string): string {
  const dir = tempDir('tthc-soffice-');
  mkdirSync(join(dir, 'profile', 'user'), { recursive: true });
  writeFileSync(
    join(dir, 'profile', 'user', 'registrymodifications.xcu'),
    '<?xml version="1.0" encoding="UTF-8"?>\n<oor:items xmlns:oor="http://openoffice.org/2001/registry" ' +
      'xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">\n' +
      '<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="OOXMLRecalcMode" oor:op="fuse"><value>0</value></prop></item>\n' +
      '</oor:items>\n',
  );
  const out = join(dir, 'out');
  execFileSync(soffice!, ['--headless', `-env:UserInstallation=file://${join(dir, 'profile')}`, '--convert-to', 'xlsx', '--outdir', out, path], {
    stdio: 'ignore',
    timeout: 120_000,
  });
  return join(out, basename(path));
}

describeEachDatabase('the report workbook: formula cells evaluated', (t) => {
  async function workbookOf(): Promise<{ path: string; db: Awaited<ReturnType<typeof t.open>> }> {
    const db = await t.open();
    const dir = t.tempDir();
    await importFixture(db, dir, { procedures: true });
    const path = join(dir, 'bao-cao.xlsx');
    await writeReport(db, { query: { period: PERIOD }, out: path });
    return { path, db };
  }

  it('equal their cached values and the figures of computeStats', async () => {
    const { path, db } = await workbookOf();
    const workbook = await readWorkbook(path);
    const evaluator = new Evaluator(workbook);

    const cells = formulaCells(workbook);
    for (const { ws, address, formula, cached } of cells) {
      expectSame(evaluator.cell(ws, address), cached, `${ws.name}!${address} = ${formula}`);
    }
    // Every sheet with a table of figures has formulas, and every kind the report writes was evaluated.
    const sheetsWithFormulas = new Set(cells.map((c) => c.ws.name));
    for (const name of ['Theo năm', 'Theo tháng', 'Theo đơn vị', 'Biểu 06', 'Danh mục TTHC', 'Chỉ tiêu']) expect(sheetsWithFormulas).toContain(name);
    for (const kind of [/^SUM\(/, /^IF\(/, /^IF\(OR\(/, /^[A-Z]+\d+\+[A-Z]+\d+/]) expect(cells.some((c) => kind.test(c.formula)), String(kind)).toBe(true);

    // Theo năm and Theo tháng, evaluated, against computeStats.
    let checked = 0;
    const years = await computeStats(db, { period: PERIOD, by: ['year', 'level'] });
    const nam = sheet(workbook, 'Theo năm');
    const top = findRow(nam, 1, 'Cấp');
    const columns = headerColumns(nam, top, 2);
    for (const row of years) {
      let r = findRow(nam, 1, LEVEL_NAMES[row.level!], top + 1);
      while (text(nam.getCell(r, 2)) !== String(row.year)) r++;
      checked += expectEvaluatedRow(evaluator, nam, columns, r, row);
    }
    const months = await computeStats(db, { period: PERIOD, by: ['month', 'level'] });
    const thang = sheet(workbook, 'Theo tháng');
    const mTop = findRow(thang, 1, 'Tháng');
    const mColumns = headerColumns(thang, mTop, 2);
    for (const level of ['huyen', 'xa'] as const) {
      const start = findRow(thang, 1, LEVEL_NAMES[level], mTop + 1);
      for (const row of months.filter((m) => m.level === level)) {
        checked += expectEvaluatedRow(evaluator, thang, mColumns, findRow(thang, 1, `${row.month!.slice(5)}/${row.month!.slice(0, 4)}`, start), row);
      }
      // "Cộng năm": SUM formulas over the months, equal to the year's figures.
      for (const row of years.filter((y) => y.level === level)) {
        checked += expectEvaluatedRow(evaluator, thang, mColumns, findRow(thang, 1, `Cộng năm ${row.year}`, start), row);
      }
    }
    expect(checked).toBeGreaterThan(500);
  }, 60_000);

  // LibreOffice's recalculation is asked of the SQLite workbook only: the PostgreSQL one holds the same figures.
  const reason = soffice ? '' : ' (skipped: LibreOffice, soffice, is not installed)';
  if (t.dialect === 'sqlite') it.skipIf(!soffice)(`equal what LibreOffice recalculates${reason}`, async () => {
    const { path } = await workbookOf();
    const ours = await readWorkbook(path);
    const theirs = await readWorkbook(recalculatedByLibreOffice(path));
    const cells = formulaCells(ours);
    expect(cells.length).toBeGreaterThan(100);
    for (const { ws, address, formula, cached } of cells) {
      const recalculated = theirs.getWorksheet(ws.name)!.getCell(address);
      expect(formulaOf(recalculated), `${ws.name}!${address}`).toBeDefined();
      expectSame((recalculated.result ?? null) as Value, cached, `${ws.name}!${address} = ${formula} (LibreOffice)`);
    }
  }, 120_000);
});
