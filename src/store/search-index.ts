import Database from 'better-sqlite3';
import { ALLERGENS, type DietaryTag } from '../domain/catalog.js';
import type { CatalogRepo } from './catalog-repo.js';
import type { Store } from './database.js';
import { exactNameToken, type SearchQuery, trigramExpression } from './search-expression.js';
import { bestOf, matchQuery, type ScoredMatches } from './search-match.js';
import { buildPostings, type Postings } from './search-postings.js';
import { groupSynonymRows, SYNONYM_ROWS, writeSynonymGroups } from './search-synonyms.js';
import { indexWords } from './search-text.js';

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

/** Dietary tags an item has, with the ones its tags imply (vegan food is vegetarian and dairy-free). */
export function impliedDietary(tags: readonly DietaryTag[]): Set<DietaryTag> {
  const all = new Set(tags);
  if (all.has('vegan')) {
    all.add('vegetarian');
    all.add('dairy-free');
  }
  return all;
}

interface ItemText {
  rowid: number;
  id: string;
  name: string;
  description: string;
  dietary: string;
  allergens: string;
  category: string;
}

// The search tables. Word search over text already normalized by search-text.ts (folded, stopwords out),
// so no stemmer: the vocabulary keeps the words as written, which typo correction compares against.
// Column "exact" holds the whole name as one token ("bacon_cheeseburger"): an exact name ranks first.
// rowid = items.rowid. Queries do not go to menu_fts: its text is read into memory (search-postings.ts)
// and matched and ranked there (search-match.ts, bm25 weights in search-postings.ts). search_terms holds every searchable word as "^word$" trigrams (the anchors let
// short words match) with the number of items holding it (0 for a word only a synonym knows): it finds
// the word a typo was meant to be.
const SCHEMA = `
  CREATE VIRTUAL TABLE menu_fts USING fts5(
    name, description, tags, category, options, exact,
    tokenize = "unicode61 remove_diacritics 2 tokenchars '_'"
  );
  CREATE VIRTUAL TABLE menu_fts_vocab USING fts5vocab(menu_fts, 'row');
  CREATE VIRTUAL TABLE search_terms USING fts5(term, docs UNINDEXED, tokenize = 'trigram remove_diacritics 1');
`;

/**
 * Builds the search tables from the store's menu and synonyms, in a SQLite database of their own held
 * in memory. They are derived data: kept out of the shop's file they cost the SD card no writes, and
 * they keep SQLite's default page size, which the shop's file gave up for its writes (page-size.ts).
 */
export function buildSearchDatabase(store: Store): Database.Database {
  const memory = new Database(':memory:');
  memory.exec(SCHEMA);
  memory.transaction(() => {
    fillMenuText(memory, store.db);
    refreshSearchTerms(memory, store.db);
  })();
  return memory;
}

function fillMenuText(memory: Database.Database, db: Database.Database): void {
  const items = db
    .prepare(
      `SELECT i.rowid AS rowid, i.id, i.name, i.description, i.dietary, i.allergens, c.name AS category
       FROM items i JOIN categories c ON c.id = i.category_id`,
    )
    .all() as ItemText[];
  const options = optionWordsByItem(db);
  // Free-from words are only derived when the owner declares allergens at all: an empty list on a menu
  // without allergen data means "unknown", never "free of everything".
  const declared = items.some((item) => item.allergens !== '[]');
  const insert = memory.prepare(
    'INSERT INTO menu_fts (rowid, name, description, tags, category, options, exact) VALUES (?, ?, ?, ?, ?, ?, ?)',
  );
  for (const item of items) {
    const name = indexWords(item.name).join(' ');
    insert.run(
      item.rowid,
      name,
      indexWords(item.description).join(' '),
      tagWords(item, declared).join(' '),
      indexWords(item.category).join(' '),
      options.get(item.id) ?? '',
      exactNameToken(name),
    );
  }
  memory.prepare("INSERT INTO menu_fts (menu_fts) VALUES ('optimize')").run();
}

function tagWords(item: ItemText, allergensDeclared: boolean): string[] {
  const tags = [...impliedDietary(JSON.parse(item.dietary) as DietaryTag[])].join(' ');
  if (!allergensDeclared) return indexWords(tags);
  const present = new Set(JSON.parse(item.allergens) as string[]);
  const free = ALLERGENS.filter((allergen) => !present.has(allergen)).map((allergen) => `${allergen} free`);
  return [...new Set(indexWords(`${tags} ${free.join(' ')}`))];
}

/** The words of each item's modifier option names, once each: they find an item at a low weight. */
function optionWordsByItem(db: Database.Database): Map<string, string> {
  const options = db.prepare('SELECT group_id, name FROM modifier_options').raw().all() as [string, string][];
  const groupWords = new Map<string, Set<string>>();
  for (const [groupId, name] of options) {
    const words = groupWords.get(groupId) ?? new Set<string>();
    for (const word of indexWords(name)) words.add(word);
    groupWords.set(groupId, words);
  }
  const links = db.prepare('SELECT item_id, group_id FROM item_modifier_groups').raw().all() as [
    string,
    string,
  ][];
  const itemWords = new Map<string, Set<string>>();
  for (const [itemId, groupId] of links) {
    const words = itemWords.get(itemId) ?? new Set<string>();
    for (const word of groupWords.get(groupId) ?? []) words.add(word);
    itemWords.set(itemId, words);
  }
  return new Map([...itemWords].map(([itemId, words]) => [itemId, [...words].join(' ')]));
}

/** Refills the trigram vocabulary: every indexed word and every word a synonym phrase uses. */
function refreshSearchTerms(memory: Database.Database, db: Database.Database): void {
  memory.prepare('DELETE FROM search_terms').run();
  // Whole-name tokens ("bacon_cheeseburger") are for ranking, not words a typo could mean.
  const words = "SELECT term, doc FROM menu_fts_vocab WHERE instr(term, '_') = 0";
  memory
    .prepare(`INSERT INTO search_terms (term, docs) SELECT '^' || term || '$', doc FROM (${words})`)
    .run();
  const known = new Set(memory.prepare(`SELECT term FROM (${words})`).pluck().all() as string[]);
  const insert = memory.prepare("INSERT INTO search_terms (term, docs) VALUES ('^' || ? || '$', 0)");
  for (const group of groupSynonymRows(db.prepare(SYNONYM_ROWS).raw().all() as [number, string][])) {
    for (const word of group.flatMap((phrase) => phrase.split(' '))) {
      if (known.has(word)) continue;
      known.add(word);
      insert.run(word);
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
      const memory = buildSearchDatabase(deps.store);
      built = { memory, q: prepareStatements(memory), postings: buildPostings(memory), key };
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
      if (built !== undefined) built.memory.transaction(refreshSearchTerms)(built.memory, db);
      version += 1;
    },
    version: () => version,
  };
}
