import { readFile } from 'node:fs/promises';
import { InputError } from '../types.ts';
import { fileError, OLE_SIGNATURE, readHead, startsWith } from './file-head.ts';
import { isMht, loadSheetJs } from './sheetjs-reader.ts';
import type { FileFormat } from './source.ts';
import { openZip, type ZipArchive } from './xlsx-zip.ts';

// What a file is, told from its bytes and never from its name: one-stop systems save HTML tables under a .xls
// name, users rename files, and a folder holds PDFs and scans beside the exports. A file that is no spreadsheet
// gets one Vietnamese line that names what it is and what to do instead.

/** What kind of file that tthc does not read it is (for callers that group or count them). */
export type UnsupportedKind =
  | 'pdf'
  | 'word'
  | 'powerpoint'
  | 'opendocument'
  | 'outlook'
  | 'encrypted'
  | 'office'
  | 'zip'
  | 'archive'
  | 'image'
  | 'rtf'
  | 'xml'
  | 'json'
  | 'binary';

/** A file's format as its bytes show it, or why it cannot be read (one Vietnamese line: what it is, what to do). */
export type DetectedFormat = { format: FileFormat } | { unsupported: string; kind: UnsupportedKind };

const EXPORT_AGAIN = 'hãy xuất lại danh sách hồ sơ từ hệ thống ra Excel (.xlsx, .xls) hoặc CSV';
const NOT_A_SHEET = (what: string, advice = EXPORT_AGAIN) => `${what}, không phải bảng tính: ${advice}`;

const MESSAGES = {
  pdf: NOT_A_SHEET('tệp PDF'),
  doc: NOT_A_SHEET('tệp Word (.doc)', `${EXPORT_AGAIN}; nếu danh sách là một bảng trong tệp Word, hãy chép bảng sang Excel rồi lưu dưới dạng .xlsx`),
  docx: NOT_A_SHEET('tệp Word (.docx)', `${EXPORT_AGAIN}; nếu danh sách là một bảng trong tệp Word, hãy chép bảng sang Excel rồi lưu dưới dạng .xlsx`),
  ppt: NOT_A_SHEET('tệp PowerPoint'),
  odt: NOT_A_SHEET('tệp văn bản OpenDocument (.odt)', `${EXPORT_AGAIN}; nếu danh sách là một bảng trong tệp, hãy chép bảng sang LibreOffice Calc rồi lưu dưới dạng .xlsx hoặc .ods`),
  opendocument: `tệp OpenDocument không phải bảng tính .ods: ${EXPORT_AGAIN}`,
  msg: NOT_A_SHEET('thư Outlook (.msg)', 'hãy lưu tệp đính kèm trong thư ra thư mục rồi nhập tệp đó'),
  encrypted:
    'tệp Excel được đặt mật khẩu (mã hoá): hãy mở bằng Excel, bỏ mật khẩu (Tệp > Thông tin > Bảo vệ sổ làm việc) rồi lưu lại dưới dạng .xlsx',
  office: 'tệp Office 97-2003 không phải bảng tính Excel: hãy mở bằng chương trình đã tạo ra tệp và lưu dưới dạng .xlsx hoặc CSV',
  zip: NOT_A_SHEET('tệp nén (.zip)', 'hãy giải nén rồi nhập các tệp bên trong'),
  rar: NOT_A_SHEET('tệp nén RAR', 'hãy giải nén rồi nhập các tệp bên trong'),
  sevenZip: NOT_A_SHEET('tệp nén 7-Zip', 'hãy giải nén rồi nhập các tệp bên trong'),
  gzip: NOT_A_SHEET('tệp nén gzip', 'hãy giải nén rồi nhập các tệp bên trong'),
  image: (name: string) =>
    NOT_A_SHEET(`tệp ảnh (${name})`, `ảnh chụp hay bản quét không đọc được thành số liệu; ${EXPORT_AGAIN}`),
  rtf: NOT_A_SHEET('tệp văn bản RTF (Word)'),
  xml: `tệp XML không phải bảng tính Excel 2003 (SpreadsheetML): ${EXPORT_AGAIN}`,
  json: NOT_A_SHEET('tệp JSON'),
  binary: `tệp không phải bảng tính hay văn bản CSV (dữ liệu nhị phân không nhận ra được): ${EXPORT_AGAIN}`,
} as const;

