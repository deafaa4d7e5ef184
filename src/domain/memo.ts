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
      cache.set(ownCopy(text), value);
    }
    return value as T;
  };
}

/**
 * A copy of a string that does not share memory with the text it was cut from. Readers cut cells out of large
 * chunks of the file; a value kept for long (a code that tells repeated dossiers, a memoized word, a summary
 * key) would otherwise keep its whole chunk alive, and with it much of the file.
 */
export function ownCopy(text: string): string {
  return Buffer.from(text, 'utf8').toString('utf8');
}
