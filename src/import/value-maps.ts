import { CHANNELS, parseChannel, type Channel } from '../domain/channels.ts';
import { parseStatus, STATUSES, type Status } from '../domain/statuses.ts';
import { matchKey } from '../domain/text.ts';
import { InputError } from './types.ts';

// Values an export writes in words of its own ("Kiosk", "Nộp qua Zalo"): a profile's "values" or
// --map-value "channel:Kiosk=truc_tiep" say what they mean. They are looked up before tthc's own vocabulary.

/** The fields whose values can be mapped: the closed vocabularies. */
export const MAPPABLE_FIELDS = ['channel', 'status'] as const;
export type MappableField = (typeof MAPPABLE_FIELDS)[number];

/** Field → word in the file → value (a code such as truc_tiep, or a word tthc knows such as "Trực tiếp"). */
export type ValueMaps = Partial<Record<MappableField, Record<string, string>>>;

/** The readers of the mapped fields: the user's words first, then tthc's vocabulary. */
export interface ValueReaders {
  channel(text: string): Channel | undefined;
  status(text: string): Status | undefined;
}

export const DEFAULT_VALUE_READERS: ValueReaders = { channel: parseChannel, status: parseStatus };

/** The value a mapped word stands for, or undefined when the target is neither a code nor a known word. */
function target(field: MappableField, value: string): Channel | Status | undefined {
  if (field === 'channel') return (CHANNELS as readonly string[]).includes(value) ? (value as Channel) : parseChannel(value);
  return (STATUSES as readonly string[]).includes(value) ? (value as Status) : parseStatus(value);
}

function allowed(field: MappableField): string {
  return (field === 'channel' ? CHANNELS : STATUSES).join(', ');
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
  const maps: ValueMaps = { channel: { ...base.channel }, status: { ...base.status } };
  for (const option of options) {
    const [field, word, value] = parseMapValueOption(option);
    maps[field]![word] = value;
  }
  return maps;
}

/** The readers for a file: its maps' words first, then tthc's vocabulary. */
export function valueReaders(maps: ValueMaps | undefined): ValueReaders {
  if (!maps || MAPPABLE_FIELDS.every((field) => Object.keys(maps[field] ?? {}).length === 0)) return DEFAULT_VALUE_READERS;
  const channels = new Map(Object.entries(maps.channel ?? {}).map(([word, value]) => [matchKey(word), target('channel', value) as Channel]));
  const statuses = new Map(Object.entries(maps.status ?? {}).map(([word, value]) => [matchKey(word), target('status', value) as Status]));
  return {
    channel: (text) => (channels.size ? channels.get(matchKey(text)) : undefined) ?? parseChannel(text),
    status: (text) => (statuses.size ? statuses.get(matchKey(text)) : undefined) ?? parseStatus(text),
  };
}
