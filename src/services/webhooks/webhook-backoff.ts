/** How long failed webhook deliveries wait before the next attempt, and when they are given up. */
export interface BackoffPolicy {
  /** Wait after the first failure; it doubles with every further one. */
  readonly baseMs: number;
  /** Longest wait between two attempts. */
  readonly maxDelayMs: number;
  /** Age of a delivery after which it is given up (`failed`). */
  readonly giveUpAfterMs: number;
}

/** 5 s, 10 s, 20 s … at most an hour apart (jitter makes it 30–60 min), for a day: about 40 attempts. */
export const DEFAULT_BACKOFF: BackoffPolicy = {
  baseMs: 5_000,
  maxDelayMs: 60 * 60 * 1000,
  giveUpAfterMs: 24 * 60 * 60 * 1000,
};

/**
 * When to try a delivery again after its `attempts`-th failure, or undefined to give it up.
 * The wait is exponential with "equal jitter" (half fixed, half random), so receivers coming back
 * from an outage are not hit by every shop at the same instant; the last attempt lands on the cap.
 */
export function nextAttemptAt(
  policy: BackoffPolicy,
  delivery: { readonly attempts: number; readonly createdAt: number },
  nowMs: number,
  random: () => number = Math.random,
): number | undefined {
  const deadline = delivery.createdAt + policy.giveUpAfterMs;
  if (nowMs >= deadline) return undefined;
  const exponent = Math.min(Math.max(delivery.attempts - 1, 0), 30);
  const delay = Math.min(policy.maxDelayMs, policy.baseMs * 2 ** exponent);
  const jittered = delay / 2 + random() * (delay / 2);
  return Math.min(deadline, nowMs + Math.max(1, Math.round(jittered)));
}
