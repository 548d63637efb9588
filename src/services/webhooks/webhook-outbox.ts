import type { Order } from '../../domain/order.js';
import type { ShopSettings } from '../../domain/shop-settings.js';
import type { Clock } from '../../platform/clock.js';
import type { Ids } from '../../platform/ids.js';
import type { WebhookRepo } from '../../store/webhook-repo.js';
import type { OrderEvents } from '../orders/order-events.js';
import { orderEventData } from './webhook-order-payload.js';

/**
 * Writes ACP order events into the webhook outbox, inside the transaction that changed the order, so the
 * event exists exactly when the change does (DESIGN.md, order lifecycle): `order_create` when a checkout
 * session completes into an order, `order_update` on each move of such an order (it follows the moves).
 */
export interface WebhookOutbox {
  /** `order_create` for the order a checkout session just completed into. */
  orderCreated(order: Order, checkoutSessionId: string): void;
}

export interface WebhookOutboxDeps {
  readonly repo: WebhookRepo;
  readonly settings: () => ShopSettings;
  readonly clock: Clock;
  readonly ids: Ids;
  /** The order's page, the same `permalink_url` the checkout session gives. */
  readonly permalink: (orderId: string) => string;
  /** Called after rows were written; the delivery worker sends them once the transaction commits. */
  readonly written: () => void;
  /** The order moves it follows. */
  readonly orderEvents: Pick<OrderEvents, 'on'>;
}

/** Creates the outbox writer: one delivery row per active endpoint, nothing when there is none. */
export function createWebhookOutbox(deps: WebhookOutboxDeps): WebhookOutbox {
  const { repo, clock, ids } = deps;

  function enqueue(
    type: 'order_create' | 'order_update',
    order: Order,
    endpointIds: readonly string[],
    session: string,
  ): void {
    const payload = JSON.stringify({
      type,
      data: orderEventData(order, {
        checkoutSessionId: session,
        permalinkUrl: deps.permalink(order.id),
        settings: deps.settings(),
        trail: repo.orderTrail(order.id),
      }),
    });
    const eventId = ids.next('evt');
    const createdAt = clock.now().getTime();
    for (const endpointId of endpointIds) {
      repo.enqueue({ eventId, endpointId, orderId: order.id, eventType: type, payload, createdAt });
    }
    deps.written();
  }

  deps.orderEvents.on((order) => {
    const endpoints = repo.activeEndpointIds();
    if (endpoints.length === 0) return;
    const session = repo.checkoutSessionOf(order.id);
    // Before the session links the order (inside its completion), orderCreated reports it instead.
    if (session !== undefined) enqueue('order_update', order, endpoints, session);
  });
  return {
    orderCreated(order, checkoutSessionId) {
      const endpoints = repo.activeEndpointIds();
      if (endpoints.length > 0) enqueue('order_create', order, endpoints, checkoutSessionId);
    },
  };
}
