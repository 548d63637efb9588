import { asDiscounted } from './offers.js';
import type { Order, OrderPayment } from './order.js';
import type { OrderState } from './order-lifecycle.js';
import { orderRefund } from './order-refund.js';

/** Where an order came from: an assistant over MCP, an ACP agent, or keyed in by staff. */
export type SalesChannel = 'mcp' | 'acp' | 'staff';

/** How an order was paid, as its payment record says (`unknown` for one paid before records existed). */
export type ReportPayment = OrderPayment['method'] | 'unknown';

/** An order of the day with the channel it came through. */
export interface ReportOrder {
  readonly order: Order;
  readonly channel: SalesChannel;
}

/** A count of orders and the money they brought, in minor units. */
export interface ReportCount {
  readonly orders: number;
  readonly amount: number;
}

/** Tax of one rate: on every counted order, the part on refunded ones, and what is left. */
export interface ReportTax {
  readonly rateId: string;
  readonly name: string;
  readonly percent: number;
  readonly amount: number;
  readonly refunded: number;
  readonly net: number;
}

/** One item sold: every line of it, whatever its options. */
export interface ReportItem {
  readonly itemId: string;
  readonly name: string;
  readonly quantity: number;
  readonly amount: number;
}

/**
 * The sales of one local day (an X report so far, a Z report once closed). Every amount is in integer
 * minor units of `currency`. `gross` is what the counted orders totalled (items, tax added on top,
 * fees, tips, delivery) with their discounts added back; `net` is what the shop kept: gross less
 * discounts and refunds. `items` is at menu prices, before discounts.
 */
export interface DayReport {
  /** The shop's local date, YYYY-MM-DD. */
  readonly day: string;
  readonly timezone: string;
  readonly currency: string;
  /** The instants the local day starts and ends (ISO 8601), and the end of what the report covers. */
  readonly from: string;
  readonly until: string;
  readonly asOf: string;
  readonly orders: number;
  readonly gross: number;
  readonly items: number;
  /** What offers and promo codes took off the counted orders (already out of their totals). */
  readonly discounts: number;
  readonly refunds: ReportCount;
  readonly tax: readonly ReportTax[];
  /** True when the shop's prices include tax (then tax is part of `items`, not added to `gross`). */
  readonly taxIncluded: boolean;
  readonly tips: number;
  readonly fees: number;
  readonly delivery: number;
  readonly net: number;
  readonly payments: readonly (ReportCount & { readonly method: ReportPayment })[];
  readonly channels: readonly (ReportCount & { readonly channel: SalesChannel })[];
  readonly itemsSold: readonly ReportItem[];
  /** Local hours 0–23 with at least one order. */
  readonly hours: readonly (ReportCount & { readonly hour: number })[];
}

/** States of an order that took (or was promised) money; a refunded one counts with its refund. */
export const REPORTED_STATES: ReadonlySet<OrderState> = new Set([
  'paid',
  'in_kitchen',
  'ready',
  'collected',
  'refunded',
]);

/** An order's channel from its customer's sign-in subject: ACP buyers are `acp:…`, staff `staff:…`. */
export function channelOfSubject(subject: string | undefined): SalesChannel {
  if (subject?.startsWith('acp:') === true) return 'acp';
  if (subject?.startsWith('staff:') === true) return 'staff';
  return 'mcp';
}

/** The day an order counts on: when it was placed (an order is paid after it is placed, never before). */
export function reportInstant(order: Order): Date {
  return order.placedAt ?? order.createdAt;
}

function add<K>(map: Map<K, ReportCount>, key: K, amount: number): void {
  const now = map.get(key) ?? { orders: 0, amount: 0 };
  map.set(key, { orders: now.orders + 1, amount: now.amount + amount });
}

/** Sorted by key, so the same orders always give the same report (and the same hash). */
function counts<K extends string | number, N extends string>(
  map: Map<K, ReportCount>,
  name: N,
): (ReportCount & Record<N, K>)[] {
  return [...map]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([key, count]) => ({ [name]: key, ...count }) as ReportCount & Record<N, K>);
}

interface Tally {
  orders: number;
  gross: number;
  items: number;
  discounts: number;
  refunds: ReportCount;
  tips: number;
  fees: number;
  delivery: number;
  taxIncluded: boolean;
  readonly tax: Map<string, ReportTax>;
  readonly payments: Map<ReportPayment, ReportCount>;
  readonly channels: Map<SalesChannel, ReportCount>;
  readonly items_: Map<string, ReportItem>;
  readonly hours: Map<number, ReportCount>;
}

