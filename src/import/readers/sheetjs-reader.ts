import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { InputError, UncomputedFormula, type CellValue, type RawRow } from '../types.ts';
import { fileError } from './file-head.ts';
import { serialToDate } from './sheet-xml.ts';
import type { FileFormat, FileSource, OpenOptions, SheetSource } from './source.ts';
import { openZip } from './xlsx-zip.ts';

// The formats tthc does not parse itself (.xls, .xlsb, .ods, SpreadsheetML 2003 and HTML tables saved as .xls)
// are read by SheetJS (@e965/xlsx, SheetJS Community Edition 0.20.3 as published on npm). SheetJS reads the whole
// workbook into memory at once, so these files are read whole: once, into one Buffer that is also hashed. The
// library is loaded on first use only, so .xlsx and .csv imports never load its megabyte of code.

/** Rows handed over together (the last batch of a sheet may be smaller). */
const BATCH_ROWS = 1024;

/** Excel's error values by their BIFF code, shown as the cell shows them. */
const ERROR_TEXT: Record<number, string> = {
  0x00: '#NULL!',
  0x07: '#DIV/0!',
  0x0f: '#VALUE!',
  0x17: '#REF!',
  0x1d: '#NAME?',
  0x24: '#NUM!',
  0x2a: '#N/A',
  0x2b: '#GETTING_DATA',
};

/** How a format is named in a message. */
const FORMAT_LABEL: Record<FileFormat, string> = {
  csv: 'CSV',
  xlsx: '.xlsx',
  xls: '.xls',
  'xls-html': 'HTML (.xls)',
  xml2003: 'XML Excel 2003',
  ods: '.ods',
  xlsb: '.xlsb',
};

type SheetJs = typeof import('@e965/xlsx');
type WorkBook = import('@e965/xlsx').WorkBook;
type CellObject = import('@e965/xlsx').CellObject;

let sheetJs: Promise<SheetJs> | undefined;

/**
 * SheetJS, loaded once on first use, with its code-page tables: Excel 95 (BIFF5) and older workbooks store text
 * in the writer's Windows code page (1258 for Vietnamese), which SheetJS decodes only with these tables.
 */
export function loadSheetJs(): Promise<SheetJs> {
  sheetJs ??= (async () => {
    const [XLSX, codepages] = await Promise.all([import('@e965/xlsx'), import('@e965/xlsx/dist/cpexcel.full.mjs')]);
    XLSX.set_cptable(codepages);
    return XLSX;
  })();
  return sheetJs;
}

/**
 * Opens a .xls, .xlsb, .ods, SpreadsheetML 2003 or HTML-table file (`format` as detectFormat found it) with
 * SheetJS: the whole file is read and parsed here, and each sheet's rows are handed over in batches from the
 * parsed workbook. For an HTML file, options.encoding overrides the encoding the file declares.
 */
export async function openWithSheetJs(path: string, format: FileFormat, options: OpenOptions = {}): Promise<FileSource> {
  // SheetJS would read a CSV file too, guessing US dates in it: CSV has its own reader.
  if (format === 'csv') throw new Error('openWithSheetJs: CSV files are read by the CSV reader');
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch (error) {
    throw fileError(path, error);
  }
  if (bytes.length === 0) throw new InputError(path, 'tệp rỗng (0 byte)');
  const digest = createHash('sha256').update(bytes).digest('hex');
  const XLSX = await loadSheetJs();

  let sheets: ParsedSheet[];
  let encoding: string | undefined;
  if (format === 'xls-html') {
    const html = decodeHtmlFile(path, bytes, options.encoding);
    encoding = html.encoding;
    sheets = html.documents.flatMap((document) => htmlSheets(path, XLSX, document));
    if (sheets.length === 0) throw new InputError(path, 'tệp HTML không có bảng nào (không phải danh sách xuất ra từ hệ thống?)');
    sheets.forEach((sheet, i) => (sheet.number = i + 1));
  } else {
    let workbook: WorkBook;
    if (format === 'xml2003') {
      const text = decodeXmlFile(path, bytes, options.encoding);
      encoding = text.encoding;
      workbook = parse(path, format, () => XLSX.read(utf8Bytes(text.text), { ...READ_OPTIONS, type: 'buffer' }));
    } else {
      workbook = parse(path, format, () => XLSX.read(bytes, { ...READ_OPTIONS, type: 'buffer' }));
    }
    let hidden = new Set<string>();
    if (format === 'ods') {
      try {
        hidden = await odsHiddenTables(path, bytes);
      } catch (error) {
        if (!(error instanceof InputError)) throw error;
        throw new InputError(path, 'tệp .ods bị hỏng hoặc không đọc được (content.xml)');
      }
    }
    sheets = workbookSheets(XLSX, workbook, hidden);
    if (sheets.length === 0) throw new InputError(path, `tệp ${FORMAT_LABEL[format]} không có trang tính nào`);
  }
  const parsed = [...sheets];
  return {
    format,
    ...(encoding ? { encoding } : {}),
    sheets,
    sha256: async () => digest,
    close: async () => {
      // The parsed workbook is the bulk of the memory: released even while the caller still holds the source.
      for (const sheet of parsed) sheet.release();
    },
  };
}

