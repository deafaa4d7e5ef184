import { matchKey, vocabulary } from './text.ts';

/** Authority levels: province, district (until 30/06/2025), commune. */
export const LEVELS = ['tinh', 'huyen', 'xa'] as const;
export type Level = (typeof LEVELS)[number];

export const LEVEL_LABELS: Record<Level, string> = { tinh: 'Cấp tỉnh', huyen: 'Cấp huyện', xa: 'Cấp xã' };

export const parseLevel = vocabulary<Level>([
  ['tinh', ['tinh', 'tỉnh', 'cấp tỉnh', 'province']],
  ['huyen', ['huyen', 'huyện', 'cấp huyện', 'district']],
  ['xa', ['xa', 'xã', 'cấp xã', 'commune']],
]);

// Names carry the level in practice (DOMAIN.md, "Levels and units"). Order matters: "UBND thành phố"
// is a district-level city, while "… tỉnh" at the end marks a provincial body.
const NAME_PATTERNS: Array<[RegExp, Level]> = [
  [/^(ubnd |ủy ban nhân dân )?(xã|phường|thị trấn) /, 'xa'],
  [/^(ubnd |ủy ban nhân dân )?(huyện|thị xã|thành phố|quận) /, 'huyen'],
  [/^(sở|ban|trung tâm|văn phòng ubnd tỉnh|công an tỉnh|ubnd tỉnh) /, 'tinh'],
  [/ tỉnh( |$)/, 'tinh'],
];
const NAME_PATTERN_KEYS = NAME_PATTERNS.map(
  ([re, level]) => [new RegExp(matchKeyPattern(re.source)), level] as const,
);

function matchKeyPattern(source: string): string {
  // Patterns are written in plain Vietnamese; give their words the same tone placement as matchKey.
  return source.replace(/[^\s|()^$?]+/g, (word) => matchKey(word));
}

export function inferLevelFromUnitName(name: string): Level | undefined {
  const key = matchKey(name);
  for (const [re, level] of NAME_PATTERN_KEYS) if (re.test(key)) return level;
  return undefined;
}
