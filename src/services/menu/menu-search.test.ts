import { afterEach, describe, expect, it } from 'vitest';
import { AppError } from '../../domain/app-error.js';
import { type CatalogRepo, createCatalogRepo } from '../../store/catalog-repo.js';
import { openStore, type Store } from '../../store/database.js';
import { createSearchIndex, type SearchIndex } from '../../store/search-index.js';
import { defaultSynonymGroups } from '../../store/search-synonyms.js';
import { demoMenu } from '../shop/demo-shop.js';
import { createMenuSearch, type MenuSearch, type MenuSearchQuery } from './menu-search.js';

let store: Store | undefined;
afterEach(() => store?.close());

function setup(): { search: MenuSearch; catalog: CatalogRepo; searchIndex: SearchIndex } {
  store = openStore({ file: ':memory:' });
  const catalog = createCatalogRepo({ store });
  catalog.replaceMenu(demoMenu());
  const searchIndex = createSearchIndex({ store, catalog });
  searchIndex.replaceSynonyms(defaultSynonymGroups());
  return { search: createMenuSearch({ searchIndex, catalog }), catalog, searchIndex };
}

function ids(search: MenuSearch, query: MenuSearchQuery): string[] {
  return search.search({ limit: 50, ...query }).items.map((hit) => hit.item.id);
}

const TZ = 'America/New_York';
// Tuesday 10 March 2026: 08:30 and 12:00 in New York (EDT, UTC-4).
const BREAKFAST_TIME = new Date('2026-03-10T12:30:00Z');
const LUNCH_TIME = new Date('2026-03-10T16:00:00Z');

describe('menu search: words', () => {
  it('completes a prefix', () => {
    const { search } = setup();
    expect(ids(search, { text: 'chee' })).toEqual([
      'cheese-fries',
      'bacon-cheeseburger',
      'cheeseburger',
      'mushroom-swiss',
      'double-smash',
    ]);
  });

  it('folds case and diacritics both ways', () => {
    const { search } = setup();
    expect(ids(search, { text: 'jalapeno' })).toEqual(['jalapeno-burger']);
    expect(ids(search, { text: 'JALAPEÑO' })).toEqual(['jalapeno-burger']);
    expect(ids(search, { text: 'sauteed' })).toEqual(['mushroom-swiss']);
    expect(ids(search, { text: 'sautéed' })).toEqual(['mushroom-swiss']);
  });

  it('corrects typos against the vocabulary and says so', () => {
    const { search } = setup();
    const burger = search.search({ text: 'cheesburger' });
    expect(burger.items.map((hit) => hit.item.id)).toEqual(['cheeseburger', 'bacon-cheeseburger']);
    expect(burger.corrections).toEqual([{ from: 'cheesburger', to: 'cheeseburger' }]);
    const fries = search.search({ text: 'frise' });
    expect(fries.items.map((hit) => hit.item.id)).toEqual(['fries', 'cheese-fries', 'sweet-potato-fries']);
    expect(fries.corrections).toEqual([{ from: 'frise', to: 'fries' }]);
  });

  it('leaves known words, their plurals and prefixes of words uncorrected', () => {
    const { search } = setup();
    for (const text of ['cheeseburgers', 'onions', 'chees', 'coke']) {
      expect(search.search({ text }).corrections).toBeUndefined();
    }
    expect(ids(search, { text: 'pancakes' })).toEqual(['pancake-stack']);
  });

  it('expands synonyms, multi-word ones included', () => {
    const { search } = setup();
    expect(ids(search, { text: 'chips' })).toEqual(['fries', 'cheese-fries', 'sweet-potato-fries']);
    expect(ids(search, { text: 'french fries' })).toEqual(['fries', 'cheese-fries', 'sweet-potato-fries']);
    expect(ids(search, { text: 'coke' })).toEqual(['cola', 'diet-cola']);
    expect(ids(search, { text: 'coca-cola' })).toEqual(['cola', 'diet-cola']);
    expect(ids(search, { text: 'ice tea' })).toEqual(['iced-tea']);
    expect(ids(search, { text: 'soft drinks' })).toEqual([
      'sparkling-water',
      'coffee',
      'craft-root-beer',
      'cola',
      'diet-cola',
      'iced-tea',
      'lemonade',
    ]);
  });

  it('drops quantity and politeness words and reads free-from phrases', () => {
    const { search } = setup();
    expect(ids(search, { text: 'two cheeseburgers with some fries please' })).toEqual([
      'cheeseburger',
      'fries',
      'bacon-cheeseburger',
      'cheese-fries',
      'sweet-potato-fries',
    ]);
    expect(ids(search, { text: 'two cheeseburgers please' })).toEqual(['cheeseburger', 'bacon-cheeseburger']);
    expect(ids(search, { text: 'dairy-free burger' })).toEqual(['hamburger', 'veggie-burger']);
    expect(ids(search, { text: 'burger, no dairy' })).toEqual(['hamburger', 'veggie-burger']);
  });
});

