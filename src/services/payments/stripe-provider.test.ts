import { describe, expect, it } from 'vitest';
import type { PaymentRequest } from './payment-port.js';
import { checkoutSessionParams } from './stripe-provider.js';

const NOW = new Date('2026-11-24T17:00:00Z');
const PUBLIC_URL = 'https://burgers.example.com';
const nowSeconds = NOW.getTime() / 1000;

const request = (changes: Partial<PaymentRequest> = {}): PaymentRequest => ({
  orderId: 'ord_1',
  orderCode: 'K7M2',
  attempt: 3,
  amount: { amount: 2232, currency: 'USD' },
  lines: [
    { name: 'Cheeseburger', quantity: 2, unitAmount: 1025 },
    { name: 'Tax', quantity: 1, unitAmount: 182 },
  ],
  method: 'online',
  returnPath: '/c/abc',
  expiresAt: new Date(NOW.getTime() + 10 * 60_000),
  ...changes,
});

describe('Checkout Session parameters', () => {
  it('carries the lines in lower-case currency, the order references and the return URLs', () => {
    const params = checkoutSessionParams(request(), PUBLIC_URL, NOW);
    expect(params).toMatchObject({
      mode: 'payment',
      client_reference_id: 'ord_1',
      metadata: { order_id: 'ord_1', order_code: 'K7M2', attempt: '3' },
      payment_intent_data: { metadata: { order_id: 'ord_1', attempt: '3' } },
      success_url: 'https://burgers.example.com/c/abc?payment=paid&session_id={CHECKOUT_SESSION_ID}',
      cancel_url: 'https://burgers.example.com/c/abc?payment=canceled',
    });
    expect(params.line_items?.[1]).toEqual({
      quantity: 1,
      price_data: { currency: 'usd', unit_amount: 182, product_data: { name: 'Tax' } },
    });
  });

  it('keeps the session within the 30 minutes to 24 hours Stripe allows', () => {
    const at = (ms: number) =>
      checkoutSessionParams(request({ expiresAt: new Date(NOW.getTime() + ms) }), PUBLIC_URL, NOW).expires_at;
    expect(at(10 * 60_000)).toBe(nowSeconds + 31 * 60);
    expect(at(2 * 3600_000)).toBe(nowSeconds + 2 * 3600);
    expect(at(48 * 3600_000)).toBe(nowSeconds + 23 * 3600);
  });

  it('sends the customer back under PUBLIC_URL only', () => {
    for (const returnPath of ['//evil.example/x', 'https://evil.example/', 'c/abc']) {
      expect(() => checkoutSessionParams(request({ returnPath }), PUBLIC_URL, NOW)).toThrow(
        /under PUBLIC_URL/,
      );
    }
  });
});
