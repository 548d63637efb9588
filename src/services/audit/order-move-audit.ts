import type { Order } from '../../domain/order.js';
import type { OrderState } from '../../domain/order-lifecycle.js';
import type { AuditActorKind } from '../../store/audit-repo.js';
import type { OrderEvents, OrderMove } from '../orders/order-events.js';
import type { AuditEntry } from './audit-append.js';
import type { AuditLog } from './audit-log.js';

/**
 * Puts every move of an order in the audit log with who made it, committed with the move: confirmations
 * (approve, deny, expire), payments (how, and the provider's reference), the kitchen, the owner.
 */
export function auditOrderMoves(deps: {
  readonly orderEvents: Pick<OrderEvents, 'on'>;
  readonly audit: Pick<AuditLog, 'record'>;
}): void {
  deps.orderEvents.on((order, from, move) => deps.audit.record(orderMoveEntry(order, from, move)));
}

/** The audit row of one move: `order.<event>` on the order, from and to which state, paid how, for how much. */
export function orderMoveEntry(order: Order, from: OrderState, move: OrderMove): AuditEntry {
  return {
    actorKind: actorKindOf(move.actor),
    actor: move.actor,
    action: `order.${move.event}`,
    target: order.id,
    outcome: 'ok',
    input: {
      from,
      to: order.state,
      ...(order.payment === undefined || order.state !== 'paid'
        ? {}
        : { payment: order.payment.method, reference: order.payment.reference }),
      ...(order.priced === undefined ? {} : { total: order.priced.totals.total, currency: order.currency }),
    },
  };
}

/** Who moved an order, from the actor the order service records (`customer:…`, `acp:…`, `system:…`). */
export function actorKindOf(actor: string): AuditActorKind {
  if (actor.startsWith('acp:')) return 'acp_key';
  if (actor.startsWith('customer:') || actor.startsWith('cus_')) return 'customer';
  if (actor.startsWith('owner') || actor === 'cli') return 'owner';
  return 'system';
}
