import type Database from 'better-sqlite3';
import { ALLERGENS, type DietaryTag } from '../domain/catalog.js';
import type { Store } from './database.js';
import { exactNameToken, matchExpression, type SearchQuery, trigramExpression } from './search-expression.js';
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

// bm25 column weights: name, description, tags, category, modifier options, exact name.
const RANK = 'bm25(menu_fts, 10.0, 3.0, 4.0, 4.0, 1.0, 20.0)';

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

/** Rebuilds the full-text tables from the menu tables; call inside the transaction that changed the menu. */
export function rebuildSearchIndex(db: Database.Database): void {
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
  db.prepare('DELETE FROM menu_fts').run();
  const insert = db.prepare(
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
  db.prepare("INSERT INTO menu_fts (menu_fts) VALUES ('optimize')").run();
  refreshSearchTerms(db);
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
function refreshSearchTerms(db: Database.Database): void {
  db.prepare('DELETE FROM search_terms').run();
  // Whole-name tokens ("bacon_cheeseburger") are for ranking, not words a typo could mean.
  const words = "SELECT term, doc FROM menu_fts_vocab WHERE instr(term, '_') = 0";
  db.prepare(`INSERT INTO search_terms (term, docs) SELECT '^' || term || '$', doc FROM (${words})`).run();
  const known = new Set(db.prepare(`SELECT term FROM (${words})`).pluck().all() as string[]);
  const insert = db.prepare("INSERT INTO search_terms (term, docs) VALUES ('^' || ? || '$', 0)");
  for (const group of groupSynonymRows(db.prepare(SYNONYM_ROWS).raw().all() as [number, string][])) {
    for (const word of group.flatMap((phrase) => phrase.split(' '))) {
      if (known.has(word)) continue;
      known.add(word);
      insert.run(word);
    }
  }
  db.prepare("INSERT INTO search_terms (search_terms) VALUES ('optimize')").run();
}

const unanchor = (term: string): string => term.slice(1, -1);
const toWord = ([term, docs]: unknown[]): VocabularyWord => ({
  word: unanchor(term as string),
  docs: docs as number,
});

function prepareStatements(db: Database.Database) {
  return {
    ranked: db
      .prepare(
        `SELECT rowid, ${RANK} AS score FROM menu_fts WHERE menu_fts MATCH ? ORDER BY score, rowid LIMIT ?`,
      )
      .raw(),
    matching: db.prepare('SELECT rowid FROM menu_fts WHERE menu_fts MATCH ?').pluck(),
    counting: db.prepare('SELECT count(*) FROM menu_fts WHERE menu_fts MATCH ?').pluck(),
    rowids: db.prepare('SELECT rowid, id FROM items').raw(),
    vocabulary: db.prepare('SELECT term, docs FROM search_terms').raw(),
    similar: db
      .prepare('SELECT term, docs FROM search_terms WHERE search_terms MATCH ? ORDER BY rank LIMIT ?')
      .raw(),
    synonyms: db.prepare(SYNONYM_ROWS).raw(),
  };
}

/** Creates the search index queries over an open store; statements are prepared once here. */
export function createSearchIndex({ store }: { store: Store }): SearchIndex {
  const { db } = store;
  const q = prepareStatements(db);
  let version = 0;
  return {
    search(query, limit) {
      const expression = matchExpression(query);
      if (expression === undefined || limit <= 0) return [];
      const rows = q.ranked.all(expression, limit) as [number, number][];
      return rows.map(([rowid, score]) => ({ rowid, score: -score }));
    },
    matches(query) {
      const expression = matchExpression(query);
      return expression === undefined ? [] : (q.matching.all(expression) as number[]);
    },
    count(query) {
      const expression = matchExpression(query);
      return expression === undefined ? 0 : (q.counting.get(expression) as number);
    },
    itemRowids: () => new Map(q.rowids.all() as [number, string][]),
    vocabulary: () => (q.vocabulary.all() as unknown[][]).map(toWord),
    similarWords(word, limit) {
      const expression = trigramExpression(word);
      return expression === undefined ? [] : (q.similar.all(expression, limit) as unknown[][]).map(toWord);
    },
    synonymGroups: () => groupSynonymRows(q.synonyms.all() as [number, string][]),
    replaceSynonyms(groups) {
      store.transaction(() => {
        writeSynonymGroups(db, groups);
        refreshSearchTerms(db);
      });
      version += 1;
    },
    version: () => version,
  };
}
