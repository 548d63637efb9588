import {
  ALLERGENS,
  type Category,
  type Daypart,
  DEFAULT_MAX_QUANTITY,
  DIETARY_TAGS,
  type Menu,
  type MenuItem,
  type ModifierGroup,
  type ModifierOption,
  WEEKDAYS,
} from '../../domain/catalog.js';
import { type CellReader, type CellSink, createCellReader } from './menu-csv-cells.js';
import type { CsvColumn } from './menu-csv-columns.js';
import { importViolation, type MenuEntryKind } from './menu-draft.js';

/** An entry read from a row, with its row number; `sort` stays undefined when the cell was empty. */
interface Located<T> {
  readonly row: number;
  readonly value: T;
}
type Unsorted<T extends { sort: number }> = Omit<T, 'sort'> & { readonly sort: number | undefined };
type GroupRow = Omit<Unsorted<ModifierGroup>, 'options' | 'min' | 'max'> & {
  readonly min: number | undefined;
  readonly max: number | undefined;
};

/** Everything read from the rows of a CSV menu file, before options are put into their groups. */
export interface CsvEntries {
  readonly dayparts: Located<Daypart>[];
  readonly categories: Located<Unsorted<Category>>[];
  readonly groups: Located<GroupRow>[];
  readonly options: Located<Unsorted<ModifierOption>>[];
  readonly items: Located<Unsorted<MenuItem>>[];
}

/** The spreadsheet row of every entry of the assembled menu, to point problems back at the file. */
export interface CsvRowNumbers {
  readonly daypart: readonly number[];
  readonly category: readonly number[];
  readonly group: readonly number[];
  /** Per group, per option. */
  readonly option: readonly (readonly number[])[];
  readonly item: readonly number[];
}

/** Empty lists to read rows into. */
export function emptyCsvEntries(): CsvEntries {
  return { dayparts: [], categories: [], groups: [], options: [], items: [] };
}

/** Reads one row of kind `kind` from `cells` into `entries`, reporting bad cells into `sink`. */
export function readCsvRow(
  kind: MenuEntryKind,
  cells: { readonly row: number; readonly values: ReadonlyMap<CsvColumn, string>; readonly currency: string },
  entries: CsvEntries,
  sink: CellSink,
): void {
  const { row } = cells;
  const r = createCellReader(row, cells.values, cells.currency, sink);
  const base = { id: r.text('id'), name: r.text('name') };
  switch (kind) {
    case 'daypart':
      entries.dayparts.push({ row, value: readDaypart(r, base) });
      break;
    case 'category':
      entries.categories.push({ row, value: readCategory(r, base) });
      break;
    case 'group':
      entries.groups.push({ row, value: readGroup(r, base) });
      break;
    case 'option':
      entries.options.push({ row, value: readOption(r, base) });
      break;
    case 'item':
      entries.items.push({ row, value: readItem(r, base) });
      break;
  }
}

function optional(r: CellReader, column: CsvColumn): string | undefined {
  const value = r.text(column);
  return value === '' ? undefined : value;
}

function readDaypart(r: CellReader, base: { id: string; name: string }): Daypart {
  const days = r.list('days', WEEKDAYS, 'day');
  const start = r.time('start');
  return { ...base, days: r.text('days') === '' ? [...WEEKDAYS] : days, start, end: r.time('end') };
}

function readCategory(r: CellReader, base: { id: string; name: string }): Unsorted<Category> {
  return {
    ...base,
    description: r.text('description'),
    sort: r.integer('sort'),
    taxRateId: optional(r, 'tax_rate'),
    daypartId: optional(r, 'daypart'),
  };
}

function readOption(r: CellReader, base: { id: string; name: string }): Unsorted<ModifierOption> {
  return {
    ...base,
    groupId: r.text('parent'),
    price: r.price('price', 0),
    isDefault: r.yesNo('default'),
    soldOut: r.yesNo('sold_out'),
    sort: r.integer('sort'),
  };
}

function readGroup(r: CellReader, base: { id: string; name: string }): GroupRow {
  const selection = r.choice('selection', ['single', 'multiple'] as const, 'selection') ?? 'multiple';
  return { ...base, selection, min: r.integer('min'), max: r.integer('max'), sort: r.integer('sort') };
}

function readItem(r: CellReader, base: { id: string; name: string }): Unsorted<MenuItem> {
  const maxQuantity = r.integer('max_quantity') ?? DEFAULT_MAX_QUANTITY;
  return {
    ...base,
    categoryId: r.text('parent'),
    description: r.text('description'),
    price: r.price('price', undefined),
    imageUrl: optional(r, 'image_url'),
    dietary: r.list('dietary', DIETARY_TAGS, 'dietary tag'),
    allergens: r.list('allergens', ALLERGENS, 'allergen'),
    soldOut: r.yesNo('sold_out'),
    sort: r.integer('sort'),
    daypartId: optional(r, 'daypart'),
    modifierGroupIds: r.list('groups'),
    maxQuantity,
  };
}

/** Puts options into their groups and fills in what empty cells mean (sort = row order, group min and max). */
export function assembleCsvMenu(entries: CsvEntries, sink: CellSink): { menu: Menu; rows: CsvRowNumbers } {
  const optionsByGroup = groupOptions(entries, sink);
  const claimed = new Set<string>();
  const groups: ModifierGroup[] = [];
  const optionRows: number[][] = [];
  entries.groups.forEach(({ value }, position) => {
    // Options belong to the first group with their parent id; a second one is reported as a duplicate id.
    const located = claimed.has(value.id) ? [] : (optionsByGroup.get(value.id) ?? []);
    claimed.add(value.id);
    const options = located.map((o, index): ModifierOption => ({ ...o.value, sort: o.value.sort ?? index }));
    const max = value.max ?? (value.selection === 'single' ? 1 : Math.max(options.length, 1));
    groups.push({ ...value, min: value.min ?? 0, max, sort: value.sort ?? position, options });
    optionRows.push(located.map((o) => o.row));
  });
  const menu: Menu = {
    dayparts: entries.dayparts.map((d) => d.value),
    categories: withSort(entries.categories),
    modifierGroups: groups,
    items: withSort(entries.items),
  };
  const rowsOf = (list: readonly Located<unknown>[]): number[] => list.map((entry) => entry.row);
  const rows: CsvRowNumbers = {
    daypart: rowsOf(entries.dayparts),
    category: rowsOf(entries.categories),
    group: rowsOf(entries.groups),
    option: optionRows,
    item: rowsOf(entries.items),
  };
  return { menu, rows };
}

function withSort<T extends { sort: number }>(list: readonly Located<Unsorted<T>>[]): T[] {
  return list.map(({ value }, position) => ({ ...value, sort: value.sort ?? position }) as T);
}

function groupOptions(entries: CsvEntries, sink: CellSink): Map<string, Located<Unsorted<ModifierOption>>[]> {
  const groupIds = entries.groups.map((g) => g.value.id);
  const byGroup = new Map<string, Located<Unsorted<ModifierOption>>[]>(groupIds.map((id) => [id, []]));
  for (const option of entries.options) {
    const parent = option.value.groupId;
    const list = byGroup.get(parent);
    if (list !== undefined) {
      list.push(option);
      continue;
    }
    const known =
      groupIds.length > 0 && groupIds.length <= 12
        ? ` — the modifier group ids are: ${groupIds.join(', ')}`
        : '';
    const message =
      parent === ''
        ? 'an option needs the id of its modifier group here'
        : `there is no modifier group with the id '${parent}'${known}`;
    sink.violations.push(importViolation(`row ${option.row}, column parent`, message));
  }
  return byGroup;
}
