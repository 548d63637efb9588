import { AppError } from '../../domain/app-error.js';
import { type Clock, monotonicMs } from '../../platform/clock.js';
import type { Logger } from '../../platform/logger.js';

/** What a customer or an agent is told while the clock is behind. */
export const CLOCK_NOT_SET_MESSAGE =
  "The shop cannot take orders right now: the shop's clock is not set yet. Nothing was changed; please try again in a few minutes.";
/** A wall clock moved by more than this against the monotonic clock was set, not ticking. */
export const JUMP_MS = 5 * 60_000;
/** A jump is shown this long (on the monotonic clock: the wall clock is the suspect) unless acknowledged. */
const JUMP_SHOWN_MS = 24 * 60 * 60_000;
const CHECK_MS = 10_000;
const LOG_EVERY_MS = 60_000;
const RETRY_AFTER_SECONDS = 30;

export interface ClockWatchDeps {
  readonly clock: Clock;
  readonly log: Logger;
  /** The newest instant the shop's records hold (src/store/newest-record.ts), read once at start. */
  readonly newestRecordMs: number | undefined;
  /** When this build was made (src/platform/build-time.ts); undefined when there is none to go by. */
  readonly builtAt: Date | undefined;
  /** How often the wall clock is compared with the monotonic one. */
  readonly checkMs?: number;
}

/** The clock is earlier than a time already passed: the newest record, or the build. */
export interface ClockBehind {
  readonly now: Date;
  /** Orders are taken again once the clock reaches this. */
  readonly until: Date;
  readonly reason: 'records' | 'build';
}

/** The wall clock was set by more than JUMP_MS while counterpi ran: `byMs` forward (or back, negative). */
export interface ClockJump {
  readonly at: Date;
  readonly byMs: number;
}

/**
 * Whether the wall clock can be trusted with orders. A Pi has no battery clock: it may start with a
 * stale time until the network sets it. While the clock is earlier than the newest record the shop has
 * written (or than its own build) no order is taken or changed, so no order is stamped before one
 * already kept; the gate lifts by itself once the clock passes that mark. A jump of more than 5 minutes
 * while running is logged and shown to the owner until acknowledged, or for a day.
 */
export interface ClockWatch {
  start(): void;
  stop(): void;
  /** Throws `clock_not_set` while the clock is behind; otherwise notes the time as written from now on. */
  assertClockSet(): void;
  behind(): ClockBehind | undefined;
  /** The last jump, while it is shown. */
  jump(): ClockJump | undefined;
  acknowledgeJump(): void;
  /** For `/ready`: not ok while behind, with the reason; a jump shown is in the detail. */
  health(): { readonly ok: boolean; readonly detail: string };
}

/** Creates the watch; `start()` checks now and then every `checkMs` (an unref'd timer). */
export function createClockWatch(deps: ClockWatchDeps): ClockWatch {
  const { clock, log } = deps;
  // The records' mark grows with every order let through: the time it is written at.
  let written = deps.newestRecordMs ?? Number.NEGATIVE_INFINITY;
  const built = deps.builtAt?.getTime() ?? Number.NEGATIVE_INFINITY;
  let last: { wall: number; mono: number } | undefined;
  let shown: (ClockJump & { monoAt: number }) | undefined;
  let wasBehind = false;
  let loggedAt = Number.NEGATIVE_INFINITY;
  let timer: NodeJS.Timeout | undefined;

  function behind(): ClockBehind | undefined {
    const now = clock.now();
    const mark = Math.max(written, built);
    if (now.getTime() >= mark) return undefined;
    return { now, until: new Date(mark), reason: mark === written ? 'records' : 'build' };
  }

  /** Says so when the gate closes (then once a minute while it stays closed) and when it opens. */
  function note(state: ClockBehind | undefined): void {
    if (state === undefined) {
      if (wasBehind) log.info({ now: clock.now().toISOString() }, 'the clock is set: taking orders again');
      wasBehind = false;
      return;
    }
    const mono = monotonicMs(clock);
    if (wasBehind && mono - loggedAt < LOG_EVERY_MS) return;
    wasBehind = true;
    loggedAt = mono;
    log.error(
      { now: state.now.toISOString(), until: state.until.toISOString(), reason: state.reason },
      `the clock is behind the ${state.reason === 'records' ? 'newest record' : 'build time'}: no orders until it is set`,
    );
  }

  function check(): void {
    const wall = clock.now().getTime();
    const mono = monotonicMs(clock);
    if (last !== undefined) {
      const byMs = wall - last.wall - (mono - last.mono);
      if (Math.abs(byMs) > JUMP_MS) {
        shown = { at: new Date(wall), byMs, monoAt: mono };
        log.warn(
          {
            from: new Date(last.wall + mono - last.mono).toISOString(),
            to: new Date(wall).toISOString(),
            by_ms: byMs,
          },
          `the wall clock jumped ${byMs > 0 ? 'forward' : 'back'} by ${Math.round(Math.abs(byMs) / 60_000)} min`,
        );
      }
    }
    last = { wall, mono };
    note(behind());
  }

  function jump(): ClockJump | undefined {
    if (shown === undefined || monotonicMs(clock) - shown.monoAt > JUMP_SHOWN_MS) return undefined;
    return { at: shown.at, byMs: shown.byMs };
  }

  return {
    start() {
      check();
      timer = setInterval(check, deps.checkMs ?? CHECK_MS);
      timer.unref();
    },
    stop() {
      clearInterval(timer);
    },
    assertClockSet() {
      const state = behind();
      note(state);
      if (state === undefined) {
        written = Math.max(written, clock.now().getTime());
        return;
      }
      throw new AppError('clock_not_set', CLOCK_NOT_SET_MESSAGE, {
        retryAfter: RETRY_AFTER_SECONDS,
        details: { now: state.now.toISOString(), until: state.until.toISOString() },
      });
    },
    behind,
    jump,
    acknowledgeJump() {
      shown = undefined;
    },
    health() {
      const state = behind();
      const jumped = jump();
      const jumpText =
        jumped === undefined
          ? ''
          : `; jumped ${jumped.byMs > 0 ? 'forward' : 'back'} ${Math.round(Math.abs(jumped.byMs) / 60_000)} min at ${jumped.at.toISOString()}`;
      if (state === undefined) return { ok: true, detail: `set, ${clock.now().toISOString()}${jumpText}` };
      const mark = state.reason === 'records' ? 'the newest record' : 'the build time';
      return {
        ok: false,
        detail: `not set: ${state.now.toISOString()} is before ${mark} ${state.until.toISOString()}; orders refused until it passes${jumpText}`,
      };
    },
  };
}
