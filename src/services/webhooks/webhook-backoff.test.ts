import { describe, expect, it } from 'vitest';
import { DEFAULT_BACKOFF, nextAttemptAt } from './webhook-backoff.js';

const policy = { baseMs: 1_000, maxDelayMs: 8_000, giveUpAfterMs: 60_000 };
const low = () => 0;
const high = () => 0.999_999;

describe('webhook backoff', () => {
  it('doubles the wait after each failure, between half and all of it', () => {
    const now = 10_000;
    const waits = [1, 2, 3, 4].map((attempts) => [
      (nextAttemptAt(policy, { attempts, createdAt: now }, now, low) ?? 0) - now,
      (nextAttemptAt(policy, { attempts, createdAt: now }, now, high) ?? 0) - now,
    ]);
    expect(waits).toEqual([
      [500, 1_000],
      [1_000, 2_000],
      [2_000, 4_000],
      [4_000, 8_000],
    ]);
  });

  it('never waits longer than the cap', () => {
    const next = nextAttemptAt(policy, { attempts: 40, createdAt: 0 }, 1_000, high);
    expect(next).toBe(1_000 + 8_000);
  });

  it('makes the last attempt at the deadline, then gives up', () => {
    expect(nextAttemptAt(policy, { attempts: 9, createdAt: 0 }, 55_000, high)).toBe(60_000);
    expect(nextAttemptAt(policy, { attempts: 10, createdAt: 0 }, 60_000, low)).toBeUndefined();
    expect(nextAttemptAt(policy, { attempts: 10, createdAt: 0 }, 90_000, low)).toBeUndefined();
  });

  it('keeps trying for a day by default, about forty times', () => {
    let now = 0;
    let attempts = 0;
    for (;;) {
      attempts += 1;
      const next = nextAttemptAt(DEFAULT_BACKOFF, { attempts, createdAt: 0 }, now, () => 0.5);
      if (next === undefined) break;
      expect(next).toBeGreaterThan(now);
      now = next;
    }
    expect(now).toBe(24 * 60 * 60 * 1000);
    expect(attempts).toBeGreaterThan(30);
    expect(attempts).toBeLessThan(50);
  });
});
