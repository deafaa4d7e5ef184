import type { Channel } from '../domain/channels.ts';
import type { Level } from '../domain/levels.ts';
import type { Period } from '../domain/periods.ts';
import { UserError } from '../domain/errors.ts';

/** The counts of the counting rules' (docs/rules.md) counting rules, by the names used from SQL to JSON to the Excel headers. */
export const COUNT_FIGURES = [
  'receivedDirect', 'receivedOnline', 'receivedPostal', 'receivedLienThong', 'receivedTotal',
  'carriedOver',
  'resolvedEarly', 'resolvedOnTime', 'resolvedLate', 'resolvedRejected', 'resolvedTotal',
  'withdrawn',
  'pendingTotal', 'pendingOnTime', 'pendingOverdue',
] as const;
export type CountFigure = (typeof COUNT_FIGURES)[number];

export const RATE_FIGURES = ['onTimeRate', 'onlineRate', 'directShare', 'onlineShare', 'postalShare', 'lienThongShare'] as const;
export type RateFigure = (typeof RATE_FIGURES)[number];

/**
 * The counts of QĐ 766's progress indicator (docs/rules.md, "Progress by QĐ 766"): handled = ended in the period
 * (any ended status) + pending at its end; in time = ended on or before the due day, or pending and not overdue.
 * Not in the summary by half-month: a query asks for them (StatsQuery.progress766) and reads the dossiers.
 */
export const PROGRESS_766_COUNTS = ['handled766', 'inTime766'] as const;
export type Progress766Count = (typeof PROGRESS_766_COUNTS)[number];
/** progressRate766 = inTime766 / handled766; progressPoints766 = 20 × that rate (QĐ 766's 20 points). */
export const PROGRESS_766_RATES = ['progressRate766', 'progressPoints766'] as const;
export type Progress766Rate = (typeof PROGRESS_766_RATES)[number];
export const PROGRESS_766_FIGURES = [...PROGRESS_766_COUNTS, ...PROGRESS_766_RATES] as const;
/**
 * The on-time rate over the dossiers due in the period (docs/rules.md, "On-time rate over the dossiers due"):
 * due = due day in the period, withdrawn ones aside; on time = of those, a result early or on time. Not in the
 * summary by half-month either: a query asks for them (StatsQuery.dueBasis).
 */
export const DUE_COUNTS = ['dueTotal', 'dueOnTime'] as const;
export type DueCount = (typeof DUE_COUNTS)[number];
export const DUE_FIGURES = [...DUE_COUNTS, 'dueOnTimeRate'] as const;
/**
 * The counts behind QĐ 766's other indicators that exports can give (docs/index-766.md, "The other indicators"):
 * each rate's numerator and denominator, the denominator holding only dossiers whose export said (a known value
 * of the column), so that a rate is null where the data lacks the column, never 0. Not in the summary by
 * half-month: a query asks for them (StatsQuery.indicators766) and reads the dossiers.
 */
export const INDICATOR_766_COUNTS = [
  'receivedFullOnline', 'fullOnlineEligible',
  'paidOnline', 'withFee',
  'digitised', 'digitisedBase',
  'electronicResult', 'electronicResultBase',
  'dissatisfied', 'satisfactionBase',
] as const;
export type Indicator766Count = (typeof INDICATOR_766_COUNTS)[number];
/** The rates of those counts, by the names the profile's `rate` fields give (reports/index-766.json). */
export const INDICATOR_766_RATES = ['fullOnlineRate', 'onlinePaymentRate', 'digitisedRate', 'electronicResultRate', 'satisfactionRate'] as const;
export type Indicator766Rate = (typeof INDICATOR_766_RATES)[number];
export const INDICATOR_766_FIGURES = [...INDICATOR_766_COUNTS, ...INDICATOR_766_RATES] as const;
export type Indicator766Figures = Record<Indicator766Count, number> & Record<Indicator766Rate, number | null>;
/**
 * The average processing time in working days (docs/rules.md, "Processing time"): over the dossiers resolved in
 * the period, the mean of their stored working days from receipt (not counted) to the end of processing. Read
 * from the dossiers (StatsQuery.processingTime); null when nothing was resolved.
 */
