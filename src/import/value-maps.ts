import { CHANNELS, parseChannel, type Channel } from '../domain/channels.ts';
import { parseStatus, STATUSES, type Status } from '../domain/statuses.ts';
import { matchKey } from '../domain/text.ts';
import { FLAG_FIELDS, parseSatisfaction, readFlag, SATISFACTIONS, type FlagField, type Satisfaction } from './indicator-values.ts';
import { InputError } from './types.ts';

// Values an export writes in words of its own ("Kiosk", "Nộp qua Zalo"): a profile's "values" or
// --map-value "channel:Kiosk=truc_tiep" say what they mean. They are looked up before tthc's own vocabulary.

/** The fields whose values can be mapped: the closed vocabularies. */
export const MAPPABLE_FIELDS = ['channel', 'status', 'satisfaction', ...FLAG_FIELDS] as const;
export type MappableField = (typeof MAPPABLE_FIELDS)[number];

/** Field → word in the file → value (a code such as truc_tiep, or a word tthc knows such as "Trực tiếp"). */
export type ValueMaps = Partial<Record<MappableField, Record<string, string>>>;

/** The readers of the mapped fields: the user's words first, then tthc's vocabulary. */
export interface ValueReaders {
  channel(text: string): Channel | undefined;
  status(text: string): Status | undefined;
  satisfaction(text: string): Satisfaction | undefined;
  /** A yes/no cell (readFlag): undefined when blank, null when unreadable. */
  flag(field: FlagField, value: string | number | boolean | undefined): boolean | null | undefined;
}

export const DEFAULT_VALUE_READERS: ValueReaders = { channel: parseChannel, status: parseStatus, satisfaction: parseSatisfaction, flag: readFlag };

/** A yes/no target: the codes yes and no, or a word tthc reads as one (Có, Không). */
const flagTarget = (field: FlagField, value: string): boolean | undefined => {
  const key = matchKey(value);
  if (key === 'yes' || key === 'no') return key === 'yes';
  return readFlag(field, value) ?? undefined;
};

/** The value a mapped word stands for, or undefined when the target is neither a code nor a known word. */
function target(field: MappableField, value: string): Channel | Status | Satisfaction | boolean | undefined {
  if (field === 'channel') return (CHANNELS as readonly string[]).includes(value) ? (value as Channel) : parseChannel(value);
  if (field === 'status') return (STATUSES as readonly string[]).includes(value) ? (value as Status) : parseStatus(value);
  if (field === 'satisfaction') return (SATISFACTIONS as readonly string[]).includes(value) ? (value as Satisfaction) : parseSatisfaction(value);
  return flagTarget(field, value);
}

function allowed(field: MappableField): string {
  if (field === 'channel') return CHANNELS.join(', ');
  if (field === 'status') return STATUSES.join(', ');
  if (field === 'satisfaction') return SATISFACTIONS.join(', ');
  return 'yes, no';
}

/** Checks value maps (from a profile or --map-value): every target must be a value tthc knows. */
export function checkValueMaps(maps: ValueMaps, source: string): void {
  for (const [field, words] of Object.entries(maps) as Array<[MappableField, Record<string, string>]>) {
    if (!(MAPPABLE_FIELDS as readonly string[]).includes(field)) {
      throw new InputError(source, `không ánh xạ được giá trị của trường "${field}": chỉ ${MAPPABLE_FIELDS.join(', ')}`);
    }
    for (const [word, value] of Object.entries(words)) {
      if (target(field, value) === undefined) {
        throw new InputError(source, `"${word}" → "${value}": ${field} phải là một trong ${allowed(field)}`);
      }
    }
  }
}

/** Reads one --map-value "field:word in file=value". */
export function parseMapValueOption(text: string): [MappableField, string, string] {
  const match = /^\s*([^:=]+?)\s*:(.+)=([^=]+)$/.exec(text);
  const field = match?.[1] as MappableField | undefined;
  if (!match || !field || !(MAPPABLE_FIELDS as readonly string[]).includes(field) || match[2].trim() === '') {
    throw new InputError('--map-value', `cần dạng "trường:giá trị trong tệp=giá trị" với trường là ${MAPPABLE_FIELDS.join(' hoặc ')} (nhận được "${text}")`);
  }
  const mapped: [MappableField, string, string] = [field, match[2].trim(), match[3].trim()];
  checkValueMaps({ [field]: { [mapped[1]]: mapped[2] } }, '--map-value');
  return mapped;
}

/** Value maps from --map-value options, added to (and taking precedence over) a profile's. */
export function mergeValueMaps(base: ValueMaps, options: readonly string[]): ValueMaps {
  const maps: ValueMaps = Object.fromEntries(MAPPABLE_FIELDS.map((field) => [field, { ...base[field] }]));
  for (const option of options) {
    const [field, word, value] = parseMapValueOption(option);
    maps[field]![word] = value;
  }
  return maps;
}

/** The readers for a file: its maps' words first, then tthc's vocabulary. */
export function valueReaders(maps: ValueMaps | undefined): ValueReaders {
  if (!maps || MAPPABLE_FIELDS.every((field) => Object.keys(maps[field] ?? {}).length === 0)) return DEFAULT_VALUE_READERS;
  const mapped = <T>(field: MappableField) =>
    new Map(Object.entries(maps[field] ?? {}).map(([word, value]) => [matchKey(word), target(field, value) as T]));
  const channels = mapped<Channel>('channel');
  const statuses = mapped<Status>('status');
  const satisfactions = mapped<Satisfaction>('satisfaction');
  const flags = new Map(FLAG_FIELDS.map((field) => [field, mapped<boolean>(field)]));
  return {
    channel: (text) => (channels.size ? channels.get(matchKey(text)) : undefined) ?? parseChannel(text),
    status: (text) => (statuses.size ? statuses.get(matchKey(text)) : undefined) ?? parseStatus(text),
    satisfaction: (text) => (satisfactions.size ? satisfactions.get(matchKey(text)) : undefined) ?? parseSatisfaction(text),
    flag: (field, value) => {
      const words = flags.get(field)!;
      if (words.size && value !== undefined && typeof value !== 'boolean') {
        const word = words.get(matchKey(String(value)));
        if (word !== undefined) return word;
      }
      return readFlag(field, value);
    },
  };
}
