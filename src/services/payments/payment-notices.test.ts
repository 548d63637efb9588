import { describe, expect, it } from 'vitest';
import { AppError } from '../../domain/app-error.js';
import { createManualClock } from '../../platform/clock.js';
import { openStore } from '../../store/database.js';
import { createPaymentEventsRepo } from '../../store/payment-events-repo.js';
import { createPaymentNotices } from './payment-notices.js';
import { type PaymentNotice, paymentKey } from './payment-port.js';

const notice = (changes: Partial<PaymentNotice> = {}): PaymentNotice =>
  ({
    provider: 'stripe',
    kind: 'paid',
    eventId: 'evt_1',
    eventType: 'checkout.session.completed',
    orderId: 'ord_1',
    attempt: 1,
    reference: { provider: 'stripe', key: paymentKey('ord_1', 1), id: 'pi_1' },
    amount: { amount: 1840, currency: 'USD' },
    ...changes,
  }) as PaymentNotice;

function setup(apply: (n: PaymentNotice) => void) {
  const store = openStore({ file: ':memory:' });
  store.db.exec('CREATE TABLE effects (order_id TEXT NOT NULL)');
  const insert = store.db.prepare('INSERT INTO effects (order_id) VALUES (?)');
  const events = createPaymentEventsRepo({ store });
  const notices = createPaymentNotices({
    store,
    events,
    clock: createManualClock('2026-11-24T17:00:00Z'),
    apply(n) {
      insert.run(n.orderId);
      apply(n);
    },
  });
  const effects = () => store.db.prepare('SELECT count(*) AS n FROM effects').get() as { n: number };
  return { store, events, notices, effects };
}

describe('payment notices', () => {
  it('applies an event once and records it in the same durable commit', () => {
    let sync: unknown;
    const { store, notices, events, effects } = setup(() => {
      sync = store.db.pragma('synchronous', { simple: true });
    });
    expect(notices.receive(notice())).toBe('applied');
    expect(sync).toBe(2);
    expect(notices.receive(notice())).toBe('replayed');
    expect(effects().n).toBe(1);
    expect(events.get('stripe', 'evt_1')).toEqual({
      provider: 'stripe',
      eventId: 'evt_1',
      eventType: 'checkout.session.completed',
      orderId: 'ord_1',
      outcome: 'applied',
      detail: undefined,
      receivedAt: Date.parse('2026-11-24T17:00:00Z'),
    });
  });

  it('records a refusal for good, without its partial effects', () => {
    const { notices, events, effects } = setup(() => {
      throw new AppError('invalid_transition', 'Order is canceled; it can no longer be approved.');
    });
    expect(notices.receive(notice())).toBe('rejected');
    expect(effects().n).toBe(0);
    expect(events.get('stripe', 'evt_1')).toMatchObject({
      outcome: 'rejected',
      detail: 'invalid_transition: Order is canceled; it can no longer be approved.',
    });
    expect(notices.receive(notice())).toBe('replayed');
  });

  it('rolls everything back on a failure, so the provider’s next delivery applies it', () => {
    let fail = true;
    const { notices, events, effects } = setup(() => {
      if (fail) throw new Error('disk on fire');
    });
    expect(() => notices.receive(notice())).toThrow('disk on fire');
    expect(events.get('stripe', 'evt_1')).toBeUndefined();
    expect(effects().n).toBe(0);
    fail = false;
    expect(notices.receive(notice())).toBe('applied');
    expect(effects().n).toBe(1);
  });
});
