import type { Level } from '../domain/levels.ts';

// What the demo data must reproduce, without Bảo hiểm xã hội: the figures the Hạ Hoà report (UBND huyện Hạ Hoà,
// May 2023, sections 2.4.3 and 3.3) publishes for each year and level. Only the figures that are consistent
// with each other are targets: new receipts by channel and the resolved counts. Carried-over and pending follow
// from the generated data (flow identity), with the pending at 25/05/2023 brought to the published one where
// the other figures allow it.

export const DEMO_DISTRICT = 'Hạ Hoà';
/** The exports are as of this day: nothing is received or ends after it. */
export const AS_OF = '2023-05-25';
export const EXCLUDED_FIELD = 'Bảo hiểm xã hội';

export interface PeriodTarget {
  from: string;
  to: string;
  received: { direct: number; online: number; lienThong: number };
  resolved: { early: number; onTime: number; late: number; rejected: number };
  /** Not published; a few per year so that the figure shows in the tables. */
  withdrawn: number;
}

export interface LevelTarget {
  periods: PeriodTarget[];
  /** Published pending at 25/05/2023: the carried-over into 2020 is chosen to reach it when it can. */
  pendingAtEnd: number;
  /** Procedures the level offers at mức độ 2 / 3 / 4 (toàn trình). */
  catalogue: { level2: number; level3: number; level4: number };
}

const period = (
  from: string, to: string,
  [direct, online, lienThong]: [number, number, number],
  [early, onTime, late, rejected]: [number, number, number, number],
  withdrawn: number,
): PeriodTarget => ({ from, to, received: { direct, online, lienThong }, resolved: { early, onTime, late, rejected }, withdrawn });

export const TARGETS: Record<Exclude<Level, 'tinh'>, LevelTarget> = {
  huyen: {
    periods: [
      period('2020-01-01', '2020-12-31', [10604, 35, 0], [9787, 523, 45, 0], 3),
      period('2021-01-01', '2021-12-31', [4935, 6186, 0], [8997, 1947, 47, 0], 4),
      period('2022-01-01', '2022-12-31', [486, 9317, 2889], [7866, 4494, 114, 149], 5),
      period('2023-01-01', AS_OF, [118, 2202, 1644], [3384, 455, 85, 92], 2),
    ],
    pendingAtEnd: 227,
    catalogue: { level2: 109, level3: 111, level4: 52 },
  },
  xa: {
    periods: [
      period('2020-01-01', '2020-12-31', [65506, 16, 0], [65463, 0, 20, 35], 2),
      period('2021-01-01', '2021-12-31', [26682, 7669, 0], [34246, 0, 85, 5], 3),
      period('2022-01-01', '2022-12-31', [19914, 13899, 0], [33443, 0, 272, 20], 3),
      period('2023-01-01', AS_OF, [4455, 5867, 0], [10633, 0, 23, 6], 1),
    ],
    pendingAtEnd: 56,
    catalogue: { level2: 69, level3: 56, level4: 15 },
  },
};

export const receivedOf = (p: PeriodTarget) => p.received.direct + p.received.online + p.received.lienThong;
export const endedOf = (p: PeriodTarget) =>
  p.resolved.early + p.resolved.onTime + p.resolved.late + p.resolved.rejected + p.withdrawn;

/**
 * The pending at the end of each period when `carried` dossiers are carried into the first one:
 * pending = carried + new receipts − resolved − withdrawn, period after period.
 */
export function pendingChain(target: LevelTarget, carried: number): number[] {
  const out: number[] = [];
  let pending = carried;
  for (const p of target.periods) {
    pending += receivedOf(p) - endedOf(p);
    out.push(pending);
  }
  return out;
}

/**
 * Dossiers carried into the first period: the fewest that keep every pending at or above zero and reach the
 * published pending at the end when possible (communes: 2023 resolves more than it receives, so late-2019
 * dossiers are needed; the district's published pending cannot be reached, so it carries none).
 */
export function carriedIntoFirst(target: LevelTarget): number {
  const chain = pendingChain(target, 0);
  const lowest = Math.min(0, ...chain);
  return Math.max(0, -lowest, target.pendingAtEnd - chain[chain.length - 1]);
}
