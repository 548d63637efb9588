import { z } from 'zod';
import type { DelegateRequest } from '../services/payments/delegate-request.js';
import { type AcpErrorResponse, acpError } from './acp-error.js';

// The delegate payment request after schema.delegate_payment.json (every object closed, as there), with
// the formats its descriptions and RFC §3/§7 state. Meaning (Luhn, expiry, merchant) is the vault's.
const text = (max: number) => z.string().max(max);
const digits = (min: number, max: number) =>
  z
    .string()
    .regex(new RegExp(`^[0-9]{${min},${max}}$`), `must be ${min === max ? min : `${min} to ${max}`} digits`);

/** Keys and values of a metadata map, bounded so an echo cannot grow without end. */
const metadata = z
  .record(text(40).min(1), text(500))
  .refine((map) => Object.keys(map).length <= 50, 'holds at most 50 keys');

const paymentMethod = z.strictObject({
  type: z.literal('card'),
  card_number_type: z.enum(['fpan', 'network_token']),
  number: z
    .string()
    .min(1)
    .max(64)
    .regex(/^[\x21-\x7e]+$/, 'must be printable ASCII without spaces'),
  exp_month: z
    .string()
    .regex(/^(0[1-9]|1[0-2])$/, 'must be two digits, "01" to "12"')
    .optional(),
  exp_year: digits(4, 4).optional(),
  name: text(256).optional(),
  cvc: digits(3, 4).optional(),
  cryptogram: text(256).optional(),
  eci_value: text(2).optional(),
  checks_performed: z
    .array(z.enum(['avs', 'cvv', 'ani', 'auth0']))
    .max(4)
    .optional(),
  iin: digits(6, 8).optional(),
  display_card_funding_type: z.enum(['credit', 'debit', 'prepaid']),
  display_wallet_type: text(64).optional(),
  display_brand: text(64).optional(),
  display_last4: digits(4, 4).optional(),
  metadata,
  virtual: z.boolean().optional(),
});

const allowance = z.strictObject({
  reason: z.literal('one_time'),
  max_amount: z.number().int().positive().max(Number.MAX_SAFE_INTEGER),
  currency: z.string().regex(/^[a-z]{3}$/, 'must be a lowercase ISO 4217 code such as "usd"'),
  checkout_session_id: z
    .string()
    .min(1)
    .max(256)
    .regex(/^[\x21-\x7e]+$/, 'must be printable ASCII'),
  merchant_id: text(256).min(1),
  expires_at: z.iso.datetime({ offset: true, error: 'must be an RFC 3339 date-time' }),
});

const address = z.strictObject({
  name: text(256),
  line_one: text(60),
  line_two: text(60).optional(),
  city: text(60),
  state: text(60),
  country: z.string().regex(/^[A-Za-z]{2}$/, 'must be an ISO 3166-1 alpha-2 code'),
  postal_code: text(20),
});

const riskSignal = z.strictObject({
  type: z.literal('card_testing'),
  score: z.number().int(),
  action: z.enum(['blocked', 'manual_review', 'authorized']),
});

/** `DelegatePaymentRequest`; RFC §3.6 asks for one or more risk signals. */
export const delegatePaymentRequestSchema = z.strictObject({
  payment_method: paymentMethod,
  allowance,
  billing_address: address.optional(),
  risk_signals: z.array(riskSignal).min(1).max(20),
  metadata,
});

function pathOf(segments: readonly PropertyKey[]): string {
  return `$${segments
    .map((s) =>
      typeof s === 'number'
        ? `[${s}]`
        : /^[A-Za-z_][A-Za-z0-9_]*$/.test(String(s))
          ? `.${String(s)}`
          : `['${String(s).replaceAll("'", "\\'")}']`,
    )
    .join('')}`;
}

/** A 400 `invalid_card` naming the offending field: the one code the delegate payment Error allows for it. */
export function invalidRequest(message: string, param: string): AcpErrorResponse {
  return acpError(400, 'invalid_card', message, { param });
}

/**
 * The body as the vault's request, or the 400 naming its first problem. Messages never quote the
 * values sent: a card number must not come back in an answer that is stored for replays.
 */
export function parseDelegateRequest(
  body: unknown,
): { ok: true; value: DelegateRequest } | { ok: false; error: AcpErrorResponse } {
  const parsed = delegatePaymentRequestSchema.safeParse(body);
  if (!parsed.success) {
    const issue = parsed.error.issues.find((i) => i.code !== 'unrecognized_keys') ?? parsed.error.issues[0];
    if (issue === undefined)
      return { ok: false, error: invalidRequest('The request body is not valid.', '$') };
    const unknownKey = issue.code === 'unrecognized_keys' ? issue.keys[0] : undefined;
    const param = pathOf(unknownKey === undefined ? issue.path : [...issue.path, unknownKey]);
    const missing = issue.code === 'invalid_type' && issue.input === undefined;
    const message =
      unknownKey !== undefined
        ? `${param} is not a field of a delegate payment request.`
        : missing
          ? `${param} is required.`
          : `${param} ${issue.message}`;
    return { ok: false, error: invalidRequest(message, param) };
  }
  const { payment_method: card, allowance: limits, risk_signals, metadata: meta } = parsed.data;
  return {
    ok: true,
    value: {
      card: {
        numberType: card.card_number_type,
        number: card.number,
        expMonth: card.exp_month,
        expYear: card.exp_year,
        cvc: card.cvc,
        iin: card.iin,
        displayBrand: card.display_brand,
        displayLast4: card.display_last4,
      },
      allowance: {
        maxAmount: limits.max_amount,
        currency: limits.currency,
        checkoutSessionId: limits.checkout_session_id,
        merchantId: limits.merchant_id,
        expiresAt: new Date(limits.expires_at),
      },
      riskSignals: risk_signals,
      metadata: meta,
    },
  };
}
