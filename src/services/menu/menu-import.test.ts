import { afterEach, describe, expect, it } from 'vitest';
import { type AppError, isAppError } from '../../domain/app-error.js';
import { createCatalogRepo } from '../../store/catalog-repo.js';
import { openStore, type Store } from '../../store/database.js';
import { createSettingsRepo } from '../../store/settings-repo.js';
import { demoMenu, demoSettings } from '../shop/demo-shop.js';
import { menuToCsv } from './menu-format-csv.js';
import { createMenuImporter, detectMenuFormat, MAX_LISTED_VIOLATIONS, parseMenuFile } from './menu-import.js';

const USD = { format: 'csv', currency: 'USD', taxRateIds: ['food', 'drinks'] } as const;
const HEADER =
  'kind,id,parent,name,description,price,sold_out,default,dietary,allergens,groups,daypart,tax_rate,image_url,selection,min,max,days,start,end';

function importError(text: string): AppError {
  try {
    parseMenuFile(text, USD);
  } catch (error) {
    if (isAppError(error, 'menu_import_invalid')) return error;
    throw error;
  }
  throw new Error('the file was accepted');
}

const problems = (text: string): string[] =>
  importError(text).violations.map((v) => `${v.path}: ${v.message}`);

describe('parseMenuFile', () => {
  it('checks every rule and reports all problems at once, by row and column', () => {
    const long = 'x'.repeat(81);
    const rows = [
      HEADER,
      'daypart,lunch,,Lunch,,,,,,,,,,,,,,mon|tue,11:00,10:00',
      'category,burgers,,Burgers,,,,,,,,,vat,,,,,,,',
      'category,burgers,,More burgers,,,,,,,,brunch,,,,,,,,',
      'category,sides,,Sides,,,,,,,,,drinks,,,,,,,',
      'group,size,,Size,,,,,,,,,,,single,2,3,,,',
      'option,small,size,Small,,-0.50,,yes,,,,,,,,,,,,',
      'option,large,size,Large,,1.00,,yes,,,,,,,,,,,,',
      'group,dip,,Dip,,,,,,,,,,,multiple,0,1,,,',
      'option,small,dip,Ketchup,,,,yes,,,,,,,,,,,,',
      'option,mayo,dip,Mayo,,,,yes,,,,,,,,,,,,',
      'option,bbq,sauces,BBQ,,,,,,,,,,,,,,,,',
      'group,empty,,Empty,,,,,,,,,,,multiple,,,,,',
      `item,fries,sides,${long},${'y'.repeat(501)},4.50,,,vegn,milk|shellfish,size|sauce,brunch,,http://x.test/f.jpg,,,,,,`,
      'item,fries,,Fries again,,4.50,,,,,,,,,,,,,,',
      'item,Onion Rings,side,,,5.00,,,,,,,,not a url,,,,,,',
      'item,cola,sides,Cola,,2.50,,,,,dip|dip,,,,,,,,,',
    ];
    expect(problems(rows.join('\n'))).toEqual([
      'row 2, column end: the end (10:00) must be after the start (11:00)',
      "row 3, column tax_rate: there is no tax rate with the id 'vat' — the shop's tax rates are: food, drinks",
      "row 4, column id: another category already has the id 'burgers' (row 3, column id)",
      "row 4, column daypart: there is no daypart with the id 'brunch' — the daypart ids are: lunch",
      'row 6, column max: max is 3 but the group has only 2 options',
      'row 6, column max: a single-choice group lets a customer pick one option — set max to 1, or selection to multiple',
      'row 7, column price: a price cannot be negative',
      'row 9, column max: 2 options are marked default but at most 1 can be picked',
      "row 10, column id: another option already has the id 'small' (row 7, column id)",
      "row 12, column parent: there is no modifier group with the id 'sauces' — the modifier group ids are: size, dip, empty",
      "row 13, column id: the group has no options — add options to 'empty'",
      'row 14, column name: the name is 81 characters long — at most 80 fit on the menu and the ticket',
      'row 14, column description: the description is 501 characters long — at most 500 are allowed',
      "row 14, column dietary: 'vegn' is not a dietary tag — use one of: vegan, vegetarian, gluten-free, dairy-free, nut-free, halal, kosher, spicy",
      "row 14, column allergens: 'shellfish' is not an allergen — use one of: gluten, crustaceans, eggs, fish, peanuts, soy, milk, nuts, celery, mustard, sesame, sulphites, lupin, molluscs",
      "row 14, column groups: there is no modifier group with the id 'sauce' — the modifier group ids are: size, dip, empty",
      "row 14, column daypart: there is no daypart with the id 'brunch' — the daypart ids are: lunch",
      "row 14, column image_url: 'http://x.test/f.jpg' must start with https:// — assistants only show pictures served over HTTPS",
      "row 15, column id: another item already has the id 'fries' (row 14, column id)",
      'row 15, column parent: every item needs a category — put the id of its category here',
      "row 16, column id: 'Onion Rings' is not a usable id — use lower-case letters, digits and dashes (at most 64), like onion-rings",
      "row 16, column parent: there is no category with the id 'side' — the category ids are: burgers, sides",
      'row 16, column name: every item needs a name',
      "row 16, column image_url: 'not a url' is not a web address — write it like https://example.com/burger.jpg",
      "row 17, column groups: 'dip' is listed twice",
    ]);
  });

  it('summarises the problems in the message and lists at most 100, saying how many more there were', () => {
    const rows = [HEADER, 'category,sides,,Sides,,,,,,,,,,,,,,,,'];
    for (let i = 0; i < 150; i += 1) rows.push(`item,fries-${i},sides,Fries,,4.5O,,,,,,,,,,,,,,`);
    const error = importError(rows.join('\n'));
    expect(error.violations).toHaveLength(MAX_LISTED_VIOLATIONS);
    expect(error.violations.at(-1)?.path).toBe('row 102, column price');
    expect(error.details).toEqual({ total: 150, notListed: 50 });
    expect(error.message).toBe(
      'The menu file has 150 problems (the first 100 are listed, 50 more are not); nothing was changed. ' +
        "First: row 3, column price: '4.5O' is not a price — write it like 8.50.",
    );
  });

  it('tells JSON from CSV by the first character', () => {
    expect(detectMenuFormat('\uFEFF  {"format": "counterpi-menu"}')).toBe('json');
    expect(detectMenuFormat('\uFEFFkind,id,parent')).toBe('csv');
  });
});

