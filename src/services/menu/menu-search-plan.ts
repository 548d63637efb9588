import type { SearchPhrase, SearchQuery } from '../../store/search-expression.js';
import type { SearchLexicon } from './search-lexicon.js';

/** A query word replaced by the vocabulary word it was most likely meant to be. */
export interface Correction {
  readonly from: string;
  readonly to: string;
}

/** The index queries of one search text, tried in order until one finds something. */
export interface SearchPlan {
  /** Every term in the item's own text; every term counting option names too; any term in the item's text. */
  readonly tiers: readonly SearchQuery[];
  readonly corrections: readonly Correction[];
}

// Past eight words a query is a paragraph, not a search; the rest adds cost and no precision.
const MAX_TERMS = 8;
// Cap on the spellings of one multi-word phrase ("soft drink", "soft drinks", …).
const MAX_SPELLINGS = 8;

interface Resolved {
  readonly word: string;
  readonly kind: 'word' | 'prefix' | 'unknown';
}

/** Turns query words into index queries: inflections, prefixes, typo corrections and synonyms resolved. */
export function planSearch(
  words: readonly string[],
  lexicon: SearchLexicon,
  correct: (word: string) => string | undefined,
): SearchPlan {
  const corrections: Correction[] = [];
  const resolved = [...new Set(words)].slice(0, MAX_TERMS).map((word): Resolved => {
    if (lexicon.isKnown(word)) return { word, kind: 'word' };
    if (word.length >= 2 && lexicon.isPrefix(word)) return { word, kind: 'prefix' };
    const corrected = correct(word);
    if (corrected === undefined) return { word, kind: 'unknown' };
    corrections.push({ from: word, to: corrected });
    return { word: corrected, kind: 'word' };
  });
  const terms = buildTerms(resolved, lexicon);
  const all = terms.map((term) => spellTerm(term, false));
  const any = terms.map((term) => spellTerm(term, true));
  const usable = all.filter((term) => term.length > 0);
  const names = exactNames(usable).filter(lexicon.isItemName);
  // Any-term results: an item named after any one term ranks first too ("cheeseburgers and fries").
  const anyNames = [...new Set([...names, ...usable.flatMap((t) => exactNames([t]))])].filter(
    lexicon.isItemName,
  );
  return {
    tiers: [
      { terms: all, mode: 'all', includeOptions: false, exactNames: names },
      { terms: all, mode: 'all', includeOptions: true, exactNames: names },
      { terms: any, mode: 'any', includeOptions: false, exactNames: anyNames },
    ],
    corrections,
  };
}

/** Every way the whole query spells a name ("chips" → "fries", "chips", …), at most MAX_SPELLINGS. */
function exactNames(terms: readonly (readonly SearchPhrase[])[]): string[] {
  let names = [''];
  for (const term of terms) {
    const spellings = term.filter((phrase) => !phrase.prefix).map((phrase) => phrase.words.join(' '));
    names = names
      .flatMap((name) => spellings.map((s) => (name === '' ? s : `${name} ${s}`)))
      .slice(0, MAX_SPELLINGS);
  }
  return [...new Set(names.filter((name) => name !== ''))];
}

type FormsOf = (word: string) => readonly string[];

/** A query term before spelling: a prefix, or phrases whose words each have indexed forms. */
interface Term {
  readonly prefix?: string;
  readonly phrases: readonly { readonly words: readonly string[]; readonly formsOf: FormsOf }[];
}

function buildTerms(resolved: readonly Resolved[], lexicon: SearchLexicon): Term[] {
  // Only whole words take part in synonym phrases; a prefix or an unknown word breaks a phrase.
  const words = resolved.map((r) => (r.kind === 'word' ? r.word : ''));
  const terms: Term[] = [];
  let index = 0;
  while (index < resolved.length) {
    const current = resolved[index] as Resolved;
    const match = current.kind === 'word' ? lexicon.synonymAt(words, index) : undefined;
    const length = match?.length ?? 1;
    const typed = { words: words.slice(index, index + length), formsOf: lexicon.indexedForms };
    // The group's other phrases keep their own spelling (plurals only): "sweets" must not become "sweet".
    const others = (match?.phrases ?? []).map((p) => ({ words: p, formsOf: lexicon.indexedPlurals }));
    if (current.kind === 'prefix') terms.push({ prefix: current.word, phrases: [] });
    else if (current.kind === 'unknown') terms.push({ phrases: [] });
    else terms.push({ phrases: [typed, ...others] });
    index += length;
  }
  return terms;
}

/** The index phrases of a term; `relaxed` also lets each word of a phrase match alone ("soft drink" → "drink"). */
function spellTerm(term: Term, relaxed: boolean): SearchPhrase[] {
  if (term.prefix !== undefined) return [{ words: [term.prefix], prefix: true }];
  const phrases = term.phrases.flatMap((phrase) => spell(phrase.words, phrase.formsOf));
  if (relaxed) {
    for (const phrase of term.phrases.filter((p) => p.words.length > 1)) {
      for (const word of phrase.words) phrases.push(...spell([word], phrase.formsOf));
    }
  }
  return unique(phrases);
}

/** Every indexed spelling of a phrase: each word replaced by its forms, at most MAX_SPELLINGS of them. */
function spell(words: readonly string[], formsOf: FormsOf): SearchPhrase[] {
  let spellings: string[][] = [[]];
  for (const word of words) {
    const forms = formsOf(word);
    spellings = spellings.flatMap((prefix) => forms.map((form) => [...prefix, form])).slice(0, MAX_SPELLINGS);
  }
  return spellings.filter((s) => s.length > 0).map((s) => ({ words: s, prefix: false }));
}

function unique(phrases: readonly SearchPhrase[]): SearchPhrase[] {
  const seen = new Map<string, SearchPhrase>();
  for (const phrase of phrases) seen.set(`${phrase.words.join(' ')}${phrase.prefix ? '*' : ''}`, phrase);
  return [...seen.values()];
}
