import { posix } from 'node:path';
import { InputError, type RawRow } from '../types.ts';
import { sha256OfFile } from './file-hash.ts';
import { SheetXmlScanner, type WorkbookParts } from './sheet-xml.ts';
import type { FileSource } from './source.ts';
import { fileError, isEncryptedOle, OLE_SIGNATURE, readHead, startsWith, ZIP_SIGNATURE } from './file-head.ts';
import { SharedStrings, SharedStringsBuilder } from './xlsx-shared-strings.ts';
import { decodeEntities, XlsxFormatError } from './xlsx-xml.ts';
import { isErrno, openZip, type ZipArchive, type ZipEntry } from './xlsx-zip.ts';

// A workbook (.xlsx, or .xlsm: the same parts, and a VBA part that is never read) is read without exceljs: the
// zip's central directory gives each part's place in the file (xlsx-zip.ts), the small parts (workbook,
// relationships, styles) are read whole, the shared strings into one compact buffer (xlsx-shared-strings.ts),
// and the sheet is inflated and scanned as a stream (sheet-xml.ts). Memory stays at the shared strings' bytes
// plus a chunk of the sheet, whatever the order of the parts in the zip; exceljs's streaming reader kept every
// shared string as a JS string and, when the sheet came before the shared strings (as exceljs's own streaming
// writer puts it), first copied the sheet to a temporary file.

/** Rows handed over together (the last batch of a sheet may be smaller). */
const BATCH_ROWS = 1024;

const WORKSHEET = /^xl\/worksheets\/sheet(\d+)\.xml$/i;
const REL_TYPE = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships/';
const STRICT_REL_TYPE = 'http://purl.oclc.org/ooxml/officeDocument/relationships/';

/**
 * Opens a workbook (.xlsx, .xlsm): its sheets in the workbook's order, each read from its start when asked. The
 * parts are read where they are in the zip, so the file's hash takes a read of its own, started at once beside them.
 */
export async function openXlsx(path: string): Promise<FileSource> {
  await checkSignature(path);
  const zip = await guard(path, () => openZip(path));
  let workbook: WorkbookIndex;
  try {
    workbook = await guard(path, () => readWorkbook(zip));
    if (workbook.sheets.length === 0) {
      throw new InputError(path, 'tệp .xlsx không có trang tính nào (không phải bảng tính Excel?)');
    }
  } catch (error) {
    zip.close();
    throw error;
  }
  let parts: WorkbookParts | undefined;
  const partsOf = async (): Promise<WorkbookParts> => {
    if (parts) return parts;
    const dateStyles = workbook.styles ? await readDateStyles(zip, workbook.styles) : [];
    let sharedStrings: SharedStrings | undefined;
    if (workbook.sharedStrings) sharedStrings = await readSharedStrings(zip, workbook.sharedStrings);
    parts = {
      date1904: workbook.date1904,
      isDateStyle: (index: number) => dateStyles[index] === true,
      sharedString: sharedStrings ? (index: number) => sharedStrings.get(index) : () => null,
    };
    return parts;
  };
  const hashing = sha256OfFile(path);
  hashing.catch(() => undefined); // awaited by sha256(); a reader's error comes first
  return {
    format: 'xlsx',
    sheets: workbook.sheets.map((sheet, i) => ({
      name: sheet.name,
      number: i + 1,
      hidden: sheet.hidden,
      rows: () => readSheetBatches(path, zip, sheet.entry, partsOf),
    })),
    sha256: () => hashing,
    close: async () => zip.close(),
  };
}

async function* readSheetBatches(
  path: string,
  zip: ZipArchive,
  entry: ZipEntry,
  partsOf: () => Promise<WorkbookParts>,
): AsyncGenerator<RawRow[]> {
  try {
    const scanner = new SheetXmlScanner(await partsOf());
    let batch: RawRow[] = [];
    for await (const chunk of zip.stream(entry, 128 * 1024)) {
      const rows = scanner.push(chunk);
      if (rows.length === 0) continue;
      if (batch.length === 0) batch = rows;
      else for (const row of rows) batch.push(row);
      if (batch.length >= BATCH_ROWS) {
        yield batch;
        batch = [];
      }
    }
    for (const row of scanner.end()) batch.push(row);
    if (batch.length > 0) yield batch;
  } catch (error) {
    throw readError(path, error);
  }
}

