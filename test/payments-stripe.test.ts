import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import Stripe from 'stripe';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AppError } from '../src/domain/app-error.js';
import type { Order } from '../src/domain/order.js';
import { createHttpApp } from '../src/http/app.js';
import { mountStripeWebhook, STRIPE_WEBHOOK_PATH } from '../src/http/stripe-webhook-route.js';
import { createSilentLogger } from '../src/platform/logger.js';
import { createPaymentNotices } from '../src/services/payments/payment-notices.js';
import { type PaymentNotice, paymentKey, refundKey } from '../src/services/payments/payment-port.js';
import { paymentRequestFor } from '../src/services/payments/payment-request.js';
import { createStripeClient } from '../src/services/payments/stripe-client.js';
import { createStripeProvider } from '../src/services/payments/stripe-provider.js';
import { createStripeWebhooks } from '../src/services/payments/stripe-webhooks.js';
import { createPaymentEventsRepo } from '../src/store/payment-events-repo.js';
import { demoOrders } from './helpers/demo-store.js';
import { type FakeStripe, startFakeStripe } from './helpers/fake-stripe.js';

const SECRET_KEY = 'sk_test_counterpi_fake';
const WEBHOOK_SECRET = 'whsec_counterpi_test_secret';
const PUBLIC_URL = 'https://burgers.example.com';
const RETURN_PATH = '/c/K7M2AB';
const sam = { subject: 'sam' };

// 17:00 UTC = 12:00 in New York, a Tuesday: the demo shop is open.
function setup(fake: FakeStripe | undefined, endpoint = fake?.endpoint) {
  const { store, clock, orders, ordersRepo } = demoOrders();
  const log = createSilentLogger();
  const stripe = createStripeClient({
    secretKey: SECRET_KEY,
    endpoint,
    maxNetworkRetries: 0,
    timeoutMs: 5000,
  });
  const provider = createStripeProvider({ stripe, publicUrl: PUBLIC_URL, clock });
  const applied: PaymentNotice[] = [];
  const events = createPaymentEventsRepo({ store });
  const notices = createPaymentNotices({
    store,
    events,
    clock,
    apply(notice) {
      if (notice.orderId === 'ord_unknown') throw new AppError('order_not_found', 'No such order.');
      if (notice.orderId === 'ord_broken') throw new Error('disk on fire');
      applied.push(notice);
      if (notice.kind === 'paid') {
        orders.transitionById(notice.orderId, 'approve', 'stripe:webhook', {
          method: 'stripe',
          reference: notice.reference.id,
        });
      }
    },
  });
  const app = createHttpApp({ log, readiness: [] });
  mountStripeWebhook(app, {
    webhooks: createStripeWebhooks({ secret: WEBHOOK_SECRET, clock }),
    notices,
    log,
  });
  /** A placed order of one cheeseburger and fries, waiting for payment. */
  function placedOrder(): Order {
    const cart = orders.create(
      sam,
      [
        { itemId: 'cheeseburger', quantity: 2 },
        { itemId: 'fries', quantity: 1 },
      ],
      { customerName: 'Sam', customerPhone: '+15551234567' },
    ).order;
    return orders.place(sam, cart.id).order;
  }
  const request = (order: Order, attempt = 1) =>
    paymentRequestFor(order, {
      attempt,
      method: 'online',
      returnPath: RETURN_PATH,
      expiresAt: new Date(clock.now().getTime() + 10 * 60_000),
    });
  return { store, clock, orders, ordersRepo, provider, app, applied, events, placedOrder, request };
}

type Setup = ReturnType<typeof setup>;

/** A Stripe event as Stripe sends it, signed with `secret` at `at`. */
function signedEvent(
  type: string,
  session: Record<string, unknown>,
  options: { id?: string; secret?: string; at: Date },
): { body: string; signature: string } {
  const body = JSON.stringify({
    id: options.id ?? 'evt_test_1',
    object: 'event',
    api_version: Stripe.API_VERSION,
    created: Math.floor(options.at.getTime() / 1000),
    type,
    livemode: false,
    pending_webhooks: 1,
    request: { id: null, idempotency_key: null },
    data: { object: { object: 'checkout.session', ...session } },
  });
  const signature = Stripe.webhooks.generateTestHeaderString({
    payload: body,
    secret: options.secret ?? WEBHOOK_SECRET,
    timestamp: Math.floor(options.at.getTime() / 1000),
  });
  return { body, signature };
}

