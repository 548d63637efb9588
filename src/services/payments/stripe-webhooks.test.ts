import Stripe from 'stripe';
import { describe, expect, it } from 'vitest';
import { isAppError } from '../../domain/app-error.js';
import { createManualClock } from '../../platform/clock.js';
import { paymentKey } from './payment-port.js';
import { createStripeWebhooks, noticeOf } from './stripe-webhooks.js';

const SECRET = 'whsec_unit_test';
const NOW = new Date('2026-11-24T17:00:00Z');

function event(type: string, session: Record<string, unknown>): Stripe.Event {
  return {
    id: 'evt_1',
    object: 'event',
    type,
    created: NOW.getTime() / 1000,
    data: {
      object: {
        id: 'cs_1',
        object: 'checkout.session',
        client_reference_id: 'ord_1',
        metadata: { order_id: 'ord_1', attempt: '2' },
        payment_status: 'paid',
        payment_intent: 'pi_1',
        amount_total: 1840,
        currency: 'usd',
        ...session,
      },
    },
  } as unknown as Stripe.Event;
}

describe('Stripe notices', () => {
  const base = { provider: 'stripe', eventId: 'evt_1', orderId: 'ord_1', attempt: 2 };
  const reference = { provider: 'stripe', key: paymentKey('ord_1', 2), id: 'cs_1' };

  it('reads paid from a completed session, with the PaymentIntent to refund later', () => {
    expect(noticeOf(event('checkout.session.completed', {}))).toEqual({
      ...base,
      eventType: 'checkout.session.completed',
      kind: 'paid',
      reference: { ...reference, id: 'pi_1' },
      amount: { amount: 1840, currency: 'USD' },
    });
    const expanded = event('checkout.session.async_payment_succeeded', { payment_intent: { id: 'pi_2' } });
    expect(noticeOf(expanded)).toMatchObject({ kind: 'paid', reference: { id: 'pi_2' } });
  });

  it('waits on a completed session whose payment is still on its way', () => {
    expect(noticeOf(event('checkout.session.completed', { payment_status: 'unpaid' }))).toBeUndefined();
  });

  it('reads failed and expired', () => {
    expect(noticeOf(event('checkout.session.async_payment_failed', {}))).toMatchObject({
      kind: 'failed',
      reference,
    });
    expect(noticeOf(event('checkout.session.expired', { payment_status: 'unpaid' }))).toEqual({
      ...base,
      eventType: 'checkout.session.expired',
      kind: 'expired',
      reference,
    });
  });

  it('ignores other events and sessions that are not ours', () => {
    expect(noticeOf(event('payment_intent.succeeded', {}))).toBeUndefined();
    const foreign = event('checkout.session.completed', { client_reference_id: null, metadata: {} });
    expect(noticeOf(foreign)).toBeUndefined();
    const noAttempt = event('checkout.session.completed', { metadata: { order_id: 'ord_1' } });
    expect(noticeOf(noAttempt)).toBeUndefined();
  });
});

describe('Stripe webhook verification', () => {
  const clock = createManualClock(NOW);
  const webhooks = createStripeWebhooks({ secret: SECRET, clock });
  const body = JSON.stringify(event('checkout.session.completed', {}));
  const sign = (secret: string, at: Date) =>
    Stripe.webhooks.generateTestHeaderString({
      payload: body,
      secret,
      timestamp: Math.floor(at.getTime() / 1000),
    });
  const refusal = (run: () => unknown) => {
    try {
      run();
    } catch (error) {
      if (isAppError(error)) return error.code;
      throw error;
    }
    return 'accepted';
  };

  it('accepts the endpoint secret’s signature, on the injected clock', () => {
    expect(webhooks.verify(body, sign(SECRET, NOW))).toMatchObject({ kind: 'paid', orderId: 'ord_1' });
    // Signed four minutes ago: within Stripe's five-minute tolerance.
    expect(refusal(() => webhooks.verify(body, sign(SECRET, new Date(NOW.getTime() - 240_000))))).toBe(
      'accepted',
    );
  });

  it('refuses another secret, a stale or missing signature, and a changed body', () => {
    expect(refusal(() => webhooks.verify(body, sign('whsec_other', NOW)))).toBe('invalid_input');
    expect(refusal(() => webhooks.verify(body, sign(SECRET, new Date(NOW.getTime() - 360_000))))).toBe(
      'invalid_input',
    );
    expect(refusal(() => webhooks.verify(body, undefined))).toBe('invalid_input');
    expect(refusal(() => webhooks.verify(`${body} `, sign(SECRET, NOW)))).toBe('invalid_input');
  });
});
