import { createRateLimiter, type RateLimit } from '../http/rate-limit.js';
import type { Clock } from '../platform/clock.js';

const MINUTE_MS = 60_000;
/** Most locked addresses remembered at once. */
const MAX_LOCKS = 5000;

/**
 * Wrong owner passwords allowed per window. Per address: the 5th wrong password in 15 minutes locks
 * that address out until the window ends. Per account: 20 wrong passwords from anywhere (a guesser
 * spread over many addresses) lock every address out; the shop's own network included, since the tunnel
 * hides whether a guess came from inside.
 */
export const LOGIN_LIMITS = {
  perAddress: { limit: 5, windowMs: 15 * MINUTE_MS },
  perAccount: { limit: 20, windowMs: 15 * MINUTE_MS },
} as const satisfies Record<string, RateLimit>;

/** Counts wrong owner passwords and says how long a locked-out sender must wait. */
export interface LoginGuard {
  /** Seconds until `address` may try again, when it (or the account) is locked; checked before any hash. */
  lockedFor(address: string): number | undefined;
  /** Counts a wrong password; returns the lock's seconds when this one locked the login. */
  failed(address: string): number | undefined;
}

/** Creates the guard; windows and locks live in memory (a restart forgets them, like the sign-in limits). */
export function createLoginGuard(deps: { readonly clock: Clock }): LoginGuard {
  const { clock } = deps;
  // The limiters answer once a count goes past their limit: one less makes the limit-th failure lock.
  const limiter = (rule: RateLimit) =>
    createRateLimiter({ clock, rule: { limit: rule.limit - 1, windowMs: rule.windowMs } });
  const perAddress = limiter(LOGIN_LIMITS.perAddress);
  const perAccount = limiter(LOGIN_LIMITS.perAccount);
  const locks = new Map<string, number>();
  // The account's own lock lives apart, so no flood of addresses can push it out of the map.
  let accountUntil = 0;

  const seconds = (until: number): number | undefined => {
    const ms = until - clock.now().getTime();
    return ms > 0 ? Math.ceil(ms / 1000) : undefined;
  };
  const remaining = (key: string): number | undefined => {
    const left = seconds(locks.get(key) ?? 0);
    if (left === undefined) locks.delete(key);
    return left;
  };
  const lock = (key: string, wait: number | undefined): number | undefined => {
    if (wait === undefined) return undefined;
    const now = clock.now().getTime();
    // Bounded like the limiters: past the cap, locks that ran out are forgotten, then the oldest.
    if (locks.size >= MAX_LOCKS) {
      for (const [old, until] of locks) if (until <= now || locks.size >= MAX_LOCKS) locks.delete(old);
    }
    locks.set(key, now + wait * 1000);
    return wait;
  };

  return {
    lockedFor(address) {
      return longest(remaining(address), seconds(accountUntil));
    },
    failed(address) {
      const own = lock(address, perAddress.take(address));
      const all = perAccount.take('account');
      if (all !== undefined) accountUntil = clock.now().getTime() + all * 1000;
      return longest(own, all);
    },
  };
}

function longest(a: number | undefined, b: number | undefined): number | undefined {
  if (a === undefined) return b;
  return b === undefined ? a : Math.max(a, b);
}
