import { Buffer } from 'node:buffer';
import { AppError } from '../../domain/app-error.js';
import type { MenuItem } from '../../domain/catalog.js';
import type { CatalogRepo } from '../../store/catalog-repo.js';
import type { SearchQuery } from '../../store/search-expression.js';
import type { SearchIndex } from '../../store/search-index.js';
import { bestOf } from '../../store/search-match.js';
import { queryWords } from '../../store/search-text.js';
import { itemFilter, type MenuFilters } from './menu-search-filter.js';
import type { Correction } from './menu-search-plan.js';
import { calendarCache, loadMenuSnapshot, type MenuSnapshot } from './menu-search-snapshot.js';

/** A menu search: free text (empty browses the whole menu), filters, and a page. */
export interface MenuSearchQuery extends MenuFilters {
  readonly text?: string;
  /** Page size: default 10, at most 50. */
  readonly limit?: number;
  /** `nextCursor` of the previous page. */
  readonly cursor?: string;
}

/** One result: the item and how well it matched (0 when browsing). */
export interface MenuSearchHit {
  readonly item: MenuItem;
  readonly score: number;
}

/** A page of results, best first; `corrections` tell the assistant which typos were read as what. */
export interface MenuSearchResult {
  readonly items: readonly MenuSearchHit[];
  readonly total: number;
  readonly nextCursor?: string;
  readonly corrections?: readonly Correction[];
}

/** Searches the menu the way a customer asks for food. */
export interface MenuSearch {
  search(query: MenuSearchQuery): MenuSearchResult;
}

/** Page size when the query names none. */
export const DEFAULT_SEARCH_LIMIT = 10;
/** Largest page a query may ask for. */
export const MAX_SEARCH_LIMIT = 50;
// Longer text is not a search; only the start of it is read, so a 10 KB paste costs what 500 bytes do.
const MAX_TEXT_LENGTH = 500;
// Distinct queries kept per menu snapshot; past it the cache starts over.
const MAX_CACHED_RESULTS = 500;

/** Creates the menu search; the menu, vocabulary and synonyms are cached until the catalog changes. */
export function createMenuSearch(deps: {
  searchIndex: SearchIndex;
  catalog: CatalogRepo;
  /** Keep result pages per menu snapshot (default true); benchmarks of the search itself turn it off. */
  cacheResults?: boolean;
}): MenuSearch {
  const calendarFor = calendarCache();
  let snapshot: MenuSnapshot | undefined;
  const current = (): MenuSnapshot => {
    const key = `${deps.catalog.version()}:${deps.searchIndex.version()}`;
    if (snapshot?.key !== key) snapshot = loadMenuSnapshot(key, deps, calendarFor);
    return snapshot;
  };

  // Assistants ask the same few things ("burger", "fries", "vegan") over and over: a page of results is
  // a pure function of the query and the menu snapshot, and with "available now" of the minute too.
  let results = new Map<string, MenuSearchResult>();
  let resultsFor = '';

  return {
    search(query) {
      const state = current();
      if (resultsFor !== state.key) {
        results = new Map();
        resultsFor = state.key;
      }
      const cacheKey = deps.cacheResults !== false ? resultKey(query) : undefined;
      const cached = cacheKey === undefined ? undefined : results.get(cacheKey);
      if (cached !== undefined) return cached;
      const result = searchPage(state, query);
      if (cacheKey !== undefined) {
        if (results.size >= MAX_CACHED_RESULTS) results.clear();
        results.set(cacheKey, result);
      }
      return result;
    },
  };

  function searchPage(state: MenuSnapshot, query: MenuSearchQuery): MenuSearchResult {
    const asked = Number.isFinite(query.limit) ? Math.floor(query.limit ?? 0) : DEFAULT_SEARCH_LIMIT;
    const limit = Math.min(MAX_SEARCH_LIMIT, Math.max(1, asked));
    const offset = decodeCursor(query.cursor);
    const end = offset + limit;
    const keep = itemFilter(query, state);
    const menu = query.categoryId === undefined ? state.browse : state.browseCategory(query.categoryId);
    const found = find({ state, index: deps.searchIndex, keep, menu }, query.text ?? '', end);
    return {
      items: found.hits.slice(offset, end),
      total: found.total,
      ...(end < found.total ? { nextCursor: encodeCursor(end) } : {}),
      ...(found.corrections.length > 0 ? { corrections: found.corrections } : {}),
    };
  }
}

