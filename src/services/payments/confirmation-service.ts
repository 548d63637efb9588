import { AppError } from '../../domain/app-error.js';
import {
  bindingMessage,
  CONFIRMATION_TTL_SECONDS,
  type ConfirmationRequest,
  decisionRefusal,
  effectiveState,
  type PaymentChoice,
  POLL_INTERVAL_SECONDS,
  type PollOutcome,
  poll,
} from '../../domain/confirmation.js';
import type { Order, OrderPayment } from '../../domain/order.js';
import type { Clock } from '../../platform/clock.js';
import type { Ids } from '../../platform/ids.js';
import { createListeners, type Listeners } from '../../platform/listeners.js';
import type { ConfirmationRepo } from '../../store/confirmation-repo.js';
import type { Store } from '../../store/database.js';
import type { OrderEvents, OrderMove } from '../orders/order-events.js';
import type { PaymentMethod, PaymentNotice, PaymentProvider } from './payment-port.js';
import { paymentRequestFor } from './payment-request.js';

/** The order moves a confirmation makes: approve (paid), deny (back to a cart), expire. */
export interface OrderTransitions {
  get(orderId: string): Order | undefined;
  apply(
    orderId: string,
    event: 'approve' | 'deny' | 'expire' | 'cancel',
    actor: string,
    payment?: OrderPayment,
  ): Order;
}

/** What approving did: paid or confirmed, off to the provider's page, or why not (nothing changed). */
export type ApproveOutcome =
  | { readonly kind: 'paid' | 'pay_at_pickup'; readonly order: Order }
  | { readonly kind: 'redirect'; readonly url: string }
  | { readonly kind: 'declined' | 'unavailable'; readonly message: string };

/** Where confirmation links point: `PUBLIC_URL/c/<token>`, short enough for a QR and an SMS. */
export const CONFIRM_PATH = '/c';

/**
 * The customer's confirmation of an order on their own phone. It follows the order's moves, inside the
 * transaction that made them: placing opens a request; an order paid or canceled some other way closes it.
 */
export interface ConfirmationService {
  /** Opens the request for an order just placed; call it inside the placing transaction. */
  open(
    order: Order,
    total: number,
    locale: string,
    channel: ConfirmationRequest['channel'],
  ): ConfirmationRequest;
  /** The newest request of an order, with its state as of now. */
  current(orderId: string): ConfirmationRequest | undefined;
  /** A poll by the client holding `auth_req_id`: the state, or slow_down when it polls too fast. */
  poll(authReqId: string): PollOutcome & { readonly request: ConfirmationRequest };
  /** The request and order behind a link, for the page. */
  byLink(linkToken: string): { request: ConfirmationRequest; order: Order } | undefined;
  /** The customer declines on the page: nothing is ordered, the order reopens as a cart. */
  deny(linkToken: string): { request: ConfirmationRequest; order: Order };
  /**
   * The customer approves on the page and pays through the provider: at once (demo card), later at
   * the counter (pay at pickup), or on the provider's hosted page (a redirect; its notice pays).
   */
  approve(linkToken: string, method: PaymentMethod): Promise<ApproveOutcome>;
  /** A provider's notice about a payment of ours (a verified Stripe event); run inside its transaction. */
  applyNotice(notice: PaymentNotice): void;
  /** The payment methods the page offers, preferred first. */
  readonly methods: readonly PaymentMethod[];
  /** Moves every request past its expiry to expired (and its order with it); returns how many. */
  expireDue(): number;
  /** The link the customer opens. */
  linkOf(request: ConfirmationRequest): string;
  /** Told after the customer's decision on the page commits (a CIBA request waiting on it follows). */
  readonly decided: Pick<Listeners<[request: ConfirmationRequest]>, 'on'>;
}

