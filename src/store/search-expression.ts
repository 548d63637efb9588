/** FTS5 query syntax for menu search, built from words the tokenizer produced (letters and digits only). */

/** One way a query term can match: `words` in this order; with `prefix`, the last word may be the start of one. */
export interface SearchPhrase {
  readonly words: readonly string[];
  readonly prefix: boolean;
}

/** Terms of a full-text query; a term matches when any of its phrases does. */
export interface SearchQuery {
  readonly terms: readonly (readonly SearchPhrase[])[];
  /** `all`: an item must match every term; `any`: one is enough, more rank higher. */
  readonly mode: 'all' | 'any';
  /**
   * Also match modifier option names ("oat milk" finds Coffee). Off, an option word neither matches nor
   * counts in the word's rarity, so "bacon" on every burger's extras does not drown Bacon Cheeseburger.
   */
  readonly includeOptions: boolean;
  /** Whole names (index words joined by a space) that are exactly what was asked for: they rank first. */
  readonly exactNames: readonly string[];
}

/** The FTS5 token of a whole name in the `exact` column ("bacon cheeseburger" → "bacon_cheeseburger"). */
export function exactNameToken(words: string): string {
  return words.replaceAll(' ', '_');
}

/** An FTS5 string literal: double quotes, inner quotes doubled. */
function quote(text: string): string {
  return `"${text.replaceAll('"', '""')}"`;
}

/** The FTS5 MATCH expression of a query, or undefined when no term can match anything. */
export function matchExpression(query: SearchQuery): string | undefined {
  const terms = query.terms.map((phrases) =>
    phrases
      .filter((phrase) => phrase.words.length > 0)
      .map((phrase) => `${quote(phrase.words.join(' '))}${phrase.prefix ? '*' : ''}`),
  );
  const usable = terms.filter((phrases) => phrases.length > 0);
  if (usable.length === 0 || (query.mode === 'all' && usable.length < terms.length)) return undefined;
  const joined = usable
    .map((phrases) => `(${phrases.join(' OR ')})`)
    .join(query.mode === 'all' ? ' AND ' : ' OR ');
  const text = query.includeOptions ? `(${joined})` : `({name description tags category} : (${joined}))`;
  if (query.exactNames.length === 0) return text;
  // Every exact name is spelled from the terms, so this adds rank, never a match the terms would not find.
  const exact = query.exactNames.map((name) => quote(exactNameToken(name))).join(' OR ');
  return `${text} OR ({exact} : (${exact}))`;
}

/** Trigrams of "^word$", quoted and ORed: the MATCH expression of words that look like `word`. */
export function trigramExpression(word: string): string | undefined {
  const chars = [...`^${word}$`];
  const grams = new Set<string>();
  for (let i = 0; i + 3 <= chars.length; i += 1) grams.add(chars.slice(i, i + 3).join(''));
  return grams.size === 0 ? undefined : [...grams].map(quote).join(' OR ');
}
