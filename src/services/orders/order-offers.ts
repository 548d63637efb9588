import { AppError, type Violation } from '../../domain/app-error.js';
import type { DiscountedOrder, RefusedCode } from '../../domain/offer-types.js';
import { normalizeCode } from '../../domain/promo-codes.js';

/** The codes an order keeps after a change: "" removes them, a new code replaces them (one code per order). */
export function codesAfter(current: readonly string[] | undefined, typed: string | undefined): string[] {
  if (typed === undefined) return [...(current ?? [])];
  return typed.trim() === '' ? [] : [typed.trim()];
}

function refusalError(refused: RefusedCode, suffix: string): AppError {
  return new AppError('promo_code_refused', `${refused.message}${suffix}`, {
    violations: [{ code: 'promo_code_refused', message: refused.message, path: 'promo_code' }],
    details: { code: refused.code, reason: refused.reason },
  });
}

/**
 * A code the customer just typed must apply, or the change is refused as a whole (nothing changes) with
 * the domain's reason: the model tells the customer, or sends the rest again without the code.
 */
export function assertCodeApplies(typed: string | undefined, priced: DiscountedOrder): void {
  if (typed === undefined || typed.trim() === '') return;
  const refused = priced.refused.find((r) => normalizeCode(r.code) === normalizeCode(typed));
  if (refused !== undefined) throw refusalError(refused, ' Nothing was changed.');
}

/** A code kept on a cart that no longer applies (it expired, an item went …) blocks placing until removed. */
export function refusedProblems(priced: DiscountedOrder): Violation[] {
  return priced.refused.map((r) => ({
    code: 'promo_code_refused',
    message: r.message,
    path: 'promo_code',
    suggestion: `Tell the customer, then remove the code with promo_code "" (or fix what the message says).`,
  }));
}
