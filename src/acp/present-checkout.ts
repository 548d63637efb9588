import { acpOrderStatus } from '../domain/acp-order-status.js';
import type { ErrorCode, Violation } from '../domain/app-error.js';
import type { MenuIndex } from '../domain/menu-index.js';
import { formatMoney } from '../domain/money.js';
import type { ShopSettings } from '../domain/shop-settings.js';
import { PRIVACY_PATH, TERMS_PATH } from '../http/legal-routes.js';
import { orderPageUrl } from '../http/order-page-routes.js';
import { DELIVERY_OPTION_ID } from '../services/checkout/checkout-delivery.js';
import type { CheckoutView, PickupOption } from '../services/checkout/checkout-types.js';
import { jsonPath } from './acp-error.js';
import { ACP_VERSION } from './acp-request.js';
import { presentCapabilities } from './present-capabilities.js';
import { deliveryOptionJson } from './present-delivery.js';
import { discountMessages, discountsShown, presentDiscounts } from './present-discounts.js';
import { lineIndexOf, presentLineItems, presentTotals } from './present-line-items.js';

/** What presenting a session needs besides the session: the menu, the settings, the public origin. */
export interface CheckoutPresentation {
  readonly menu: MenuIndex;
  readonly settings: ShopSettings;
  readonly timezone: string;
  readonly publicUrl: string;
  /** Formats an instant as the shop's local time for titles ("5:30 PM"). */
  readonly formatTime: (instant: Date) => string;
  /** The customer's confirmations of placed orders. */
  readonly confirmations: Pick<CheckoutConfirmations, 'link' | 'state'>;
  /** The merchant id delegated card tokens are bound to; undefined when cards are not taken this way. */
  readonly merchantId?: string | undefined;
}

/** What a checkout needs of the customer's confirmations (src/services/payments/confirmation-service.ts). */
export interface CheckoutConfirmations {
  /** The link the customer confirms a placed order with, while it waits for them. */
  link(orderId: string): string | undefined;
  /** How the customer's confirmation of a placed order ended, if it did. */
  state(orderId: string): 'pending' | 'approved' | 'denied' | 'expired' | undefined;
  /** Settles confirmations past their expiry, so a read reports them at once. */
  expireDue(): void;
}

/** Business rules in the ACP message vocabulary (`MessageError.code` of schema.agentic_checkout.json). */
const MESSAGE_CODES: Partial<Record<ErrorCode, string>> = {
  // An item (or one of its options) that left the menu since it was added: the enum's `not_found`
  // says exactly that, where `invalid` would say the agent sent something malformed.
  item_not_found: 'not_found',
  option_not_found: 'not_found',
  item_sold_out: 'out_of_stock',
  option_sold_out: 'out_of_stock',
  quantity_limit: 'quantity_exceeded',
  payment_declined: 'payment_declined',
  modifier_min: 'missing',
  order_empty: 'missing',
  customer_details_missing: 'missing',
  delivery_unavailable: 'unsupported',
  delivery_address_missing: 'missing',
  delivery_out_of_area: 'invalid',
  delivery_minimum: 'minimum_not_met',
};

const NEEDS_BUYER = new Set<ErrorCode>([
  'item_sold_out',
  'option_sold_out',
  'customer_details_missing',
  'delivery_address_missing',
  'delivery_out_of_area',
  'delivery_minimum',
]);

/** The shop's address in the ACP shape: the first part is the street, the next the city. */
function shopAddress(settings: ShopSettings) {
  const [street = '', city = '', ...rest] = settings.profile.address.split(',').map((p) => p.trim());
  const region = /-([A-Z]{2})\b/.exec(settings.profile.locale)?.[1] ?? '';
  return {
    name: settings.profile.name,
    line_one: street,
    city,
    state: rest.join(', '),
    country: region,
    postal_code: '',
  };
}

// Pickup options are shared by every session of a minute (see checkout-service): worded once each.
const presentedOptions = new WeakMap<
  PickupOption,
  { settings: ShopSettings; json: ReturnType<typeof pickupOptionJson> }
>();

function pickupOption(option: PickupOption, p: CheckoutPresentation) {
  const seen = presentedOptions.get(option);
  if (seen !== undefined && seen.settings === p.settings) return seen.json;
  const json = pickupOptionJson(option, p);
  presentedOptions.set(option, { settings: p.settings, json });
  return json;
}

function pickupOptionJson(option: PickupOption, p: CheckoutPresentation) {
  const title =
    option.pickup === 'asap'
      ? 'Pickup as soon as it is ready'
      : `Pickup at ${p.formatTime(new Date(option.pickup))}`;
  return {
    type: 'pickup',
    id: option.id,
    title,
    ...(option.readyBy === undefined ? {} : { description: `Ready by ${p.formatTime(option.readyBy)}` }),
    location: {
      name: p.settings.profile.name,
      address: shopAddress(p.settings),
      phone: p.settings.profile.phone,
    },
    pickup_type: 'in_store',
    ...(option.readyBy === undefined ? {} : { ready_by: option.readyBy.toISOString() }),
    totals: [{ type: 'total', display_text: 'Pickup', amount: 0 }],
  };
}

