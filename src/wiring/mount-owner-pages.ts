import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import type { Hono } from 'hono';
import type { AdminPrinter } from '../admin/admin-ports.js';
import { mountKitchenScreen } from '../admin/kitchen-screen-routes.js';
import { mountAdmin } from '../admin/mount-admin.js';
import { createOwnerEvents, type OwnerEvents } from '../admin/owner-events.js';
import { DEFAULT_SCRYPT_COST } from '../admin/owner-password.js';
import { PASSWORD_RESET_FILE, prepareOwnerPassword } from '../admin/owner-password-setup.js';
import { printerChoiceJson } from '../admin/printer-choice.js';
import type { SigningKeys } from '../auth/key-files.js';
import { createOwnerTokens } from '../auth/owner-tokens.js';
import type { ShopSettings } from '../domain/shop-settings.js';
import type { AppEnv, ReadinessCheck } from '../http/app.js';
import { createOfferAdmin } from '../services/offers/offer-admin.js';
import { orderChannel } from '../services/orders/order-channel.js';
import { createOffersAdminRepo } from '../store/offers-admin-repo.js';
import { createSalesRepo } from '../store/sales-repo.js';
import { settingsSections } from '../store/settings-schema.js';
import type { Services } from './build-services.js';
import { statusLines } from './readiness.js';
import type { Wiring } from './wiring.js';

/**
 * The owner pages under /admin: their own password, session cookie and CSRF, apart from customer OAuth;
 * returns their live feed of order changes, which the workers close before the server stops.
 */
export async function mountOwnerPages(
  app: Hono<AppEnv>,
  w: Wiring,
  parts: { cookieKeys: string[]; signingKeys: SigningKeys; readiness: readonly ReadinessCheck[] },
): Promise<OwnerEvents> {
  const { services: s, config } = w;
  const log = w.deps.log;
  const passwordCost = w.deps.passwordCost ?? DEFAULT_SCRYPT_COST;
  await prepareOwnerPassword({
    owners: s.ownerRepo,
    adminPassword: config.adminPassword,
    resetFile: join(config.dataDir, PASSWORD_RESET_FILE),
    cost: passwordCost,
    clock: s.clock,
    log: log.child({ module: 'admin' }),
  });
  // Subscribed after every service: the owner's open pages hear of a move last.
  const events = createOwnerEvents({ orderEvents: s.orderEvents });
  mountAdmin(app, {
    publicUrl: config.publicUrl,
    secret: `admin:${parts.cookieKeys[0] ?? ''}`,
    dataDir: config.dataDir,
    underSystemd: process.env.NOTIFY_SOCKET !== undefined,
    owners: s.ownerRepo,
    passwordCost,
    shop: s.shop,
    saveSettings: settingsSaver(s),
    printer: adminPrinter(s),
    ordersSince: (sinceMs) =>
      s.ownerRepo.dashboardOrderIds(sinceMs, 300).flatMap((id) => s.ordersRepo.get(id) ?? []),
    order: (id) => s.ordersRepo.get(id),
    orders: s.orders,
    refunds: s.refunds,
    reprint: (orderId) => s.printQueue.reprint(orderId),
    printers: () => s.printQueue.printers(),
    status: () => statusLines(parts.readiness),
    storageAlert: () => w.opened.storage.alert(),
    appliance: {
      clockBehind: () => s.clockWatch.behind(),
      clockJump: () => s.clockWatch.jump(),
      acknowledgeJump: () => s.clockWatch.acknowledgeJump(),
      power: () => s.powerFlags.state(),
    },
    events,
    audit: s.audit,
    clock: s.clock,
    catalog: s.catalog,
    menuImporter: s.menuImporter,
    settingsSchemas: settingsSections,
    signals: s.kitchenSignals,
    acpKeys: s.acpKeys,
    ownerTokens: createOwnerTokens({
      ledger: s.ownerTokens,
      signingKeys: parts.signingKeys,
      publicUrl: config.publicUrl,
      clock: s.clock,
      ids: s.ids,
    }),
    webhooks: s.webhookEndpoints,
    backups: s.backups,
    backupsDir: s.backupsDir,
    backupPlaces: s.backupPlaces,
    salesBetween: createSalesRepo({ store: s.store }).placedBetween,
    dayReports: s.dayReports,
    takeOrder: {
      staff: s.staffOrders,
      menu: () => s.menu.index(),
      search: (text) => s.menuSearch.search({ text, limit: 50 }).items.map((hit) => hit.item.id),
      shop: s.shop,
      newKey: () => randomUUID(),
    },
    staffEntered: (order) => orderChannel(s.ordersRepo, order) === 'staff',
    stations: s.kitchenStations,
    menuIndex: () => s.menu.index(),
    offerAdmin: createOfferAdmin({
      store: s.store,
      offers: s.offersRepo,
      admin: createOffersAdminRepo({ store: s.store }),
      calendar: () => s.shop.calendar(),
      clock: s.clock,
      ids: s.ids,
    }),
    stampCard: s.stampCard,
    kitchenScreen: { devices: s.kitchenDevices, board: s.kitchenBoard },
    log,
  });
  // The kitchen tablets' screen: their own device sessions, which open nothing under /admin.
  mountKitchenScreen(app, {
    board: s.kitchenBoard,
    devices: s.kitchenDevices,
    secret: `kitchen:${parts.cookieKeys[0] ?? ''}`,
    publicUrl: config.publicUrl,
    clock: s.clock,
    log,
  });
  return events;
}

/** Writes the given settings sections in one transaction, then refreshes the shop. */
function settingsSaver(s: Pick<Services, 'settings' | 'store' | 'shop'>) {
  return (changes: Partial<ShopSettings>) => {
    const save = <K extends keyof ShopSettings>(key: K, value: ShopSettings[K] | undefined) => {
      if (value !== undefined) s.settings.saveSection(key, value);
    };
    s.store.transaction(() => {
      for (const key of Object.keys(changes) as (keyof ShopSettings)[]) save(key, changes[key]);
    });
    s.shop.refresh();
  };
}

/** The printer as the owner's pages use it: which one, switch to another (kept in the database), test it. */
function adminPrinter(s: Pick<Services, 'printer' | 'ownerRepo' | 'clock' | 'printQueue'>): AdminPrinter {
  return {
    current: () => s.printer.current(),
    choose(target) {
      s.ownerRepo.setPrinter(printerChoiceJson(target), s.clock.now().getTime());
      s.printer.use(target);
    },
    test: () => s.printQueue.testPrint(),
  };
}
