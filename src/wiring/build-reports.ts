import { createDayCloser } from '../services/reports/day-closer.js';
import { createDayReports } from '../services/reports/day-reports.js';
import { createDayClosesRepo } from '../store/day-closes-repo.js';
import type { BuildContext } from './build-context.js';
import type { buildKitchen } from './build-kitchen.js';

/**
 * The day's X and Z reports over the orders, sealed in the audit log, printed through the print queue, and
 * the close the shop makes by itself at the owner's set time.
 */
export function buildReports(
  at: BuildContext,
  parts: {
    readonly shop: Parameters<typeof createDayReports>[0]['shop'];
    readonly ordersRepo: Parameters<typeof createDayReports>[0]['orders'];
    readonly audit: Parameters<typeof createDayReports>[0]['audit'];
    readonly printQueue: ReturnType<typeof buildKitchen>['printQueue'];
  },
) {
  const dayReports = createDayReports({
    store: at.store,
    repo: createDayClosesRepo({ store: at.store }),
    orders: parts.ordersRepo,
    shop: parts.shop,
    audit: parts.audit,
    clock: at.clock,
    print: (out) => parts.printQueue.printNow(out),
  });
  const dayCloser = createDayCloser({
    reports: dayReports,
    shop: parts.shop,
    clock: at.clock,
    log: at.log.child({ module: 'reports' }),
  });
  return { dayReports, dayCloser };
}
