import type { Logger } from '../platform/logger.js';
import type { CatalogRepo } from '../store/catalog-repo.js';
import type { SettingsRepo } from '../store/settings-repo.js';
import { demoMenu, demoSettings } from './demo-shop.js';

/** On first boot (no settings yet) writes the demo burger bar: settings with defaults and its menu. */
export function seedShopIfEmpty(deps: {
  settings: SettingsRepo;
  catalog: CatalogRepo;
  log: Logger;
}): boolean {
  if (deps.settings.load() !== undefined) return false;
  deps.catalog.replaceMenu(demoMenu());
  deps.settings.saveAll(demoSettings());
  deps.log.info({ module: 'seed' }, 'first start: seeded the demo burger bar');
  return true;
}
