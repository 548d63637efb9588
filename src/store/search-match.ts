import { exactNameToken, type SearchPhrase, type SearchQuery } from './search-expression.js';
import { COLUMN_COUNT, K1, type Postings, WEIGHTS } from './search-postings.js';

/**
 * An index query evaluated over the postings as FTS5 evaluates its MATCH expression: the same matches
 * and the same bm25 doubles (sqlite3.c fts5Bm25Function), phrase by phrase in query order. FTS5 scores
 * every match before a LIMIT applies, reading each row's size from a table and its positions from the
 * index, about 1 µs a row; here a match costs a few array reads.
 */

/** Every match of a query, in rowid order, with its score (negated bm25: higher is better). */
export interface ScoredMatches {
  readonly rowids: readonly number[];
  readonly scores: readonly number[];
}

// The column sets a query searches: the item's own text, that and option names, the exact name.
const OWN_TEXT = 0b001111;
const ALL_TEXT = 0b111111;
const EXACT = 0b100000;
const NONE: ScoredMatches = { rowids: [], scores: [] };

/** The rows one phrase occurs in, within the columns of `mask`, with its weighted count in each. */
interface PhraseHits {
  readonly rows: number[];
  readonly freqs: number[];
  readonly exact: boolean;
}

/** The rows a query matches and their bm25 scores. */
export function matchQuery(t: Postings, query: SearchQuery): ScoredMatches {
  const terms = query.terms.map((phrases) => phrases.filter((phrase) => phrase.words.length > 0));
  const usable = terms.filter((phrases) => phrases.length > 0);
  if (usable.length === 0 || (query.mode === 'all' && usable.length < terms.length)) return NONE;
  const phrases = findPhrases(t, usable, query);
  const { score, termsHit, lastTerm, exactHit } = t.scratch;
  const needed = query.mode === 'all' ? usable.length : 1;
  const textMatch = (row: number): boolean => (termsHit[row] ?? 0) >= needed;
  // bm25 sums phrase by phrase in query order, as FTS5 does, so the same doubles come out. A phrase
  // counts in a row only where its part of the expression matched (FTS5 reports no instances there).
  for (const hits of phrases) {
    const weight = t.idfByRows[hits.rows.length] ?? 0;
    hits.rows.forEach((row, i) => {
      if (!hits.exact && !textMatch(row)) return;
      const freq = hits.freqs[i] ?? 0;
      score[row] = (score[row] ?? 0) + weight * ((freq * (K1 + 1)) / (freq + (t.lengthNorm[row] ?? 0)));
    });
  }
  const rowids: number[] = [];
  const scores: number[] = [];
  for (let row = 0; row < t.rowids.length; row += 1) {
    if (exactHit[row] === 1 || textMatch(row)) {
      rowids.push(t.rowids[row] ?? 0);
      scores.push(score[row] ?? 0);
    }
  }
  for (const hits of phrases) {
    for (const row of hits.rows) {
      score[row] = 0;
      termsHit[row] = 0;
      lastTerm[row] = 0;
      exactHit[row] = 0;
    }
  }
  return { rowids, scores };
}

/**
 * Every phrase's rows, text phrases then exact names, in the order FTS5 numbers them; on the way,
 * termsHit[r] counts the terms occurring in row r (once however many of a term's phrases do) and
 * exactHit[r] marks an exact name.
 */
function findPhrases(t: Postings, terms: readonly (readonly SearchPhrase[])[], query: SearchQuery) {
  const { score, termsHit, lastTerm, exactHit } = t.scratch;
  const mask = query.includeOptions ? ALL_TEXT : OWN_TEXT;
  const phrases: PhraseHits[] = [];
  terms.forEach((term, index) => {
    for (const phrase of term) {
      const hits = phraseHits(t, phrase, mask, score, false);
      phrases.push(hits);
      for (const row of hits.rows) {
        if (lastTerm[row] === index + 1) continue;
        lastTerm[row] = index + 1;
        termsHit[row] = (termsHit[row] ?? 0) + 1;
      }
    }
  });
  for (const name of query.exactNames) {
    const hits = phraseHits(t, { words: [exactNameToken(name)], prefix: false }, EXACT, score, true);
    phrases.push(hits);
    for (const row of hits.rows) exactHit[row] = 1;
  }
  return phrases;
}

