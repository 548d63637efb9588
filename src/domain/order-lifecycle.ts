import type { Violation } from './app-error.js';

/** Every state an order can be in, in the order a normal order moves through them. */
export const ORDER_STATES = [
  'cart',
  'awaiting_confirmation',
  'paid',
  'in_kitchen',
  'ready',
  'collected',
  'canceled',
  'expired',
  'refunded',
] as const;
export type OrderState = (typeof ORDER_STATES)[number];

/** Everything that can happen to an order. */
export const ORDER_EVENTS = [
  'place',
  'approve',
  'deny',
  'expire',
  'print',
  'mark_ready',
  'collect',
  'cancel',
  'refund',
] as const;
export type OrderEvent = (typeof ORDER_EVENTS)[number];

/** Outcome of applying an event: the next state, or why the event is refused. */
export type TransitionResult =
  | { readonly ok: true; readonly to: OrderState }
  | { readonly ok: false; readonly violation: Violation };

/** From which states each event is allowed, and where it leads (DESIGN.md, order lifecycle). */
const TRANSITIONS: Readonly<
  Record<OrderEvent, { readonly from: readonly OrderState[]; readonly to: OrderState }>
> = {
  place: { from: ['cart'], to: 'awaiting_confirmation' },
  approve: { from: ['awaiting_confirmation'], to: 'paid' },
  // The customer declined on their phone: the order reopens for changes.
  deny: { from: ['awaiting_confirmation'], to: 'cart' },
  expire: { from: ['awaiting_confirmation'], to: 'expired' },
  print: { from: ['paid'], to: 'in_kitchen' },
  // From `paid` too, so a kitchen with a broken printer can still work from the dashboard.
  mark_ready: { from: ['paid', 'in_kitchen'], to: 'ready' },
  collect: { from: ['ready'], to: 'collected' },
  cancel: { from: ['cart', 'awaiting_confirmation', 'paid'], to: 'canceled' },
  refund: { from: ['paid', 'in_kitchen', 'ready', 'collected'], to: 'refunded' },
};

const STATE_PHRASES: Readonly<Record<OrderState, string>> = {
  cart: 'still a cart',
  awaiting_confirmation: 'waiting for the customer to confirm payment',
  paid: 'already paid',
  in_kitchen: 'already in the kitchen',
  ready: 'already ready for pickup',
  collected: 'already collected',
  canceled: 'canceled',
  expired: 'expired',
  refunded: 'refunded',
};

const EVENT_PHRASES: Readonly<Record<OrderEvent, string>> = {
  place: 'placed',
  approve: 'approved',
  deny: 'denied',
  expire: 'expired',
  print: 'sent to the kitchen',
  mark_ready: 'marked ready',
  collect: 'collected',
  cancel: 'canceled',
  refund: 'refunded',
};

/** Position along the normal path; the side exits count as past everything. */
function progress(state: OrderState): number {
  const index = ORDER_STATES.indexOf(state);
  return index > ORDER_STATES.indexOf('collected') ? Number.POSITIVE_INFINITY : index;
}

function refusal(state: OrderState, event: OrderEvent): Violation {
  const allowedFrom = TRANSITIONS[event].from;
  const tooEarly = allowedFrom.every((from) => progress(from) > progress(state));
  const reason = tooEarly
    ? `cannot be ${EVENT_PHRASES[event]} yet`
    : `can no longer be ${EVENT_PHRASES[event]}`;
  return {
    code: 'invalid_transition',
    message: `Order is ${STATE_PHRASES[state]}; it ${reason}.`,
  };
}

/** Applies one event to one state: the single source of truth for order transitions. */
export function transition(state: OrderState, event: OrderEvent): TransitionResult {
  const rule = TRANSITIONS[event];
  if (rule.from.includes(state)) return { ok: true, to: rule.to };
  return { ok: false, violation: refusal(state, event) };
}

/** True when `event` is allowed in `state`. */
export function canTransition(state: OrderState, event: OrderEvent): boolean {
  return TRANSITIONS[event].from.includes(state);
}

/** True for states no event leaves (canceled, expired, refunded). A collected order can still be refunded. */
export function isTerminal(state: OrderState): boolean {
  return ORDER_EVENTS.every((event) => !canTransition(state, event));
}