/**
 * SheetJS's options. dense keeps each row as an array (far less memory than an object keyed by address);
 * serial numbers, not Dates (cellDates makes local-time Dates), turned into wall-clock Dates here with the cell's
 * number format (cellNF); cellFormula for the text of a formula saved without its value; no formatted text
 * (cellText), HTML (cellHTML) or stub cells: they are not used. sheetRows is not set: every row is read.
 */
const READ_OPTIONS = {
  dense: true,
  cellDates: false,
  cellNF: true,
  cellFormula: true,
  cellText: false,
  cellHTML: false,
  cellStyles: false,
  sheetStubs: false,
  WTF: false,
} as const;

/**
 * HTML tables: every cell is its text, as in a CSV file (SheetJS would guess US dates from "05/01/2024"). A copy
 * is passed to each call: SheetJS writes into the options object it is given.
 */
const HTML_READ_OPTIONS = { ...READ_OPTIONS, type: 'buffer', raw: true } as const;

/**
 * Decoded text handed to SheetJS as UTF-8 bytes: given a string, SheetJS re-encodes it and, with the code-page
 * tables loaded, decodes it again through an array of one number per byte (8 bytes each), several times the file.
 */
function utf8Bytes(text: string): Buffer {
  return Buffer.from(text, 'utf8');
}

/**
 * Runs SheetJS's parser. What it throws is a damaged or unreadable file (the one line a user reads), a
 * password-protected workbook told apart; errors elsewhere in this reader stay what they are. SheetJS writes
 * warnings to the console while it parses; they are not the user's business and are silenced for the call.
 */
function parse<T>(path: string, format: FileFormat, read: () => T): T {
  const { error: consoleError, warn: consoleWarn, log: consoleLog } = console;
  console.error = console.warn = console.log = () => undefined;
  try {
    return read();
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    if (/password|encrypt/i.test(message)) {
      throw new InputError(
        path,
        `tệp ${FORMAT_LABEL[format]} được đặt mật khẩu (mã hoá): hãy mở bằng Excel, bỏ mật khẩu rồi lưu lại dưới dạng .xlsx`,
      );
    }
    // SheetJS's own errors name the problem; a TypeError or RangeError is its code tripping over bad bytes.
    const detail = error instanceof TypeError || error instanceof RangeError ? 'cấu trúc tệp không hợp lệ' : describe(message);
    throw new InputError(path, `tệp ${FORMAT_LABEL[format]} bị hỏng hoặc không đọc được (${detail})`);
  } finally {
    console.error = consoleError;
    console.warn = consoleWarn;
    console.log = consoleLog;
  }
}

function describe(message: string): string {
  const line = message.split('\n')[0];
  return line.length > 120 ? `${line.slice(0, 117)}...` : line;
}

/** A sheet of the parsed workbook: its rows are SheetJS's dense rows, turned into RawRows batch by batch. */
class ParsedSheet implements SheetSource {
  constructor(
    private readonly XLSX: SheetJs,
    readonly name: string | undefined,
    public number: number,
    readonly hidden: boolean,
    private data: CellObject[][] | undefined,
    private readonly date1904: boolean,
    private readonly html: boolean,
  ) {}