/** One rule the session breaks, as an ACP error message. */
export function problemMessage(problem: Violation) {
  const code = MESSAGE_CODES[problem.code] ?? 'invalid';
  return {
    type: 'error',
    code,
    severity: 'high',
    resolution: NEEDS_BUYER.has(problem.code) ? 'requires_buyer_input' : 'recoverable',
    ...(problem.path === undefined ? {} : { param: jsonPath(problem.path) }),
    content_type: 'plain',
    content: problem.suggestion === undefined ? problem.message : `${problem.message} ${problem.suggestion}`,
  };
}

/**
 * A complete that placed nothing because the total moved since the session was last answered: a
 * `price_change` warning the buyer must review (RFC §7.2: what changes the total they expect is a
 * warning); completing again accepts the new total.
 */
function priceChangeMessages(view: CheckoutView, p: CheckoutPresentation) {
  if (view.priceChange === undefined) return [];
  const money = (amount: number) =>
    formatMoney(amount, view.session.draft.currency, p.settings.profile.locale);
  const { from, to } = view.priceChange;
  return [
    {
      type: 'warning',
      code: 'price_change',
      resolution: 'requires_buyer_review',
      param: '$.totals',
      content_type: 'plain',
      content: `The total is now ${money(to)}, not the ${money(from)} answered before (an offer's hours ended or began, or a discount code expired or was used up meanwhile; see discounts). Nothing was charged and no order was placed: show the buyer the new total, and complete again once they accept it.`,
    },
  ];
}

function infoMessages(view: CheckoutView, p: CheckoutPresentation) {
  const info = (content: string) => ({ type: 'info', content_type: 'plain', content });
  const decided = view.order === undefined ? undefined : p.confirmations.state(view.order.id);
  if (view.status === 'canceled' && decided === 'denied') {
    return [info('The buyer declined this order on their phone; nothing was charged.')];
  }
  if (view.status === 'canceled') return [info('Checkout session has been canceled.')];
  if (view.status === 'expired' && decided === 'expired') {
    return [
      info('The buyer did not confirm on their phone in time; nothing was charged. Start a new session.'),
    ];
  }
  if (view.status === 'expired') return [info('This checkout session expired; start a new one.')];
  if (view.status === 'pending_approval' && view.order !== undefined) {
    return [
      info(
        `Order ${view.order.code} is waiting for the customer: they confirm it on their phone at ${p.confirmations.link(view.order.id) ?? orderPageUrl(p.publicUrl, view.order.id)}.`,
      ),
    ];
  }
  return [];
}

/** The session as the ACP `CheckoutSession` (authoritative state on every answer). */
export function presentCheckout(
  view: CheckoutView,
  p: CheckoutPresentation,
  extraProblems: readonly Violation[] = [],
): Record<string, unknown> {
  const { session, order } = view;
  const draft = session.draft;
  const lines = presentLineItems(draft.items, view.priced, p, view.offerTerms);
  const placed = order !== undefined && order.state !== 'cart';
  return {
    id: session.id,
    protocol: { version: ACP_VERSION },
    capabilities: presentCapabilities(draft, p.publicUrl, p.merchantId, discountsShown(draft, view.priced)),
    ...(draft.buyer === undefined ? {} : { buyer: draft.buyer }),
    status: view.status,
    currency: draft.currency.toLowerCase(),
    locale: draft.locale ?? p.settings.profile.locale,
    timezone: p.timezone,
    line_items: lines,
    ...(draft.fulfillmentDetails === undefined ? {} : { fulfillment_details: draft.fulfillmentDetails }),
    fulfillment_options: [
      ...view.pickupOptions.map((o) => pickupOption(o, p)),
      ...(view.deliveryOption === undefined
        ? []
        : [deliveryOptionJson(view.deliveryOption, p.settings, p.formatTime)]),
    ],
    selected_fulfillment_options: [
      view.fulfillment === 'delivery'
        ? { type: 'local_delivery', option_id: DELIVERY_OPTION_ID, item_ids: lines.map((l) => l.id) }
        : { type: 'pickup', option_id: view.selectedPickup.id, item_ids: lines.map((l) => l.id) },
    ],
    totals: presentTotals(view.priced),
    ...presentDiscounts(draft, view.priced, view.offerTerms, lineIndexOf(draft.items, p.menu)),
    messages: [
      ...[...view.problems, ...extraProblems].map(problemMessage),
      ...priceChangeMessages(view, p),
      ...discountMessages(draft, view.priced),
      ...infoMessages(view, p),
    ],
    links: [
      { type: 'terms_of_use', title: 'Terms', url: `${p.publicUrl}${TERMS_PATH}` },
      { type: 'privacy_policy', title: 'Privacy', url: `${p.publicUrl}${PRIVACY_PATH}` },
    ],
    created_at: session.createdAt.toISOString(),
    updated_at: session.updatedAt.toISOString(),
    expires_at: session.expiresAt.toISOString(),
    ...(view.status === 'pending_approval' && order !== undefined
      ? { continue_url: p.confirmations.link(order.id) ?? orderPageUrl(p.publicUrl, order.id) }
      : {}),
    ...(draft.metadata === undefined ? {} : { metadata: draft.metadata }),
    ...(placed
      ? {
          order: {
            id: order.id,
            checkout_session_id: session.id,
            order_number: order.code,
            permalink_url: orderPageUrl(p.publicUrl, order.id),
            status: acpOrderStatus(order.state, view.collected),
          },
        }
      : {}),
  };
}
