import { memoizeText } from './memo.ts';
import { foldMarks, matchKey } from './text.ts';

// How offices shorten the names of fields (lĩnh vực) and units in exports, reports and on the command line,
// and a key under which a name and its shortened forms meet: "BHXH" and "Bảo hiểm xã hội", "TN&MT" and
// "Tài nguyên và Môi trường", "UBND X. Ấm Hạ" and "Ủy ban nhân dân xã Ấm Hạ".
//
// Every abbreviation here is written without a vowel, or as a run of initials that is no Vietnamese syllable,
// so a word of a name is never taken for one (a Vietnamese syllable always has a vowel letter: "xã" is a
// word, "X." is an abbreviation). An abbreviation with two meanings lists both; the filters that use these keys
// refuse a name that then matches two different values (src/domain/names.ts).

/** Abbreviations (as people write them, with or without "&", "-", "." and marks) and what they stand for. */
export type AbbreviationTable = ReadonlyArray<readonly [spellings: readonly string[], meanings: readonly string[]]>;

/** Fields (lĩnh vực): mostly the sectors of the ministries, as reports abbreviate them. */
export const FIELD_ABBREVIATIONS: AbbreviationTable = [
  [['BHXH'], ['Bảo hiểm xã hội']],
  [['BHYT'], ['Bảo hiểm y tế']],
  [['BHTN'], ['Bảo hiểm thất nghiệp']],
  [['LĐTBXH', 'LĐ-TB&XH', 'LĐTB&XH'], ['Lao động - Thương binh và Xã hội']],
  [['TN&MT', 'TNMT'], ['Tài nguyên và Môi trường']],
  // Tư pháp among fields; in unit names TP is first "thành phố" (UNIT_ABBREVIATIONS).
  [['TP'], ['Tư pháp']],
  [['GTVT'], ['Giao thông vận tải']],
  [['KH&ĐT', 'KHĐT'], ['Kế hoạch và Đầu tư']],
  [['KH&CN', 'KHCN'], ['Khoa học và Công nghệ']],
  [['NN&PTNT', 'NNPTNT'], ['Nông nghiệp và Phát triển nông thôn']],
  [['VHTT&DL', 'VHTTDL', 'VH-TT-DL', 'VHTT-DL'], ['Văn hóa, Thể thao và Du lịch']],
  [['GD&ĐT', 'GDĐT'], ['Giáo dục và Đào tạo']],
  [['YT'], ['Y tế']],
  [['CT'], ['Công Thương']],
  [['XD'], ['Xây dựng']],
  [['TC'], ['Tài chính']],
  [['KH'], ['Kế hoạch']],
  [['NV'], ['Nội vụ']],
  [['TT&TT', 'TTTT'], ['Thông tin và Truyền thông']],
  [['HT'], ['Hộ tịch']],
  [['BTXH'], ['Bảo trợ xã hội']],
  [['NCC'], ['Người có công']],
  [['ĐKKD'], ['Đăng ký kinh doanh']],
  [['TĐKT', 'TĐ-KT'], ['Thi đua - Khen thưởng']],
];

/** Units: the words of administrative names. TT is both "thị trấn" and "trung tâm" (Trung tâm Hành chính công). */
export const UNIT_ABBREVIATIONS: AbbreviationTable = [
  [['UBND'], ['Ủy ban nhân dân']],
  [['HĐND'], ['Hội đồng nhân dân']],
  [['TP', 'TP.'], ['thành phố', 'Tư pháp']],
  [['TX', 'TX.'], ['thị xã']],
  [['TT', 'TT.'], ['thị trấn', 'trung tâm']],
  [['P', 'P.'], ['phường']],
  [['X', 'X.'], ['xã']],
  [['Q', 'Q.'], ['quận']],
  [['H', 'H.'], ['huyện']],
  [['HCC'], ['hành chính công']],
  [['VP'], ['văn phòng']],
  [['BQL'], ['ban quản lý']],
];

/**
 * Field names that are known even when the data has none of them: what the abbreviations stand for and the
 * fields one-stop offices most often report. Leaving out such a field (--exclude-field) is no error when
 * the data has none of it; a name known nowhere is (a typo would otherwise leave it in silently).
 */
export const KNOWN_FIELDS: readonly string[] = [
  ...new Set([
    ...FIELD_ABBREVIATIONS.flatMap(([, meanings]) => meanings),
    'Hộ tịch', 'Chứng thực', 'Đất đai', 'Kinh doanh', 'Thương mại', 'Người có công', 'Bảo trợ xã hội',
    'Lao động - Việc làm', 'Việc làm', 'Giáo dục nghề nghiệp', 'Tôn giáo', 'Tín ngưỡng, tôn giáo', 'Dân tộc',
    'Thanh tra', 'Văn hóa', 'Thể thao', 'Du lịch', 'Gia đình', 'Nông nghiệp', 'Lâm nghiệp', 'Thủy lợi', 'Thủy sản',
    'Chăn nuôi', 'Trồng trọt', 'Thú y', 'Môi trường', 'Tài nguyên nước', 'Khoáng sản', 'Đo đạc và bản đồ',
    'Nhà ở', 'Quy hoạch xây dựng', 'Hoạt động xây dựng', 'Đường bộ', 'Đường thủy nội địa', 'Điện',
    'An toàn thực phẩm', 'Dược phẩm', 'Khám bệnh, chữa bệnh', 'Công chứng', 'Nuôi con nuôi', 'Quốc tịch',
    'Lý lịch tư pháp', 'Bồi thường nhà nước', 'Hòa giải ở cơ sở', 'Đăng ký biện pháp bảo đảm',
    'Thành lập và hoạt động doanh nghiệp', 'Thành lập và hoạt động của hợp tác xã', 'Đầu tư',
    'Công chức, viên chức', 'Văn thư và lưu trữ', 'Tổ chức phi chính phủ', 'Quản lý công sản', 'Phí, lệ phí',
    'Trẻ em', 'Phòng, chống tệ nạn xã hội', 'An toàn, vệ sinh lao động', 'Bưu chính', 'Viễn thông và Internet',
    'Xuất bản, in và phát hành', 'Phát thanh, truyền hình và thông tin điện tử',
  ]),
];

