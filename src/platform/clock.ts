/** Where time comes from; tests pass a fixed or stepping clock. */
export interface Clock {
  now(): Date;
  /**
   * Milliseconds on a clock that only moves forward at a steady pace and is never set (the process's
   * monotonic clock): what `now()` is compared against to notice the wall clock being stepped. A clock
   * without it (a shifted wall clock) is read against the process's own; see `monotonicMs`.
   */
  monotonicMs?(): number;
}

/** The wall clock, and the process's monotonic clock beside it. */
export const systemClock: Clock = { now: () => new Date(), monotonicMs: () => performance.now() };

/** The clock's monotonic reading, or the process's own for a clock that has none. */
export function monotonicMs(clock: Clock): number {
  return clock.monotonicMs?.() ?? performance.now();
}

/**
 * A clock that stands still until `set` or `advance` moves it (tests, simulations). Both are time
 * passing, so the monotonic reading moves with them (never backwards); `step` sets the wall clock alone,
 * as NTP or a person setting the date does.
 */
export function createManualClock(start: Date | string): Clock & {
  set(instant: Date | string): void;
  advance(ms: number): void;
  step(ms: number): void;
} {
  let current = new Date(start).getTime();
  let monotonic = 0;
  return {
    now: () => new Date(current),
    monotonicMs: () => monotonic,
    set: (instant) => {
      const next = new Date(instant).getTime();
      monotonic += Math.max(0, next - current);
      current = next;
    },
    advance: (ms) => {
      current += ms;
      monotonic += Math.max(0, ms);
    },
    step: (ms) => {
      current += ms;
    },
  };
}
