import type { Hono } from 'hono';
import { guardAdapter } from '../auth/adapter-guard.js';
import { type AuthorizationServer, mountAuthorizationServer } from '../auth/authorization-server.js';
import { createBearerResolver } from '../auth/bearer-resolver.js';
import { loadOrCreateCookieKeys, loadOrCreateSigningKeys, type SigningKeys } from '../auth/key-files.js';
import { OAUTH_PREFIX } from '../auth/provider-configuration.js';
import type { AppError } from '../domain/app-error.js';
import type { Order } from '../domain/order.js';
import { type AppEnv, createHttpApp, type ReadinessCheck } from '../http/app.js';
import { mountCartPage } from '../http/cart-page-routes.js';
import { mountConfirmPages } from '../http/confirm-routes.js';
import { mountFavicon } from '../http/favicon.js';
import { mountHomePage } from '../http/home-page.js';
import { mountLegalPages } from '../http/legal-routes.js';
import { mountOpenAiAppsChallenge } from '../http/openai-apps-challenge.js';
import { followBlock } from '../http/order-follow.js';
import type { OrderStampCard } from '../http/order-page-items.js';
import { mountOrderPage } from '../http/order-page-routes.js';
import { mountStripeWebhook } from '../http/stripe-webhook-route.js';
import { createMcpAudit } from '../mcp/mcp-audit.js';
import { mountMcp, WRITE_TOOLS } from '../mcp/mcp-route.js';
import { assistantReach } from '../services/shop/assistant-reach.js';
import { isStorageFull, storageFullError } from '../store/storage-full.js';
import { mountAcpSurfaces } from './mount-acp.js';
import { mountOwnerPages } from './mount-owner-pages.js';
import { readinessChecks, tunnelLine } from './readiness.js';
import type { Wiring } from './wiring.js';

/** The mounted app, and what the workers start or close of it. */
export type Surfaces = Awaited<ReturnType<typeof mountSurfaces>>;

/** The HTTP app with every surface on it: sign-in, /mcp, the customer's pages, the owner's pages, ACP. */
export async function mountSurfaces(w: Wiring) {
  const { services: s, config, deps } = w;
  const { log } = deps;
  const readiness = readinessChecks(w.opened, s);
  // Writes outside the store's transactions (owner sessions, the sign-in server's records) meet a full
  // disk too: the frame and the provider's storage answer it as the one storage_full.
  const recognise = (error: unknown) => {
    if (!isStorageFull(error, config.dataDir)) return undefined;
    w.opened.storage.writeRefused();
    return storageFullError(error);
  };
  const app = createHttpApp({ log, readiness, streamedBodyPrefixes: [`${OAUTH_PREFIX}/`], recognise });
  const signingKeys = await loadOrCreateSigningKeys(config.dataDir);
  const cookieKeys = loadOrCreateCookieKeys(config.dataDir);
  const authorization = mountSignIn(app, w, { signingKeys, cookieKeys, recognise });
  const mcp = await mountMcp(app, {
    tools: {
      shop: s.shop,
      menuSearch: s.menuSearch,
      menu: s.menu,
      orders: s.orders,
      idempotency: s.idempotency,
      clock: s.clock,
      log: log.child({ module: 'mcp' }),
      publicUrl: config.publicUrl,
      confirmations: s.confirmations,
      offers: s.offers,
      stampCard: s.stampCard,
    },
    resolveCustomer:
      deps.resolveCustomer ??
      createBearerResolver({
        publicUrl: config.publicUrl,
        signingKeys,
        now: () => s.clock.now(),
        isRevoked: s.ownerTokens.isRevoked,
        isGrantRevoked: s.oauthStorage.isGrantRevoked,
      }),
    version: w.version,
    audit: createMcpAudit({ audit: s.audit, log: log.child({ module: 'mcp' }), writeTools: WRITE_TOOLS }),
  });
  w.shutdown.defer(() => mcp.close());
  mountCustomerPages(app, w, { cookieKeys, authorization, readiness });
  const ownerEvents = await mountOwnerPages(app, w, { cookieKeys, signingKeys, readiness });
  mountAcpSurfaces(app, w);
  return { app, mcp, ownerEvents };
}

