import { AppError } from '../../domain/app-error.js';
import type { Order, OrderLine } from '../../domain/order.js';
import type { LineInput, OrderChanges } from './order-types.js';

/** Numbers new lines from `first` ("l3", "l4") and tidies their notes. */
export function toLines(inputs: readonly LineInput[], first: number): OrderLine[] {
  return inputs.map((l, i) => ({
    lineId: `l${first + i}`,
    itemId: l.itemId,
    quantity: l.quantity,
    optionIds: [...(l.optionIds ?? [])],
    note: l.note === undefined || l.note.trim() === '' ? undefined : l.note.trim(),
  }));
}

/** Applies line changes to a cart: removals, per-line updates (quantity 0 removes), then additions. */
export function changeLines(order: Order, changes: OrderChanges): Order {
  const known = new Set(order.lines.map((l) => l.lineId));
  for (const id of [...(changes.removeLineIds ?? []), ...(changes.updateLines ?? []).map((c) => c.lineId)]) {
    if (!known.has(id)) {
      throw new AppError(
        'invalid_input',
        `Order ${order.code} has no line "${id}". Its lines are ${[...known].join(', ') || 'none'}.`,
        {
          violations: [{ code: 'invalid_input', message: `No line "${id}" in this order.`, path: 'line_id' }],
        },
      );
    }
  }
  const removed = new Set(changes.removeLineIds ?? []);
  const updates = new Map((changes.updateLines ?? []).map((c) => [c.lineId, c]));
  const lines = order.lines
    .filter((l) => !removed.has(l.lineId))
    .map((l) => {
      const change = updates.get(l.lineId);
      if (change === undefined) return l;
      return {
        ...l,
        quantity: change.quantity ?? l.quantity,
        optionIds: change.optionIds === undefined ? l.optionIds : [...change.optionIds],
        note: change.note === undefined ? l.note : change.note.trim() === '' ? undefined : change.note.trim(),
      };
    })
    .filter((l) => l.quantity !== 0);
  const added = toLines(changes.addLines ?? [], order.nextLine);
  return { ...order, lines: [...lines, ...added], nextLine: order.nextLine + added.length };
}
