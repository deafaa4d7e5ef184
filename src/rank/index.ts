// The ranking of units by the QĐ 766 index (docs/index-766.md), used by `tthc rank` and the report's sheet.
export { RANKABLE_RATES, rankUnits766, type Ranking, type RankedIndicator, type RankedUnit } from './rank.ts';
export { classesLine, missingIndicators, rankingBasis, renderRanking } from './render.ts';
