import type { Category, Daypart, Menu, MenuItem, ModifierGroup, ModifierOption } from './catalog.js';

/** The menu with lookup maps, built once per menu version. */
export interface MenuIndex {
  readonly menu: Menu;
  readonly items: ReadonlyMap<string, MenuItem>;
  readonly categories: ReadonlyMap<string, Category>;
  readonly groups: ReadonlyMap<string, ModifierGroup>;
  readonly dayparts: ReadonlyMap<string, Daypart>;
  /** Options by id; the first one wins when several groups reuse an id. */
  readonly options: ReadonlyMap<string, ModifierOption>;
}

/** The options that apply to a line, and the ids that matched none of the item's groups. */
export interface ResolvedOptions {
  readonly options: readonly ModifierOption[];
  readonly unknownIds: readonly string[];
}

/** Builds the lookup maps of a menu once. */
export function indexMenu(menu: Menu): MenuIndex {
  const options = new Map<string, ModifierOption>();
  for (const o of menu.modifierGroups.flatMap((g) => g.options)) if (!options.has(o.id)) options.set(o.id, o);
  return {
    menu,
    items: new Map(menu.items.map((i) => [i.id, i])),
    categories: new Map(menu.categories.map((c) => [c.id, c])),
    groups: new Map(menu.modifierGroups.map((g) => [g.id, g])),
    dayparts: new Map(menu.dayparts.map((d) => [d.id, d])),
    options,
  };
}

/** The modifier groups of an item, in its display order. */
export function groupsOf(item: MenuItem, groups: ReadonlyMap<string, ModifierGroup>): ModifierGroup[] {
  return item.modifierGroupIds.flatMap((id) => groups.get(id) ?? []);
}

/** Options for a line: a group the customer said nothing about keeps its defaults; any choice replaces them. */
export function resolveOptions(
  item: MenuItem,
  groups: ReadonlyMap<string, ModifierGroup>,
  optionIds: readonly string[],
): ResolvedOptions {
  const wanted = new Set(optionIds);
  const matched = new Set<string>();
  const options: ModifierOption[] = [];
  for (const group of groupsOf(item, groups)) {
    const picked = group.options.filter((o) => wanted.has(o.id));
    for (const o of picked) matched.add(o.id);
    const applied = picked.length > 0 ? picked : group.options.filter((o) => o.isDefault);
    options.push(...applied.sort((a, b) => a.sort - b.sort));
  }
  return { options, unknownIds: [...wanted].filter((id) => !matched.has(id)) };
}

/** The daypart that limits an item: its own, else its category's. */
export function daypartOf(item: MenuItem, index: MenuIndex): Daypart | undefined {
  const id = item.daypartId ?? index.categories.get(item.categoryId)?.daypartId;
  return id === undefined ? undefined : index.dayparts.get(id);
}
