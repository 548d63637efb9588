import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { createMenuSearch, type MenuSearchQuery } from '../services/menu/menu-search.js';
import { createCatalogRepo } from '../store/catalog-repo.js';
import { openStore, type Store } from '../store/database.js';
import { createSearchIndex } from '../store/search-index.js';
import { defaultSynonymGroups } from '../store/search-synonyms.js';
import { generateCatalog } from './generate-catalog.js';

/** What to measure: catalog size, how many timed searches, and the catalog's seed. */
export interface SearchLatencyOptions {
  readonly items: number;
  readonly queries: number;
  readonly seed?: number;
}

/** Per-search wall time over the timed run, in milliseconds. */
export interface SearchLatency {
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly maxMs: number;
  readonly queries: number;
}

// 08:30 in New York on a Tuesday: breakfast is on, so daypart filtering has work to do.
const NOW = new Date('2026-03-10T12:30:00Z');
const AVAILABLE = { now: NOW, timezone: 'America/New_York' };

/** The fixed mix: plain words, prefixes, a typo, synonyms, filters, pages and an empty browse. */
const QUERY_MIX: readonly MenuSearchQuery[] = [
  { text: 'burger' },
  { text: 'chicken' },
  { text: 'spicy chicken burger' },
  { text: 'chee' },
  { text: 'teriy' },
  { text: 'chiken burgr' },
  { text: 'chips' },
  { text: 'soft drink' },
  { text: 'two large fries please' },
  { text: 'vegan', dietary: ['vegan'] },
  { text: 'pizza', maxPrice: 1200 },
  { text: 'salad', excludeAllergens: ['milk', 'eggs'] },
  { text: 'coffee', availableNow: AVAILABLE },
  { text: 'smoky bbq', limit: 20 },
  { text: 'halloumi wrap' },
  { text: 'mango smoothie' },
  { text: 'jalapeno' },
  { text: '', categoryId: 'burgers' },
  { text: '', availableNow: AVAILABLE, limit: 50 },
];

function percentile(sorted: readonly number[], fraction: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil(fraction * sorted.length) - 1)] ?? 0;
}

/** Builds a generated catalog in a temporary store file and times `queries` searches of the fixed mix. */
export function measureSearchLatency(options: SearchLatencyOptions): SearchLatency {
  return withTemporaryStore((store) => {
    const catalog = createCatalogRepo({ store });
    catalog.replaceMenu(generateCatalog(options.items, options.seed ?? 42));
    const searchIndex = createSearchIndex({ store, catalog });
    searchIndex.replaceSynonyms(defaultSynonymGroups());
    const menuSearch = createMenuSearch({ searchIndex, catalog, cacheResults: false });
    // A second page, as an assistant asks for it: with the cursor the first page returned.
    const cursor = menuSearch.search({ text: 'garlic' }).nextCursor;
    const mix = [...QUERY_MIX, { text: 'garlic', ...(cursor === undefined ? {} : { cursor }) }];
    for (let round = 0; round < 3; round += 1) for (const query of mix) menuSearch.search(query);
    const times: number[] = [];
    for (let index = 0; index < options.queries; index += 1) {
      const query = mix[index % mix.length] ?? {};
      const started = performance.now();
      menuSearch.search(query);
      times.push(performance.now() - started);
    }
    times.sort((a, b) => a - b);
    return {
      p50Ms: percentile(times, 0.5),
      p99Ms: percentile(times, 0.99),
      maxMs: times.at(-1) ?? 0,
      queries: times.length,
    };
  });
}

/** Runs `fn` on a store in a fresh temporary directory, removed afterwards whatever happens. */
function withTemporaryStore<T>(fn: (store: Store) => T): T {
  const dir = mkdtempSync(join(tmpdir(), 'counterpi-search-bench-'));
  try {
    const store = openStore({ file: join(dir, 'bench.db') });
    try {
      return fn(store);
    } finally {
      store.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
