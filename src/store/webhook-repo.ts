import type { OrderState } from '../domain/order-lifecycle.js';
import type { Store } from './database.js';
import { ORDER_TRAIL_SQL } from './orders-repo.js';

/** An endpoint as the owner sees it: never its secret. */
export interface WebhookEndpoint {
  readonly id: string;
  readonly url: string;
  readonly createdAt: number;
  readonly pending: number;
  readonly failed: number;
  readonly delivered: number;
}

/** One event for one endpoint, as the outbox writes it. */
export interface NewDelivery {
  readonly eventId: string;
  readonly endpointId: string;
  readonly orderId: string;
  readonly eventType: string;
  /** The exact request body: it is signed and sent byte for byte. */
  readonly payload: string;
  readonly createdAt: number;
}

/** A pending delivery that may go out now, with where to and the key to sign it with. */
export interface DueDelivery {
  readonly id: number;
  readonly eventId: string;
  readonly endpointId: string;
  readonly url: string;
  readonly secret: string;
  readonly payload: string;
  readonly attempts: number;
  readonly createdAt: number;
}

/** The outcome of one failed attempt; `nextAttemptAt` undefined gives the delivery up. */
export interface FailedAttempt {
  readonly status: number | undefined;
  readonly error: string;
  readonly atMs: number;
  readonly nextAttemptAt: number | undefined;
}

/** Reads and writes `webhook_endpoints` and the `webhook_deliveries` outbox. */
export interface WebhookRepo {
  insertEndpoint(endpoint: { id: string; url: string; secret: string; createdAt: number }): void;
  /** Active endpoints with their delivery counts, oldest first. */
  endpoints(): WebhookEndpoint[];
  /** Active endpoints whose id starts with `prefix`. */
  findEndpoints(prefix: string): WebhookEndpoint[];
  /** Ids of the active endpoints: every new event gets one delivery per id. */
  activeEndpointIds(): string[];
  /** Disables an endpoint, forgets its secret and gives up its pending deliveries; false when unknown. */
  disableEndpoint(id: string, nowMs: number): boolean;
  enqueue(delivery: NewDelivery): void;
  /** Pending deliveries due at `nowMs`, at most one per order and endpoint: the oldest, so order holds. */
  due(nowMs: number, limit: number): DueDelivery[];
  markDelivered(id: number, status: number, atMs: number): void;
  markFailedAttempt(id: number, attempt: FailedAttempt): void;
  /** Makes every pending delivery due now (at start-up); returns how many there are. */
  makePendingDue(nowMs: number): number;
  /** Deletes delivered and failed rows created before `beforeMs`. */
  purgeFinished(beforeMs: number): number;
  /** Pending deliveries, those of them whose last attempt failed, and deliveries given up since `sinceMs`. */
  stats(sinceMs: number): { pending: number; retrying: number; failedSince: number };
  /** The ACP checkout session an order came from, if any. */
  checkoutSessionOf(orderId: string): string | undefined;
  /** The order's state changes, oldest first (its `order_events` trail). */
  orderTrail(orderId: string): { id: number; to: OrderState; atMs: number }[];
}

interface EndpointRow {
  id: string;
  url: string;
  created_at: number;
  pending: number;
  failed: number;
  delivered: number;
}

interface DueRow {
  id: number;
  event_id: string;
  endpoint_id: string;
  url: string;
  secret: string;
  payload: string;
  attempts: number;
  created_at: number;
}

const ENDPOINTS = `
  SELECT e.id, e.url, e.created_at,
    count(d.id) FILTER (WHERE d.state = 'pending') AS pending,
    count(d.id) FILTER (WHERE d.state = 'failed') AS failed,
    count(d.id) FILTER (WHERE d.state = 'delivered') AS delivered
  FROM webhook_endpoints e LEFT JOIN webhook_deliveries d ON d.endpoint_id = e.id
  WHERE e.disabled_at IS NULL`;

const toEndpoint = (r: EndpointRow): WebhookEndpoint => ({
  id: r.id,
  url: r.url,
  createdAt: r.created_at,
  pending: r.pending,
  failed: r.failed,
  delivered: r.delivered,
});

