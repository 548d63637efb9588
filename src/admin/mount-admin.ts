import { Hono, type MiddlewareHandler } from 'hono';
import type { ShopSettings } from '../domain/shop-settings.js';
import type { AppEnv } from '../http/app.js';
import type { Clock } from '../platform/clock.js';
import type { Logger } from '../platform/logger.js';
import type { AuditLog } from '../services/audit/audit-log.js';
import { savePublicAddress } from '../services/operations/public-address.js';
import type { ShopService } from '../services/shop/shop-service.js';
import { mountAdminAssets } from './admin-assets.js';
import { createAdminCsrf } from './admin-csrf.js';
import { createAdminFlash } from './admin-flash.js';
import { messagePage } from './admin-layout.js';
import type { AdminPrinter, OwnerAccounts, StatusLine } from './admin-ports.js';
import { createOwnerSessions } from './admin-session.js';
import { type AdminEnv, type AdminModule, type AdminNavEntry, createAdminShell } from './admin-shell.js';
import { type ApplianceAlertsDeps, applianceAlerts, clockJumpModule } from './appliance-alerts.js';
import { connectModule } from './connect-routes.js';
import { type DashboardDeps, dashboardModule } from './dashboard-routes.js';
import { PACKAGE_ROOT } from './guide-pages.js';
import { guideModule } from './guide-routes.js';
import { mountLogin } from './login-routes.js';
import { mountOnboarding } from './onboarding-routes.js';
import type { OwnerEvents } from './owner-events.js';
import { type OwnerPagesDeps, ownerPageModules } from './owner-pages.js';
import type { ScryptCost } from './owner-password.js';

/** Everything the owner pages need; `main.ts` wires it. */
export interface AdminDeps
  extends Pick<
      DashboardDeps,
      'ordersSince' | 'order' | 'orders' | 'refunds' | 'reprint' | 'staffEntered' | 'printers'
    >,
    OwnerPagesDeps {
  readonly publicUrl: string;
  /** A server secret for the CSRF tokens and flash cookies (derived from the cookie keys in DATA_DIR). */
  readonly secret: string;
  /** Where a pasted tunnel token and public address are written for systemd (the state directory). */
  readonly dataDir: string;
  /** Whether systemd runs counterpi (NOTIFY_SOCKET): then a saved public address applies itself. */
  readonly underSystemd: boolean;
  readonly owners: OwnerAccounts;
  /** The scrypt cost of a password set here (DEFAULT_SCRYPT_COST in production). */
  readonly passwordCost: ScryptCost;
  readonly shop: ShopService;
  /** Writes the given settings sections in one transaction and refreshes the shop. */
  readonly saveSettings: (changes: Partial<ShopSettings>) => void;
  readonly printer: AdminPrinter;
  /** The optional components of `/ready` (printer, GPIO, tunnel, webhooks, backups). */
  readonly status: () => readonly StatusLine[];
  /** The disk's state in plain words while it is short of space (src/services/operations/storage-state.ts); else undefined. */
  readonly storageAlert: () => string | undefined;
  /** The Pi's clock and power supply, shown above the dashboard while something is wrong with them. */
  readonly appliance: ApplianceAlertsDeps;
  readonly events: OwnerEvents;
  readonly audit: Pick<AuditLog, 'record' | 'recent' | 'verify' | 'export'>;
  readonly clock: Clock;
  readonly log: Logger;
}

/**
 * The owner pages' Content-Security-Policy: scripts, styles and fetches from this origin only, images
 * also inline (the QR code), forms only to this origin, never framed (clickjacking), no <base> tricks.
 */
export const ADMIN_CSP =
  "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

const adminHeaders: MiddlewareHandler<AdminEnv> = async (c, next) => {
  await next();
  c.res.headers.set('Content-Security-Policy', ADMIN_CSP);
  c.res.headers.set('X-Frame-Options', 'DENY');
  if (!c.req.path.startsWith('/admin/assets/')) c.res.headers.set('Cache-Control', 'no-store');
};

/**
 * Mounts the owner pages under `/admin`: assets, login, onboarding, then the modules (each behind the
 * owner's session and CSRF check). See admin-shell.ts for how to add a page.
 */
export function mountAdmin(app: Hono<AppEnv>, deps: AdminDeps): void {
  const log = deps.log.child({ module: 'admin' });
  const { owners, publicUrl, clock } = deps;
  const sessions = createOwnerSessions({ store: owners, clock, publicUrl });
  const csrf = createAdminCsrf({ secret: deps.secret, publicUrl });
  // Open to anyone: the owner's guide holds no secret, and the login page sends a locked-out owner there.
  const guide = guideModule({ root: PACKAGE_ROOT, sessions, csrf, log });
  const modules: readonly AdminModule[] = [
    dashboardModule({
      ...deps,
      log,
      applianceAlerts: (ctx) => applianceAlerts(deps.appliance, ctx),
      clockBehind: () => deps.appliance.clockBehind() !== undefined,
      power: deps.appliance.power,
    }),
    clockJumpModule(deps.appliance),
    connectModule({
      publicUrl,
      shopName: () => deps.shop.settings().profile.name,
      tunnel: () => deps.status().find((s) => s.name === 'tunnel') ?? { ok: false, detail: 'not checked' },
      savePublicAddress: (input) => savePublicAddress(deps.dataDir, input),
      appliesItself: deps.underSystemd,
    }),
    ...ownerPageModules(deps),
  ];
  const shell = createAdminShell({
    sessions,
    csrf,
    flash: createAdminFlash({ secret: deps.secret, publicUrl }),
    audit: deps.audit,
    account: () => {
      const account = owners.account();
      return {
        hasPassword: account.passwordHash !== undefined,
        onboarded: account.onboardedAt !== undefined && account.passwordHash !== undefined,
      };
    },
    shopName: () => deps.shop.settings().profile.name,
    nav: () => [...modules, guide].flatMap((m): AdminNavEntry[] => (m.nav === undefined ? [] : [m.nav])),
  });

  const router = new Hono<AdminEnv>();
  router.use('*', adminHeaders);
  mountAdminAssets(router);
  guide.mount(router, shell);
  mountLogin(router, shell, { owners, sessions, csrf, clock, log });
  mountOnboarding(router, shell, {
    ...deps,
    sessions,
    csrf,
    log,
    savePublicAddress: (input) => savePublicAddress(deps.dataDir, input),
  });
  // Everything mounted from here on is the owner's only.
  router.use('*', shell.requireOwner);
  for (const module of modules) module.mount(router, shell);
  router.all('*', (c) =>
    shell.render(c, {
      title: 'Not found',
      body: messagePage('There is no owner page here.', { href: '/admin', label: 'Go to the dashboard' }),
      status: 404,
    }),
  );
  app.route('/admin', router);
}
