import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { type AppError, isAppError } from '../../domain/app-error.js';
import { createManualClock } from '../../platform/clock.js';
import { createLogger } from '../../platform/logger.js';
import { createStorageState } from './storage-state.js';

const MB = 1024 * 1024;
const CHECK_MS = 2000;

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

/** A storage state over a disk whose free space the test sets, with its log lines kept. */
function setup(startFree: number) {
  let free: number | undefined = startFree;
  const lines: { level: string; msg: string; refused?: number; free_bytes?: number }[] = [];
  const clock = createManualClock('2026-12-01T12:00:00Z');
  const storage = createStorageState({
    dir: '/srv/counterpi/data',
    reserveBytes: 64 * MB,
    clock,
    log: createLogger({ destination: { write: (line: string) => void lines.push(JSON.parse(line)) } }),
    measure: () => free,
    checkMs: CHECK_MS,
  });
  storage.start();
  /** Moves time on by `ms`: the timer's checks run, the clock follows. */
  const pass = (ms: number) => {
    clock.advance(ms);
    vi.advanceTimersByTime(ms);
  };
  const refusal = (): unknown => {
    try {
      storage.assertRoomForOrders();
      return undefined;
    } catch (error) {
      return error;
    }
  };
  return {
    storage,
    lines,
    pass,
    refusal,
    setFree: (bytes: number | undefined) => {
      free = bytes;
    },
  };
}

describe('storage state', () => {
  it('takes orders with room to spare, and says how much is free', () => {
    const s = setup(812 * MB);
    expect(s.refusal()).toBeUndefined();
    expect(s.storage.status()).toEqual({ level: 'ok', freeBytes: 812 * MB, reserveBytes: 64 * MB });
    expect(s.storage.health()).toEqual({ ok: true, detail: '812 MB free (reserve 64 MB)' });
    expect(s.storage.alert()).toBeUndefined();
    expect(s.lines).toEqual([]);
  });

  it('refuses new orders below the reserve with storage_full, degraded and alerting, logged once', () => {
    const s = setup(812 * MB);
    s.setFree(40 * MB);
    s.pass(CHECK_MS);
    const refused = s.refusal();
    expect(isAppError(refused, 'storage_full')).toBe(true);
    expect((refused as AppError).message).toContain('cannot take orders right now');
    expect((refused as AppError).retryAfter).toBe(60);
    expect(s.storage.health()).toEqual({
      ok: false,
      detail: 'degraded: below the 64 MB reserve, 40 MB free; new orders refused',
    });
    expect(s.storage.alert()).toMatch(/^The memory card is nearly full: 40 MB free, less than the 64 MB/);
    expect(s.lines.map((l) => l.msg)).toEqual([
      'disk space low (40 MB free in /srv/counterpi/data, reserve 64 MB): new orders are refused until space is freed',
    ]);
  });

  it('says a full disk once a minute however many writes and orders it refuses', () => {
    const s = setup(812 * MB);
    s.setFree(0);
    s.storage.writeRefused();
    expect(s.storage.status().level).toBe('full');
    for (let i = 0; i < 1000; i += 1) {
      s.storage.writeRefused();
      s.refusal();
      if (i % 100 === 0) s.pass(CHECK_MS);
    }
    expect(s.lines).toHaveLength(1);
    expect(s.lines[0]).toMatchObject({ level: 'error', free_bytes: 0, refused: 1 });
    expect(s.lines[0]?.msg).toMatch(/^disk full \(0 B free in \/srv\/counterpi\/data\)/);
    expect(s.storage.health().detail).toBe('degraded: disk full, 0 B free; new orders refused');
    s.pass(60_000);
    expect(s.lines).toHaveLength(2);
    expect(s.lines[1]).toMatchObject({ level: 'error', refused: 2000 });
    s.pass(30_000);
    expect(s.lines).toHaveLength(2);
  });

  it('resumes by itself once space returns, past a margin above the reserve', () => {
    const s = setup(812 * MB);
    s.setFree(0);
    s.storage.writeRefused();
    // Some room: no longer full, still below the reserve.
    s.setFree(20 * MB);
    s.pass(CHECK_MS);
    expect(s.storage.status().level).toBe('low');
    // Just at the reserve is not enough to resume: the line is not crossed back and forth.
    s.setFree(64 * MB);
    s.pass(CHECK_MS);
    expect(isAppError(s.refusal(), 'storage_full')).toBe(true);
    s.setFree(300 * MB);
    s.pass(CHECK_MS);
    expect(s.refusal()).toBeUndefined();
    expect(s.storage.health().ok).toBe(true);
    expect(s.lines.map((l) => l.level)).toEqual(['error', 'error', 'info']);
    expect(s.lines.at(-1)?.msg).toBe('disk space is back: taking new orders again');
  });

  it('keeps its last word when the file system cannot be asked, and stops checking on stop()', () => {
    const s = setup(812 * MB);
    s.setFree(undefined);
    s.pass(CHECK_MS);
    expect(s.storage.status().level).toBe('ok');
    s.storage.stop();
    s.setFree(0);
    s.pass(CHECK_MS * 5);
    expect(s.storage.status().level).toBe('ok');
  });
});
