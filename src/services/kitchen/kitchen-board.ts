import { AppError } from '../../domain/app-error.js';
import type { MenuIndex } from '../../domain/menu-index.js';
import type { Order } from '../../domain/order.js';
import { canTransition } from '../../domain/order-lifecycle.js';
import type { Clock } from '../../platform/clock.js';
import type { Store } from '../../store/database.js';
import type { KitchenBoardRepo, KitchenCardRow, KitchenTimers } from '../../store/kitchen-board-repo.js';
import type { StationsRepo } from '../../store/stations-repo.js';
import type { OrderEvents } from '../orders/order-events.js';
import type { OrderService } from '../orders/order-service.js';
import {
  type BoardView,
  boardVersion,
  type CardContext,
  orderCards,
  type ScreenStation,
} from './kitchen-cards.js';
import { splitByStation } from './station-routing.js';

/** The actor a screen's bump moves an order to `ready` as (the GPIO button's is `kitchen:bump_button`). */
export const KITCHEN_SCREEN_ACTOR = 'kitchen:screen';
/** A shop without stations has one card per order, at this station id. */
export const WHOLE_KITCHEN = { id: 0, name: 'Kitchen' } as const;
export const DEFAULT_TIMERS: KitchenTimers = { amberMinutes: 5, redMinutes: 10 };

/** What a bump or recall did, as the screen shows it; a retry with the same key gets the same answer. */
export interface KitchenOutcome {
  readonly request: string;
  readonly orderId: string;
  readonly code: string;
  /** The bump was the order's last station: it is now `ready`. */
  readonly ready: boolean;
  readonly message: string;
}

/** The kitchen screen's state, kept in the database: cards per order × station, bumps and recalls. */
export interface KitchenBoard {
  view(station: number | 'all'): BoardView;
  /** Done at one station (or every station, from "All"); the order's last station makes it `ready`. */
  bump(key: string, orderId: string, station: number | 'all'): KitchenOutcome;
  /** Undoes the station's (or the kitchen's) last bump while its order is still being cooked. */
  recall(key: string, station: number | 'all'): KitchenOutcome;
  timers(): KitchenTimers;
  setTimers(timers: KitchenTimers): void;
  /** Tells the open screens to look again (a tablet was removed: its stream ends). */
  changed(): void;
  /** Told after every change that may move a card (committed by then); returns how to stop. */
  subscribe(listener: () => void, closed: () => void): () => void;
  close(): void;
}

export interface KitchenBoardDeps extends CardContext {
  readonly store: Store;
  readonly repo: KitchenBoardRepo;
  readonly stations: Pick<StationsRepo, 'list' | 'routes'>;
  readonly menu: () => MenuIndex;
  readonly orders: Pick<OrderService, 'transitionById'>;
  readonly orderEvents: Pick<OrderEvents, 'on'>;
  readonly clock: Clock;
}

/** Cards for a newly paid order, split by the routing its station tickets use (frozen from now on). */
function freeze(deps: KitchenBoardDeps, order: Order): void {
  const paidAt = deps.clock.now().getTime();
  const parts = splitByStation(order.lines, deps.menu(), deps.stations.list(), deps.stations.routes());
  const cards =
    parts.length > 0
      ? parts.map((p) => ({
          stationId: p.stationId ?? WHOLE_KITCHEN.id,
          stationName: p.name,
          lines: p.lines,
        }))
      : [
          {
            stationId: WHOLE_KITCHEN.id,
            stationName: WHOLE_KITCHEN.name,
            lines: order.lines.map((_, i) => i),
          },
        ];
  for (const card of cards) deps.repo.addCard({ ...card, orderId: order.id, paidAt });
}

function pickerStations(deps: KitchenBoardDeps, open: readonly KitchenCardRow[]): ScreenStation[] {
  const current: ScreenStation[] = deps.stations.list().map((s) => ({ id: s.id, name: s.name }));
  const listed = current.length > 0 ? current : [WHOLE_KITCHEN];
  // A removed station's cards still show under their frozen name until they are bumped.
  for (const card of open)
    if (!listed.some((s) => s.id === card.stationId))
      listed.push({ id: card.stationId, name: card.stationName });
  return listed;
}

function buildView(deps: KitchenBoardDeps, station: number | 'all', timers: KitchenTimers): BoardView {
  const open = deps.repo.open();
  const orderIds = [...new Set(open.map((c) => c.orderId))];
  const cards = orderIds.flatMap((id) => {
    const order = deps.order(id);
    if (order === undefined) return [];
    if (station === 'all') return orderCards(order, deps.repo.forOrder(id), true, deps);
    const rows = open.filter((c) => c.orderId === id && c.stationId === station);
    return orderCards(order, rows, false, deps);
  });
  return {
    station,
    stations: pickerStations(deps, open),
    timers,
    cards,
    version: boardVersion(station, cards, timers),
  };
}

