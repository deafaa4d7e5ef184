import type { Db } from '../db/connection.ts';
import type { Period } from '../domain/periods.ts';
import { computeStats } from '../stats/compute.ts';
import { missingFieldWarnings, type FieldWarning } from '../stats/missing-fields.ts';
import type { CountFigure, GroupKey, StatsFilters, StatsRow } from '../stats/types.ts';

export interface ReportDataOptions {
  /** The period as asked, when fitToData cut it at the data's last day (StatsQuery.uncut). */
  uncut?: Period;
  /** Warnings about the data's span over the report's period (fitToData), written under every table of it. */
  coverage?: string[];
}

/**
 * The statistics behind a report. Every figure of every sheet comes from computeStats, one call per grouping
 * and period (never per row); sheets that need the same grouping share one call.
 */
export class ReportData {
  private readonly cache = new Map<string, Promise<StatsRow[]>>();
  private readonly fields = new Map<string, Promise<FieldWarning[]>>();
  private readonly noted = new Set<string>();
  readonly uncut?: Period;
  readonly coverage: readonly string[];

  constructor(
    readonly db: Db,
    readonly period: Period,
    readonly filters: StatsFilters = {},
    options: ReportDataOptions = {},
  ) {
    this.uncut = options.uncut;
    this.coverage = options.coverage ?? [];
  }

  stats(by: GroupKey[], period: Period = this.period): Promise<StatsRow[]> {
    const key = JSON.stringify([by, period.from, period.to]);
    let rows = this.cache.get(key);
    if (!rows) {
      // The report's own period keeps its cut at the data's last day; other periods (--compare) are as given.
      const uncut = this.uncut && period.from === this.period.from && period.to === this.period.to ? { uncut: this.uncut } : {};
      rows = computeStats(this.db, { period, by, filters: this.filters, ...uncut });
      this.cache.set(key, rows);
    }
    return rows;
  }

  /** The one row of an ungrouped query: everything in the period. */
  async total(period: Period = this.period): Promise<StatsRow> {
    const [row] = await this.stats([], period);
    return row;
  }

  /**
   * The notes a table of these figures gets about what the data cannot tell: the data's span over the report's
   * period, then the columns its exports lacked (missingFieldWarnings over `period`). Each is also kept for
   * `warnings`.
   */
  async warningNotes(figures: readonly CountFigure[], period: Period = this.period, extra: readonly string[] = []): Promise<string[]> {
    const key = JSON.stringify([period.from, period.to]);
    let found = this.fields.get(key);
    if (!found) {
      // Reports group by level, so a file without a unit column always matters.
      found = missingFieldWarnings(this.db, { period, by: ['level'], filters: this.filters });
      this.fields.set(key, found);
    }
    const lines = [
      ...new Set([...this.coverage, ...extra]),
      ...(await found).filter((w) => w.figures.some((f) => figures.includes(f))).map((w) => w.text),
    ];
    for (const line of lines) this.noted.add(line);
    return lines.map((line) => `Lưu ý: ${line}.`);
  }

  /** Every warning written under some table so far, once each. */
  get warnings(): string[] {
    return [...this.noted];
  }

  /** How many computeStats calls the report made (the benchmark checks it stays one per table). */
  get queryCount(): number {
    return this.cache.size;
  }
}
