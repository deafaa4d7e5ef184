import { mulberry32 } from '../../src/demo/random.ts';
/** mulberry32: a small, fast seeded PRNG; same seed, same sequence, on every machine. */
export function prng(seed: number): () => number {
  const random = mulberry32(seed);
  return () => random.next();
}

export type Random = () => number;

export const pick = <T>(random: Random, items: readonly T[]): T => items[Math.floor(random() * items.length)];

/** An index drawn by weight, from a cumulative weight table (last entry = total). */
export function pickWeighted(random: Random, cumulative: readonly number[]): number {
  const x = random() * cumulative[cumulative.length - 1];
  let lo = 0;
  let hi = cumulative.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (cumulative[mid] > x) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

export function cumulate(weights: readonly number[]): number[] {
  let sum = 0;
  return weights.map((w) => (sum += w));
}