export const PROCESSING_FIGURES = ['avgProcessingDays'] as const;
/** Every count a SQL condition of src/stats/figures.ts defines. */
export type DossierFigure = CountFigure | Progress766Count | DueCount | Indicator766Count;

export type Counts = Record<CountFigure, number>;
export type Progress766Counts = Record<Progress766Count, number>;
/** The progress figures of a row; progressRate766 and progressPoints766 null when nothing was handled. */
export type Progress766 = Progress766Counts & Record<Progress766Rate, number | null>;
export type DueFigures = Record<DueCount, number> & { dueOnTimeRate: number | null };

/** The bases of an on-time rate (--on-time-basis): resolved (onTimeRate), QĐ 766 (progressRate766), due (dueOnTimeRate). */
export const ON_TIME_BASES = ['resolved', '766', 'due'] as const;
export type OnTimeBasis = (typeof ON_TIME_BASES)[number];
/** Unrounded fractions from 0 to 1, or null when the denominator is 0. */
export type Rates = Record<RateFigure, number | null>;

/** Keys a query can group by. year and month split the period; the others group dossiers. */
export const GROUP_KEYS = ['year', 'month', 'level', 'unit', 'receiving-unit', 'field', 'procedure', 'channel'] as const;
export type GroupKey = (typeof GROUP_KEYS)[number];

export interface StatsFilters {
  level?: Level[];
  /** Unit codes or names, matched as the importer matches names. */
  unit?: string[];
  field?: string[];
  excludeField?: string[];
  /** Receiving units (Nơi tiếp nhận) by name, matched against the names stored (docs/reform.md). */
  receivingUnit?: string[];
  /**
   * Count each dossier under the unit its unit had become on this day ('yyyy-MM-dd'): the catalogue's validity
   * and successors (src/units/chain.ts). Without it, figures are by the units of the time.
   */
  unitsAsOf?: string;
}

export interface StatsQuery {
  period: Period;
  by?: GroupKey[];
  filters?: StatsFilters;
  /**
   * Set by fitToData when it cut the period at the data's last day (period.to): the period as asked. No dossier
   * of the selected units was received or ended after period.to, which lets computeStats answer from the
   * summary by half-month; rows whose sub-period the cut shortened carry cutAtDataEnd.
   */
  uncut?: Period;
  /**
   * Also count QĐ 766's progress figures (PROGRESS_766_FIGURES) in every row. The summary by half-month does not
   * hold them, so such a query reads the dossiers: slower on a large database.
   */
  progress766?: boolean;
  /** Also count the on-time rate over the dossiers due in the period (DUE_FIGURES); read from the dossiers too. */
  dueBasis?: boolean;
  /** Also count QĐ 766's other indicators (INDICATOR_766_FIGURES); read from the dossiers too. */
  indicators766?: boolean;
  /** Also average the working days of the dossiers resolved in the period (PROCESSING_FIGURES); read from the dossiers too. */
  processingTime?: boolean;
}

/** One group: its keys (only those grouped by), its period, every count and every rate. */
export interface StatsRow extends Counts, Rates, Partial<Progress766>, Partial<DueFigures>, Partial<Indicator766Figures> {
  year?: number;
  /** 'yyyy-MM' */
  month?: string;
  level?: Level;
  unitCode?: string;
  unitName?: string;
  /** Where the dossiers were received (--by receiving-unit); null for dossiers whose export did not say. */
  receivingUnit?: string | null;
  field?: string | null;
  procedure?: string | null;
  channel?: Channel | null;
  from: string;
  to: string;
  /** Present (true) when the period was cut at the data's last day, `to` (fitToData). */
  cutAtDataEnd?: true;
  /** Average working days from receipt to the end of processing of the dossiers resolved (StatsQuery.processingTime). */
  avgProcessingDays?: number | null;
  /** What the row's figures cannot show by themselves, one Vietnamese line each (src/domain/reform.ts, levelNote). */
  notes?: string[];
}

/** A query that cannot be answered as asked (unknown unit or field): a user's error, printed as one line. */
export class StatsQueryError extends UserError {}
