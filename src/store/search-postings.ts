import type Database from 'better-sqlite3';
import { COLUMNS, type MenuRow } from './search-menu-text.js';

/**
 * The one index of the menu text, rebuilt whenever the catalog changes: for each word, where it occurs
 * (row, column, position), and each row's words in order, for phrases. The words are search-menu-text.ts's
 * columns split on their spaces: made of letters and digits only, they are the words an FTS5 table of
 * the same text stores (search-match.test.ts checks it) and the words a query is made of.
 * For 5,000 items (182,000 words) it holds 2.7 MB of typed arrays and builds in about 25 ms on a PC,
 * once the text is read and normalized (about 65 ms more).
 */
export interface Postings {
  readonly rowids: readonly number[];
  readonly termIds: ReadonlyMap<string, number>;
  readonly terms: readonly string[];
  /** Every term in string order, for the terms a prefix begins. */
  readonly sortedTerms: readonly string[];
  /** Occurrences of term t are [termStart[t], termStart[t + 1]): row index, column and position. */
  readonly termStart: Int32Array;
  readonly instRow: Int32Array;
  readonly instCol: Uint8Array;
  readonly instPos: Int32Array;
  /** Row r's column c holds tokens [cellStart[r * COLUMN_COUNT + c], the next cell's start). */
  readonly cellStart: Int32Array;
  readonly tokens: Int32Array;
  /** bm25's k1 * (1 - b + b * D / avgdl) of each row, D its words in every column, as FTS5 computes it. */
  readonly lengthNorm: Float64Array;
  /** bm25's IDF of a phrase by the number of rows it occurs in. */
  readonly idfByRows: Float64Array;
  /**
   * A row-sized work array each for one query's evaluation, so a search allocates none (80 KB for 5,000
   * rows). Evaluations run one at a time on the event loop and zero the rows they touched when done.
   */
  readonly scratch: {
    readonly score: Float64Array;
    readonly termsHit: Int32Array;
    readonly lastTerm: Int32Array;
    readonly exactHit: Uint8Array;
  };
}

export const COLUMN_COUNT = COLUMNS.length;
/** The bm25 weight of each column, in COLUMNS order: name, description, tags, category, options, exact. */
export const WEIGHTS = [10, 3, 4, 4, 1, 20];
/** bm25's k1 and b, FTS5's constants. */
export const K1 = 1.2;
const B = 0.75;

/** Builds the postings of the menu text; `sqlite` only computes logarithms as FTS5 does (see idfTable). */
export function buildPostings(rows: Iterable<MenuRow>, sqlite: Database.Database): Postings {
  const { rowids, termIds, counts, tokens, cellStart } = readWords(rows);
  const termStart = new Int32Array(counts.length + 1);
  counts.forEach((count, id) => {
    termStart[id + 1] = (termStart[id] ?? 0) + count;
  });
  const terms = [...termIds.keys()];
  return {
    rowids,
    termIds,
    terms,
    sortedTerms: [...terms].sort(),
    termStart,
    ...occurrences(tokens, cellStart, termStart),
    cellStart,
    tokens,
    lengthNorm: lengthNorms(cellStart, rowids.length),
    idfByRows: idfTable(sqlite, rowids.length),
    scratch: {
      score: new Float64Array(rowids.length),
      termsHit: new Int32Array(rowids.length),
      lastTerm: new Int32Array(rowids.length),
      exactHit: new Uint8Array(rowids.length),
    },
  };
}

// Columns whose text repeats from item to item (tags, category, options): each distinct text is split once.
const REPEATING = new Set([2, 3, 4]);

