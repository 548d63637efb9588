import type { ServerContext } from '@modelcontextprotocol/server';
import { AppError } from '../domain/app-error.js';
import type { Clock } from '../platform/clock.js';
import type { Logger } from '../platform/logger.js';
import type { MenuCache } from '../services/menu/menu-cache.js';
import type { MenuSearch } from '../services/menu/menu-search.js';
import type { OfferService } from '../services/offers/offer-service.js';
import type { StampCardService } from '../services/offers/stamp-card-service.js';
import type { Idempotency } from '../services/orders/idempotency.js';
import type { OrderService } from '../services/orders/order-service.js';
import type { CustomerIdentity } from '../services/orders/order-types.js';
import type { ConfirmationService } from '../services/payments/confirmation-service.js';
import type { ShopService } from '../services/shop/shop-service.js';
import { offersResult } from './present-offers.js';
import { stampCardResult } from './present-stamp-card.js';

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
  /** The shop's offers and meal deals; without them the tools show none. */
  readonly offers?: Pick<OfferService, 'current'> | undefined;
  /** The stamp card; without it the tools show none. */
  readonly stampCard?: Pick<StampCardService, 'statusOf'> | undefined;
}

/** The customer's stamp card as tools show it, or undefined (no card, or not signed in). */
export function stampCardOf(t: ToolContext, subject: string | undefined) {
  const status = subject === undefined ? undefined : t.stampCard?.statusOf(subject);
  if (status === undefined) return undefined;
  const s = t.shop.settings();
  return stampCardResult(status, {
    index: t.menu.index(),
    currency: s.profile.currency,
    locale: s.profile.locale,
  });
}

/** The shop's offers as tools show them (none without an offer service). */
export function currentOffers(t: ToolContext) {
  const s = t.shop.settings();
  const current = t.offers?.current() ?? { mealDeals: [], automatic: [] };
  return {
    current,
    shown: offersResult(current, {
      index: t.menu.index(),
      currency: s.profile.currency,
      locale: s.profile.locale,
    }),
  };
}

/** The customer the transport established for this call (carried as the request's auth info). */
export function customerOf(ctx: ServerContext): CustomerIdentity {
  const subject = ctx.http?.authInfo?.extra?.subject;
  if (typeof subject !== 'string') throw new AppError('internal', 'A tool was called without a customer.');
  return { subject };
}
