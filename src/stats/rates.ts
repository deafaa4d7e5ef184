import type { Counts, Rates } from './types.ts';

const share = (part: number, whole: number): number | null => (whole === 0 ? null : part / whole);

/**
 * The rates of docs/rules.md from the counts, unrounded. The on-time rate keeps rejected dossiers in the
 * denominator (Hạ Hoà 2022: (7.866 + 4.494) / 12.623 = 97,9 %); shares are of the new receipts, the online rate
 * being the online share. null when the denominator is 0.
 */
export function ratesOf(counts: Counts): Rates {
  return {
    onTimeRate: share(counts.resolvedEarly + counts.resolvedOnTime, counts.resolvedTotal),
    onlineRate: share(counts.receivedOnline, counts.receivedTotal),
    directShare: share(counts.receivedDirect, counts.receivedTotal),
    onlineShare: share(counts.receivedOnline, counts.receivedTotal),
    postalShare: share(counts.receivedPostal, counts.receivedTotal),
    lienThongShare: share(counts.receivedLienThong, counts.receivedTotal),
  };
}

/**
 * Hồ sơ nhận giải quyết: new receipts + carried over (docs/rules.md, "To be handled"). It is also what the
 * Hạ Hoà sentence "đã tiếp nhận, giải quyết N hồ sơ" counts.
 */
export function toHandle(counts: Pick<Counts, 'receivedTotal' | 'carriedOver'>): number {
  return counts.receivedTotal + counts.carriedOver;
}