const MINUTE_MS = 60_000;

/**
 * A page's key in the result cache: the query, with "available now" read to its minute. What it checks
 * holds for a whole minute: dayparts start and end on whole minutes (HH:MM in the shop's zone, whose
 * offset is whole minutes), and a sold-out switch changes the catalog, so the snapshot and its cache.
 */
function resultKey(query: MenuSearchQuery): string {
  const { availableNow } = query;
  if (availableNow === undefined) return JSON.stringify(query);
  const minute = Math.floor(availableNow.now.getTime() / MINUTE_MS);
  return JSON.stringify({ ...query, availableNow: { minute, timezone: availableNow.timezone } });
}

type Keep = ((item: MenuItem) => boolean) | undefined;

interface Found {
  /** The best hits, at least as many as the page needs when that many exist. */
  readonly hits: readonly MenuSearchHit[];
  readonly total: number;
  readonly corrections: readonly Correction[];
}

const NOTHING: Found = { hits: [], total: 0, corrections: [] };

/** What a search reads: the snapshot, the index, the filters and the menu a browse starts from. */
interface Scope {
  readonly state: MenuSnapshot;
  readonly index: SearchIndex;
  readonly keep: Keep;
  /** The whole menu, or the named category's items: either way `keep` still decides. */
  readonly menu: readonly MenuItem[];
}

/** The first `depth` results of a search text under the filters, and how many there are in all. */
function find({ state, index, keep, menu }: Scope, text: string, depth: number): Found {
  if (text.trim() === '') return browse(menu, keep, depth);
  const parsed = queryWords(text.slice(0, MAX_TEXT_LENGTH));
  if (parsed.empty || parsed.hadJunk) return NOTHING;
  // Only stopwords ("something please"): the customer asked to see what there is.
  if (parsed.words.length === 0) return browse(menu, keep, depth);
  const plan = state.plan(parsed.words);
  for (const tier of plan.tiers) {
    // The first tier that matches anything answers, even when the filters leave nothing of it: "root beer"
    // while it is sold out is "none available", not Onion Rings from the any-term tier.
    const found = rank(state, index, tier, keep, depth);
    if (found !== undefined) return { ...found, corrections: plan.corrections };
  }
  return { ...NOTHING, corrections: plan.corrections };
}

/** The menu in its order under the filters; hits only as deep as the page, not for the whole menu. */
function browse(menu: readonly MenuItem[], keep: Keep, depth: number): Found {
  const items = keep === undefined ? menu : menu.filter(keep);
  const hits = items.slice(0, depth).map((item) => ({ item, score: 0 }));
  return { hits, total: items.length, corrections: [] };
}

type Ranked = { readonly hits: readonly MenuSearchHit[]; readonly total: number } | undefined;

/** The best `depth` hits of one index query that pass the filters and their total; undefined: no match at all. */
function rank(
  state: MenuSnapshot,
  index: SearchIndex,
  query: SearchQuery,
  keep: Keep,
  depth: number,
): Ranked {
  const found = index.scored(query);
  if (found.rowids.length === 0) return undefined;
  // Filters run on the cached menu over every match, so the total is exact; only the page becomes hits.
  const passing: number[] = [];
  found.rowids.forEach((rowid, position) => {
    const item = state.itemAt(rowid);
    if (item !== undefined && (keep === undefined || keep(item))) passing.push(position);
  });
  if (passing.length === 0) return keep === undefined ? undefined : { hits: [], total: 0 };
  const hits = bestOf(found, passing, depth).map((position) => ({
    item: state.itemAt(found.rowids[position] ?? 0) as MenuItem,
    score: found.scores[position] ?? 0,
  }));
  return { hits, total: passing.length };
}

function encodeCursor(offset: number): string {
  return Buffer.from(JSON.stringify({ offset }), 'utf8').toString('base64url');
}

function decodeCursor(cursor: string | undefined): number {
  if (cursor === undefined || cursor === '') return 0;
  try {
    const { offset } = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as { offset?: unknown };
    if (typeof offset === 'number' && Number.isSafeInteger(offset) && offset >= 0) return offset;
  } catch {
    // Falls through to the error below: a cursor that does not parse is as wrong as one out of range.
  }
  throw new AppError(
    'invalid_input',
    'The cursor is not one a previous search returned; start again without it.',
    {
      violations: [{ code: 'invalid_input', message: 'Unknown cursor.', path: 'cursor' }],
    },
  );
}
