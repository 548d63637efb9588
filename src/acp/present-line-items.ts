import type { CheckoutItem } from '../domain/checkout.js';
import { groupsOf, type MenuIndex } from '../domain/menu-index.js';
import type { DiscountedLine, DiscountedOrder } from '../domain/offer-types.js';
import { type AcpTotal, acpTotals } from '../services/checkout/acp-totals.js';
import type { OfferTerms } from '../services/checkout/checkout-types.js';
import { type LineIndex, lineDiscountDetails } from './present-discounts.js';

/** A line's totals: its items, what offers took off them (discount extension RFC §8), what is left. */
function lineTotals(line: DiscountedLine): AcpTotal[] {
  return [
    { type: 'items_base_amount', display_text: 'Base amount', amount: line.lineTotal },
    ...(line.discount > 0
      ? [{ type: 'items_discount', display_text: 'Discount', amount: line.discount }]
      : []),
    { type: 'subtotal', display_text: 'Subtotal', amount: line.net },
    { type: 'total', display_text: 'Total', amount: line.net },
  ];
}

/** The line item (`$.line_items[N]`) of each priced line: an item off the menu is shown but not priced. */
export function lineIndexOf(items: readonly CheckoutItem[], menu: MenuIndex): LineIndex {
  const shown = items.flatMap((entry, index) => (menu.items.has(entry.itemId) ? [index] : []));
  return (pricedIndex) => shown[pricedIndex] ?? pricedIndex;
}

/** Items as ACP `LineItem`s, priced by `order` (its lines in the same order): sessions and carts. */
export function presentLineItems(
  items: readonly CheckoutItem[],
  order: DiscountedOrder,
  p: { readonly menu: MenuIndex },
  terms: ReadonlyMap<string, OfferTerms>,
) {
  let pricedIndex = 0;
  return items.map((entry, index) => {
    const item = p.menu.items.get(entry.itemId);
    const at = pricedIndex;
    const priced = item === undefined ? undefined : order.lines[pricedIndex++];
    const details = priced === undefined ? [] : lineDiscountDetails(order, at, terms);
    const groups = item === undefined ? [] : groupsOf(item, p.menu.groups);
    const attributes = groups.flatMap((group) => {
      const chosen = (priced?.options ?? []).filter((o) => group.options.some((g) => g.id === o.id));
      return chosen.length === 0
        ? []
        : [{ display_name: group.name, value: chosen.map((o) => o.name).join(', ') }];
    });
    const unit = priced?.unitPrice ?? 0;
    return {
      id: `li_${index + 1}`,
      item: { id: entry.ref, ...(item === undefined ? {} : { name: item.name }), unit_amount: unit },
      quantity: entry.quantity,
      name: item?.name ?? entry.itemId,
      ...(item?.description ? { description: item.description } : {}),
      ...(item?.imageUrl === undefined ? {} : { images: [item.imageUrl] }),
      unit_amount: unit,
      ...(attributes.length === 0 ? {} : { custom_attributes: attributes }),
      ...(attributes.length === 0
        ? {}
        : { variant_options: attributes.map((a) => ({ name: a.display_name, value: a.value })) }),
      availability_status: item === undefined || item.soldOut ? 'out_of_stock' : 'in_stock',
      max_quantity_per_order: item?.maxQuantity ?? 1,
      ...(details.length === 0 ? {} : { discount_details: details }),
      ...(item === undefined
        ? {}
        : { category: p.menu.categories.get(item.categoryId)?.name ?? item.categoryId }),
      totals:
        priced === undefined ? [{ type: 'total', display_text: 'Total', amount: 0 }] : lineTotals(priced),
    };
  });
}

/** The ACP `Total`s of a priced order: sessions and carts. */
export function presentTotals(order: DiscountedOrder): AcpTotal[] {
  return acpTotals(order.totals, { itemsBase: true });
}
