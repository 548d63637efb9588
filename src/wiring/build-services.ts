import { loadOrCreateAcpSigningRoot } from '../auth/key-files.js';
import { ACCESS_TOKEN_TTL_SECONDS } from '../auth/provider-configuration.js';
import type { Config } from '../config/config.js';
import { orderPageUrl } from '../http/order-page-routes.js';
import { systemClock } from '../platform/clock.js';
import { timeOrderedIds } from '../platform/ids.js';
import { createAuditLog } from '../services/audit/audit-log.js';
import { auditOrderMoves } from '../services/audit/order-move-audit.js';
import { createAcpKeys } from '../services/checkout/acp-keys.js';
import { createCartService } from '../services/checkout/cart-service.js';
import { createCheckoutService } from '../services/checkout/checkout-service.js';
import { createFeedSales } from '../services/menu/feed-sales.js';
import { createMenuCache } from '../services/menu/menu-cache.js';
import { createMenuImporter } from '../services/menu/menu-import.js';
import { createMenuSearch } from '../services/menu/menu-search.js';
import { createProductFeed } from '../services/menu/product-feed.js';
import { createOfferService } from '../services/offers/offer-service.js';
import { createStampCardService } from '../services/offers/stamp-card-service.js';
import { createCustomerService } from '../services/orders/customer-service.js';
import { createIdempotency } from '../services/orders/idempotency.js';
import { createOrderEvents } from '../services/orders/order-events.js';
import { createOrderRefunds } from '../services/orders/order-refunds.js';
import { createOrderService } from '../services/orders/order-service.js';
import { createStaffOrders } from '../services/orders/staff-orders.js';
import { createShopService } from '../services/shop/shop-service.js';
import { createReceiverPolicy } from '../services/webhooks/receiver-address.js';
import { createWebhookDelivery } from '../services/webhooks/webhook-delivery.js';
import { createWebhookEndpoints } from '../services/webhooks/webhook-endpoints.js';
import { createWebhookOutbox } from '../services/webhooks/webhook-outbox.js';
import { createAcpKeysRepo } from '../store/acp-keys-repo.js';
import { createAttributionRepo } from '../store/attribution-repo.js';
import { createAuditRepo } from '../store/audit-repo.js';
import { createCartRepo } from '../store/cart-repo.js';
import { createCatalogRepo } from '../store/catalog-repo.js';
import { createCheckoutRepo } from '../store/checkout-repo.js';
import { createIdempotencyRepo } from '../store/idempotency-repo.js';
import { createOauthStorage } from '../store/oauth-adapter.js';
import { createOffersRepo } from '../store/offers-repo.js';
import { createOrdersRepo } from '../store/orders-repo.js';
import { createOwnerRepo } from '../store/owner-repo.js';
import { createOwnerTokensRepo } from '../store/owner-tokens-repo.js';
import { createSearchIndex } from '../store/search-index.js';
import { createSettingsRepo } from '../store/settings-repo.js';
import { createStampsRepo } from '../store/stamps-repo.js';
import { createWebhookRepo } from '../store/webhook-repo.js';
import { buildAppliance } from './build-appliance.js';
import type { BuildContext, ServiceStore } from './build-context.js';
import { buildKitchen, buildOperations } from './build-kitchen.js';
import { buildNotify } from './build-notify.js';
import { buildPayments } from './build-payments.js';
import { buildReports } from './build-reports.js';
import type { CounterpiDeps } from './counterpi-deps.js';

/**
 * Builds every service of the shop over one store, wired to each other; nothing runs (no timer, no
 * printer, no GPIO) until the workers start. Tests build them over a store of their own.
 */
export async function buildServices(base: ServiceStore, config: Config, deps: CounterpiDeps) {
  const context = {
    ...base,
    config,
    deps,
    clock: deps.clock ?? systemClock,
    ids: deps.ids ?? timeOrderedIds,
    log: deps.log,
  };
  const appliance = buildAppliance(context);
  const at: BuildContext = { ...context, gate: appliance.orderGate };
  const core = buildCore(at);
  const ordering = buildOrdering(at, core);
  // The order moves' listeners subscribe in this order, and run in it: the audit row (buildOrdering),
  // the webhook outbox, the confirmation, the print queue, the kitchen signals; the owner's pages last.
  const payments = await buildPayments(at, core, ordering);
  const kitchen = buildKitchen(at, core, ordering);
  const notify = buildNotify(at, {
    orderEvents: ordering.orderEvents,
    ordersRepo: core.ordersRepo,
    shop: core.shop,
  });
  return {
    ...notify,
    ...core,
    ...ordering,
    ...payments,
    ...kitchen,
    ...buildAcp(at, core, { ...ordering, ...payments }),
    ...buildOperations(at, core),
    ...buildReports(at, { ...core, ...kitchen }),
    ...appliance,
  };
}

/** Every service of the shop (see buildServices). */
export type Services = Awaited<ReturnType<typeof buildServices>>;

