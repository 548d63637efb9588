import type { VocabularyWord } from '../../store/search-index.js';

/** A synonym group found in the query: it covers `length` words from where it was looked up. */
export interface SynonymMatch {
  readonly length: number;
  /** Every phrase of the group, as words. */
  readonly phrases: readonly (readonly string[])[];
}

/** What the search knows about words: the indexed vocabulary and the synonym groups, ready for lookups. */
export interface SearchLexicon {
  /** Known as an indexed word, an inflection of one ("burgers"), or a synonym word ("coke"). */
  isKnown(word: string): boolean;
  /** Indexed words of the same inflection family ("onion" → ["onion", "onions"]). */
  indexedForms(word: string): readonly string[];
  /** `word` plus its plural forms, those that are indexed ("dessert" → ["dessert", "desserts"]). */
  indexedPlurals(word: string): readonly string[];
  /** True when some longer indexed word starts with `word` ("chee" → "cheeseburger"). */
  isPrefix(word: string): boolean;
  /** True when some item is named exactly these words (index words joined by a space). */
  isItemName(words: string): boolean;
  /** The longest synonym phrase starting at `words[start]`, compared by inflection family. */
  synonymAt(words: readonly string[], start: number): SynonymMatch | undefined;
}

/** The inflection family of a word: plural and singular endings cut ("fries", "fry" → "fr"). */
export function inflectionKey(word: string): string {
  if (word.length < 3) return word;
  return word.replace(/(?:ies|ie|es|e|y|(?<!s)s)$/u, '');
}

interface PhraseEntry {
  readonly keys: readonly string[];
  readonly group: number;
}

/** Builds the lexicon from the index's vocabulary, synonym groups and item names (space-joined words). */
export function createSearchLexicon(
  vocabulary: readonly VocabularyWord[],
  synonymGroups: readonly (readonly string[])[],
  itemNames: Iterable<string>,
): SearchLexicon {
  const names = new Set(itemNames);
  const indexed = new Set(vocabulary.filter((v) => v.docs > 0).map((v) => v.word));
  const known = new Set(vocabulary.map((v) => v.word));
  const sorted = [...indexed].sort();
  const forms = new Map<string, string[]>();
  for (const word of sorted) {
    const key = inflectionKey(word);
    forms.set(key, [...(forms.get(key) ?? []), word]);
  }
  const groups = synonymGroups.map((group) => group.map((phrase) => phrase.split(' ')));
  const { phrasesByFirstKey, synonymKeys } = indexPhrases(groups);
  return {
    isKnown(word) {
      const key = inflectionKey(word);
      return known.has(word) || forms.has(key) || synonymKeys.has(key);
    },
    indexedForms: (word) => forms.get(inflectionKey(word)) ?? [],
    indexedPlurals: (word) =>
      [word, `${word}s`, `${word}es`, word.endsWith('y') ? `${word.slice(0, -1)}ies` : ''].filter((form) =>
        indexed.has(form),
      ),
    isPrefix: (word) => startsLongerWord(sorted, word),
    isItemName: (words) => names.has(words),
    synonymAt(words, start) {
      const entries = phrasesByFirstKey.get(inflectionKey(words[start] ?? '')) ?? [];
      const entry = entries.find((e) =>
        e.keys.every((key, i) => inflectionKey(words[start + i] ?? '') === key),
      );
      return entry === undefined
        ? undefined
        : { length: entry.keys.length, phrases: groups[entry.group] ?? [] };
    },
  };
}

/** Synonym phrases by the inflection key of their first word, longest first, and every key they use. */
function indexPhrases(groups: readonly (readonly (readonly string[])[])[]) {
  const phrasesByFirstKey = new Map<string, PhraseEntry[]>();
  const synonymKeys = new Set<string>();
  groups.forEach((group, index) => {
    for (const words of group) {
      const keys = words.map(inflectionKey);
      const first = keys[0] ?? '';
      phrasesByFirstKey.set(first, [...(phrasesByFirstKey.get(first) ?? []), { keys, group: index }]);
      for (const key of keys) synonymKeys.add(key);
    }
  });
  for (const entries of phrasesByFirstKey.values()) entries.sort((a, b) => b.keys.length - a.keys.length);
  return { phrasesByFirstKey, synonymKeys };
}

/** Binary search in sorted words: does a word longer than `word` start with it? */
function startsLongerWord(sorted: readonly string[], word: string): boolean {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if ((sorted[middle] ?? '') < word) low = middle + 1;
    else high = middle;
  }
  const at = sorted[low] === word ? sorted[low + 1] : sorted[low];
  return at?.startsWith(word) === true;
}
