import type { Level } from '../domain/levels.ts';
import { COMMUNE_NAMES, DISTRICT_NAMES, fieldNames, type FieldNames } from './procedure-names.ts';
import { mulberry32 } from './random.ts';
import { EXCLUDED_FIELD, TARGETS } from './targets.ts';

// The demo district, modelled on Hạ Hoà (Phú Thọ): its one-stop office and 20 communes, and the procedures each
// level offers. Codes have the shape of the one-stop systems' agency codes (mã định danh); dossier codes are
// built from them.

export type DemoLevel = Exclude<Level, 'tinh'>;

export interface DemoUnit {
  code: string;
  name: string;
  level: DemoLevel;
  parentCode: string | null;
  /** Share of the level's dossiers (communes differ in size). */
  weight: number;
}

const DISTRICT_CODE = '000.00.18.H47';

const COMMUNES: Array<[string, number]> = [
  ['UBND thị trấn Hạ Hoà', 1.9], ['UBND xã Hiền Lương', 1.1], ['UBND xã Vô Tranh', 1.0], ['UBND xã Đại Phạm', 1.2],
  ['UBND xã Đan Thượng', 1.0], ['UBND xã Gia Điền', 0.9], ['UBND xã Hà Lương', 0.8], ['UBND xã Hương Xạ', 1.1],
  ['UBND xã Lâm Lợi', 0.7], ['UBND xã Lang Sơn', 0.8], ['UBND xã Minh Côi', 0.9], ['UBND xã Minh Hạc', 0.9],
  ['UBND xã Phụ Khánh', 0.7], ['UBND xã Tứ Hiệp', 0.8], ['UBND xã Văn Lang', 1.0], ['UBND xã Vĩnh Chân', 1.0],
  ['UBND xã Xuân Áng', 1.1], ['UBND xã Yên Kỳ', 0.8], ['UBND xã Ấm Hạ', 0.9], ['UBND xã Chuế Lưu', 0.8],
];

export const DISTRICT: DemoUnit = {
  code: DISTRICT_CODE, name: 'UBND huyện Hạ Hoà', level: 'huyen', parentCode: null, weight: 1,
};

export const COMMUNE_UNITS: DemoUnit[] = COMMUNES.map(([name, weight], i) => ({
  code: `000.${String(i + 1).padStart(2, '0')}.18.H47`,
  name,
  level: 'xa',
  parentCode: DISTRICT_CODE,
  weight,
}));

export const UNITS: DemoUnit[] = [DISTRICT, ...COMMUNE_UNITS];

export interface DemoProcedure {
  code: string;
  name: string;
  field: string;
  level: DemoLevel;
  /** Mức độ 2 / 3 / 4 (toàn trình). */
  onlineLevel: 2 | 3 | 4;
  /** Thời hạn giải quyết, in working days. */
  days: number;
  /** How often it is asked for, relative to the other procedures of its level (field share × rank in field). */
  weight: number;
}

interface FieldProfile {
  /** Share of the level's dossiers in this field. */
  share: number;
  /** Range of thời hạn giải quyết, in working days. */
  days: [number, number];
}

