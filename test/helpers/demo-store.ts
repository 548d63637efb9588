import { createManualClock } from '../../src/platform/clock.js';
import { createSequentialIds } from '../../src/platform/ids.js';
import { createSilentLogger } from '../../src/platform/logger.js';
import { createMenuCache } from '../../src/services/menu/menu-cache.js';
import { createOrderEvents } from '../../src/services/orders/order-events.js';
import { createOrderService } from '../../src/services/orders/order-service.js';
import { seedShopIfEmpty } from '../../src/services/shop/seed-shop.js';
import { createShopService } from '../../src/services/shop/shop-service.js';
import { createCatalogRepo } from '../../src/store/catalog-repo.js';
import { openStore } from '../../src/store/database.js';
import { createOrdersRepo } from '../../src/store/orders-repo.js';
import { createSearchIndex } from '../../src/store/search-index.js';
import { createSettingsRepo } from '../../src/store/settings-repo.js';

/**
 * An in-memory store holding the demo shop, for service tests: its settings and menu, the shop and
 * menu services over them, and a manual clock at `start` (by default 17:00 UTC, Tuesday noon in New
 * York, when the demo shop is open). A `file` gives it a real database file, with its WAL.
 */
export function demoStore(start = '2026-11-24T17:00:00Z', file = ':memory:') {
  const store = openStore({ file });
  const clock = createManualClock(start);
  const settings = createSettingsRepo({ store, clock });
  const catalog = createCatalogRepo({ store });
  const searchIndex = createSearchIndex({ store, catalog });
  seedShopIfEmpty({ settings, catalog, searchIndex, log: createSilentLogger() });
  return {
    store,
    clock,
    settings,
    catalog,
    searchIndex,
    shop: createShopService({ settings, clock }),
    menu: createMenuCache({ catalog }),
  };
}

/**
 * The demo store with the order service over it: sequential ids (`ord_1` …) and the order-moved hub,
 * which the parts a test builds subscribe to.
 */
export function demoOrders(start?: string, file?: string) {
  const demo = demoStore(start, file);
  const { store, shop, menu, clock } = demo;
  const ids = createSequentialIds();
  const ordersRepo = createOrdersRepo({ store });
  const orderEvents = createOrderEvents();
  const orders = createOrderService({
    store,
    orders: ordersRepo,
    shop,
    menu,
    clock,
    ids,
    events: orderEvents,
  });
  return { ...demo, ids, ordersRepo, orderEvents, orders };
}
