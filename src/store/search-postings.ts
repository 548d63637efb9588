import type Database from 'better-sqlite3';
import { exactNameToken, type SearchPhrase, type SearchQuery } from './search-expression.js';

/**
 * The menu's words in memory, read once per build from FTS5's own tokens (fts5vocab 'instance'), and
 * the query evaluation over them: the matches and bm25 scores FTS5 computes for the same MATCH
 * expression (sqlite3.c fts5Bm25Function), without its per-row cost. FTS5 ranks every match before
 * a LIMIT applies, reading each row's size from a table and its positions from the index, about 1 µs
 * a row: a prefix like "chee" on 5,000 items matched 1,413 rows and took 1-2 ms. Here a match costs a
 * few array reads, and the word counts are exactly FTS5's, since they are read from it.
 */

/** Every match of a query, in rowid order, with its score (negated bm25: higher is better). */
export interface ScoredMatches {
  readonly rowids: readonly number[];
  readonly scores: readonly number[];
}

/** Evaluates index queries over the menu text. */
export interface Postings {
  match(query: SearchQuery): ScoredMatches;
}

// Columns in menu_fts order, bm25 weights, and the column sets a query searches.
const COLUMNS = ['name', 'description', 'tags', 'category', 'options', 'exact'];
const WEIGHTS = [10, 3, 4, 4, 1, 20];
const OWN_TEXT = 0b001111;
const ALL_TEXT = 0b111111;
const EXACT = 0b100000;
const K1 = 1.2;
const B = 0.75;
const NONE: ScoredMatches = { rowids: [], scores: [] };

interface Tables {
  readonly rowids: readonly number[];
  readonly termIds: ReadonlyMap<string, number>;
  /** Term ids in string order, for prefix ranges. */
  readonly sortedTerms: readonly string[];
  readonly terms: readonly string[];
  /** Instances of term t are [termStart[t], termStart[t+1]): row, column and token position. */
  readonly termStart: Int32Array;
  readonly instRow: Int32Array;
  readonly instCol: Uint8Array;
  readonly instPos: Int32Array;
  /** The tokens of row r's column c start at cellStart[r * 6 + c]: for the words after a phrase's first. */
  readonly cellStart: Int32Array;
  readonly tokens: Int32Array;
  /** bm25's length term k1 * (1 - b + b * D / avgdl) of each row, as FTS5 computes it. */
  readonly lengthNorm: Float64Array;
  /** bm25's IDF of a phrase by the number of rows it occurs in. */
  readonly idfByRows: Float64Array;
}

/** Reads the token instances of menu_fts (memory: about 13 bytes a token, plus the word list). */
export function buildPostings(memory: Database.Database): Postings {
  const tables = readTables(memory);
  return { match: (query) => evaluate(tables, query) };
}

function readTables(memory: Database.Database): Tables {
  const rowids = memory.prepare('SELECT rowid FROM menu_fts ORDER BY rowid').pluck().all() as number[];
  const rowOf = new Map(rowids.map((rowid, row) => [rowid, row]));
  const terms: string[] = [];
  const starts: number[] = [];
  const rows: number[] = [];
  const cols: number[] = [];
  const positions: number[] = [];
  const instances = memory.prepare('SELECT term, doc, col, offset FROM menu_fts_instances').raw();
  for (const [term, doc, col, offset] of instances.iterate() as Iterable<[string, number, string, number]>) {
    if (terms.at(-1) !== term) {
      terms.push(term);
      starts.push(rows.length);
    }
    rows.push(rowOf.get(doc) ?? 0);
    cols.push(COLUMNS.indexOf(col));
    positions.push(offset);
  }
  starts.push(rows.length);
  const cells = new Int32Array(rowids.length * COLUMNS.length + 1);
  rows.forEach((row, i) => {
    const cell = row * COLUMNS.length + (cols[i] ?? 0);
    cells[cell + 1] = Math.max(cells[cell + 1] ?? 0, (positions[i] ?? 0) + 1);
  });
  for (let cell = 1; cell < cells.length; cell += 1)
    cells[cell] = (cells[cell] ?? 0) + (cells[cell - 1] ?? 0);
  const tokens = new Int32Array(rows.length);
  for (let term = 0; term < terms.length; term += 1) {
    for (let i = starts[term] ?? 0; i < (starts[term + 1] ?? 0); i += 1) {
      tokens[(cells[(rows[i] ?? 0) * COLUMNS.length + (cols[i] ?? 0)] ?? 0) + (positions[i] ?? 0)] = term;
    }
  }
  // FTS5: avgdl = all tokens / all rows; D = the row's tokens in every column.
  const avgdl = rows.length / rowids.length;
  const lengthNorm = new Float64Array(rowids.length);
  for (let row = 0; row < rowids.length; row += 1) {
    const size = (cells[(row + 1) * COLUMNS.length] ?? 0) - (cells[row * COLUMNS.length] ?? 0);
    lengthNorm[row] = K1 * (1 - B + (B * size) / avgdl);
  }
  return {
    rowids,
    termIds: new Map(terms.map((term, id) => [term, id])),
    sortedTerms: [...terms].sort(),
    terms,
    termStart: Int32Array.from(starts),
    instRow: Int32Array.from(rows),
    instCol: Uint8Array.from(cols),
    instPos: Int32Array.from(positions),
    cellStart: cells,
    tokens,
    lengthNorm,
    idfByRows: idfTable(memory, rowids.length),
  };
}

