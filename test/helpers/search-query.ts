import type { SearchPhrase, SearchQuery } from '../../src/store/search-expression.js';

/** A phrase of the words in `text`, the last one a prefix when `prefix`. */
export const word = (text: string, prefix = false): SearchPhrase => ({ words: text.split(' '), prefix });

/** A query of every phrase group in `terms` (all of them must match unless `over` says any). */
export const query = (terms: SearchPhrase[][], over: Partial<SearchQuery> = {}): SearchQuery => ({
  terms,
  mode: 'all',
  includeOptions: false,
  exactNames: [],
  ...over,
});
