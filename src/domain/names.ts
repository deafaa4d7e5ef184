import { foldedKey, nameKeys, type NameKind } from './abbreviations.ts';
import { editDistance, isUnaccented, matchKey } from './text.ts';

// Finding the field or unit a person means by the name they typed: the name as stored, an abbreviation of it
// ("BHXH", "UBND X. Ấm Hạ"), or the name without marks ("UBND xa Am Ha"). A name that could mean two different
// values is never resolved to one of them in silence, and a name that means nothing comes back with the
// closest known names.

export type NameLookup<T> =
  /** One name, perhaps held by several items (the same unit name under two codes, two spellings of a field). */
  | { found: T[] }
  /** Two or more different names match: one item of each. */
  | { ambiguous: T[] }
  /** Nothing matches: the closest items, most similar first. */
  | { closest: T[] };

/** The similarity from which a name is offered as what the user may have meant (a typo scores above 0.5). */
const ALIKE = 0.25;

interface Entry<T> {
  item: T;
  exact: string;
  keys: string[];
  folded: string[];
}

/** The names of a list of items (fields present in the data, units of the catalogue), indexed once for lookups. */
export class NameIndex<T> {
  private readonly entries: Entry<T>[];

  constructor(
    items: readonly T[],
    private readonly nameOf: (item: T) => string,
    private readonly kind: NameKind,
  ) {
    this.entries = items.map((item) => {
      const name = nameOf(item);
      const keys = nameKeys(name, kind);
      return { item, exact: matchKey(name), keys, folded: keys.map(foldedKey) };
    });
  }

  /**
   * The items a typed name means: by exact name (as matchKey compares) first; else by abbreviations and
   * connectors expanded; else, for a name typed without any mark, by the names without marks.
   */
  lookUp(wanted: string): NameLookup<T> {
    const exact = matchKey(wanted);
    const same = this.entries.filter((e) => e.exact === exact);
    if (same.length) return { found: same.map((e) => e.item) };

    const keys = nameKeys(wanted, this.kind);
    const byKeys = this.entries.filter((e) => e.keys.some((k) => keys.includes(k)));
    if (byKeys.length) return this.oneName(byKeys);

    if (isUnaccented(wanted)) {
      const folded = keys.map(foldedKey);
      const byFolded = this.entries.filter((e) => e.folded.some((k) => folded.includes(k)));
      if (byFolded.length) return this.oneName(byFolded);
    }
    return { closest: this.closest(wanted) };
  }

  /** The items of one name, or the ambiguity: names differ when their first keys do ("Hòa" and "Hóa" do). */
  private oneName(entries: Entry<T>[]): NameLookup<T> {
    const byName = new Map<string, Entry<T>>();
    for (const e of entries) if (!byName.has(e.keys[0])) byName.set(e.keys[0], e);
    return byName.size === 1 ? { found: entries.map((e) => e.item) } : { ambiguous: [...byName.values()].map((e) => e.item) };
  }

  /**
   * The most similar names (shared words and edit distance, on names without marks), one item per name: those
   * alike enough to be what was meant, or, when none is, the first few so that the user sees what there is.
   */
  closest(wanted: string, count = 5): T[] {
    const key = nameKeys(wanted, this.kind)[0] ?? '';
    const target = foldedKey(key);
    const seen = new Set<string>();
    const ranked = this.entries
      // Names alike without marks are ordered by how alike they are with them ("Ấm Hà": "Ấm Hạ" before "Âm Hà").
      .map((e) => ({ e, score: similarity(target, e.folded[0]), marked: similarity(key, e.keys[0]) }))
      .sort((a, b) => b.score - a.score || b.marked - a.marked || this.nameOf(a.e.item).localeCompare(this.nameOf(b.e.item), 'vi'))
      .filter(({ e }) => !seen.has(e.keys[0]) && seen.add(e.keys[0]));
    const alike = ranked.filter(({ score }) => score >= ALIKE);
    return (alike.length ? alike : ranked).slice(0, count).map(({ e }) => e.item);
  }
}

/**
 * How alike two names are, from 0 to 1: half the share of the typed name's words found in the other name (a
 * name typed in part, "Ấm Hạ", is close to "UBND xã Ấm Hạ"), half one minus the edit distance over the longer
 * length (a typo, "Đất đia", is close to "Đất đai").
 */
export function similarity(typed: string, name: string): number {
  const words = typed.split(' ').filter(Boolean);
  const nameWords = new Set(name.split(' '));
  const shared = words.length ? words.filter((w) => nameWords.has(w)).length / words.length : 0;
  const longer = Math.max([...typed].length, [...name].length, 1);
  return (shared + (1 - editDistance(typed, name) / longer)) / 2;
}
