import { AppError, type Violation } from '../domain/app-error.js';
import type { CheckoutDraft } from '../domain/checkout.js';
import {
  type DeliveryAddress,
  deliversTo,
  deliveryWindow,
  type OrderFulfillment,
  PICKUP,
} from '../domain/delivery.js';
import { formatMoney } from '../domain/money.js';
import type { ShopSettings } from '../domain/shop-settings.js';

/** The one delivery option a session offers: as soon as the kitchen and the trip allow. */
export const DELIVERY_OPTION_ID = 'delivery_asap';

/** Postal codes named in a message at most; the rest are counted. */
const CODES_NAMED = 10;

/** Local delivery as a session offers it. */
export interface DeliveryOption {
  readonly id: string;
  readonly fee: number;
  /** Smallest item subtotal delivered, in minor units. */
  readonly minimum: number;
  readonly postalCodes: readonly string[];
  /** When it arrives; undefined when the shop has no opening ahead. */
  readonly window: { readonly start: Date; readonly end: Date } | undefined;
}

/** The delivery option when the shop delivers; `kitchenReady` is the earliest pickup. */
export function deliveryOption(
  settings: ShopSettings,
  kitchenReady: Date | undefined,
): DeliveryOption | undefined {
  const d = settings.delivery;
  if (!d.enabled || d.postalCodes.length === 0) return undefined;
  return {
    id: DELIVERY_OPTION_ID,
    fee: d.feeMinor,
    minimum: d.minimumMinor,
    postalCodes: d.postalCodes,
    window:
      kitchenReady === undefined
        ? undefined
        : deliveryWindow(kitchenReady, d.leadMinutes, settings.pickup.slotMinutes),
  };
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}

/**
 * The address the agent sent in `fulfillment_details.address` (an ACP `Address`, checked at the
 * boundary), with the details' phone number; undefined when there is none.
 */
export function deliveryAddressOf(
  draft: Pick<CheckoutDraft, 'fulfillmentDetails'>,
): DeliveryAddress | undefined {
  const details = draft.fulfillmentDetails ?? {};
  const address = details.address;
  if (typeof address !== 'object' || address === null) return undefined;
  const a = address as Readonly<Record<string, unknown>>;
  const line2 = text(a.line_two);
  const phone = text(details.phone_number);
  return {
    name: text(a.name) ?? '',
    line1: text(a.line_one) ?? '',
    ...(line2 === undefined ? {} : { line2 }),
    city: text(a.city) ?? '',
    region: text(a.state) ?? '',
    country: text(a.country) ?? '',
    postalCode: text(a.postal_code) ?? '',
    ...(phone === undefined ? {} : { phone }),
  };
}

const REQUIRED: readonly [keyof DeliveryAddress, string, string][] = [
  ['name', 'name', 'who receives it'],
  ['line1', 'line_one', 'the street address'],
  ['city', 'city', 'the city'],
  ['postalCode', 'postal_code', 'the postal code'],
];

function listed(codes: readonly string[]): string {
  const named = codes.slice(0, CODES_NAMED).join(', ');
  return codes.length > CODES_NAMED ? `${named} and ${codes.length - CODES_NAMED} more` : named;
}

/**
 * What stops a session that chose delivery from being paid, with paths into the ACP session: delivery
 * off, no address (or a part of it blank), a postal code outside the served area, items below the minimum.
 */
export function deliveryProblems(
  draft: Pick<CheckoutDraft, 'fulfillmentDetails'>,
  itemsSubtotal: number,
  settings: ShopSettings,
): Violation[] {
  const d = settings.delivery;
  if (!d.enabled || d.postalCodes.length === 0) {
    return [
      {
        code: 'delivery_unavailable',
        message: `${settings.profile.name} is not delivering right now.`,
        path: 'selected_fulfillment_options.0.option_id',
        suggestion: 'Choose a pickup option instead.',
      },
    ];
  }
  const problems: Violation[] = [];
  const address = deliveryAddressOf(draft);
  if (address === undefined) {
    problems.push({
      code: 'delivery_address_missing',
      message: 'Delivery needs the address to deliver to.',
      path: 'fulfillment_details.address',
      suggestion: 'Send it as fulfillment_details.address.',
    });
  } else {
    for (const [field, param, words] of REQUIRED) {
      if (address[field] !== '') continue;
      problems.push({
        code: 'delivery_address_missing',
        message: `The delivery address needs ${words}.`,
        path: `fulfillment_details.address.${param}`,
      });
    }
    if (address.postalCode !== '' && !deliversTo(d, address.postalCode)) {
      problems.push({
        code: 'delivery_out_of_area',
        message: `${settings.profile.name} does not deliver to ${address.postalCode}; it delivers to ${listed(d.postalCodes)}.`,
        path: 'fulfillment_details.address.postal_code',
        suggestion: 'Choose a pickup option instead.',
      });
    }
  }
  if (itemsSubtotal < d.minimumMinor) {
    const money = (amount: number) => formatMoney(amount, settings.profile.currency, settings.profile.locale);
    problems.push({
      code: 'delivery_minimum',
      message: `Delivery needs an order of at least ${money(d.minimumMinor)} in items; this one has ${money(itemsSubtotal)}.`,
      path: 'line_items',
      suggestion: `Add ${money(d.minimumMinor - itemsSubtotal)} more, or choose pickup.`,
    });
  }
  return problems;
}

/** How the order of a session is fulfilled: pickup, or delivery to the session's address. */
export function orderFulfillmentOf(
  draft: Pick<CheckoutDraft, 'fulfillment' | 'fulfillmentDetails'>,
  settings: ShopSettings,
): OrderFulfillment {
  if (draft.fulfillment !== 'delivery') return PICKUP;
  const address = deliveryAddressOf(draft);
  if (address === undefined) {
    throw new AppError('delivery_address_missing', 'Delivery needs the address to deliver to.', {
      violations: [
        {
          code: 'delivery_address_missing',
          message: 'Delivery needs the address to deliver to.',
          path: 'fulfillment_details.address',
        },
      ],
    });
  }
  return { type: 'delivery', address, leadMinutes: settings.delivery.leadMinutes };
}