export function createKitchenBoard(deps: KitchenBoardDeps): KitchenBoard {
  const { repo, store } = deps;
  const listeners = new Map<() => void, () => void>();
  const notify = () =>
    setImmediate(() => {
      for (const listener of listeners.keys()) listener();
    });
  deps.orderEvents.on((order, from) => {
    if (order.state === 'paid' && from !== 'paid') freeze(deps, order);
    else if (!canTransition(order.state, 'mark_ready')) repo.close(order.id, deps.clock.now().getTime());
    if (listeners.size > 0) notify();
  });
  const timers = () => repo.timers() ?? DEFAULT_TIMERS;

  /** Runs an action once per key: a retry gets the first answer, another request under the key a conflict. */
  const once = (key: string, action: 'bump' | 'recall', request: string, run: () => KitchenOutcome) => {
    const outcome = store.transaction(() => {
      const seen = repo.action(key);
      if (seen !== undefined) {
        const earlier = JSON.parse(seen.outcome) as KitchenOutcome;
        if (seen.action !== action || earlier.request !== request)
          throw new AppError('idempotency_conflict', 'This key was used for another bump or recall.');
        return earlier;
      }
      const done = run();
      repo.saveAction(key, { action, outcome: JSON.stringify(done) }, deps.clock.now().getTime());
      return done;
    });
    notify();
    return outcome;
  };

  const cooking = (orderId: string): Order => {
    const order = deps.order(orderId);
    if (order === undefined) throw new AppError('order_not_found', `There is no order ${orderId}.`);
    if (!canTransition(order.state, 'mark_ready'))
      throw new AppError(
        'invalid_transition',
        `Order ${order.code} is ${order.state.replace('_', ' ')}: it is off the kitchen screen. Nothing changed.`,
      );
    return order;
  };

  return {
    view: (station) => buildView(deps, station, timers()),
    bump(key, orderId, station) {
      const request = `bump:${orderId}:${station}`;
      return once(key, 'bump', request, () => {
        const order = cooking(orderId);
        if (station !== 'all' && !repo.forOrder(orderId).some((r) => r.stationId === station))
          throw new AppError('invalid_input', `${order.code} has nothing for this station.`);
        repo.bump(orderId, station === 'all' ? undefined : station, deps.clock.now().getTime());
        const rows = repo.forOrder(orderId);
        const ready = rows.length > 0 && rows.every((r) => r.bumpedAt !== undefined);
        // Every station is done: the same move as the bump button's.
        if (ready) deps.orders.transitionById(orderId, 'mark_ready', KITCHEN_SCREEN_ACTOR);
        const message = ready ? `${order.code} is ready for pickup.` : `${order.code} is done here.`;
        return { request, orderId, code: order.code, ready, message };
      });
    },
    recall(key, station) {
      const request = `recall:${station}`;
      return once(key, 'recall', request, () => {
        const last = repo.lastBumped(station === 'all' ? undefined : station);
        if (last?.bumpSeq === undefined)
          throw new AppError('invalid_transition', 'Nothing to recall: no order has been bumped here.');
        const order = deps.order(last.orderId);
        // A ready order has been announced to the customer and the lifecycle has no way back from ready.
        if (order === undefined || !canTransition(order.state, 'mark_ready'))
          throw new AppError(
            'invalid_transition',
            `${order?.code ?? 'That order'} is already ${order?.state.replace('_', ' ') ?? 'gone'}: the customer has been told, and an order never goes back from ready. Nothing changed.`,
          );
        repo.unbump(last.bumpSeq);
        return {
          request,
          orderId: order.id,
          code: order.code,
          ready: false,
          message: `${order.code} is back.`,
        };
      });
    },
    timers,
    changed: notify,
    setTimers(next) {
      if (
        !Number.isInteger(next.amberMinutes) ||
        !Number.isInteger(next.redMinutes) ||
        next.amberMinutes < 1 ||
        next.redMinutes <= next.amberMinutes ||
        next.redMinutes > 240
      )
        throw new AppError(
          'invalid_input',
          'Give whole minutes: amber from 1, red later than amber and at most 240.',
        );
      store.transaction(() => repo.saveTimers(next));
      notify();
    },
    subscribe(listener, closed) {
      listeners.set(listener, closed);
      return () => listeners.delete(listener);
    },
    close() {
      const closers = [...listeners.values()];
      listeners.clear();
      for (const closed of closers) closed();
    },
  };
}
