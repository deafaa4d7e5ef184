import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { matchKey } from '../domain/text.ts';
import { InputError, type DossierField } from './types.ts';
import { checkValueMaps, type ValueMaps } from './value-maps.ts';

// Columns are recognised by their header text, as people type it: case, spacing, Unicode form and tone
// placement do not matter (matchKey). Personal-data columns are recognised here too, so that the reader can
// drop them before any value leaves it.

/** The columns a kind of file can have: the names each field goes by, and the fields a file must have. */
export interface ColumnSpec<F extends string> {
  aliases: Record<F, string[]>;
  required: F[];
  /**
   * A field read from another field's column when the file has no column of its own: { unit: 'receivingUnit' }
   * reads a lone "Đơn vị tiếp nhận" as the unit. Columns named by --map or a profile are taken as named.
   */
  standIns?: Partial<Record<F, F>>;
}

/** The columns of a dossier export (docs/rules.md, "A dossier"; issue 2, point 5). */
export const DOSSIER_COLUMNS: ColumnSpec<DossierField> = {
  aliases: {
    code: ['Mã hồ sơ', 'Số hồ sơ', 'Mã HS', 'Mã số hồ sơ', 'Số HS', 'Mã hồ sơ DVC', 'Mã hồ sơ TTHC'],
    // The resolving agency: figures are by it, as Biểu 06 counts "tại cơ quan, đơn vị trực tiếp giải quyết".
    unit: [
      'Cơ quan giải quyết', 'Đơn vị', 'Đơn vị xử lý', 'Đơn vị giải quyết', 'Cơ quan thực hiện', 'Cơ quan xử lý',
      'Đơn vị thực hiện', 'Tên đơn vị', 'Cơ quan', 'Cơ quan có thẩm quyền giải quyết', 'Cơ quan chủ trì giải quyết',
    ],
    // Where the dossier was received: since 2025 a public-service centre, for the dossiers of many agencies. Alone
    // in a file it is the unit (standIns), as every export before the reform names its one unit so.
    receivingUnit: [
      'Đơn vị tiếp nhận', 'Nơi tiếp nhận', 'Cơ quan tiếp nhận', 'Nơi tiếp nhận hồ sơ', 'Đơn vị tiếp nhận hồ sơ',
      'Bộ phận tiếp nhận', 'Nơi nộp hồ sơ', 'Nơi nộp',
    ],
    procedure: [
      'Tên thủ tục hành chính', 'Tên thủ tục', 'Thủ tục', 'Thủ tục hành chính', 'Tên TTHC', 'TTHC', 'Tên dịch vụ công',
      'Dịch vụ công', 'Tên thủ tục hồ sơ',
    ],
    procedureCode: ['Mã thủ tục', 'Mã thủ tục hành chính', 'Mã TTHC', 'Mã dịch vụ công', 'Mã DVC'],
    field: ['Lĩnh vực', 'Tên lĩnh vực', 'Lĩnh vực TTHC', 'Lĩnh vực thủ tục'],
    channel: [
      'Hình thức nộp', 'Hình thức tiếp nhận', 'Kênh tiếp nhận', 'Kênh thực hiện', 'Nguồn', 'Kênh nộp', 'Hình thức nộp hồ sơ',
      'Kênh', 'Hình thức', 'Phương thức nộp', 'Phương thức tiếp nhận', 'Nguồn hồ sơ', 'Kênh nộp hồ sơ', 'Hình thức nộp HS',
    ],
    receivedAt: [
      'Ngày tiếp nhận', 'Ngày nhận', 'Ngày nộp', 'Ngày nộp hồ sơ', 'Ngày nhận hồ sơ', 'Thời gian tiếp nhận',
      'Ngày tiếp nhận hồ sơ', 'Thời điểm tiếp nhận', 'Ngày giờ tiếp nhận', 'Ngày nhận HS', 'Ngày nộp HS', 'Thời gian nộp',
    ],
    dueAt: [
      'Ngày hẹn trả', 'Hạn xử lý', 'Ngày hẹn trả kết quả', 'Hạn giải quyết', 'Thời hạn giải quyết', 'Hạn trả', 'Ngày hẹn',
      'Hẹn trả', 'Hạn trả kết quả', 'Ngày hẹn trả KQ', 'Thời hạn trả kết quả', 'Thời gian hẹn trả', 'Hạn hoàn thành',
      'Ngày hết hạn', 'Hạn xử lý hồ sơ',
    ],
    endedAt: [
      'Ngày kết thúc xử lý', 'Ngày có kết quả', 'Ngày hoàn thành', 'Ngày xử lý xong', 'Ngày kết thúc', 'Ngày hoàn thành xử lý',
      'Ngày giải quyết xong', 'Thời gian kết thúc', 'Thời gian kết thúc xử lý', 'Ngày có KQ', 'Thời gian hoàn thành',
    ],
    returnedAt: [
      'Ngày trả kết quả', 'Ngày trả', 'Ngày trả KQ', 'Ngày trả kết quả thực tế', 'Thời gian trả kết quả', 'Ngày trả hồ sơ',
    ],
    status: [
      'Trạng thái', 'Trạng thái hồ sơ', 'Tình trạng', 'Tình trạng hồ sơ', 'Trạng thái xử lý', 'Tình trạng xử lý',
      'Trạng thái giải quyết', 'Tình trạng giải quyết',
    ],
    // QĐ 766's optional columns (docs/index-766.md): yes/no, and the citizen's rating. Not "Hài lòng" alone: an
    // export with one ticked column per rating would have its ticks read as ratings.
    paidOnline: [
      'Thanh toán trực tuyến', 'Đã thanh toán trực tuyến', 'Thanh toán TT', 'Thanh toán online', 'Hồ sơ thanh toán trực tuyến',
      'Thanh toán trực tuyến phí, lệ phí', 'Nộp phí trực tuyến', 'Đã nộp phí trực tuyến', 'Được thanh toán trực tuyến',
    ],
    hasFee: [
      'Có phí/lệ phí', 'Có phí, lệ phí', 'Có phí lệ phí', 'Phí, lệ phí', 'Phí/lệ phí', 'Phí lệ phí', 'Có phí', 'Có lệ phí',
      'Thu phí', 'Có thu phí',
    ],
    digitised: [
      'Số hoá', 'Hồ sơ được số hoá', 'Đã số hoá', 'Số hoá hồ sơ', 'Được số hoá', 'Hồ sơ số hoá', 'Hồ sơ đã số hoá',
      'Số hoá thành phần hồ sơ', 'Số hoá hồ sơ, kết quả',
    ],
    electronicResult: [
      'Kết quả điện tử', 'Trả kết quả điện tử', 'Có kết quả điện tử', 'Cấp kết quả điện tử', 'Kết quả bản điện tử',
      'Đã cấp kết quả điện tử', 'Trả kết quả bản điện tử',
    ],
    satisfaction: [
      'Đánh giá hài lòng', 'Mức độ hài lòng', 'Kết quả đánh giá hài lòng', 'Mức độ hài lòng của người dân',
      'Đánh giá mức độ hài lòng',
    ],
  },
  required: ['code', 'receivedAt'],
  standIns: { unit: 'receivingUnit' },
};

