import { expect, it } from 'vitest';
import { CodeIndex } from '../../src/import/code-index.ts';

// The parse's index of the codes met in a file (src/import/code-index.ts) must answer exactly as a Map of
// strings would, for any codes: long or short, non-ASCII, differing in one character, added in any number.

function codeOf(n: number): string {
  // Codes of every shape the exports use, and some no export would: Vietnamese letters, surrogate pairs,
  // prefixes of one another, very long ones.
  switch (n % 6) {
    case 0:
      return `H35.${n}-240101-${String(n).padStart(4, '0')}`;
    case 1:
      return `${n}`;
    case 2:
      return `Hồ sơ số ${n} — Đăng ký`;
    case 3:
      return `𝔥${n}😀`;
    case 4:
      return `H35.${Math.floor(n / 6)}-240101-${String(Math.floor(n / 6)).padStart(4, '0')}`.slice(0, 12);
    default:
      return `X`.repeat(n % 300) + n;
  }
}

it('answers as a Map: every code found with its first number, codes never added absent', () => {
  const index = new CodeIndex();
  const reference = new Map<string, number>();
  // Pseudo-random order with repeats, enough codes to grow every array several times.
  let state = 12345;
  const next = () => (state = (Math.imul(state, 1103515245) + 12345) >>> 0);
  for (let i = 0; i < 200_000; i++) {
    const code = codeOf(next() % 120_000);
    expect(index.firstOrAdd(code, i)).toBe(reference.get(code) ?? -1);
    if (!reference.has(code)) reference.set(code, i);
  }
  expect(index.size).toBe(reference.size);
  for (const [code, number] of reference) expect(index.get(code)).toBe(number);
  for (let n = 120_000; n < 121_000; n++) {
    const code = codeOf(n);
    if (!reference.has(code)) expect(index.get(code)).toBeUndefined();
  }
  expect(index.get('')).toBeUndefined();
  expect(index.firstOrAdd('', 7)).toBe(-1);
  expect(index.firstOrAdd('', 8)).toBe(7);
});
