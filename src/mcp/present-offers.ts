import type { MenuIndex } from '../domain/menu-index.js';
import type { AutomaticOffer, MealDeal, OfferScope } from '../domain/offer-types.js';
import type { CurrentOffers } from '../services/offers/offer-service.js';
import { money } from './present-money.js';

/** What offers are shown with: the menu (for names) and the shop's currency and locale. */
export interface OfferShowContext {
  readonly index: MenuIndex;
  readonly currency: string;
  readonly locale: string;
}

function scopeWords(scope: OfferScope, index: MenuIndex): string {
  if (scope.kind === 'order') return 'everything';
  const names = [
    ...scope.itemIds.map((id) => index.items.get(id)?.name ?? id),
    ...scope.categoryIds.map((id) => index.categories.get(id)?.name ?? id),
  ];
  return names.join(', ');
}

function automaticWords(offer: AutomaticOffer, index: MenuIndex): string {
  const on = scopeWords(offer.scope, index);
  if (offer.kind === 'nth_unit') return `every ${offer.nth}th unit of ${on} at ${offer.percent}% off`;
  const hours = offer.windows.map((w) => `${w.days.join('/')} ${w.start}–${w.end}`).join(', ');
  return `${offer.percent}% off ${on}, ${hours} (shop time)`;
}

function slotChoices(slot: MealDeal['slots'][number], index: MenuIndex): string[] {
  return [...index.items.values()]
    .filter((item) => slot.itemIds.includes(item.id) || slot.categoryIds.includes(item.categoryId))
    .map((item) => item.id);
}

function dealPrice(deal: MealDeal, ctx: OfferShowContext): string {
  const p = deal.price;
  if (p.kind === 'fixed') return `${money(p.amount, ctx.currency, ctx.locale).display} for the bundle`;
  if (p.kind === 'percent') return `${p.percent}% off the bundle`;
  return `${money(p.amount, ctx.currency, ctx.locale).display} off the bundle`;
}

/** The offers as tools show them: automatic offers (on now or not) and meal deals with their slots. */
export function offersResult(current: CurrentOffers, ctx: OfferShowContext) {
  return {
    offers: current.automatic.map(({ offer, activeNow }) => ({
      offer_id: offer.id,
      kind: offer.kind,
      name: offer.name,
      description: automaticWords(offer, ctx.index),
      active_now: activeNow,
    })),
    meal_deals: current.mealDeals.map((deal) => ({
      deal_id: deal.id,
      name: deal.name,
      price: dealPrice(deal, ctx),
      slots: deal.slots.map((slot) => ({ name: slot.name, item_ids: slotChoices(slot, ctx.index) })),
    })),
  };
}

/** Offers in a sentence or two; empty when the shop has none. */
export function offersText(o: ReturnType<typeof offersResult>): string {
  const lines = [
    ...o.offers.map((x) => `Offer: ${x.name} — ${x.description}${x.active_now ? ' (on now)' : ' (not now)'}`),
    ...o.meal_deals.map(
      (d) =>
        `Meal deal ${d.name} (${d.deal_id}): ${d.price}; choose ${d.slots.map((s) => `${s.name} [${s.item_ids.join(', ')}]`).join(' + ')}`,
    ),
  ];
  return lines.join('\n');
}

/** The offers that concern a page of items: meal deals using them, automatic offers on now reaching them. */
export function offersFor(
  o: ReturnType<typeof offersResult>,
  itemIds: readonly string[],
  current: CurrentOffers,
  index: MenuIndex,
) {
  const reaches = (scope: OfferScope) =>
    itemIds.some((id) => {
      const item = index.items.get(id);
      return (
        scope.kind === 'order' ||
        scope.itemIds.includes(id) ||
        (item !== undefined && scope.categoryIds.includes(item.categoryId))
      );
    });
  const on = new Set(
    current.automatic.filter((a) => a.activeNow && reaches(a.offer.scope)).map((a) => a.offer.id),
  );
  return {
    offers: o.offers.filter((x) => on.has(x.offer_id)),
    meal_deals: o.meal_deals.filter((d) =>
      d.slots.some((s) => s.item_ids.some((id) => itemIds.includes(id))),
    ),
  };
}