const unsupported = (message: string, kind: UnsupportedKind): DetectedFormat => ({ unsupported: message, kind });

/**
 * Tells what a file is from its bytes: a zip by its parts (.xlsx/.xlsm, .xlsb, .ods, or not a workbook), an OLE
 * compound file by its streams (.xls, a password-protected workbook, or another Office file), text by its first
 * markup (HTML table or MHT page saved as .xls, Excel 2003 XML, flat .fods), other text as CSV. Throws an
 * InputError for an empty, unreadable or damaged file.
 */
export async function detectFormat(path: string): Promise<DetectedFormat> {
  const { bytes } = await readHead(path, 64 * 1024);
  const byte = (i: number) => bytes[i] ?? -1;
  const ascii = (text: string, at = 0) => bytes.length >= at + text.length && bytes.toString('latin1', at, at + text.length) === text;

  if (byte(0) === 0x50 && byte(1) === 0x4b && (byte(2) === 3 || byte(2) === 5 || byte(2) === 7)) return detectZip(path);
  if (startsWith(bytes, OLE_SIGNATURE)) return detectOle(path);
  if (ascii('%PDF-')) return unsupported(MESSAGES.pdf, 'pdf');
  if (ascii('Rar!\x1a\x07')) return unsupported(MESSAGES.rar, 'archive');
  if (ascii('7z\xbc\xaf\x27\x1c')) return unsupported(MESSAGES.sevenZip, 'archive');
  if (byte(0) === 0x1f && byte(1) === 0x8b) return unsupported(MESSAGES.gzip, 'archive');
  const image = imageType(bytes, ascii);
  if (image) return unsupported(MESSAGES.image(image), 'image');
  if (ascii('{\\rtf')) return unsupported(MESSAGES.rtf, 'rtf');
  return detectText(bytes);
}

