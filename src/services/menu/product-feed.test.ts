import { describe, expect, it } from 'vitest';
import type { Menu, ModifierGroup } from '../../domain/catalog.js';
import { indexMenu } from '../../domain/menu-index.js';
import { createShopCalendar } from '../../domain/shop-calendar.js';
import type { ShopSettings } from '../../domain/shop-settings.js';
import { createManualClock } from '../../platform/clock.js';
import { demoMenu, demoSettings } from '../shop/demo-shop.js';
import { createProductFeed, type FeedProduct, menuProducts, targetCountry } from './product-feed.js';

function productsOf(menu: Menu, settings: ShopSettings = demoSettings()): FeedProduct[] {
  return menuProducts(indexMenu(menu), { settings, calendar: createShopCalendar(settings.hours) });
}

function find(products: readonly FeedProduct[], id: string): FeedProduct {
  const product = products.find((p) => p.id === id);
  if (product === undefined) throw new Error(`no product ${id}`);
  return product;
}

/** The demo menu with one modifier group changed. */
function withGroup(id: string, change: (group: ModifierGroup) => ModifierGroup): Menu {
  const menu = demoMenu();
  return { ...menu, modifierGroups: menu.modifierGroups.map((g) => (g.id === id ? change(g) : g)) };
}

describe('menu as ACP feed products', () => {
  it('maps an item to a product whose one variant carries the item id, price and default options', () => {
    const cheeseburger = find(productsOf(demoMenu()), 'cheeseburger');
    expect(cheeseburger).toEqual({
      id: 'cheeseburger',
      title: 'Cheeseburger',
      description: {
        plain:
          'Beef patty, American cheese, pickles, onions, house sauce.\nAllergens: gluten, milk, mustard, sesame, eggs.',
      },
      variants: [
        {
          id: 'cheeseburger',
          title: 'Cheeseburger',
          price: { amount: 1095, currency: 'USD' },
          availability: { available: true, status: 'in_stock' },
          categories: [{ value: 'Burgers', taxonomy: 'merchant' }],
          variant_options: [
            { name: 'Patty', value: 'Beef' },
            { name: 'Bun', value: 'Brioche bun' },
          ],
          seller: { name: 'Bun & Done Burger Bar' },
        },
      ],
    });
  });

  it('lists every item once, in menu order, with dietary tags as categories', () => {
    const products = productsOf(demoMenu());
    expect(products.map((p) => p.id).sort()).toEqual(
      demoMenu()
        .items.map((i) => i.id)
        .sort(),
    );
    expect(products[0]?.id).toBe('breakfast-sandwich');
    const fries = find(products, 'fries');
    expect(fries.variants[0]?.categories).toEqual([
      { value: 'Sides', taxonomy: 'merchant' },
      { value: 'vegan', taxonomy: 'dietary' },
      { value: 'gluten-free', taxonomy: 'dietary' },
    ]);
    expect(fries.description?.plain).toContain('Dietary: vegan, gluten-free.');
  });

  it('says when a daypart item is served, in the shop time zone', () => {
    const sandwich = find(productsOf(demoMenu()), 'breakfast-sandwich');
    expect(sandwich.description?.plain).toContain('Served during Breakfast: 06:00–11:00 (America/New_York).');
  });

  it('shows a sold-out item, or one whose default option ran out, as out of stock', () => {
    const products = productsOf(demoMenu());
    expect(find(products, 'craft-root-beer').variants[0]?.availability).toEqual({
      available: false,
      status: 'out_of_stock',
    });
    const noBeef = withGroup('patty', (g) => ({
      ...g,
      options: g.options.map((o) => (o.id === 'patty-beef' ? { ...o, soldOut: true } : o)),
    }));
    expect(find(productsOf(noBeef), 'cheeseburger').variants[0]?.availability).toEqual({
      available: false,
      status: 'out_of_stock',
    });
  });

  it('marks an item that needs a choice with no default as not orderable by id, without calling it sold out', () => {
    const noDefault = withGroup('patty', (g) => ({
      ...g,
      options: g.options.map((o) => ({ ...o, isDefault: false })),
    }));
    const burger = find(productsOf(noDefault), 'cheeseburger').variants[0];
    expect(burger?.availability).toEqual({ available: false });
    expect(burger?.variant_options).toEqual([{ name: 'Bun', value: 'Brioche bun' }]);
  });

  it('adds the photo as media and prices in the shop currency', () => {
    const menu = demoMenu();
    const photo = 'https://images.example.com/fries.jpg';
    const withPhoto = {
      ...menu,
      items: menu.items.map((i) => (i.id === 'fries' ? { ...i, imageUrl: photo } : i)),
    };
    const base = demoSettings();
    const euros = { ...base, profile: { ...base.profile, currency: 'EUR', locale: 'fr-FR' } };
    const fries = find(productsOf(withPhoto, euros), 'fries');
    expect(fries.media).toEqual([{ type: 'image', url: photo, alt_text: 'Fries' }]);
    expect(fries.variants[0]?.price).toEqual({ amount: 450, currency: 'EUR' });
    expect(find(productsOf(withPhoto, euros), 'onion-rings').media).toBeUndefined();
  });
});

describe('target country', () => {
  it('takes the region of the shop locale, and none when it names no country', () => {
    expect(targetCountry('en-US')).toBe('US');
    expect(targetCountry('fr-FR')).toBe('FR');
    expect(targetCountry('es-419')).toBeUndefined();
    expect(targetCountry('de')).toBeUndefined();
    expect(targetCountry('not a locale')).toBeUndefined();
  });
});

describe('product feed cache', () => {
  function setup() {
    let menu = indexMenu(demoMenu());
    let settings = demoSettings();
    const clock = createManualClock('2026-03-01T00:00:00Z');
    const feed = createProductFeed({
      menu: { index: () => menu },
      shop: { settings: () => settings, calendar: () => createShopCalendar(settings.hours) },
      clock,
    });
    return {
      feed,
      clock,
      setMenu: (next: Menu) => {
        menu = indexMenu(next);
      },
      setSettings: (next: ShopSettings) => {
        settings = next;
      },
    };
  }

  it('serializes once per menu version and moves updated_at only when the products change', () => {
    const { feed, clock, setMenu, setSettings } = setup();
    expect(feed.metadata()).toEqual({
      id: 'menu',
      target_country: 'US',
      updated_at: '2026-03-01T00:00:00.000Z',
    });
    const json = feed.productsJson();
    expect(JSON.parse(json)).toEqual({ products: feed.products() });
    clock.advance(60_000);
    expect(feed.productsJson()).toBe(json);
    setMenu(demoMenu());
    expect(feed.metadata().updated_at).toBe('2026-03-01T00:00:00.000Z');

    clock.advance(60_000);
    const menu = demoMenu();
    setMenu({ ...menu, items: menu.items.map((i) => (i.id === 'fries' ? { ...i, soldOut: true } : i)) });
    expect(feed.metadata().updated_at).toBe('2026-03-01T00:02:00.000Z');
    expect(feed.productsJson()).not.toBe(json);

    clock.advance(60_000);
    const base = demoSettings();
    setSettings({ ...base, profile: { ...base.profile, locale: 'en-CA', currency: 'CAD' } });
    expect(feed.metadata()).toEqual({
      id: 'menu',
      target_country: 'CA',
      updated_at: '2026-03-01T00:03:00.000Z',
    });
    expect(find(feed.products(), 'fries').variants[0]?.price.currency).toBe('CAD');
  });
});
