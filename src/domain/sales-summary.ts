import { WEEKDAYS, type Weekday } from './catalog.js';
import type { OrderState } from './order-lifecycle.js';
import type { PricedOrder } from './pricing.js';
import { addDays, type ShopCalendar, weekdayOf } from './shop-calendar.js';

/** What the sales pictures read of an order. */
export interface SaleRecord {
  readonly state: OrderState;
  readonly placedAt: Date;
  readonly currency: string;
  readonly priced: PricedOrder | undefined;
}

/** One menu item's sales: units sold and what its lines came to, in minor units. */
export interface ItemSales {
  readonly itemId: string;
  readonly name: string;
  readonly quantity: number;
  readonly amount: number;
}

/** One local date of the range and its paid orders. */
export interface DaySales {
  readonly date: string;
  readonly weekday: Weekday;
  readonly orders: number;
}

/** Paid orders of a run of local dates: per hour, per day, the top items, and the refunds apart. */
export interface SalesSummary {
  readonly currency: string;
  readonly dates: readonly string[];
  /** Paid orders per local hour 0–23, summed over every date of the range. */
  readonly perHour: readonly number[];
  readonly perDay: readonly DaySales[];
  readonly orders: number;
  /** The paid orders' totals (tax, fees and tips included), in minor units. */
  readonly amount: number;
  readonly refunds: { readonly orders: number; readonly amount: number };
  readonly topByQuantity: readonly ItemSales[];
  readonly topByAmount: readonly ItemSales[];
}

/**
 * States that count as a sale: the customer paid or confirmed to pay at pickup (DESIGN.md, order
 * lifecycle). A cart or an order awaiting confirmation is unpaid; canceled and expired orders never sold.
 */
const SOLD: ReadonlySet<OrderState> = new Set(['paid', 'in_kitchen', 'ready', 'collected']);

/**
 * Sums the orders placed on `days` local dates from `firstDate`, in the shop's time zone.
 *
 * Refunds: a refund gives a whole order back (src/services/orders/order-refunds.ts), so a refunded order
 * is no sale — it is left out of the hours, the days and the items — and counted under `refunds` (how
 * many, how much) on the date it was placed, beside the sales it undid.
 * Daylight saving time: hours are the wall clock's. The hour skipped in spring has no orders; the hour
 * repeated in autumn holds the orders of both its passes.
 * Orders in another currency than the shop's (one changed its currency since) are left out of the sums.
 */
export function summarizeSales(input: {
  readonly orders: Iterable<SaleRecord>;
  readonly calendar: Pick<ShopCalendar, 'localParts'>;
  readonly currency: string;
  readonly firstDate: string;
  readonly days: number;
  readonly top: number;
}): SalesSummary {
  const dates = Array.from({ length: input.days }, (_, i) => addDays(input.firstDate, i));
  const dayIndex = new Map(dates.map((date, i) => [date, i]));
  const tally = newTally(dates.length);
  for (const order of input.orders) {
    const local = input.calendar.localParts(order.placedAt);
    const day = dayIndex.get(local.date);
    if (day === undefined || order.currency !== input.currency) continue;
    count(tally, order, day, Math.floor(local.minutes / 60));
  }
  const items = [...tally.items.values()];
  return {
    currency: input.currency,
    dates,
    perHour: tally.perHour,
    perDay: dates.map((date, i) => ({ date, weekday: weekdayOf(date), orders: tally.perDay[i] ?? 0 })),
    orders: tally.orders,
    amount: tally.amount,
    refunds: tally.refunds,
    topByQuantity: topOf(items, 'quantity', input.top),
    topByAmount: topOf(items, 'amount', input.top),
  };
}

interface Tally {
  readonly perHour: number[];
  readonly perDay: number[];
  readonly items: Map<string, { itemId: string; name: string; quantity: number; amount: number }>;
  orders: number;
  amount: number;
  readonly refunds: { orders: number; amount: number };
}

function newTally(days: number): Tally {
  return {
    perHour: new Array<number>(24).fill(0),
    perDay: new Array<number>(days).fill(0),
    items: new Map(),
    orders: 0,
    amount: 0,
    refunds: { orders: 0, amount: 0 },
  };
}

/** Adds one order of the range, placed on day `day` of it at local hour `hour`. */
function count(tally: Tally, order: SaleRecord, day: number, hour: number): void {
  const total = order.priced?.totals.total ?? 0;
  if (order.state === 'refunded') {
    tally.refunds.orders += 1;
    tally.refunds.amount += total;
    return;
  }
  if (!SOLD.has(order.state)) return;
  tally.orders += 1;
  tally.amount += total;
  tally.perDay[day] = (tally.perDay[day] ?? 0) + 1;
  tally.perHour[hour] = (tally.perHour[hour] ?? 0) + 1;
  for (const line of order.priced?.lines ?? []) {
    const item = tally.items.get(line.itemId) ?? {
      itemId: line.itemId,
      name: line.name,
      quantity: 0,
      amount: 0,
    };
    // The newest order's name wins (the orders come oldest first): an item renamed shows as it is now.
    item.name = line.name;
    item.quantity += line.quantity;
    item.amount += line.lineTotal;
    tally.items.set(line.itemId, item);
  }
}

/** The `top` items by one measure, largest first; ties go by name so the order is stable. */
function topOf(items: ItemSales[], by: 'quantity' | 'amount', top: number): ItemSales[] {
  return items
    .filter((item) => item[by] > 0)
    .sort((a, b) => b[by] - a[by] || a.name.localeCompare(b.name) || a.itemId.localeCompare(b.itemId))
    .slice(0, top);
}

/** The Monday that starts the week of a local date ("YYYY-MM-DD"). */
export function weekStart(date: string): string {
  return addDays(date, -WEEKDAYS.indexOf(weekdayOf(date)));
}
