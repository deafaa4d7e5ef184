import { memoizeText } from './memo.ts';

// Matching keys for Vietnamese text typed by people: exports differ in case, spacing, Unicode form (NFC/NFD)
// and in where the tone mark sits ("Hoà" vs "Hòa", "Thuỷ" vs "Thủy"). Two strings that a Vietnamese reader
// takes for the same word get the same key; strings that differ in a letter or a tone do not.

// The five tone marks as combining characters: grave, acute, tilde, hook above, dot below.
const TONE_MARKS = /[\u0300\u0301\u0303\u0309\u0323]/g;

/** A key for comparing names and headers: lower case, single spaces, tone mark moved to the end of each word. */
export function matchKey(text: string): string {
  const words = text
    .normalize('NFD')
    .toLowerCase()
    .replace(/[\s\u00a0]+/g, ' ')
    .trim()
    .split(' ');
  return words
    .map((word) => {
      const tones = word.match(TONE_MARKS);
      return tones ? word.replace(TONE_MARKS, '') + tones.join('') : word;
    })
    .join(' ')
    .normalize('NFC');
}

/** Text as stored: NFC, trimmed, inner white space folded, no control characters; empty becomes undefined. */
export function cleanText(value: unknown): string | undefined {
  if (value === null || value === undefined) return undefined;
  const text = String(value);
  // Most cells are plain ASCII codes and dates already in shape: skip the Unicode work for them.
  if (PLAIN.test(text)) return text;
  return cleanUnicode(text);
}

const PLAIN = /^[\x21-\x7e]+(?: [\x21-\x7e]+)*$/;
const cleanUnicode = memoizeText((text: string) => {
  const cleaned = text
    .replace(LONE_SURROGATE, '\ufffd')
    .normalize('NFC')
    .replace(/[\s\u00a0]+/g, ' ')
    .replace(CONTROL, '')
    .trim();
  return cleaned === '' ? undefined : cleaned;
});
// A lone surrogate (an XML cell can hold one as &#xD800;) is not text a database stores as it is: SQLite and
// PostgreSQL each give back something else, and a code read again would no longer match itself. Control
// characters (other than the spaces folded above) are invisible garbage from copy and paste.
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;
const CONTROL = /[\u0000-\u001f\u007f]/g;

/**
 * A reader of a closed vocabulary (channels, statuses, levels) from the words exports use for each value:
 * matched by matchKey, each distinct spelling looked up once.
 */
export function vocabulary<T>(words: Array<[T, string[]]>): (text: string) => T | undefined {
  const byKey = new Map<string, T>();
  for (const [value, spellings] of words) for (const spelling of spellings) byKey.set(matchKey(spelling), value);
  return memoizeText((text: string) => byKey.get(matchKey(text)));
}

/**
 * Text without its Vietnamese marks, in lower case ("Đất đai" → "dat dai"): how people type names without a
 * Vietnamese keyboard. Many words share a folded form (xã, xa; Hòa, Hóa), so a match by it must be checked
 * for ambiguity.
 */
export function foldMarks(text: string): string {
  return text.normalize('NFD').replace(/\p{M}/gu, '').replace(/[đĐ]/g, 'd').toLowerCase().normalize('NFC');
}

/** Whether text has no letter outside ASCII: typed without Vietnamese marks. */
export function isUnaccented(text: string): boolean {
  return /^[\x00-\x7f]*$/.test(text.normalize('NFC'));
}

/** The Levenshtein distance: the fewest one-character insertions, deletions and substitutions from a to b. */
export function editDistance(a: string, b: string): number {
  const x = [...a];
  const y = [...b];
  let previous = Array.from({ length: y.length + 1 }, (_, j) => j);
  for (let i = 1; i <= x.length; i++) {
    const current = [i];
    for (let j = 1; j <= y.length; j++) {
      current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (x[i - 1] === y[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[y.length];
}
