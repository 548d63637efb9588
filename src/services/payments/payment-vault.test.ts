import { describe, expect, it } from 'vitest';
import { delegateRequest, TEST_MERCHANT, TEST_SESSION } from '../../../test/helpers/delegate-request.js';
import { isAppError } from '../../domain/app-error.js';
import { brandOfIin, isLuhnValid } from '../../domain/card-number.js';
import { createManualClock } from '../../platform/clock.js';
import { createSequentialIds } from '../../platform/ids.js';
import { createAcpKeysRepo } from '../../store/acp-keys-repo.js';
import { openStore } from '../../store/database.js';
import { createVaultRepo } from '../../store/vault-repo.js';
import { createAcpKeys } from '../checkout/acp-keys.js';
import type { DelegateCard, DelegateRequest } from './delegate-request.js';
import { createPaymentVault, merchantIdFromPublicUrl, type VaultUse } from './payment-vault.js';

const MERCHANT = TEST_MERCHANT;
const SESSION = TEST_SESSION;
const request = delegateRequest;

function setup() {
  const store = openStore({ file: ':memory:' });
  const clock = createManualClock('2026-11-24T17:00:00Z');
  const ids = createSequentialIds();
  const keys = createAcpKeys({ repo: createAcpKeysRepo({ store }), clock, ids, signingRoot: 'test-root' });
  const agent = keys.create('Agent').key;
  const other = keys.create('Other agent').key;
  const repo = createVaultRepo({ store });
  const vault = createPaymentVault({ repo, store, clock, ids, merchantId: MERCHANT });
  const use = (changes: Partial<VaultUse> = {}): VaultUse => ({
    apiKeyId: agent.id,
    checkoutSessionId: SESSION,
    amount: 1840,
    currency: 'USD',
    ...changes,
  });
  /** Spends a token the way checkout completion does: inside a durable transaction. */
  const consume = (token: string, changes: Partial<VaultUse> = {}) =>
    store.durableTransaction(() => vault.consume(token, use(changes)));
  return { store, clock, agent, other, repo, vault, consume };
}

/** The violation paths a delegation is refused with; [] when it is accepted. */
function refusal(run: () => unknown): string[] {
  try {
    run();
  } catch (error) {
    if (isAppError(error, 'invalid_input')) return error.violations.map((v) => v.path ?? '');
    throw error;
  }
  return [];
}

describe('card numbers', () => {
  it('checks the Luhn digit and tells brands apart by IIN', () => {
    expect(isLuhnValid('4242424242424242')).toBe(true);
    expect(isLuhnValid('4242424242424241')).toBe(false);
    expect(isLuhnValid('79927398713')).toBe(false); // valid Luhn, but 11 digits is no card
    expect(isLuhnValid('4242 4242 4242 4242')).toBe(false);
    const brands = [
      ['4242424242424242', 'visa'],
      ['5555555555554444', 'mastercard'],
      ['2223003122003222', 'mastercard'],
      ['378282246310005', 'amex'],
      ['6011111111111117', 'discover'],
      ['3566002020360505', 'jcb'],
      ['36227206271667', 'diners'],
      ['6200000000000005', 'unionpay'],
      ['9999999999999995', undefined],
    ] as const;
    for (const [number, brand] of brands) {
      expect(isLuhnValid(number), number).toBe(true);
      expect(brandOfIin(number), number).toBe(brand);
    }
  });
});