/** The shop, its menu and the stores of records every other part reads. */
function buildCore(at: BuildContext) {
  const { store, clock } = at;
  const settings = createSettingsRepo({ store, clock });
  const catalog = createCatalogRepo({ store });
  const idempotencyRepo = createIdempotencyRepo({ store });
  return {
    store,
    clock,
    ids: at.ids,
    settings,
    catalog,
    shop: createShopService({ settings, clock }),
    menu: createMenuCache({ catalog }),
    menuSearch: createMenuSearch({ searchIndex: createSearchIndex({ store, catalog }), catalog }),
    idempotencyRepo,
    idempotency: createIdempotency({ repo: idempotencyRepo, store, clock }),
    ordersRepo: createOrdersRepo({ store }),
    // One instance: it keeps the offers parsed and counts its own writes (the owner's pages write through it).
    offersRepo: createOffersRepo({ store }),
    // The owner's account and sessions.
    ownerRepo: createOwnerRepo({ store }),
    oauthStorage: createOauthStorage({ store, clock, accessTokenTtlSeconds: ACCESS_TOKEN_TTL_SECONDS }),
    audit: createAuditLog({
      store,
      repo: createAuditRepo({ store }),
      clock,
      log: at.log.child({ module: 'audit' }),
      writer: at.auditWriter,
    }),
  };
}

type Core = ReturnType<typeof buildCore>;

/** The orders, their moves' hub with the audit row first on it, and the ACP order webhooks. */
function buildOrdering(at: BuildContext, core: Core) {
  const { store, clock, ids, config } = at;
  const orderEvents = createOrderEvents();
  const stampCard = createStampCardService({
    stamps: createStampsRepo({ store }),
    orders: core.ordersRepo,
    clock,
    orderEvents,
  });
  const offers = createOfferService({
    offers: core.offersRepo,
    orders: core.ordersRepo,
    shop: core.shop,
    clock,
    orderEvents,
    stampCard,
  });
  const orders = createOrderService({
    store,
    orders: core.ordersRepo,
    shop: core.shop,
    menu: core.menu,
    clock,
    ids,
    gate: at.gate,
    events: orderEvents,
    offers,
  });
  auditOrderMoves({ orderEvents, audit: core.audit });
  const webhookRepo = createWebhookRepo({ store });
  const receivers = createReceiverPolicy(config.webhookPrivateReceivers);
  const webhookDelivery = createWebhookDelivery({
    repo: webhookRepo,
    receivers,
    clock,
    log: at.log,
    ...at.deps.webhooks,
  });
  const webhookOutbox = createWebhookOutbox({
    repo: webhookRepo,
    settings: () => core.shop.settings(),
    clock,
    ids,
    permalink: (orderId) => orderPageUrl(config.publicUrl, orderId),
    written: () => webhookDelivery.wake(),
    orderEvents,
  });
  return {
    orderEvents,
    offers,
    stampCard,
    orders,
    // Phone and counter orders keyed in on the owner pages, through the same order service.
    staffOrders: createStaffOrders({
      store,
      orders,
      ordersRepo: core.ordersRepo,
      idempotency: core.idempotency,
      audit: core.audit,
      shop: core.shop,
      menu: core.menu,
      clock,
      ids,
    }),
    webhookDelivery,
    webhookOutbox,
    webhookEndpoints: createWebhookEndpoints({ repo: webhookRepo, clock, ids, receivers }),
  };
}

type Ordering = ReturnType<typeof buildOrdering>;

/** The ACP checkout and carts, their API keys and product feed, and the customers' accounts. */
function buildAcp(
  at: BuildContext,
  core: Core,
  ordering: Ordering & Awaited<ReturnType<typeof buildPayments>>,
) {
  const { store, clock, ids } = at;
  const { shop, menu, ordersRepo } = core;
  return {
    checkout: createCheckoutService({
      store,
      sessions: createCheckoutRepo({ store }),
      attributions: createAttributionRepo({ store }),
      orders: ordering.orders,
      ordersRepo,
      shop,
      menu,
      clock,
      ids,
      vault: ordering.vault,
      onOrderCreated: (order, sessionId) => ordering.webhookOutbox.orderCreated(order, sessionId),
      gate: at.gate,
      offers: ordering.offers,
    }),
    carts: createCartService({
      store,
      carts: createCartRepo({ store }),
      shop,
      menu,
      ordersRepo,
      clock,
      ids,
      gate: at.gate,
      offers: ordering.offers,
    }),
    // ACP API keys: the ACP routes verify with this instance, the owner's keys page creates and revokes.
    acpKeys: createAcpKeys({
      repo: createAcpKeysRepo({ store }),
      clock,
      ids,
      signingRoot: loadOrCreateAcpSigningRoot(at.config.dataDir),
    }),
    productFeed: createProductFeed({ menu, shop, clock, sales: createFeedSales(ordering.offers) }),
    customers: createCustomerService({ store, orders: ordersRepo, clock, ids }),
    // One instance for /mcp and the owner's keys page: a revocation there is seen here at once.
    ownerTokens: createOwnerTokensRepo({ store, orders: ordersRepo }),
    refunds: createOrderRefunds({ store, orders: ordering.orders, ordersRepo, payments: ordering.payments }),
    menuImporter: createMenuImporter({ catalog: core.catalog, settings: core.settings }),
  };
}
