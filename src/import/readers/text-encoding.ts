import { isUtf8 } from 'node:buffer';
import { InputError } from '../types.ts';
import { fileError, openForReading, type FileHead } from './file-head.ts';

// The text encodings CSV files reach tthc in. Offices save CSV from Excel as "CSV UTF-8" (with a BOM), as plain
// "CSV" (the Windows code page: Windows-1258 on a Vietnamese Windows), or as "Unicode Text" (UTF-16LE with a BOM,
// tab-separated); some old files are still in the TCVN3 (ABC) or VNI legacy-font encodings, which no decoder
// reads as Vietnamese. The encoding is decided before any row is read: a file that stops being UTF-8 halfway
// must not hand out rows read in the wrong encoding first.

/** The encodings found by detection; --encoding may name any other that TextDecoder knows. */
export type DetectedEncoding = 'utf-8' | 'utf-16le' | 'utf-16be' | 'windows-1258';

/** Names shown when --encoding names an encoding TextDecoder does not know. */
const ACCEPTED_NAMES = 'utf-8, utf-16le, utf-16be, windows-1258 (cp1258), windows-1252 (latin1)';

/** The pre-pass reads the file in pieces this large: about 70 ms for a 330 MB, 1,000,000-row export. */
const SCAN_CHUNK = 1 << 20;

/**
 * The WHATWG name of the encoding `name` stands for ('cp1258' → 'windows-1258', 'latin1' → 'windows-1252'),
 * or an InputError listing the names accepted.
 */
export function resolveEncoding(path: string, name: string): string {
  try {
    return new TextDecoder(name.trim()).encoding;
  } catch {
    throw new InputError(
      path,
      `bảng mã "${name}" không được hỗ trợ: hãy dùng một trong ${ACCEPTED_NAMES}, hoặc tên khác theo chuẩn WHATWG Encoding`,
    );
  }
}

/**
 * The encoding of a text file from its BOM, else from its bytes: UTF-8 when every byte of it is UTF-8 (a
 * character cut off by the end of the file aside), else Windows-1258 when the bytes read as Vietnamese in it.
 * Anything else is an InputError saying what was found and where.
 */
export async function detectEncoding(path: string, head: FileHead): Promise<DetectedEncoding> {
  const { bytes } = head;
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return 'utf-16le';
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return 'utf-16be';
  if (await isUtf8File(path, head)) return 'utf-8';
  const found = await examineBytes(path);
  // Both passes hold the same bytes to the same rules; this only keeps a disagreement from crashing.
  if (found.firstInvalid === undefined) return 'utf-8';
  const where = (at: Position) => `byte ${at.offset + 1}, dòng ${at.line}`;
  const notUtf8 = found.firstInvalid;
  const save = 'hãy mở tệp bằng Excel và lưu dưới dạng "CSV UTF-8", hoặc chỉ rõ bảng mã bằng --encoding';
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) {
    throw new InputError(path, `tệp CSV ghi là UTF-8 (có BOM) nhưng không còn là UTF-8 từ ${where(notUtf8)}: ${save}`);
  }
  if (found.utf8Letters >= MIXED_UTF8_LETTERS) {
    throw new InputError(
      path,
      `tệp CSV trộn hai bảng mã: có chữ Việt mã UTF-8 (từ ${where(found.firstUtf8Letter as Position)}) ` +
        `và có byte không phải UTF-8 (từ ${where(notUtf8)}), có lẽ do ghép nhiều tệp: hãy xuất lại tệp, ` +
        'hoặc lưu từng phần dưới dạng "CSV UTF-8" trước khi ghép',
    );
  }
  if (found.plausible1258) return 'windows-1258';
  const legacy = found.legacy;
  if (legacy) {
    throw new InputError(
      path,
      `tệp CSV có vẻ được gõ bằng phông ${legacy} (bảng mã cũ, không phải Unicode): hãy dùng Unikey (Công cụ chuyển mã) ` +
        `chuyển từ ${legacy} sang Unicode, rồi lưu dưới dạng "CSV UTF-8"`,
    );
  }
  throw new InputError(
    path,
    `tệp CSV không phải mã UTF-8 (từ ${where(notUtf8)}) và không đọc được thành chữ Việt theo bảng mã Windows-1258: ${save}`,
  );
}

/**
 * True when every byte of the file is UTF-8, except perhaps a character cut off by its end (read as U+FFFD,
 * as a truncated file's last row is). buffer.isUtf8 checks each piece; the bytes of a character cut by the end
 * of a piece are carried to the next.
 */
