import type { Clock } from '../platform/clock.js';

/** How many attempts one key may make per window. */
export interface RateLimit {
  readonly limit: number;
  readonly windowMs: number;
}

/** Fixed-window attempt counters kept in memory. */
export interface RateLimiter {
  /** Counts one attempt by `key`; returns the seconds until it may try again when over the limit. */
  take(key: string): number | undefined;
}

/** Most keys one limiter remembers; beyond it the windows closest to their end are forgotten first. */
const MAX_RATE_LIMIT_KEYS = 5000;

/** A fixed-window limiter with bounded memory; time comes from `clock` so tests can move it. */
export function createRateLimiter(deps: {
  readonly clock: Clock;
  readonly rule: RateLimit;
  readonly maxKeys?: number;
}): RateLimiter {
  const { limit, windowMs } = deps.rule;
  const maxKeys = deps.maxKeys ?? MAX_RATE_LIMIT_KEYS;
  // Insertion order is window start order (a renewed window is re-inserted), so expired ones lead.
  const windows = new Map<string, { count: number; endsAt: number }>();

  return {
    take(key) {
      const now = deps.clock.now().getTime();
      let window = windows.get(key);
      if (window === undefined || window.endsAt <= now) {
        windows.delete(key);
        for (const [oldKey, old] of windows) {
          if (old.endsAt > now && windows.size < maxKeys) break;
          windows.delete(oldKey);
        }
        window = { count: 0, endsAt: now + windowMs };
        windows.set(key, window);
      }
      window.count += 1;
      return window.count > limit ? Math.ceil((window.endsAt - now) / 1000) : undefined;
    },
  };
}

const LOOPBACK = new Set(['127.0.0.1', '::1', '::ffff:127.0.0.1']);

/**
 * The address a request comes from. Behind the tunnel every socket peer is loopback, so only then
 * the tunnel's `CF-Connecting-IP`, else the last `X-Forwarded-For` entry, names the client. The last
 * entry, not the first: a proxy appends the address it saw, and whatever precedes it the client wrote.
 */
export function clientAddress(
  peer: string | undefined,
  header: (name: string) => string | undefined,
): string {
  if (peer === undefined || !LOOPBACK.has(peer)) return peer ?? 'unknown';
  const forwarded =
    header('cf-connecting-ip')?.trim() || header('x-forwarded-for')?.split(',').at(-1)?.trim();
  return forwarded || peer;
}
