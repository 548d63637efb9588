import { AppError, isAppError, type Violation } from '../../domain/app-error.js';
import type { CheckoutDraft, CheckoutSessionRecord } from '../../domain/checkout.js';
import type { Order } from '../../domain/order.js';
import { toE164 } from '../../domain/phone.js';
import { earliestPickup, listPickupSlots, resolvePickup } from '../../domain/pickup.js';
import type { PricedOrder } from '../../domain/pricing.js';
import type { Clock } from '../../platform/clock.js';
import type { Ids } from '../../platform/ids.js';
import type { CheckoutRepo } from '../../store/checkout-repo.js';
import type { Store } from '../../store/database.js';
import type { OrdersRepo } from '../../store/orders-repo.js';
import type { MenuCache } from '../menu/menu-cache.js';
import type { StorageState } from '../operations/storage-state.js';
import { createOrderChecks } from '../orders/order-checks.js';
import { priceLines } from '../orders/order-pricing.js';
import type { OrderService } from '../orders/order-service.js';
import type { PaymentVault } from '../payments/payment-vault.js';
import type { ShopService } from '../shop/shop-service.js';
import {
  DELIVERY_OPTION_ID,
  type DeliveryOption,
  deliveryOption,
  deliveryProblems,
  orderFulfillmentOf,
} from './checkout-delivery.js';
import { checkoutItems, orderLinesOf, type RequestedItem } from './checkout-lines.js';

/** A session is kept for an hour after its last change; then it expires. */
export const CHECKOUT_TTL_MS = 60 * 60 * 1000;
const PICKUP_SLOTS_OFFERED = 4;
const MINUTE_MS = 60_000;

/** Where an ACP checkout session is, in the spec's words. */
export type CheckoutStatus =
  | 'not_ready_for_payment'
  | 'ready_for_payment'
  | 'pending_approval'
  | 'completed'
  | 'canceled'
  | 'expired';

/** A pickup time the session offers: as soon as possible, or a slot. */
export interface PickupOption {
  readonly id: string;
  /** When the kitchen will have it ready; undefined when the shop has no opening ahead. */
  readonly readyBy: Date | undefined;
  readonly pickup: string;
}

/** A session with everything worked out from the menu and the rules, as of now. */
export interface CheckoutView {
  readonly session: CheckoutSessionRecord;
  readonly status: CheckoutStatus;
  readonly priced: PricedOrder;
  /** What stops payment, with paths into the ACP session (`line_items.0…`, `buyer.phone_number`). */
  readonly problems: readonly Violation[];
  readonly pickupOptions: readonly PickupOption[];
  /** Local delivery as offered now; undefined when the shop does not deliver. */
  readonly deliveryOption: DeliveryOption | undefined;
  /** What the buyer chose: pickup (at `selectedPickup`) or delivery. */
  readonly fulfillment: 'pickup' | 'delivery';
  readonly selectedPickup: PickupOption;
  readonly order: Order | undefined;
}

/** Fields a create or update sets; undefined leaves a field alone, null clears it. */
export interface CheckoutChanges {
  readonly items?: readonly RequestedItem[] | undefined;
  readonly buyer?: Readonly<Record<string, unknown>> | null | undefined;
  readonly fulfillmentDetails?: Readonly<Record<string, unknown>> | null | undefined;
  /** The chosen fulfillment option: a pickup option's id or DELIVERY_OPTION_ID. */
  readonly fulfillmentOptionId?: string | undefined;
  readonly orderNotes?: string | null | undefined;
}

export interface CheckoutCreate extends CheckoutChanges {
  readonly items: readonly RequestedItem[];
  readonly currency: string | undefined;
  readonly agentCapabilities: Readonly<Record<string, unknown>>;
  readonly locale: string | undefined;
  readonly timezone: string | undefined;
  readonly metadata: Readonly<Record<string, unknown>> | undefined;
}

/** How the buyer pays at completion: confirm on the phone and pay at pickup, or a delegated card. */
export type CheckoutPayment =
  | { readonly kind: 'pay_at_pickup' }
  | { readonly kind: 'delegated'; readonly token: string };