function completedSession(order: Order, attempt = 1): Record<string, unknown> {
  return {
    id: `cs_test_${attempt}`,
    client_reference_id: order.id,
    metadata: { order_id: order.id, order_code: order.code, attempt: String(attempt) },
    payment_status: 'paid',
    status: 'complete',
    amount_total: order.priced?.totals.total,
    currency: 'usd',
    payment_intent: 'pi_test_1',
  };
}

async function deliver(s: Setup, event: { body: string; signature?: string }) {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (event.signature !== undefined) headers['stripe-signature'] = event.signature;
  const res = await s.app.request(STRIPE_WEBHOOK_PATH, { method: 'POST', body: event.body, headers });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

describe('Stripe provider against a loopback Stripe', () => {
  let fake: FakeStripe;
  beforeEach(async () => {
    fake = await startFakeStripe();
  });
  afterEach(async () => {
    await fake.close();
  });

  it('creates a Checkout Session from the priced order, with the key, URLs and references', async () => {
    const s = setup(fake);
    const order = s.placedOrder();
    const outcome = await s.provider.start(s.request(order));

    expect(fake.calls).toHaveLength(1);
    const call = fake.calls[0];
    expect(call?.method).toBe('POST');
    expect(call?.path).toBe('/v1/checkout/sessions');
    expect(call?.authorization).toBe(`Bearer ${SECRET_KEY}`);
    expect(call?.idempotencyKey).toBe(paymentKey(order.id, 1));
    expect(call?.stripeVersion).toBe(Stripe.API_VERSION);
    const p = call?.params ?? {};
    expect(p.mode).toBe('payment');
    expect(p.client_reference_id).toBe(order.id);
    expect(p['metadata[order_id]']).toBe(order.id);
    expect(p['metadata[attempt]']).toBe('1');
    expect(p['payment_intent_data[metadata][order_id]']).toBe(order.id);
    expect(p['line_items[0][quantity]']).toBe('2');
    expect(p['line_items[0][price_data][currency]']).toBe('usd');
    expect(p['line_items[0][price_data][unit_amount]']).toBe(String(order.priced?.lines[0]?.unitPrice));
    expect(p['line_items[0][price_data][product_data][name]']).toMatch(/Cheeseburger/);
    expect(p.success_url).toBe(`${PUBLIC_URL}${RETURN_PATH}?payment=paid&session_id={CHECKOUT_SESSION_ID}`);
    expect(p.cancel_url).toBe(`${PUBLIC_URL}${RETURN_PATH}?payment=canceled`);
    // The confirmation lasts 10 minutes, Stripe wants at least 30: the session is given 31.
    expect(Number(p.expires_at)).toBe(Math.floor(s.clock.now().getTime() / 1000) + 31 * 60);

    const total = order.priced?.totals.total ?? -1;
    expect(outcome).toEqual({
      status: 'redirect',
      reference: { provider: 'stripe', key: paymentKey(order.id, 1), id: 'cs_test_1' },
      amount: { amount: total, currency: order.currency },
      url: 'https://checkout.stripe.test/c/pay/cs_test_1',
      expiresAt: new Date(Number(p.expires_at) * 1000),
    });
  });

  it('starting the same attempt again (after a crash) reuses the key and gets the same session', async () => {
    const s = setup(fake);
    const order = s.placedOrder();
    const first = await s.provider.start(s.request(order));
    const again = await s.provider.start(s.request(order));
    const next = await s.provider.start(s.request(order, 2));

    expect(again).toEqual(first);
    expect(fake.calls.map((c) => [c.idempotencyKey, c.replayed])).toEqual([
      [paymentKey(order.id, 1), false],
      [paymentKey(order.id, 1), true],
      [paymentKey(order.id, 2), false],
    ]);
    expect(next.status === 'redirect' && next.reference.id).toBe('cs_test_2');
  });

  it('turns a Stripe failure into unavailable (retry) and a card refusal into declined', async () => {
    const s = setup(fake);
    const order = s.placedOrder();
    fake.failNext({ status: 500, type: 'api_error', message: 'Something went wrong on our end.' });
    const failed = await s.provider.start(s.request(order));
    expect(failed).toMatchObject({ status: 'unavailable', reference: { key: paymentKey(order.id, 1) } });

    // The same attempt, retried, goes through: Stripe did not store the failed answer under the key.
    const retried = await s.provider.start(s.request(order));
    expect(retried.status).toBe('redirect');

    fake.failNext({
      status: 402,
      type: 'card_error',
      code: 'card_declined',
      message: 'Your card was declined.',
    });
    const declined = await s.provider.start(s.request(order, 2));
    expect(declined).toMatchObject({ status: 'declined', code: 'payment_declined' });
  });

  it('reports connection refused as retryable, never as paid', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const { port } = closed.address() as AddressInfo;
    await new Promise<void>((resolve) => closed.close(() => resolve()));

    const s = setup(undefined, { host: '127.0.0.1', port, protocol: 'http' });
    const order = s.placedOrder();
    const started = await s.provider.start(s.request(order));
    expect(started).toMatchObject({ status: 'unavailable', reference: { id: undefined } });
    expect(started.status === 'unavailable' && started.retryAfterSeconds).toBeGreaterThan(0);

    const payment = { provider: 'stripe' as const, key: paymentKey(order.id, 1), id: 'pi_test_1' };
    const refund = await s.provider.refund({
      orderId: order.id,
      attempt: 1,
      payment,
      amount: { amount: 100, currency: 'USD' },
    });
    expect(refund.status).toBe('unavailable');
    expect(s.ordersRepo.get(order.id)?.state).toBe('awaiting_confirmation');
  });

  it('refunds the PaymentIntent with an idempotency key; a repeat gives the same refund', async () => {
    const s = setup(fake);
    const payment = { provider: 'stripe' as const, key: paymentKey('ord_1', 1), id: 'pi_test_1' };
    const request = { orderId: 'ord_1', attempt: 1, payment, amount: { amount: 1840, currency: 'USD' } };
    const refunded = await s.provider.refund(request);
    const again = await s.provider.refund(request);

    expect(refunded).toEqual({
      status: 'refunded',
      reference: { provider: 'stripe', key: refundKey('ord_1', 1), id: 're_test_1' },
      amount: { amount: 1840, currency: 'USD' },
      settled: true,
    });
    expect(again).toEqual(refunded);
    const [call] = fake.calls;
    expect(call?.path).toBe('/v1/refunds');
    expect(call?.idempotencyKey).toBe(refundKey('ord_1', 1));
    expect(call?.params).toMatchObject({
      payment_intent: 'pi_test_1',
      amount: '1840',
      reason: 'requested_by_customer',
      'metadata[order_id]': 'ord_1',
    });
    expect(fake.calls.filter((c) => !c.replayed)).toHaveLength(1);

    fake.refundStatus = 'pending';
    const pending = await s.provider.refund({ ...request, attempt: 2 });
    expect(pending).toMatchObject({ status: 'refunded', settled: false });

    fake.failNext({
      status: 400,
      type: 'invalid_request_error',
      code: 'charge_already_refunded',
      message: 'x',
    });
    const already = await s.provider.refund({ ...request, attempt: 3 });
    expect(already).toMatchObject({ status: 'refunded', settled: true });
  });

  it('refuses delegated vault tokens and pay at pickup without calling Stripe', async () => {
    const s = setup(fake);
    const order = s.placedOrder();
    const charged = await s.provider.charge({
      orderId: order.id,
      attempt: 1,
      amount: { amount: 100, currency: 'USD' },
      token: 'vt_1',
      apiKeyId: 'key_1',
      checkoutSessionId: 'cs_1',
    });
    expect(charged).toMatchObject({ status: 'declined', code: 'invalid' });
    await expect(s.provider.start({ ...s.request(order), method: 'pay_at_pickup' })).rejects.toMatchObject({
      code: 'invalid_input',
    });
    expect(s.provider.methods).toEqual(['online']);
    expect(fake.calls).toHaveLength(0);
  });
});

