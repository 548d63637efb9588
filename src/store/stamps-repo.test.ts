import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDirs } from '../../test/helpers/temp-dirs.js';
import { openStore } from './database.js';
import { createStampsRepo } from './stamps-repo.js';

const tempDir = tempDirs();

function repoWithStamps(count: number) {
  const store = openStore({ file: join(tempDir('counterpi-stamps-'), 'counterpi.db') });
  const repo = createStampsRepo({ store });
  for (let i = 1; i <= count; i += 1) repo.addStamp(`paid-${i}`, 'sub-ana', i);
  return { store, repo };
}

describe('the stamps repository', () => {
  it('keeps the owner’s card, and reads a broken reward back as an error rather than a guess', () => {
    const { store, repo } = repoWithStamps(0);
    expect(repo.card()).toBeUndefined();
    const card = {
      enabled: true,
      minimum: 1000,
      stamps: 3,
      reward: { kind: 'amount', amount: 500 },
    } as const;
    repo.saveCard(card, 1);
    repo.saveCard({ ...card, stamps: 4 }, 2);
    expect(repo.card()).toEqual({ ...card, stamps: 4 });
    store.db.prepare(`UPDATE stamp_card SET reward = '{"kind":"amount","amount":-1}'`).run();
    expect(() => repo.card()).toThrow();
  });

  it('spends the oldest stamps on one of two orders racing for one reward; the other gets none', () => {
    const { repo } = repoWithStamps(5);
    expect(repo.spend('reward-a', 'sub-ana', 3)).toBe(true);
    expect(repo.spend('reward-a', 'sub-ana', 3)).toBe(true); // again for the same order: still its own
    expect(repo.spend('reward-b', 'sub-ana', 3)).toBe(false);
    expect(repo.freeCount('sub-ana')).toBe(2);
    expect(repo.freeCount('sub-ben')).toBe(0);
    expect(repo.giveBack('reward-a')).toBe(3);
    expect(repo.freeCount('sub-ana')).toBe(5);
  });

  it('removes a refunded order’s stamp only while it is not spent', () => {
    const { repo } = repoWithStamps(3);
    repo.addStamp('paid-1', 'sub-ana', 9); // a second stamp for one order is ignored
    expect(repo.freeCount('sub-ana')).toBe(3);
    expect(repo.spend('reward', 'sub-ana', 2)).toBe(true); // paid-1 and paid-2, the oldest
    expect(repo.removeUnspent('paid-1')).toBe(0);
    expect(repo.removeUnspent('paid-3')).toBe(1);
    expect(repo.freeCount('sub-ana')).toBe(0);
  });
});
