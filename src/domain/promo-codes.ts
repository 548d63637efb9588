import { formatMoney } from './money.js';
import { allocate, inScope, type OfferLine, percentOff } from './offer-lines.js';
import type { AppliedOffer, OfferContext, PromoCode, RefusalReason, RefusedCode } from './offer-types.js';

/** What the codes did to an order whose lines had `remaining` left after automatic offers and deals. */
export interface CodeOutcome {
  readonly applied: readonly AppliedOffer[];
  readonly refused: readonly RefusedCode[];
}

interface CodeState {
  readonly ctx: OfferContext;
  readonly currency: string;
  readonly lines: readonly OfferLine[];
  /** What is left of each line (by index); codes take from it in the order typed. */
  readonly remaining: number[];
  /** The item subtotal before any code: what `minimumSubtotal` is compared with. */
  readonly subtotal: number;
  readonly withMealDeal: boolean;
  readonly accepted: PromoCode[];
}

/** Codes match without regard to case or surrounding spaces ("summer10 " is SUMMER10). */
export function normalizeCode(code: string): string {
  return code.trim().toUpperCase();
}

function refuse(code: string, reason: RefusalReason, message: string): RefusedCode {
  return { code, reason, message };
}

/** When the code works and how often it may be used: nothing the order can change. */
function checkWhenAndUses(typed: string, promo: PromoCode, ctx: OfferContext): RefusedCode | undefined {
  if (promo.validFrom !== undefined && ctx.now < promo.validFrom) {
    return refuse(typed, 'not_started', `Code ${promo.code} works from ${promo.validFrom.toISOString()}.`);
  }
  if (promo.validUntil !== undefined && ctx.now >= promo.validUntil) {
    return refuse(typed, 'expired', `Code ${promo.code} expired at ${promo.validUntil.toISOString()}.`);
  }
  const used = ctx.usage.get(promo.id) ?? { total: 0, byCustomer: 0 };
  const { total, perCustomer } = promo.limits;
  if (total !== undefined && used.total >= total) {
    return refuse(typed, 'already_used', `Code ${promo.code} has been used up.`);
  }
  if (perCustomer !== undefined && used.byCustomer >= perCustomer) {
    return refuse(typed, 'already_used', `This customer has already used code ${promo.code}.`);
  }
  return undefined;
}

/**
 * The first rule a code breaks, those the customer cannot change first (validity, uses), then the
 * other offers on the order, then the minimum.
 */
function check(typed: string, promo: PromoCode, state: CodeState): RefusedCode | undefined {
  const money = (amount: number) => formatMoney(amount, state.currency, state.ctx.locale);
  const fixed = checkWhenAndUses(typed, promo, state.ctx);
  if (fixed !== undefined) return fixed;
  const alone = state.accepted.find((other) => !other.combinesWith.codes || !promo.combinesWith.codes);
  if (alone !== undefined) {
    return refuse(
      typed,
      'does_not_stack',
      `Code ${promo.code} cannot be combined with code ${alone.code}; keep one of them.`,
    );
  }
  if (state.withMealDeal && !promo.combinesWith.mealDeals) {
    return refuse(typed, 'does_not_stack', `Code ${promo.code} cannot be combined with a meal deal.`);
  }
  if (state.subtotal < promo.minimumSubtotal) {
    const short = money(promo.minimumSubtotal - state.subtotal);
    return refuse(
      typed,
      'minimum_not_met',
      `Code ${promo.code} needs items worth ${money(promo.minimumSubtotal)}; this order has ${money(state.subtotal)} (${short} more).`,
    );
  }
  return undefined;
}

/** Per line, what a code takes off what is left; an amount is spread over its lines in proportion. */
function codeDiscounts(promo: PromoCode, state: CodeState): { lineIndex: number; amount: number }[] {
  const eligible = state.lines.filter(
    (line) => inScope(promo.scope, line) && (state.remaining[line.index] ?? 0) > 0,
  );
  const left = eligible.map((line) => state.remaining[line.index] ?? 0);
  const value = promo.value;
  const amounts =
    value.kind === 'percent'
      ? left.map((amount) => percentOff(amount, value.percent))
      : allocate(
          Math.min(
            value.amount,
            left.reduce((a, b) => a + b, 0),
          ),
          left,
        );
  return eligible
    .map((line, k) => ({ lineIndex: line.index, amount: Math.min(amounts[k] ?? 0, left[k] ?? 0) }))
    .filter((d) => d.amount > 0);
}

function applyCode(typed: string, state: CodeState): AppliedOffer | RefusedCode {
  const promo = state.ctx.promoCodes.find((p) => normalizeCode(p.code) === normalizeCode(typed));
  if (promo === undefined) {
    return refuse(
      typed,
      'unknown',
      `There is no code "${typed}" at this shop; ask the customer to check it.`,
    );
  }
  const broken = check(typed, promo, state);
  if (broken !== undefined) return broken;
  const lines = codeDiscounts(promo, state);
  if (lines.length === 0) {
    return refuse(typed, 'not_applicable', `Code ${promo.code} applies to none of the items on this order.`);
  }
  for (const d of lines) state.remaining[d.lineIndex] = (state.remaining[d.lineIndex] ?? 0) - d.amount;
  state.accepted.push(promo);
  const amount = lines.reduce((sum, d) => sum + d.amount, 0);
  return { offerId: promo.id, kind: 'promo_code', name: promo.name, code: promo.code, amount, lines };
}

/**
 * Applies the typed codes in order; each one either takes its discount from what the lines have left
 * or is refused with a reason. The same code typed twice counts once.
 */
export function applyPromoCodes(
  ctx: OfferContext,
  input: {
    currency: string;
    lines: readonly OfferLine[];
    remaining: readonly number[];
    withMealDeal: boolean;
  },
): CodeOutcome {
  const state: CodeState = {
    ctx,
    currency: input.currency,
    lines: input.lines,
    remaining: [...input.remaining],
    subtotal: input.remaining.reduce((a, b) => a + b, 0),
    withMealDeal: input.withMealDeal,
    accepted: [],
  };
  const applied: AppliedOffer[] = [];
  const refused: RefusedCode[] = [];
  const seen = new Set<string>();
  for (const typed of ctx.codes) {
    if (seen.has(normalizeCode(typed))) continue;
    seen.add(normalizeCode(typed));
    const outcome = applyCode(typed, state);
    if ('reason' in outcome) refused.push(outcome);
    else applied.push(outcome);
  }
  return { applied, refused };
}
