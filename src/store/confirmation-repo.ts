import type { ConfirmationRequest, ConfirmationState, PaymentChoice } from '../domain/confirmation.js';
import type { Store } from './database.js';

/** Reads and writes `confirmation_requests`. */
export interface ConfirmationRepo {
  insert(request: ConfirmationRequest): void;
  byAuthReqId(authReqId: string): ConfirmationRequest | undefined;
  byLinkToken(linkToken: string): ConfirmationRequest | undefined;
  /** The newest request of an order. */
  latestOf(orderId: string): ConfirmationRequest | undefined;
  /** Writes a changed request if nobody changed it since `version - 1`; false when someone did first. */
  update(request: ConfirmationRequest): boolean;
  /** Which payment attempt of its order a request is: 1 for the first, 2 after the order was re-placed. */
  attemptOf(request: ConfirmationRequest): number;
  /** Pending requests whose expiry is at or before `nowMs`, oldest first. */
  duePending(nowMs: number, limit: number): ConfirmationRequest[];
}

interface Row {
  auth_req_id: string;
  link_token: string;
  order_id: string;
  state: ConfirmationState;
  binding_message: string;
  created_at: number;
  expires_at: number;
  interval_s: number;
  last_polled_at: number | null;
  decided_at: number | null;
  payment: PaymentChoice | null;
  channel: ConfirmationRequest['channel'];
  version: number;
}

function toRequest(r: Row): ConfirmationRequest {
  return {
    authReqId: r.auth_req_id,
    linkToken: r.link_token,
    orderId: r.order_id,
    state: r.state,
    bindingMessage: r.binding_message,
    createdAt: new Date(r.created_at),
    expiresAt: new Date(r.expires_at),
    interval: r.interval_s,
    lastPolledAt: r.last_polled_at === null ? undefined : new Date(r.last_polled_at),
    decidedAt: r.decided_at === null ? undefined : new Date(r.decided_at),
    payment: r.payment ?? undefined,
    channel: r.channel,
    version: r.version,
  };
}

function toParams(c: ConfirmationRequest) {
  return {
    auth_req_id: c.authReqId,
    link_token: c.linkToken,
    order_id: c.orderId,
    state: c.state,
    binding_message: c.bindingMessage,
    created_at: c.createdAt.getTime(),
    expires_at: c.expiresAt.getTime(),
    interval_s: c.interval,
    last_polled_at: c.lastPolledAt?.getTime() ?? null,
    decided_at: c.decidedAt?.getTime() ?? null,
    payment: c.payment ?? null,
    channel: c.channel,
    version: c.version,
  };
}

/** Creates the confirmation requests repository over an open store. */
export function createConfirmationRepo({ store }: { store: Store }): ConfirmationRepo {
  const { db } = store;
  const insert = db.prepare(
    `INSERT INTO confirmation_requests (auth_req_id, link_token, order_id, state, binding_message, created_at,
       expires_at, interval_s, last_polled_at, decided_at, payment, channel, version)
     VALUES (@auth_req_id, @link_token, @order_id, @state, @binding_message, @created_at, @expires_at, @interval_s,
       @last_polled_at, @decided_at, @payment, @channel, @version)`,
  );
  const byAuth = db.prepare('SELECT * FROM confirmation_requests WHERE auth_req_id = ?');
  const byLink = db.prepare('SELECT * FROM confirmation_requests WHERE link_token = ?');
  const latest = db.prepare(
    'SELECT * FROM confirmation_requests WHERE order_id = ? ORDER BY created_at DESC, rowid DESC LIMIT 1',
  );
  const update = db.prepare(
    `UPDATE confirmation_requests SET state = @state, expires_at = @expires_at, interval_s = @interval_s,
       last_polled_at = @last_polled_at, decided_at = @decided_at, payment = @payment, version = @version
     WHERE auth_req_id = @auth_req_id AND version = @version - 1`,
  );
  const due = db.prepare(
    "SELECT * FROM confirmation_requests WHERE state = 'pending' AND expires_at <= ? ORDER BY expires_at LIMIT ?",
  );
  const attempt = db
    .prepare(
      'SELECT count(*) FROM confirmation_requests WHERE order_id = ? AND created_at <= ? AND rowid <= (SELECT rowid FROM confirmation_requests WHERE auth_req_id = ?)',
    )
    .pluck();
  const one = (row: unknown) => (row === undefined ? undefined : toRequest(row as Row));
  return {
    insert: (request) => {
      insert.run(toParams(request));
    },
    byAuthReqId: (id) => one(byAuth.get(id)),
    byLinkToken: (token) => one(byLink.get(token)),
    latestOf: (orderId) => one(latest.get(orderId)),
    update: (request) => update.run(toParams(request)).changes === 1,
    attemptOf: (request) =>
      attempt.get(request.orderId, request.createdAt.getTime(), request.authReqId) as number,
    duePending: (nowMs, limit) => (due.all(nowMs, limit) as Row[]).map(toRequest),
  };
}
