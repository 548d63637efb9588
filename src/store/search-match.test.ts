import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { query, word } from '../../test/helpers/search-query.js';
import { generateCatalog } from '../bench/generate-catalog.js';
import type { Menu } from '../domain/catalog.js';
import { demoMenu } from '../services/shop/demo-shop.js';
import { createCatalogRepo } from './catalog-repo.js';
import { openStore, type Store } from './database.js';
import { exactNameToken, type SearchQuery } from './search-expression.js';
import { bestOf, matchQuery } from './search-match.js';
import { readMenuText } from './search-menu-text.js';
import { buildPostings, type Postings, termRowCounts } from './search-postings.js';

let store: Store | undefined;
let memory: Database.Database | undefined;
afterEach(() => {
  memory?.close();
  store?.close();
});

/**
 * The reference: an FTS5 table of the same menu text, as the search kept before it indexed the text in
 * memory alone (FTS5 splits the words itself, by its unicode61 tokenizer); and the postings built from it.
 */
function searchTables(menu: Menu): { tables: Database.Database; postings: Postings } {
  store = openStore({ file: ':memory:' });
  createCatalogRepo({ store }).replaceMenu(menu);
  const tables = new Database(':memory:');
  memory = tables;
  tables.exec(`
    CREATE VIRTUAL TABLE menu_fts USING fts5(
      name, description, tags, category, options, exact,
      tokenize = "unicode61 remove_diacritics 2 tokenchars '_'"
    );
    CREATE VIRTUAL TABLE menu_fts_vocab USING fts5vocab(menu_fts, 'row');`);
  const insert = tables.prepare(
    `INSERT INTO menu_fts (rowid, name, description, tags, category, options, exact)
     VALUES (@rowid, @name, @description, @tags, @category, @options, @exact)`,
  );
  for (const row of readMenuText(store.db)) insert.run(row);
  return { tables, postings: buildPostings(readMenuText(store.db), tables) };
}

const quote = (text: string): string => `"${text.replaceAll('"', '""')}"`;

/** The FTS5 MATCH expression of a query: what the menu search asked FTS5 before it matched in memory. */
function ftsExpression(query: SearchQuery): string | undefined {
  const terms = query.terms.map((phrases) =>
    phrases
      .filter((phrase) => phrase.words.length > 0)
      .map((phrase) => `${quote(phrase.words.join(' '))}${phrase.prefix ? '*' : ''}`),
  );
  const usable = terms.filter((phrases) => phrases.length > 0);
  if (usable.length === 0 || (query.mode === 'all' && usable.length < terms.length)) return undefined;
  const joined = usable.map((p) => `(${p.join(' OR ')})`).join(query.mode === 'all' ? ' AND ' : ' OR ');
  const text = query.includeOptions ? `(${joined})` : `({name description tags category} : (${joined}))`;
  if (query.exactNames.length === 0) return text;
  const exact = query.exactNames.map((name) => quote(exactNameToken(name))).join(' OR ');
  return `${text} OR ({exact} : (${exact}))`;
}

/** FTS5's own answer: every match, best first, with its negated bm25. */
function ftsRanking(tables: Database.Database, query: SearchQuery): { rowid: number; score: number }[] {
  const expression = ftsExpression(query);
  if (expression === undefined) return [];
  const rows = tables
    .prepare(
      `SELECT rowid, bm25(menu_fts, 10.0, 3.0, 4.0, 4.0, 1.0, 20.0) AS score FROM menu_fts
       WHERE menu_fts MATCH ? ORDER BY score, rowid`,
    )
    .raw()
    .all(expression) as [number, number][];
  return rows.map(([rowid, score]) => ({ rowid, score: -score }));
}

function memoryRanking(postings: Postings, query: SearchQuery): { rowid: number; score: number }[] {
  const found = matchQuery(postings, query);
  const all = found.rowids.map((_, position) => position);
  return bestOf(found, all, all.length).map((p) => ({
    rowid: found.rowids[p] ?? 0,
    score: found.scores[p] ?? 0,
  }));
}

/** The demo menu with names whose letters fold: accents, ligatures, strokes, a Greek final sigma. */
function foreignNames(): Menu {
  const menu = demoMenu();
  const names = [
    'ΓΥΡΟΣ Πίτας',
    'Crème Brûlée',
    'Smørrebrød',
    'Straße Würst',
    'Łosoś',
    'Œufs Ærter',
    'Çiğ Köfte',
  ];
  return { ...menu, items: menu.items.map((item, i) => ({ ...item, name: names[i] ?? item.name })) };
}

