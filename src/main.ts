import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import QRCode from 'qrcode';
import { mountAcpMcp } from './acp/acp-mcp-route.js';
import { acpAudit } from './acp/acp-request.js';
import { mountCarts } from './acp/cart-routes.js';
import { type CheckoutRoutesDeps, mountCheckout } from './acp/checkout-routes.js';
import { mountDelegatePayment } from './acp/delegate-payment-routes.js';
import { mountAcpDiscovery } from './acp/discovery-routes.js';
import { mountProductFeed } from './acp/feed-routes.js';
import { mountAdmin } from './admin/mount-admin.js';
import { createOwnerEvents } from './admin/owner-events.js';
import { DEFAULT_SCRYPT_COST, type ScryptCost } from './admin/owner-password.js';
import { PASSWORD_RESET_FILE, prepareOwnerPassword } from './admin/owner-password-setup.js';
import { parsePrinterChoice, printerChoiceJson } from './admin/printer-choice.js';
import { guardAdapter } from './auth/adapter-guard.js';
import { type AuthorizationServerDeps, mountAuthorizationServer } from './auth/authorization-server.js';
import { createBearerResolver } from './auth/bearer-resolver.js';
import {
  KEY_FILES,
  loadOrCreateAcpSigningRoot,
  loadOrCreateCookieKeys,
  loadOrCreateSigningKeys,
} from './auth/key-files.js';
import { ACCESS_TOKEN_TTL_SECONDS, OAUTH_PREFIX } from './auth/provider-configuration.js';
import type { Config, PrinterTarget } from './config/config.js';
import type { GpioPort } from './devices/gpio.js';
import { openOnoffGpio } from './devices/gpio-onoff.js';
import { createSimGpio } from './devices/gpio-sim.js';
import type { PrinterPort } from './devices/printer.js';
import { createSimPrinter } from './devices/printer-sim.js';
import { createTcpPrinter } from './devices/printer-tcp.js';
import { createUsbPrinter } from './devices/printer-usb.js';
import { isAppError } from './domain/app-error.js';
import type { ShopSettings } from './domain/shop-settings.js';
import { createHttpApp, type ReadinessCheck } from './http/app.js';
import { mountConfirmPages } from './http/confirm-routes.js';
import { mountLegalPages } from './http/legal-routes.js';
import { mountOrderPage, orderPageUrl } from './http/order-page-routes.js';
import { type HttpServer, startHttpServer } from './http/server.js';
import { mountStripeWebhook } from './http/stripe-webhook-route.js';
import { createMcpAudit } from './mcp/mcp-audit.js';
import { type CustomerResolver, mountMcp, WRITE_TOOLS } from './mcp/mcp-route.js';
import { type Clock, systemClock } from './platform/clock.js';
import { type Ids, randomIds } from './platform/ids.js';
import type { Logger } from './platform/logger.js';
import { type AuditActorKind, createAuditLog } from './services/audit/audit-log.js';
import { startAuditWriter } from './services/audit/audit-writer.js';
import { createAcpKeys } from './services/checkout/acp-keys.js';
import { createCartService } from './services/checkout/cart-service.js';
import { createCheckoutService } from './services/checkout/checkout-service.js';
import { createKitchenSignals } from './services/kitchen/kitchen-signals.js';
import { createPrintQueue, type PrintQueueOptions } from './services/kitchen/print-queue.js';
import { createMenuCache } from './services/menu/menu-cache.js';
import { createMenuImporter } from './services/menu/menu-import.js';
import { createMenuSearch } from './services/menu/menu-search.js';
import { createProductFeed } from './services/menu/product-feed.js';
import { type BackupsDeps, createBackups } from './services/operations/backups.js';
import {
  createPublicUrlCheck,
  isReservedExampleUrl,
  type PublicUrlCheckDeps,
} from './services/operations/public-url-check.js';
import { readQuickTunnelUrl } from './services/operations/quick-tunnel.js';
import { openShopStore, type ShopStoreDeps } from './services/operations/shop-guard.js';
import { createStorageState, type StorageState } from './services/operations/storage-state.js';
import { createCustomerService } from './services/orders/customer-service.js';
import { createIdempotency } from './services/orders/idempotency.js';
import { createOrderRefunds } from './services/orders/order-refunds.js';
import { createOrderService } from './services/orders/order-service.js';
import {
  type ConfirmationService,
  createConfirmationService,
} from './services/payments/confirmation-service.js';
import { createDemoProvider, type DemoProviderDeps } from './services/payments/demo-provider.js';
import { createPaymentNotices } from './services/payments/payment-notices.js';
import type { PaymentProvider } from './services/payments/payment-port.js';
import { createPaymentVault, merchantIdFromPublicUrl } from './services/payments/payment-vault.js';
import { createStripeClient, type StripeEndpoint } from './services/payments/stripe-client.js';
import { createStripeProvider } from './services/payments/stripe-provider.js';
import { createStripeWebhooks } from './services/payments/stripe-webhooks.js';
import { createShopService } from './services/shop/shop-service.js';
import { createReceiverPolicy } from './services/webhooks/receiver-address.js';
import { createWebhookDelivery, type WebhookDeliveryOptions } from './services/webhooks/webhook-delivery.js';
import { createWebhookEndpoints } from './services/webhooks/webhook-endpoints.js';
import { createWebhookOutbox } from './services/webhooks/webhook-outbox.js';
import { createAcpKeysRepo } from './store/acp-keys-repo.js';
import { createAuditRepo } from './store/audit-repo.js';
import { createCartRepo } from './store/cart-repo.js';
import { createCatalogRepo } from './store/catalog-repo.js';
import { createCheckoutRepo } from './store/checkout-repo.js';
import { createConfirmationRepo } from './store/confirmation-repo.js';
import type { Store } from './store/database.js';
import { createIdempotencyRepo } from './store/idempotency-repo.js';
import { createKitchenQueueRepo } from './store/kitchen-queue-repo.js';
import { SCHEMA_VERSION, schemaVersion } from './store/migrations.js';
import { createOauthStorage } from './store/oauth-adapter.js';
import { createOrdersRepo } from './store/orders-repo.js';
import { createOwnerRepo } from './store/owner-repo.js';
import { createOwnerTokensRepo } from './store/owner-tokens-repo.js';
import { createPaymentEventsRepo } from './store/payment-events-repo.js';
import { createPrintJobsRepo } from './store/print-jobs-repo.js';
import { createSearchIndex } from './store/search-index.js';
import { createSettingsRepo } from './store/settings-repo.js';
import { settingsSections } from './store/settings-schema.js';
import { isStorageFull, storageFullAtStart, storageFullError } from './store/storage-full.js';
import { createVaultRepo } from './store/vault-repo.js';
import { createWebhookRepo } from './store/webhook-repo.js';

