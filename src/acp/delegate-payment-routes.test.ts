import { describe, expect, it } from 'vitest';
import { MAX_WALK_DEPTH } from '../domain/json-depth.js';
import { delegatePaymentFingerprint } from './delegate-payment-routes.js';

/** A card field under `levels` levels of objects and arrays. */
function buried(levels: number): unknown {
  let value: unknown = { number: '4242424242424242', cvc: '123' };
  for (let i = 1; i < levels; i += 1) value = i % 2 === 0 ? { card: value } : [value];
  return value;
}

describe('the delegate payment fingerprint', () => {
  it('masks card data however deep the walkers allow', () => {
    let masked = delegatePaymentFingerprint(buried(MAX_WALK_DEPTH));
    for (let i = MAX_WALK_DEPTH - 1; i >= 1; i -= 1) {
      masked = i % 2 === 0 ? (masked as { card: unknown }).card : (masked as unknown[])[0];
    }
    expect(masked).toEqual({ number: '424242******4242', cvc: '***' });
  });

  it('refuses a deeper value with invalid_input naming the body, not a RangeError', () => {
    for (const levels of [MAX_WALK_DEPTH + 1, 10_000]) {
      expect(() => delegatePaymentFingerprint(buried(levels))).toThrow(
        expect.objectContaining({
          code: 'invalid_input',
          violations: [expect.objectContaining({ path: '' })],
        }),
      );
    }
  });
});

describe('card numbers sent as JSON numbers', () => {
  it('masks every digit however large the number, never throwing', () => {
    expect(delegatePaymentFingerprint({ number: 4242424242424242 })).toEqual({ number: '424242******4242' });
    // 1e21 and up print in exponent form; the mask works on the number's digits.
    const huge = delegatePaymentFingerprint({ number: 1e308 }) as { number: string };
    expect(huge.number).toMatch(/^100000\*{299}\d{4}$/);
    expect(huge.number).toHaveLength(309);
  });
});
