import { type Clock, monotonicMs } from '../../platform/clock.js';
import type { ThrottledReading } from '../../platform/firmware-throttled.js';
import type { Logger } from '../../platform/logger.js';

/**
 * The firmware's throttling flags, as the Raspberry Pi documentation names the bits of
 * `vcgencmd get_throttled`: 0–3 say what holds now, 16–19 what has happened since boot.
 */
export interface ThrottledFlags {
  /** Bit 0 and bit 16: the supply's voltage dropped below about 4.63 V. */
  readonly underVoltageNow: boolean;
  readonly underVoltageSinceBoot: boolean;
  /** Bit 1 and bit 17: the ARM frequency is capped. */
  readonly cappedNow: boolean;
  readonly cappedSinceBoot: boolean;
  /** Bit 2 and bit 18: the CPU is throttled (slowed down). */
  readonly throttledNow: boolean;
  readonly throttledSinceBoot: boolean;
  /** Bit 3 and bit 19: the soft temperature limit is active (the Pi runs hot). */
  readonly softTempLimitNow: boolean;
  readonly softTempLimitSinceBoot: boolean;
}

/** `throttled=0x50005`, `0x50005` or `50005` (the sysfs file's plain hex) as a number; undefined if not one of those. */
export function parseThrottled(text: string): number | undefined {
  const hex = /^\s*(?:throttled=)?(?:0x)?([0-9a-f]{1,8})\s*$/i.exec(text)?.[1];
  return hex === undefined ? undefined : Number.parseInt(hex, 16);
}

/** The documented bits of the bitmask. */
export function decodeThrottled(bits: number): ThrottledFlags {
  const bit = (n: number) => (bits & (1 << n)) !== 0;
  return {
    underVoltageNow: bit(0),
    cappedNow: bit(1),
    throttledNow: bit(2),
    softTempLimitNow: bit(3),
    underVoltageSinceBoot: bit(16),
    cappedSinceBoot: bit(17),
    throttledSinceBoot: bit(18),
    softTempLimitSinceBoot: bit(19),
  };
}

/** The last reading: none yet, not a Pi, unreadable, or the flags with the raw bitmask. */
export type PowerState =
  | { readonly kind: 'unread' }
  | { readonly kind: 'absent' }
  | { readonly kind: 'unreadable'; readonly reason: string }
  | { readonly kind: 'read'; readonly bits: number; readonly flags: ThrottledFlags };

export interface PowerFlagsDeps {
  /** Reads the flags (src/platform/firmware-throttled.ts); undefined where there are none. */
  readonly read: () => Promise<ThrottledReading | undefined>;
  readonly clock: Clock;
  readonly log: Logger;
  /** A reading older than this is read again when asked for (in the background). */
  readonly maxAgeMs?: number;
  /** How often it is read anyway, so the log hears of under-voltage with nobody looking. */
  readonly checkMs?: number;
}

/**
 * The Pi's power as its firmware reports it, for `/ready` and the owner's dashboard. Read at most every
 * few seconds and never on an order's path: asking returns the last reading and, when it is stale,
 * reads again in the background.
 */
export interface PowerFlags {
  start(): void;
  stop(): void;
  /** The last reading (stale by at most `maxAgeMs` plus one read). */
  state(): PowerState;
  /** Reads now; resolves once the state holds the result. */
  refresh(): Promise<void>;
  /** For `/ready`: not ok while the supply is or was too weak, or the CPU is held back now; never required. */
  health(): { readonly ok: boolean; readonly detail: string };
}

const MAX_AGE_MS = 5000;
const CHECK_MS = 60_000;

/** Creates the power watch; `start()` reads once now and then every `checkMs`. */
export function createPowerFlags(deps: PowerFlagsDeps): PowerFlags {
  const { clock, log } = deps;
  let current: PowerState = { kind: 'unread' };
  let readAt = Number.NEGATIVE_INFINITY;
  let reading: Promise<void> | undefined;
  let timer: NodeJS.Timeout | undefined;

  async function readOnce(): Promise<PowerState> {
    try {
      const raw = await deps.read();
      if (raw === undefined) return { kind: 'absent' };
      const bits = parseThrottled(raw.text);
      if (bits === undefined)
        return { kind: 'unreadable', reason: `${raw.source} said "${raw.text.trim()}"` };
      return { kind: 'read', bits, flags: decodeThrottled(bits) };
    } catch (error) {
      return { kind: 'unreadable', reason: error instanceof Error ? error.message : String(error) };
    }
  }

  function refresh(): Promise<void> {
    reading ??= readOnce().then((next) => {
      tell(current, next);
      current = next;
      readAt = monotonicMs(clock);
      reading = undefined;
    });
    return reading;
  }

  /** A line when under-voltage is first seen, and when it stops. */
  function tell(was: PowerState, next: PowerState): void {
    const low = (s: PowerState) =>
      s.kind === 'read' && (s.flags.underVoltageNow || s.flags.underVoltageSinceBoot);
    const lowNow = (s: PowerState) => s.kind === 'read' && s.flags.underVoltageNow;
    if (next.kind !== 'read') return;
    const fields = { throttled: `0x${next.bits.toString(16)}` };
    if (lowNow(next) && !lowNow(was))
      log.warn(fields, 'under-voltage: the power supply is too weak for the Pi now');
    else if (low(next) && !low(was))
      log.warn(fields, 'under-voltage has occurred since boot: the power supply is too weak');
    else if (lowNow(was) && !lowNow(next)) log.info(fields, 'under-voltage has stopped for now');
  }

  function state(): PowerState {
    if (monotonicMs(clock) - readAt > (deps.maxAgeMs ?? MAX_AGE_MS)) void refresh();
    return current;
  }

  return {
    start() {
      void refresh();
      timer = setInterval(() => void refresh(), deps.checkMs ?? CHECK_MS);
      timer.unref();
    },
    stop() {
      clearInterval(timer);
    },
    state,
    refresh,
    health: () => powerHealth(state()),
  };
}

/** `/ready`'s words for a power state. */
function powerHealth(state: PowerState): { ok: boolean; detail: string } {
  switch (state.kind) {
    case 'unread':
      return { ok: true, detail: 'not read yet' };
    case 'absent':
      return { ok: true, detail: 'no firmware throttling flags here (not a Raspberry Pi)' };
    case 'unreadable':
      return { ok: false, detail: `could not read the firmware's throttling flags: ${state.reason}` };
    case 'read': {
      const f = state.flags;
      const said = [
        f.underVoltageNow ? 'under-voltage now' : '',
        f.underVoltageSinceBoot ? 'under-voltage since boot' : '',
        f.throttledNow ? 'throttled now' : '',
        f.cappedNow ? 'frequency capped now' : '',
        f.softTempLimitNow ? 'soft temperature limit now' : '',
        f.throttledSinceBoot && !f.throttledNow ? 'throttled since boot' : '',
        f.softTempLimitSinceBoot && !f.softTempLimitNow ? 'soft temperature limit since boot' : '',
      ].filter((s) => s !== '');
      const ok = !(f.underVoltageNow || f.underVoltageSinceBoot || f.throttledNow || f.cappedNow);
      const hex = `throttled=0x${state.bits.toString(16)}`;
      return {
        ok,
        detail:
          said.length === 0
            ? `${hex}: no under-voltage or throttling since boot`
            : `${hex}: ${said.join(', ')}`,
      };
    }
  }
}
