import { describe, expect, it } from 'vitest';
import type { Menu, MenuItem, ModifierGroup, ModifierOption } from './catalog.js';
import { daypartOf, indexMenu, resolveOptions } from './menu-index.js';
import { type DraftLine, type OrderContext, validateOrder } from './order-rules.js';
import { createShopCalendar } from './shop-calendar.js';

function option(groupId: string, id: string, name: string, price = 0, extra: Partial<ModifierOption> = {}) {
  return {
    id,
    groupId,
    name,
    price,
    isDefault: false,
    soldOut: false,
    sort: 0,
    ...extra,
  } satisfies ModifierOption;
}

function group(id: string, name: string, extra: Partial<ModifierGroup>): ModifierGroup {
  return { id, name, selection: 'multiple', min: 0, max: 5, sort: 0, options: [], ...extra };
}

let sort = 0;
function item(id: string, name: string, price: number, extra: Partial<MenuItem> = {}): MenuItem {
  sort += 1;
  return {
    id,
    categoryId: 'burgers',
    name,
    description: '',
    price,
    imageUrl: undefined,
    dietary: [],
    allergens: [],
    soldOut: false,
    sort,
    daypartId: undefined,
    modifierGroupIds: [],
    maxQuantity: 10,
    ...extra,
  };
}

const menu: Menu = {
  dayparts: [
    {
      id: 'breakfast',
      name: 'Breakfast',
      days: ['mon', 'tue', 'wed', 'thu', 'fri'],
      start: '07:00',
      end: '11:00',
    },
  ],
  categories: [
    { id: 'burgers', name: 'Burgers', description: '', sort: 1, taxRateId: undefined, daypartId: undefined },
    { id: 'sides', name: 'Sides', description: '', sort: 2, taxRateId: undefined, daypartId: undefined },
    {
      id: 'morning',
      name: 'Morning',
      description: '',
      sort: 3,
      taxRateId: undefined,
      daypartId: 'breakfast',
    },
    { id: 'drinks', name: 'Drinks', description: '', sort: 4, taxRateId: 'drinks', daypartId: undefined },
  ],
  modifierGroups: [
    group('patty', 'Patty', {
      selection: 'single',
      min: 1,
      max: 1,
      options: [
        option('patty', 'beef', 'Beef'),
        option('patty', 'chicken', 'Chicken'),
        option('patty', 'veggie', 'Veggie'),
      ],
    }),
    group('extras', 'Extras', {
      max: 3,
      options: [
        option('extras', 'cheddar', 'Cheddar', 100, { sort: 1 }),
        option('extras', 'bacon', 'Bacon', 150, { sort: 2, soldOut: true }),
        option('extras', 'avocado', 'Avocado', 200, { sort: 3 }),
        option('extras', 'egg', 'Egg', 100, { sort: 4 }),
        option('extras', 'jalapenos', 'Jalapeños', 50, { sort: 5 }),
      ],
    }),
    group('toppings', 'Toppings', {
      options: [
        option('toppings', 'lettuce', 'Lettuce', 0, { isDefault: true, sort: 1 }),
        option('toppings', 'tomato', 'Tomato', 0, { isDefault: true, sort: 2 }),
        option('toppings', 'onions', 'Onions', 0, { isDefault: true, sort: 3 }),
      ],
    }),
    // An owner typo: single selection with max 2 still means one.
    group('size', 'Size', {
      selection: 'single',
      min: 1,
      max: 2,
      options: [
        option('size', 'small', 'Small', 0, { isDefault: true }),
        option('size', 'large', 'Large', 100),
      ],
    }),
  ],
  items: [
    item('cheeseburger', 'Cheeseburger', 1099, { modifierGroupIds: ['patty', 'extras', 'toppings'] }),
    item('bacon-burger', 'Bacon Burger', 1299, { soldOut: true }),
    item('veggie-burger', 'Veggie Burger', 999),
    item('chicken-burger', 'Chicken Burger', 1049),
    item('double-burger', 'Double Burger', 1499),
    item('fries', 'Fries', 449, { categoryId: 'sides' }),
    item('breakfast-burrito', 'Breakfast Burrito', 899, { categoryId: 'morning' }),
    item('cola', 'Cola', 299, { categoryId: 'drinks', modifierGroupIds: ['size'] }),
  ],
};

const index = indexMenu(menu);
const everyDay = [{ open: '07:00', close: '22:00' }];
const calendar = createShopCalendar({
  timezone: 'Europe/Paris',
  weekly: {
    mon: everyDay,
    tue: everyDay,
    wed: everyDay,
    thu: everyDay,
    fri: everyDay,
    sat: everyDay,
    sun: everyDay,
  },
  exceptions: [],
});
const mondayNoon = new Date('2026-03-09T11:00:00Z');
const mondayLate = new Date('2026-03-09T22:30:00Z');

function context(lines: DraftLine[], extra: Partial<OrderContext> = {}): OrderContext {
  return {
    lines,
    menu: index,
    limits: { maxItemsPerOrder: 15, maxNoteLength: 20 },
    calendar,
    now: mondayNoon,
    placing: true,
    pausedByOwner: false,
    currency: 'EUR',
    locale: 'en-GB',
    ...extra,
  };
}