/** A running counterpi. */
export interface Counterpi {
  readonly url: string;
  readonly store: Store;
  stop(): Promise<void>;
}

/** Parts a test or a simulation may replace; everything else is real. */
export interface CounterpiDeps {
  readonly log: Logger;
  readonly clock?: Clock;
  readonly ids?: Ids;
  /** Who an MCP request is from; by default the OAuth bearer token, verified against our own keys. */
  readonly resolveCustomer?: CustomerResolver;
  /** Replaces the authorization server's outbound fetch, resolver and CIMD host allowlist (tests serve documents locally). */
  readonly oauth?: Pick<AuthorizationServerDeps, 'fetch' | 'resolve' | 'cimdHosts' | 'clock'>;
  /** Where the Stripe API is: only tests point it at a fake Stripe on loopback. */
  readonly stripeEndpoint?: StripeEndpoint;
  /** Order webhook timings and fetch (tests retry in milliseconds). */
  readonly webhooks?: WebhookDeliveryOptions;
  /** Nightly backup timings (tests catch up in milliseconds). */
  readonly backups?: Pick<BackupsDeps, 'catchUpDelayMs' | 'atMinutes' | 'keep'>;
  /** How the public URL self-check reaches PUBLIC_URL (tests route it to loopback), and its timings. */
  readonly publicUrlCheck?: Pick<PublicUrlCheckDeps, 'fetch' | 'quickTunnel' | 'retryMs' | 'recheckMs'>;
  /** Print queue timings (tests retry in milliseconds). */
  readonly printing?: PrintQueueOptions;
  /** A GPIO port the caller holds (tests keep the simulated one to press its button); else GPIO decides. */
  readonly gpio?: GpioPort;
  /** How costly a new owner password's hash is: DEFAULT_SCRYPT_COST unless a test that logs in often asks less. */
  readonly passwordCost?: ScryptCost;
}