describe('menu search: ranking and fallback', () => {
  it('ranks a name match above a description match', () => {
    const { search } = setup();
    expect(ids(search, { text: 'bacon' })).toEqual(['bacon-cheeseburger', 'breakfast-sandwich']);
    expect(ids(search, { text: 'onions' })).toEqual([
      'onion-rings',
      'bbq-burger',
      'cheeseburger',
      'hamburger',
      'double-smash',
    ]);
  });

  it('finds modifier options when the item text has every word nowhere', () => {
    const { search } = setup();
    expect(ids(search, { text: 'oat milk' })).toEqual(['coffee']);
  });

  it('falls back from every word to any word when nothing has them all', () => {
    const { search } = setup();
    expect(ids(search, { text: 'bacon lemonade' })).toEqual([
      'lemonade',
      'bacon-cheeseburger',
      'breakfast-sandwich',
    ]);
    expect(ids(search, { text: 'cheeseburger xyzzy' })).toEqual(['cheeseburger', 'bacon-cheeseburger']);
  });

  it('answers garbage with nothing and without throwing', () => {
    const { search } = setup();
    for (const text of ['!!!', 'x'.repeat(10_240), 'zq '.repeat(3_500), '\u0000\u202e\u200b🍔🍔']) {
      expect(search.search({ text })).toEqual({ items: [], total: 0 });
    }
  });
});

describe('menu search: browse, filters and pages', () => {
  it('browses the whole menu in menu order when the text is empty or only stopwords', () => {
    const { search } = setup();
    const all = search.search({ text: '', limit: 50 });
    expect(all.total).toBe(34);
    expect(all.items.slice(0, 5).map((hit) => hit.item.id)).toEqual([
      'breakfast-sandwich',
      'pancake-stack',
      'avocado-toast',
      'hash-browns',
      'cheeseburger',
    ]);
    expect(ids(search, { text: 'something please' })).toEqual(all.items.map((hit) => hit.item.id));
  });

  it('filters by category, dietary tags (vegan counts as vegetarian), allergens and price', () => {
    const { search } = setup();
    expect(ids(search, { categoryId: 'sides' })).toEqual([
      'fries',
      'sweet-potato-fries',
      'onion-rings',
      'cheese-fries',
      'coleslaw',
      'mozzarella-sticks',
    ]);
    expect(ids(search, { text: 'burger', dietary: ['vegan'] })).toEqual(['veggie-burger']);
    expect(ids(search, { text: 'toast', dietary: ['vegetarian'] })).toEqual(['avocado-toast']);
    expect(ids(search, { text: 'burger', excludeAllergens: ['milk'] })).toEqual([
      'hamburger',
      'veggie-burger',
    ]);
    expect(ids(search, { text: 'shake', excludeAllergens: ['milk'] })).toEqual([]);
    expect(ids(search, { text: 'burger', maxPrice: 1200 })).toEqual([
      'hamburger',
      'veggie-burger',
      'cheeseburger',
    ]);
  });

  it('keeps only what can be ordered now: breakfast inside its daypart, nothing sold out', () => {
    const { search, catalog } = setup();
    const breakfast = (now: Date) =>
      ids(search, { categoryId: 'breakfast', availableNow: { now, timezone: TZ } });
    expect(breakfast(BREAKFAST_TIME)).toEqual([
      'breakfast-sandwich',
      'pancake-stack',
      'avocado-toast',
      'hash-browns',
    ]);
    expect(breakfast(LUNCH_TIME)).toEqual([]);
    expect(ids(search, { text: 'root beer' })).toEqual(['craft-root-beer']);
    // Sold out: the answer is "none available", not the any-word match "Beer-battered onion rings".
    expect(ids(search, { text: 'root beer', availableNow: { now: LUNCH_TIME, timezone: TZ } })).toEqual([]);
    catalog.setItemSoldOut('cola', true);
    expect(ids(search, { text: 'cola', availableNow: { now: LUNCH_TIME, timezone: TZ } })).toEqual([
      'diet-cola',
    ]);
  });

  it('pages with an opaque cursor until every result was seen once', () => {
    const { search } = setup();
    const seen: string[] = [];
    let cursor: string | undefined;
    const totals: number[] = [];
    do {
      const page = search.search({ text: 'burger', limit: 3, ...(cursor === undefined ? {} : { cursor }) });
      seen.push(...page.items.map((hit) => hit.item.id));
      totals.push(page.total);
      cursor = page.nextCursor;
    } while (cursor !== undefined);
    expect(totals).toEqual([8, 8, 8]);
    expect(seen).toEqual(ids(search, { text: 'burger' }));
    expect(new Set(seen).size).toBe(8);
  });

  it('pages a filtered search and a browse the same way', () => {
    const { search } = setup();
    const first = search.search({ dietary: ['vegan'], limit: 5 });
    expect(first.total).toBe(12);
    const second = search.search({ dietary: ['vegan'], limit: 5, cursor: first.nextCursor ?? '' });
    const third = search.search({ dietary: ['vegan'], limit: 5, cursor: second.nextCursor ?? '' });
    expect(third.nextCursor).toBeUndefined();
    const paged = [first, second, third].flatMap((page) => page.items.map((hit) => hit.item.id));
    expect(paged).toEqual(ids(search, { dietary: ['vegan'] }));
  });

  it('clamps the page size and rejects a cursor it did not make', () => {
    const { search } = setup();
    expect(search.search({ limit: 500 }).items).toHaveLength(34);
    expect(search.search({ limit: 0 }).items).toHaveLength(1);
    expect(search.search({}).items).toHaveLength(10);
    expect(() => search.search({ cursor: 'not-a-cursor' })).toThrow(AppError);
    expect(() => search.search({ cursor: Buffer.from('{"offset":-1}').toString('base64url') })).toThrow(
      expect.objectContaining({ code: 'invalid_input' }),
    );
  });
});