/** Creates the webhook repository over an open store, its statements prepared once. */
export function createWebhookRepo({ store }: { store: Store }): WebhookRepo {
  const { db } = store;
  const q = {
    insertEndpoint: db.prepare(
      'INSERT INTO webhook_endpoints (id, url, secret, created_at) VALUES (@id, @url, @secret, @createdAt)',
    ),
    endpoints: db.prepare(`${ENDPOINTS} GROUP BY e.id ORDER BY e.created_at, e.id`),
    findEndpoints: db.prepare(`${ENDPOINTS} AND e.id LIKE ? ESCAPE '\\' GROUP BY e.id ORDER BY e.created_at`),
    activeIds: db.prepare('SELECT id FROM webhook_endpoints WHERE disabled_at IS NULL ORDER BY id').pluck(),
    disable: db.prepare(
      'UPDATE webhook_endpoints SET disabled_at = ?, secret = NULL WHERE id = ? AND disabled_at IS NULL',
    ),
    giveUpAll: db.prepare(
      "UPDATE webhook_deliveries SET state = 'failed', last_error = 'endpoint removed' WHERE endpoint_id = ? AND state = 'pending'",
    ),
    enqueue: db.prepare(
      `INSERT INTO webhook_deliveries (event_id, endpoint_id, order_id, event_type, payload, created_at, next_attempt_at)
       VALUES (@eventId, @endpointId, @orderId, @eventType, @payload, @createdAt, @createdAt)`,
    ),
    // An earlier pending row of the same order and endpoint holds the later ones back (update after create).
    due: db.prepare(
      `SELECT d.id, d.event_id, d.endpoint_id, e.url, e.secret, d.payload, d.attempts, d.created_at
       FROM webhook_deliveries d JOIN webhook_endpoints e ON e.id = d.endpoint_id
       WHERE d.state = 'pending' AND d.next_attempt_at <= ? AND e.disabled_at IS NULL
         AND NOT EXISTS (SELECT 1 FROM webhook_deliveries p WHERE p.state = 'pending'
           AND p.endpoint_id = d.endpoint_id AND p.order_id = d.order_id AND p.id < d.id)
       ORDER BY d.next_attempt_at, d.id LIMIT ?`,
    ),
    delivered: db.prepare(
      `UPDATE webhook_deliveries SET state = 'delivered', attempts = attempts + 1, last_attempt_at = ?,
       last_status = ?, last_error = NULL WHERE id = ? AND state = 'pending'`,
    ),
    failedAttempt: db.prepare(
      `UPDATE webhook_deliveries SET state = @state, attempts = attempts + 1, last_attempt_at = @atMs,
       last_status = @status, last_error = @error, next_attempt_at = @next WHERE id = @id AND state = 'pending'`,
    ),
    makeDue: db.prepare(
      "UPDATE webhook_deliveries SET next_attempt_at = min(next_attempt_at, ?) WHERE state = 'pending'",
    ),
    purge: db.prepare("DELETE FROM webhook_deliveries WHERE state <> 'pending' AND created_at < ?"),
    stats: db.prepare(
      `SELECT count(*) FILTER (WHERE state = 'pending') AS pending,
         count(*) FILTER (WHERE state = 'pending' AND attempts > 0) AS retrying,
         count(*) FILTER (WHERE state = 'failed' AND last_attempt_at >= ?) AS failedSince
       FROM webhook_deliveries WHERE state <> 'delivered'`,
    ),
    session: db.prepare('SELECT id FROM checkout_sessions WHERE order_id = ?').pluck(),
    trail: db.prepare(
      `${ORDER_TRAIL_SQL} SELECT id, to_state AS "to", at AS atMs FROM order_events WHERE id IN trail ORDER BY id`,
    ),
  };

  return {
    insertEndpoint: (endpoint) => void q.insertEndpoint.run(endpoint),
    endpoints: () => (q.endpoints.all() as EndpointRow[]).map(toEndpoint),
    findEndpoints: (prefix) =>
      (q.findEndpoints.all(`${prefix.replace(/[\\%_]/g, '\\$&')}%`) as EndpointRow[]).map(toEndpoint),
    activeEndpointIds: () => q.activeIds.all() as string[],
    disableEndpoint: (id, nowMs) =>
      store.transaction(() => {
        if (q.disable.run(nowMs, id).changes === 0) return false;
        q.giveUpAll.run(id);
        return true;
      }),
    enqueue: (delivery) => void q.enqueue.run(delivery),
    due: (nowMs, limit) =>
      (q.due.all(nowMs, limit) as DueRow[]).map((r) => ({
        id: r.id,
        eventId: r.event_id,
        endpointId: r.endpoint_id,
        url: r.url,
        secret: r.secret,
        payload: r.payload,
        attempts: r.attempts,
        createdAt: r.created_at,
      })),
    markDelivered: (id, status, atMs) => void q.delivered.run(atMs, status, id),
    markFailedAttempt(id, a) {
      q.failedAttempt.run({
        id,
        state: a.nextAttemptAt === undefined ? 'failed' : 'pending',
        atMs: a.atMs,
        status: a.status ?? null,
        error: a.error,
        next: a.nextAttemptAt ?? a.atMs,
      });
    },
    makePendingDue: (nowMs) => q.makeDue.run(nowMs).changes,
    purgeFinished: (beforeMs) => q.purge.run(beforeMs).changes,
    stats: (sinceMs) => q.stats.get(sinceMs) as { pending: number; retrying: number; failedSince: number },
    checkoutSessionOf: (orderId) => q.session.get(orderId) as string | undefined,
    orderTrail: (orderId) => q.trail.all(orderId) as { id: number; to: OrderState; atMs: number }[],
  };
}