export type NameKind = 'field' | 'unit';

/** One word of a name: its possible readings, each a list of words (an abbreviation with two meanings has two). */
type Slot = string[][];

// Names repeat the same words (UBND, xã, Tân, Lập): each word is read once, even in a catalogue of thousands.
const abbreviationKey = memoizeText((text: string) => foldMarks(text).replace(/[^a-z0-9]/g, ''));
const wordKey = memoizeText(matchKey);
const foldedWord = memoizeText(foldMarks);
// What separates the parts of a name beside spaces: "TN&MT", "Lao động - Thương binh", "Văn hóa, Thể thao".
const CONNECTORS = /[&+\-–—,.;:/()]+/;
const AND = matchKey('và');
const FIELD_PREFIX = [matchKey('lĩnh'), matchKey('vực')];
/** A name with many ambiguous abbreviations gets its first readings only, beyond this many keys. */
const MAX_KEYS = 32;

function tableIndex(tables: AbbreviationTable[]): Map<string, string[][]> {
  const index = new Map<string, string[][]>();
  for (const table of tables) {
    for (const [spellings, meanings] of table) {
      for (const spelling of spellings) {
        const key = abbreviationKey(spelling);
        const readings = index.get(key) ?? [];
        for (const meaning of meanings) {
          const words = plainWords(meaning);
          if (!readings.some((r) => r.join(' ') === words.join(' '))) readings.push(words);
        }
        index.set(key, readings);
      }
    }
  }
  return index;
}

/** The words of a name in matchKey form, connectors and "và" left out. */
function plainWords(text: string): string[] {
  return text
    .normalize('NFC')
    .split(/\s+/)
    .flatMap((token) => token.split(CONNECTORS))
    .filter(Boolean)
    .map(wordKey)
    .filter((word) => word !== AND);
}

const INDEXES: Record<NameKind, Map<string, string[][]>> = {
  field: tableIndex([FIELD_ABBREVIATIONS]),
  // Unit names hold field abbreviations too ("Sở TN&MT", "Phòng TC-KH"); the unit readings come first.
  unit: tableIndex([UNIT_ABBREVIATIONS, FIELD_ABBREVIATIONS]),
};

function slots(text: string, kind: NameKind): Slot[] {
  const index = INDEXES[kind];
  const out: Slot[] = [];
  const add = (part: string) => {
    const readings = index.get(abbreviationKey(part));
    if (readings) out.push(readings);
    else for (const word of plainWords(part)) out.push([[word]]);
  };
  for (const token of text.normalize('NFC').split(/\s+/).filter(Boolean)) {
    // The whole token first ("TN&MT", "LĐ-TB&XH"), then its parts ("TC-KH" = "TC" and "KH").
    if (index.has(abbreviationKey(token))) add(token);
    else for (const part of token.split(CONNECTORS).filter(Boolean)) add(part);
  }
  if (kind === 'field' && out.length > 2 && out[0][0][0] === FIELD_PREFIX[0] && out[1][0][0] === FIELD_PREFIX[1]) {
    out.splice(0, 2); // "Lĩnh vực Hộ tịch" is the field "Hộ tịch".
  }
  return out;
}

/**
 * The keys of a name with its abbreviations expanded, in matchKey form (case, spaces, Unicode form and tone
 * placement do not matter), without "và", "&", "-", "," between the parts: "TN&MT", "Tài nguyên và Môi
 * trường" and "Tài nguyên - Môi trường" have the key "tài nguyên môi trường". A name with an abbreviation of
 * two meanings has a key for each; the first key is the name's most likely reading.
 */
export function nameKeys(text: string, kind: NameKind): string[] {
  let keys: string[][] = [[]];
  for (const slot of slots(text, kind)) {
    const readings = keys.length * slot.length > MAX_KEYS ? slot.slice(0, 1) : slot;
    keys = keys.flatMap((words) => readings.map((reading) => [...words, ...reading]));
  }
  return keys.map((words) => words.join(' '));
}

/** A key of nameKeys without marks, for names typed without a Vietnamese keyboard ("va" goes as "và" did). */
export function foldedKey(key: string): string {
  return key
    .split(' ')
    .map(foldedWord)
    .filter((word) => word !== 'va')
    .join(' ');
}