// Words, prefixes and phrases in every column, every-term and any-term, with options and exact names.
const QUERIES: readonly SearchQuery[] = [
  query([[word('burger'), word('burgers')]]),
  query([[word('chee', true)]]),
  query([[word('chee', true)]], { includeOptions: true }),
  query([[word('bacon')]], { includeOptions: true }),
  query([[word('cheeseburger')]], { exactNames: ['cheeseburger', 'bacon cheeseburger'] }),
  query([[word('spicy')], [word('chicken')], [word('burger')]]),
  query([[word('large')], [word('fries'), word('chips')]], { mode: 'any' }),
  query([[word('root beer'), word('soda')]]),
  query([[word('soft drinks'), word('soda')], [word('dri', true)]], { mode: 'any', includeOptions: true }),
  query([[word('smoky bb', true)]]),
  query([[word('vegan')], [word('glutenfree')]], { mode: 'any', exactNames: ['vegan'] }),
  query([[word('garlic')], []], { mode: 'any' }),
  query([[word('nothingcalledthis')], [word('bacon')]], { mode: 'any' }),
  // Matched by its exact name alone: FTS5 counts no text phrase where the every-term part failed.
  query([[word('bacon')], [word('cheeseburger')], [word('lemonade')]], {
    exactNames: ['bacon cheeseburger'],
  }),
];

describe('matching in memory', () => {
  it.each([
    ['the demo menu', demoMenu()],
    ['a generated catalog', generateCatalog(400, 7)],
  ])('gives FTS5’s matches, order and bm25 scores to the last bit on %s', (_, menu) => {
    const { tables, postings } = searchTables(menu);
    let matched = 0;
    for (const q of QUERIES) {
      const expected = ftsRanking(tables, q);
      expect(memoryRanking(postings, q)).toEqual(expected);
      matched += expected.length;
    }
    expect(matched).toBeGreaterThan(10);
  });

  it('gives FTS5’s scores for every word and every three-letter prefix of a generated catalog', () => {
    const { tables, postings } = searchTables(generateCatalog(1500, 11));
    const words = tables.prepare("SELECT term FROM menu_fts_vocab WHERE instr(term, '_') = 0").pluck().all();
    const queries = (words as string[]).flatMap((w) => [
      query([[word(w)]]),
      query([[word(w.slice(0, 3), true)]]),
    ]);
    for (const q of queries) expect(memoryRanking(postings, q)).toEqual(ftsRanking(tables, q));
    expect(queries.length).toBeGreaterThan(500);
  });

  it.each([
    ['the demo menu', demoMenu()],
    ['a generated catalog', generateCatalog(1500, 11)],
    ['names in other scripts', foreignNames()],
  ])('holds the words FTS5 makes of the same text, each in as many rows, on %s', (_, menu) => {
    const { tables, postings } = searchTables(menu);
    const fts = tables.prepare('SELECT term, doc AS rows FROM menu_fts_vocab').all();
    expect(fts.length).toBeGreaterThan(100);
    expect(termRowCounts(postings)).toEqual(fts);
  });

  it('needs every word of a phrase in order and in one column, and every term in every-term mode', () => {
    const { postings } = searchTables(demoMenu());
    const count = (q: SearchQuery): number => matchQuery(postings, q).rowids.length;
    expect(count(query([[word('root beer')]]))).toBe(1);
    expect(count(query([[word('beer root')]]))).toBe(0);
    expect(count(query([[word('bacon')], [word('lemonade')]]))).toBe(0);
    expect(count(query([[word('bacon')], [word('lemonade')]], { mode: 'any' }))).toBe(3);
    expect(count(query([[word('cola')], []]))).toBe(0);
  });

  it('keeps the best of many in order, and as many as asked', () => {
    const found = { rowids: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10], scores: [1, 5, 3, 5, 0, 2, 9, 1, 4, 5] };
    const all = found.rowids.map((_, position) => position);
    expect(bestOf(found, all, 1)).toEqual([6]);
    expect(bestOf(found, all, 4)).toEqual([6, 1, 3, 9]);
    expect(bestOf(found, all, 50)).toEqual([6, 1, 3, 9, 8, 2, 5, 0, 7, 4]);
    expect(bestOf(found, [0, 4, 7], 2)).toEqual([0, 7]);
  });
});