/** Every cell's words as term ids, a row at a time: only the ids stay, not the menu's text. */
function readWords(rows: Iterable<MenuRow>) {
  const termIds = new Map<string, number>();
  const counts: number[] = [];
  const idOf = (word: string): number => {
    let id = termIds.get(word);
    if (id === undefined) {
      id = counts.length;
      termIds.set(word, id);
      counts.push(0);
    }
    return id;
  };
  const repeated = new Map<string, number[]>();
  const rowids: number[] = [];
  let cellStart: Int32Array = new Int32Array(1024 * COLUMN_COUNT + 1);
  let tokens: Int32Array = new Int32Array(16 * 1024);
  let length = 0;
  for (const row of rows) {
    cellStart = room(cellStart, (rowids.length + 1) * COLUMN_COUNT + 1);
    COLUMNS.forEach((column, col) => {
      const cell = row[column];
      let ids = REPEATING.has(col) ? repeated.get(cell) : undefined;
      if (ids === undefined) {
        ids = cell === '' ? [] : cell.split(' ').map(idOf);
        if (REPEATING.has(col)) repeated.set(cell, ids);
      }
      tokens = room(tokens, length + ids.length);
      for (const id of ids) {
        counts[id] = (counts[id] ?? 0) + 1;
        tokens[length++] = id;
      }
      cellStart[rowids.length * COLUMN_COUNT + col + 1] = length;
    });
    rowids.push(row.rowid);
  }
  return {
    rowids,
    termIds,
    counts,
    tokens: tokens.slice(0, length),
    cellStart: cellStart.slice(0, rowids.length * COLUMN_COUNT + 1),
  };
}

/** `array`, or a copy at least twice as long when `needed` entries do not fit: the rows come as a stream. */
function room(array: Int32Array, needed: number): Int32Array {
  if (needed <= array.length) return array;
  const grown = new Int32Array(Math.max(array.length * 2, needed));
  grown.set(array);
  return grown;
}

/** Each term's occurrences, rows ascending: walking the rows in order fills each term's range in order. */
function occurrences(tokens: Int32Array, cellStart: Int32Array, termStart: Int32Array) {
  const next = termStart.slice(0, -1);
  const instRow = new Int32Array(tokens.length);
  const instCol = new Uint8Array(tokens.length);
  const instPos = new Int32Array(tokens.length);
  for (let cell = 0; cell + 1 < cellStart.length; cell += 1) {
    const start = cellStart[cell] ?? 0;
    for (let at = start; at < (cellStart[cell + 1] ?? 0); at += 1) {
      const term = tokens[at] ?? 0;
      const slot = next[term] ?? 0;
      next[term] = slot + 1;
      instRow[slot] = Math.floor(cell / COLUMN_COUNT);
      instCol[slot] = cell % COLUMN_COUNT;
      instPos[slot] = at - start;
    }
  }
  return { instRow, instCol, instPos };
}

function lengthNorms(cellStart: Int32Array, rowCount: number): Float64Array {
  // FTS5's avgdl: every token of the table over its rows.
  const avgdl = (cellStart[rowCount * COLUMN_COUNT] ?? 0) / rowCount;
  const norms = new Float64Array(rowCount);
  for (let row = 0; row < rowCount; row += 1) {
    const size = (cellStart[(row + 1) * COLUMN_COUNT] ?? 0) - (cellStart[row * COLUMN_COUNT] ?? 0);
    norms[row] = K1 * (1 - B + (B * size) / avgdl);
  }
  return norms;
}

/**
 * IDF = ln((N - n + 0.5) / (n + 0.5)) for every row count n, computed by SQLite's ln(), the C library's
 * log that FTS5 calls: Math.log differs from it in the last bit for some arguments, and a score should
 * be the same double FTS5 gives. A phrase in more than half the rows gets 1e-6, not less than nothing.
 */
function idfTable(sqlite: Database.Database, size: number): Float64Array {
  const logs = sqlite
    .prepare(
      `WITH RECURSIVE n(hits) AS (SELECT 0 UNION ALL SELECT hits + 1 FROM n WHERE hits < ?)
       SELECT ln((? - hits + 0.5) / (hits + 0.5)) FROM n`,
    )
    .pluck()
    .all(size, size) as number[];
  return Float64Array.from(logs, (idf) => (idf <= 0 ? 1e-6 : idf));
}

/** Each term with the number of rows holding it, in `sortedTerms` order: the vocabulary, as FTS5 lists it. */
export function termRowCounts(t: Postings): { term: string; rows: number }[] {
  return t.sortedTerms.map((term) => {
    const id = t.termIds.get(term) ?? 0;
    const end = t.termStart[id + 1] ?? 0;
    let rows = 0;
    // A term's occurrences run in row order: each change of row is one more row.
    for (let i = t.termStart[id] ?? 0; i < end; i += 1) {
      if (rows === 0 || t.instRow[i] !== t.instRow[i - 1]) rows += 1;
    }
    return { term, rows };
  });
}
