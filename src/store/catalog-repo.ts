import type Database from 'better-sqlite3';
import type {
  Allergen,
  Category,
  Daypart,
  DietaryTag,
  Menu,
  MenuItem,
  ModifierGroup,
  ModifierOption,
  Weekday,
} from '../domain/catalog.js';
import { changeCounter, EXTERNAL_CHECK_MS } from './change-counts.js';
import type { Store } from './database.js';

/** Reads and writes the menu tables. Whole-menu writes are one transaction and rebuild the search index. */
export interface CatalogRepo {
  loadMenu(): Menu;
  /** Replaces the whole menu (import, seed) atomically: a crash leaves the previous menu. */
  replaceMenu(menu: Menu): void;
  /** Marks an item sold out ("86") or back; false when no such item. */
  setItemSoldOut(itemId: string, soldOut: boolean): boolean;
  setOptionSoldOut(optionId: string, soldOut: boolean): boolean;
  /** Increases whenever the menu may have changed (here, or by another process such as the CLI), so callers can cache `loadMenu()`. */
  version(): number;
}

interface ItemRow {
  id: string;
  category_id: string;
  name: string;
  description: string;
  price: number;
  image_url: string | null;
  dietary: string;
  allergens: string;
  sold_out: number;
  sort: number;
  daypart_id: string | null;
  max_quantity: number;
}

/** Creates the catalog repository over an open store. */
export function createCatalogRepo({ store }: { store: Store }): CatalogRepo {
  const { db } = store;
  const q = prepareStatements(db);
  // Changes made by another process (a CLI import while the server runs), seen within a quarter second.
  const externalChanges = changeCounter(store, 'catalog', EXTERNAL_CHECK_MS);
  let version = 0;
  const bump = (): void => {
    version += 1;
  };

  return {
    loadMenu: () => readMenu(q),
    replaceMenu(menu) {
      store.transaction(() => {
        for (const table of [
          'item_modifier_groups',
          'items',
          'modifier_options',
          'modifier_groups',
          'categories',
        ]) {
          db.prepare(`DELETE FROM ${table}`).run();
        }
        db.prepare('DELETE FROM dayparts').run();
        writeMenu(q, menu);
      });
      bump();
    },
    setItemSoldOut(itemId, soldOut) {
      const changed = store.transaction(() => q.setItemSoldOut.run(soldOut ? 1 : 0, itemId).changes > 0);
      if (changed) bump();
      return changed;
    },
    setOptionSoldOut(optionId, soldOut) {
      const changed = store.transaction(() => q.setOptionSoldOut.run(soldOut ? 1 : 0, optionId).changes > 0);
      if (changed) bump();
      return changed;
    },
    // Asking SQLite on every call would cost more than the search it guards; a quarter second is soon enough.
    version: () => version + externalChanges(),
  };
}