async function guard<T>(path: string, read: () => Promise<T>): Promise<T> {
  try {
    return await read();
  } catch (error) {
    throw readError(path, error);
  }
}

/**
 * An error met while reading, as the user reads it: the file's own faults (a damaged zip or XML, a read error, a
 * file cut short) are InputErrors naming the file; anything else is a bug in the reader and is thrown as it is,
 * never reported as a damaged file.
 */
function readError(path: string, error: unknown): unknown {
  if (error instanceof InputError) return error;
  if (isErrno(error)) return fileError(path, error);
  if (error instanceof XlsxFormatError) return new InputError(path, `tệp .xlsx bị hỏng (${error.message})`);
  return error;
}

/**
 * A workbook that is not a zip is told apart first (the reader dispatch sends only zip files here; this is its
 * guard): a password-protected workbook and an Excel 97-2003 one are both OLE files, told apart by their streams.
 */
async function checkSignature(path: string): Promise<void> {
  const { bytes } = await readHead(path, 8);
  if (startsWith(bytes, OLE_SIGNATURE)) {
    if (await isEncryptedOle(path)) {
      throw new InputError(path, 'tệp được đặt mật khẩu (mã hoá) nên không đọc được: hãy mở bằng Excel, bỏ mật khẩu rồi lưu lại');
    }
    throw new InputError(path, 'tệp là bảng tính Excel 97-2003 (.xls), không phải .xlsx: hãy mở bằng Excel và lưu dưới dạng .xlsx');
  }
  if (!startsWith(bytes, ZIP_SIGNATURE)) throw new InputError(path, 'tệp không phải bảng tính .xlsx (sai định dạng)');
}

interface WorksheetPart {
  entry: ZipEntry;
  name: string | undefined;
  hidden: boolean;
}

interface WorkbookIndex {
  /** The worksheets in the order the workbook lists them. */
  sheets: WorksheetPart[];
  sharedStrings?: ZipEntry;
  styles?: ZipEntry;
  date1904: boolean;
}

/**
 * The workbook part and its relationships: which parts are the worksheets (in the workbook's order), the shared
 * strings and the styles. A workbook without them (a hand-made zip) falls back to the usual part names.
 */
async function readWorkbook(zip: ZipArchive): Promise<WorkbookIndex> {
  const workbookPath = (await packageTarget(zip)) ?? 'xl/workbook.xml';
  const workbookEntry = zip.get(workbookPath);
  const index: WorkbookIndex = { sheets: [], date1904: false };
  if (workbookEntry) {
    const xml = (await zip.read(workbookEntry)).toString('utf8');
    const pr = /<(?:[\w.-]+:)?workbookPr\b([^>]*)>/.exec(xml);
    const date1904 = pr ? attributes(pr[1]).date1904 : undefined;
    index.date1904 = date1904 === '1' || date1904 === 'true';
    const dir = posix.dirname(workbookPath);
    const rels = await readRelationships(zip, posix.join(dir, '_rels', `${posix.basename(workbookPath)}.rels`), dir);
    for (const match of xml.matchAll(/<(?:[\w.-]+:)?sheet\b([^>]*)>/g)) {
      const attrs = attributes(match[1]);
      const idKey = Object.keys(attrs).find((key) => /^[\w.-]+:id$/.test(key));
      const rel = idKey ? rels.get(attrs[idKey]) : undefined;
      if (!rel || !isType(rel.type, 'worksheet')) continue;
      const entry = zip.get(rel.target);
      if (entry && !index.sheets.some((sheet) => sheet.entry === entry)) {
        index.sheets.push({ entry, name: attrs.name, hidden: attrs.state === 'hidden' || attrs.state === 'veryHidden' });
      }
    }
    for (const rel of rels.values()) {
      if (!index.sharedStrings && isType(rel.type, 'sharedStrings')) index.sharedStrings = zip.get(rel.target);
      if (!index.styles && isType(rel.type, 'styles')) index.styles = zip.get(rel.target);
    }
  }
  if (index.sheets.length === 0) {
    index.sheets = zip
      .names()
      .map((name) => ({ name, number: Number(WORKSHEET.exec(name)?.[1]) }))
      .filter((part) => Number.isInteger(part.number))
      .sort((a, b) => a.number - b.number)
      .map((part) => ({ entry: zip.get(part.name) as ZipEntry, name: undefined, hidden: false }));
  }
  index.sharedStrings ??= zip.get('xl/sharedStrings.xml');
  index.styles ??= zip.get('xl/styles.xml');
  return index;
}