describe('menu search: caches', () => {
  it('sees a new menu and new synonyms on the next search', () => {
    const { search, catalog, searchIndex } = setup();
    expect(ids(search, { text: 'flan' })).toEqual([]);
    searchIndex.replaceSynonyms([...defaultSynonymGroups(), ['flan', 'apple pie']]);
    expect(ids(search, { text: 'flan' })).toEqual(['apple-pie']);
    const menu = demoMenu();
    const [first] = menu.items;
    if (first === undefined) throw new Error('demo menu is empty');
    catalog.replaceMenu({ ...menu, items: [{ ...first, id: 'cafe-creme', name: 'Café Crème' }] });
    expect(ids(search, { text: 'cafe' })).toEqual(['cafe-creme']);
    expect(ids(search, { text: 'café' })).toEqual(['cafe-creme']);
    expect(ids(search, { text: 'cheeseburger' })).toEqual([]);
  });
});

describe('menu search: result pages', () => {
  it('serves a repeated query from the cache until the menu changes', () => {
    const store = openStore({ file: ':memory:' });
    const catalog = createCatalogRepo({ store });
    catalog.replaceMenu(demoMenu());
    const search = createMenuSearch({ searchIndex: createSearchIndex({ store, catalog }), catalog });
    const first = search.search({ text: 'fries' });
    expect(search.search({ text: 'fries' })).toBe(first);
    expect(first.items.map((h) => h.item.id)).toContain('fries');
    catalog.setItemSoldOut('fries', true);
    const after = search.search({ text: 'fries', availableNow: undefined });
    expect(after).not.toBe(first);
    expect(after.items.find((h) => h.item.id === 'fries')?.item.soldOut).toBe(true);
    store.close();
  });

  it('keeps an "available now" page for its minute: the end of a daypart shows at once', () => {
    const { search, catalog } = setup();
    // Breakfast ends at 11:00 in New York: 15:00Z on Tuesday 10 March 2026 (EDT).
    const at = (iso: string) =>
      search.search({ categoryId: 'breakfast', availableNow: { now: new Date(iso), timezone: TZ } });
    const early = at('2026-03-10T14:59:05Z');
    expect(early.items.map((hit) => hit.item.id)).toContain('pancake-stack');
    expect(at('2026-03-10T14:59:59.999Z')).toBe(early);
    expect(at('2026-03-10T15:00:00Z').items).toEqual([]);
    // A sold-out switch is seen within the minute.
    catalog.setItemSoldOut('pancake-stack', true);
    const after = at('2026-03-10T14:59:30Z');
    expect(after).not.toBe(early);
    expect(after.items.map((hit) => hit.item.id)).not.toContain('pancake-stack');
  });
});