function prepareStatements(db: Database.Database) {
  return {
    dayparts: db.prepare('SELECT * FROM dayparts ORDER BY id'),
    categories: db.prepare('SELECT * FROM categories ORDER BY sort, id'),
    groups: db.prepare('SELECT * FROM modifier_groups ORDER BY sort, id'),
    options: db.prepare('SELECT * FROM modifier_options ORDER BY group_id, sort, id'),
    items: db.prepare('SELECT * FROM items ORDER BY sort, id'),
    itemGroups: db.prepare('SELECT item_id, group_id FROM item_modifier_groups ORDER BY item_id, sort'),
    insertDaypart: db.prepare(
      'INSERT INTO dayparts (id, name, days, start_time, end_time) VALUES (?, ?, ?, ?, ?)',
    ),
    insertCategory: db.prepare(
      'INSERT INTO categories (id, name, description, sort, tax_rate_id, daypart_id) VALUES (?, ?, ?, ?, ?, ?)',
    ),
    insertGroup: db.prepare(
      'INSERT INTO modifier_groups (id, name, selection, min_select, max_select, sort) VALUES (?, ?, ?, ?, ?, ?)',
    ),
    insertOption: db.prepare(
      'INSERT INTO modifier_options (id, group_id, name, price, is_default, sold_out, sort) VALUES (?, ?, ?, ?, ?, ?, ?)',
    ),
    insertItem: db.prepare(
      `INSERT INTO items (id, category_id, name, description, price, image_url, dietary, allergens, sold_out, sort,
        daypart_id, max_quantity) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ),
    insertItemGroup: db.prepare(
      'INSERT INTO item_modifier_groups (item_id, group_id, sort) VALUES (?, ?, ?)',
    ),
    setItemSoldOut: db.prepare('UPDATE items SET sold_out = ? WHERE id = ?'),
    setOptionSoldOut: db.prepare('UPDATE modifier_options SET sold_out = ? WHERE id = ?'),
  };
}

type Statements = ReturnType<typeof prepareStatements>;

function writeMenu(q: Statements, menu: Menu): void {
  for (const d of menu.dayparts) q.insertDaypart.run(d.id, d.name, JSON.stringify(d.days), d.start, d.end);
  for (const c of menu.categories) {
    q.insertCategory.run(c.id, c.name, c.description, c.sort, c.taxRateId ?? null, c.daypartId ?? null);
  }
  for (const g of menu.modifierGroups) {
    q.insertGroup.run(g.id, g.name, g.selection, g.min, g.max, g.sort);
    for (const o of g.options) {
      q.insertOption.run(o.id, g.id, o.name, o.price, o.isDefault ? 1 : 0, o.soldOut ? 1 : 0, o.sort);
    }
  }
  for (const i of menu.items) {
    q.insertItem.run(
      i.id,
      i.categoryId,
      i.name,
      i.description,
      i.price,
      i.imageUrl ?? null,
      JSON.stringify(i.dietary),
      JSON.stringify(i.allergens),
      i.soldOut ? 1 : 0,
      i.sort,
      i.daypartId ?? null,
      i.maxQuantity,
    );
    i.modifierGroupIds.forEach((groupId, index) => {
      q.insertItemGroup.run(i.id, groupId, index);
    });
  }
}

function readMenu(q: Statements): Menu {
  const dayparts = (q.dayparts.all() as Record<string, string>[]).map(
    (r): Daypart => ({
      id: r.id as string,
      name: r.name as string,
      days: JSON.parse(r.days as string) as Weekday[],
      start: r.start_time as string,
      end: r.end_time as string,
    }),
  );
  const categories = (q.categories.all() as Record<string, string | number | null>[]).map(
    (r): Category => ({
      id: r.id as string,
      name: r.name as string,
      description: r.description as string,
      sort: r.sort as number,
      taxRateId: (r.tax_rate_id as string | null) ?? undefined,
      daypartId: (r.daypart_id as string | null) ?? undefined,
    }),
  );
  const optionsByGroup = new Map<string, ModifierOption[]>();
  for (const r of q.options.all() as Record<string, string | number>[]) {
    const option: ModifierOption = {
      id: r.id as string,
      groupId: r.group_id as string,
      name: r.name as string,
      price: r.price as number,
      isDefault: r.is_default === 1,
      soldOut: r.sold_out === 1,
      sort: r.sort as number,
    };
    const list = optionsByGroup.get(option.groupId) ?? [];
    list.push(option);
    optionsByGroup.set(option.groupId, list);
  }
  const modifierGroups = (q.groups.all() as Record<string, string | number>[]).map(
    (r): ModifierGroup => ({
      id: r.id as string,
      name: r.name as string,
      selection: r.selection as 'single' | 'multiple',
      min: r.min_select as number,
      max: r.max_select as number,
      sort: r.sort as number,
      options: optionsByGroup.get(r.id as string) ?? [],
    }),
  );
  const groupsByItem = new Map<string, string[]>();
  for (const r of q.itemGroups.all() as { item_id: string; group_id: string }[]) {
    const list = groupsByItem.get(r.item_id) ?? [];
    list.push(r.group_id);
    groupsByItem.set(r.item_id, list);
  }
  const items = (q.items.all() as ItemRow[]).map((r) => toItem(r, groupsByItem.get(r.id) ?? []));
  return { dayparts, categories, modifierGroups, items };
}

function toItem(r: ItemRow, modifierGroupIds: string[]): MenuItem {
  return {
    id: r.id,
    categoryId: r.category_id,
    name: r.name,
    description: r.description,
    price: r.price,
    imageUrl: r.image_url ?? undefined,
    dietary: JSON.parse(r.dietary) as DietaryTag[],
    allergens: JSON.parse(r.allergens) as Allergen[],
    soldOut: r.sold_out === 1,
    sort: r.sort,
    daypartId: r.daypart_id ?? undefined,
    modifierGroupIds,
    maxQuantity: r.max_quantity,
  };
}
