import type { Store } from './database.js';

/** A Web Push subscription as the browser's PushSubscription.toJSON() gives it. */
export interface PushSubscriptionRecord {
  readonly endpoint: string;
  readonly keys: { readonly p256dh: string; readonly auth: string };
}

/** The customer's ways to hear about one order: Web Push subscriptions and an email address. */
export interface NoticesRepo {
  /** Adds (or refreshes the keys of) a subscription; false when the order already has `max` others. */
  addPush(orderId: string, subscription: PushSubscriptionRecord, atMs: number, max: number): boolean;
  pushesOf(orderId: string): PushSubscriptionRecord[];
  removePush(orderId: string, endpoint: string): void;
  /** Records the address; false when the order already has one (it is set once). */
  setEmail(orderId: string, email: string, atMs: number): boolean;
  emailOf(orderId: string): string | undefined;
  /** Forgets everything about the order (it was collected, canceled, expired or refunded). */
  forget(orderId: string): void;
}

/** Creates the repository over `push_subscriptions` and `order_emails` (migration 20). */
export function createNoticesRepo({ store }: { store: Store }): NoticesRepo {
  const { db } = store;
  const count = db
    .prepare('SELECT count(*) FROM push_subscriptions WHERE order_id = ? AND endpoint <> ?')
    .pluck();
  const upsert = db.prepare(
    `INSERT INTO push_subscriptions (order_id, endpoint, p256dh, auth, created_at) VALUES (?, ?, ?, ?, ?)
     ON CONFLICT (order_id, endpoint) DO UPDATE SET p256dh = excluded.p256dh, auth = excluded.auth`,
  );
  const pushes = db.prepare('SELECT endpoint, p256dh, auth FROM push_subscriptions WHERE order_id = ?');
  const removePush = db.prepare('DELETE FROM push_subscriptions WHERE order_id = ? AND endpoint = ?');
  const insertEmail = db.prepare(
    'INSERT INTO order_emails (order_id, email, created_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING',
  );
  const email = db.prepare('SELECT email FROM order_emails WHERE order_id = ?').pluck();
  const forgetPushes = db.prepare('DELETE FROM push_subscriptions WHERE order_id = ?');
  const forgetEmail = db.prepare('DELETE FROM order_emails WHERE order_id = ?');
  return {
    addPush(orderId, subscription, atMs, max) {
      return store.transaction(() => {
        if ((count.get(orderId, subscription.endpoint) as number) >= max) return false;
        const { p256dh, auth } = subscription.keys;
        upsert.run(orderId, subscription.endpoint, p256dh, auth, atMs);
        return true;
      });
    },
    pushesOf(orderId) {
      const rows = pushes.all(orderId) as { endpoint: string; p256dh: string; auth: string }[];
      return rows.map((r) => ({ endpoint: r.endpoint, keys: { p256dh: r.p256dh, auth: r.auth } }));
    },
    removePush(orderId, endpoint) {
      store.transaction(() => removePush.run(orderId, endpoint));
    },
    setEmail(orderId, address, atMs) {
      return store.transaction(() => insertEmail.run(orderId, address, atMs).changes === 1);
    },
    emailOf(orderId) {
      return email.get(orderId) as string | undefined;
    },
    forget(orderId) {
      store.transaction(() => {
        forgetPushes.run(orderId);
        forgetEmail.run(orderId);
      });
    },
  };
}
