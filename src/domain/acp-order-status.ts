import type { OrderState } from './order-lifecycle.js';

/**
 * The order statuses ACP defines (release 2026-04-17: `Order.status` in schema.agentic_checkout.json,
 * rfc.orders §4.1). The schema types the field as a string whose description lists these values;
 * every ACP document that carries an order — the checkout session's `order` on REST and on /acp/mcp,
 * and the order webhook's `data` — says one of them, never one of our own states.
 */
export const ACP_ORDER_STATUSES = [
  'created',
  'confirmed',
  'manual_review',
  'processing',
  'shipped',
  'completed',
  'canceled',
] as const;
export type AcpOrderStatus = (typeof ACP_ORDER_STATUSES)[number];

/**
 * Our states in ACP's order vocabulary (rfc.orders §4.1, derivation §7.1): `created` until the
 * customer confirmed, `confirmed` once paid, `processing` in the kitchen and on the pass, `completed`
 * once collected. A refund of a collected order leaves it `completed` with a refund adjustment (§5.2);
 * one refunded before collection is `canceled`. The one mapping for every ACP presenter and the webhook.
 */
export function acpOrderStatus(state: OrderState, collected: boolean): AcpOrderStatus {
  switch (state) {
    case 'cart':
    case 'awaiting_confirmation':
      return 'created';
    case 'paid':
      return 'confirmed';
    case 'in_kitchen':
    case 'ready':
      return 'processing';
    case 'collected':
      return 'completed';
    case 'refunded':
      return collected ? 'completed' : 'canceled';
    case 'canceled':
    case 'expired':
      return 'canceled';
  }
}
