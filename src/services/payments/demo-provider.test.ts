import { describe, expect, it } from 'vitest';
import { delegateRequest, TEST_MERCHANT } from '../../../test/helpers/delegate-request.js';
import { createManualClock } from '../../platform/clock.js';
import { createSequentialIds } from '../../platform/ids.js';
import { createAcpKeysRepo } from '../../store/acp-keys-repo.js';
import { openStore } from '../../store/database.js';
import { createVaultRepo } from '../../store/vault-repo.js';
import { createAcpKeys } from '../checkout/acp-keys.js';
import { createDemoProvider } from './demo-provider.js';
import { type DelegatedCharge, type PaymentRequest, paymentKey, refundKey } from './payment-port.js';
import { createPaymentVault } from './payment-vault.js';

const MERCHANT = TEST_MERCHANT;
const USD = (amount: number) => ({ amount, currency: 'USD' });

function setup() {
  const store = openStore({ file: ':memory:' });
  const clock = createManualClock('2026-11-24T17:00:00Z');
  const ids = createSequentialIds();
  const keys = createAcpKeys({ repo: createAcpKeysRepo({ store }), clock, ids, signingRoot: 'test-root' });
  const agent = keys.create('Agent').key;
  const vaultTokens = createVaultRepo({ store });
  const vault = createPaymentVault({ repo: vaultTokens, store, clock, ids, merchantId: MERCHANT });
  const provider = createDemoProvider({ store, vault, vaultTokens });
  const token = vault.delegate(agent.id, delegateRequest({}, { riskSignals: [], metadata: {} }));
  const charge = (changes: Partial<DelegatedCharge> = {}): DelegatedCharge => ({
    orderId: 'ord_1',
    attempt: 1,
    amount: USD(1840),
    token: token.id,
    apiKeyId: agent.id,
    checkoutSessionId: 'cs_1',
    ...changes,
  });
  return { store, provider, vaultTokens, token, charge };
}

const request = (changes: Partial<PaymentRequest> = {}): PaymentRequest => ({
  orderId: 'ord_1',
  orderCode: 'K7M2',
  attempt: 1,
  amount: USD(1840),
  lines: [{ name: 'Cheeseburger', quantity: 2, unitAmount: 920 }],
  method: 'online',
  returnPath: '/c/abc',
  expiresAt: new Date('2026-11-24T17:10:00Z'),
  ...changes,
});

describe('demo provider', () => {
  it('pays at once, or marks pay at pickup, with ids derived from the attempt', async () => {
    const { provider } = setup();
    expect(provider.methods).toEqual(['online', 'pay_at_pickup']);
    const paid = await provider.start(request());
    expect(paid).toEqual({
      status: 'paid',
      reference: { provider: 'demo', key: paymentKey('ord_1', 1), id: 'demopay_ord_1_1' },
      amount: USD(1840),
    });
    expect(await provider.start(request())).toEqual(paid);
    expect(await provider.start(request({ method: 'pay_at_pickup', attempt: 2 }))).toEqual({
      status: 'pay_at_pickup',
      reference: { provider: 'demo', key: paymentKey('ord_1', 2), id: 'demopickup_ord_1_2' },
      amount: USD(1840),
    });
    await expect(provider.start(request({ attempt: 0 }))).rejects.toMatchObject({ code: 'internal' });
    await expect(provider.start(request({ amount: USD(18.4) }))).rejects.toMatchObject({ code: 'internal' });
  });

  it('spends a delegated token in the vault, durably, and a repeat after a crash finds the same payment', async () => {
    const { provider, vaultTokens, token, charge } = setup();
    const paid = await provider.charge(charge());
    expect(paid).toMatchObject({
      status: 'paid',
      reference: { provider: 'demo', key: paymentKey('ord_1', 1) },
    });
    const spent = vaultTokens.byId(token.id);
    expect(spent).toMatchObject({ state: 'consumed', consumedBy: 'cs_1', consumedAmount: 1840 });
    expect(paid.status === 'paid' && paid.reference.id).toBe(spent?.paymentId);

    expect(await provider.charge(charge())).toEqual(paid);
    expect(vaultTokens.byId(token.id)?.paymentId).toBe(spent?.paymentId);
  });

  it('declines what the vault refuses, and a spent token for another checkout or amount', async () => {
    const { provider, charge } = setup();
    expect(await provider.charge(charge({ amount: USD(2500) }))).toMatchObject({
      status: 'declined',
      code: 'payment_declined',
      reference: { id: undefined },
    });
    expect(await provider.charge(charge({ token: 'vt_nope' }))).toMatchObject({ code: 'invalid' });
    await provider.charge(charge());
    expect(await provider.charge(charge({ amount: USD(1000), attempt: 2 }))).toMatchObject({
      status: 'declined',
      code: 'invalid',
    });
  });

  it('never spends a token inside a caller’s transaction', async () => {
    const { store, provider, charge } = setup();
    await expect(store.transaction(() => provider.charge(charge()))).rejects.toMatchObject({
      code: 'internal',
    });
  });

  it('refunds a demo payment, and has nothing to refund for pay at pickup', async () => {
    const { provider } = setup();
    const payment = { provider: 'demo' as const, key: paymentKey('ord_1', 1), id: 'demopay_ord_1_1' };
    expect(await provider.refund({ orderId: 'ord_1', attempt: 1, payment, amount: USD(1840) })).toEqual({
      status: 'refunded',
      reference: { provider: 'demo', key: refundKey('ord_1', 1), id: 'demorefund_ord_1_1' },
      amount: USD(1840),
      settled: true,
    });
    const pickup = { ...payment, id: 'demopickup_ord_1_1' };
    expect(
      await provider.refund({ orderId: 'ord_1', attempt: 1, payment: pickup, amount: USD(1840) }),
    ).toMatchObject({ status: 'declined', code: 'invalid' });
    const stripe = { ...payment, provider: 'stripe' as const };
    await expect(
      provider.refund({ orderId: 'ord_1', attempt: 1, payment: stripe, amount: USD(1840) }),
    ).rejects.toMatchObject({ code: 'internal' });
  });
});
