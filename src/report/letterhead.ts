import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { InputError } from '../import/types.ts';
import { pathToFileURL } from 'node:url';
import { packageFile } from '../domain/package-files.ts';

// The parts of a report in the form of Nghị định 30/2020/NĐ-CP (Phụ lục I) that the figures cannot give: who
// issues it, its number, place and date, who signs, who receives it. From `--letterhead FILE` and the options;
// what is not given prints as a blank to fill by hand ("……"), never as a guess.

const text = z.string().trim().min(1, 'không được để trống');

export const LetterheadSchema = z
  .object({
    /** The superior body, printed above the issuer: "UBND TỈNH PHÚ THỌ". */
    superior: text,
    /** The issuing body: "ỦY BAN NHÂN DÂN HUYỆN HẠ HOÀ". */
    issuer: text,
    /** The number and symbol after "Số:": "125/BC-UBND". */
    number: text,
    /** The place before the date: "Hạ Hoà". */
    place: text,
    /** The day of the report, yyyy-mm-dd. */
    date: z.iso.date('phải là ngày dạng yyyy-mm-dd'),
    /** The report's title under "BÁO CÁO". */
    title: text,
    /** The line above the signer's title: "TM. ỦY BAN NHÂN DÂN" (quyền hạn ký). */
    signerAuthority: text,
    /** The signer's title: "CHỦ TỊCH". */
    signerTitle: text,
    /** The signer's name, printed under the signature space. */
    signerName: text,
    /** "Nơi nhận", one line each: "UBND tỉnh (b/c);". */
    recipients: z.array(text).min(1, 'cần ít nhất một nơi nhận'),
  })
  .partial()
  .strict();
export type Letterhead = z.infer<typeof LetterheadSchema>;

/** What Vietnamese names a field of the letterhead, for error messages. */
const FIELD_NAMES: Record<keyof Letterhead, string> = {
  superior: 'cơ quan cấp trên',
  issuer: 'cơ quan ban hành',
  number: 'số, ký hiệu',
  place: 'địa danh',
  date: 'ngày báo cáo',
  title: 'tên báo cáo',
  signerAuthority: 'thẩm quyền ký',
  signerTitle: 'chức vụ người ký',
  signerName: 'họ tên người ký',
  recipients: 'nơi nhận',
};

/** Reads and checks a letterhead JSON file; an error names the file and the field in Vietnamese. */
export function loadLetterhead(file: string | URL): Letterhead {
  let json: unknown;
  const name = file instanceof URL ? file.pathname : file;
  try {
    json = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code ? 'không đọc được tệp' : `không phải JSON hợp lệ: ${(error as Error).message}`;
    throw new InputError(name, `tệp thông tin văn bản ${reason}`);
  }
  return checkLetterhead(json, name);
}

/** Checks letterhead fields from a file or the command line (`source` names where they came from). */
export function checkLetterhead(value: unknown, source: string): Letterhead {
  const parsed = LetterheadSchema.safeParse(value);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  if (issue.code === 'unrecognized_keys') {
    throw new InputError(source, `trường không có: "${issue.keys.join('", "')}" (chọn trong: ${Object.keys(FIELD_NAMES).join(', ')})`);
  }
  const key = issue.path[0] as keyof Letterhead;
  const name = FIELD_NAMES[key] ? `"${String(issue.path.join('.'))}" (${FIELD_NAMES[key]})` : `"${issue.path.join('.')}"`;
  const message = issue.code === 'invalid_type' ? `phải là ${issue.expected === 'array' ? 'danh sách chuỗi' : 'chuỗi'}` : issue.message;
  throw new InputError(source, `trường ${name} ${message}`);
}

export const BLANK = '……';

/** The example letterhead (Hạ Hoà), which `tthc demo` uses for reports/demo.docx. */
export const EXAMPLE_LETTERHEAD_FILE = pathToFileURL(packageFile('reports/letterhead.example.json'));