/**
 * What the import summary says about a file's unit columns when it has only one of the two (the receiving unit
 * and the resolving agency): which column the figures are by. Nothing when it has both, or none (a missing unit
 * column has its own warning). `mapped` is the layout's header → field, after stand-ins.
 */
export function unitColumnsNote(mapped: Record<string, DossierField>): string | undefined {
  const headers = Object.entries(mapped);
  const unit = headers.find(([, field]) => field === 'unit')?.[0];
  const receiving = headers.find(([, field]) => field === 'receivingUnit')?.[0];
  if (unit === undefined || receiving !== undefined) return undefined;
  return fieldOfHeader(unit, DOSSIER_COLUMNS) === 'receivingUnit'
    ? `chỉ có cột "${unit}", không có cột cơ quan giải quyết: số liệu tính theo đơn vị ghi ở cột này`
    : `chỉ có cột "${unit}" (cơ quan giải quyết), không có cột nơi tiếp nhận`;
}

// Words that mark a column as personal data (Nghị định 13/2023/NĐ-CP): names, addresses, phone numbers, ID
// numbers, emails, birth data; also the officers' names. Matched as whole words anywhere in the header, and
// only for headers that are not recognised columns, so "Đơn vị" or "Tên thủ tục" are never taken for them.
const PERSONAL_WORDS = [
  'người', 'chủ hồ sơ', 'chủ hộ', 'họ tên', 'họ và tên', 'tên tổ chức', 'tên cá nhân', 'cá nhân', 'công dân',
  'cán bộ', 'chuyên viên', 'địa chỉ', 'điện thoại', 'sđt', 'sdt', 'đt', 'di động', 'mobile', 'phone',
  'cccd', 'cmnd', 'cmt', 'căn cước', 'chứng minh', 'định danh', 'giấy tờ', 'hộ chiếu', 'passport',
  'email', 'e mail', 'mail', 'thư điện tử', 'ngày sinh', 'năm sinh', 'giới tính', 'quê quán', 'thường trú',
  'tạm trú', 'cư trú', 'mã số thuế', 'mst',
].map((word) => ` ${words(matchKey(word))} `);

