import { AppError, type Violation } from '../../domain/app-error.js';
import type { MenuItem } from '../../domain/catalog.js';
import { type CheckoutItem, itemRef, parseItemRef } from '../../domain/checkout.js';
import type { MenuIndex } from '../../domain/menu-index.js';
import type { OrderLine } from '../../domain/order.js';

/** An item the agent asked for, as the request named it. */
export interface RequestedItem {
  readonly id: string;
  readonly quantity?: number | undefined;
}

/**
 * Reads the agent's items: each id is a menu item, optionally with its chosen options
 * (`cheeseburger:no-onions,bacon`); the same id twice is one line with quantity 2. An id that names
 * nothing on the menu is refused, naming where it is (`line_items.1.id`).
 */
export function checkoutItems(requested: readonly RequestedItem[], menu: MenuIndex): CheckoutItem[] {
  const problems: Violation[] = [];
  const merged = new Map<string, CheckoutItem>();
  requested.forEach((wanted, index) => {
    const parsed = parseItemRef(wanted.id);
    const item = parsed === undefined ? undefined : menu.items.get(parsed.itemId);
    if (parsed === undefined || item === undefined) {
      problems.push({
        code: 'item_not_found',
        message: `The item id "${wanted.id.slice(0, 80)}" does not exist on this menu.`,
        path: `line_items.${index}.id`,
        suggestion:
          'Use the ids of the product feed; options go after a colon: "cheeseburger:no-onions,bacon".',
      });
      return;
    }
    const ref = itemRef(parsed.itemId, parsed.optionIds);
    const quantity = wanted.quantity ?? 1;
    const seen = merged.get(ref);
    merged.set(ref, {
      ref,
      itemId: parsed.itemId,
      optionIds: parsed.optionIds,
      quantity: (seen?.quantity ?? 0) + quantity,
    });
  });
  if (problems.length > 0) throw AppError.fromViolations(problems);
  return [...merged.values()];
}

/** The session's items as order lines ("l1", "l2" … in the agent's order). */
export function orderLinesOf(items: readonly CheckoutItem[]): OrderLine[] {
  return items.map((item, index) => ({
    lineId: `l${index + 1}`,
    itemId: item.itemId,
    quantity: item.quantity,
    optionIds: item.optionIds,
    note: undefined,
  }));
}

/** The menu item of each checkout line (lines whose item left the menu are undefined). */
export function menuItemsOf(items: readonly CheckoutItem[], menu: MenuIndex): (MenuItem | undefined)[] {
  return items.map((item) => menu.items.get(item.itemId));
}
