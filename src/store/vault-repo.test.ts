import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDirs } from '../../test/helpers/temp-dirs.js';
import { pagesOf, walPages } from '../../test/helpers/wal-pages.js';
import { createManualClock } from '../platform/clock.js';
import { createSequentialIds } from '../platform/ids.js';
import { createAcpKeys } from '../services/checkout/acp-keys.js';
import { createAcpKeysRepo } from './acp-keys-repo.js';
import { openStore } from './database.js';
import { createVaultRepo, type NewVaultToken } from './vault-repo.js';

const tempDir = tempDirs();

function setup() {
  const store = openStore({ file: join(tempDir('counterpi-vault-'), 'counterpi.db') });
  const clock = createManualClock('2026-11-24T17:00:00Z');
  const keys = createAcpKeys({
    repo: createAcpKeysRepo({ store }),
    clock,
    ids: createSequentialIds(),
    signingRoot: 'r',
  });
  const apiKeyId = keys.create('Agent').key.id;
  const token = (id: string, session: string): NewVaultToken => ({
    id,
    apiKeyId,
    checkoutSessionId: session,
    merchantId: 'shop.example',
    maxAmount: 2000,
    currency: 'usd',
    expiresAt: clock.now().getTime() + 900_000,
    brand: 'visa',
    last4: '4242',
    expMonth: 12,
    expYear: 2030,
    createdAt: clock.now().getTime(),
  });
  return { store, repo: createVaultRepo({ store }), token };
}

describe('vault tokens', () => {
  it('indexes a payment id once the token is spent, never an unspent token', () => {
    const { store, repo, token } = setup();
    // A few spent tokens first, so the payment index has a page of its own to look for.
    for (const n of [1, 2, 3]) {
      repo.insert(token(`vt_${n}`, `cs_${n}`));
      repo.consume(`vt_${n}`, { at: n, checkoutSessionId: `cs_${n}`, amount: 1000, paymentId: `pay_${n}` });
    }
    const payments = pagesOf(store, 'vault_tokens_payment');
    expect(payments.size).toBeGreaterThan(0);
    const delegated = walPages(store, () => repo.insert(token('vt_4', 'cs_4')));
    expect(delegated.filter((page) => payments.has(page))).toEqual([]);
    const spent = walPages(store, () =>
      repo.consume('vt_4', { at: 4, checkoutSessionId: 'cs_4', amount: 1000, paymentId: 'pay_4' }),
    );
    expect(spent.filter((page) => payments.has(page))).toHaveLength(1);
    store.close();
  });

  it('refuses a second token spent under a payment id already recorded', () => {
    const { store, repo, token } = setup();
    repo.insert(token('vt_1', 'cs_1'));
    repo.insert(token('vt_2', 'cs_2'));
    expect(repo.consume('vt_1', { at: 1, checkoutSessionId: 'cs_1', amount: 1000, paymentId: 'pay_1' })).toBe(
      true,
    );
    expect(() =>
      repo.consume('vt_2', { at: 2, checkoutSessionId: 'cs_2', amount: 1000, paymentId: 'pay_1' }),
    ).toThrow(/UNIQUE/);
    expect(repo.byId('vt_2')?.state).toBe('active');
    store.close();
  });
});
