import { AppError } from '../../domain/app-error.js';
import type { Clock } from '../../platform/clock.js';
import type { Ids } from '../../platform/ids.js';
import type { Store } from '../../store/database.js';
import type { VaultRepo, VaultToken } from '../../store/vault-repo.js';
import type { DelegateRequest } from './delegate-request.js';
import { brandOf, delegationViolations } from './delegation-checks.js';

/** The vault token handed back to the agent. */
export interface DelegatedToken {
  readonly id: string;
  readonly created: Date;
  readonly brand: string;
  readonly last4: string;
}

/** One spend of a token: by which API key, for which checkout session, how much. */
export interface VaultUse {
  readonly apiKeyId: string;
  readonly checkoutSessionId: string;
  /** Minor units of `currency`. */
  readonly amount: number;
  /** ISO 4217, any case. */
  readonly currency: string;
}

/** What a spend came to: a payment, or why not (the codes of ACP checkout `MessageError`). */
export type VaultConsumeResult =
  | { readonly ok: true; readonly paymentId: string; readonly brand: string; readonly last4: string }
  | {
      readonly ok: false;
      readonly code: 'payment_declined' | 'expired' | 'invalid';
      readonly message: string;
    };

/** The embedded demo PSP: card credentials in, single-use allowance-bound tokens out. */
export interface PaymentVault {
  /** The shop's merchant id: agents put it in `allowance.merchant_id`; checkout publishes it. */
  readonly merchantId: string;
  /** Checks a delegation and records its token; throws `invalid_input` with violations on bad input. */
  delegate(apiKeyId: string, request: DelegateRequest): DelegatedToken;
  /** Spends a token once, inside the caller's durable transaction (the checkout completion). */
  consume(token: string, use: VaultUse): VaultConsumeResult;
}

/** The merchant id of the shop at `publicUrl`: its host (`burgers.example.com`), stable while the URL is. */
export function merchantIdFromPublicUrl(publicUrl: string): string {
  return new URL(publicUrl).host.toLowerCase();
}

/** synchronous=FULL, as `PRAGMA synchronous` reports it. */
const SYNC_FULL = 2;

type Refusal = Extract<VaultConsumeResult, { ok: false }>;
const refuse = (code: Refusal['code'], message: string): Refusal => ({ ok: false, code, message });
const unknownToken = refuse(
  'invalid',
  'This payment token is unknown. Delegate the card again for this checkout.',
);
const usedToken = refuse(
  'invalid',
  'This payment token was used already; a token pays for one checkout only.',
);

/** Why a token may not pay for `use`, or undefined when it may. */
function refusal(
  token: VaultToken | undefined,
  use: VaultUse,
  merchantId: string,
  now: number,
): Refusal | undefined {
  // Another key's token is answered like an unknown one: its existence is not for this caller to learn.
  if (token === undefined || token.apiKeyId !== use.apiKeyId || token.merchantId !== merchantId) {
    return unknownToken;
  }
  if (token.state === 'consumed') return usedToken;
  // Delegate payment RFC §2.5: invalid at or after allowance.expires_at.
  if (now >= token.expiresAt) {
    return refuse('expired', 'This payment token has expired. Delegate the card again for this checkout.');
  }
  if (token.checkoutSessionId !== use.checkoutSessionId) {
    return refuse('invalid', 'This payment token was delegated for another checkout session.');
  }
  if (token.currency !== use.currency.toLowerCase()) {
    return refuse(
      'payment_declined',
      `This payment token allows ${token.currency.toUpperCase()}, not ${use.currency.toUpperCase()}.`,
    );
  }
  if (use.amount > token.maxAmount) {
    return refuse(
      'payment_declined',
      `The total (${use.amount}) is more than the token's allowance (${token.maxAmount}, minor units).`,
    );
  }
  return undefined;
}

/** Creates the vault. Tokens are bound to the API key that delegated them, and to one checkout session. */
export function createPaymentVault(deps: {
  repo: VaultRepo;
  store: Store;
  clock: Clock;
  ids: Ids;
  merchantId: string;
}): PaymentVault {
  const { repo, store, clock, ids, merchantId } = deps;
  return {
    merchantId,
    delegate(apiKeyId, request) {
      const now = clock.now();
      const problems = delegationViolations(request, merchantId, now);
      const [first] = problems;
      if (first !== undefined) throw new AppError('invalid_input', first.message, { violations: problems });
      const { card, allowance } = request;
      const numeric = /^[0-9]{12,19}$/.test(card.number);
      const token = {
        id: ids.next('vt'),
        apiKeyId,
        checkoutSessionId: allowance.checkoutSessionId,
        merchantId,
        maxAmount: allowance.maxAmount,
        currency: allowance.currency,
        expiresAt: allowance.expiresAt.getTime(),
        brand: brandOf(card) ?? 'unknown',
        last4: numeric ? card.number.slice(-4) : (card.displayLast4 ?? ''),
        expMonth: card.expMonth === undefined ? undefined : Number(card.expMonth),
        expYear: card.expYear === undefined ? undefined : Number(card.expYear),
        createdAt: now.getTime(),
      };
      repo.insert(token);
      return { id: token.id, created: now, brand: token.brand, last4: token.last4 };
    },
    consume(tokenId, use) {
      if (!store.inTransaction() || store.db.pragma('synchronous', { simple: true }) !== SYNC_FULL) {
        throw new AppError('internal', 'A vault token is spent only inside store.durableTransaction.');
      }
      if (!Number.isSafeInteger(use.amount) || use.amount < 0) {
        throw new AppError('internal', `A spend is a whole number of minor units, not ${use.amount}.`);
      }
      const token = repo.byId(tokenId);
      const now = clock.now().getTime();
      const refused = refusal(token, use, merchantId, now);
      if (refused !== undefined || token === undefined) return refused ?? unknownToken;
      const paymentId = ids.next('pay');
      if (
        !repo.consume(token.id, {
          at: now,
          checkoutSessionId: use.checkoutSessionId,
          amount: use.amount,
          paymentId,
        })
      ) {
        return usedToken;
      }
      return { ok: true, paymentId, brand: token.brand, last4: token.last4 };
    },
  };
}
