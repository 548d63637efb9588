import type { Violation } from '../../domain/app-error.js';
import type { MenuIndex } from '../../domain/menu-index.js';
import { resolveOptions } from '../../domain/menu-index.js';
import type { DiscountedOrder, OfferContext } from '../../domain/offer-types.js';
import { asDiscounted, priceOrderWithOffers } from '../../domain/offers.js';
import type { Order } from '../../domain/order.js';
import { type PricedOrder, type PricingInput, type PricingLine, priceOrder } from '../../domain/pricing.js';
import type { ShopSettings } from '../../domain/shop-settings.js';

type PricedFrom = Pick<Order, 'lines' | 'tip' | 'currency'> & {
  readonly fulfillment?: { readonly type: Order['fulfillment']['type'] } | undefined;
};

/** What pricing an order takes: its lines against the current menu (an item gone is left out), tax, fees. */
function pricingInput(order: PricedFrom, menu: MenuIndex, settings: ShopSettings): PricingInput {
  const lines: PricingLine[] = [];
  for (const line of order.lines) {
    const item = menu.items.get(line.itemId);
    if (item === undefined) continue;
    const { options } = resolveOptions(item, menu.groups, line.optionIds);
    lines.push({
      item,
      taxRateId: menu.categories.get(item.categoryId)?.taxRateId,
      quantity: line.quantity,
      options,
      note: line.note,
    });
  }
  const tip = settings.fees.tips.enabled ? order.tip : { kind: 'none' as const };
  const deliveryFee = order.fulfillment?.type === 'delivery' ? settings.delivery.feeMinor : undefined;
  return { lines, tax: settings.tax, fees: settings.fees, tip, currency: order.currency, deliveryFee };
}

/**
 * Prices an order's lines against the current menu; lines whose item is gone are left out. A delivery
 * adds the shop's delivery fee.
 */
export function priceLines(order: PricedFrom, menu: MenuIndex, settings: ShopSettings): PricedOrder {
  return priceOrder(pricingInput(order, menu, settings));
}

/**
 * `priceLines` with the shop's offers and the order's codes (`offers`, as of its `now`); without
 * offers, the same prices with no discount.
 */
export function priceWithOffers(
  order: PricedFrom,
  menu: MenuIndex,
  settings: ShopSettings,
  offers: OfferContext | undefined,
): DiscountedOrder {
  const input = pricingInput(order, menu, settings);
  return offers === undefined ? asDiscounted(priceOrder(input)) : priceOrderWithOffers(input, offers);
}

/** Rewrites `lines.N…` violation paths to name the order's stable line ids (`lines[l3].options`). */
export function pathsByLineId(violations: readonly Violation[], order: Pick<Order, 'lines'>): Violation[] {
  return violations.map((v) => {
    const match = v.path === undefined ? null : /^lines\.(\d+)(.*)$/.exec(v.path);
    const line = match === null ? undefined : order.lines[Number(match[1])];
    return line === undefined || match === null
      ? v
      : { ...v, path: `lines[${line.lineId}]${match[2] ?? ''}` };
  });
}