function imageType(bytes: Buffer, ascii: (text: string, at?: number) => boolean): string | undefined {
  if (ascii('\x89PNG')) return 'PNG';
  if (bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'JPEG';
  if (ascii('GIF87a') || ascii('GIF89a')) return 'GIF';
  if (ascii('II*\x00') || ascii('MM\x00*')) return 'TIFF';
  if (ascii('RIFF') && ascii('WEBP', 8)) return 'WEBP';
  if (ascii('ftyp', 4) && /^(heic|heix|mif1|msf1|avif)$/.test(bytes.toString('latin1', 8, 12))) return 'HEIC';
  if (ascii('BM') && bytes.length >= 26 && bytes.readUInt32LE(2) > 0 && bytes.readUInt16LE(26) === 1) return 'BMP';
  return undefined;
}

/** A zip: which package it is, by [Content_Types].xml (OOXML) or mimetype (OpenDocument), or a plain archive. */
async function detectZip(path: string): Promise<DetectedFormat> {
  let zip: ZipArchive;
  try {
    zip = await openZip(path);
  } catch (error) {
    if (error instanceof InputError && error.detail.includes('bị hỏng')) {
      throw new InputError(path, 'tệp nén (.xlsx, .ods hoặc .zip) bị hỏng hoặc không đầy đủ (tải về bị cắt cụt?)');
    }
    throw error;
  }
  const small = async (name: string, limit: number): Promise<string | undefined> => {
    const entry = zip.get(name);
    if (!entry || entry.uncompressedSize > limit) return undefined;
    try {
      return (await zip.read(entry)).toString('utf8');
    } catch {
      return undefined; // a damaged or encrypted entry: judged by the names alone
    }
  };

  const mimetype = (await small('mimetype', 256))?.trim();
  if (mimetype?.startsWith('application/vnd.oasis.opendocument.')) {
    if (/^application\/vnd\.oasis\.opendocument\.spreadsheet(-template)?$/.test(mimetype)) return { format: 'ods' };
    if (/opendocument\.text/.test(mimetype)) return unsupported(MESSAGES.odt, 'opendocument');
    if (/opendocument\.presentation/.test(mimetype)) return unsupported(MESSAGES.ppt, 'powerpoint');
    return unsupported(MESSAGES.opendocument, 'opendocument');
  }

  // An OOXML package names its main part in _rels/.rels, and [Content_Types].xml gives that part's type (by an
  // Override for the part, or a Default for its extension: Excel's .xlsb types workbook.bin so).
  const main = await mainPart(small);
  if (main) {
    const { name, type } = main;
    if (/sheet\.binary\.macroEnabled\.main/i.test(type) || (!type && /\.bin$/i.test(name))) return { format: 'xlsb' };
    if (/spreadsheetml\.(sheet|template)\.main\+xml|ms-excel\.(sheet|template|addin)\.macroEnabled\.main\+xml/i.test(type)) {
      return { format: 'xlsx' };
    }
    if (/wordprocessingml|ms-word\./i.test(type)) return unsupported(MESSAGES.docx, 'word');
    if (/presentationml|ms-powerpoint\./i.test(type)) return unsupported(MESSAGES.ppt, 'powerpoint');
  }
  // Without the package's own description, its parts' names still tell a workbook.
  if (zip.get('xl/workbook.bin')) return { format: 'xlsb' };
  if (zip.get('xl/workbook.xml') || zip.names().some((name) => /^xl\/worksheets\/sheet\d+\.xml$/i.test(name))) {
    return { format: 'xlsx' };
  }
  if (zip.get('word/document.xml')) return unsupported(MESSAGES.docx, 'word');
  if (zip.get('ppt/presentation.xml')) return unsupported(MESSAGES.ppt, 'powerpoint');
  if (zip.get('content.xml') && zip.get('META-INF/manifest.xml')) {
    const manifest = (await small('META-INF/manifest.xml', 1 << 20)) ?? '';
    if (/opendocument\.spreadsheet/.test(manifest)) return { format: 'ods' };
  }
  return unsupported(MESSAGES.zip, 'zip');
}

/** The package's main part (from _rels/.rels) and its content type ('' when [Content_Types].xml has none). */
async function mainPart(small: (name: string, limit: number) => Promise<string | undefined>) {
  const rels = await small('_rels/.rels', 1 << 20);
  if (rels === undefined) return undefined;
  let target: string | undefined;
  for (const match of rels.matchAll(/<(?:[\w.-]+:)?Relationship\b([^>]*)>/g)) {
    const type = /\bType\s*=\s*["']([^"']*)["']/.exec(match[1])?.[1] ?? '';
    if (/\/officeDocument$/.test(type)) target = /\bTarget\s*=\s*["']([^"']*)["']/.exec(match[1])?.[1];
  }
  if (!target) return undefined;
  const name = target.replace(/\\/g, '/').replace(/^\/+/, '');
  const types = (await small('[Content_Types].xml', 1 << 20)) ?? '';
  let type = '';
  for (const match of types.matchAll(/<(?:[\w.-]+:)?(Override|Default)\b([^>]*)>/g)) {
    const attrs = match[2];
    const contentType = /\bContentType\s*=\s*["']([^"']*)["']/.exec(attrs)?.[1] ?? '';
    if (match[1] === 'Override') {
      const part = /\bPartName\s*=\s*["']([^"']*)["']/.exec(attrs)?.[1] ?? '';
      if (part.replace(/^\/+/, '').toLowerCase() === name.toLowerCase()) {
        type = contentType;
        break;
      }
    } else {
      const extension = /\bExtension\s*=\s*["']([^"']*)["']/.exec(attrs)?.[1] ?? '';
      if (!type && name.toLowerCase().endsWith(`.${extension.toLowerCase()}`)) type = contentType;
    }
  }
  return { name, type };
}

/**
 * An OLE compound file (Office 97-2003): a "Workbook" (BIFF8) or "Book" (BIFF5) stream is an Excel workbook; an
 * "EncryptedPackage" stream is an .xlsx saved with a password (Office encrypts the whole package into one).
 */
async function detectOle(path: string): Promise<DetectedFormat> {
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch (error) {
    throw fileError(path, error);
  }
  const { CFB } = await loadSheetJs();
  let names: Set<string>;
  try {
    const container = CFB.read(bytes, { type: 'buffer' }) as { FileIndex: Array<{ name: string; type: number }> };
    names = new Set(container.FileIndex.filter((entry) => entry.type === 2).map((entry) => entry.name.toLowerCase()));
  } catch {
    throw new InputError(path, 'tệp Office 97-2003 (.xls, .doc) bị hỏng hoặc không đầy đủ (tải về bị cắt cụt?)');
  }
  if (names.has('encryptedpackage') || names.has('encryptioninfo')) return unsupported(MESSAGES.encrypted, 'encrypted');
  if (names.has('workbook') || names.has('book')) return { format: 'xls' };
  if (names.has('worddocument')) return unsupported(MESSAGES.doc, 'word');
  if (names.has('powerpoint document')) return unsupported(MESSAGES.ppt, 'powerpoint');
  if ([...names].some((name) => name.startsWith('__substg1.0_'))) return unsupported(MESSAGES.msg, 'outlook');
  return unsupported(MESSAGES.office, 'office');
}

/**
 * Text: markup by its first element (after a BOM, blank space, the XML declaration, processing instructions and
 * comments), an MHT page by its MIME headers, anything else is CSV (the CSV reader judges its encoding). Bytes
 * that are no text (NUL bytes, or many control characters) are an unknown binary file.
 */
function detectText(bytes: Buffer): DetectedFormat {
  let head: string;
  if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff)) {
    const length = bytes.length & ~1;
    head = new TextDecoder(bytes[0] === 0xff ? 'utf-16le' : 'utf-16be').decode(bytes.subarray(0, length));
  } else {
    if (isBinary(bytes)) return unsupported(MESSAGES.binary, 'binary');
    head = bytes.toString('latin1');
    if (head.startsWith('\xef\xbb\xbf')) head = head.slice(3);
  }
  head = head.replace(/^\uFEFF/, '');
  if (isMht(head)) return { format: 'xls-html' };
  // A JSON document (an API's answer saved to a file) opens with a brace or bracket and a quote, brace or bracket.
  if (/^\s*(\{\s*"|\[\s*[{["\d\]])/.test(head)) return unsupported(MESSAGES.json, 'json');
  const markup = firstElement(head);
  if (markup === undefined) return { format: 'csv' };
  const name = markup.toLowerCase();
  if (/^(html|table|head|body|meta|title|style|tr|!doctype\s+html)\b/.test(name)) return { format: 'xls-html' };
  if (/^([\w.-]+:)?workbook\b/.test(name) && head.includes('urn:schemas-microsoft-com:office:spreadsheet')) {
    return { format: 'xml2003' };
  }
  if (/^office:document\b/.test(name) && /application\/vnd\.oasis\.opendocument\.spreadsheet/.test(head)) {
    return { format: 'ods' };
  }
  return unsupported(MESSAGES.xml, 'xml');
}