const HOUR_MS = 60 * 60 * 1000;
/** How often pending confirmations past their expiry are moved to expired. */
const EXPIRY_CHECK_MS = 15_000;
const VERSION = (
  JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }
).version;

/** The database file inside the data directory. */
export function databaseFile(dataDir: string): string {
  return join(dataDir, 'counterpi.db');
}

/** How the shop's database is opened, by `start` and by every command that uses it. */
export function shopStoreDeps(config: Pick<Config, 'dataDir'>, clock: Clock, log: Logger): ShopStoreDeps {
  return { dataDir: config.dataDir, database: databaseFile(config.dataDir), keyFiles: KEY_FILES, clock, log };
}

/** Wires real or simulated parts once and starts serving; the only place that picks implementations. */
export async function startCounterpi(config: Config, deps: CounterpiDeps): Promise<Counterpi> {
  const { log } = deps;
  const clock = deps.clock ?? systemClock;
  const ids = deps.ids ?? randomIds;
  // The disk's free space, read by /ready, the dashboard, the order-taking gate and the log.
  const storage = createStorageState({
    dir: config.dataDir,
    reserveBytes: config.diskReserveBytes,
    clock,
    log: log.child({ module: 'storage' }),
  });
  const store = openShopStore({ ...shopStoreDeps(config, clock, log), onFull: () => storage.writeRefused() });
  const stack: (() => Promise<void> | void)[] = [() => store.close()];
  try {
    const settings = createSettingsRepo({ store, clock });
    const catalog = createCatalogRepo({ store });
    const searchIndex = createSearchIndex({ store });
    const idempotencyRepo = createIdempotencyRepo({ store });
    const abandoned = idempotencyRepo.releaseAbandoned();
    if (abandoned > 0)
      log.warn({ abandoned }, 'released idempotency keys of requests cut short by the last stop');
    storage.start();
    stack.push(() => storage.stop());

    const oauthStorage = createOauthStorage({
      store,
      clock,
      accessTokenTtlSeconds: ACCESS_TOKEN_TTL_SECONDS,
    });
    const purge = setInterval(() => {
      idempotencyRepo.purgeExpired(clock.now().getTime());
      oauthStorage.purgeExpired();
    }, HOUR_MS);
    purge.unref();
    stack.push(() => clearInterval(purge));
    const auditLog = log.child({ module: 'audit' });
    // Rows of reads are written, and the WAL checkpointed, by a thread of their own, off the answers' path.
    const auditWriter = startAuditWriter({ store, log: auditLog, onFull: () => storage.writeRefused() });
    stack.push(() => auditWriter.close());
    const audit = createAuditLog({
      store,
      repo: createAuditRepo({ store }),
      clock,
      log: auditLog,
      writer: auditWriter,
    });
    stack.push(() => audit.flush());

    const shop = createShopService({ settings, clock });
    const menu = createMenuCache({ catalog });
    const ordersRepo = createOrdersRepo({ store });
    // The owner's account and sessions, and the live feed of order changes to the owner's open pages.
    const ownerRepo = createOwnerRepo({ store });
    const ownerEvents = createOwnerEvents();
    // The LED, buzzer, bump button and open/closed switch; defined before the orders it watches.
    const kitchenSignals = createKitchenSignals({
      openGpio: () => gpioPort(config, deps),
      pins: shop.settings().gpio,
      queue: createKitchenQueueRepo({ store }),
      orders: { transitionById: (...args) => orders.transitionById(...args) },
      pause: {
        paused: () => shop.settings().pausedByOwner,
        set(paused) {
          settings.saveSection('pausedByOwner', paused);
          shop.refresh();
        },
      },
      // The long press reprints through the print queue; its printer state decides what counts as in the kitchen.
      printer: { reprint: (orderId) => printQueue.reprint(orderId), online: () => printQueue.health().ok },
      clock,
      log: log.child({ module: 'kitchen' }),
    });
    const webhookRepo = createWebhookRepo({ store });
    const receivers = createReceiverPolicy(config.webhookPrivateReceivers);
    const webhookDelivery = createWebhookDelivery({
      repo: webhookRepo,
      receivers,
      clock,
      log,
      ...deps.webhooks,
    });
    const webhookOutbox = createWebhookOutbox({
      repo: webhookRepo,
      settings: () => shop.settings(),
      clock,
      ids,
      permalink: (orderId) => orderPageUrl(config.publicUrl, orderId),
      written: () => webhookDelivery.wake(),
    });
    const orders = createOrderService({
      store,
      orders: ordersRepo,
      shop,
      menu,
      clock,
      ids,
      storage,
      onTransition: (order, from, move) => {
        // Every move of an order is in the audit log with who made it, committed with the move:
        // confirmations (approve, deny, expire), payments (how, and the provider's reference), kitchen.
        audit.record({
          actorKind: actorKindOf(move.actor),
          actor: move.actor,
          action: `order.${move.event}`,
          target: order.id,
          outcome: 'ok',
          input: {
            from,
            to: order.state,
            ...(order.payment === undefined || order.state !== 'paid'
              ? {}
              : { payment: order.payment.method, reference: order.payment.reference }),
            ...(order.priced === undefined
              ? {}
              : { total: order.priced.totals.total, currency: order.currency }),
          },
        });
        webhookOutbox.orderChanged(order);
        confirmations.orderMoved(order, from);
        printQueue.orderChanged(order, from);
        kitchenSignals.orderMoved(order, from);
        ownerEvents.orderChanged(order.id);
      },
    });
    // The printer the owner chose during onboarding (kept in the database), else PRINTER.
    const printer = switchablePrinter(
      parsePrinterChoice(ownerRepo.account().printer) ?? config.printer,
      config.dataDir,
    );
    // Paid orders to the kitchen printer: onTransition writes the job in the payment's own transaction.
    const printQueue = createPrintQueue({
      store,
      jobs: createPrintJobsRepo({ store }),
      orders: { get: (id) => ordersRepo.get(id), apply: (...args) => orders.transitionById(...args) },
      printer,
      shop,
      menu,
      orderUrl: (orderId) => orderPageUrl(config.publicUrl, orderId),
      clock,
      log,
      ...deps.printing,
    });
    const vaultTokens = createVaultRepo({ store });
    const vault = createPaymentVault({
      repo: vaultTokens,
      store,
      clock,
      ids,
      merchantId: merchantIdFromPublicUrl(config.publicUrl),
    });
    const payments = paymentProvider(config, {
      store,
      vault,
      vaultTokens,
      clock,
      endpoint: deps.stripeEndpoint,
    });
    // The customer's confirmation on their phone; it follows every order move (see onTransition).
    const confirmationRepo = createConfirmationRepo({ store });
    const confirmations: ConfirmationService = createConfirmationService({
      store,
      repo: confirmationRepo,
      orders: { get: (id) => ordersRepo.get(id), apply: (...args) => orders.transitionById(...args) },
      clock,
      ids,
      publicUrl: config.publicUrl,
      payments,
      locale: () => shop.settings().profile.locale,
      channelOf: (order) => (ordersRepo.subjectOf(order.customerId)?.startsWith('acp:') ? 'acp' : 'mcp'),
      // The link is a capability (whoever has it may approve): shown as a terminal QR only in a debug
      // log, for an owner trying the demo at a terminal; never at the default level.
      opened: (request, link) => {
        if (!log.isLevelEnabled('debug')) return;
        QRCode.toString(link, { type: 'terminal', small: true })
          .then((qr) =>
            log.debug({ order_id: request.orderId }, `confirm "${request.bindingMessage}":\n${qr}`),
          )
          .catch(() => undefined);
      },
      // A CIBA client waiting on this confirmation gets its tokens (or access_denied) on its next poll.
      onDecided: (request) => authorization.confirmationDecided(request),
    });
    const expiry = setInterval(() => {
      try {
        const expired = confirmations.expireDue();
        if (expired > 0) log.info({ expired }, 'confirmation requests expired');
      } catch (error) {
        // A full disk is the storage state's to log, once a minute.
        if (!isAppError(error, 'storage_full'))
          log.error({ err: error }, 'expiring confirmation requests failed');
      }
    }, EXPIRY_CHECK_MS);
    expiry.unref();
    stack.push(() => clearInterval(expiry));
    await kitchenSignals.start();
    stack.push(() => kitchenSignals.stop());
    const idempotency = createIdempotency({ repo: idempotencyRepo, store, clock });
    const menuSearch = createMenuSearch({ searchIndex, catalog });

    // Nightly online backups into DATA_DIR/backups, and the self-check of PUBLIC_URL through the tunnel.
    const backupsDir = join(config.dataDir, 'backups');
    const backups = createBackups({
      store,
      dir: backupsDir,
      clock,
      calendar: () => shop.calendar(),
      log: log.child({ module: 'backups' }),
      ...deps.backups,
    });
    const publicUrlCheck = createPublicUrlCheck({
      publicUrl: config.publicUrl,
      fetch: (input, init) => fetch(input, init),
      quickTunnel: () => readQuickTunnelUrl({ fetch: (input, init) => fetch(input, init) }),
      log: log.child({ module: 'tunnel' }),
      // An example domain (the tests' PUBLIC_URL) is never looked up unless a test routes it itself.
      skip:
        deps.publicUrlCheck?.fetch === undefined && isReservedExampleUrl(config.publicUrl)
          ? `PUBLIC_URL ${config.publicUrl} is a reserved example name: no tunnel to check`
          : undefined,
      ...deps.publicUrlCheck,
    });
    const readiness: ReadinessCheck[] = [
      storeReadiness(store, storage),
      { name: 'webhooks', required: false, check: () => webhookDelivery.health() },
      { name: 'backups', required: false, check: () => backups.health() },
      { name: 'tunnel', required: false, check: () => publicUrlCheck.health() },
      { name: 'printer', required: false, check: () => printQueue.health() },
      {
        name: 'gpio',
        required: false,
        check: () => {
          const { ok, detail } = kitchenSignals.status();
          return { ok, detail };
        },
      },
    ];
    // Writes outside the store's transactions (owner sessions, the sign-in server's records) meet a full
    // disk too: the frame and the provider's storage answer it as the one storage_full.
    const recognise = (error: unknown) => {
      if (!isStorageFull(error, config.dataDir)) return undefined;
      storage.writeRefused();
      return storageFullError(error);
    };
    const app = createHttpApp({ log, readiness, streamedBodyPrefixes: [`${OAUTH_PREFIX}/`], recognise });
    const signingKeys = await loadOrCreateSigningKeys(config.dataDir);
    const cookieKeys = loadOrCreateCookieKeys(config.dataDir);
    const authorization = mountAuthorizationServer(app, {
      publicUrl: config.publicUrl,
      adapter: (model) => guardAdapter(oauthStorage.adapterFor(model), recognise),
      signingKeys,
      cookieKeys,
      customers: createCustomerService({ store, orders: ordersRepo, clock, ids }),
      log,
      clock,
      ciba: {
        orderByCode: (code) => ordersRepo.getByCode(code),
        order: (id) => ordersRepo.get(id),
        subjectOf: (customerId) => ordersRepo.subjectOf(customerId),
        // Every pending request, whenever due: a phone-number hint looks through their orders.
        pendingConfirmations: () => confirmationRepo.duePending(Number.MAX_SAFE_INTEGER, 100),
        openConfirmation: (order) =>
          store.transaction(() =>
            confirmations.open(
              order,
              order.priced?.totals.total ?? 0,
              shop.settings().profile.locale,
              'ciba',
            ),
          ),
        confirmations,
      },
      ...deps.oauth,
    });
    // One instance for /mcp and the owner's keys page: a revocation there is seen here at once.
    const ownerTokens = createOwnerTokensRepo({ store, orders: ordersRepo });
    const mcp = await mountMcp(app, {
      tools: {
        shop,
        menuSearch,
        menu,
        orders,
        idempotency,
        clock,
        log: log.child({ module: 'mcp' }),
        publicUrl: config.publicUrl,
        confirmations,
      },
      resolveCustomer:
        deps.resolveCustomer ??
        createBearerResolver({
          publicUrl: config.publicUrl,
          signingKeys,
          now: () => clock.now(),
          isRevoked: ownerTokens.isRevoked,
          isGrantRevoked: oauthStorage.isGrantRevoked,
        }),
      version: VERSION,
      audit: createMcpAudit({ audit, log: log.child({ module: 'mcp' }), writeTools: WRITE_TOOLS }),
    });
    stack.push(() => mcp.close());
    mountLegalPages(app, { settings: () => shop.settings() });
    mountOrderPage(app, { order: (id) => ordersRepo.get(id), shop });
    if (config.payments === 'stripe' && config.stripeWebhookSecret !== undefined) {
      mountStripeWebhook(app, {
        webhooks: createStripeWebhooks({ secret: config.stripeWebhookSecret, clock }),
        notices: createPaymentNotices({
          store,
          events: createPaymentEventsRepo({ store }),
          clock,
          apply: (notice) => confirmations.applyNotice(notice),
        }),
        log: log.child({ module: 'payments' }),
      });
    }
    mountConfirmPages(app, {
      confirmations,
      shop,
      csrfKey: `confirm:${cookieKeys[0] ?? ''}`,
      publicUrl: config.publicUrl,
      demo: payments.name === 'demo',
      cibaClientOf: (id) => authorization.cibaClientOf(id),
    });
    // ACP API keys: the ACP routes verify with this instance, the owner's keys page creates and revokes.
    const acpKeys = createAcpKeys({
      repo: createAcpKeysRepo({ store }),
      clock,
      ids,
      signingRoot: loadOrCreateAcpSigningRoot(config.dataDir),
    });
    // The owner pages under /admin: their own password, session cookie and CSRF, apart from customer OAuth.
    const passwordCost = deps.passwordCost ?? DEFAULT_SCRYPT_COST;
    await prepareOwnerPassword({
      owners: ownerRepo,
      adminPassword: config.adminPassword,
      resetFile: join(config.dataDir, PASSWORD_RESET_FILE),
      cost: passwordCost,
      clock,
      log: log.child({ module: 'admin' }),
    });
    mountAdmin(app, {
      publicUrl: config.publicUrl,
      secret: `admin:${cookieKeys[0] ?? ''}`,
      dataDir: config.dataDir,
      underSystemd: process.env.NOTIFY_SOCKET !== undefined,
      owners: ownerRepo,
      passwordCost,
      shop,
      saveSettings: (changes) => {
        const save = <K extends keyof ShopSettings>(key: K, value: ShopSettings[K] | undefined) => {
          if (value !== undefined) settings.saveSection(key, value);
        };
        store.transaction(() => {
          for (const key of Object.keys(changes) as (keyof ShopSettings)[]) save(key, changes[key]);
        });
        shop.refresh();
      },
      printer: {
        current: () => printer.current(),
        choose(target) {
          ownerRepo.setPrinter(printerChoiceJson(target), clock.now().getTime());
          printer.use(target);
        },
        test: () => printQueue.testPrint(),
      },
      ordersSince: (sinceMs) =>
        ownerRepo.dashboardOrderIds(sinceMs, 300).flatMap((id) => ordersRepo.get(id) ?? []),
      order: (id) => ordersRepo.get(id),
      orders,
      refunds: createOrderRefunds({ store, orders, ordersRepo, payments }),
      reprint: (orderId) => printQueue.reprint(orderId),
      status: () =>
        readiness
          .filter((r) => !r.required)
          .map((r) => {
            try {
              return { name: r.name, ...r.check() };
            } catch (error) {
              return {
                name: r.name,
                ok: false,
                detail: error instanceof Error ? error.message : 'check failed',
              };
            }
          }),
      storageAlert: () => storage.alert(),
      events: ownerEvents,
      audit,
      clock,
      ids,
      catalog,
      menuImporter: createMenuImporter({ catalog, settings }),
      settingsSchemas: settingsSections,
      signals: kitchenSignals,
      acpKeys,
      ownerTokens,
      webhooks: createWebhookEndpoints({ repo: webhookRepo, clock, ids, receivers }),
      signingKeys,
      backups,
      backupsDir,
      log,
    });
    // Registered before the ACP routes so it wraps them: one audit row per call an API key makes.
    app.use('*', acpAudit({ audit, log: log.child({ module: 'acp' }) }));
    const checkoutDeps: CheckoutRoutesDeps = {
      checkout: createCheckoutService({
        store,
        sessions: createCheckoutRepo({ store }),
        orders,
        ordersRepo,
        shop,
        menu,
        clock,
        ids,
        vault,
        onOrderCreated: (order, sessionId) => webhookOutbox.orderCreated(order, sessionId),
        storage,
      }),
      keys: acpKeys,
      idempotency,
      savepoint: (fn) => store.savepoint(fn),
      durableTransaction: (fn) => store.durableTransaction(fn),
      shop,
      menu,
      log: log.child({ module: 'acp' }),
      publicUrl: config.publicUrl,
      // Delegated card tokens are the embedded vault's: taken only with the demo provider.
      merchantId: payments.name === 'demo' ? vault.merchantId : undefined,
      confirmations: {
        link: (orderId) => {
          const request = confirmations.current(orderId);
          return request?.state === 'pending' ? confirmations.linkOf(request) : undefined;
        },
        state: (orderId) => confirmations.current(orderId)?.state,
        expireDue: () => {
          confirmations.expireDue();
        },
      },
    };
    mountCheckout(app, checkoutDeps);
    const acpMcp = mountAcpMcp(app, { ...checkoutDeps, version: VERSION, audit });
    stack.push(() => acpMcp.close());
    mountCarts(app, {
      carts: createCartService({
        store,
        carts: createCartRepo({ store }),
        shop,
        menu,
        ordersRepo,
        clock,
        ids,
        storage,
      }),
      keys: acpKeys,
      idempotency,
      savepoint: (fn) => store.savepoint(fn),
      menu,
      log: log.child({ module: 'acp' }),
    });
    if (payments.name === 'demo')
      mountDelegatePayment(app, {
        vault,
        keys: acpKeys,
        idempotency,
        savepoint: (fn) => store.savepoint(fn),
        log: log.child({ module: 'acp' }),
      });
    mountAcpDiscovery(app, {
      publicUrl: config.publicUrl,
      shop,
      // The embedded vault takes delegated cards only with the demo provider; Stripe takes its own.
      services: payments.name === 'demo' ? ['checkout', 'carts', 'delegate_payment'] : ['checkout', 'carts'],
      transports: ['rest', 'mcp'],
    });
    mountProductFeed(app, { feed: createProductFeed({ menu, shop, clock }) });
    webhookDelivery.start();
    stack.push(() => webhookDelivery.stop());
    printQueue.start();
    stack.push(() => printQueue.stop());
    const server: HttpServer = await startHttpServer({
      app,
      host: config.host,
      port: config.port,
      lanes: [mcp.lane],
    });
    stack.push(() => server.close());
    // Before the server closes: open dashboards' event streams would hold its stop up.
    stack.push(() => ownerEvents.close());
    backups.start();
    stack.push(() => backups.stop());
    // After listening, in the background: the tunnel may well connect after us.
    publicUrlCheck.start();
    stack.push(() => publicUrlCheck.stop());
    if (!['127.0.0.1', '::1', 'localhost'].includes(config.host)) {
      log.warn(
        { host: config.host },
        'listening beyond loopback: the tunnel is the only public entrance counterpi expects',
      );
    }
    log.info(
      { url: server.url, public_url: config.publicUrl, data_dir: config.dataDir },
      'counterpi is serving',
    );
    return { url: server.url, store, stop: () => unwind(stack, log) };
  } catch (error) {
    await unwind(stack, log);
    // A full disk met on the way up is said for the operator: which disk, and how much is free.
    throw isStorageFull(error, config.dataDir)
      ? storageFullAtStart(databaseFile(config.dataDir), error)
      : error;
  }
}

