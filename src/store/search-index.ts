import Database from 'better-sqlite3';
import type { CatalogRepo } from './catalog-repo.js';
import type { Store } from './database.js';
import { type SearchQuery, trigramExpression } from './search-expression.js';
import { bestOf, matchQuery, type ScoredMatches } from './search-match.js';
import { readMenuText } from './search-menu-text.js';
import { buildPostings, type Postings, termRowCounts } from './search-postings.js';
import { groupSynonymRows, SYNONYM_ROWS, writeSynonymGroups } from './search-synonyms.js';

/** A matching item, by its rowid in the index (see `itemRowids`); a higher `score` is better (negated bm25). */
export interface SearchHit {
  readonly rowid: number;
  readonly score: number;
}

/** A searchable word and how many items hold it (0: only a synonym knows it). */
export interface VocabularyWord {
  readonly word: string;
  readonly docs: number;
}

/** Full-text search over the menu and the words and synonyms it knows. */
export interface SearchIndex {
  /** The best `limit` matches, best first; ties in menu import order. */
  search(query: SearchQuery, limit: number): SearchHit[];
  /** The rowid of every matching item, unranked: cheap enough to count and filter thousands. */
  matches(query: SearchQuery): number[];
  /** How many items match. */
  count(query: SearchQuery): number;
  /** Every match with its score, in rowid order: one evaluation to filter, count and rank (see `bestOf`). */
  scored(query: SearchQuery): ScoredMatches;
  /** Item ids by the rowid the index knows them under; read again whenever the catalog version changes. */
  itemRowids(): Map<number, string>;
  vocabulary(): VocabularyWord[];
  /** Vocabulary words sharing the most trigrams with `word`: the candidates for a typo correction. */
  similarWords(word: string, limit: number): VocabularyWord[];
  synonymGroups(): string[][];
  /** Replaces every synonym group (phrases are normalized like menu text) and refreshes the vocabulary. */
  replaceSynonyms(groups: readonly (readonly string[])[]): void;
  /** Increases whenever `replaceSynonyms` runs, so callers can cache the vocabulary and synonyms. */
  version(): number;
}

// The vocabulary by trigrams, the one table left in SQLite: every searchable word as "^word$" (the anchors
// let short words match) with the number of items holding it (0 for a word only a synonym knows). FTS5's
// trigram index and its bm25 over the trigrams are what find the word a typo was meant to be. The menu
// text itself is indexed once, in memory (search-postings.ts), and matched and ranked there (search-match.ts).
const SCHEMA =
  "CREATE VIRTUAL TABLE search_terms USING fts5(term, docs UNINDEXED, tokenize = 'trigram remove_diacritics 1')";

/**
 * Builds the search from the store's menu and synonyms: the postings, and the trigram vocabulary in a SQLite
 * database of its own held in memory. Both are derived data: kept out of the shop's file they cost the SD
 * card no writes, and the database keeps SQLite's default page size, which the shop's file gave up for its
 * writes (page-size.ts).
 */
function buildSearch(store: Store): { memory: Database.Database; postings: Postings } {
  const memory = new Database(':memory:');
  memory.exec(SCHEMA);
  const postings = buildPostings(readMenuText(store.db), memory);
  memory.transaction(refreshSearchTerms)(memory, store.db, postings);
  return { memory, postings };
}

/** Refills the trigram vocabulary: every word of the postings and every word a synonym phrase uses. */
function refreshSearchTerms(memory: Database.Database, db: Database.Database, postings: Postings): void {
  memory.prepare('DELETE FROM search_terms').run();
  const insert = memory.prepare("INSERT INTO search_terms (term, docs) VALUES ('^' || ? || '$', ?)");
  const known = new Set<string>();
  for (const { term, rows } of termRowCounts(postings)) {
    // Whole-name tokens ("bacon_cheeseburger") are for ranking, not words a typo could mean.
    if (term.includes('_')) continue;
    known.add(term);
    insert.run(term, rows);
  }
  for (const group of groupSynonymRows(db.prepare(SYNONYM_ROWS).raw().all() as [number, string][])) {
    for (const word of group.flatMap((phrase) => phrase.split(' '))) {
      if (known.has(word)) continue;
      known.add(word);
      insert.run(word, 0);
    }
  }
  memory.prepare("INSERT INTO search_terms (search_terms) VALUES ('optimize')").run();
}

const unanchor = (term: string): string => term.slice(1, -1);
const toWord = ([term, docs]: unknown[]): VocabularyWord => ({
  word: unanchor(term as string),
  docs: docs as number,
});

function prepareStatements(memory: Database.Database) {
  return {
    vocabulary: memory.prepare('SELECT term, docs FROM search_terms').raw(),
    similar: memory
      .prepare('SELECT term, docs FROM search_terms WHERE search_terms MATCH ? ORDER BY rank LIMIT ?')
      .raw(),
  };
}

/**
 * Creates the search index over an open store. Its tables are built on first use and again whenever
 * the catalog's version moves (a menu import, a sold-out switch, a change from another process).
 */
export function createSearchIndex(deps: {
  store: Store;
  catalog: Pick<CatalogRepo, 'version'>;
}): SearchIndex {
  const { db } = deps.store;
  const rowids = db.prepare('SELECT rowid, id FROM items').raw();
  const synonyms = db.prepare(SYNONYM_ROWS).raw();
  type Built = { memory: Database.Database; q: ReturnType<typeof prepareStatements>; postings: Postings };
  let built: (Built & { key: number }) | undefined;
  let version = 0;
  const current = (): Built => {
    const key = deps.catalog.version();
    if (built?.key !== key) {
      built?.memory.close();
      built = undefined; // the old postings may go before the new ones are built: a lower peak on a Pi
      // The version is read before the menu, so a change while building only means one more rebuild.
      const { memory, postings } = buildSearch(deps.store);
      built = { memory, q: prepareStatements(memory), postings, key };
    }
    return built;
  };
  const scored = (query: SearchQuery): ScoredMatches => matchQuery(current().postings, query);
  return {
    search(query, limit) {
      const found = scored(query);
      const best = bestOf(
        found,
        found.rowids.map((_, position) => position),
        limit,
      );
      return best.map((position) => ({
        rowid: found.rowids[position] ?? 0,
        score: found.scores[position] ?? 0,
      }));
    },
    matches: (query) => [...scored(query).rowids],
    count: (query) => scored(query).rowids.length,
    scored,
    itemRowids: () => new Map(rowids.all() as [number, string][]),
    vocabulary: () => (current().q.vocabulary.all() as unknown[][]).map(toWord),
    similarWords(word, limit) {
      const expression = trigramExpression(word);
      return expression === undefined
        ? []
        : (current().q.similar.all(expression, limit) as unknown[][]).map(toWord);
    },
    synonymGroups: () => groupSynonymRows(synonyms.all() as [number, string][]),
    replaceSynonyms(groups) {
      deps.store.transaction(() => writeSynonymGroups(db, groups));
      // This connection's own write reaches the catalog's version only at its next check: rebuild now.
      if (built !== undefined) built.memory.transaction(refreshSearchTerms)(built.memory, db, built.postings);
      version += 1;
    },
    version: () => version,
  };
}
