import type { Context } from 'hono';
import type { Menu } from '../domain/catalog.js';
import type { ShopCalendar } from '../domain/shop-calendar.js';
import type { ShopSettings } from '../domain/shop-settings.js';
import type { OfferAdmin } from '../services/offers/offer-admin.js';
import type { StampCardService } from '../services/offers/stamp-card-service.js';
import { messagePage } from './admin-layout.js';
import type { AdminEnv, AdminShell } from './admin-shell.js';

/** What the offers pages need (part of `OwnerPagesDeps`). */
export interface OffersPageDeps {
  readonly admin: OfferAdmin;
  readonly stampCard: Pick<StampCardService, 'card' | 'saveCard'>;
  readonly menu: () => Menu;
  readonly settings: () => ShopSettings;
  readonly calendar: () => ShopCalendar;
  readonly formatTime: (instant: Date) => string;
}

/** The offers pages' answer to an offer id that does not exist. */
export function notFound(shell: AdminShell, c: Context<AdminEnv>): Promise<Response> {
  return shell.render(c, {
    title: 'Not found',
    nav: 'offers',
    body: messagePage('There is no such offer.', { href: '/admin/offers', label: 'Back to the offers' }),
    status: 404,
  });
}
