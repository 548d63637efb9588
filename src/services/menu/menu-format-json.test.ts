import { describe, expect, it } from 'vitest';
import { isAppError } from '../../domain/app-error.js';
import type { Menu } from '../../domain/catalog.js';
import { demoMenu } from '../shop/demo-shop.js';
import { menuToJson } from './menu-format-json.js';
import { parseMenuFile } from './menu-import.js';

const USD = { format: 'json', currency: 'USD', taxRateIds: ['food', 'drinks'] } as const;

function problems(text: string): string[] {
  try {
    parseMenuFile(text, USD);
  } catch (error) {
    if (!isAppError(error, 'menu_import_invalid')) throw error;
    return error.violations.map((v) => `${v.path}: ${v.message}`);
  }
  throw new Error('the file was accepted');
}

const doc = (fields: Record<string, unknown>): string =>
  JSON.stringify({ format: 'counterpi-menu', version: 1, currency: 'USD', ...fields });

describe('JSON menu format', () => {
  it('exports the demo menu and imports it back to an identical menu', () => {
    const json = menuToJson(demoMenu(), 'USD');
    expect(parseMenuFile(json, USD)).toEqual(demoMenu());
    expect(parseMenuFile(json, { ...USD, format: 'auto' })).toEqual(demoMenu());
  });

  it('writes prices as integer minor units, options inside their group, and no undefined fields', () => {
    const menu: Menu = {
      dayparts: [],
      categories: [
        { id: 'sides', name: 'Sides', description: '', sort: 0, taxRateId: undefined, daypartId: undefined },
      ],
      modifierGroups: [
        {
          ...{ id: 'dip', name: 'Dip', selection: 'single', min: 0, max: 1, sort: 0 },
          options: [
            { id: 'mayo', groupId: 'dip', name: 'Mayo', price: 50, isDefault: true, soldOut: false, sort: 0 },
          ],
        },
      ],
      items: [
        {
          ...{ id: 'fries', categoryId: 'sides', name: 'Fries', description: 'Crisp.', price: 450 },
          ...{ imageUrl: undefined, dietary: ['vegan'], allergens: [], soldOut: false, sort: 0 },
          ...{ daypartId: undefined, modifierGroupIds: ['dip'], maxQuantity: 20 },
        },
      ],
    };
    expect(JSON.parse(menuToJson(menu, 'USD'))).toStrictEqual({
      format: 'counterpi-menu',
      version: 1,
      currency: 'USD',
      dayparts: [],
      categories: [{ id: 'sides', name: 'Sides', description: '', sort: 0 }],
      modifierGroups: [
        {
          ...{ id: 'dip', name: 'Dip', selection: 'single', min: 0, max: 1, sort: 0 },
          options: [{ id: 'mayo', name: 'Mayo', price: 50, isDefault: true, soldOut: false, sort: 0 }],
        },
      ],
      items: [
        {
          ...{ id: 'fries', categoryId: 'sides', name: 'Fries', description: 'Crisp.', price: 450 },
          ...{
            dietary: ['vegan'],
            allergens: [],
            soldOut: false,
            sort: 0,
            modifierGroupIds: ['dip'],
            maxQuantity: 20,
          },
        },
      ],
    });
  });

  it('fills in optional fields: sort from the position, empty lists, max quantity 20', () => {
    const text = doc({
      categories: [{ id: 'sides', name: 'Sides' }],
      items: [
        { id: 'fries', categoryId: 'sides', name: 'Fries', price: 450 },
        { id: 'rings', categoryId: 'sides', name: 'Rings', price: 550, sort: 7 },
      ],
    });
    const menu = parseMenuFile(text, USD);
    expect(menu.items.map((item) => [item.id, item.sort, item.maxQuantity, item.dietary])).toEqual([
      ['fries', 0, 20, []],
      ['rings', 7, 20, []],
    ]);
    expect(menu.dayparts).toEqual([]);
    expect(menu.modifierGroups).toEqual([]);
  });

  it('reports every problem with its JSON path, and does not repeat a broken entry as a missing reference', () => {
    const text = JSON.stringify({
      format: 'counterpi-menu',
      version: 2,
      currency: 'EUR',
      extra: true,
      categories: [
        { id: 'burgers', name: 'Burgers' },
        { id: 'drinks', name: 'Drinks', colour: 'red' },
      ],
      modifierGroups: [
        {
          id: 'size',
          name: 'Size',
          selection: 'one',
          min: 0,
          max: 1,
          options: [{ id: 's', name: 'S', price: 0 }],
        },
        {
          id: 'dip',
          name: 'Dip',
          selection: 'multiple',
          min: 3,
          max: 2,
          options: [{ id: 'k', name: 'K', price: -5 }],
        },
      ],
      items: [
        { id: 'fries', categoryId: 'burgers', name: 'Fries', price: 4.5, dietary: ['vegn'] },
        { id: 'cola', categoryId: 'drinks', name: 'Cola', price: '2.50', modifierGroupIds: ['size'] },
        { id: 'tea', categoryId: 'drinks', name: 'Tea', price: 250, modifierGroupIds: ['size', 'ice'] },
        { id: 'pie', categoryId: 'cakes', price: 450 },
      ],
    });
    expect(problems(text)).toEqual([
      'version: should be 1 — this counterpi reads version 1 menu files',
      'extra: unknown field — the fields here are: format, version, currency, dayparts, categories, modifierGroups, items',
      "currency: the menu is priced in EUR but the shop's currency is USD",
      'categories[1].colour: unknown field — the fields here are: id, name, description, sort, taxRateId, daypartId',
      "modifierGroups[0].selection: 'one' is not a selection — use one of: single, multiple",
      'items[0].price: should be a whole number, not 4.5 — prices are whole numbers of minor units, like 1095 for 10.95',
      "items[0].dietary[0]: 'vegn' is not a dietary tag — use one of: vegan, vegetarian, gluten-free, dairy-free, nut-free, halal, kosher, spicy",
      'items[1].price: should be a whole number, not "2.50" — prices are whole numbers of minor units, like 1095 for 10.95',
      'items[3].name: is missing (text in quotes)',
      'modifierGroups[1].options[0].price: a price cannot be negative',
      'modifierGroups[1].min: min (3) is more than max (2)',
      'modifierGroups[1].max: max is 2 but the group has only 1 option',
      "items[2].modifierGroupIds: there is no modifier group with the id 'ice' — the modifier group ids are: dip, size",
    ]);
  });

  it('says what is wrong with a file that is not a menu document', () => {
    expect(problems('{"format": ')).toEqual([
      'file: the file is not valid JSON: Unexpected end of JSON input',
    ]);
    expect(problems('[1, 2]')).toEqual(['file: should be an object { … }, not [1,2]']);
    expect(problems(doc({ format: 'menu', categories: [], items: [] }))).toEqual([
      'format: should be "counterpi-menu" — is this a counterpi menu file?',
      'items: the menu has no items',
    ]);
  });
});