describe('menu importer', () => {
  let store: Store | undefined;
  afterEach(() => store?.close());

  function setUp() {
    store = openStore({ file: ':memory:' });
    const catalog = createCatalogRepo({ store });
    catalog.replaceMenu(demoMenu());
    const settings = createSettingsRepo({ store, clock: { now: () => new Date(0) } });
    settings.saveAll(demoSettings());
    return { catalog, importer: createMenuImporter({ catalog, settings }) };
  }

  it('replaces the menu and says what it imported', () => {
    const { catalog, importer } = setUp();
    const csv = [
      HEADER,
      'category,sides,,Sides,,,,,,,,,food,,,,,,,',
      'item,fries,sides,Fries,,4.50,,,vegan,,,,,,,,,,,',
    ];
    expect(importer.importMenu(csv.join('\r\n'), { format: 'auto' })).toEqual({
      items: 1,
      categories: 1,
      groups: 0,
    });
    const menu = catalog.loadMenu();
    expect(menu.items.map((item) => [item.id, item.price, item.dietary])).toEqual([
      ['fries', 450, ['vegan']],
    ]);
    expect(menu.categories.map((category) => [category.id, category.taxRateId])).toEqual([['sides', 'food']]);
    expect(menu.dayparts).toEqual([]);
  });

  it('changes nothing when the file has a problem', () => {
    const { catalog, importer } = setUp();
    const before = catalog.loadMenu();
    const csv = [
      HEADER,
      'category,sides,,Sides,,,,,,,,,,,,,,,,',
      'item,fries,sides,Fries,,4.5O,,,,,,,,,,,,,,',
    ];
    expect(() => importer.importMenu(csv.join('\n'), { format: 'csv' })).toThrow(
      expect.objectContaining({ code: 'menu_import_invalid' }),
    );
    expect(catalog.loadMenu()).toEqual(before);
    expect(before).toEqual(demoMenu());
  });

  it('exports the stored menu in both formats, and each export imports back to the same menu', () => {
    const { catalog, importer } = setUp();
    for (const format of ['csv', 'json'] as const) {
      const exported = importer.exportMenu(format);
      catalog.replaceMenu({ dayparts: [], categories: [], modifierGroups: [], items: [] });
      expect(importer.importMenu(exported, { format })).toEqual({ items: 34, categories: 6, groups: 11 });
      expect(catalog.loadMenu()).toEqual(demoMenu());
    }
    expect(importer.exportMenu('csv')).toBe(menuToCsv(demoMenu(), 'USD'));
  });

  it('refuses to import before the shop has settings', () => {
    store = openStore({ file: ':memory:' });
    const catalog = createCatalogRepo({ store });
    const settings = createSettingsRepo({ store, clock: { now: () => new Date(0) } });
    const importer = createMenuImporter({ catalog, settings });
    expect(() => importer.importMenu(menuToCsv(demoMenu(), 'USD'), { format: 'csv' })).toThrow(
      expect.objectContaining({ code: 'invalid_input' }),
    );
    expect(catalog.loadMenu().items).toEqual([]);
  });
});