// Communes certify copies (chứng thực) and register births, marriages and deaths (hộ tịch) far more than they do
// anything else; the district handles land (đất đai), household businesses and licences.
const PROFILES: Record<DemoLevel, Record<string, FieldProfile>> = {
  huyen: {
    'Đất đai': { share: 34, days: [10, 30] },
    'Hộ tịch': { share: 7, days: [3, 10] },
    'Chứng thực': { share: 14, days: [1, 2] },
    'Kinh doanh': { share: 12, days: [3, 5] },
    'Xây dựng': { share: 6, days: [7, 15] },
    'Thương mại': { share: 3, days: [5, 15] },
    'Bảo trợ xã hội': { share: 7, days: [5, 15] },
    'Người có công': { share: 4, days: [5, 12] },
    'Giáo dục và Đào tạo': { share: 3, days: [5, 15] },
    'Lao động - Việc làm': { share: 2, days: [5, 10] },
    'Văn hóa - Thể thao - Du lịch': { share: 1.5, days: [5, 10] },
    'Nông nghiệp - Phát triển nông thôn': { share: 2, days: [5, 15] },
    'Tài nguyên và Môi trường': { share: 1.5, days: [5, 20] },
    'Tư pháp': { share: 0.8, days: [3, 10] },
    'Nội vụ': { share: 1.2, days: [5, 15] },
    'Tôn giáo': { share: 0.3, days: [5, 20] },
    'Y tế': { share: 0.7, days: [5, 15] },
    'Giao thông vận tải': { share: 1, days: [5, 10] },
    'Bảo hiểm xã hội': { share: 0, days: [5, 10] },
  },
  xa: {
    'Chứng thực': { share: 52, days: [1, 2] },
    'Hộ tịch': { share: 27, days: [1, 5] },
    'Bảo trợ xã hội': { share: 6, days: [3, 10] },
    'Người có công': { share: 3, days: [3, 7] },
    'Đất đai': { share: 4, days: [3, 10] },
    'Tư pháp': { share: 0.8, days: [1, 5] },
    'Nông nghiệp - Phát triển nông thôn': { share: 1.5, days: [3, 7] },
    'Văn hóa - Thể thao - Du lịch': { share: 1, days: [3, 5] },
    'Nội vụ': { share: 1, days: [5, 10] },
    'Tôn giáo': { share: 0.3, days: [3, 10] },
    'Giáo dục và Đào tạo': { share: 0.6, days: [3, 5] },
    'Lao động - Việc làm': { share: 1.2, days: [3, 5] },
    'Xây dựng': { share: 0.3, days: [5, 10] },
    'Y tế': { share: 0.6, days: [3, 5] },
    'Bảo hiểm xã hội': { share: 0, days: [3, 5] },
  },
};

/**
 * The procedure catalogue of a level. It is the same for every seed: the online levels are handed out field
 * by field in turn, the most used procedure of each field first, so that every field has procedures at mức độ 4
 * and 3 (an online dossier needs one) and the totals are those the report publishes (district 109 / 111 / 52).
 */
export function proceduresOf(level: DemoLevel): DemoProcedure[] {
  const names: Record<string, FieldNames> = level === 'huyen' ? DISTRICT_NAMES : COMMUNE_NAMES;
  const random = mulberry32(level === 'huyen' ? 2020 : 2021);
  const { level2, level3, level4 } = TARGETS[level].catalogue;
  const fields = Object.keys(names);
  const lists = fields.map((field) => fieldNames(names[field]));
  const total = lists.reduce((n, l) => n + l.length, 0);
  if (total !== level2 + level3 + level4) throw new Error(`demo catalogue ${level}: ${total} names`);

  // Round-robin order: rank 0 of every field, then rank 1, …
  const order: Array<[number, number]> = [];
  for (let rank = 0; order.length < total; rank++) {
    fields.forEach((_, f) => rank < lists[f].length && order.push([f, rank]));
  }
  const onlineLevel = new Map<string, 2 | 3 | 4>();
  order.forEach(([f, rank], i) => onlineLevel.set(`${f}/${rank}`, i < level4 ? 4 : i < level4 + level3 ? 3 : 2));

  const prefix = level === 'huyen' ? '2.00' : '1.00';
  const usedCodes = new Set<string>();
  const out: DemoProcedure[] = [];
  fields.forEach((field, f) => {
    const profile = PROFILES[level][field];
    if (!profile) throw new Error(`demo catalogue ${level}: no profile for ${field}`);
    const rankWeights = lists[f].map((_, rank) => 1 / (rank + 1) ** 1.2);
    const sum = rankWeights.reduce((a, b) => a + b, 0);
    lists[f].forEach((name, rank) => {
      let code: string;
      do code = `${prefix}${random.int(1000, 9999)}`;
      while (usedCodes.has(code));
      usedCodes.add(code);
      out.push({
        code,
        name,
        field,
        level,
        onlineLevel: onlineLevel.get(`${f}/${rank}`)!,
        days: random.int(profile.days[0], profile.days[1]),
        // Bảo hiểm xã hội dossiers are generated apart (generate.ts): their weight is among themselves.
        weight: field === EXCLUDED_FIELD ? rankWeights[rank] / sum : (profile.share * rankWeights[rank]) / sum,
      });
    });
  });
  return out;
}

export const PROCEDURES: Record<DemoLevel, DemoProcedure[]> = {
  huyen: proceduresOf('huyen'),
  xa: proceduresOf('xa'),
};