const burger = (optionIds: string[], extra: Partial<DraftLine> = {}): DraftLine => ({
  itemId: 'cheeseburger',
  quantity: 1,
  optionIds,
  ...extra,
});

describe('resolveOptions', () => {
  const cheeseburger = index.items.get('cheeseburger') as MenuItem;
  const ids = (optionIds: string[]) =>
    resolveOptions(cheeseburger, index.groups, optionIds).options.map((o) => o.id);

  it('keeps the defaults of groups the customer said nothing about', () => {
    expect(ids(['veggie', 'avocado', 'cheddar'])).toEqual([
      'veggie',
      'cheddar',
      'avocado',
      'lettuce',
      'tomato',
      'onions',
    ]);
  });

  it('replaces a group defaults with whatever the customer chose in it', () => {
    expect(ids(['beef', 'lettuce'])).toEqual(['beef', 'lettuce']);
  });

  it('reports ids that belong to none of the item groups, once each', () => {
    const resolved = resolveOptions(cheeseburger, index.groups, ['beef', 'large', 'pineapple', 'pineapple']);
    expect(resolved.unknownIds).toEqual(['large', 'pineapple']);
  });
});

describe('indexMenu and daypartOf', () => {
  it('indexes every part of the menu and finds the daypart from the category or the item', () => {
    expect([index.items.size, index.categories.size, index.groups.size, index.options.size]).toEqual([
      8, 4, 4, 13,
    ]);
    expect(daypartOf(index.items.get('breakfast-burrito') as MenuItem, index)?.id).toBe('breakfast');
    expect(daypartOf(index.items.get('fries') as MenuItem, index)).toBeUndefined();
    const override = { ...(index.items.get('fries') as MenuItem), daypartId: 'breakfast' };
    expect(daypartOf(override, index)?.name).toBe('Breakfast');
  });
});

