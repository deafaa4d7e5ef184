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

// Names carry the level in practice (docs/rules.md, "Levels and units"). Since 1 July 2025 one-stop work is done by
// public-service centres and offices named after their area ("Trung tâm Phục vụ hành chính công xã Ấm Hạ",
// "Bộ phận Một cửa UBND phường Việt Trì", "Công an xã …"): the level is read from the administrative word that
// names the unit's area, wherever it stands in the name. Provincial bodies come first: a department, or a
// provincial body's branch named after a district ("Chi nhánh Văn phòng đăng ký đất đai huyện X"), is tỉnh.
const PROVINCIAL_BODY = new RegExp(
  matchKeyPattern('^(sở|chi nhánh|văn phòng đăng ký đất đai|văn phòng ubnd tỉnh|văn phòng ủy ban nhân dân tỉnh|ban quản lý)( |$)'),
);
// An area word followed by the area's name; "xã hội" (Bảo hiểm xã hội) is not a commune. Longer words first.
const AREA_WORD = new RegExp(
  matchKeyPattern('(?:^| )(thị xã|thị trấn|thành phố|tp\\.?|tx\\.?|đặc khu|phường|quận|huyện|tỉnh|xã)(?= )(?! hội( |$))'),
);
const AREA_LEVEL: Record<string, Level> = Object.fromEntries(
  ([
    ['thị xã', 'huyen'], ['tx', 'huyen'], ['tx.', 'huyen'], ['thị trấn', 'xa'], ['thành phố', 'huyen'], ['tp', 'huyen'],
    ['tp.', 'huyen'], ['đặc khu', 'xa'], ['phường', 'xa'], ['quận', 'huyen'], ['huyện', 'huyen'], ['tỉnh', 'tinh'], ['xã', 'xa'],
  ] as Array<[string, Level]>).map(([word, level]) => [matchKey(word), level]),
);
// The centrally-run cities are provinces: "UBND thành phố Hà Nội" is tỉnh, "UBND thành phố Việt Trì" huyện.
const PROVINCIAL_CITY = new RegExp(
  matchKeyPattern('(?:^| )(thành phố|tp\\.?) (hà nội|hồ chí minh|hải phòng|đà nẵng|cần thơ|huế)( |$)'),
);
// A name without an area word: a centre or board of the province ("Trung tâm Phục vụ hành chính công").
const PROVINCIAL_FALLBACK = new RegExp(matchKeyPattern('^(trung tâm|ban|công an tỉnh|ubnd tỉnh) '));

function matchKeyPattern(source: string): string {
  // Patterns are written in plain Vietnamese; give their words the same tone placement as matchKey.
  return source.replace(/[^\s|()^$?:=!\\.]+/g, (word) => matchKey(word));
}

export function inferLevelFromUnitName(name: string): Level | undefined {
  const key = matchKey(name);
  if (PROVINCIAL_BODY.test(key) || PROVINCIAL_CITY.test(key)) return 'tinh';
  const area = AREA_WORD.exec(key);
  if (area) return AREA_LEVEL[area[1]];
  return PROVINCIAL_FALLBACK.test(key) ? 'tinh' : undefined;
}