describe('payment vault: delegate', () => {
  it('issues a vt_ token and records brand, last4, expiry and allowance, never the number or CVC', () => {
    const { vault, agent, repo, store } = setup();
    const token = vault.delegate(agent.id, request());
    expect(token).toMatchObject({ id: 'vt_3', brand: 'visa', last4: '4242' });
    expect(token.created.toISOString()).toBe('2026-11-24T17:00:00.000Z');
    expect(repo.byId(token.id)).toMatchObject({
      apiKeyId: agent.id,
      checkoutSessionId: SESSION,
      merchantId: MERCHANT,
      maxAmount: 2000,
      currency: 'usd',
      expiresAt: Date.parse('2026-11-24T18:00:00Z'),
      expMonth: 12,
      expYear: 2028,
      state: 'active',
      consumedAt: undefined,
    });
    const row = JSON.stringify(store.db.prepare('SELECT * FROM vault_tokens').all());
    expect(row).not.toContain('4242424242424242');
    expect(row).not.toContain('424242');
    expect(row).not.toContain('"123"');
  });

  it('refuses a number that fails the Luhn check or is not digits', () => {
    const { vault, agent } = setup();
    expect(refusal(() => vault.delegate(agent.id, request({ number: '4242424242424241' })))).toEqual([
      'payment_method.number',
    ]);
    expect(refusal(() => vault.delegate(agent.id, request({ number: '4242-4242-4242-4242' })))).toEqual([
      'payment_method.number',
    ]);
  });

  it('refuses an expired card and accepts one in its last valid month', () => {
    const { vault, agent } = setup();
    const expiry = (expMonth: string, expYear: string) =>
      refusal(() => vault.delegate(agent.id, request({ expMonth, expYear })));
    expect(expiry('10', '2026')).toEqual(['payment_method.exp_month']);
    expect(expiry('12', '2025')).toEqual(['payment_method.exp_year']);
    expect(expiry('11', '2026')).toEqual([]);
    expect(expiry('01', '2099')).toEqual(['payment_method.exp_year']);
    expect(refusal(() => vault.delegate(agent.id, request({ expMonth: undefined })))).toEqual([
      'payment_method.exp_month',
    ]);
  });

  it('checks the display fields and the CVC length against the number', () => {
    const { vault, agent } = setup();
    const paths = (card: Partial<DelegateCard>) => refusal(() => vault.delegate(agent.id, request(card)));
    expect(paths({ displayLast4: '1111' })).toEqual(['payment_method.display_last4']);
    expect(paths({ iin: '555555' })).toEqual(['payment_method.iin']);
    expect(paths({ displayBrand: 'Mastercard' })).toEqual(['payment_method.display_brand']);
    expect(paths({ cvc: '1234' })).toEqual(['payment_method.cvc']);
    expect(paths({ displayBrand: 'VISA', iin: undefined, displayLast4: undefined })).toEqual([]);
    const amex = {
      number: '378282246310005',
      iin: '378282',
      displayBrand: 'American Express',
      displayLast4: '0005',
    };
    expect(paths({ ...amex, cvc: '1234' })).toEqual([]);
    expect(paths({ ...amex, cvc: '123' })).toEqual(['payment_method.cvc']);
  });

  it('takes a network token that is not a number, with last4 and brand from the display fields', () => {
    const { vault, agent } = setup();
    const card = {
      numberType: 'network_token',
      number: 'tok_visa_abc123',
      expMonth: undefined,
      expYear: undefined,
      cvc: undefined,
      iin: undefined,
    } as const;
    expect(vault.delegate(agent.id, request(card))).toMatchObject({ brand: 'visa', last4: '4242' });
    expect(refusal(() => vault.delegate(agent.id, request({ ...card, displayLast4: undefined })))).toEqual([
      'payment_method.display_last4',
    ]);
  });

  it('refuses an allowance for another merchant or one already expired', () => {
    const { vault, agent } = setup();
    const allowance = request().allowance;
    const paths = (changes: Partial<DelegateRequest['allowance']>) =>
      refusal(() => vault.delegate(agent.id, request({}, { allowance: { ...allowance, ...changes } })));
    expect(paths({ merchantId: 'acme_store' })).toEqual(['allowance.merchant_id']);
    expect(paths({ expiresAt: new Date('2026-11-24T17:00:00Z') })).toEqual(['allowance.expires_at']);
    expect(paths({ expiresAt: new Date('2025-10-09T07:20:50.52Z') })).toEqual(['allowance.expires_at']);
  });

  it('refuses a card a risk signal blocks; a score alone does not', () => {
    const { vault, agent } = setup();
    const signals = (riskSignals: DelegateRequest['riskSignals']) =>
      refusal(() => vault.delegate(agent.id, request({}, { riskSignals })));
    expect(
      signals([
        { type: 'card_testing', score: 1, action: 'authorized' },
        { type: 'card_testing', score: 80, action: 'blocked' },
      ]),
    ).toEqual(['risk_signals.1.action']);
    expect(signals([{ type: 'card_testing', score: 95, action: 'authorized' }])).toEqual([]);
    expect(signals([{ type: 'card_testing', score: 10, action: 'manual_review' }])).toEqual([]);
  });

  it('refuses metadata that carries the card number', () => {
    const { vault, agent } = setup();
    const metadata = { note: 'card 4242424242424242' };
    expect(refusal(() => vault.delegate(agent.id, request({}, { metadata })))).toEqual(['metadata.note']);
  });
});

