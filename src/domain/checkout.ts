import type { RefusedCode } from './offer-types.js';

/**
 * An ACP checkout session as the agent built it. The menu and the order rules decide everything
 * else (prices, problems, status), each time it is read.
 */
export interface CheckoutDraft {
  /** The agent's item references in its order, merged: `cheeseburger` or `cheeseburger:no-onions,bacon`. */
  readonly items: readonly CheckoutItem[];
  readonly currency: string;
  /** Pickup: "asap" or an ISO instant (a slot start). A delivery leaves as soon as the kitchen is done. */
  readonly pickup: string;
  /** Picked up at the counter (the default, and sessions from before delivery) or delivered. */
  readonly fulfillment?: 'pickup' | 'delivery' | undefined;
  readonly buyer: Readonly<Record<string, unknown>> | undefined;
  readonly fulfillmentDetails: Readonly<Record<string, unknown>> | undefined;
  /** What the agent said it supports (ACP `capabilities` of the create request). */
  readonly agentCapabilities: Readonly<Record<string, unknown>>;
  readonly locale: string | undefined;
  readonly timezone: string | undefined;
  readonly metadata: Readonly<Record<string, unknown>> | undefined;
  readonly orderNotes: string | undefined;
  /** The discount codes last submitted (ACP `discounts.codes`, or the deprecated `coupons`); undefined: never. */
  readonly discountCodes?: readonly string[] | undefined;
  /**
   * The total the last create or update answered (or a complete that placed nothing because it had
   * changed): a complete charges it or places nothing. Undefined for sessions from before it was kept.
   */
  readonly quotedTotal?: number | undefined;
  /**
   * The codes refused when the session's order was placed, with why: that order's prices keep only the
   * codes that applied, and the session still answers for the others.
   */
  readonly placedRefusals?: readonly RefusedCode[] | undefined;
  /** Why the buyer walked away (ACP `intent_trace` of the cancel request). */
  readonly cancelTrace: Readonly<Record<string, unknown>> | undefined;
}

/** One line of a checkout: an item with its chosen options, and how many. */
export interface CheckoutItem {
  /** The reference the agent sent, echoed back as `item.id`. */
  readonly ref: string;
  readonly itemId: string;
  readonly optionIds: readonly string[];
  readonly quantity: number;
}

/** Where a session is: still being built, turned into an order, or abandoned. */
export type CheckoutState = 'open' | 'ordered' | 'canceled';

/** A stored checkout session. */
export interface CheckoutSessionRecord {
  readonly id: string;
  readonly apiKeyId: string;
  readonly state: CheckoutState;
  readonly draft: CheckoutDraft;
  readonly orderId: string | undefined;
  readonly createdAt: Date;
  readonly updatedAt: Date;
  readonly expiresAt: Date;
  readonly version: number;
}

/** `cheeseburger:no-onions,bacon` → the item id and its option ids; undefined when malformed. */
export function parseItemRef(ref: string): { itemId: string; optionIds: string[] } | undefined {
  const match = /^([A-Za-z0-9][\w.-]{0,63})(?::([\w.-]{1,64}(?:,[\w.-]{1,64}){0,31}))?$/.exec(ref);
  if (match === null || match[1] === undefined) return undefined;
  return { itemId: match[1], optionIds: match[2] === undefined ? [] : match[2].split(',') };
}

/** The reference of an item with options, options in the order given: the inverse of parseItemRef. */
export function itemRef(itemId: string, optionIds: readonly string[]): string {
  return optionIds.length === 0 ? itemId : `${itemId}:${optionIds.join(',')}`;
}
