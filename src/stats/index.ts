// The statistics of docs/rules.md: one implementation of the counting rules, used by `tthc stats`, `tthc dossiers`,
// the reports and the demo.
export { computeStats, normalizeBy, sortRows } from './compute.ts';
export { dataCoverage, dataSpan, fitToData, type DataCoverage, type DataSpan, type FitOptions, type FittedQuery, type UnitSpan } from './coverage.ts';
export { figureWarnings, MISSING_FIELDS, missingFields, missingFieldWarnings, type FieldWarning, type MissingField } from './missing-fields.ts';
export { checkQuery, reformWarnings, type CheckedQuery, type CheckOptions } from './warnings.ts';
export { listDossiers, type DossierRow } from './dossiers.ts';
export { FIGURE_PREDICATES, relevant, type PeriodRow, type Predicate } from './figures.ts';
export { DOSSIER_HEADERS, FIGURE_GROUP_LABELS, FIGURE_HEADERS, FIGURE_LABELS, KEY_HEADERS, type Figure } from './labels.ts';
export { ratesOf } from './rates.ts';
export { renderDossiers, renderStatsTable, type RenderFormat } from './render.ts';
export { subPeriodsOf, type SubPeriod } from './sub-periods.ts';
export * from './types.ts';
