import type { MenuIndex } from '../domain/menu-index.js';
import { formatMoney } from '../domain/money.js';
import type { DiscountValue, OfferScope } from '../domain/offer-types.js';
import type { OfferRule } from '../services/offers/offer-admin.js';

/** Names offers in the owner's words: the menu for names, and the shop's money. */
export interface DescribeShop {
  readonly index: Pick<MenuIndex, 'items' | 'categories'>;
  readonly currency: string;
  readonly locale: string;
}

function reach(
  ids: { itemIds: readonly string[]; categoryIds: readonly string[] },
  shop: DescribeShop,
): string {
  return [
    ...ids.categoryIds.map((id) => shop.index.categories.get(id)?.name ?? id),
    ...ids.itemIds.map((id) => shop.index.items.get(id)?.name ?? id),
  ].join(' or ');
}

const scopeWords = (scope: OfferScope, shop: DescribeShop) =>
  scope.kind === 'order' ? 'the order' : reach(scope, shop);

function valueWords(value: DiscountValue, shop: DescribeShop): string {
  return value.kind === 'percent'
    ? `${value.percent}% off`
    : `${formatMoney(value.amount, shop.currency, shop.locale)} off`;
}

/** One line saying what an offer does ("Burger + Side + Drink for $12.00"). */
export function describeOffer(stored: OfferRule, shop: DescribeShop): string {
  if (stored.kind === 'meal_deal') {
    const parts = stored.offer.slots.map((s) => `${s.name} (${reach(s, shop)})`).join(' + ');
    const p = stored.offer.price;
    const price =
      p.kind === 'fixed' ? `for ${formatMoney(p.amount, shop.currency, shop.locale)}` : valueWords(p, shop);
    return `${parts} ${price}`;
  }
  if (stored.kind === 'promo_code') {
    const o = stored.offer;
    const minimum =
      o.minimumSubtotal === 0 ? '' : `, from ${formatMoney(o.minimumSubtotal, shop.currency, shop.locale)}`;
    return `${valueWords(o.value, shop)} ${scopeWords(o.scope, shop)}${minimum}`;
  }
  const a = stored.offer;
  if (a.kind === 'nth_unit') {
    const on = a.scope.kind === 'order' ? 'any item' : reach(a.scope, shop);
    return `${a.percent}% off every ${a.nth === 2 ? 'second' : `${a.nth}th`} ${on}`;
  }
  const hours = a.windows.map((w) => `${w.days.join('/')} ${w.start}–${w.end}`).join(', ');
  return `${a.percent}% off ${scopeWords(a.scope, shop)}, ${hours}`;
}
