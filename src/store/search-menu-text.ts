import type Database from 'better-sqlite3';
import { ALLERGENS, type DietaryTag } from '../domain/catalog.js';
import { exactNameToken } from './search-expression.js';
import { indexWords } from './search-text.js';

/**
 * The searchable text of each menu item, as words normalized by search-text.ts (folded, stopwords out, so
 * no stemmer: typo correction compares against the words as written), each column a space-joined string.
 * Column "exact" holds the whole name as one word ("bacon_cheeseburger"): an exact name ranks first.
 */
export const COLUMNS = ['name', 'description', 'tags', 'category', 'options', 'exact'] as const;

export type MenuRow = { readonly rowid: number } & { readonly [column in (typeof COLUMNS)[number]]: string };

/** Dietary tags an item has, with the ones its tags imply (vegan food is vegetarian and dairy-free). */
export function impliedDietary(tags: readonly DietaryTag[]): Set<DietaryTag> {
  const all = new Set(tags);
  if (all.has('vegan')) {
    all.add('vegetarian');
    all.add('dairy-free');
  }
  return all;
}

// The items searched: those of a category (every item has one).
const ITEMS = 'FROM items i JOIN categories c ON c.id = i.category_id';

interface ItemText {
  rowid: number;
  id: string;
  name: string;
  description: string;
  dietary: string;
  allergens: string;
  category: string;
}

/**
 * Every item's row (rowid = items.rowid), rowids ascending, read from the shop's database and made one
 * at a time as they are taken: the menu's text is never held whole, only the words made of it.
 */
export function* readMenuText(db: Database.Database): Generator<MenuRow> {
  const options = optionWordsByItem(db);
  // Free-from words are only derived when the owner declares allergens at all: an empty list on a menu
  // without allergen data means "unknown", never "free of everything".
  const declared =
    db.prepare(`SELECT EXISTS (SELECT 1 ${ITEMS} WHERE i.allergens <> '[]')`).pluck().get() === 1;
  // Tags and categories repeat from item to item: each distinct one is normalized once.
  const tags = cached(
    (item: ItemText) => `${item.dietary}|${item.allergens}`,
    (item) => tagText(item, declared),
  );
  const category = cached(
    (item: ItemText) => item.category,
    (item) => indexWords(item.category).join(' '),
  );
  const items = db.prepare(
    `SELECT i.rowid AS rowid, i.id, i.name, i.description, i.dietary, i.allergens, c.name AS category
     ${ITEMS} ORDER BY i.rowid`,
  );
  for (const item of items.iterate() as Iterable<ItemText>) {
    const name = indexWords(item.name).join(' ');
    yield {
      rowid: item.rowid,
      name,
      description: indexWords(item.description).join(' '),
      tags: tags(item),
      category: category(item),
      options: options.get(item.id) ?? '',
      exact: exactNameToken(name),
    };
  }
}

function cached<T>(keyOf: (value: T) => string, make: (value: T) => string): (value: T) => string {
  const made = new Map<string, string>();
  return (value) => {
    const key = keyOf(value);
    let text = made.get(key);
    if (text === undefined) {
      text = make(value);
      made.set(key, text);
    }
    return text;
  };
}

function tagText(item: ItemText, allergensDeclared: boolean): string {
  const tags = [...impliedDietary(JSON.parse(item.dietary) as DietaryTag[])].join(' ');
  if (!allergensDeclared) return indexWords(tags).join(' ');
  const present = new Set(JSON.parse(item.allergens) as string[]);
  const free = ALLERGENS.filter((allergen) => !present.has(allergen)).map((allergen) => `${allergen} free`);
  return [...new Set(indexWords(`${tags} ${free.join(' ')}`))].join(' ');
}

/** The words of each item's modifier option names, once each: they find an item at a low weight. */
function optionWordsByItem(db: Database.Database): Map<string, string> {
  const options = db.prepare('SELECT group_id, name FROM modifier_options').raw().all() as [string, string][];
  const groupWords = new Map<string, Set<string>>();
  for (const [groupId, name] of options) {
    const words = groupWords.get(groupId) ?? new Set<string>();
    for (const word of indexWords(name)) words.add(word);
    groupWords.set(groupId, words);
  }
  const links = db.prepare('SELECT item_id, group_id FROM item_modifier_groups').raw().all() as [
    string,
    string,
  ][];
  const itemGroups = new Map<string, string[]>();
  for (const [itemId, groupId] of links) itemGroups.set(itemId, [...(itemGroups.get(itemId) ?? []), groupId]);
  // Items with the same option groups share one text, made once: a large menu has a few dozen, not one per item.
  const texts = new Map<string, string>();
  const byItem = new Map<string, string>();
  for (const [itemId, groups] of itemGroups) {
    const key = groups.join('\n');
    let text = texts.get(key);
    if (text === undefined) {
      text = [...new Set(groups.flatMap((groupId) => [...(groupWords.get(groupId) ?? [])]))].join(' ');
      texts.set(key, text);
    }
    byItem.set(itemId, text);
  }
  return byItem;
}