  rows(): AsyncIterable<RawRow[]> {
    if (!this.data) throw new Error('a sheet read after its file was closed');
    return sheetBatches(this.XLSX, this.data, this.date1904, this.html);
  }

  release(): void {
    this.data = undefined;
  }
}

/** The worksheets of a parsed workbook in its order, with their hidden state; chart and macro sheets left out. */
function workbookSheets(XLSX: SheetJs, workbook: WorkBook, hiddenNames: Set<string>): ParsedSheet[] {
  const date1904 = Boolean(workbook.Workbook?.WBProps?.date1904);
  const sheets: ParsedSheet[] = [];
  workbook.SheetNames.forEach((name, i) => {
    const sheet = workbook.Sheets[name] as { '!data'?: CellObject[][]; '!type'?: string } | undefined;
    if (!sheet || (sheet['!type'] && sheet['!type'] !== 'sheet')) return;
    const hidden = Boolean(workbook.Workbook?.Sheets?.[i]?.Hidden) || hiddenNames.has(name);
    sheets.push(new ParsedSheet(XLSX, name, sheets.length + 1, hidden, sheet['!data'] ?? [], date1904, false));
  });
  return sheets;
}

/**
 * The rows of a parsed sheet in batches. In an HTML table, blank space around a cell's text is layout, not
 * content (&nbsp; pads cells, and a cell of it alone is empty): it is trimmed.
 */
async function* sheetBatches(XLSX: SheetJs, data: CellObject[][], date1904: boolean, html = false): AsyncGenerator<RawRow[]> {
  const isDate = dateFormatTest(XLSX);
  let batch: RawRow[] = [];
  for (let r = 0; r < data.length; r++) {
    const row = data[r];
    if (!row) continue;
    let cells: CellValue[] | undefined;
    for (let c = 0; c < row.length; c++) {
      const cell = row[c];
      if (!cell) continue;
      let value = cellValue(cell, date1904, isDate);
      if (html && typeof value === 'string') value = value.replace(/^[\s\u00a0]+|[\s\u00a0]+$/g, '') || null;
      if (value === null) continue;
      cells ??= [];
      while (cells.length < c) cells.push(null);
      cells[c] = value;
    }
    if (!cells) continue;
    batch.push({ rowNumber: r + 1, cells });
    if (batch.length >= BATCH_ROWS) {
      yield batch;
      batch = [];
    }
  }
  if (batch.length > 0) yield batch;
}

/**
 * Whether a number format (its text, or the index of a built-in one) shows a date or time, by SheetJS's formatter
 * (Excel's rule), remembered per format.
 */
function dateFormatTest(XLSX: SheetJs): (format: string | number) => boolean {
  const known = new Map<string | number, boolean>();
  return (format) => {
    let date = known.get(format);
    if (date === undefined) {
      const text = typeof format === 'number' ? (XLSX.SSF.get_table() as Record<number, string>)[format] : format;
      date = typeof text === 'string' && Boolean(XLSX.SSF.is_date(text));
      known.set(format, date);
    }
    return date;
  };
}

/** A SheetJS cell as the table layer takes it (CellValue); null for an empty one. */
function cellValue(cell: CellObject, date1904: boolean, isDate: (format: string | number) => boolean): CellValue {
  const value = cell.v;
  if (value === undefined || value === null) return cell.f ? new UncomputedFormula(cell.f) : null;
  switch (cell.t) {
    case 's':
      return value === '' ? null : String(value);
    case 'n':
      if (typeof value !== 'number') return null;
      return cell.z !== undefined && isDate(cell.z) ? serialToDate(value, date1904) : value;
    case 'b':
      return Boolean(value);
    case 'd':
      // SheetJS 0.20 makes a date cell's Date from its UTC fields (as this reader wants) when not from a serial.
      return value instanceof Date ? value : new Date(String(value));
    case 'e':
      if (cell.f && typeof value !== 'number') return new UncomputedFormula(cell.f);
      return typeof value === 'number' ? (ERROR_TEXT[value] ?? '#ERROR!') : String(value);
    case 'z':
      return cell.f ? new UncomputedFormula(cell.f) : null;
    default:
      return null;
  }
}