describe('payment vault: consume', () => {
  it('spends a token once: the second spend is refused', () => {
    const { vault, agent, consume, repo, clock } = setup();
    const { id } = vault.delegate(agent.id, request());
    clock.advance(60_000);
    expect(consume(id)).toEqual({ ok: true, paymentId: 'pay_4', brand: 'visa', last4: '4242' });
    expect(repo.byId(id)).toMatchObject({
      state: 'consumed',
      consumedAt: Date.parse('2026-11-24T17:01:00Z'),
      consumedBy: SESSION,
      consumedAmount: 1840,
      paymentId: 'pay_4',
    });
    expect(consume(id)).toMatchObject({ ok: false, code: 'invalid' });
  });

  it('lets only one of two spends racing past the checks change the row', () => {
    const { vault, agent, repo, store } = setup();
    const { id } = vault.delegate(agent.id, request());
    const spend = (paymentId: string) =>
      store.durableTransaction(() =>
        repo.consume(id, { at: 1, checkoutSessionId: SESSION, amount: 1, paymentId }),
      );
    expect(spend('pay_a')).toBe(true);
    expect(spend('pay_b')).toBe(false);
    expect(repo.byId(id)?.paymentId).toBe('pay_a');
  });

  it('refuses another session, a larger amount, another currency, another key, an unknown token', () => {
    const { vault, agent, other, consume, repo } = setup();
    const { id } = vault.delegate(agent.id, request());
    expect(consume(id, { checkoutSessionId: 'cs_other' })).toMatchObject({ ok: false, code: 'invalid' });
    expect(consume(id, { amount: 2001 })).toMatchObject({ ok: false, code: 'payment_declined' });
    expect(consume(id, { currency: 'eur' })).toMatchObject({ ok: false, code: 'payment_declined' });
    expect(consume(id, { apiKeyId: other.id })).toMatchObject({ ok: false, code: 'invalid' });
    expect(consume('vt_unknown')).toMatchObject({ ok: false, code: 'invalid' });
    // Refusals change nothing: the token still pays for its own session, up to its allowance exactly.
    expect(repo.byId(id)?.state).toBe('active');
    expect(consume(id, { amount: 2000, currency: 'usd' })).toMatchObject({ ok: true });
  });

  it('refuses a token at and after allowance.expires_at', () => {
    const { vault, agent, consume, clock } = setup();
    const { id } = vault.delegate(agent.id, request());
    clock.set('2026-11-24T17:59:59.999Z');
    const early = vault.delegate(agent.id, request());
    clock.set('2026-11-24T18:00:00Z');
    expect(consume(id)).toMatchObject({ ok: false, code: 'expired' });
    expect(consume(early.id)).toMatchObject({ ok: false, code: 'expired' });
  });

  it('spends only inside a durable transaction', () => {
    const { vault, agent, store, repo } = setup();
    const { id } = vault.delegate(agent.id, request());
    const spend = { apiKeyId: agent.id, checkoutSessionId: SESSION, amount: 100, currency: 'usd' };
    const code = (run: () => unknown) => {
      try {
        run();
        return 'no error';
      } catch (error) {
        return isAppError(error) ? error.code : 'other';
      }
    };
    expect(code(() => vault.consume(id, spend))).toBe('internal');
    expect(code(() => store.transaction(() => vault.consume(id, spend)))).toBe('internal');
    expect(code(() => store.durableTransaction(() => vault.consume(id, { ...spend, amount: 1.5 })))).toBe(
      'internal',
    );
    expect(repo.byId(id)?.state).toBe('active');
  });

  it('undoes the spend when the caller’s transaction fails after it', () => {
    const { vault, agent, store, repo } = setup();
    const { id } = vault.delegate(agent.id, request());
    expect(() =>
      store.durableTransaction(() => {
        vault.consume(id, { apiKeyId: agent.id, checkoutSessionId: SESSION, amount: 100, currency: 'usd' });
        throw new Error('order could not be placed');
      }),
    ).toThrow('order could not be placed');
    expect(repo.byId(id)?.state).toBe('active');
  });
});

describe('merchant id', () => {
  it('is the public URL host', () => {
    expect(merchantIdFromPublicUrl('https://Burgers.Example.com/')).toBe('burgers.example.com');
    expect(merchantIdFromPublicUrl('http://localhost:8080')).toBe('localhost:8080');
  });
});