describe('validateOrder', () => {
  it('accepts a good order', () => {
    const lines = [
      burger(['veggie', 'cheddar'], { quantity: 2, note: 'well done' }),
      { itemId: 'cola', quantity: 1, optionIds: [] },
    ];
    expect(validateOrder(context(lines))).toEqual([]);
  });

  it('refuses an empty order', () => {
    expect(validateOrder(context([]))).toEqual([
      { code: 'order_empty', message: 'The order has no items.', path: 'lines' },
    ]);
  });

  it('suggests menu items close to an unknown id', () => {
    const found = validateOrder(context([{ itemId: 'cheese-burgr', quantity: 1, optionIds: [] }]));
    expect(found).toEqual([
      {
        code: 'item_not_found',
        message: 'There is no "cheese-burgr" on the menu.',
        path: 'lines.0.itemId',
        suggestion: 'Did you mean Cheeseburger ("cheeseburger")?',
      },
    ]);
    const burgers = validateOrder(context([{ itemId: 'burger', quantity: 1, optionIds: [] }]));
    expect(burgers[0]?.suggestion).toBe(
      'Did you mean Veggie Burger ("veggie-burger"), Chicken Burger ("chicken-burger") or Double Burger ("double-burger")?',
    );
    const pizza = validateOrder(context([{ itemId: 'pizza', quantity: 1, optionIds: [] }]));
    expect(pizza[0]?.suggestion).toBe('Search the menu for its id.');
  });

  it('refuses a sold-out item and offers up to three others from its category', () => {
    expect(validateOrder(context([{ itemId: 'bacon-burger', quantity: 1, optionIds: [] }]))).toEqual([
      {
        code: 'item_sold_out',
        message: '"Bacon Burger" is sold out.',
        path: 'lines.0.itemId',
        suggestion: 'Try Cheeseburger (€10.99), Veggie Burger (€9.99) or Chicken Burger (€10.49).',
      },
    ]);
  });

  it('refuses an item outside its daypart when placing, and says when it comes back', () => {
    const burrito = [{ itemId: 'breakfast-burrito', quantity: 1, optionIds: [] }];
    expect(validateOrder(context(burrito))).toEqual([
      {
        code: 'item_unavailable_now',
        message: '"Breakfast Burrito" is only served during Breakfast (07:00–11:00).',
        path: 'lines.0.itemId',
        suggestion: 'Available from Tue 10 Mar, 7:00.',
      },
    ]);
    expect(validateOrder(context(burrito, { placing: false }))).toEqual([]);
    // Tuesday 08:00 local pickup is inside breakfast.
    expect(validateOrder(context(burrito, { pickupAt: new Date('2026-03-10T07:00:00Z') }))).toEqual([]);
  });

  it('checks the quantity of each line against the item maximum', () => {
    const codes = (quantity: number) => validateOrder(context([burger(['beef'], { quantity })]));
    expect(codes(0)).toEqual([
      {
        code: 'quantity_limit',
        message: 'Quantity for "Cheeseburger" must be a whole number from 1 to 10; got 0.',
        path: 'lines.0.quantity',
      },
    ]);
    expect(codes(2.5).map((v) => v.code)).toEqual(['quantity_limit']);
    expect(codes(11).map((v) => v.path)).toEqual(['lines.0.quantity']);
    expect(codes(10)).toEqual([]);
  });

  it('caps the units of the whole order', () => {
    const lines = [burger(['beef'], { quantity: 10 }), { itemId: 'fries', quantity: 6, optionIds: [] }];
    expect(validateOrder(context(lines))).toEqual([
      {
        code: 'quantity_limit',
        message: 'An order can have at most 15 items; this one has 16.',
        path: 'lines',
      },
    ]);
  });

  it('limits notes by characters, not UTF-16 units', () => {
    expect(validateOrder(context([burger(['beef'], { note: '🌶'.repeat(20) })]))).toEqual([]);
    expect(validateOrder(context([burger(['beef'], { note: 'x'.repeat(21) })]))).toEqual([
      {
        code: 'note_too_long',
        message: 'The note for "Cheeseburger" has 21 characters; the limit is 20.',
        path: 'lines.0.note',
        suggestion: 'Shorten the note.',
      },
    ]);
  });

  it('names the item groups when an option is unknown or belongs to another item', () => {
    const groups =
      'Options for "Cheeseburger": Patty: Beef, Chicken or Veggie; ' +
      'Extras: Cheddar (+€1.00), Avocado (+€2.00), Egg (+€1.00) or Jalapeños (+€0.50); ' +
      'Toppings: Lettuce, Tomato or Onions.';
    expect(validateOrder(context([burger(['beef', 'pineapple', 'large'])]))).toEqual([
      {
        code: 'option_not_found',
        message: 'There is no option "pineapple".',
        path: 'lines.0.options',
        suggestion: groups,
      },
      {
        code: 'option_not_allowed',
        message: '"Large" is not an option for "Cheeseburger".',
        path: 'lines.0.options',
        suggestion: groups,
      },
    ]);
    const fries = validateOrder(context([{ itemId: 'fries', quantity: 1, optionIds: ['cheddar'] }]));
    expect(fries[0]?.suggestion).toBe('"Fries" has no options.');
  });

  it('refuses a sold-out option and lists the others of its group', () => {
    expect(validateOrder(context([burger(['beef', 'bacon'])]))).toEqual([
      {
        code: 'option_sold_out',
        message: '"Bacon" (Extras) is sold out.',
        path: 'lines.0.options',
        suggestion:
          'Choose another "Extras": Cheddar (+€1.00), Avocado (+€2.00), Egg (+€1.00) or Jalapeños (+€0.50).',
      },
    ]);
  });

  it('enforces the minimum of a group', () => {
    const lines = [{ itemId: 'fries', quantity: 1, optionIds: [] }, burger(['cheddar'])];
    expect(validateOrder(context(lines))).toEqual([
      {
        code: 'modifier_min',
        message: 'Choose at least 1 option for "Patty" (Beef, Chicken or Veggie).',
        path: 'lines.1.options',
      },
    ]);
  });

  it('enforces the maximum of a group, and one choice in a single-selection group', () => {
    expect(validateOrder(context([burger(['beef', 'chicken'])]))).toEqual([
      {
        code: 'modifier_max',
        message: 'Choose at most 1 option for "Patty" (Beef, Chicken or Veggie); got 2: Beef and Chicken.',
        path: 'lines.0.options',
      },
    ]);
    const extras = validateOrder(context([burger(['beef', 'cheddar', 'avocado', 'egg', 'jalapenos'])]));
    expect(extras.map((v) => [v.code, v.message.slice(0, 45)])).toEqual([
      ['modifier_max', 'Choose at most 3 options for "Extras" (Chedda'],
    ]);
    // "Size" says max 2 but is single-selection: two sizes are refused.
    const cola = validateOrder(context([{ itemId: 'cola', quantity: 1, optionIds: ['small', 'large'] }]));
    expect(cola.map((v) => v.code)).toEqual(['modifier_max']);
  });

  it('refuses to place an order while the shop is closed and says when it opens', () => {
    expect(validateOrder(context([burger(['beef'])], { now: mondayLate }))).toEqual([
      {
        code: 'shop_closed',
        message: 'The shop is closed right now.',
        suggestion: 'Opens Tue 10 Mar, 7:00.',
      },
    ]);
    expect(validateOrder(context([burger(['beef'])], { now: mondayLate, placing: false }))).toEqual([]);
  });

  it('refuses to place an order while the owner paused ordering, even in opening hours', () => {
    expect(validateOrder(context([burger(['beef'])], { pausedByOwner: true }))).toEqual([
      {
        code: 'shop_closed',
        message: 'The shop is not taking orders right now.',
        suggestion: 'Try again later.',
      },
    ]);
  });

  it('reports every problem of every line at once, with its path', () => {
    const lines = [
      burger(['beef']),
      { itemId: 'nope', quantity: 1, optionIds: [] },
      burger([], { quantity: 0 }),
    ];
    expect(validateOrder(context(lines)).map((v) => [v.code, v.path])).toEqual([
      ['item_not_found', 'lines.1.itemId'],
      ['quantity_limit', 'lines.2.quantity'],
      ['modifier_min', 'lines.2.options'],
    ]);
  });
});
