import { formatMoney } from '../domain/money.js';
import type { ShopSettings } from '../domain/shop-settings.js';
import type { DeliveryOption } from '../services/checkout/checkout-delivery.js';

/** Postal codes the option's description names at most. */
const CODES_SHOWN = 12;

/** What the description says about the area and the minimum: "Postal codes 10001, 10002 · minimum $15.00". */
function describe(option: DeliveryOption, settings: ShopSettings, formatTime: (d: Date) => string): string {
  const money = (amount: number) => formatMoney(amount, settings.profile.currency, settings.profile.locale);
  const codes = option.postalCodes.slice(0, CODES_SHOWN).join(', ');
  const more =
    option.postalCodes.length > CODES_SHOWN ? ` and ${option.postalCodes.length - CODES_SHOWN} more` : '';
  return [
    `Delivered by ${settings.profile.name} to postal codes ${codes}${more}`,
    option.minimum > 0 ? `minimum ${money(option.minimum)} of items` : undefined,
    option.window === undefined ? undefined : `arrives around ${formatTime(option.window.start)}`,
  ]
    .filter((part) => part !== undefined)
    .join(' · ');
}

/**
 * The shop's local delivery as an ACP `FulfillmentOptionLocalDelivery` (type `local_delivery`): the fee
 * as the option's `fulfillment` total, the expected arrival as `delivery_window`. The release's
 * `service_area` is a radius around one postal code; a list of served codes has no place there, so the
 * description names them.
 */
export function deliveryOptionJson(
  option: DeliveryOption,
  settings: ShopSettings,
  formatTime: (instant: Date) => string,
) {
  return {
    type: 'local_delivery',
    id: option.id,
    title: 'Local delivery',
    description: describe(option, settings, formatTime),
    ...(option.window === undefined
      ? {}
      : {
          delivery_window: {
            start: option.window.start.toISOString(),
            end: option.window.end.toISOString(),
          },
        }),
    totals: [
      { type: 'fulfillment', display_text: 'Delivery', amount: option.fee },
      { type: 'total', display_text: 'Delivery', amount: option.fee },
    ],
  };
}
