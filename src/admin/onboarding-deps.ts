import type { ShopSettings } from '../domain/shop-settings.js';
import type { Clock } from '../platform/clock.js';
import type { Logger } from '../platform/logger.js';
import type { MenuImporter } from '../services/menu/menu-import.js';
import type { PublicAddressInput } from '../services/operations/public-address.js';
import type { ShopService } from '../services/shop/shop-service.js';
import type { AdminCsrf } from './admin-csrf.js';
import type { AdminPrinter, OwnerAccounts } from './admin-ports.js';
import type { OwnerSessions } from './admin-session.js';
import type { MenuCatalog } from './menu-routes.js';
import type { ScryptCost } from './owner-password.js';

/** What onboarding reads and writes. */
export interface OnboardingDeps {
  readonly owners: OwnerAccounts;
  /** The scrypt cost of the password set in step 1. */
  readonly passwordCost: ScryptCost;
  readonly sessions: OwnerSessions;
  readonly csrf: AdminCsrf;
  readonly shop: Pick<ShopService, 'settings'>;
  /** Writes the given settings sections in one transaction and refreshes the shop. */
  readonly saveSettings: (changes: Partial<ShopSettings>) => void;
  readonly printer: AdminPrinter;
  /** Saves a pasted Cloudflare tunnel token and its public address (optional last step). */
  readonly savePublicAddress: (input: PublicAddressInput) => { publicUrl: string };
  /** The menu onboarding starts: demo, empty or a file. */
  readonly catalog: Pick<MenuCatalog, 'loadMenu' | 'replaceMenu'>;
  readonly menuImporter: MenuImporter;
  readonly publicUrl: string;
  readonly clock: Clock;
  readonly log: Logger;
}
