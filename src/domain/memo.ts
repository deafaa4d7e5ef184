/**
 * Memoizes a one-argument function of text. Exports repeat the same few words (channels, statuses, units,
 * fields) on every row, so importing a million rows parses each distinct word once. Bounded, so that a column
 * of unique values cannot grow it without limit.
 */
export function memoizeText<T>(fn: (text: string) => T, limit = 10_000): (text: string) => T {
  const cache = new Map<string, T>();
  return (text: string) => {
    let value = cache.get(text);
    if (value === undefined && !cache.has(text)) {
      value = fn(text);
      if (cache.size >= limit) cache.clear();
      cache.set(text, value);
    }
    return value as T;
  };
}