export async function isUtf8File(path: string, head: FileHead): Promise<boolean> {
  if (head.bytes.length === head.size) return isUtf8(head.bytes.subarray(0, head.size - incompleteTail(head.bytes, head.size)));
  return scanPieces(path, 3, (buffer, length, ended) => {
    const carry = incompleteTail(buffer, length);
    if (!isUtf8(buffer.subarray(0, length - carry))) return false;
    return ended ? true : carry;
  });
}

/**
 * Reads a file in pieces of SCAN_CHUNK bytes, each after the last bytes the previous piece kept (at most `room`).
 * `visit` sees bytes [0, length) of the buffer: before the end it returns how many of its last bytes to keep for
 * the next piece, or false to stop (the scan then returns false); at the end (ended) it returns the answer.
 */
async function scanPieces(
  path: string,
  room: number,
  visit: (buffer: Buffer, length: number, ended: boolean) => number | boolean,
): Promise<boolean> {
  const handle = await openForReading(path);
  try {
    const buffer = Buffer.allocUnsafe(SCAN_CHUNK + room);
    let kept = 0;
    let position = 0;
    for (;;) {
      let bytesRead: number;
      try {
        ({ bytesRead } = await handle.read(buffer, kept, SCAN_CHUNK, position));
      } catch (error) {
        throw fileError(path, error);
      }
      position += bytesRead;
      const length = kept + bytesRead;
      const next = visit(buffer, length, bytesRead === 0);
      if (typeof next === 'boolean') return next;
      buffer.copyWithin(0, length - next, length);
      kept = next;
    }
  } finally {
    await handle.close();
  }
}

/**
 * How many bytes at the end of bytes[0, length) are the start of a UTF-8 character that goes on past them:
 * a lead byte followed by fewer continuation bytes than it announces.
 */
export function incompleteTail(bytes: Uint8Array, length: number): number {
  for (let k = 1; k <= 3 && k <= length; k++) {
    const b = bytes[length - k];
    if ((b & 0xc0) === 0x80) continue;
    const needs = b >= 0xf0 && b <= 0xf4 ? 4 : b >= 0xe0 && b <= 0xef ? 3 : b >= 0xc2 && b <= 0xdf ? 2 : 1;
    return needs > k ? k : 0;
  }
  return 0;
}

/** A place in the file: byte offset (0-based) and physical line (1-based). */
interface Position {
  offset: number;
  line: number;
}

/**
 * Vietnamese letters in UTF-8 (two-byte Latin-1, Latin Extended-A/B letters and the three-byte U+1EA0–U+1EF9)
 * found in a file that is not UTF-8 throughout. A Windows-1258 file can hold such a byte pair by chance ("Ă"
 * then a closing quote), rarely: three mean a file whose parts were saved in different encodings.
 */
const MIXED_UTF8_LETTERS = 3;

// Windows-1258 bytes by what they decode to. Bytes not listed are symbols and punctuation (€ “ ” – ° « ₫ …).
/** Bytes Windows-1258 leaves undefined: they decode to C1 control characters, never in text. */
const UNDEFINED_1258 = [0x81, 0x8a, 0x8d, 0x8e, 0x8f, 0x90, 0x9a, 0x9d, 0x9e];
/** Letters of the Vietnamese alphabet: À Á Â Ă È É Ê Í Ó Ô Ơ Ù Ú Ư Đ, the same in lower case. */
const LETTERS_1258 = [
  0xc0, 0xc1, 0xc2, 0xc3, 0xc8, 0xc9, 0xca, 0xcd, 0xd0, 0xd3, 0xd4, 0xd5, 0xd9, 0xda, 0xdd,
  0xe0, 0xe1, 0xe2, 0xe3, 0xe8, 0xe9, 0xea, 0xed, 0xf0, 0xf3, 0xf4, 0xf5, 0xf9, 0xfa, 0xfd,
];
/** The tone marks as combining characters: grave, hook above, tilde, acute, dot below. */
const TONES_1258 = [0xcc, 0xd2, 0xde, 0xec, 0xf2];
/** Vowels a tone mark may follow: Â Ă Ê Ô Ơ Ư and â ă ê ô ơ ư (the ASCII vowels are added below). */
const TONEABLE_1258 = [0xc2, 0xc3, 0xca, 0xd4, 0xd5, 0xdd, 0xe2, 0xe3, 0xea, 0xf4, 0xf5, 0xfd];
/** Letters of other languages (Ä Å Æ Ç Ë Î Ï Ñ Ö Ø Û Ü ß ä å æ ç ë î ï ñ ö ø û ü ÿ ƒ Œ œ Ÿ). */
const FOREIGN_1258 = [
  0x83, 0x8c, 0x9c, 0x9f, 0xc4, 0xc5, 0xc6, 0xc7, 0xcb, 0xce, 0xcf, 0xd1, 0xd6, 0xd8, 0xdb, 0xdc, 0xdf,
  0xe4, 0xe5, 0xe6, 0xe7, 0xeb, 0xee, 0xef, 0xf1, 0xf6, 0xf8, 0xfb, 0xfc, 0xff,
];
/**
 * VNI writes a Vietnamese letter as an ASCII letter followed by a byte for its marks. A plain vowel with a tone
 * is the vowel followed by ø ù û õ ï (grave, acute, hook, tilde, dot below; capitals Ø Ù Û Õ Ï), which no
 * Vietnamese or other Latin text has after a vowel as often; đ and Đ are ñ and Ñ, at the start of a word.
 */
