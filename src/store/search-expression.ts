/** Menu search queries, built from words the tokenizer produced (letters and digits only), and FTS5 trigram syntax. */

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

/** Trigrams of "^word$", quoted and ORed: the MATCH expression of words that look like `word`. */
export function trigramExpression(word: string): string | undefined {
  const chars = [...`^${word}$`];
  const grams = new Set<string>();
  for (let i = 0; i + 3 <= chars.length; i += 1) grams.add(chars.slice(i, i + 3).join(''));
  return grams.size === 0 ? undefined : [...grams].map(quote).join(' OR ');
}
