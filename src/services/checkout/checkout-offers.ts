import type { CheckoutDraft } from '../../domain/checkout.js';
import type { DiscountedOrder, OfferContext } from '../../domain/offer-types.js';
import { toE164 } from '../../domain/phone.js';
import { normalizeCode } from '../../domain/promo-codes.js';
import type { CodeCustomer, OfferService } from '../offers/offer-service.js';
import { contactOf } from './checkout-draft.js';
import type { OfferTerms } from './checkout-types.js';

/** The offers an ACP session or cart is priced with, as of now, and each one's terms by the id pricing names. */
export interface CheckoutOffers {
  /** Undefined when the shop runs without offers. */
  readonly context: OfferContext | undefined;
  readonly terms: ReadonlyMap<string, OfferTerms>;
}

/** The offers of a checkout: the shop's as of now, with the codes the agent submitted. */
export function checkoutOffers(
  offers: Pick<OfferService, 'contextFor'> | undefined,
  codes: readonly string[],
  customer: CodeCustomer,
): CheckoutOffers {
  const context = offers?.contextFor(codes, customer);
  return { context, terms: context === undefined ? new Map() : termsOf(context) };
}

/**
 * Who a session's codes are for: its order's customer (`acp:<session>`, see checkout-place.ts), with the
 * buyer's phone number as the order will carry it, since per-customer limits count by it.
 */
export function sessionCustomer(
  sessionId: string,
  draft: Pick<CheckoutDraft, 'buyer' | 'fulfillmentDetails'>,
): CodeCustomer {
  const phone = contactOf(draft).phone;
  return {
    subject: `acp:${sessionId}`,
    phone: phone === undefined ? undefined : toE164(phone, { plusOptional: true }),
  };
}

function termsOf(ctx: OfferContext): Map<string, OfferTerms> {
  const terms = new Map<string, OfferTerms>();
  for (const promo of ctx.promoCodes) terms.set(promo.id, promo.value);
  for (const offer of ctx.automatic) terms.set(offer.id, { kind: 'percent', percent: offer.percent });
  for (const deal of ctx.mealDeals) terms.set(deal.id, deal.price);
  return terms;
}

/**
 * The submitted codes that applied to the priced session, as the agent typed them: what its order is
 * placed with (a code refused now would only block the placing).
 */
export function appliedCodes(submitted: readonly string[], priced: DiscountedOrder): string[] {
  const applied = new Set(
    priced.applied.flatMap((a) => (a.code === undefined ? [] : [normalizeCode(a.code)])),
  );
  const seen = new Set<string>();
  return submitted.filter((code) => {
    const key = normalizeCode(code);
    if (!applied.has(key) || seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