/** The package's main part (the workbook), from _rels/.rels. */
async function packageTarget(zip: ZipArchive): Promise<string | undefined> {
  const rels = await readRelationships(zip, '_rels/.rels', '');
  for (const rel of rels.values()) if (isType(rel.type, 'officeDocument')) return rel.target;
  return undefined;
}

function isType(type: string, name: string): boolean {
  return type === REL_TYPE + name || type === STRICT_REL_TYPE + name;
}

/** A relationships part: id → type and target (a part name, resolved against `base`). */
async function readRelationships(zip: ZipArchive, path: string, base: string) {
  const rels = new Map<string, { type: string; target: string }>();
  const entry = zip.get(path);
  if (!entry) return rels;
  const xml = (await zip.read(entry)).toString('utf8');
  for (const match of xml.matchAll(/<(?:[\w.-]+:)?Relationship\b([^>]*)>/g)) {
    const attrs = attributes(match[1]);
    if (!attrs.Id || !attrs.Target || attrs.TargetMode === 'External') continue;
    const target = attrs.Target.replace(/\\/g, '/');
    const resolved = target.startsWith('/') ? target.slice(1) : posix.normalize(posix.join(base, target));
    rels.set(attrs.Id, { type: attrs.Type ?? '', target: resolved });
  }
  return rels;
}

/** The attributes of a tag (the text after its name), entities decoded. */
function attributes(text: string): Record<string, string> {
  const attrs: Record<string, string> = {};
  for (const match of text.matchAll(/([\w.:-]+)\s*=\s*(?:"([^"]*)"|'([^']*)')/g)) {
    attrs[match[1]] = decodeEntities(match[2] ?? match[3] ?? '');
  }
  return attrs;
}

/** Built-in number formats that show dates or times: 14–22, 45–47, and the East Asian date formats. */
function isBuiltInDateFormat(id: number): boolean {
  return (id >= 14 && id <= 22) || (id >= 27 && id <= 36) || (id >= 45 && id <= 47) || (id >= 50 && id <= 58);
}

/** exceljs's rule for a number format that shows a date or time (quoted text and [..] sections ignored). */
function isDateFormat(format: string | undefined): boolean {
  if (!format) return false;
  return /[ymdhMsb]/.test(format.replace(/\[[^\]]*]/g, '').replace(/"[^"]*"/g, ''));
}

/** For each cell style (the s of a cell, an index into cellXfs), whether it shows numbers as dates. */
async function readDateStyles(zip: ZipArchive, entry: ZipEntry): Promise<boolean[]> {
  const xml = (await zip.read(entry)).toString('utf8');
  const formats = new Map<number, string>();
  for (const match of xml.matchAll(/<(?:[\w.-]+:)?numFmt\b([^>]*)>/g)) {
    const attrs = attributes(match[1]);
    if (attrs.numFmtId !== undefined) formats.set(Number(attrs.numFmtId), attrs.formatCode ?? '');
  }
  const cellXfs = /<(?:[\w.-]+:)?cellXfs\b[^>]*>([\s\S]*?)<\/(?:[\w.-]+:)?cellXfs>/.exec(xml);
  if (!cellXfs) return [];
  const styles: boolean[] = [];
  for (const match of cellXfs[1].matchAll(/<(?:[\w.-]+:)?xf\b([^>]*)>/g)) {
    const id = Number(attributes(match[1]).numFmtId ?? 0);
    const custom = formats.get(id);
    styles.push(custom !== undefined ? isDateFormat(custom) : isBuiltInDateFormat(id));
  }
  return styles;
}

async function readSharedStrings(zip: ZipArchive, entry: ZipEntry): Promise<SharedStrings> {
  const builder = new SharedStringsBuilder(entry.uncompressedSize);
  for await (const chunk of zip.stream(entry, 256 * 1024)) builder.push(chunk);
  return builder.end();
}
