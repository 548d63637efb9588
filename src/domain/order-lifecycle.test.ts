import { describe, expect, it } from 'vitest';
import {
  canTransition,
  isTerminal,
  ORDER_EVENTS,
  ORDER_STATES,
  type OrderEvent,
  type OrderState,
  transition,
} from './order-lifecycle.js';

// The whole state × event matrix, written out by hand: a target state, or `-` for a refusal.
// Columns: place, approve, deny, expire, print, mark_ready, collect, cancel, refund.
type Cell = OrderState | '-';
const COLUMNS: readonly OrderEvent[] = [
  'place',
  'approve',
  'deny',
  'expire',
  'print',
  'mark_ready',
  'collect',
  'cancel',
  'refund',
];
// biome-ignore format: the table reads as a table
const MATRIX: Readonly<Record<OrderState, readonly Cell[]>> = {
  //                        place                    approve  deny    expire     print         mark_ready collect      cancel      refund
  cart:                    ['awaiting_confirmation', '-',     '-',    '-',       '-',          '-',       '-',         'canceled', '-'],
  awaiting_confirmation:   ['-',                     'paid',  'cart', 'expired', '-',          '-',       '-',         'canceled', '-'],
  paid:                    ['-',                     '-',     '-',    '-',       'in_kitchen', 'ready',   '-',         'canceled', 'refunded'],
  in_kitchen:              ['-',                     '-',     '-',    '-',       '-',          'ready',   '-',         '-',        'refunded'],
  ready:                   ['-',                     '-',     '-',    '-',       '-',          '-',       'collected', '-',        'refunded'],
  collected:               ['-',                     '-',     '-',    '-',       '-',          '-',       '-',         '-',        'refunded'],
  canceled:                ['-',                     '-',     '-',    '-',       '-',          '-',       '-',         '-',        '-'],
  expired:                 ['-',                     '-',     '-',    '-',       '-',          '-',       '-',         '-',        '-'],
  refunded:                ['-',                     '-',     '-',    '-',       '-',          '-',       '-',         '-',        '-'],
};

const cases = ORDER_STATES.flatMap((state) =>
  COLUMNS.map((event, column) => ({ state, event, expected: MATRIX[state][column] as Cell })),
);

describe('order lifecycle', () => {
  it('lists nine states and nine events, matching the table columns', () => {
    expect(ORDER_STATES).toHaveLength(9);
    expect([...ORDER_EVENTS]).toEqual(COLUMNS);
    expect(Object.keys(MATRIX)).toEqual([...ORDER_STATES]);
    expect(cases).toHaveLength(81);
  });

  it.each(cases)('$state + $event → $expected', ({ state, event, expected }) => {
    const result = transition(state, event);
    if (expected === '-') {
      expect(result.ok).toBe(false);
      if (!result.ok) {
        expect(result.violation.code).toBe('invalid_transition');
        expect(result.violation.message).toMatch(
          /^Order is .+; it (cannot be .+ yet|can no longer be .+)\.$/,
        );
      }
      expect(canTransition(state, event)).toBe(false);
    } else {
      expect(result).toEqual({ ok: true, to: expected });
      expect(canTransition(state, event)).toBe(true);
    }
  });

  it('explains refusals in words a customer understands', () => {
    const message = (state: OrderState, event: OrderEvent) => {
      const result = transition(state, event);
      return result.ok ? undefined : result.violation.message;
    };
    expect(message('in_kitchen', 'cancel')).toBe(
      'Order is already in the kitchen; it can no longer be canceled.',
    );
    expect(message('ready', 'cancel')).toBe(
      'Order is already ready for pickup; it can no longer be canceled.',
    );
    expect(message('cart', 'print')).toBe('Order is still a cart; it cannot be sent to the kitchen yet.');
    expect(message('awaiting_confirmation', 'collect')).toBe(
      'Order is waiting for the customer to confirm payment; it cannot be collected yet.',
    );
    expect(message('expired', 'approve')).toBe('Order is expired; it can no longer be approved.');
    expect(message('refunded', 'refund')).toBe('Order is refunded; it can no longer be refunded.');
  });

  it('calls only canceled, expired and refunded terminal; a collected order can still be refunded', () => {
    expect(ORDER_STATES.filter(isTerminal)).toEqual(['canceled', 'expired', 'refunded']);
  });
});