/** A header's words: its match key with punctuation turned into spaces ("CCCD/CMND" → "cccd cmnd"). */
function words(key: string): string {
  return key.replace(/[^\p{L}\p{N}]+/gu, ' ').trim();
}

export function isPersonalHeader(header: string): boolean {
  const padded = ` ${words(matchKey(header))} `;
  return PERSONAL_WORDS.some((word) => padded.includes(word));
}

/** The fields of a spec, in the order its aliases list them. */
export function specFields<F extends string>(spec: ColumnSpec<F>): F[] {
  return Object.keys(spec.aliases) as F[];
}

const matchers = new WeakMap<object, Map<string, string>>();

/** Alias key → field, built once per spec. */
function aliasIndex<F extends string>(spec: ColumnSpec<F>): Map<string, F> {
  let index = matchers.get(spec) as Map<string, F> | undefined;
  if (!index) {
    index = new Map();
    for (const field of specFields(spec)) {
      index.set(matchKey(field), field);
      for (const alias of spec.aliases[field]) if (!index.has(matchKey(alias))) index.set(matchKey(alias), field);
    }
    matchers.set(spec, index);
  }
  return index;
}

/**
 * The field a header names, or undefined. A trailing note in brackets, a colon or an asterisk is allowed:
 * "Ngày tiếp nhận (dd/mm/yyyy)" and "Mã hồ sơ (*)" are the received date and the code.
 */
export function fieldOfHeader<F extends string>(header: string, spec: ColumnSpec<F>): F | undefined {
  const index = aliasIndex(spec);
  const key = matchKey(header);
  const field = index.get(key);
  if (field !== undefined) return field;
  const bare = key.replace(/(\s*(\([^()]*\)|\[[^\]]*\]|[:*]))+$/u, '').trim();
  return bare !== key ? index.get(bare) : undefined;
}

/** A field named on the command line or in a profile: by its name (receivedAt) or by one of its aliases. */
export function resolveFieldName<F extends string>(name: string, spec: ColumnSpec<F>): F | undefined {
  const fields = specFields(spec);
  const trimmed = name.trim();
  const exact = fields.find((field) => field === trimmed) ?? fields.find((f) => f.toLowerCase() === trimmed.toLowerCase());
  return exact ?? aliasIndex(spec).get(matchKey(trimmed));
}