/**
 * The text of the first element's start tag after the prolog (e.g. 'html lang="vi"', '!DOCTYPE html'), or
 * undefined when the text does not start with markup.
 */
function firstElement(text: string): string | undefined {
  let i = 0;
  for (;;) {
    while (i < text.length && /\s/.test(text[i])) i++;
    if (text[i] !== '<') return undefined;
    if (text.startsWith('<?', i)) {
      const end = text.indexOf('?>', i);
      if (end < 0) return undefined;
      i = end + 2;
    } else if (text.startsWith('<!--', i)) {
      const end = text.indexOf('-->', i);
      if (end < 0) return undefined;
      i = end + 3;
    } else if (/^<!doctype\s+(?!html)/i.test(text.slice(i, i + 20))) {
      const end = text.indexOf('>', i);
      if (end < 0) return undefined;
      i = end + 1;
    } else {
      const match = /^<([^>]*)/.exec(text.slice(i, i + 1024));
      return match ? match[1].trim() : undefined;
    }
  }
}

/** NUL bytes, or more than one control character in twenty (not tab, line breaks, form feed or escape). */
function isBinary(bytes: Buffer): boolean {
  let control = 0;
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i];
    if (b === 0) return true;
    if (b < 0x20 && b !== 0x09 && b !== 0x0a && b !== 0x0d && b !== 0x0c && b !== 0x1b) control++;
  }
  return control * 20 > bytes.length;
}