/** The store for `/ready`: its schema, and degraded while its disk is short of space. */
function storeReadiness(store: Store, storage: StorageState): ReadinessCheck {
  return {
    name: 'store',
    required: true,
    check() {
      const version = schemaVersion(store.db);
      const space = storage.health();
      if (version !== SCHEMA_VERSION)
        return { ok: false, detail: `schema ${version}, expected ${SCHEMA_VERSION}` };
      return { ok: space.ok, detail: `schema ${version}; ${space.detail}` };
    },
  };
}

async function unwind(stack: (() => Promise<void> | void)[], log: Logger): Promise<void> {
  while (stack.length > 0) {
    const step = stack.pop();
    try {
      await step?.();
    } catch (error) {
      log.error({ err: error }, 'error while stopping');
    }
  }
}

/** The GPIO setting's port: the caller's own, the Pi's pins through onoff, or the simulated twin. */
async function gpioPort(config: Config, deps: CounterpiDeps): Promise<GpioPort> {
  const log = deps.log.child({ module: 'gpio' });
  if (deps.gpio !== undefined) return deps.gpio;
  return config.gpio === 'onoff' ? openOnoffGpio({ log }) : createSimGpio({ log });
}

/** A printer target's port: a network or USB printer, or the simulated one writing DATA_DIR/tickets. */
function printerPort(target: PrinterTarget, dataDir: string): PrinterPort {
  if (target.kind === 'tcp') return createTcpPrinter({ host: target.host, port: target.port });
  if (target.kind === 'usb') return createUsbPrinter({ device: target.device });
  return createSimPrinter({ dir: join(dataDir, 'tickets') });
}

