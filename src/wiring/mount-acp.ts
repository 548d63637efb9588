import type { Hono } from 'hono';
import { mountAcpFallback } from '../acp/acp-fallback.js';
import { mountAcpMcp } from '../acp/acp-mcp-route.js';
import { acpAudit } from '../acp/acp-request.js';
import { mountCarts } from '../acp/cart-routes.js';
import { type CheckoutRoutesDeps, mountCheckout } from '../acp/checkout-routes.js';
import { mountDelegatePayment } from '../acp/delegate-payment-routes.js';
import { mountAcpDiscovery } from '../acp/discovery-routes.js';
import { mountProductFeed } from '../acp/feed-routes.js';
import type { AppEnv } from '../http/app.js';
import type { Wiring } from './wiring.js';

/** The Agentic Commerce Protocol: checkout over REST and MCP, carts, delegated cards, discovery, the feed. */
export function mountAcpSurfaces(app: Hono<AppEnv>, w: Wiring): void {
  const { services: s, config } = w;
  const { store } = s;
  const log = w.deps.log.child({ module: 'acp' });
  // Delegated card tokens are the embedded vault's: taken only with the demo provider; Stripe takes its own.
  const demo = s.payments.name === 'demo';
  // Registered before the ACP routes so it wraps them: one audit row per call an API key makes.
  app.use('*', acpAudit({ audit: s.audit, log }));
  const shared = {
    keys: s.acpKeys,
    idempotency: s.idempotency,
    savepoint: <T>(fn: () => T) => store.savepoint(fn),
    log,
  };
  const checkoutDeps: CheckoutRoutesDeps = {
    ...shared,
    checkout: s.checkout,
    durableTransaction: (fn) => store.durableTransaction(fn),
    shop: s.shop,
    menu: s.menu,
    publicUrl: config.publicUrl,
    merchantId: demo ? s.vault.merchantId : undefined,
    confirmations: {
      link: (orderId) => {
        const request = s.confirmations.current(orderId);
        return request?.state === 'pending' ? s.confirmations.linkOf(request) : undefined;
      },
      state: (orderId) => s.confirmations.current(orderId)?.state,
      expireDue: () => {
        s.confirmations.expireDue();
      },
    },
  };
  mountCheckout(app, checkoutDeps);
  const acpMcp = mountAcpMcp(app, { ...checkoutDeps, version: w.version, audit: s.audit });
  w.shutdown.defer(() => acpMcp.close());
  mountCarts(app, { ...shared, carts: s.carts, menu: s.menu, publicUrl: config.publicUrl });
  if (demo) mountDelegatePayment(app, { ...shared, vault: s.vault });
  // `orders` is "post-purchase order lifecycle management" (discovery RFC, services enum): in this release
  // that is the seller's signed order events (openapi.agentic_checkout_webhook.yaml, orders RFC §4.1),
  // which the webhook outbox sends for every ACP order; the release defines no orders REST API.
  mountAcpDiscovery(app, {
    publicUrl: config.publicUrl,
    shop: s.shop,
    services: demo ? ['checkout', 'orders', 'carts', 'delegate_payment'] : ['checkout', 'orders', 'carts'],
    transports: ['rest', 'mcp'],
  });
  mountProductFeed(app, { feed: s.productFeed });
  // Last, so it answers only what no ACP route took.
  mountAcpFallback(app);
}
