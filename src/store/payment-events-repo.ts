import type { Store } from './database.js';

/** A provider event already acted on: applied, or refused for good (an order it cannot apply to). */
export interface PaymentEvent {
  readonly provider: string;
  readonly eventId: string;
  readonly eventType: string;
  readonly orderId: string | undefined;
  readonly outcome: 'applied' | 'rejected';
  /** Why it was refused (an error code and message); never card data. */
  readonly detail: string | undefined;
  readonly receivedAt: number;
}

/** Reads and writes `payment_events`: the provider events seen, so a replay has no second effect. */
export interface PaymentEventsRepo {
  get(provider: string, eventId: string): PaymentEvent | undefined;
  /** Records an event; false when it was recorded already (the caller lost a race to a replay). */
  insert(event: PaymentEvent): boolean;
}

interface Row {
  provider: string;
  event_id: string;
  event_type: string;
  order_id: string | null;
  outcome: 'applied' | 'rejected';
  detail: string | null;
  received_at: number;
}

/** Creates the payment events repository over an open store. */
export function createPaymentEventsRepo({ store }: { store: Store }): PaymentEventsRepo {
  const { db } = store;
  const get = db.prepare('SELECT * FROM payment_events WHERE provider = ? AND event_id = ?');
  const insert = db.prepare(
    `INSERT INTO payment_events (provider, event_id, event_type, order_id, outcome, detail, received_at)
     VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`,
  );
  return {
    get(provider, eventId) {
      const row = get.get(provider, eventId) as Row | undefined;
      if (row === undefined) return undefined;
      return {
        provider: row.provider,
        eventId: row.event_id,
        eventType: row.event_type,
        orderId: row.order_id ?? undefined,
        outcome: row.outcome,
        detail: row.detail ?? undefined,
        receivedAt: row.received_at,
      };
    },
    insert: (e) =>
      insert.run(
        e.provider,
        e.eventId,
        e.eventType,
        e.orderId ?? null,
        e.outcome,
        e.detail ?? null,
        e.receivedAt,
      ).changes === 1,
  };
}
