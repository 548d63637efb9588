import { type Daypart, type DietaryTag, type MenuItem, WEEKDAYS } from '../../domain/catalog.js';
import { createShopCalendar, type ShopCalendar } from '../../domain/shop-calendar.js';
import type { OpeningHours, TimeRange } from '../../domain/shop-settings.js';
import type { CatalogRepo } from '../../store/catalog-repo.js';
import type { SearchIndex } from '../../store/search-index.js';
import { impliedDietary } from '../../store/search-menu-text.js';
import { indexWords } from '../../store/search-text.js';
import type { FilterContext } from './menu-search-filter.js';
import { planSearch, type SearchPlan } from './menu-search-plan.js';
import { createSearchLexicon } from './search-lexicon.js';
import { bestCorrection } from './typo-correction.js';

/** Everything a search reads, loaded once per catalog version: the menu, the index's rowids, the lexicon. */
export interface MenuSnapshot extends FilterContext {
  /** The catalog and synonym versions this snapshot was loaded at. */
  readonly key: string;
  /** Every item in menu order: category sort, then item sort. */
  readonly browse: readonly MenuItem[];
  /** The items of one category in menu order (none for an unknown one): a category's browse reads only those. */
  browseCategory(categoryId: string): readonly MenuItem[];
  itemAt(rowid: number): MenuItem | undefined;
  /** The index queries for the words of a search text; memoized, typo corrections included. */
  plan(words: readonly string[]): SearchPlan;
}

// Past this many distinct texts or words a memo starts over: bounded memory, no bookkeeping per hit.
const MAX_MEMO = 1000;
const TYPO_CANDIDATES = 50;

/** Reads the menu and the search vocabulary into memory; `calendarFor` is shared across snapshots. */
export function loadMenuSnapshot(
  key: string,
  deps: { searchIndex: SearchIndex; catalog: CatalogRepo },
  calendarFor: (timezone: string) => ShopCalendar,
): MenuSnapshot {
  const { searchIndex } = deps;
  const menu = deps.catalog.loadMenu();
  const categories = new Map(menu.categories.map((c) => [c.id, c]));
  const dayparts = new Map(menu.dayparts.map((d) => [d.id, d]));
  const byId = new Map(menu.items.map((item) => [item.id, item]));
  const byRowid = new Map<number, MenuItem>();
  for (const [rowid, id] of searchIndex.itemRowids()) {
    const item = byId.get(id);
    if (item !== undefined) byRowid.set(rowid, item);
  }
  const dietary = new Map(menu.items.map((item) => [item.id, impliedDietary(item.dietary)]));
  const sortOf = (item: MenuItem): number => categories.get(item.categoryId)?.sort ?? Number.MAX_SAFE_INTEGER;
  const names = menu.items.map((item) => indexWords(item.name).join(' '));
  const lexicon = createSearchLexicon(searchIndex.vocabulary(), searchIndex.synonymGroups(), names);
  const corrections = memo<string | undefined>();
  const correct = (word: string): string | undefined =>
    corrections(word, () => bestCorrection(word, searchIndex.similarWords(word, TYPO_CANDIDATES)));
  const plans = memo<SearchPlan>();
  const browse = [...menu.items].sort(
    (a, b) => sortOf(a) - sortOf(b) || a.sort - b.sort || compare(a.id, b.id),
  );
  const byCategory = new Map<string, MenuItem[]>();
  for (const item of browse) {
    const items = byCategory.get(item.categoryId);
    if (items === undefined) byCategory.set(item.categoryId, [item]);
    else items.push(item);
  }
  // Resolved once per snapshot: "available now" asks it of every item a browse reads.
  const daypartOf = new Map<MenuItem, Daypart | undefined>();
  for (const item of menu.items) {
    const id = item.daypartId ?? categories.get(item.categoryId)?.daypartId;
    daypartOf.set(item, id === undefined ? undefined : dayparts.get(id));
  }
  return {
    key,
    browse,
    browseCategory: (categoryId) => byCategory.get(categoryId) ?? [],
    itemAt: (rowid) => byRowid.get(rowid),
    dietaryOf: (item) => dietary.get(item.id) ?? new Set<DietaryTag>(),
    daypartOf: (item) => daypartOf.get(item),
    calendarFor,
    plan: (words) => plans(words.join(' '), () => planSearch(words, lexicon, correct)),
  };
}

/** A calendar per time zone, created on first use; only its daypart checks are used, so hours stay empty. */
export function calendarCache(): (timezone: string) => ShopCalendar {
  const calendars = new Map<string, ShopCalendar>();
  const none: readonly TimeRange[] = [];
  return (timezone) => {
    let calendar = calendars.get(timezone);
    if (calendar === undefined) {
      const weekly = Object.fromEntries(WEEKDAYS.map((day) => [day, none])) as OpeningHours['weekly'];
      calendar = createShopCalendar({ timezone, weekly, exceptions: [] });
      calendars.set(timezone, calendar);
    }
    return calendar;
  };
}

function compare(a: string, b: string): number {
  if (a === b) return 0;
  return a < b ? -1 : 1;
}

function memo<T>(): (key: string, compute: () => T) => T {
  const entries = new Map<string, T>();
  return (key, compute) => {
    if (entries.has(key)) return entries.get(key) as T;
    if (entries.size >= MAX_MEMO) entries.clear();
    const value = compute();
    entries.set(key, value);
    return value;
  };
}
