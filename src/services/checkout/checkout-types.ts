import type { AffiliateAttribution } from '../../domain/affiliate-attribution.js';
import type { Violation } from '../../domain/app-error.js';
import type { CheckoutSessionRecord } from '../../domain/checkout.js';
import type { DiscountedOrder, DiscountValue } from '../../domain/offer-types.js';
import type { Order } from '../../domain/order.js';
import type { Clock } from '../../platform/clock.js';
import type { Ids } from '../../platform/ids.js';
import type { AttributionRepo } from '../../store/attribution-repo.js';
import type { CheckoutRepo } from '../../store/checkout-repo.js';
import type { Store } from '../../store/database.js';
import type { OrdersRepo } from '../../store/orders-repo.js';
import type { MenuCache } from '../menu/menu-cache.js';
import type { OfferService } from '../offers/offer-service.js';
import type { OrderGate } from '../operations/order-gate.js';
import type { OrderService } from '../orders/order-service.js';
import type { PaymentVault } from '../payments/payment-vault.js';
import type { ShopService } from '../shop/shop-service.js';
import type { DeliveryOption } from './checkout-delivery.js';
import type { RequestedItem } from './checkout-lines.js';

/** What an applied offer takes, for agents: a percent or an amount off, or a meal deal's bundle price. */
export type OfferTerms = DiscountValue | { readonly kind: 'fixed'; readonly amount: number };

/** A session is kept for an hour after its last change; then it expires. */
export const CHECKOUT_TTL_MS = 60 * 60 * 1000;

/** Where an ACP checkout session is, in the spec's words. */
export type CheckoutStatus =
  | 'not_ready_for_payment'
  | 'ready_for_payment'
  | 'pending_approval'
  | 'completed'
  | 'canceled'
  | 'expired';

/** A pickup time the session offers: as soon as possible, or a slot. */
export interface PickupOption {
  readonly id: string;
  /** When the kitchen will have it ready; undefined when the shop has no opening ahead. */
  readonly readyBy: Date | undefined;
  readonly pickup: string;
}

/** A session with everything worked out from the menu and the rules, as of now. */
export interface CheckoutView {
  readonly session: CheckoutSessionRecord;
  readonly status: CheckoutStatus;
  /** Prices after the shop's offers and the submitted codes (each refused code with its reason). */
  readonly priced: DiscountedOrder;
  /** What each applied offer takes, by the offer id `priced.applied` names. */
  readonly offerTerms: ReadonlyMap<string, OfferTerms>;
  /**
   * Set on a complete that placed nothing because the total is no longer the one last answered (an
   * offer's hours ended, a code expired or was used up meanwhile): the total before and now.
   */
  readonly priceChange?: { readonly from: number; readonly to: number } | undefined;
  /** What stops payment, with paths into the ACP session (`line_items.0…`, `buyer.phone_number`). */
  readonly problems: readonly Violation[];
  readonly pickupOptions: readonly PickupOption[];
  /** Local delivery as offered now; undefined when the shop does not deliver. */
  readonly deliveryOption: DeliveryOption | undefined;
  /** What the buyer chose: pickup (at `selectedPickup`) or delivery. */
  readonly fulfillment: 'pickup' | 'delivery';
  readonly selectedPickup: PickupOption;
  readonly order: Order | undefined;
  /** The order was collected (so a refund leaves it delivered); false without an order. */
  readonly collected: boolean;
}

/** Fields a create or update sets; undefined leaves a field alone, null clears it. */
export interface CheckoutChanges {
  readonly items?: readonly RequestedItem[] | undefined;
  readonly buyer?: Readonly<Record<string, unknown>> | null | undefined;
  readonly fulfillmentDetails?: Readonly<Record<string, unknown>> | null | undefined;
  /** The chosen fulfillment option: a pickup option's id or DELIVERY_OPTION_ID. */
  readonly fulfillmentOptionId?: string | undefined;
  readonly orderNotes?: string | null | undefined;
  /** Replaces the submitted discount codes; undefined keeps them. */
  readonly discountCodes?: readonly string[] | undefined;
}

export interface CheckoutCreate extends CheckoutChanges {
  readonly items: readonly RequestedItem[];
  readonly currency: string | undefined;
  readonly agentCapabilities: Readonly<Record<string, unknown>>;
  readonly locale: string | undefined;
  readonly timezone: string | undefined;
  readonly metadata: Readonly<Record<string, unknown>> | undefined;
  /** The agent's affiliate attribution claim: the session's first touch (affiliate attribution RFC §4.3.1). */
  readonly attribution?: AffiliateAttribution | undefined;
}

/** How the buyer pays at completion: confirm on the phone and pay at pickup, or a delegated card. */
export type CheckoutPayment =
  | { readonly kind: 'pay_at_pickup' }
  | { readonly kind: 'delegated'; readonly token: string };

/** What a complete request brings: the payment, the buyer's final details, an attribution claim. */
export interface CheckoutCompletion {
  readonly payment: CheckoutPayment;
  readonly buyer: Readonly<Record<string, unknown>> | undefined;
  /** The last touch (affiliate attribution RFC §4.3.2), kept only when the session completes. */
  readonly attribution?: AffiliateAttribution | undefined;
}

/** ACP checkout sessions over the same menu, rules and orders as a conversation's orders. */
export interface CheckoutService {
  create(apiKeyId: string, input: CheckoutCreate): CheckoutView;
  update(apiKeyId: string, id: string, changes: CheckoutChanges): CheckoutView;
  get(apiKeyId: string, id: string): CheckoutView;
  complete(apiKeyId: string, id: string, completion: CheckoutCompletion): CheckoutView;
  cancel(apiKeyId: string, id: string, trace: Readonly<Record<string, unknown>> | undefined): CheckoutView;
}

export interface CheckoutServiceDeps {
  readonly store: Store;
  readonly sessions: CheckoutRepo;
  /** Affiliate attribution claims, first and last touch, never shown back to agents. */
  readonly attributions: AttributionRepo;
  readonly orders: OrderService;
  readonly ordersRepo: Pick<OrdersRepo, 'slotUsage' | 'get' | 'wasCollected' | 'writes'>;
  readonly shop: ShopService;
  readonly menu: MenuCache;
  readonly clock: Clock;
  readonly ids: Ids;
  /** Spends delegated payment tokens (the embedded demo PSP vault). */
  readonly vault: Pick<PaymentVault, 'consume'>;
  /**
   * Called once per order, when a completion first links it to its session, inside that transaction
   * (the ACP `order_create` webhook is written there); later changes go through the order service.
   */
  readonly onOrderCreated?: (order: Order, checkoutSessionId: string) => void;
  /** Refuses orders while the clock is behind or the disk short of space (src/services/operations/order-gate.ts). */
  readonly gate?: OrderGate;
  /** The shop's offers, the same the order service prices with: sessions take codes and show discounts. */
  readonly offers?: Pick<OfferService, 'contextFor'>;
}
