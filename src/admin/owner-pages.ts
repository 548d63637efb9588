import type { ShopSettings } from '../domain/shop-settings.js';
import type { Clock } from '../platform/clock.js';
import type { AuditLog } from '../services/audit/audit-log.js';
import type { MenuImporter } from '../services/menu/menu-import.js';
import type { ShopService } from '../services/shop/shop-service.js';
import type { WebhookEndpoints } from '../services/webhooks/webhook-endpoints.js';
import type { AdminPrinter } from './admin-ports.js';
import type { AdminModule } from './admin-shell.js';
import { auditModule } from './audit-routes.js';
import type { BackupsPageDeps } from './backups-page.js';
import { backupsModule } from './backups-routes.js';
import { type KeysPageDeps, keysModule } from './keys-routes.js';
import {
  type KitchenDevicesPageDeps,
  kitchenDevicesModule,
  kitchenScreenSection,
} from './kitchen-devices-routes.js';
import { type MenuCatalog, menuModule } from './menu-routes.js';
import type { OffersPageDeps } from './offers-page.js';
import { offersModule } from './offers-routes.js';
import { type ReportsPageDeps, reportsModule } from './reports-routes.js';
import { type SalesPageDeps, salesModule } from './sales-routes.js';
import type { SectionSchemas } from './settings-form.js';
import { type SettingsPageDeps, settingsModule } from './settings-routes.js';
import { type TakeOrderDeps, takeOrderModule } from './staff-order-routes.js';
import { type StationsPageDeps, stationsModule } from './stations-routes.js';

/** What the menu, settings, keys, audit and backups pages need (part of `AdminDeps`, wired in `main.ts`). */
export interface OwnerPagesDeps {
  readonly publicUrl: string;
  readonly shop: ShopService;
  readonly saveSettings: (changes: Partial<ShopSettings>) => void;
  readonly printer: AdminPrinter;
  readonly audit: Pick<AuditLog, 'record' | 'recent' | 'verify' | 'export'>;
  readonly clock: Clock;
  /** The catalog the menu caches watch: its writes reach search and ordering at once. */
  readonly catalog: MenuCatalog;
  readonly menuImporter: MenuImporter;
  /** src/store/settings-schema.ts `settingsSections`. */
  readonly settingsSchemas: SectionSchemas;
  readonly signals: SettingsPageDeps['signals'];
  readonly acpKeys: KeysPageDeps['acpKeys'];
  readonly ownerTokens: KeysPageDeps['tokens'];
  readonly webhooks: WebhookEndpoints;
  readonly backups: BackupsPageDeps['backups'];
  /** DATA_DIR/backups. */
  readonly backupsDir: string;
  readonly backupPlaces: BackupsPageDeps['places'];
  readonly salesBetween: SalesPageDeps['salesBetween'];
  readonly dayReports: ReportsPageDeps['reports'];
  /** The quick order screen for phone and counter orders. */
  readonly takeOrder: TakeOrderDeps;
  readonly stations: StationsPageDeps['stations'];
  readonly menuIndex: StationsPageDeps['menu'];
  readonly offerAdmin: OffersPageDeps['admin'];
  readonly stampCard: OffersPageDeps['stampCard'];
  /** The kitchen screen's pairing, paired tablets and timers, on the Stations page. */
  readonly kitchenScreen: Omit<KitchenDevicesPageDeps, 'publicUrl' | 'formatTime'>;
}

/** The menu, settings, keys, audit and backups pages. */
export function ownerPageModules(deps: OwnerPagesDeps): AdminModule[] {
  const formatTime = (instant: Date) => deps.shop.formatTime(instant);
  const screen = { ...deps.kitchenScreen, publicUrl: deps.publicUrl, formatTime };
  return [
    takeOrderModule(deps.takeOrder),
    menuModule({
      catalog: deps.catalog,
      importer: deps.menuImporter,
      settings: () => deps.shop.settings(),
      clock: deps.clock,
    }),
    settingsModule({
      shop: deps.shop,
      save: deps.saveSettings,
      schemas: deps.settingsSchemas,
      printer: deps.printer,
      signals: deps.signals,
    }),
    keysModule({
      acpKeys: deps.acpKeys,
      tokens: deps.ownerTokens,
      webhooks: deps.webhooks,
      publicUrl: deps.publicUrl,
      clock: deps.clock,
      formatTime,
    }),
    auditModule({ audit: deps.audit, shop: deps.shop, clock: deps.clock }),
    backupsModule({ backups: deps.backups, dir: deps.backupsDir, places: deps.backupPlaces, formatTime }),
    salesModule({ shop: deps.shop, salesBetween: deps.salesBetween, clock: deps.clock }),
    offersModule({
      admin: deps.offerAdmin,
      stampCard: deps.stampCard,
      menu: () => deps.catalog.loadMenu(),
      settings: () => deps.shop.settings(),
      calendar: () => deps.shop.calendar(),
      formatTime,
    }),
    reportsModule({ reports: deps.dayReports, shop: deps.shop, save: deps.saveSettings }),
    stationsModule({
      stations: deps.stations,
      menu: deps.menuIndex,
      screen: (csrf) => kitchenScreenSection(screen, csrf),
    }),
    kitchenDevicesModule(screen),
  ];
}