export function createConfirmationService(deps: {
  store: Store;
  repo: ConfirmationRepo;
  orders: OrderTransitions;
  clock: Clock;
  ids: Ids;
  publicUrl: string;
  /** Takes the money (the PAYMENTS setting's provider). */
  payments: Pick<PaymentProvider, 'name' | 'methods' | 'start'>;
  /** The shop's locale, for the money in binding messages. */
  locale: () => string;
  /** Told of every request opened, with its link (the terminal QR in a debug log). */
  opened?: (request: ConfirmationRequest, link: string) => void;
  /** Which surface placed an order (ACP or MCP), recorded with its request. */
  channelOf?: (order: Order) => ConfirmationRequest['channel'];
  ttlSeconds?: number;
  /** The order moves it follows; without them (a test of the tools alone) nothing opens a request. */
  orderEvents?: Pick<OrderEvents, 'on'>;
}): ConfirmationService {
  const { store, repo, orders, clock, ids } = deps;
  const ttl = deps.ttlSeconds ?? CONFIRMATION_TTL_SECONDS;
  const decided = createListeners<[request: ConfirmationRequest]>();

  function save(request: ConfirmationRequest, changes: Partial<ConfirmationRequest>): ConfirmationRequest {
    const saved = { ...request, ...changes, version: request.version + 1 };
    if (!repo.update(saved)) {
      // Someone decided first (a double tap, a second phone): the first decision stands.
      throw new AppError('invalid_transition', 'This order was already confirmed or declined.');
    }
    return saved;
  }

  function pending(linkToken: string): { request: ConfirmationRequest; order: Order } {
    const request = repo.byLinkToken(linkToken);
    const order = request === undefined ? undefined : orders.get(request.orderId);
    if (request === undefined || order === undefined) {
      throw new AppError('not_found', 'This confirmation link is not valid.');
    }
    const now = clock.now();
    const refusal = decisionRefusal(request, now);
    if (refusal !== undefined) {
      // The state tells the page what happened (expired, or decided already), never the message's words.
      const details = { state: effectiveState(request, now) };
      throw new AppError('invalid_transition', refusal.message, { violations: [refusal], details });
    }
    return { request, order };
  }

  function orderMoved(order: Order, from: Order['state'], move: OrderMove): void {
    // A delegated card pays it in the same transaction: a request nobody would open costs the card writes.
    if (order.state === 'awaiting_confirmation' && from === 'cart' && move.paidAtOnce !== true) {
      const channel = deps.channelOf?.(order) ?? 'mcp';
      const opened = service.open(order, order.priced?.totals.total ?? 0, deps.locale(), channel);
      deps.opened?.(opened, service.linkOf(opened));
      return;
    }
    if (from !== 'awaiting_confirmation') return;
    const request = repo.latestOf(order.id);
    if (request === undefined || request.state !== 'pending') return;
    // Paid by a delegated card, or canceled: the link must not work any more.
    const paid = order.state === 'paid';
    save(request, {
      state: paid ? 'approved' : 'expired',
      decidedAt: clock.now(),
      ...(paid ? { payment: 'delegated' as const } : {}),
    });
  }
  deps.orderEvents?.on(orderMoved);

  const service: ConfirmationService = {
    open(order, total, locale, channel) {
      const now = clock.now();
      const request: ConfirmationRequest = {
        authReqId: ids.next('car'),
        linkToken: ids.next('l').slice(2),
        orderId: order.id,
        state: 'pending',
        bindingMessage: bindingMessage(order, total, locale),
        createdAt: now,
        expiresAt: new Date(now.getTime() + ttl * 1000),
        interval: POLL_INTERVAL_SECONDS,
        lastPolledAt: undefined,
        decidedAt: undefined,
        payment: undefined,
        channel,
        version: 1,
      };
      repo.insert(request);
      return request;
    },
    current(orderId) {
      const request = repo.latestOf(orderId);
      if (request === undefined) return undefined;
      // Past its expiry but not yet swept by the timer: expire it now, so the order says so too.
      if (request.state === 'pending' && effectiveState(request, clock.now()) === 'expired') {
        service.expireDue();
        return repo.latestOf(orderId);
      }
      return request;
    },
    poll(authReqId) {
      return store.transaction(() => {
        const request = repo.byAuthReqId(authReqId);
        if (request === undefined) throw new AppError('not_found', 'Unknown auth_req_id.');
        const now = clock.now();
        const outcome = poll(request, now);
        const interval = outcome.kind === 'slow_down' ? outcome.interval : request.interval;
        const saved = save(request, { lastPolledAt: now, interval });
        return { ...outcome, request: { ...saved, state: effectiveState(saved, now) } };
      });
    },
    byLink(linkToken) {
      const request = repo.byLinkToken(linkToken);
      const order = request === undefined ? undefined : orders.get(request.orderId);
      if (request === undefined || order === undefined) return undefined;
      return { request: { ...request, state: effectiveState(request, clock.now()) }, order };
    },
    methods: deps.payments.methods,
    deny(linkToken) {
      const denied = store.transaction(() => {
        const { request, order } = pending(linkToken);
        const saved = save(request, { state: 'denied', decidedAt: clock.now() });
        // A conversation reopens the order for changes; an ACP checkout was completed as it stood, so
        // a buyer's "no" cancels it (the agent starts a new session).
        const event = request.channel === 'acp' ? 'cancel' : 'deny';
        return { request: saved, order: orders.apply(order.id, event, `customer:${order.customerId}`) };
      });
      decided.emit(denied.request);
      return denied;
    },
    async approve(linkToken, method) {
      const { request, order } = pending(linkToken);
      if (!deps.payments.methods.includes(method)) {
        throw new AppError('invalid_input', 'This way of paying is not offered here.');
      }
      // Outside any transaction: the provider may be a network call. Its answer for this attempt is
      // the same however often it is asked (the key is the order and attempt), so a crash or a double
      // tap between here and the commit below never takes the money twice.
      const outcome = await deps.payments.start(
        paymentRequestFor(order, {
          attempt: repo.attemptOf(request),
          method,
          returnPath: `${CONFIRM_PATH}/${linkToken}`,
          expiresAt: request.expiresAt,
        }),
      );
      switch (outcome.status) {
        case 'paid':
        case 'pay_at_pickup': {
          const choice: PaymentChoice = outcome.status === 'paid' ? 'demo_card' : 'pay_at_pickup';
          const paid = store.durableTransaction(() => {
            const current = pending(linkToken);
            const saved = save(current.request, {
              state: 'approved',
              decidedAt: clock.now(),
              payment: choice,
            });
            const moved = orders.apply(order.id, 'approve', `customer:${order.customerId}`, {
              method: choice,
              reference: outcome.reference.id,
            });
            return { request: saved, order: moved };
          });
          decided.emit(paid.request);
          return { kind: outcome.status, order: paid.order };
        }
        case 'redirect':
          // The customer pays on the provider's page, which lives longer than the link: the request
          // waits for the provider's notice (or its expiry) instead of expiring under the customer.
          store.transaction(() => {
            const current = pending(linkToken).request;
            const until = Math.max(current.expiresAt.getTime(), outcome.expiresAt.getTime());
            save(current, { payment: 'stripe', expiresAt: new Date(until) });
          });
          return { kind: 'redirect', url: outcome.url };
        default:
          return { kind: outcome.status, message: outcome.message };
      }
    },
    applyNotice(notice) {
      const request = repo.latestOf(notice.orderId);
      const order = orders.get(notice.orderId);
      if (request === undefined || order === undefined) {
        throw new AppError('not_found', `No order ${notice.orderId} waits for this payment.`);
      }
      if (notice.kind !== 'paid') return; // the customer may try again until the request expires
      const total = order.priced?.totals.total;
      if (notice.amount.amount !== total || notice.amount.currency !== order.priced?.currency) {
        throw new AppError('invalid_input', `The payment for ${order.code} does not match its total.`);
      }
      if (order.state !== 'awaiting_confirmation') {
        throw new AppError(
          'invalid_transition',
          `Order ${order.code} is ${order.state}; the payment needs a refund.`,
        );
      }
      if (request.state === 'pending')
        save(request, { state: 'approved', decidedAt: clock.now(), payment: 'stripe' });
      orders.apply(order.id, 'approve', `provider:${notice.provider}`, {
        method: 'stripe',
        reference: notice.reference.id,
      });
    },
    expireDue() {
      let expired = 0;
      for (const request of repo.duePending(clock.now().getTime(), 100)) {
        store.transaction(() => {
          const current = repo.byAuthReqId(request.authReqId);
          if (current === undefined || current.state !== 'pending') return;
          save(current, { state: 'expired' });
          const order = orders.get(current.orderId);
          if (order?.state === 'awaiting_confirmation') orders.apply(order.id, 'expire', 'system:expiry');
          expired += 1;
        });
      }
      return expired;
    },
    linkOf: (request) => `${deps.publicUrl}${CONFIRM_PATH}/${request.linkToken}`,
    decided,
  };
  return service;
}
