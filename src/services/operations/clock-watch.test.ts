import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { type AppError, isAppError } from '../../domain/app-error.js';
import { createManualClock } from '../../platform/clock.js';
import { createLogger } from '../../platform/logger.js';
import { createClockWatch } from './clock-watch.js';
import { createOrderGate } from './order-gate.js';

const CHECK_MS = 10_000;
const HOUR_MS = 60 * 60_000;
const NEWEST = '2026-12-01T12:00:00Z';

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

/** A watch over a manual clock starting at `start`, the newest record at NEWEST, its log lines kept. */
function setup(start: string, options: { builtAt?: string; newest?: string | undefined } = {}) {
  const lines: { level: string; msg: string; by_ms?: number; reason?: string }[] = [];
  const clock = createManualClock(start);
  const newest = 'newest' in options ? options.newest : NEWEST;
  const watch = createClockWatch({
    clock,
    log: createLogger({ destination: { write: (line: string) => void lines.push(JSON.parse(line)) } }),
    newestRecordMs: newest === undefined ? undefined : Date.parse(newest),
    builtAt: options.builtAt === undefined ? undefined : new Date(options.builtAt),
    checkMs: CHECK_MS,
  });
  watch.start();
  /** Time passes: the clock and the timer move together. */
  const pass = (ms: number) => {
    clock.advance(ms);
    vi.advanceTimersByTime(ms);
  };
  const refusal = (): AppError | undefined => {
    try {
      watch.assertClockSet();
      return undefined;
    } catch (error) {
      if (!isAppError(error)) throw error;
      return error;
    }
  };
  return { clock, watch, lines, pass, refusal };
}

describe('the clock gate', () => {
  it('refuses orders while the clock is earlier than the newest record, and lifts by itself once past it', () => {
    const { clock, watch, lines, refusal } = setup('2026-11-28T09:00:00Z');
    const error = refusal();
    expect(error?.code).toBe('clock_not_set');
    expect(error?.message).toContain("the shop's clock is not set yet");
    expect(error?.retryAfter).toBeGreaterThan(0);
    expect(watch.behind()).toMatchObject({ reason: 'records', until: new Date(NEWEST) });
    expect(watch.health()).toMatchObject({ ok: false });
    expect(watch.health().detail).toContain(`before the newest record ${new Date(NEWEST).toISOString()}`);
    expect(lines.filter((l) => l.level === 'error').map((l) => l.reason)).toEqual(['records']);

    // The network sets the clock: the next order goes through, with no restart.
    clock.set('2026-12-07T10:00:00Z');
    expect(refusal()).toBeUndefined();
    expect(watch.behind()).toBeUndefined();
    expect(watch.health()).toMatchObject({ ok: true });
    expect(lines.at(-1)?.msg).toBe('the clock is set: taking orders again');
  });

  it('says so in the log when the gate closes and then once a minute, never once per refused request', () => {
    const { lines, pass, refusal } = setup('2026-11-28T09:00:00Z');
    for (let i = 0; i < 50; i += 1) expect(refusal()?.code).toBe('clock_not_set');
    pass(30_000);
    expect(lines.filter((l) => l.level === 'error')).toHaveLength(1);
    pass(31_000);
    refusal();
    expect(lines.filter((l) => l.level === 'error')).toHaveLength(2);
  });

  it('takes the first orders of a shop without records, at any time after the build', () => {
    const { refusal, watch } = setup('2026-11-28T09:00:00Z', { newest: undefined });
    expect(refusal()).toBeUndefined();
    expect(watch.health().ok).toBe(true);
  });

  it('refuses orders while the clock is earlier than the build, as a Pi booted without its time is', () => {
    const { clock, refusal, watch } = setup('1970-01-01T00:00:42Z', {
      newest: undefined,
      builtAt: '2026-12-05T08:00:00Z',
    });
    expect(refusal()?.code).toBe('clock_not_set');
    expect(watch.behind()).toMatchObject({ reason: 'build' });
    expect(watch.health().detail).toContain('before the build time 2026-12-05T08:00:00.000Z');
    clock.set('2026-12-05T08:00:00Z');
    expect(refusal()).toBeUndefined();
  });

  it('holds the clock to the orders taken while running: set back below them, it refuses again', () => {
    const { clock, refusal } = setup('2026-12-07T10:00:00Z');
    expect(refusal()).toBeUndefined();
    clock.step(-10 * 60_000);
    expect(refusal()?.code).toBe('clock_not_set');
    clock.advance(10 * 60_000);
    expect(refusal()).toBeUndefined();
  });

  it('asks the clock before the disk, and lets started orders continue on a full disk', () => {
    const { clock, watch } = setup('2026-11-28T09:00:00Z');
    let room = false;
    const storage = {
      assertRoomForOrders() {
        if (!room) throw new Error('disk full');
      },
    };
    const gate = createOrderGate({ clock: watch, storage });
    expect(() => gate.assertCanStart()).toThrow(expect.objectContaining({ code: 'clock_not_set' }));
    expect(() => gate.assertCanContinue()).toThrow(expect.objectContaining({ code: 'clock_not_set' }));
    clock.set('2026-12-07T10:00:00Z');
    expect(() => gate.assertCanStart()).toThrow('disk full');
    expect(() => gate.assertCanContinue()).not.toThrow();
    room = true;
    expect(() => gate.assertCanStart()).not.toThrow();
  });
});

describe('clock jumps while running', () => {
  it('logs a jump of more than 5 minutes either way and shows the last one until acknowledged', () => {
    const { clock, watch, lines, pass } = setup('2026-12-07T10:00:00Z');
    pass(CHECK_MS);
    clock.step(3 * HOUR_MS);
    pass(CHECK_MS);
    const jumped = watch.jump();
    expect(jumped?.byMs).toBe(3 * HOUR_MS);
    expect(lines.filter((l) => l.level === 'warn').map((l) => [l.msg, l.by_ms])).toEqual([
      ['the wall clock jumped forward by 180 min', 3 * HOUR_MS],
    ]);
    expect(watch.health()).toMatchObject({ ok: true });
    expect(watch.health().detail).toContain('jumped forward 180 min');

    clock.step(-2 * HOUR_MS);
    pass(CHECK_MS);
    expect(watch.jump()?.byMs).toBe(-2 * HOUR_MS);
    expect(lines.filter((l) => l.level === 'warn').at(-1)?.msg).toBe('the wall clock jumped back by 120 min');
    watch.acknowledgeJump();
    expect(watch.jump()).toBeUndefined();
  });

  it('lets small corrections pass, and shows a jump for a day of running', () => {
    const { clock, watch, lines, pass } = setup('2026-12-07T10:00:00Z');
    clock.step(4 * 60_000);
    pass(CHECK_MS);
    expect(watch.jump()).toBeUndefined();
    expect(lines.filter((l) => l.level === 'warn')).toEqual([]);
    clock.step(-6 * 60_000);
    pass(CHECK_MS);
    expect(watch.jump()?.byMs).toBe(-6 * 60_000);
    pass(23 * HOUR_MS);
    expect(watch.jump()).toBeDefined();
    pass(HOUR_MS + CHECK_MS);
    expect(watch.jump()).toBeUndefined();
  });
});
