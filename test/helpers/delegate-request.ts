import type { DelegateCard, DelegateRequest } from '../../src/services/payments/delegate-request.js';

/** The merchant and session the test delegations name. */
export const TEST_MERCHANT = 'burgers.example.com';
export const TEST_SESSION = 'cs_1';

/**
 * A delegation of the test Visa card (4242…) as the vault takes it: up to 2000 minor units of USD for
 * TEST_SESSION at TEST_MERCHANT until 18:00 UTC on 24 Nov 2026; `card` and `rest` replace parts.
 */
export function delegateRequest(
  card: Partial<DelegateCard> = {},
  rest: Partial<Omit<DelegateRequest, 'card'>> = {},
): DelegateRequest {
  return {
    card: {
      numberType: 'fpan',
      number: '4242424242424242',
      expMonth: '12',
      expYear: '2028',
      cvc: '123',
      iin: '424242',
      displayBrand: 'visa',
      displayLast4: '4242',
      ...card,
    },
    allowance: {
      maxAmount: 2000,
      currency: 'usd',
      checkoutSessionId: TEST_SESSION,
      merchantId: TEST_MERCHANT,
      expiresAt: new Date('2026-11-24T18:00:00Z'),
    },
    riskSignals: [{ type: 'card_testing', score: 10, action: 'authorized' }],
    metadata: { campaign: 'q4' },
    ...rest,
  };
}
