import { type SaleRecord, summarizeSales, weekStart } from '../domain/sales-summary.js';
import { addDays } from '../domain/shop-calendar.js';
import type { Clock } from '../platform/clock.js';
import type { ShopService } from '../services/shop/shop-service.js';
import type { AdminModule } from './admin-shell.js';
import { type SalesPeriod, salesBody } from './sales-view.js';

/** What the sales page reads. */
export interface SalesPageDeps {
  readonly shop: Pick<ShopService, 'settings' | 'calendar'>;
  /** Sold and refunded orders placed in `[startMs, endMs)` (src/store/sales-repo.ts). */
  readonly salesBetween: (startMs: number, endMs: number) => readonly SaleRecord[];
  readonly clock: Clock;
}

/** Items in each top list: what fits a phone's screen above the fold of the next chart. */
const TOP_ITEMS = 5;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** The asked date when it is a real one, else today (a hand-edited address shows today, not an error). */
function dateOf(asked: string | undefined, today: string): string {
  if (asked === undefined || !DATE.test(asked)) return today;
  const parsed = new Date(`${asked}T00:00:00Z`);
  return !Number.isNaN(parsed.getTime()) && parsed.toISOString().startsWith(asked) ? asked : today;
}

/** `/admin/sales`: orders per hour and day and the top items of a day or a week, drawn on the server. */
export function salesModule(deps: SalesPageDeps): AdminModule {
  return {
    nav: { id: 'sales', label: 'Sales', path: '/admin/sales' },
    mount(router, shell) {
      router.get('/sales', (c) => {
        const calendar = deps.shop.calendar();
        const settings = deps.shop.settings();
        const today = calendar.localParts(deps.clock.now()).date;
        const period: SalesPeriod = c.req.query('period') === 'week' ? 'week' : 'day';
        const date = dateOf(c.req.query('date'), today);
        const firstDate = period === 'week' ? weekStart(date) : date;
        const days = period === 'week' ? 7 : 1;
        const start = calendar.toInstant(firstDate, 0).getTime();
        const end = calendar.toInstant(addDays(firstDate, days), 0).getTime();
        const summary = summarizeSales({
          orders: deps.salesBetween(start, end),
          calendar,
          currency: settings.profile.currency,
          firstDate,
          days,
          top: TOP_ITEMS,
        });
        const next = addDays(date, days);
        return shell.render(c, {
          title: 'Sales',
          nav: 'sales',
          body: salesBody({
            period,
            date,
            previous: addDays(date, -days),
            next: (period === 'week' ? weekStart(next) : next) > today ? undefined : next,
            summary,
            timezone: calendar.timezone,
            locale: settings.profile.locale,
          }),
        });
      });
    },
  };
}
