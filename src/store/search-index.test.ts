import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { query, word } from '../../test/helpers/search-query.js';
import { tempDirs } from '../../test/helpers/temp-dirs.js';
import type { Menu } from '../domain/catalog.js';
import { demoMenu } from '../services/shop/demo-shop.js';
import { type CatalogRepo, createCatalogRepo } from './catalog-repo.js';
import { openStore, type Store } from './database.js';
import { runMigrations } from './migrations.js';
import { createSearchIndex, type SearchIndex } from './search-index.js';
import { readMenuText } from './search-menu-text.js';
import { defaultSynonymGroups } from './search-synonyms.js';

const tempDir = tempDirs();

let store: Store | undefined;
afterEach(() => store?.close());

function setup(menu: Menu = demoMenu()): {
  index: SearchIndex;
  catalog: CatalogRepo;
  ids: (rowids: number[]) => string[];
} {
  store = openStore({ file: ':memory:' });
  const catalog = createCatalogRepo({ store });
  catalog.replaceMenu(menu);
  const index = createSearchIndex({ store, catalog });
  index.replaceSynonyms(defaultSynonymGroups());
  const byRowid = index.itemRowids();
  return { index, catalog, ids: (rowids) => rowids.map((rowid) => byRowid.get(rowid) ?? `?${rowid}`) };
}

/** The search text of one menu item, as readMenuText makes it from the store. */
function indexedRow(itemId: string): unknown {
  const db = store?.db as Database.Database;
  const rowid = db.prepare('SELECT rowid FROM items WHERE id = ?').pluck().get(itemId);
  const { rowid: _, ...columns } = [...readMenuText(db)].find((row) => row.rowid === rowid) ?? { rowid };
  return columns;
}

const bacon = query([[word('bacon')]]);

describe('readMenuText', () => {
  it('indexes folded words of the name, description, tags with free-from words, category, options and exact name', () => {
    setup();
    expect(indexedRow('jalapeno-burger')).toEqual({
      name: 'jalapeno burger',
      description: 'beef pepper jack jalapenos chipotle mayo',
      tags: 'spicy crustaceanfree fishfree peanutfree soyfree nutfree celeryfree mustardfree sulphitefree lupinfree molluscfree',
      category: 'burgers',
      options:
        'brioche bun glutenfree lettuce wrap extra cheese bacon avocado fried egg jalapenos onions pickles tomato sauce medium well done beef grilled chicken veggie patty double',
      exact: 'jalapeno_burger',
    });
  });

  it('derives no free-from words when the menu declares no allergens at all', () => {
    const menu = demoMenu();
    setup({ ...menu, items: menu.items.map((item) => ({ ...item, allergens: [] })) });
    expect((indexedRow('cola') as { tags: string }).tags).toBe('vegan glutenfree vegetarian dairyfree');
  });

  it('fills the vocabulary with indexed words and synonym-only words, without whole-name tokens', () => {
    const { index } = setup();
    const vocabulary = new Map(index.vocabulary().map((v) => [v.word, v.docs]));
    expect(vocabulary.get('cheeseburger')).toBe(2);
    expect(vocabulary.get('jalapeno')).toBe(1);
    expect(vocabulary.get('chips')).toBe(0);
    expect(vocabulary.get('soft')).toBe(0);
    expect(vocabulary.has('bacon_cheeseburger')).toBe(false);
    expect(vocabulary.has('with')).toBe(false);
  });
});

describe('search index', () => {
  it('ranks a name match above a description match and leaves option-only matches out', () => {
    const { index, ids } = setup();
    const bacon = query([[word('bacon')]]);
    expect(ids(index.search(bacon, 10).map((h) => h.rowid))).toEqual([
      'bacon-cheeseburger',
      'breakfast-sandwich',
    ]);
    expect(index.count(bacon)).toBe(2);
    expect(ids(index.matches(bacon)).sort()).toEqual(['bacon-cheeseburger', 'breakfast-sandwich']);
  });

  it('matches option names only when asked, still ranking the named item first', () => {
    const { index, ids } = setup();
    const hits = index.search(query([[word('bacon')]], { includeOptions: true }), 50);
    expect(hits).toHaveLength(11);
    expect(ids(hits.slice(0, 2).map((h) => h.rowid))).toEqual(['bacon-cheeseburger', 'breakfast-sandwich']);
    expect(hits[0]?.score).toBeGreaterThan(hits[2]?.score ?? Number.POSITIVE_INFINITY);
  });

  it('puts an exact name first when the query names it', () => {
    const { index, ids } = setup();
    const terms = [[word('cheeseburger')]];
    expect(ids(index.search(query(terms), 10).map((h) => h.rowid))).toEqual([
      'bacon-cheeseburger',
      'cheeseburger',
    ]);
    const exact = query(terms, { exactNames: ['cheeseburger'] });
    expect(ids(index.search(exact, 10).map((h) => h.rowid))).toEqual(['cheeseburger', 'bacon-cheeseburger']);
  });

  it('matches prefixes, phrases, and every term or any term', () => {
    const { index, ids } = setup();
    expect(ids(index.matches(query([[word('jala', true)]])))).toEqual(['jalapeno-burger']);
    expect(ids(index.matches(query([[word('root beer')]])))).toEqual(['craft-root-beer']);
    expect(index.count(query([[word('beer root')]]))).toBe(0);
    const two = [[word('bacon')], [word('lemonade')]];
    expect(index.count(query(two))).toBe(0);
    expect(ids(index.search(query(two, { mode: 'any' }), 5).map((h) => h.rowid))).toEqual([
      'lemonade',
      'bacon-cheeseburger',
      'breakfast-sandwich',
    ]);
  });

  it('returns nothing for a term without phrases in every-term mode, and skips it in any-term mode', () => {
    const { index, ids } = setup();
    expect(index.search(query([[word('cola')], []]), 10)).toEqual([]);
    expect(ids(index.matches(query([[word('cola')], []], { mode: 'any' })))).toEqual(['cola', 'diet-cola']);
    expect(index.search(query([]), 10)).toEqual([]);
  });

  it('finds words that look like a typo by their anchored trigrams', () => {
    const { index } = setup();
    expect(index.similarWords('cheesburger', 3).map((v) => v.word)).toEqual([
      'cheeseburger',
      'burger',
      'cheese',
    ]);
    expect(index.similarWords('cila', 1)).toEqual([{ word: 'cola', docs: 2 }]);
    expect(index.similarWords('', 5)).toEqual([]);
  });

  it('follows the menu: a replaced menu is what the index searches', () => {
    const { index, catalog } = setup();
    const menu = demoMenu();
    const [first] = menu.items;
    if (first === undefined) throw new Error('demo menu is empty');
    const only = { ...first, id: 'cafe-creme', name: 'Café Crème', description: 'Espresso, crème fraîche.' };
    catalog.replaceMenu({ ...menu, items: [only] });
    const byRowid = index.itemRowids();
    const found = index.matches(query([[word('cafe')], [word('creme')]]));
    expect(found.map((rowid) => byRowid.get(rowid))).toEqual(['cafe-creme']);
    expect(index.count(query([[word('cheeseburger')]]))).toBe(0);
  });
});

