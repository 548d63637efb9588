import type { Violation } from '../../domain/app-error.js';
import { brandOfIin, brandOfName, cvcLength, isCardExpired, isLuhnValid } from '../../domain/card-number.js';
import type { DelegateCard, DelegateRequest } from './delegate-request.js';

// What makes a delegation acceptable beyond its shape (ACP delegate payment RFC §3, §7): a real card
// number, a card not expired, this shop as the merchant, an allowance still open, no "blocked" verdict.

/** A card expiring further out than this is a typo, not a card. */
const MAX_CARD_YEARS = 20;

function cardViolations(card: DelegateCard, now: Date): Violation[] {
  const at = (field: string, message: string): Violation => ({
    code: 'invalid_input',
    message,
    path: `payment_method.${field}`,
  });
  const numeric = /^[0-9]{12,19}$/.test(card.number);
  if (card.numberType === 'fpan' && !numeric) {
    return [at('number', 'A card number (fpan) is 12 to 19 digits, without spaces or dashes.')];
  }
  if (card.numberType === 'fpan' && !isLuhnValid(card.number)) {
    return [at('number', 'This card number is not valid: its check digit is wrong. Check it for typos.')];
  }
  const problems: Violation[] = [];
  const brand = brandOf(card);
  if (numeric && card.iin !== undefined && !card.number.startsWith(card.iin)) {
    problems.push(at('iin', 'iin must be the first digits of the card number.'));
  }
  if (numeric && card.displayLast4 !== undefined && card.displayLast4 !== card.number.slice(-4)) {
    problems.push(at('display_last4', 'display_last4 must be the last four digits of the card number.'));
  }
  if (!numeric && card.displayLast4 === undefined) {
    problems.push(at('display_last4', 'display_last4 is required when the number is not a card number.'));
  }
  const named = card.displayBrand === undefined ? undefined : brandOfName(card.displayBrand);
  if (numeric && named !== undefined && brand !== undefined && named !== brand) {
    problems.push(
      at('display_brand', `display_brand says ${named}, but the card number is a ${brand} card.`),
    );
  }
  const digits = cvcLength(brand);
  if (card.cvc !== undefined && digits !== undefined && card.cvc.length !== digits) {
    problems.push(at('cvc', `A ${brand} card's CVC has ${digits} digits.`));
  }
  problems.push(...expiryViolations(card, now, at));
  return problems;
}

function expiryViolations(
  card: DelegateCard,
  now: Date,
  at: (field: string, message: string) => Violation,
): Violation[] {
  const { expMonth, expYear } = card;
  if (expMonth === undefined || expYear === undefined) {
    if (expMonth === undefined && expYear === undefined && card.numberType === 'network_token') return [];
    const missing = expMonth === undefined ? 'exp_month' : 'exp_year';
    return [at(missing, 'A card needs its expiry: exp_month ("01"–"12") and exp_year (four digits).')];
  }
  const month = Number(expMonth);
  const year = Number(expYear);
  if (isCardExpired(month, year, now)) {
    const field = year < now.getUTCFullYear() ? 'exp_year' : 'exp_month';
    return [at(field, `This card expired at the end of ${expMonth}/${expYear}.`)];
  }
  if (year > now.getUTCFullYear() + MAX_CARD_YEARS) {
    return [at('exp_year', `exp_year ${expYear} is too far ahead for a card; check it for typos.`)];
  }
  return [];
}

/** The brand by the number's IIN, else the `iin` field's, else what `display_brand` names. */
export function brandOf(card: DelegateCard): ReturnType<typeof brandOfIin> {
  if (/^[0-9]{6,}$/.test(card.number)) return brandOfIin(card.number);
  if (card.iin !== undefined && /^[0-9]{6,8}$/.test(card.iin)) return brandOfIin(card.iin);
  return card.displayBrand === undefined ? undefined : brandOfName(card.displayBrand);
}

/** Every reason to refuse a delegation, with paths into the ACP request (`payment_method.number`). */
export function delegationViolations(request: DelegateRequest, merchantId: string, now: Date): Violation[] {
  const problems = cardViolations(request.card, now);
  const { allowance } = request;
  if (allowance.merchantId !== merchantId) {
    problems.push({
      code: 'invalid_input',
      message: `allowance.merchant_id must be this shop's merchant id, "${merchantId}" (see the checkout's payment handler config).`,
      path: 'allowance.merchant_id',
    });
  }
  if (allowance.expiresAt.getTime() <= now.getTime()) {
    problems.push({
      code: 'invalid_input',
      message: 'allowance.expires_at is in the past: a token must be usable for a while.',
      path: 'allowance.expires_at',
    });
  }
  // RiskSignal §3.6: `action` is the platform's verdict; `score` has no scale in the spec, so only a
  // verdict of "blocked" refuses the card (a high score with "authorized" is the platform's call).
  const blocked = request.riskSignals.findIndex((signal) => signal.action === 'blocked');
  if (blocked >= 0) {
    problems.push({
      code: 'invalid_input',
      message: 'The card was refused: a risk signal says "blocked".',
      path: `risk_signals.${blocked}.action`,
    });
  }
  for (const [key, value] of Object.entries(request.metadata)) {
    if (request.card.number.length >= 12 && value.includes(request.card.number)) {
      problems.push({
        code: 'invalid_input',
        message: 'metadata must not carry the card number.',
        path: `metadata.${key}`,
      });
    }
  }
  return problems;
}