/** The embedded authorization server under /oauth, with CIBA over the shop's orders and confirmations. */
function mountSignIn(
  app: Hono<AppEnv>,
  w: Wiring,
  keys: {
    signingKeys: SigningKeys;
    cookieKeys: string[];
    recognise: (error: unknown) => AppError | undefined;
  },
): AuthorizationServer {
  const { services: s, config, deps } = w;
  return mountAuthorizationServer(app, {
    publicUrl: config.publicUrl,
    adapter: (model) => guardAdapter(s.oauthStorage.adapterFor(model), keys.recognise),
    signingKeys: keys.signingKeys,
    cookieKeys: keys.cookieKeys,
    customers: s.customers,
    shop: () => s.shop.settings().profile,
    log: deps.log,
    clock: s.clock,
    ciba: {
      orderByCode: (code) => s.ordersRepo.getByCode(code),
      order: (id) => s.ordersRepo.get(id),
      subjectOf: (customerId) => s.ordersRepo.subjectOf(customerId),
      // Every pending request, whenever due: a phone-number hint looks through their orders.
      pendingConfirmations: () => s.confirmationRepo.duePending(Number.MAX_SAFE_INTEGER, 100),
      openConfirmation: (order) =>
        s.store.transaction(() =>
          s.confirmations.open(
            order,
            order.priced?.totals.total ?? 0,
            s.shop.settings().profile.locale,
            'ciba',
          ),
        ),
      confirmations: s.confirmations,
    },
    ...deps.oauth,
  });
}

/** The stamp card of an order's customer: none for an order keyed in by staff (nobody signed in). */
function orderStampCard(w: Wiring, order: Order): OrderStampCard | undefined {
  const s = w.services;
  const subject = s.ordersRepo.subjectOf(order.customerId);
  if (subject === undefined || subject.startsWith('staff:')) return undefined;
  const status = s.stampCard.statusOf(subject);
  if (status === undefined) return undefined;
  const reward = status.card.reward;
  const name = reward.kind === 'item' ? s.menu.index().items.get(reward.itemId)?.name : undefined;
  return { status, rewardItemName: name };
}

/**
 * The front page and its icon; the customer's pages: legal, the order page, the confirmation on their phone, Stripe's notices; and the
 * domain-verification file ChatGPT's app submission fetches.
 */
function mountCustomerPages(
  app: Hono<AppEnv>,
  w: Wiring,
  parts: { cookieKeys: string[]; authorization: AuthorizationServer; readiness: readonly ReadinessCheck[] },
): void {
  const { services: s, config } = w;
  mountFavicon(app);
  mountHomePage(app, {
    shop: s.shop,
    publicUrl: config.publicUrl,
    reach: () => assistantReach(config.publicUrl, tunnelLine(parts.readiness)),
  });
  mountLegalPages(app, { settings: () => s.shop.settings() });
  mountOpenAiAppsChallenge(app, { token: config.openaiAppsChallenge });
  mountOrderPage(app, {
    order: (id) => s.ordersRepo.get(id),
    shop: s.shop,
    clock: s.clock,
    watch: s.orderWatch,
    notices: s.notices,
    vapidPublicKey: s.vapidPublicKey,
    stampCard: (order) => orderStampCard(w, order),
  });
  mountCartPage(app, { cart: (id) => s.carts.shared(id), menu: () => s.menu.index(), shop: s.shop });
  if (s.stripe !== undefined)
    mountStripeWebhook(app, { ...s.stripe, log: w.deps.log.child({ module: 'payments' }) });
  mountConfirmPages(app, {
    confirmations: s.confirmations,
    shop: s.shop,
    csrfKey: `confirm:${parts.cookieKeys[0] ?? ''}`,
    publicUrl: config.publicUrl,
    demo: s.payments.name === 'demo',
    cibaClientOf: (id) => parts.authorization.cibaClientOf(id),
    follow: (order) =>
      followBlock({
        orderId: order.id,
        vapidPublicKey: s.vapidPublicKey,
        emailForm: s.notices.emailOn(),
        linked: true,
      }),
  });
}
