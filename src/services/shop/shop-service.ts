import { AppError } from '../../domain/app-error.js';
import { createShopCalendar, type ShopCalendar } from '../../domain/shop-calendar.js';
import type { ShopSettings, TimeRange } from '../../domain/shop-settings.js';
import type { Clock } from '../../platform/clock.js';
import type { SettingsRepo } from '../../store/settings-repo.js';

/** What a customer or an assistant needs to know about the shop right now. */
export interface ShopInfo {
  readonly name: string;
  readonly address: string;
  readonly phone: string;
  readonly currency: string;
  readonly timezone: string;
  readonly openNow: boolean;
  /** Set when the owner (or the open/closed switch) stopped orders, whatever the hours say. */
  readonly pausedByOwner: boolean;
  readonly todaysHours: readonly TimeRange[];
  readonly closesAt: Date | undefined;
  /** The next time orders are taken, when closed now. */
  readonly nextOpening: Date | undefined;
  readonly pickupLeadMinutes: number;
}

/** The owner's settings, cached, with the calendar built from them. */
export interface ShopService {
  settings(): ShopSettings;
  calendar(): ShopCalendar;
  info(): ShopInfo;
  /** Throws shop_closed, with the next opening time, when orders are not being taken now. */
  assertOpen(): void;
  /** Formats an instant in the shop's time zone and locale. */
  formatTime(instant: Date): string;
  /** Forget the cache after settings change. */
  refresh(): void;
}

/** Creates the shop service; settings are read once and again after `refresh()`. */
export function createShopService({
  settings,
  clock,
}: {
  settings: SettingsRepo;
  clock: Clock;
}): ShopService {
  let cached: { settings: ShopSettings; calendar: ShopCalendar } | undefined;
  const load = () => {
    if (cached === undefined) {
      const loaded = settings.load();
      if (loaded === undefined) throw new AppError('internal', 'The shop has no settings yet.');
      cached = { settings: loaded, calendar: createShopCalendar(loaded.hours) };
    }
    return cached;
  };

  const service: ShopService = {
    settings: () => load().settings,
    calendar: () => load().calendar,
    formatTime: (instant) => load().calendar.formatLocal(instant, load().settings.profile.locale),
    info() {
      const { settings: s, calendar } = load();
      const now = clock.now();
      const hoursOpen = calendar.isOpen(now);
      return {
        name: s.profile.name,
        address: s.profile.address,
        phone: s.profile.phone,
        currency: s.profile.currency,
        timezone: s.hours.timezone,
        openNow: hoursOpen && !s.pausedByOwner,
        pausedByOwner: s.pausedByOwner,
        todaysHours: calendar.todaysRanges(now),
        closesAt: hoursOpen ? calendar.closesAt(now) : undefined,
        nextOpening: hoursOpen ? undefined : calendar.nextOpening(now),
        pickupLeadMinutes: s.pickup.leadMinutes,
      };
    },
    assertOpen() {
      const info = service.info();
      if (info.openNow) return;
      const when = info.nextOpening === undefined ? undefined : service.formatTime(info.nextOpening);
      const message = info.pausedByOwner
        ? `${info.name} is not taking orders right now.`
        : `${info.name} is closed right now.`;
      const suggestion = when === undefined ? 'Please try again later.' : `We open again ${when}.`;
      throw new AppError('shop_closed', `${message} ${suggestion}`, {
        violations: [{ code: 'shop_closed', message, suggestion }],
        details: { next_opening: info.nextOpening?.toISOString() },
      });
    },
    refresh() {
      cached = undefined;
    },
  };
  return service;
}
