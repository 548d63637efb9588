import { createHash } from 'node:crypto';
import type { SalesChannel } from '../../domain/day-report.js';
import type { MenuIndex } from '../../domain/menu-index.js';
import type { Order } from '../../domain/order.js';
import type { KitchenCardRow, KitchenTimers } from '../../store/kitchen-board-repo.js';

/** One line as the screen shows it: quantity and name large, options and note beneath. */
export interface ScreenLine {
  readonly quantity: number;
  readonly name: string;
  readonly options: readonly string[];
  readonly note: string | undefined;
  readonly allergens: readonly string[];
  /** The station that makes it (on the "All" view). */
  readonly station: string;
  /** That station bumped it already (on the "All" view). */
  readonly done: boolean;
}

/** One card: an order's lines for one station, or every line of it on the "All" (expo) view. */
export interface ScreenCard {
  /** `<order id>:<station id>`, or `<order id>:all`: the screen keeps cards by it, so none shows twice. */
  readonly key: string;
  readonly orderId: string;
  readonly code: string;
  /** When the order was paid, ISO: the age timer counts from it. */
  readonly paidAt: string;
  /** "ASAP" or the pickup time in shop time. */
  readonly pickup: string;
  readonly channel: SalesChannel;
  readonly customer: string | undefined;
  readonly delivery: boolean;
  readonly lines: readonly ScreenLine[];
}

/** A station on the picker. */
export interface ScreenStation {
  readonly id: number;
  readonly name: string;
}

/** What a screen shows: its cards oldest first, the stations to pick from, the timers, and a version. */
export interface BoardView {
  /** A station's id, or `all`. */
  readonly station: number | 'all';
  readonly stations: readonly ScreenStation[];
  readonly timers: KitchenTimers;
  readonly cards: readonly ScreenCard[];
  /** A hash of the cards: the stream's event id, so a screen that has this version is sent nothing. */
  readonly version: string;
}

/** What a card is made from besides its rows. */
export interface CardContext {
  readonly order: (id: string) => Order | undefined;
  readonly channel: (order: Order) => SalesChannel;
  readonly menu: () => MenuIndex;
  readonly formatTime: (instant: Date) => string;
}

function screenLines(order: Order, card: KitchenCardRow, menu: MenuIndex): ScreenLine[] {
  const priced = order.priced?.lines;
  return card.lines.flatMap((index) => {
    const raw = order.lines[index];
    if (raw === undefined) return [];
    const line = priced?.[index];
    return [
      {
        quantity: raw.quantity,
        name: line?.name ?? menu.items.get(raw.itemId)?.name ?? raw.itemId,
        options:
          line?.options.map((o) => o.name) ?? raw.optionIds.map((id) => menu.options.get(id)?.name ?? id),
        note: raw.note?.trim() === '' ? undefined : raw.note,
        allergens: menu.items.get(raw.itemId)?.allergens ?? [],
        station: card.stationName,
        done: card.bumpedAt !== undefined,
      },
    ];
  });
}

/** The cards of one order: one per open station card, or one with all its lines on the "All" view. */
export function orderCards(
  order: Order,
  rows: readonly KitchenCardRow[],
  all: boolean,
  ctx: CardContext,
): ScreenCard[] {
  const menu = ctx.menu();
  const first = rows[0];
  if (first === undefined) return [];
  const base = {
    orderId: order.id,
    code: order.code,
    paidAt: new Date(first.paidAt).toISOString(),
    pickup: order.pickupSlot === undefined ? 'ASAP' : ctx.formatTime(order.pickupSlot),
    channel: ctx.channel(order),
    customer: order.customerName?.trim().split(/\s+/)[0],
    delivery: order.fulfillment.type === 'delivery',
  };
  if (all)
    return [{ ...base, key: `${order.id}:all`, lines: rows.flatMap((r) => screenLines(order, r, menu)) }];
  return rows.map((r) => ({
    ...base,
    key: `${order.id}:${r.stationId}`,
    lines: screenLines(order, r, menu),
  }));
}

/** The version of a list of cards: equal cards, equal version, across restarts too. */
export function boardVersion(station: number | 'all', cards: readonly ScreenCard[], timers: KitchenTimers) {
  return createHash('sha256')
    .update(JSON.stringify([station, timers, cards]))
    .digest('base64url')
    .slice(0, 22);
}