/**
 * IDF = ln((N - n + 0.5) / (n + 0.5)) for every row count n, computed by SQLite's ln(), the C library's
 * log that FTS5 calls: Math.log differs from it in the last bit for some arguments, and a score should
 * be the same double FTS5 gives. A phrase in more than half the rows gets 1e-6, not less than nothing.
 */
function idfTable(memory: Database.Database, size: number): Float64Array {
  const logs = memory
    .prepare(
      `WITH RECURSIVE n(hits) AS (SELECT 0 UNION ALL SELECT hits + 1 FROM n WHERE hits < ?)
       SELECT ln((? - hits + 0.5) / (hits + 0.5)) FROM n`,
    )
    .pluck()
    .all(size, size) as number[];
  return Float64Array.from(logs, (idf) => (idf <= 0 ? 1e-6 : idf));
}

/** The rows one phrase occurs in, within the columns of `mask`, with its weighted count in each. */
interface PhraseHits {
  readonly rows: number[];
  readonly freqs: number[];
  readonly exact: boolean;
}

/** The FTS5 semantics of `matchExpression(query)`: the match set and bm25 of every matching row. */
function evaluate(t: Tables, query: SearchQuery): ScoredMatches {
  const terms = query.terms.map((phrases) => phrases.filter((phrase) => phrase.words.length > 0));
  const usable = terms.filter((phrases) => phrases.length > 0);
  if (usable.length === 0 || (query.mode === 'all' && usable.length < terms.length)) return NONE;
  const size = t.rowids.length;
  const scratch = new Float64Array(size);
  const mask = query.includeOptions ? ALL_TEXT : OWN_TEXT;
  // termsHit[r]: how many terms occur in row r; a term counts once however many of its phrases occur.
  const termsHit = new Int32Array(size);
  const lastTerm = new Int32Array(size);
  const phrases: PhraseHits[] = [];
  usable.forEach((term, index) => {
    for (const phrase of term) {
      const hits = phraseHits(t, phrase, mask, scratch, false);
      phrases.push(hits);
      for (const row of hits.rows) {
        if (lastTerm[row] === index + 1) continue;
        lastTerm[row] = index + 1;
        termsHit[row] = (termsHit[row] ?? 0) + 1;
      }
    }
  });
  const exactHit = new Uint8Array(size);
  for (const name of query.exactNames) {
    const hits = phraseHits(t, { words: [exactNameToken(name)], prefix: false }, EXACT, scratch, true);
    phrases.push(hits);
    for (const row of hits.rows) exactHit[row] = 1;
  }
  const needed = query.mode === 'all' ? usable.length : 1;
  const textMatch = (row: number): boolean => (termsHit[row] ?? 0) >= needed;
  // bm25 sums phrase by phrase in query order, as FTS5 does, so the same doubles come out. A phrase
  // counts in a row only where its part of the expression matched (FTS5 reports no instances there).
  const score = scratch;
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
  for (let row = 0; row < size; row += 1) {
    if (exactHit[row] === 1 || textMatch(row)) {
      rowids.push(t.rowids[row] ?? 0);
      scores.push(score[row] ?? 0);
    }
  }
  return { rowids, scores };
}

/** Where a phrase occurs: each occurrence of its first word followed by the rest, in an allowed column. */
function phraseHits(
  t: Tables,
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
  t: Tables,
  row: number,
  col: number,
  pos: number,
  accepts: readonly ((id: number) => boolean)[],
) {
  const cell = row * COLUMNS.length + col;
  const start = t.cellStart[cell] ?? 0;
  const end = t.cellStart[cell + 1] ?? 0;
  for (let k = 1; k < accepts.length; k += 1) {
    const at = start + pos + k;
    if (at >= end || !(accepts[k] ?? (() => false))(t.tokens[at] ?? -1)) return false;
  }
  return true;
}

function wordTest(t: Tables, word: string, prefix: boolean): (id: number) => boolean {
  if (prefix) return (id) => (t.terms[id] ?? '').startsWith(word);
  const wanted = t.termIds.get(word);
  return (id) => id === wanted;
}

/** The term ids a phrase's first word stands for: itself, or every term it begins when a prefix. */
function firstTerms(t: Tables, word: string, prefix: boolean): number[] {
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