const VNI_TONES = [0xf8, 0xf9, 0xfb, 0xf5, 0xef, 0xd8, 0xd9, 0xdb, 0xd5, 0xcf];

// What each byte is in Windows-1258.
const ASCII = 0;
const ASCII_LETTER = 1;
const ASCII_VOWEL = 2;
const UNDEFINED = 3;
const LETTER = 4;
const TONEABLE_LETTER = 5;
const TONE = 6;
const FOREIGN = 7;
const SYMBOL = 8;

const KINDS = new Uint8Array(256);
for (let b = 0; b < 128; b++) KINDS[b] = /[a-z]/i.test(String.fromCharCode(b)) ? ASCII_LETTER : ASCII;
for (const c of 'aeiouyAEIOUY') KINDS[c.charCodeAt(0)] = ASCII_VOWEL;
for (let b = 128; b < 256; b++) KINDS[b] = SYMBOL;
for (const b of UNDEFINED_1258) KINDS[b] = UNDEFINED;
for (const b of LETTERS_1258) KINDS[b] = LETTER;
for (const b of TONEABLE_1258) KINDS[b] = TONEABLE_LETTER;
for (const b of TONES_1258) KINDS[b] = TONE;
for (const b of FOREIGN_1258) KINDS[b] = FOREIGN;
const IS_VNI_TONE = new Uint8Array(256);
for (const b of VNI_TONES) IS_VNI_TONE[b] = 1;

const isAsciiLetter = (kind: number) => kind === ASCII_LETTER || kind === ASCII_VOWEL;
const isLetter = (kind: number) => kind !== ASCII && kind !== SYMBOL && kind !== UNDEFINED;

/** What a file that is not UTF-8 throughout holds, counted over all its bytes. */
export class ByteCounts {
  /** Where the bytes first stop being UTF-8. */
  firstInvalid: Position | undefined;
  /** Vietnamese letters in UTF-8, and the first of them. */
  utf8Letters = 0;
  firstUtf8Letter: Position | undefined;
  /** Bytes that Windows-1258 leaves undefined. */
  undefined1258 = 0;
  /** Bytes that read as Vietnamese letters in Windows-1258 (a tone mark counts when it follows a vowel). */
  vietnamese = 0;
  /** Bytes that do not: letters of other languages, a tone mark after a consonant, a symbol inside a word. */
  odd = 0;
  /** All bytes ≥ 0x80. */
  high = 0;
  /** TCVN3's letters ă â ê ô ơ ư đ and à ả ã á ạ (0xA1–0xBF) next to an ASCII letter. */
  tcvn3 = 0;
  /** VNI's tone bytes right after an ASCII vowel, and its đ/Đ at the start of a word. */
  vni = 0;

  private line = 1;
  private offset = 0;
  private utf8Skip = 0;
  private previous = 0x0a;

  /** Counts bytes[0, end); bytes[end, end + 3] must be the bytes that follow (or absent at the end of the file). */
  count(bytes: Uint8Array, end: number): void {
    for (let i = 0; i < end; i++, this.offset++) {
      const b = bytes[i];
      const next = i + 1 < bytes.length ? bytes[i + 1] : 0x0a;
      if (b < 0x80) {
        if (b === 0x0a || (b === 0x0d && next !== 0x0a)) this.line++;
        this.previous = b;
        this.utf8Skip = 0;
        continue;
      }
      this.high++;
      this.countUtf8(bytes, i);
      const kind = KINDS[b];
      const before = KINDS[this.previous];
      const after = KINDS[next];
      if (kind === UNDEFINED) this.undefined1258++;
      else if (kind === LETTER || kind === TONEABLE_LETTER) this.vietnamese++;
      else if (kind === TONE) {
        if (before === ASCII_VOWEL || before === TONEABLE_LETTER) this.vietnamese++;
        else this.odd++;
      } else if (kind === FOREIGN || (isLetter(before) && isLetter(after))) this.odd++;
      if (b >= 0xa1 && b <= 0xbf && (isAsciiLetter(before) || isAsciiLetter(after))) this.tcvn3++;
      if (IS_VNI_TONE[b] ? before === ASCII_VOWEL : (b === 0xf1 || b === 0xd1) && !isLetter(before)) this.vni++;
      this.previous = b;
    }
  }

