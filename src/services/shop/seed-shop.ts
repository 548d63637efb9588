import type { Logger } from '../../platform/logger.js';
import type { CatalogRepo } from '../../store/catalog-repo.js';
import type { SearchIndex } from '../../store/search-index.js';
import { defaultSynonymGroups } from '../../store/search-synonyms.js';
import type { SettingsRepo } from '../../store/settings-repo.js';
import { demoMenu, demoSettings } from './demo-shop.js';

/** What seeding writes to. */
export interface SeedDeps {
  readonly settings: SettingsRepo;
  readonly catalog: CatalogRepo;
  readonly searchIndex: Pick<SearchIndex, 'replaceSynonyms'>;
  readonly log: Logger;
}

/** On first boot (no settings yet) writes the demo burger bar: settings, menu and search synonyms. */
export function seedShopIfEmpty(deps: SeedDeps): boolean {
  if (deps.settings.load() !== undefined) return false;
  deps.searchIndex.replaceSynonyms(defaultSynonymGroups());
  deps.catalog.replaceMenu(demoMenu());
  // Settings last: their presence is what marks the shop as seeded.
  deps.settings.saveAll(demoSettings());
  deps.log.info({ module: 'seed' }, 'first start: seeded the demo burger bar');
  return true;
}