// ---------------------------------------------------------------------------------------------------------------
// .ods: hidden sheets. SheetJS does not report them; a hidden table's automatic style says table:display="false".

/**
 * The names of the hidden tables of an .ods (from its content.xml) or a flat .fods (the file itself): the
 * automatic table styles come first, so a file without a hidden style (most) is read only as far as the body.
 */
async function odsHiddenTables(path: string, bytes: Buffer): Promise<Set<string>> {
  const hidden = new Set<string>();
  let chunks: AsyncIterable<Buffer> | Iterable<Buffer> = [bytes];
  if (bytes[0] === 0x50 && bytes[1] === 0x4b) {
    const zip = await openZip(path);
    const entry = zip.get('content.xml');
    if (!entry) return hidden;
    chunks = zip.stream(entry, 256 * 1024);
  }
  const hiddenStyles = new Set<string>();
  let body = false;
  let text = '';
  const decoder = new TextDecoder('utf-8');
  for await (const chunk of chunks) {
    text += decoder.decode(chunk, { stream: true });
    // Only whole tags are looked at; the rest waits for the next chunk.
    const end = text.lastIndexOf('>') + 1;
    const whole = text.slice(0, end);
    text = text.slice(end);
    if (!body) {
      for (const match of whole.matchAll(/<style:style\b[^>]*>(?:(?!<\/style:style>|<style:style\b)[\s\S])*?<\/style:style>/g)) {
        const tag = match[0];
        if (!/style:family\s*=\s*["']table["']/.test(tag) || !/table:display\s*=\s*["']false["']/.test(tag)) continue;
        const name = /style:name\s*=\s*["']([^"']*)["']/.exec(tag)?.[1];
        if (name !== undefined) hiddenStyles.add(name);
      }
      if (/<office:body\b/.test(whole)) {
        body = true;
        if (hiddenStyles.size === 0) return hidden;
      } else {
        // A style element cut by the chunk's end is kept whole for the next round.
        const open = whole.lastIndexOf('<style:style');
        if (open > whole.lastIndexOf('</style:style>')) text = whole.slice(open) + text;
        continue;
      }
    }
    for (const match of whole.matchAll(/<table:table\s[^>]*>/g)) {
      const name = /table:name\s*=\s*"([^"]*)"/.exec(match[0])?.[1];
      const style = /table:style-name\s*=\s*"([^"]*)"/.exec(match[0])?.[1];
      if (name !== undefined && style !== undefined && hiddenStyles.has(style)) hidden.add(unescapeXml(name));
    }
  }
  return hidden;
}