  /** Windows-1258 reads the file as Vietnamese: no undefined byte, and at most one odd byte in twenty. */
  get plausible1258(): boolean {
    return this.undefined1258 === 0 && this.odd * 20 <= this.vietnamese;
  }

  /** 'TCVN3' or 'VNI' when a fifth or more of the high bytes carry that encoding's marks. */
  get legacy(): 'TCVN3' | 'VNI' | undefined {
    const best = Math.max(this.tcvn3, this.vni);
    if (best < 2 || best * 5 < this.high) return undefined;
    return this.tcvn3 >= this.vni ? 'TCVN3' : 'VNI';
  }

  /** Follows the bytes as UTF-8 from a byte ≥ 0x80 that does not continue a character already checked. */
  private countUtf8(bytes: Uint8Array, i: number): void {
    if (this.utf8Skip > 0) {
      this.utf8Skip--;
      return;
    }
    const length = utf8Length(bytes, i);
    if (length === 0) {
      // A character cut off by the end of the file is not counted as invalid (see isUtf8File).
      if (this.firstInvalid === undefined && incompleteTail(bytes, bytes.length) !== bytes.length - i) {
        this.firstInvalid = { offset: this.offset, line: this.line };
      }
      return;
    }
    this.utf8Skip = length - 1;
    const b = bytes[i];
    const b1 = bytes[i + 1];
    const letter = (b >= 0xc3 && b <= 0xc6) || (b === 0xe1 && (b1 === 0xba || b1 === 0xbb));
    if (letter) {
      this.utf8Letters++;
      this.firstUtf8Letter ??= { offset: this.offset, line: this.line };
    }
  }
}

/** The length of the well-formed UTF-8 character at bytes[i] (a byte ≥ 0x80), or 0 when there is none. */
function utf8Length(bytes: Uint8Array, i: number): number {
  const b = bytes[i];
  const c = (k: number, low = 0x80, high = 0xbf) => i + k < bytes.length && bytes[i + k] >= low && bytes[i + k] <= high;
  if (b >= 0xc2 && b <= 0xdf) return c(1) ? 2 : 0;
  if (b >= 0xe0 && b <= 0xef) {
    const low = b === 0xe0 ? 0xa0 : 0x80;
    const high = b === 0xed ? 0x9f : 0xbf;
    return c(1, low, high) && c(2) ? 3 : 0;
  }
  if (b >= 0xf0 && b <= 0xf4) {
    const low = b === 0xf0 ? 0x90 : 0x80;
    const high = b === 0xf4 ? 0x8f : 0xbf;
    return c(1, low, high) && c(2) && c(3) ? 4 : 0;
  }
  return 0;
}


/** Counts every byte of the file (see ByteCounts): the slow path, for files that are not UTF-8 throughout. */
async function examineBytes(path: string): Promise<ByteCounts> {
  const counts = new ByteCounts();
  // Each piece is counted but for its last 4 bytes, which start the next: a character or a byte's neighbour may
  // lie across the cut.
  await scanPieces(path, 4, (buffer, length, ended) => {
    if (ended) {
      counts.count(buffer.subarray(0, length), length);
      return true;
    }
    const end = Math.max(0, length - 4);
    counts.count(buffer.subarray(0, length), end);
    return length - end;
  });
  return counts;
}

/** Decodes a file's chunks to text in order, as a streaming TextDecoder does. */
export interface ChunkDecoder {
  decode(bytes: Uint8Array): string;
  /** The text still held back, at the end of the file. */
  end(): string;
}

/**
 * A streaming decoder for the encoding. A BOM is kept (ignoreBOM) so that the reader drops the first one only.
 * Windows-1258 writes most toned letters as a vowel and a combining tone mark; its text is composed to NFC here,
 * holding back the last letter of a chunk in case the next chunk starts with its tone mark.
 */
export function chunkDecoder(encoding: string): ChunkDecoder {
  const decoder = new TextDecoder(encoding, { ignoreBOM: true });
  if (decoder.encoding !== 'windows-1258') {
    return { decode: (bytes) => decoder.decode(bytes, { stream: true }), end: () => decoder.decode() };
  }
  let held = '';
  return {
    decode: (bytes) => {
      const text = held + decoder.decode(bytes, { stream: true });
      let cut = text.length - 1;
      while (cut > 0 && isCombining(text.charCodeAt(cut))) cut--;
      held = text.slice(Math.max(cut, 0));
      return text.slice(0, Math.max(cut, 0)).normalize('NFC');
    },
    end: () => {
      const text = (held + decoder.decode()).normalize('NFC');
      held = '';
      return text;
    },
  };
}

const isCombining = (code: number) => code >= 0x300 && code <= 0x36f;
