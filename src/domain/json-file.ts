import { readFileSync } from 'node:fs';
import type { z } from 'zod';
import type { UserError } from './errors.ts';

// A JSON file a user writes or edits (a calendar, a profile), checked by a zod schema: a mistake is reported in
// Vietnamese with the line it is on, as an office finds it in its editor.

type ErrorClass = new (message: string) => UserError;

/** Reads and checks `path`; `what` names the file's kind in a message ("lịch ngày nghỉ"). */
export function readJsonFile<S extends z.ZodType>(path: string, schema: S, what: string, Err: ErrorClass): z.output<S> {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    throw new Err(`không đọc được tệp ${what} ${path}`);
  }
  return parseJsonText(text, path, schema, what, Err);
}

export function parseJsonText<S extends z.ZodType>(text: string, name: string, schema: S, what: string, Err: ErrorClass): z.output<S> {
  const located = locateJson(text);
  if (!located.ok) throw new Err(`${name}, dòng ${located.line}: tệp ${what} không phải JSON hợp lệ (${located.reason})`);
  const parsed = schema.safeParse(located.value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const line = lineOf(located.lines, issue.path.map(String));
    const where = issue.path.length ? ` ở "${issue.path.join('.')}"` : '';
    throw new Err(`${name}, dòng ${line}: ${what} sai${where}: ${describeIssue(issue)}`);
  }
  return parsed.data;
}

const TYPE_NAMES: Record<string, string> = {
  string: 'chuỗi', number: 'số', boolean: 'true hoặc false', object: 'đối tượng { }', record: 'đối tượng { }',
  array: 'danh sách [ ]', int: 'số nguyên',
};

/** A zod issue as a Vietnamese phrase; a schema's own messages are Vietnamese already. */
export function describeIssue(issue: z.core.$ZodIssue): string {
  switch (issue.code) {
    case 'invalid_type':
      return issue.input === undefined ? 'thiếu giá trị' : `cần ${TYPE_NAMES[issue.expected] ?? issue.expected}`;
    case 'invalid_key': {
      const inner = issue.issues[0];
      return inner && inner.code === 'custom' ? inner.message : `khoá "${issue.path.at(-1) as string}" không hợp lệ`;
    }
    case 'unrecognized_keys':
      return `khoá không dùng được: ${issue.keys.map((k) => `"${k}"`).join(', ')}`;
    case 'too_small':
      return issue.origin === 'array' || issue.origin === 'string' ? 'không được để trống' : `phải từ ${String(issue.minimum)} trở lên`;
    case 'too_big':
      return `phải không quá ${String(issue.maximum)}`;
    case 'invalid_value':
      return `phải là một trong ${issue.values.map((v) => JSON.stringify(v)).join(', ')}`;
    case 'invalid_format':
      return 'sai dạng';
    default:
      return issue.message;
  }
}

/** The line of the deepest key of `path` the file has (a missing key: the line of the object that should hold it). */
function lineOf(lines: Map<string, number>, path: string[]): number {
  for (let n = path.length; n >= 0; n--) {
    const line = lines.get(JSON.stringify(path.slice(0, n)));
    if (line !== undefined) return line;
  }
  return 1;
}

type Located = { ok: true; value: unknown; lines: Map<string, number> } | { ok: false; line: number; reason: string };

/** JSON.parse with the line of every key and value, keyed by its path written as JSON. */
export function locateJson(text: string): Located {
  const lines = new Map<string, number>();
  let at = 0;
  let line = 1;
  const fail = (reason: string): never => {
    throw Object.assign(new Error(reason), { line });
  };
  const space = () => {
    for (; at < text.length; at++) {
      const c = text[at];
      if (c === '\n') line++;
      else if (c !== ' ' && c !== '\t' && c !== '\r' && c !== '\uFEFF') break;
    }
  };
  const string = (): string => {
    const start = at;
    for (at++; at < text.length && text[at] !== '"'; at++) {
      if (text[at] === '\\') at++;
      else if (text[at] === '\n') fail('chuỗi chưa đóng ngoặc kép');
    }
    if (at >= text.length) fail('chuỗi chưa đóng ngoặc kép');
    at++;
    return JSON.parse(text.slice(start, at)) as string;
  };
  const value = (path: string[]): unknown => {
    space();
    lines.set(JSON.stringify(path), line);
    const c = text[at];
    if (c === '{') {
      const out: Record<string, unknown> = {};
      at++;
      space();
      if (text[at] === '}') return at++, out;
      for (;;) {
        space();
        if (text[at] !== '"') fail('cần tên khoá trong ngoặc kép');
        const keyLine = line;
        const key = string();
        space();
        if (text[at] !== ':') fail('cần dấu hai chấm sau tên khoá');
        at++;
        out[key] = value([...path, key]);
        // A key's line is where the key is written, which is where an office looks for it.
        lines.set(JSON.stringify([...path, key]), keyLine);
        space();
        if (text[at] === ',') at++;
        else if (text[at] === '}') return at++, out;
        else fail('cần dấu phẩy hoặc dấu }');
      }
    }
    if (c === '[') {
      const out: unknown[] = [];
      at++;
      space();
      if (text[at] === ']') return at++, out;
      for (;;) {
        out.push(value([...path, String(out.length)]));
        space();
        if (text[at] === ',') at++;
        else if (text[at] === ']') return at++, out;
        else fail('cần dấu phẩy hoặc dấu ]');
      }
    }
    if (c === '"') return string();
    const m = /^(?:-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?|true|false|null)/.exec(text.slice(at, at + 40));
    if (!m) fail(at >= text.length ? 'tệp kết thúc giữa chừng' : `không đọc được "${text.slice(at, at + 10)}"`);
    at += m![0].length;
    return JSON.parse(m![0]);
  };
  try {
    const result = value([]);
    space();
    if (at < text.length) fail('còn nội dung sau khi JSON đã đóng');
    return { ok: true, value: result, lines };
  } catch (error) {
    const e = error as Error & { line?: number };
    if (e.line === undefined) throw error;
    return { ok: false, line: e.line, reason: e.message };
  }
}