function tallyTax(tally: Tally, order: Order, refunded: boolean): void {
  for (const line of order.priced?.totals.taxBreakdown ?? []) {
    const key = `${line.rateId}|${line.percent}`;
    const now = tally.tax.get(key) ?? { ...line, amount: 0, refunded: 0, net: 0 };
    const back = refunded ? line.amount : 0;
    tally.tax.set(key, {
      ...now,
      amount: now.amount + line.amount,
      refunded: now.refunded + back,
      net: now.net + line.amount - back,
    });
  }
}

function tallyOrder(tally: Tally, { order, channel }: ReportOrder, hour: number): void {
  const totals = order.priced === undefined ? undefined : asDiscounted(order.priced).totals;
  const total = totals?.total ?? 0;
  const discount = totals?.discount ?? 0;
  const refunded = order.state === 'refunded';
  tally.orders += 1;
  tally.gross += total + discount;
  tally.discounts += discount;
  tally.items += (totals?.subtotal ?? 0) + discount;
  tally.tips += totals?.tip ?? 0;
  tally.fees += totals?.fee ?? 0;
  tally.delivery += totals?.delivery ?? 0;
  if (totals?.taxIncluded === true) tally.taxIncluded = true;
  if (refunded) {
    // A refund gives back what was charged: the discount was never taken, so it is not refunded.
    const back = order.priced === undefined ? 0 : orderRefund(order.priced).amount;
    tally.refunds = { orders: tally.refunds.orders + 1, amount: tally.refunds.amount + back };
  }
  tallyTax(tally, order, refunded);
  add(tally.payments, order.payment?.method ?? 'unknown', total);
  add(tally.channels, channel, total);
  add(tally.hours, hour, total);
  for (const line of order.priced?.lines ?? []) {
    const now = tally.items_.get(line.itemId) ?? {
      itemId: line.itemId,
      name: line.name,
      quantity: 0,
      amount: 0,
    };
    tally.items_.set(line.itemId, {
      ...now,
      quantity: now.quantity + line.quantity,
      amount: now.amount + line.lineTotal,
    });
  }
}

function emptyTally(): Tally {
  return {
    orders: 0,
    gross: 0,
    items: 0,
    discounts: 0,
    refunds: { orders: 0, amount: 0 },
    tips: 0,
    fees: 0,
    delivery: 0,
    taxIncluded: false,
    tax: new Map(),
    payments: new Map(),
    channels: new Map(),
    items_: new Map(),
    hours: new Map(),
  };
}

/**
 * The report of one local day from the orders given: only those in a reported state and placed within
 * [from, until) count, so a caller may pass a wider set. `localHour` tells an instant's hour in the
 * shop's time zone.
 */
export function dayReport(p: {
  readonly day: string;
  readonly timezone: string;
  readonly currency: string;
  readonly from: Date;
  readonly until: Date;
  readonly asOf: Date;
  readonly orders: readonly ReportOrder[];
  readonly localHour: (instant: Date) => number;
}): DayReport {
  const tally = emptyTally();
  const end = Math.min(p.until.getTime(), p.asOf.getTime() + 1);
  for (const entry of p.orders) {
    const at = reportInstant(entry.order).getTime();
    if (!REPORTED_STATES.has(entry.order.state) || at < p.from.getTime() || at >= end) continue;
    tallyOrder(tally, entry, p.localHour(reportInstant(entry.order)));
  }
  const discounts = tally.discounts;
  return {
    day: p.day,
    timezone: p.timezone,
    currency: p.currency,
    from: p.from.toISOString(),
    until: p.until.toISOString(),
    asOf: p.asOf.toISOString(),
    orders: tally.orders,
    gross: tally.gross,
    items: tally.items,
    discounts,
    refunds: tally.refunds,
    tax: [...tally.tax.values()].sort((a, b) => a.rateId.localeCompare(b.rateId) || a.percent - b.percent),
    taxIncluded: tally.taxIncluded,
    tips: tally.tips,
    fees: tally.fees,
    delivery: tally.delivery,
    net: tally.gross - discounts - tally.refunds.amount,
    payments: counts(tally.payments, 'method'),
    channels: counts(tally.channels, 'channel'),
    itemsSold: [...tally.items_.values()].sort((a, b) => b.amount - a.amount || a.name.localeCompare(b.name)),
    hours: counts(tally.hours, 'hour'),
  };
}
