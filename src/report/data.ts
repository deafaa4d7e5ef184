import type { Db } from '../db/connection.ts';
import type { Period } from '../domain/periods.ts';
import { computeStats } from '../stats/compute.ts';
import type { GroupKey, StatsFilters, StatsRow } from '../stats/types.ts';

/**
 * The statistics behind a report. Every figure of every sheet comes from computeStats, one call per grouping
 * and period (never per row); sheets that need the same grouping share one call.
 */
export class ReportData {
  private readonly cache = new Map<string, Promise<StatsRow[]>>();

  constructor(
    readonly db: Db,
    readonly period: Period,
    readonly filters: StatsFilters = {},
  ) {}

  stats(by: GroupKey[], period: Period = this.period): Promise<StatsRow[]> {
    const key = JSON.stringify([by, period.from, period.to]);
    let rows = this.cache.get(key);
    if (!rows) {
      rows = computeStats(this.db, { period, by, filters: this.filters });
      this.cache.set(key, rows);
    }
    return rows;
  }

  /** The one row of an ungrouped query: everything in the period. */
  async total(period: Period = this.period): Promise<StatsRow> {
    const [row] = await this.stats([], period);
    return row;
  }

  /** How many computeStats calls the report made (the benchmark checks it stays one per table). */
  get queryCount(): number {
    return this.cache.size;
  }
}
