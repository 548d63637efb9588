import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { describe, expect, it, vi } from 'vitest';
import { tempDirs } from '../../test/helpers/temp-dirs.js';
import { openStore, type Store } from './database.js';
import { createOffersRepo } from './offers-repo.js';

const tempDir = tempDirs();

const CLAIMER = fileURLToPath(new URL('../../test/helpers/claim-process.ts', import.meta.url));

function shopWithCode(): { store: Store; file: string } {
  const file = join(tempDir('counterpi-offers-'), 'counterpi.db');
  const store = openStore({ file });
  const repo = createOffersRepo({ store });
  repo.insert(
    {
      kind: 'promo_code',
      offer: {
        id: 'flyer',
        name: 'Flyer',
        value: { kind: 'amount', amount: 300 },
        scope: { kind: 'order' },
        minimumSubtotal: 0,
        limits: {},
        combinesWith: { codes: false, mealDeals: false },
      },
    },
    0,
  );
  repo.addCodes('flyer', [{ id: 'c1', code: 'Fly-7Q2K' }], 0, 'batch-1');
  return { store, file };
}

/** A process of its own holding code c1 for `orderId`: resolves when it is ready, then on `go` with its outcome. */
function claimer(file: string, orderId: string) {
  const child = spawn(process.execPath, ['--import', 'tsx', CLAIMER, file, 'c1', orderId, `sub-${orderId}`], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const lines = createInterface({ input: child.stdout });
  const next = () => new Promise<string>((resolve) => lines.once('line', resolve));
  const ready = next();
  return {
    ready,
    go: () => {
      const outcome = next().then((line) => (JSON.parse(line) as { outcome: string }).outcome);
      child.stdin.write('go\n');
      return outcome;
    },
  };
}

describe('the offers repository', () => {
  it('keeps the active offers parsed until they change: its own writes at once, another connection’s soon after', async () => {
    const { store, file } = shopWithCode();
    const repo = createOffersRepo({ store });
    const first = repo.active();
    expect(first.map((o) => o.offer.id)).toEqual(['flyer']);
    expect(repo.active()).toBe(first);
    expect(repo.setPaused('flyer', true)).toBe(true);
    expect(repo.active()).toEqual([]);
    expect(repo.setPaused('flyer', false)).toBe(true);
    const renamed = repo.active()[0];
    if (renamed === undefined) throw new Error('no offer');
    expect(
      repo.update({ ...renamed, offer: { ...renamed.offer, name: 'Flyer deal' } } as typeof renamed),
    ).toBe(true);
    expect(repo.active()[0]?.offer.name).toBe('Flyer deal');
    repo.setPaused('flyer', true);
    const other = openStore({ file });
    createOffersRepo({ store: other }).setPaused('flyer', false);
    other.close();
    await vi.waitFor(() => expect(repo.active().map((o) => o.offer.id)).toEqual(['flyer']), {
      timeout: 2000,
      interval: 50,
    });
    store.close();
  });

  it('finds codes without regard to case and lists a batch in the order it was made', () => {
    const { store } = shopWithCode();
    const repo = createOffersRepo({ store });
    expect(repo.codesByKeys(['FLY-7Q2K']).map((c) => c.code)).toEqual(['Fly-7Q2K']);
    expect(repo.batchCodes('batch-1')).toEqual([
      { id: 'c1', offerId: 'flyer', code: 'Fly-7Q2K', singleUse: true },
    ]);
    expect(repo.active().map((o) => o.offer.id)).toEqual(['flyer']);
    store.close();
  });

  it('holds, settles and lets go of uses, counting holds toward the limits', () => {
    const { store } = shopWithCode();
    const repo = createOffersRepo({ store });
    const use = { codeId: 'c1', orderId: 'o1', subject: 'sam', atMs: 1 };
    expect(repo.claim(use, { total: 1 })).toBe('held');
    expect(repo.claim(use, { total: 1 })).toBe('held');
    expect(repo.claim({ ...use, orderId: 'o2', subject: 'kim' }, { total: 1 })).toBe('used_up');
    expect(repo.claim({ ...use, orderId: 'o2' }, { perCustomer: 1 })).toBe('customer_used');
    expect(repo.release('o1')).toBe(1);
    expect(repo.claim({ ...use, orderId: 'o2', subject: 'kim' }, { total: 1 })).toBe('held');
    expect(repo.settle('o2')).toBe(1);
    expect(repo.release('o2')).toBe(0);
    expect(repo.usage(['c1'], 'kim').get('c1')).toEqual({ total: 1, byCustomer: 1 });
    store.close();
  });

  it('gives the last use to exactly one of two processes claiming it at the same moment', async () => {
    const { store, file } = shopWithCode();
    const a = claimer(file, 'order-a');
    const b = claimer(file, 'order-b');
    await Promise.all([a.ready, b.ready]);
    const outcomes = await Promise.all([a.go(), b.go()]);
    expect(outcomes.sort()).toEqual(['held', 'used_up']);
    expect(store.db.prepare("SELECT COUNT(*) FROM offer_code_uses WHERE code_id = 'c1'").pluck().get()).toBe(
      1,
    );
    store.close();
  }, 20_000);
});