/** ACP checkout sessions over the same menu, rules and orders as a conversation's orders. */
export interface CheckoutService {
  create(apiKeyId: string, input: CheckoutCreate): CheckoutView;
  update(apiKeyId: string, id: string, changes: CheckoutChanges): CheckoutView;
  get(apiKeyId: string, id: string): CheckoutView;
  complete(
    apiKeyId: string,
    id: string,
    payment: CheckoutPayment,
    buyer: Readonly<Record<string, unknown>> | undefined,
  ): CheckoutView;
  cancel(apiKeyId: string, id: string, trace: Readonly<Record<string, unknown>> | undefined): CheckoutView;
}

export interface CheckoutServiceDeps {
  readonly store: Store;
  readonly sessions: CheckoutRepo;
  readonly orders: OrderService;
  readonly ordersRepo: Pick<OrdersRepo, 'slotUsage' | 'get' | 'writes'>;
  readonly shop: ShopService;
  readonly menu: MenuCache;
  readonly clock: Clock;
  readonly ids: Ids;
  /** Spends delegated payment tokens (the embedded demo PSP vault). */
  readonly vault: Pick<PaymentVault, 'consume'>;
  /**
   * Called once per order, when a completion first links it to its session, inside that transaction
   * (the ACP `order_create` webhook is written there); later changes go through the order service.
   */
  readonly onOrderCreated?: (order: Order, checkoutSessionId: string) => void;
  /** Refuses new orders while the disk is short of space (src/services/operations/storage-state.ts). */
  readonly storage?: Pick<StorageState, 'assertRoomForOrders'>;
}

/** Pickup option ids: `pickup_asap`, or `pickup_` and the slot's UTC start (`pickup_20261124T1730Z`). */
function optionIdOf(pickup: string): string {
  if (pickup === 'asap') return 'pickup_asap';
  return `pickup_${pickup.replace(/[-:]/g, '').replace(/00(\.000)?Z$/, 'Z')}`;
}

function pickupOfOptionId(id: string): string | undefined {
  if (id === 'pickup_asap') return 'asap';
  const match = /^pickup_(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})Z$/.exec(id);
  if (match === null) return undefined;
  const [, y, mo, d, h, mi] = match;
  const instant = new Date(`${y}-${mo}-${d}T${h}:${mi}:00Z`);
  return Number.isNaN(instant.getTime()) ? undefined : instant.toISOString();
}

/**
 * A rule's path in the order (`lines.1.itemId`, `lines.0.options`) as a path into the ACP session:
 * the item id carries the options, so both point at `line_items.N.id`.
 */
export function acpPath(path: string): string {
  const line = /^lines\.(\d+)(?:\.(\w+))?/.exec(path);
  if (line === null) return path === 'lines' ? 'line_items' : path;
  return `line_items.${line[1]}.${line[2] === 'quantity' ? 'quantity' : 'id'}`;
}

/** The customer's name and phone from what the agent sent: buyer first, then fulfillment details. */
export function contactOf(draft: Pick<CheckoutDraft, 'buyer' | 'fulfillmentDetails'>): {
  name: string | undefined;
  phone: string | undefined;
} {
  const text = (value: unknown) =>
    typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
  const buyer = draft.buyer ?? {};
  const details = draft.fulfillmentDetails ?? {};
  const joined = [text(buyer.first_name), text(buyer.last_name)].filter(Boolean).join(' ');
  return {
    name: text(buyer.full_name) ?? text(joined) ?? text(details.name),
    phone: text(buyer.phone_number) ?? text(details.phone_number),
  };
}

