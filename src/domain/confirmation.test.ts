import { describe, expect, it } from 'vitest';
import {
  bindingMessage,
  type ConfirmationRequest,
  decisionRefusal,
  effectiveState,
  poll,
} from './confirmation.js';
import type { Order } from './order.js';

const at = (iso: string) => new Date(iso);

const request: ConfirmationRequest = {
  authReqId: 'car_1',
  linkToken: 'lnk_1',
  orderId: 'ord_1',
  state: 'pending',
  bindingMessage: 'Order K7M2 · 3 items · $18.40',
  createdAt: at('2026-11-24T17:00:00Z'),
  expiresAt: at('2026-11-24T17:10:00Z'),
  interval: 5,
  lastPolledAt: undefined,
  decidedAt: undefined,
  payment: undefined,
  channel: 'mcp',
  version: 1,
};

describe('confirmation requests', () => {
  it('words the binding message with the code, the units and the total', () => {
    const order = {
      code: 'K7M2',
      currency: 'USD',
      lines: [
        { lineId: 'l1', itemId: 'a', quantity: 2, optionIds: [], note: undefined },
        { lineId: 'l2', itemId: 'b', quantity: 1, optionIds: [], note: undefined },
      ],
    } as unknown as Order;
    expect(bindingMessage(order, 1840, 'en-US')).toBe('Order K7M2 · 3 items · $18.40');
    expect(bindingMessage({ ...order, lines: order.lines.slice(1) }, 995, 'en-US')).toBe(
      'Order K7M2 · 1 item · $9.95',
    );
  });

  it('answers slow_down to a poll inside the interval, and the state otherwise', () => {
    expect(poll(request, at('2026-11-24T17:00:01Z'))).toEqual({
      kind: 'state',
      state: 'pending',
      interval: 5,
    });
    const polled = { ...request, lastPolledAt: at('2026-11-24T17:00:01Z') };
    expect(poll(polled, at('2026-11-24T17:00:03Z'))).toEqual({ kind: 'slow_down', interval: 10 });
    expect(poll(polled, at('2026-11-24T17:00:06Z'))).toEqual({
      kind: 'state',
      state: 'pending',
      interval: 5,
    });
    // A decided request is told at once, however fast the poll.
    expect(poll({ ...polled, state: 'approved' }, at('2026-11-24T17:00:02Z'))).toMatchObject({
      state: 'approved',
    });
  });

  it('expires at expires_at, and refuses any decision after one was made or it expired', () => {
    expect(effectiveState(request, at('2026-11-24T17:09:59Z'))).toBe('pending');
    expect(effectiveState(request, at('2026-11-24T17:10:00Z'))).toBe('expired');
    expect(decisionRefusal(request, at('2026-11-24T17:05:00Z'))).toBeUndefined();
    expect(decisionRefusal(request, at('2026-11-24T17:10:00Z'))?.message).toContain('expired');
    expect(decisionRefusal({ ...request, state: 'approved' }, at('2026-11-24T17:01:00Z'))?.message).toContain(
      'already confirmed',
    );
    expect(decisionRefusal({ ...request, state: 'denied' }, at('2026-11-24T17:01:00Z'))?.message).toContain(
      'declined',
    );
  });
});