/**
 * Where a phrase occurs: each occurrence of its first word followed by the rest, in an allowed column.
 * `freq` is a zeroed row-sized work array, zeroed again before returning.
 */
function phraseHits(
  t: Postings,
  phrase: SearchPhrase,
  mask: number,
  freq: Float64Array,
  exact: boolean,
): PhraseHits {
  const last = phrase.words.length - 1;
  const accepts = phrase.words.map((word, k) => wordTest(t, word, phrase.prefix && k === last));
  const rows: number[] = [];
  for (const term of firstTerms(t, phrase.words[0] ?? '', phrase.prefix && last === 0)) {
    for (let i = t.termStart[term] ?? 0; i < (t.termStart[term + 1] ?? 0); i += 1) {
      const col = t.instCol[i] ?? 0;
      if (((mask >> col) & 1) === 0) continue;
      const row = t.instRow[i] ?? 0;
      if (last > 0 && !followedBy(t, row, col, t.instPos[i] ?? 0, accepts)) continue;
      if (freq[row] === 0) rows.push(row);
      freq[row] = (freq[row] ?? 0) + (WEIGHTS[col] ?? 0);
    }
  }
  const freqs = rows.map((row) => freq[row] ?? 0);
  for (const row of rows) freq[row] = 0;
  return { rows, freqs, exact };
}

function followedBy(
  t: Postings,
  row: number,
  col: number,
  pos: number,
  accepts: readonly ((id: number) => boolean)[],
) {
  const cell = row * COLUMN_COUNT + col;
  const start = t.cellStart[cell] ?? 0;
  const end = t.cellStart[cell + 1] ?? 0;
  for (let k = 1; k < accepts.length; k += 1) {
    const at = start + pos + k;
    if (at >= end || !(accepts[k] ?? (() => false))(t.tokens[at] ?? -1)) return false;
  }
  return true;
}

function wordTest(t: Postings, word: string, prefix: boolean): (id: number) => boolean {
  if (prefix) return (id) => (t.terms[id] ?? '').startsWith(word);
  const wanted = t.termIds.get(word);
  return (id) => id === wanted;
}

/** The term ids a phrase's first word stands for: itself, or every term it begins when a prefix. */
function firstTerms(t: Postings, word: string, prefix: boolean): number[] {
  if (!prefix) {
    const id = t.termIds.get(word);
    return id === undefined ? [] : [id];
  }
  let low = 0;
  let high = t.sortedTerms.length;
  while (low < high) {
    const middle = (low + high) >> 1;
    if ((t.sortedTerms[middle] ?? '') < word) low = middle + 1;
    else high = middle;
  }
  const ids: number[] = [];
  for (let i = low; i < t.sortedTerms.length && (t.sortedTerms[i] ?? '').startsWith(word); i += 1) {
    ids.push(t.termIds.get(t.sortedTerms[i] ?? '') ?? 0);
  }
  return ids;
}

/**
 * Positions (into `found`) of the best `depth` of `positions`, best first: the higher score, then the
 * lower rowid, as FTS5's ORDER BY bm25, rowid. Only the page's depth is kept sorted, not every match.
 */
export function bestOf(found: ScoredMatches, positions: readonly number[], depth: number): number[] {
  const { scores } = found;
  // positions ascend with rowids, so a lower position is a lower rowid.
  const better = (a: number, b: number): boolean =>
    (scores[a] ?? 0) > (scores[b] ?? 0) || ((scores[a] ?? 0) === (scores[b] ?? 0) && a < b);
  if (positions.length <= depth * 8) {
    return [...positions].sort((a, b) => (better(a, b) ? -1 : 1)).slice(0, Math.max(0, depth));
  }
  const best: number[] = [];
  for (const position of positions) {
    if (best.length === depth && !better(position, best[depth - 1] ?? 0)) continue;
    let low = 0;
    let high = best.length;
    while (low < high) {
      const middle = (low + high) >> 1;
      if (better(best[middle] ?? 0, position)) low = middle + 1;
      else high = middle;
    }
    best.splice(low, 0, position);
    if (best.length > depth) best.pop();
  }
  return best;
}
