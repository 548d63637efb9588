import type { Clock } from '../platform/clock.js';
import type { Logger } from '../platform/logger.js';
import type { Idempotency } from '../services/idempotency.js';
import type { MenuCache } from '../services/menu-cache.js';
import type { MenuSearch } from '../services/menu-search.js';
import type { CustomerIdentity, OrderService } from '../services/order-service.js';
import type { ShopService } from '../services/shop-service.js';

/** Everything the ordering tools use; one per request, with the customer the transport established. */
export interface ToolContext {
  readonly shop: ShopService;
  readonly menuSearch: MenuSearch;
  readonly menu: MenuCache;
  readonly orders: OrderService;
  readonly idempotency: Idempotency;
  readonly clock: Clock;
  readonly log: Logger;
  readonly publicUrl: string;
  readonly customer: CustomerIdentity;
}
