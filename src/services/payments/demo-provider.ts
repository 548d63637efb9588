import { AppError } from '../../domain/app-error.js';
import type { Money } from '../../domain/money.js';
import type { Store } from '../../store/database.js';
import type { VaultRepo } from '../../store/vault-repo.js';
import {
  type ChargeOutcome,
  type DelegatedCharge,
  type PaymentProvider,
  type PaymentReference,
  paymentKey,
  refundKey,
} from './payment-port.js';
import type { PaymentVault, VaultConsumeResult } from './payment-vault.js';

export interface DemoProviderDeps {
  readonly store: Store;
  /** The embedded vault: the demo provider's card path for delegated ACP tokens. */
  readonly vault: Pick<PaymentVault, 'consume'>;
  /** Reads spent tokens back, so a charge repeated after a crash finds its payment. */
  readonly vaultTokens: Pick<VaultRepo, 'byId'>;
}

/** Prefix of the ids of pay-at-pickup "payments", which took no money and have nothing to refund. */
const PICKUP_PREFIX = 'demopickup_';

/** The demo provider's ids are derived from the attempt key, so a repeated call answers the same ids. */
function demoId(prefix: string, orderId: string, attempt: number): string {
  return `${prefix}${orderId}_${attempt}`;
}

function checkedAmount(amount: Money): void {
  if (!Number.isSafeInteger(amount.amount) || amount.amount < 0) {
    throw new AppError('internal', `A payment is a whole number of minor units, not ${amount.amount}.`);
  }
}

/**
 * The embedded provider, no network: approving pays at once (simulated), "pay at pickup" moves no
 * money, and delegated ACP tokens are spent in the vault.
 */
export function createDemoProvider(deps: DemoProviderDeps): PaymentProvider {
  const { store, vault, vaultTokens } = deps;

  /** The vault spend of a charge, or the earlier spend of the same token on the same checkout. */
  function spend(request: DelegatedCharge): VaultConsumeResult {
    const use = {
      apiKeyId: request.apiKeyId,
      checkoutSessionId: request.checkoutSessionId,
      amount: request.amount.amount,
      currency: request.amount.currency,
    };
    return store.durableTransaction(() => {
      const earlier = vaultTokens.byId(request.token);
      if (
        earlier?.state === 'consumed' &&
        earlier.paymentId !== undefined &&
        earlier.apiKeyId === use.apiKeyId &&
        earlier.consumedBy === use.checkoutSessionId &&
        earlier.consumedAmount === use.amount
      ) {
        return { ok: true, paymentId: earlier.paymentId, brand: earlier.brand, last4: earlier.last4 };
      }
      return vault.consume(request.token, use);
    });
  }

  return {
    name: 'demo',
    methods: ['online', 'pay_at_pickup'],
    async start(request) {
      checkedAmount(request.amount);
      const key = paymentKey(request.orderId, request.attempt);
      if (request.method === 'pay_at_pickup') {
        const id = demoId(PICKUP_PREFIX, request.orderId, request.attempt);
        return { status: 'pay_at_pickup', reference: { provider: 'demo', key, id }, amount: request.amount };
      }
      const id = demoId('demopay_', request.orderId, request.attempt);
      return { status: 'paid', reference: { provider: 'demo', key, id }, amount: request.amount };
    },
    async charge(request): Promise<ChargeOutcome> {
      checkedAmount(request.amount);
      const key = paymentKey(request.orderId, request.attempt);
      const spent = spend(request);
      if (!spent.ok) {
        return {
          status: 'declined',
          reference: { provider: 'demo', key, id: undefined },
          code: spent.code,
          message: spent.message,
        };
      }
      return {
        status: 'paid',
        reference: { provider: 'demo', key, id: spent.paymentId },
        amount: request.amount,
      };
    },
    async refund(request) {
      checkedAmount(request.amount);
      const reference: PaymentReference = {
        provider: 'demo',
        key: refundKey(request.orderId, request.attempt),
        id: demoId('demorefund_', request.orderId, request.attempt),
      };
      if (request.payment.provider !== 'demo' || request.payment.id === undefined) {
        throw new AppError(
          'internal',
          `The demo provider cannot refund a ${request.payment.provider} payment.`,
        );
      }
      if (request.payment.id.startsWith(PICKUP_PREFIX)) {
        return {
          status: 'declined',
          reference: { ...reference, id: undefined },
          code: 'invalid',
          message: 'This order was to be paid at pickup; no money was taken, so there is nothing to refund.',
        };
      }
      return { status: 'refunded', reference, amount: request.amount, settled: true };
    },
  };
}