/** The printer port that follows the owner's choice from the admin pages, without a restart. */
function switchablePrinter(
  initial: PrinterTarget,
  dataDir: string,
): PrinterPort & { current(): PrinterTarget; use(target: PrinterTarget): void } {
  let target = initial;
  let port = printerPort(target, dataDir);
  return {
    get target() {
      return port.target;
    },
    send: (out, timeoutMs) => port.send(out, timeoutMs),
    state: () => port.state(),
    current: () => target,
    use(next) {
      target = next;
      port = printerPort(next, dataDir);
    },
  };
}

/** The PAYMENTS setting's provider: the embedded demo one, or Stripe with the configured key. */
function paymentProvider(
  config: Config,
  deps: Pick<DemoProviderDeps, 'store' | 'vault' | 'vaultTokens'> & {
    clock: Clock;
    endpoint: StripeEndpoint | undefined;
  },
): PaymentProvider {
  if (config.payments === 'stripe' && config.stripeSecretKey !== undefined) {
    return createStripeProvider({
      stripe: createStripeClient({ secretKey: config.stripeSecretKey, endpoint: deps.endpoint }),
      publicUrl: config.publicUrl,
      clock: deps.clock,
    });
  }
  return createDemoProvider(deps);
}

/** Who moved an order, from the actor the order service records (`customer:…`, `acp:…`, `system:…`). */
function actorKindOf(actor: string): AuditActorKind {
  if (actor.startsWith('acp:')) return 'acp_key';
  if (actor.startsWith('customer:') || actor.startsWith('cus_')) return 'customer';
  if (actor.startsWith('owner') || actor === 'cli') return 'owner';
  return 'system';
}
