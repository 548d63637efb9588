import type { MenuEntryKind } from './menu-draft.js';

/*
 * The CSV menu file: one row per thing, the first row is the header. Columns may come in any order;
 * kind, id, parent, name and price must be there, the others may be left out. A cell that does not
 * apply to a row's kind must stay empty. Lists are separated by "|"; yes/no cells also take
 * true/false, y/n and 1/0 and an empty cell means no.
 *
 * kind          every row: daypart, category, group (a modifier group), option (of a group) or item
 * id            every row: a short name that never changes, like cheese-burger (a-z, 0-9, dashes);
 *               unique per kind, option ids unique across all groups
 * parent        option: the id of its group; item: the id of its category
 * name          every row: what customers see, at most 80 characters
 * description   category, item: at most 500 characters, may span several lines
 * price         item: the price in the shop currency, like 10.95 (JPY: 1200);
 *               option: the extra charge, empty means 0
 * sort          category, group, option, item: display order, a whole number; empty = order of the rows
 * sold_out      option, item: yes when it ran out ("86")
 * default       option: yes when it is picked unless the customer says otherwise
 * dietary       item: tags from vegan, vegetarian, gluten-free, dairy-free, nut-free, halal, kosher, spicy
 * allergens     item: from gluten, crustaceans, eggs, fish, peanuts, soy, milk, nuts, celery, mustard,
 *               sesame, sulphites, lupin, molluscs
 * groups        item: ids of its modifier groups, in the order they are asked
 * daypart       category, item: id of the daypart it can be ordered in; an item's overrides its category's
 * tax_rate      category: id of one of the shop's tax rates; empty = the default rate
 * image_url     item: an https:// address of a photo
 * max_quantity  item: most units of it on one order line, 1-999; empty = 20
 * selection     group: single (pick at most one) or multiple
 * min           group: fewest options a customer must pick; empty = 0
 * max           group: most options a customer may pick; empty = 1 (single) or all options (multiple)
 * days          daypart: days it applies, like mon|tue|wed; empty = every day
 * start         daypart: first minute, like 06:00
 * end           daypart: end time, like 11:00, after start; 24:00 means midnight
 */

/** Every column of the CSV menu file, in the order export writes them. */
export const CSV_COLUMNS = [
  'kind',
  'id',
  'parent',
  'name',
  'description',
  'price',
  'sort',
  'sold_out',
  'default',
  'dietary',
  'allergens',
  'groups',
  'daypart',
  'tax_rate',
  'image_url',
  'max_quantity',
  'selection',
  'min',
  'max',
  'days',
  'start',
  'end',
] as const;
export type CsvColumn = (typeof CSV_COLUMNS)[number];

/** Columns the header must have. */
export const REQUIRED_CSV_COLUMNS: readonly CsvColumn[] = ['kind', 'id', 'parent', 'name', 'price'];

/** The values of the kind column, in the order export writes the rows. */
export const CSV_KINDS: readonly MenuEntryKind[] = ['daypart', 'category', 'group', 'option', 'item'];

/** The columns each kind of row may fill; every other cell of the row must be empty. */
export const CSV_COLUMNS_BY_KIND: Readonly<Record<MenuEntryKind, readonly CsvColumn[]>> = {
  daypart: ['kind', 'id', 'name', 'days', 'start', 'end'],
  category: ['kind', 'id', 'name', 'description', 'sort', 'daypart', 'tax_rate'],
  group: ['kind', 'id', 'name', 'sort', 'selection', 'min', 'max'],
  option: ['kind', 'id', 'parent', 'name', 'price', 'sort', 'sold_out', 'default'],
  item: [
    ...['kind', 'id', 'parent', 'name', 'description', 'price', 'sort', 'sold_out'],
    ...['dietary', 'allergens', 'groups', 'daypart', 'image_url', 'max_quantity'],
  ] as CsvColumn[],
};

/** The column that holds a field of the domain menu (`categoryId` → `parent`). */
export const CSV_COLUMN_OF_FIELD: Readonly<Record<string, CsvColumn>> = {
  id: 'id',
  name: 'name',
  description: 'description',
  price: 'price',
  sort: 'sort',
  soldOut: 'sold_out',
  isDefault: 'default',
  dietary: 'dietary',
  allergens: 'allergens',
  modifierGroupIds: 'groups',
  daypartId: 'daypart',
  taxRateId: 'tax_rate',
  imageUrl: 'image_url',
  maxQuantity: 'max_quantity',
  selection: 'selection',
  min: 'min',
  max: 'max',
  days: 'days',
  start: 'start',
  end: 'end',
  categoryId: 'parent',
  groupId: 'parent',
  // A group without options is reported on its own row.
  options: 'id',
};
