import { indexMenu, type MenuIndex } from '../../domain/menu-index.js';
import type { CatalogRepo } from '../../store/catalog-repo.js';

/** The menu with its lookup maps, rebuilt only when the catalog changes. */
export interface MenuCache {
  index(): MenuIndex;
}

/** Creates the cache over the catalog repository. */
export function createMenuCache({ catalog }: { catalog: CatalogRepo }): MenuCache {
  let version = -1;
  let cached: MenuIndex | undefined;
  return {
    index() {
      const current = catalog.version();
      if (cached === undefined || current !== version) {
        cached = indexMenu(catalog.loadMenu());
        version = current;
      }
      return cached;
    },
  };
}
