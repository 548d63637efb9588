import { isAppError } from '../../domain/app-error.js';
import { addDays, parseClock } from '../../domain/shop-calendar.js';
import type { Clock } from '../../platform/clock.js';
import type { Logger } from '../../platform/logger.js';
import type { ShopService } from '../shop/shop-service.js';
import type { DayReports } from './day-reports.js';

/** The actor of a close the shop made by itself. */
export const AUTO_CLOSE_ACTOR = 'auto-close';

/** Closes the day by itself at the owner's set time (settings `dayClose.autoCloseAt`). */
export interface DayCloser {
  /** Closes what is due now: today once its time has come, and yesterday when it was left open with orders. */
  check(): void;
}

/** Creates the closer; a timer calls `check` (src/wiring/start-workers.ts). */
export function createDayCloser(deps: {
  readonly reports: Pick<DayReports, 'close' | 'closed' | 'report'>;
  readonly shop: Pick<ShopService, 'settings' | 'calendar'>;
  readonly clock: Clock;
  readonly log: Logger;
}): DayCloser {
  const by = { kind: 'system', actor: AUTO_CLOSE_ACTOR } as const;
  function closeIfDue(): void {
    const at = deps.shop.settings().dayClose?.autoCloseAt ?? null;
    if (at === null) return;
    const local = deps.shop.calendar().localParts(deps.clock.now());
    // The appliance was off at yesterday's time: that day is closed now, whole.
    const yesterday = addDays(local.date, -1);
    if (deps.reports.closed(yesterday) === undefined && deps.reports.report(yesterday).orders > 0) {
      deps.reports.close(by, yesterday);
      deps.log.info({ day: yesterday }, 'day closed by itself');
    }
    if (local.minutes >= parseClock(at) && deps.reports.closed(local.date) === undefined) {
      deps.reports.close(by, local.date);
      deps.log.info({ day: local.date }, 'day closed by itself');
    }
  }
  return {
    check() {
      try {
        closeIfDue();
      } catch (error) {
        // A full disk is the storage state's to log; the next check tries again.
        if (!isAppError(error, 'storage_full')) deps.log.error({ err: error }, 'closing the day failed');
      }
    },
  };
}