function fieldList<F extends string>(spec: ColumnSpec<F>): string {
  return specFields(spec).join(', ');
}

/**
 * Reads one `--map "Header in file=field"` option. The field is a field name (receivedAt) or one of its
 * usual headers ("Ngày tiếp nhận").
 */
export function parseMapOption<F extends string = DossierField>(
  text: string,
  spec: ColumnSpec<F> = DOSSIER_COLUMNS as unknown as ColumnSpec<F>,
): [string, F] {
  const eq = text.lastIndexOf('=');
  const header = eq === -1 ? '' : text.slice(0, eq).trim();
  const name = eq === -1 ? '' : text.slice(eq + 1).trim();
  if (header === '' || name === '') {
    throw new InputError('--map', `cần dạng "Tên cột trong tệp=trường" (nhận được "${text}"); các trường: ${fieldList(spec)}`);
  }
  const field = resolveFieldName(name, spec);
  if (field === undefined) {
    throw new InputError('--map', `trường "${name}" không hợp lệ; các trường: ${fieldList(spec)}`);
  }
  return [header, field];
}

/** Reads all `--map` options into overrides (header → field). */
export function parseMapOptions<F extends string = DossierField>(
  texts: readonly string[],
  spec: ColumnSpec<F> = DOSSIER_COLUMNS as unknown as ColumnSpec<F>,
): Record<string, F> {
  return Object.fromEntries(texts.map((text) => parseMapOption(text, spec)));
}

/** A mapping profile: which header is which field, and what the file's own words for values mean. */
export interface Profile<F extends string> {
  columns: Record<string, F>;
  values: ValueMaps;
}

/**
 * Reads a mapping profile: `{ "columns": { "Header in file": "field", ... }, "values": { "channel": { "Kiosk":
 * "truc_tiep" } } }`, optionally with a "description". Fields are given as in --map, values as in --map-value.
 */
export function readProfile<F extends string = DossierField>(
  path: string,
  spec: ColumnSpec<F> = DOSSIER_COLUMNS as unknown as ColumnSpec<F>,
): Profile<F> {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new InputError(path, code === 'ENOENT' ? 'không tìm thấy tệp cấu hình cột (--profile)' : `không đọc được tệp cấu hình cột (${(error as Error).message})`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text.replace(/^\ufeff/, ''));
  } catch (error) {
    throw new InputError(path, `tệp cấu hình cột không phải JSON hợp lệ (${(error as Error).message})`);
  }
  const schema = z.object({
    description: z.string().optional(),
    columns: z
      .record(z.string().trim().min(1, 'tên cột trống'), z.string())
      .refine((columns) => Object.keys(columns).length > 0, 'chưa khai báo cột nào'),
    values: z.record(z.string(), z.record(z.string().trim().min(1, 'giá trị trống'), z.string())).optional(),
  });
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue.path.length ? ` (tại ${issue.path.join('.')})` : '';
    throw new InputError(
      path,
      `tệp cấu hình cột sai dạng${where}: ${issue.message}; cần { "columns": { "Tên cột trong tệp": "trường" }, "values": { "channel": { "Giá trị trong tệp": "truc_tiep" } } }`,
    );
  }
  const columns: Record<string, F> = {};
  for (const [header, name] of Object.entries(parsed.data.columns)) {
    const field = resolveFieldName(name, spec);
    if (field === undefined) {
      throw new InputError(path, `cột "${header}": trường "${name}" không hợp lệ; các trường: ${fieldList(spec)}`);
    }
    columns[header] = field;
  }
  const values = (parsed.data.values ?? {}) as ValueMaps;
  checkValueMaps(values, path);
  return { columns, values };
}

/** The columns of a mapping profile (readProfile). */
export function loadProfile<F extends string = DossierField>(
  path: string,
  spec: ColumnSpec<F> = DOSSIER_COLUMNS as unknown as ColumnSpec<F>,
): Record<string, F> {
  return readProfile(path, spec).columns;
}