export function createCheckoutService(deps: CheckoutServiceDeps): CheckoutService {
  const { store, sessions, shop, menu, clock, ids } = deps;
  const checks = createOrderChecks({ shop, menu, clock, orders: deps.ordersRepo });

  function owned(apiKeyId: string, id: string): CheckoutSessionRecord {
    const session = sessions.get(id);
    if (session === undefined || session.apiKeyId !== apiKeyId) {
      throw new AppError('not_found', `There is no checkout session ${id.slice(0, 80)}.`);
    }
    return session;
  }

  // Pickup options and slots hold until the minute turns or an order is written (slots fill up):
  // every session of that minute shares them instead of walking the calendar again.
  let pickupKey = '';
  let offeredNow: PickupOption[] = [];
  const resolvedNow = new Map<string, ReturnType<typeof resolvePickup>>();
  function pickupState(): {
    options: PickupOption[];
    resolve(pickup: string): ReturnType<typeof resolvePickup>;
  } {
    const key = `${Math.floor(clock.now().getTime() / MINUTE_MS)}:${deps.ordersRepo.writes()}`;
    if (key !== pickupKey) {
      pickupKey = key;
      offeredNow = pickupOptions();
      resolvedNow.clear();
    }
    return {
      options: offeredNow,
      resolve(pickup) {
        let resolved = resolvedNow.get(pickup);
        if (resolved === undefined) {
          resolved = resolvePickup(checks.pickupContext(), pickup);
          if (resolvedNow.size < 64) resolvedNow.set(pickup, resolved);
        }
        return resolved;
      },
    };
  }

  function pickupOptions(): PickupOption[] {
    const ctx = checks.pickupContext();
    const asap = { id: 'pickup_asap', readyBy: earliestPickup(ctx), pickup: 'asap' };
    const slots = listPickupSlots(ctx, PICKUP_SLOTS_OFFERED).map((slot) => ({
      id: optionIdOf(slot.start.toISOString()),
      readyBy: slot.start,
      pickup: slot.start.toISOString(),
    }));
    return [asap, ...slots.filter((s) => s.readyBy.getTime() !== asap.readyBy?.getTime())];
  }

  function view(session: CheckoutSessionRecord): CheckoutView {
    const index = menu.index();
    const settings = shop.settings();
    const order = session.orderId === undefined ? undefined : deps.ordersRepo.get(session.orderId);
    const lines = orderLinesOf(session.draft.items);
    const fulfillment = session.draft.fulfillment ?? 'pickup';
    const priced =
      order?.priced ??
      priceLines(
        {
          lines,
          tip: { kind: 'none' },
          currency: session.draft.currency,
          fulfillment: { type: fulfillment },
        },
        index,
        settings,
      );
    const offered = pickupState().options;
    const selectedPickup = offered.find((o) => o.pickup === session.draft.pickup) ?? {
      id: optionIdOf(session.draft.pickup),
      readyBy: session.draft.pickup === 'asap' ? undefined : new Date(session.draft.pickup),
      pickup: session.draft.pickup,
    };
    const open = session.state === 'open' || order?.state === 'cart';
    const problems = open ? problemsOf(session, lines, priced) : [];
    return {
      session,
      status: statusOf(session, order, problems),
      priced,
      problems,
      pickupOptions: offered,
      deliveryOption: deliveryOption(settings, offered.find((o) => o.pickup === 'asap')?.readyBy),
      fulfillment,
      selectedPickup,
      order,
    };
  }

  function problemsOf(
    session: CheckoutSessionRecord,
    lines: ReturnType<typeof orderLinesOf>,
    priced: PricedOrder,
  ): Violation[] {
    const pickup = pickupState().resolve(session.draft.pickup);
    const problems = checks.check({ lines }, menu.index(), true, pickup.ok ? pickup.slotStart : undefined);
    if (!pickup.ok) problems.push({ ...pickup.violation, path: 'selected_fulfillment_options.0.option_id' });
    if (session.draft.fulfillment === 'delivery') {
      problems.push(...deliveryProblems(session.draft, priced.totals.subtotal, shop.settings()));
    }
    return problems.map((p) => ({ ...p, path: p.path === undefined ? undefined : acpPath(p.path) }));
  }

  function statusOf(
    session: CheckoutSessionRecord,
    order: Order | undefined,
    problems: readonly Violation[],
  ): CheckoutStatus {
    if (session.state === 'canceled') return 'canceled';
    if (order !== undefined && order.state !== 'cart') {
      if (order.state === 'awaiting_confirmation') return 'pending_approval';
      if (order.state === 'canceled' || order.state === 'refunded') return 'canceled';
      if (order.state === 'expired') return 'expired';
      return 'completed';
    }
    if (clock.now().getTime() >= session.expiresAt.getTime()) return 'expired';
    return problems.length > 0 ? 'not_ready_for_payment' : 'ready_for_payment';
  }

  function changed(session: CheckoutSessionRecord, changes: CheckoutChanges): CheckoutDraft {
    const draft = session.draft;
    let pickup = draft.pickup;
    let fulfillment = draft.fulfillment;
    const optionId = changes.fulfillmentOptionId;
    if (optionId !== undefined) {
      const delivering =
        optionId === DELIVERY_OPTION_ID && deliveryOption(shop.settings(), undefined) !== undefined;
      const wanted = delivering ? 'asap' : pickupOfOptionId(optionId);
      if (wanted === undefined) {
        throw new AppError('invalid_input', `There is no fulfillment option "${optionId.slice(0, 80)}".`, {
          violations: [
            {
              code: 'invalid_input',
              message: 'Unknown fulfillment option.',
              path: 'selected_fulfillment_options.0.option_id',
            },
          ],
        });
      }
      pickup = wanted;
      fulfillment = delivering ? 'delivery' : 'pickup';
    }
    return {
      ...draft,
      items: changes.items === undefined ? draft.items : checkoutItems(changes.items, menu.index()),
      buyer: changes.buyer === undefined ? draft.buyer : (changes.buyer ?? undefined),
      fulfillmentDetails:
        changes.fulfillmentDetails === undefined
          ? draft.fulfillmentDetails
          : (changes.fulfillmentDetails ?? undefined),
      orderNotes: changes.orderNotes === undefined ? draft.orderNotes : (changes.orderNotes ?? undefined),
      pickup,
      fulfillment,
    };
  }

  /** An open, unexpired session that may still change, or the reason it may not. */
  function editable(session: CheckoutSessionRecord, what: string): void {
    const status = view(session).status;
    if (status === 'ready_for_payment' || status === 'not_ready_for_payment') return;
    throw new AppError(
      'invalid_transition',
      `This checkout session is ${status.replaceAll('_', ' ')}; it cannot ${what}.`,
    );
  }

  function save(session: CheckoutSessionRecord, next: Partial<CheckoutSessionRecord>): CheckoutSessionRecord {
    const now = clock.now();
    const saved = {
      ...session,
      ...next,
      updatedAt: now,
      expiresAt: new Date(now.getTime() + CHECKOUT_TTL_MS),
      version: session.version + 1,
    };
    if (!sessions.update(saved)) {
      throw new AppError(
        'invalid_transition',
        'The checkout session was changed at the same time; read it again.',
      );
    }
    return saved;
  }

  function placeOrder(
    session: CheckoutSessionRecord,
    buyer: Readonly<Record<string, unknown>> | undefined,
  ): Order {
    const draft = { ...session.draft, buyer: buyer ?? session.draft.buyer };
    const contact = contactOf(draft);
    const missing: Violation[] = [];
    if (contact.name === undefined) {
      missing.push({
        code: 'customer_details_missing',
        message: 'The kitchen needs a name for the order.',
        path: 'buyer.full_name',
      });
    }
    const phone = contact.phone === undefined ? undefined : toE164(contact.phone, { plusOptional: true });
    if (phone === undefined) {
      missing.push({
        code: 'customer_details_missing',
        message:
          contact.phone === undefined
            ? 'The shop needs the buyer’s phone number to confirm the order.'
            : 'The buyer’s phone number is not a valid international number (E.164, e.g. +15551234567).',
        path: 'buyer.phone_number',
      });
    }
    if (missing.length > 0) throw AppError.fromViolations(missing);
    const identity = { subject: `acp:${session.id}` };
    const details = {
      customerName: contact.name,
      customerPhone: phone,
      pickupTime: draft.pickup,
      fulfillment: orderFulfillmentOf(draft),
    };
    const lines = draft.items.map((item) => ({
      itemId: item.itemId,
      quantity: item.quantity,
      optionIds: item.optionIds,
    }));
    const existing = session.orderId === undefined ? undefined : deps.ordersRepo.get(session.orderId);
    const cart =
      existing === undefined
        ? deps.orders.create(identity, lines, details).order
        : deps.orders.update(identity, existing.id, {
            ...details,
            removeLineIds: existing.lines.map((l) => l.lineId),
            addLines: lines,
          }).order;
    return deps.orders.place(identity, cart.id).order;
  }

  return {
    create(apiKeyId, input) {
      deps.storage?.assertRoomForOrders();
      const settings = shop.settings();
      const currency = settings.profile.currency;
      if (input.currency !== undefined && input.currency.toUpperCase() !== currency.toUpperCase()) {
        throw new AppError('invalid_input', `This shop sells in ${currency.toLowerCase()} only.`, {
          violations: [{ code: 'invalid_input', message: 'Unsupported currency.', path: 'currency' }],
        });
      }
      const now = clock.now();
      const base: CheckoutSessionRecord = {
        id: ids.next('cs'),
        apiKeyId,
        state: 'open',
        draft: {
          items: [],
          currency,
          pickup: 'asap',
          buyer: undefined,
          fulfillmentDetails: undefined,
          agentCapabilities: input.agentCapabilities,
          locale: input.locale,
          timezone: input.timezone,
          metadata: input.metadata,
          orderNotes: undefined,
          cancelTrace: undefined,
        },
        orderId: undefined,
        createdAt: now,
        updatedAt: now,
        expiresAt: new Date(now.getTime() + CHECKOUT_TTL_MS),
        version: 1,
      };
      const session = { ...base, draft: changed(base, input) };
      store.transaction(() => sessions.insert(session));
      return view(session);
    },
    update(apiKeyId, id, changes) {
      return store.transaction(() => {
        const session = owned(apiKeyId, id);
        editable(session, 'be changed');
        return view(save(session, { draft: changed(session, changes) }));
      });
    },
    get: (apiKeyId, id) => view(owned(apiKeyId, id)),
    complete(apiKeyId, id, payment, buyer) {
      return store.transaction(() => {
        const session = owned(apiKeyId, id);
        editable(session, 'be completed again');
        const current = view(session);
        if (current.problems.length > 0) throw AppError.fromViolations(current.problems);
        // Spending the token and placing the order stand or fall together.
        const order = store.savepoint(() => {
          const placed = placeOrder(session, buyer);
          if (payment.kind === 'pay_at_pickup') return placed;
          const spent = deps.vault.consume(payment.token, {
            apiKeyId,
            checkoutSessionId: session.id,
            amount: current.priced.totals.total,
            currency: session.draft.currency,
          });
          if (!spent.ok) {
            throw new AppError('payment_declined', spent.message, {
              violations: [
                {
                  code: 'payment_declined',
                  message: spent.message,
                  path: 'payment_data.instrument.credential.token',
                },
              ],
              details: { reason: spent.code },
            });
          }
          return deps.orders.transitionById(placed.id, 'approve', `acp:${apiKeyId}`, {
            method: 'acp_delegated',
            reference: spent.paymentId,
          });
        });
        const completed = save(session, {
          state: 'ordered',
          orderId: order.id,
          draft: { ...session.draft, buyer: buyer ?? session.draft.buyer },
        });
        if (session.orderId === undefined) deps.onOrderCreated?.(order, session.id);
        return view(completed);
      });
    },
    cancel(apiKeyId, id, trace) {
      return store.transaction(() => {
        const session = owned(apiKeyId, id);
        const current = view(session);
        if (current.status === 'completed' || current.status === 'canceled') {
          throw new AppError('invalid_transition', `This checkout session is already ${current.status}.`);
        }
        if (current.order !== undefined && current.order.state !== 'canceled') {
          deps.orders.cancel({ subject: `acp:${session.id}` }, current.order.id);
        }
        return view(save(session, { state: 'canceled', draft: { ...session.draft, cancelTrace: trace } }));
      });
    },
  };
}

/** True for errors that are an answer about the session (a rule it breaks), not a failure. */
export function isCheckoutProblem(error: unknown): error is AppError {
  return isAppError(error) && error.code !== 'internal' && error.code !== 'not_found';
}