describe('synonyms', () => {
  it('stores groups as normalized phrases, dropping empty phrases and lone words', () => {
    const { index } = setup();
    const before = index.version();
    index.replaceSynonyms([
      ['Crème Brûlée', 'creme brulee', 'Flan!'],
      ['solo', '!!!'],
      ['Soft-Drink', 'pop'],
    ]);
    expect(index.version()).toBe(before + 1);
    expect(index.synonymGroups()).toEqual([
      ['creme brulee', 'flan'],
      ['pop', 'soft drink'],
    ]);
    const vocabulary = new Map(index.vocabulary().map((v) => [v.word, v.docs]));
    expect(vocabulary.get('flan')).toBe(0);
    expect(vocabulary.has('chips')).toBe(false);
  });

  it('seeds the default groups with multi-word phrases intact', () => {
    const { index } = setup();
    const groups = index.synonymGroups();
    expect(groups).toHaveLength(defaultSynonymGroups().length);
    expect(groups).toContainEqual(['fizzy drink', 'pop', 'soda', 'soda pop', 'soft drink']);
    expect(groups).toContainEqual(['dairyfree', 'lactosefree', 'milkfree', 'non dairy']);
  });
});

describe('search tables out of the shop file', () => {
  it('writes nothing of the search into the store and follows the menu changes made on this connection', () => {
    const { index, catalog } = setup();
    expect(index.count(bacon)).toBe(2);
    const tables = store?.db.prepare(
      "SELECT name FROM sqlite_schema WHERE name LIKE '%fts%' OR name = 'search_terms'",
    );
    expect(tables?.all()).toEqual([]);
    const menu = demoMenu();
    catalog.replaceMenu({
      ...menu,
      items: menu.items.filter((item) => item.id !== 'breakfast-sandwich'),
    });
    expect(index.count(bacon)).toBe(1);
  });

  it('follows a menu another process imported into the same file', async () => {
    const file = join(tempDir('counterpi-search-'), 'shop.db');
    store = openStore({ file });
    const catalog = createCatalogRepo({ store });
    catalog.replaceMenu(demoMenu());
    const index = createSearchIndex({ store, catalog });
    expect(index.count(bacon)).toBe(2);
    const other = openStore({ file });
    const menu = demoMenu();
    createCatalogRepo({ store: other }).replaceMenu({
      ...menu,
      items: menu.items.filter((i) => i.id !== 'bacon-cheeseburger'),
    });
    other.close();
    await vi.waitFor(() => expect(index.count(bacon)).toBe(1), { timeout: 3000, interval: 50 });
  });

  it('drops the search tables of a database written before (25) and searches its menu', () => {
    const file = join(tempDir('counterpi-search-'), 'shop.db');
    const raw = new Database(file);
    runMigrations(raw, 22);
    raw.exec(`INSERT INTO categories (id, name) VALUES ('burgers', 'Burgers');
      INSERT INTO items (id, category_id, name, price) VALUES ('bacon-burger', 'burgers', 'Bacon Burger', 900);
      INSERT INTO menu_fts (rowid, name) VALUES (1, 'bacon burger');`);
    raw.close();
    store = openStore({ file });
    const left = store.db.prepare(
      "SELECT name FROM sqlite_schema WHERE name LIKE 'menu_fts%' OR name LIKE 'search_terms%'",
    );
    expect(left.all()).toEqual([]);
    const index = createSearchIndex({ store, catalog: createCatalogRepo({ store }) });
    expect([...index.itemRowids().values()]).toEqual(['bacon-burger']);
    expect(index.count(bacon)).toBe(1);
  });
});
