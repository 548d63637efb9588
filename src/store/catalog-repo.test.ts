import { describe, expect, it } from 'vitest';
import { demoMenu } from '../services/shop/demo-shop.js';
import { createCatalogRepo } from './catalog-repo.js';
import { openStore } from './database.js';

describe('catalog repo', () => {
  it('stores the demo menu and reads back exactly the same menu', () => {
    const store = openStore({ file: ':memory:' });
    const repo = createCatalogRepo({ store });
    const menu = demoMenu();
    repo.replaceMenu(menu);
    expect(repo.loadMenu()).toEqual({
      ...menu,
      categories: [...menu.categories].sort((a, b) => a.sort - b.sort),
    });
    store.close();
  });

  it('marks an item sold out and back, and bumps the version', () => {
    const store = openStore({ file: ':memory:' });
    const repo = createCatalogRepo({ store });
    repo.replaceMenu(demoMenu());
    const before = repo.version();
    expect(repo.setItemSoldOut('cheeseburger', true)).toBe(true);
    expect(repo.loadMenu().items.find((i) => i.id === 'cheeseburger')?.soldOut).toBe(true);
    expect(repo.version()).toBeGreaterThan(before);
    expect(repo.setItemSoldOut('no-such-item', true)).toBe(false);
    store.close();
  });

  it('rejects an item whose category does not exist and keeps the previous menu', () => {
    const store = openStore({ file: ':memory:' });
    const repo = createCatalogRepo({ store });
    const menu = demoMenu();
    repo.replaceMenu(menu);
    const [first] = menu.items;
    if (first === undefined) throw new Error('demo menu is empty');
    const broken = { ...menu, items: [...menu.items, { ...first, id: 'orphan', categoryId: 'nope' }] };
    expect(() => repo.replaceMenu(broken)).toThrow(/FOREIGN KEY/);
    expect(repo.loadMenu().items).toHaveLength(menu.items.length);
    store.close();
  });
});