describe('Stripe webhook route', () => {
  it('marks the order paid on a signed checkout.session.completed, once', async () => {
    const s = setup(undefined);
    const order = s.placedOrder();
    const event = signedEvent('checkout.session.completed', completedSession(order), { at: s.clock.now() });

    const first = await deliver(s, event);
    expect(first).toEqual({ status: 200, body: { received: true, outcome: 'applied' } });
    expect(s.ordersRepo.get(order.id)?.state).toBe('paid');
    expect(s.applied).toEqual([
      {
        provider: 'stripe',
        kind: 'paid',
        eventId: 'evt_test_1',
        eventType: 'checkout.session.completed',
        orderId: order.id,
        attempt: 1,
        reference: { provider: 'stripe', key: paymentKey(order.id, 1), id: 'pi_test_1' },
        amount: { amount: order.priced?.totals.total, currency: 'USD' },
      },
    ]);

    const replay = await deliver(s, event);
    expect(replay).toEqual({ status: 200, body: { received: true, outcome: 'replayed' } });
    expect(s.applied).toHaveLength(1);
    expect(s.ordersRepo.get(order.id)?.state).toBe('paid');
    expect(s.events.get('stripe', 'evt_test_1')).toMatchObject({ outcome: 'applied', orderId: order.id });
  });

  it('refuses a bad, missing or stale signature with 400 and changes nothing', async () => {
    const s = setup(undefined);
    const order = s.placedOrder();
    const session = completedSession(order);
    const wrong = signedEvent('checkout.session.completed', session, {
      secret: 'whsec_someone_else',
      at: s.clock.now(),
    });
    const stale = signedEvent('checkout.session.completed', session, {
      at: new Date(s.clock.now().getTime() - 10 * 60_000),
    });
    const good = signedEvent('checkout.session.completed', session, { at: s.clock.now() });
    const tampered = { body: good.body.replace('"paid"', '"PAID"'), signature: good.signature };

    for (const attempt of [wrong, stale, tampered, { body: good.body }]) {
      const res = await deliver(s, attempt);
      expect(res.status).toBe(400);
      expect(res.body).toMatchObject({ error: { code: 'invalid_input' } });
    }
    expect(s.applied).toEqual([]);
    expect(s.events.get('stripe', 'evt_test_1')).toBeUndefined();
    expect(s.ordersRepo.get(order.id)?.state).toBe('awaiting_confirmation');
  });

  it('passes expiry on, ignores events about no order of ours, and records refusals for good', async () => {
    const s = setup(undefined);
    const order = s.placedOrder();
    const at = s.clock.now();
    const expired = signedEvent(
      'checkout.session.expired',
      { ...completedSession(order), status: 'expired', payment_status: 'unpaid', payment_intent: null },
      { id: 'evt_expired', at },
    );
    expect((await deliver(s, expired)).body).toEqual({ received: true, outcome: 'applied' });
    expect(s.applied.map((n) => [n.kind, n.reference.id])).toEqual([['expired', 'cs_test_1']]);

    const foreign = signedEvent(
      'checkout.session.completed',
      { id: 'cs_other', metadata: {} },
      { id: 'evt_f', at },
    );
    expect((await deliver(s, foreign)).body).toEqual({ received: true, outcome: 'ignored' });
    const other = signedEvent('payment_intent.created', {}, { id: 'evt_pi', at });
    expect((await deliver(s, other)).body).toEqual({ received: true, outcome: 'ignored' });

    const unknown = signedEvent(
      'checkout.session.completed',
      { ...completedSession(order), client_reference_id: 'ord_unknown' },
      { id: 'evt_unknown', at },
    );
    expect((await deliver(s, unknown)).body).toEqual({ received: true, outcome: 'rejected' });
    expect((await deliver(s, unknown)).body).toEqual({ received: true, outcome: 'replayed' });
    expect(s.events.get('stripe', 'evt_unknown')).toMatchObject({ outcome: 'rejected' });
  });

  it('answers 500 and records nothing when applying fails, so Stripe sends the event again', async () => {
    const s = setup(undefined);
    const order = s.placedOrder();
    const broken = signedEvent(
      'checkout.session.completed',
      { ...completedSession(order), client_reference_id: 'ord_broken' },
      { id: 'evt_broken', at: s.clock.now() },
    );
    const res = await deliver(s, broken);
    expect(res.status).toBe(500);
    expect(s.events.get('stripe', 'evt_broken')).toBeUndefined();
  });
});
