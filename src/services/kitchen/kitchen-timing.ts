import type { Level, TimerHandle, Timers } from '../../devices/gpio.js';

/** How the pass's parts behave, in milliseconds. */
export const SIGNAL_TIMING = {
  bumpDebounceMs: 30,
  switchDebounceMs: 50,
  /** Released before this: a short press, the oldest order in the kitchen is ready. */
  shortPressMs: 800,
  /** Held this long: the last ticket is printed again (at once, while still held). */
  longPressMs: 1500,
  blinkMs: 500,
  /** One beep and one gap: a new order sounds beep-beep, then the buzzer is off. */
  beepMs: 150,
  /** Silence between two queued patterns. */
  patternGapMs: 400,
  /** Patterns kept while one plays: twenty orders at once still give only a few beeps. */
  maxQueuedPatterns: 2,
} as const;

/** Each step lasts `beepMs`; the pattern ends off, so the buzzer is never left sounding. */
const BEEP_PATTERN = [true, false, true, false] as const;

/** An output that may not be attached yet (or failed); setting it never throws. */
export function createSwitchable(what: string, guard: (what: string, run: () => void) => void) {
  let output: { set(on: boolean): void } | undefined;
  return {
    attach(next: { set(on: boolean): void }) {
      output = next;
      next.set(false);
    },
    set(on: boolean) {
      guard(what, () => output?.set(on));
    },
  };
}

/** Toggles an output every `ms` until stopped, then leaves it off. */
export function createBlinker(set: (on: boolean) => void, timers: Timers, ms: number) {
  let timer: TimerHandle | undefined;
  let lit = false;
  const tick = () => {
    lit = !lit;
    set(lit);
    timer = timers.setTimeout(tick, ms);
  };
  return {
    active: () => timer !== undefined,
    start() {
      if (timer === undefined) tick();
    },
    stop() {
      if (timer !== undefined) timers.clearTimeout(timer);
      timer = undefined;
      lit = false;
      set(false);
    },
  };
}

/** Plays beep-beep per call; calls during a pattern queue a few more, never a continuous tone. */
export function createBeeper(set: (on: boolean) => void, timers: Timers) {
  let timer: TimerHandle | undefined;
  let queued = 0;
  const step = (i: number) => {
    set(BEEP_PATTERN[i] ?? false);
    if (i + 1 < BEEP_PATTERN.length) timer = timers.setTimeout(() => step(i + 1), SIGNAL_TIMING.beepMs);
    else if (queued > 0) {
      queued -= 1;
      timer = timers.setTimeout(() => step(0), SIGNAL_TIMING.patternGapMs);
    } else timer = undefined;
  };
  return {
    active: () => timer !== undefined,
    play() {
      if (timer === undefined) step(0);
      else queued = Math.min(queued + 1, SIGNAL_TIMING.maxQueuedPatterns);
    },
    stop() {
      if (timer !== undefined) timers.clearTimeout(timer);
      timer = undefined;
      queued = 0;
      set(false);
    },
  };
}

/** Turns debounced levels of a pull-up button (0 = pressed) into short and long presses. */
export function createPressDetector(
  timers: Timers,
  on: { down(): void; short(): void; long(): void; between(): void },
) {
  let level: Level = 1;
  let phase: 'idle' | 'short' | 'held' | 'done' = 'idle';
  let held: TimerHandle | undefined;
  let long: TimerHandle | undefined;
  const cancel = () => {
    if (held !== undefined) timers.clearTimeout(held);
    if (long !== undefined) timers.clearTimeout(long);
    held = undefined;
    long = undefined;
  };
  const pressed = () => {
    phase = 'short';
    held = timers.setTimeout(() => {
      phase = 'held';
    }, SIGNAL_TIMING.shortPressMs);
    long = timers.setTimeout(() => {
      phase = 'done';
      on.long();
    }, SIGNAL_TIMING.longPressMs);
    on.down();
  };
  const released = () => {
    cancel();
    if (phase === 'short') on.short();
    else if (phase === 'held') on.between();
    phase = 'idle';
  };
  return {
    level(next: Level) {
      if (next === level) return;
      level = next;
      if (next === 0) pressed();
      else released();
    },
    cancel,
  };
}