function unescapeXml(text: string): string {
  return text.replace(/&(lt|gt|amp|quot|apos|#\d+|#x[0-9a-f]+);/gi, (entity, name: string) => {
    const lower = name.toLowerCase();
    if (lower.startsWith('#x')) return String.fromCodePoint(parseInt(lower.slice(2), 16));
    if (lower.startsWith('#')) return String.fromCodePoint(Number(lower.slice(1)));
    return { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" }[lower] ?? entity;
  });
}

// ---------------------------------------------------------------------------------------------------------------
// HTML tables saved as .xls, and MHT ("Single File Web Page") workbooks.

interface HtmlDocument {
  html: string;
  /** The sheet names Excel wrote for this document's tables, when it wrote one per table. */
  names: Array<string | undefined>;
  hidden: boolean[];
}

interface DecodedHtml {
  encoding: string;
  documents: HtmlDocument[];
}

/** The sheets of one HTML document: one per table, named by Excel's worksheet list where it has one. */
function htmlSheets(path: string, XLSX: SheetJs, document: HtmlDocument): ParsedSheet[] {
  const first = document.html.search(/<table\b/i);
  if (first < 0) return [];
  // SheetJS tells HTML from CSV by its first characters (a ';' before the first '>' makes it CSV): it is given
  // the tables alone behind a plain opening, not the head with its styles and Excel's XML block.
  const html = utf8Bytes(`<html><body>${document.html.slice(first)}`);
  document.html = ''; // the page's text is not needed once it is bytes again
  const workbook = parse(path, 'xls-html', () => XLSX.read(html, { ...HTML_READ_OPTIONS }));
  return workbook.SheetNames.map((sheetName, i) => {
    const data = (workbook.Sheets[sheetName] as { '!data'?: CellObject[][] })['!data'] ?? [];
    const named = workbook.SheetNames.length === document.names.length;
    return new ParsedSheet(XLSX, named ? document.names[i] : undefined, 0, named ? document.hidden[i] : false, data, false, true);
  });
}

/**
 * The HTML of a file: one document, or for an MHT file each HTML part. The encoding is options.encoding, else
 * the BOM, else what the document declares (<meta charset>, http-equiv Content-Type, the MIME part's charset),
 * else UTF-8, which must then decode without error: text in another encoding would come out garbled.
 */
function decodeHtmlFile(path: string, bytes: Buffer, override: string | undefined): DecodedHtml {
  const head = bytes.subarray(0, 4096).toString('latin1');
  if (isMht(head)) return decodeMht(path, bytes, override);
  const { text, encoding } = decodeText(path, bytes, override ?? declaredHtmlCharset(head), 'HTML');
  return { encoding, documents: [htmlDocument(text)] };
}

/**
 * Whether a file's first bytes (as latin1) are the headers of a MIME message (an MHT file): lines of
 * "Name: value" (folded lines included) up to a blank line, one of them MIME-Version.
 */
export function isMht(head: string): boolean {
  const text = head.replace(/^\uFEFF|^\xEF\xBB\xBF/, '').replace(/^\s+/, '');
  const end = text.search(/\r?\n\r?\n/);
  const block = end < 0 ? text : text.slice(0, end);
  return /^MIME-Version\s*:/im.test(block) && block.split(/\r?\n/).every((line) => /^(?:[\w-]+\s*:|[ \t])/.test(line));
}

function htmlDocument(html: string): HtmlDocument {
  const prepared = decodeHtmlEntities(html);
  const { names, hidden } = excelWorksheets(html);
  return { html: prepared, names, hidden };
}

/** The worksheet list Excel writes into an HTML export (inside an <xml> block in a comment). */
function excelWorksheets(html: string): { names: Array<string | undefined>; hidden: boolean[]; sources: string[] } {
  const names: Array<string | undefined> = [];
  const hidden: boolean[] = [];
  const sources: string[] = [];
  for (const match of html.matchAll(/<x:ExcelWorksheet>([\s\S]*?)<\/x:ExcelWorksheet>/gi)) {
    const block = match[1];
    const name = /<x:Name>([\s\S]*?)<\/x:Name>/i.exec(block)?.[1];
    names.push(name === undefined ? undefined : decodeHtmlEntities(name).replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&').trim());
    hidden.push(/<x:Visible>\s*Sheet(?:Very)?Hidden\s*<\/x:Visible>/i.test(block));
    sources.push(/<x:WorksheetSource\s+HRef\s*=\s*["']([^"']*)["']/i.exec(block)?.[1] ?? '');
  }
  return { names, hidden, sources };
}

/** The charset an HTML or XML document declares in its first bytes, if any. */
function declaredHtmlCharset(head: string): string | undefined {
  const meta =
    /<meta\s[^>]*charset\s*=\s*["']?\s*([\w.:-]+)/i.exec(head) ?? /<\?xml\s[^>]*encoding\s*=\s*["']([\w.:-]+)["']/i.exec(head);
  return meta?.[1];
}

function decodeXmlFile(path: string, bytes: Buffer, override: string | undefined): { text: string; encoding: string } {
  const head = bytes.subarray(0, 1024).toString('latin1');
  const declared = /<\?xml\s[^>]*encoding\s*=\s*["']([\w.:-]+)["']/i.exec(head)?.[1];
  const decoded = decodeText(path, bytes, override ?? declared, 'XML');
  // SheetJS looks at the first character to know the format: the BOM and leading blank lines are dropped.
  return { text: decoded.text.replace(/^\s+/, ''), encoding: decoded.encoding };
}

/**
 * Text in the given encoding (a label TextDecoder knows), or from its BOM, or UTF-8. Windows-1258 writes
 * Vietnamese tone marks as combining characters, which are composed (NFC) as the other readers give them.
 */
function decodeText(path: string, bytes: Buffer, label: string | undefined, kind: string): { text: string; encoding: string } {
  let encoding: string;
  let start = 0;
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) {
    encoding = 'utf-8';
    start = 3;
  } else if (bytes[0] === 0xff && bytes[1] === 0xfe) {
    encoding = 'utf-16le';
    start = 2;
  } else if (bytes[0] === 0xfe && bytes[1] === 0xff) {
    encoding = 'utf-16be';
    start = 2;
  } else {
    encoding = canonicalEncoding(path, label ?? 'utf-8', kind);
    // A UTF-16 page declares itself so in its own text; its bytes were read as such only with a BOM.
    if (encoding.startsWith('utf-16')) encoding = 'utf-8';
  }
  let text: string;
  try {
    text = new TextDecoder(encoding, { fatal: encoding === 'utf-8' }).decode(bytes.subarray(start));
  } catch {
    throw new InputError(
      path,
      `tệp ${kind} không phải mã UTF-8${label ? ` như tệp khai báo` : ' và không khai báo bảng mã'} (có thể là Windows-1258 hoặc TCVN3): hãy mở bằng Excel và lưu dưới dạng .xlsx`,
    );
  }
  if (encoding !== 'utf-8' && !encoding.startsWith('utf-16')) text = text.normalize('NFC');
  return { text, encoding };
}

function canonicalEncoding(path: string, label: string, kind: string): string {
  try {
    return new TextDecoder(label.trim().toLowerCase()).encoding;
  } catch {
    throw new InputError(path, `tệp ${kind} dùng bảng mã "${label}" không được hỗ trợ: hãy mở bằng Excel và lưu dưới dạng .xlsx`);
  }
}

// SheetJS decodes only a few named entities in a cell (&nbsp; &amp; &lt; &gt; &quot; &apos; &middot;); exports
// that HTML-encode their text write Vietnamese letters as numeric (&#7871;) or named (&aacute;) entities. They are
// decoded here, before SheetJS reads the page; the ones that stand for markup characters are left to SheetJS.
const NAMED_ENTITIES: Record<string, string> = {
  Agrave: 'À', Aacute: 'Á', Acirc: 'Â', Atilde: 'Ã', Egrave: 'È', Eacute: 'É', Ecirc: 'Ê', Igrave: 'Ì', Iacute: 'Í',
  Ograve: 'Ò', Oacute: 'Ó', Ocirc: 'Ô', Otilde: 'Õ', Ugrave: 'Ù', Uacute: 'Ú', Yacute: 'Ý',
  agrave: 'à', aacute: 'á', acirc: 'â', atilde: 'ã', egrave: 'è', eacute: 'é', ecirc: 'ê', igrave: 'ì', iacute: 'í',
  ograve: 'ò', oacute: 'ó', ocirc: 'ô', otilde: 'õ', ugrave: 'ù', uacute: 'ú', yacute: 'ý',
  ndash: '–', mdash: '—', hellip: '…', lsquo: '‘', rsquo: '’', ldquo: '“', rdquo: '”', laquo: '«', raquo: '»',
  deg: '°', ordm: 'º', ordf: 'ª', copy: '©', reg: '®', times: '×', divide: '÷', bull: '•', sect: '§', para: '¶',
};
const MARKUP_ENTITIES: Record<number, string> = { 34: '&quot;', 38: '&amp;', 39: '&apos;', 60: '&lt;', 62: '&gt;' };

function decodeHtmlEntities(html: string): string {
  if (!html.includes('&')) return html;
  return html.replace(/&(#\d{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z]+);/g, (entity, name: string) => {
    if (name.startsWith('#')) {
      const code = name[1] === 'x' || name[1] === 'X' ? parseInt(name.slice(2), 16) : Number(name.slice(1));
      if (MARKUP_ENTITIES[code]) return MARKUP_ENTITIES[code];
      if (code === 0xa0) return '&nbsp;';
      return code > 0 && code <= 0x10ffff && (code < 0xd800 || code > 0xdfff) ? String.fromCodePoint(code) : entity;
    }
    return NAMED_ENTITIES[name] ?? entity;
  });
}

/**
 * An MHT file (MIME multipart/related, as Excel's "Single File Web Page" writes it): each text/html part decoded
 * from its transfer encoding (quoted-printable, base64) and charset. Excel's main part lists the worksheets and
 * the part that holds each (x:WorksheetSource), which names the tables of the other parts.
 */
function decodeMht(path: string, bytes: Buffer, override: string | undefined): DecodedHtml {
  const raw = bytes.toString('latin1');
  const headerEnd = raw.search(/\r?\n\r?\n/);
  const headers = headerEnd < 0 ? raw : raw.slice(0, headerEnd);
  const boundary = /boundary\s*=\s*(?:"([^"]+)"|([^\s;]+))/i.exec(unfold(headers));
  const damaged = () => new InputError(path, 'tệp MHT (trang web một tệp) bị hỏng hoặc không đọc được (không tìm thấy phần HTML)');
  if (!boundary) throw damaged();
  const delimiter = `--${boundary[1] ?? boundary[2]}`;
  const parts: Array<{ location: string; html: string }> = [];
  let encoding: string | undefined;
  for (const part of raw.split(delimiter).slice(1)) {
    if (part.startsWith('--')) break;
    const split = part.search(/\r?\n\r?\n/);
    if (split < 0) continue;
    const partHeaders = unfold(part.slice(0, split));
    const type = header(partHeaders, 'content-type') ?? 'text/plain';
    if (!/^\s*text\/html\b/i.test(type)) continue;
    const body = part.slice(split).replace(/^\r?\n\r?\n/, '');
    const transfer = (header(partHeaders, 'content-transfer-encoding') ?? '7bit').trim().toLowerCase();
    let content: Buffer;
    if (transfer === 'base64') content = Buffer.from(body.replace(/[^A-Za-z0-9+/=]/g, ''), 'base64');
    else if (transfer === 'quoted-printable') content = decodeQuotedPrintable(body);
    else content = Buffer.from(body, 'latin1');
    const charset = /charset\s*=\s*"?([\w.:-]+)/i.exec(type)?.[1];
    const decoded = decodeText(path, content, override ?? charset ?? declaredHtmlCharset(content.subarray(0, 4096).toString('latin1')), 'MHT');
    encoding ??= decoded.encoding;
    parts.push({ location: (header(partHeaders, 'content-location') ?? '').trim(), html: decoded.text });
  }
  if (parts.length === 0) throw damaged();
  // Excel's main part (the first) lists the worksheets and where each one's table is.
  const list = excelWorksheets(parts[0].html);
  const documents: HtmlDocument[] = [];
  const placed = new Set<number>();
  list.sources.forEach((source, i) => {
    const file = source.replace(/^.*[\\/]/, '').toLowerCase();
    if (!file) return;
    const index = parts.findIndex((part, j) => j > 0 && part.location.replace(/^.*[\\/]/, '').toLowerCase() === file);
    if (index < 0 || placed.has(index)) return;
    placed.add(index);
    documents.push({ html: decodeHtmlEntities(parts[index].html), names: [list.names[i]], hidden: [list.hidden[i]] });
  });
  // Without such a list every HTML part with a table is a sheet; with it, the other parts (the tab strip, which
  // is a table of sheet names) are not.
  if (documents.length === 0) for (const part of parts) documents.push(htmlDocument(part.html));
  return { encoding: encoding ?? 'utf-8', documents };
}

function unfold(headers: string): string {
  return headers.replace(/\r?\n[ \t]+/g, ' ');
}

function header(headers: string, name: string): string | undefined {
  return new RegExp(`^${name}\\s*:\\s*(.*)$`, 'im').exec(headers)?.[1];
}

function decodeQuotedPrintable(body: string): Buffer {
  const text = body.replace(/=\r?\n/g, '');
  const out = Buffer.alloc(text.length);
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code === 0x3d && /^[0-9A-Fa-f]{2}$/.test(text.slice(i + 1, i + 3))) {
      out[n++] = parseInt(text.slice(i + 1, i + 3), 16);
      i += 2;
    } else {
      out[n++] = code & 0xff;
    }
  }
  return out.subarray(0, n);
}
