import { AppError, type Violation } from '../../domain/app-error.js';
import type { CheckoutDraft } from '../../domain/checkout.js';
import { type DeliveryAddress, deliveryWindow, PICKUP } from '../../domain/delivery.js';
import { type DeliveryRuleTerms, deliveryViolations } from '../../domain/delivery-rules.js';
import type { ShopSettings } from '../../domain/shop-settings.js';
import type { FulfillmentChoice } from '../orders/order-types.js';

/** The one delivery option a session offers: as soon as the kitchen and the trip allow. */
export const DELIVERY_OPTION_ID = 'delivery_asap';

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

/** Where the delivery rules point in an ACP checkout session, and what they suggest there. */
const ACP_TERMS: DeliveryRuleTerms = {
  choicePath: 'selected_fulfillment_options.0.option_id',
  addressPath: 'fulfillment_details.address',
  required: {
    name: 'fulfillment_details.address.name',
    line1: 'fulfillment_details.address.line_one',
    city: 'fulfillment_details.address.city',
    postalCode: 'fulfillment_details.address.postal_code',
  },
  itemsPath: 'line_items',
  pickupHint: 'Choose a pickup option instead.',
  addressHint: 'Send it as fulfillment_details.address.',
};

/**
 * What stops a session that chose delivery from being paid, with paths into the ACP session: delivery
 * off, no address (or a part of it blank), a postal code outside the served area, items below the minimum.
 */
export function deliveryProblems(
  draft: Pick<CheckoutDraft, 'fulfillmentDetails'>,
  itemsSubtotal: number,
  settings: ShopSettings,
): Violation[] {
  return deliveryViolations({ settings, address: deliveryAddressOf(draft), itemsSubtotal, terms: ACP_TERMS });
}

/**
 * How the order of a session is fulfilled: pickup, or delivery to the session's address (the order
 * service adds the trip's minutes).
 */
export function orderFulfillmentOf(
  draft: Pick<CheckoutDraft, 'fulfillment' | 'fulfillmentDetails'>,
): FulfillmentChoice {
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
  return { type: 'delivery', address };
}
