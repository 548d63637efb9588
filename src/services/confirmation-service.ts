import { AppError } from '../domain/app-error.js';
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
} from '../domain/confirmation.js';
import type { Order, OrderPayment } from '../domain/order.js';
import type { Clock } from '../platform/clock.js';
import type { Ids } from '../platform/ids.js';
import type { ConfirmationRepo } from '../store/confirmation-repo.js';
import type { Store } from '../store/database.js';

/** The order moves a confirmation makes: approve (paid), deny (back to a cart), expire. */
export interface OrderTransitions {
  get(orderId: string): Order | undefined;
  apply(orderId: string, event: 'approve' | 'deny' | 'expire', actor: string, payment?: OrderPayment): Order;
}

/** Where confirmation links point: `PUBLIC_URL/c/<token>`, short enough for a QR and an SMS. */
export const CONFIRM_PATH = '/c';

export interface ConfirmationService {
  /**
   * Follows an order's moves, inside the transaction that made them: placing opens a request (the
   * customer confirms on their phone); an order paid or canceled some other way closes it.
   */
  orderMoved(order: Order, from: Order['state']): void;
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
  /** The customer's decision on the page; once only, and only while pending. */
  decide(
    linkToken: string,
    decision: 'approve' | 'deny',
    payment: PaymentChoice,
  ): { request: ConfirmationRequest; order: Order };
  /** Moves every request past its expiry to expired (and its order with it); returns how many. */
  expireDue(): number;
  /** The link the customer opens. */
  linkOf(request: ConfirmationRequest): string;
}

export function createConfirmationService(deps: {
  store: Store;
  repo: ConfirmationRepo;
  orders: OrderTransitions;
  clock: Clock;
  ids: Ids;
  publicUrl: string;
  /** The shop's locale, for the money in binding messages. */
  locale: () => string;
  /** Which surface placed an order (ACP or MCP), recorded with its request. */
  channelOf?: (order: Order) => ConfirmationRequest['channel'];
  ttlSeconds?: number;
}): ConfirmationService {
  const { store, repo, orders, clock, ids } = deps;
  const ttl = deps.ttlSeconds ?? CONFIRMATION_TTL_SECONDS;

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
    const refusal = decisionRefusal(request, clock.now());
    if (refusal !== undefined)
      throw new AppError('invalid_transition', refusal.message, { violations: [refusal] });
    return { request, order };
  }

  const service: ConfirmationService = {
    orderMoved(order, from) {
      if (order.state === 'awaiting_confirmation' && from === 'cart') {
        const channel = deps.channelOf?.(order) ?? 'mcp';
        service.open(order, order.priced?.totals.total ?? 0, deps.locale(), channel);
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
    },
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
    decide(linkToken, decision, payment) {
      const run = () => {
        const { request, order } = pending(linkToken);
        const now = clock.now();
        if (decision === 'deny') {
          const saved = save(request, { state: 'denied', decidedAt: now });
          return { request: saved, order: orders.apply(order.id, 'deny', `customer:${order.customerId}`) };
        }
        const saved = save(request, { state: 'approved', decidedAt: now, payment });
        const paid = orders.apply(
          order.id,
          'approve',
          `customer:${order.customerId}`,
          paymentOf(payment, saved),
        );
        return { request: saved, order: paid };
      };
      // Approval is payment: it commits durably before the customer sees "paid".
      return decision === 'approve' ? store.durableTransaction(run) : store.transaction(run);
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
  };
  return service;
}

/** What approving with each choice records on the order: the demo card pays at once, pickup later. */
function paymentOf(choice: PaymentChoice, request: ConfirmationRequest): OrderPayment {
  switch (choice) {
    case 'pay_at_pickup':
      return { method: 'pay_at_pickup' };
    case 'demo_card':
      return { method: 'demo_card', reference: `demo_${request.authReqId}` };
    default:
      throw new AppError('invalid_input', `Payment "${choice}" is not taken on this page.`);
  }
}
