import type { CheckoutItem } from './checkout.js';

/**
 * An ACP cart (rfc.cart.md): a basket an agent builds before checkout. It holds what the agent asked
 * for; the menu and the order rules price it (in the shop's currency) and check it each time it is
 * read, as estimates.
 */
export interface CartRecord {
  readonly id: string;
  readonly apiKeyId: string;
  /** The agent's item references in its order, merged, exactly as a checkout session keeps them. */
  readonly items: readonly CheckoutItem[];
  readonly buyer: Readonly<Record<string, unknown>> | undefined;
  readonly createdAt: Date;
  readonly updatedAt: Date;
  readonly expiresAt: Date;
}
