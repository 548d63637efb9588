import type { Violation } from '../../domain/app-error.js';
import type { Menu, MenuItem } from '../../domain/catalog.js';
import { importViolation, type MenuDraft } from './menu-draft.js';
import { describeJsonIssue, jsonPath } from './menu-json-issues.js';
import {
  MENU_JSON_FIELDS,
  MENU_JSON_LISTS,
  type MenuJsonEntry,
  type MenuJsonList,
  menuJsonDocumentSchema,
} from './menu-json-schema.js';

// The document format and its defaults are described in menu-json-schema.ts.

interface ReadList<K extends MenuJsonList> {
  readonly values: MenuJsonEntry<K>[];
  /** Position in the file of each value, since unreadable entries are left out. */
  readonly positions: number[];
}
type ReadLists = { readonly [K in MenuJsonList]: ReadList<K> };

interface Reading {
  readonly violations: Violation[];
  readonly unreadIds: Set<string>;
}

/** Reads a JSON menu document; every unreadable entry is reported and left out, the rest is kept for the rules. */
export function parseMenuJson(text: string, currency: string): MenuDraft {
  const reading: Reading = { violations: [], unreadIds: new Set() };
  let raw: unknown;
  try {
    raw = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return emptyDraft([importViolation('file', `the file is not valid JSON: ${reason}`)]);
  }
  const document = menuJsonDocumentSchema.safeParse(raw, { reportInput: true });
  for (const issue of document.error?.issues ?? []) {
    reading.violations.push(...describeJsonIssue(issue, [], MENU_JSON_FIELDS));
  }
  const record = typeof raw === 'object' && raw !== null ? (raw as Record<string, unknown>) : {};
  if (typeof record.currency === 'string' && record.currency !== currency) {
    const message = `the menu is priced in ${record.currency} but the shop's currency is ${currency}`;
    reading.violations.push(importViolation('currency', message));
  }
  const lists: ReadLists = {
    dayparts: readList(record, 'dayparts', reading),
    categories: readList(record, 'categories', reading),
    modifierGroups: readList(record, 'modifierGroups', reading),
    items: readList(record, 'items', reading),
  };
  return toDraft(lists, reading);
}

function readList<K extends MenuJsonList>(
  record: Record<string, unknown>,
  key: K,
  reading: Reading,
): ReadList<K> {
  const entries: unknown[] = Array.isArray(record[key]) ? record[key] : [];
  const { kind, schema } = MENU_JSON_LISTS[key];
  const result: ReadList<K> = { values: [], positions: [] };
  entries.forEach((entry, position) => {
    const parsed = schema.safeParse(entry, { reportInput: true });
    if (parsed.success) {
      result.values.push(parsed.data as MenuJsonEntry<K>);
      result.positions.push(position);
      return;
    }
    for (const issue of parsed.error.issues) {
      reading.violations.push(...describeJsonIssue(issue, [key, position], MENU_JSON_FIELDS));
    }
    const id = typeof entry === 'object' && entry !== null ? (entry as { id?: unknown }).id : undefined;
    if (typeof id === 'string') reading.unreadIds.add(`${kind}:${id}`);
  });
  return result;
}

function emptyDraft(violations: Violation[]): MenuDraft {
  const menu: Menu = { dayparts: [], categories: [], modifierGroups: [], items: [] };
  return { menu, violations, locate: () => 'file', isBroken: () => false, unreadIds: new Set() };
}

function toMenu({ dayparts, categories, modifierGroups, items }: ReadLists): Menu {
  // An empty `sort` means the entry's position in its list.
  const at = (positions: readonly number[], index: number): number => positions[index] ?? index;
  return {
    dayparts: dayparts.values.map((daypart) => ({ ...daypart })),
    categories: categories.values.map((c, i) => {
      return {
        ...c,
        sort: c.sort ?? at(categories.positions, i),
        taxRateId: c.taxRateId,
        daypartId: c.daypartId,
      };
    }),
    modifierGroups: modifierGroups.values.map((g, i) => ({
      ...g,
      sort: g.sort ?? at(modifierGroups.positions, i),
      options: g.options.map((o, index) => ({ ...o, groupId: g.id, sort: o.sort ?? index })),
    })),
    items: items.values.map((item, i) => {
      const sort = item.sort ?? at(items.positions, i);
      return { ...item, sort, imageUrl: item.imageUrl, daypartId: item.daypartId };
    }),
  };
}

function toDraft(lists: ReadLists, reading: Reading): MenuDraft {
  const listOf = {
    daypart: 'dayparts',
    category: 'categories',
    group: 'modifierGroups',
    item: 'items',
  } as const;
  return {
    menu: toMenu(lists),
    violations: reading.violations,
    unreadIds: reading.unreadIds,
    isBroken: () => false,
    locate(ref, field) {
      if (ref.kind === 'option') {
        const group = lists.modifierGroups.positions[ref.group] ?? ref.group;
        return jsonPath(['modifierGroups', group, 'options', ref.index, field]);
      }
      const list = listOf[ref.kind];
      return jsonPath([list, lists[list].positions[ref.index] ?? ref.index, field]);
    },
  };
}

/** Writes the menu as a JSON menu document (prices in minor units of `currency`), ending in a newline. */
export function menuToJson(menu: Menu, currency: string): string {
  const document = {
    format: 'counterpi-menu',
    version: 1,
    currency,
    dayparts: menu.dayparts.map(({ id, name, days, start, end }) => ({ id, name, days, start, end })),
    categories: menu.categories.map(({ id, name, description, sort, taxRateId, daypartId }) => {
      return { id, name, description, sort, taxRateId, daypartId };
    }),
    modifierGroups: menu.modifierGroups.map(({ id, name, selection, min, max, sort, options }) => {
      const optionList = options.map((o) => {
        return {
          id: o.id,
          name: o.name,
          price: o.price,
          isDefault: o.isDefault,
          soldOut: o.soldOut,
          sort: o.sort,
        };
      });
      return { id, name, selection, min, max, sort, options: optionList };
    }),
    items: menu.items.map(itemToJson),
  };
  // JSON.stringify leaves out the undefined optional fields (imageUrl, taxRateId, daypartId).
  return `${JSON.stringify(document, null, 2)}\n`;
}

function itemToJson(item: MenuItem): Record<string, unknown> {
  return {
    id: item.id,
    categoryId: item.categoryId,
    name: item.name,
    description: item.description,
    price: item.price,
    imageUrl: item.imageUrl,
    dietary: item.dietary,
    allergens: item.allergens,
    soldOut: item.soldOut,
    sort: item.sort,
    daypartId: item.daypartId,
    modifierGroupIds: item.modifierGroupIds,
    maxQuantity: item.maxQuantity,
  };
}
