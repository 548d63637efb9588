import type { ServerContext } from '@modelcontextprotocol/server';
import { AppError } from '../domain/app-error.js';
import type { Clock } from '../platform/clock.js';
import type { Logger } from '../platform/logger.js';
import type { MenuCache } from '../services/menu/menu-cache.js';
import type { MenuSearch } from '../services/menu/menu-search.js';
import type { Idempotency } from '../services/orders/idempotency.js';
import type { OrderService } from '../services/orders/order-service.js';
import type { CustomerIdentity } from '../services/orders/order-types.js';
import type { ConfirmationService } from '../services/payments/confirmation-service.js';
import type { ShopService } from '../services/shop/shop-service.js';

/** Everything the ordering tools use, shared by every request; the customer comes with each call. */
export interface ToolContext {
  readonly shop: ShopService;
  readonly menuSearch: MenuSearch;
  readonly menu: MenuCache;
  readonly orders: OrderService;
  readonly idempotency: Idempotency;
  readonly clock: Clock;
  readonly log: Logger;
  readonly publicUrl: string;
  /** Placed orders' confirmation requests and their links. */
  readonly confirmations: Pick<ConfirmationService, 'current' | 'linkOf' | 'expireDue'>;
}

/** The customer the transport established for this call (carried as the request's auth info). */
export function customerOf(ctx: ServerContext): CustomerIdentity {
  const subject = ctx.http?.authInfo?.extra?.subject;
  if (typeof subject !== 'string') throw new AppError('internal', 'A tool was called without a customer.');
  return { subject };
}
