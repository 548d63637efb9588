import { describe, expect, it } from 'vitest';
import { acpDefinedValues } from '../../test/helpers/acp-schemas.js';
import { ACP_ORDER_STATUSES, acpOrderStatus } from './acp-order-status.js';
import { ORDER_STATES } from './order-lifecycle.js';

describe('ACP order status (schema.agentic_checkout.json Order.status, rfc.orders §4.1)', () => {
  it('lists exactly the values the official schema defines', () => {
    expect([...ACP_ORDER_STATUSES]).toEqual(acpDefinedValues('checkout', 'Order', 'status'));
  });

  it('says one of those values for every order state, collected or not', () => {
    const defined = acpDefinedValues('checkout', 'Order', 'status');
    for (const state of ORDER_STATES) {
      for (const collected of [false, true])
        expect(defined, state).toContain(acpOrderStatus(state, collected));
    }
    expect(acpOrderStatus('paid', false)).toBe('confirmed');
    expect(acpOrderStatus('awaiting_confirmation', false)).toBe('created');
    expect(acpOrderStatus('refunded', true)).toBe('completed');
  });
});
