import { AppError } from '../../domain/app-error.js';
import type { CheckoutDraft } from '../../domain/checkout.js';
import type { MenuCache } from '../menu/menu-cache.js';
import type { ShopService } from '../shop/shop-service.js';
import { DELIVERY_OPTION_ID, deliveryOption } from './checkout-delivery.js';
import { checkoutItems } from './checkout-lines.js';
import { pickupOfOptionId } from './checkout-pickup.js';
import type { CheckoutChanges } from './checkout-types.js';

/** The draft with `changes` applied: undefined leaves a field alone, null clears it. */
export function changedDraft(
  deps: { readonly shop: ShopService; readonly menu: MenuCache },
  draft: CheckoutDraft,
  changes: CheckoutChanges,
): CheckoutDraft {
  const chosen = chosenFulfillment(deps.shop, changes.fulfillmentOptionId);
  return {
    ...draft,
    items: changes.items === undefined ? draft.items : checkoutItems(changes.items, deps.menu.index()),
    buyer: changes.buyer === undefined ? draft.buyer : (changes.buyer ?? undefined),
    fulfillmentDetails:
      changes.fulfillmentDetails === undefined
        ? draft.fulfillmentDetails
        : (changes.fulfillmentDetails ?? undefined),
    orderNotes: changes.orderNotes === undefined ? draft.orderNotes : (changes.orderNotes ?? undefined),
    discountCodes: changes.discountCodes ?? draft.discountCodes,
    pickup: chosen?.pickup ?? draft.pickup,
    fulfillment: chosen === undefined ? draft.fulfillment : chosen.fulfillment,
  };
}

/** What a chosen fulfillment option means (a pickup time, or delivery as soon as possible); none chosen, undefined. */
function chosenFulfillment(
  shop: ShopService,
  optionId: string | undefined,
): { pickup: string; fulfillment: 'pickup' | 'delivery' } | undefined {
  if (optionId === undefined) return undefined;
  const delivering =
    optionId === DELIVERY_OPTION_ID && deliveryOption(shop.settings(), undefined) !== undefined;
  const pickup = delivering ? 'asap' : pickupOfOptionId(optionId);
  if (pickup === undefined) {
    throw new AppError('invalid_input', `There is no fulfillment option "${optionId.slice(0, 80)}".`, {
      violations: [
        {
          code: 'invalid_input',
          message: 'Unknown fulfillment option.',
          path: 'selected_fulfillment_options.0.option_id',
        },
      ],
    });
  }
  return { pickup, fulfillment: delivering ? 'delivery' : 'pickup' };
}

/** The customer's name and phone from what the agent sent: buyer first, then fulfillment details. */
export function contactOf(draft: Pick<CheckoutDraft, 'buyer' | 'fulfillmentDetails'>): {
  name: string | undefined;
  phone: string | undefined;
} {
  const text = (value: unknown) =>
    typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
  const buyer = draft.buyer ?? {};
  const details = draft.fulfillmentDetails ?? {};
  const joined = [text(buyer.first_name), text(buyer.last_name)].filter(Boolean).join(' ');
  return {
    name: text(buyer.full_name) ?? text(joined) ?? text(details.name),
    phone: text(buyer.phone_number) ?? text(details.phone_number),
  };
}
