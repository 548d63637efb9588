import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { WEEKDAYS } from '../../domain/catalog.js';
import { createShopCalendar } from '../../domain/shop-calendar.js';
import { createManualClock } from '../../platform/clock.js';
import { createSilentLogger } from '../../platform/logger.js';
import { openStore, type Store } from '../../store/database.js';
import { inspectDatabaseFile } from '../../store/database-file.js';
import { createBackups, listBackups, nextBackupAt } from './backups.js';

const calendar = createShopCalendar({
  timezone: 'America/New_York',
  weekly: Object.fromEntries(WEEKDAYS.map((day) => [day, []])) as never,
  exceptions: [],
});

describe('nightly backup time', () => {
  const at = (now: string) => nextBackupAt(new Date(now), calendar, 210).toISOString();

  it('is 03:30 shop time tonight, or tomorrow once it has passed', () => {
    expect(at('2026-11-24T17:00:00Z')).toBe('2026-11-25T08:30:00.000Z');
    expect(at('2026-11-24T08:00:00Z')).toBe('2026-11-24T08:30:00.000Z');
    expect(at('2026-11-24T08:30:00Z')).toBe('2026-11-25T08:30:00.000Z');
  });

  it('follows daylight saving time', () => {
    // 03:30 is EST (UTC−5) before 8 March and EDT (UTC−4) from that night on, EST again from 1 November.
    expect(at('2026-03-06T12:00:00Z')).toBe('2026-03-07T08:30:00.000Z');
    expect(at('2026-03-07T12:00:00Z')).toBe('2026-03-08T07:30:00.000Z');
    expect(at('2026-10-31T12:00:00Z')).toBe('2026-11-01T08:30:00.000Z');
  });
});

describe('backups', () => {
  let dataDir: string;
  let store: Store;
  const clock = createManualClock('2026-11-24T17:00:00Z');

  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'counterpi-backups-'));
    store = openStore({ file: join(dataDir, 'counterpi.db') });
    clock.set('2026-11-24T17:00:00Z');
  });

  afterEach(() => {
    store.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const backupsOf = (overrides: Partial<Parameters<typeof createBackups>[0]> = {}) =>
    createBackups({
      store,
      dir: join(dataDir, 'backups'),
      clock,
      calendar: () => calendar,
      log: createSilentLogger(),
      ...overrides,
    });

  it('writes a checked copy named by the shop date and keeps the newest seven', async () => {
    const dir = join(dataDir, 'backups');
    mkdirSync(dir);
    for (let day = 10; day <= 17; day += 1) writeFileSync(join(dir, `counterpi-2026-11-${day}.db`), 'old');
    writeFileSync(join(dir, 'counterpi-2026-11-18.db.partial'), 'cut short by a crash');
    writeFileSync(join(dir, 'notes.txt'), 'not a backup');
    const backups = backupsOf();

    const written = await backups.run();

    expect(written.file).toBe(join(dir, 'counterpi-2026-11-24.db'));
    expect(inspectDatabaseFile(written.file)).toMatchObject({ ok: true });
    expect(readdirSync(dir).sort()).toEqual([
      'counterpi-2026-11-12.db',
      'counterpi-2026-11-13.db',
      'counterpi-2026-11-14.db',
      'counterpi-2026-11-15.db',
      'counterpi-2026-11-16.db',
      'counterpi-2026-11-17.db',
      'counterpi-2026-11-24.db',
      'notes.txt',
    ]);
    expect(backups.health()).toEqual({
      ok: true,
      detail: expect.stringContaining('(counterpi-2026-11-24.db)'),
    });
  });

  it('turns unhealthy when a night is missed or a backup fails, naming only the error code', async () => {
    const backups = backupsOf();
    await backups.run();
    clock.advance(3 * 24 * 3600_000);
    expect(backups.health().ok).toBe(false);

    const full = Object.assign(new Error(`ENOSPC: no space left on device, write '${dataDir}/x'`), {
      code: 'ENOSPC',
    });
    const failing = backupsOf({
      store: {
        backup: () => {
          throw full;
        },
      },
    });
    await expect(failing.run()).rejects.toThrow('no space left');
    const health = failing.health();
    expect(health.ok).toBe(false);
    expect(health.detail).toMatch(/^last backup failed 2026-11-27T17:00:00\.000Z: ENOSPC/);
    expect(health.detail).not.toContain(dataDir);
  });

  it('catches up soon after start when the newest backup is over a day old', async () => {
    const backups = backupsOf({ catchUpDelayMs: 10 });
    expect(backups.health().detail).toBe('no backup yet');
    backups.start();
    expect(backups.health().detail).toMatch(/^no backup yet; next 2026-11-24T17:00:00\.010Z$/);
    const deadline = Date.now() + 5000;
    while (listBackups(join(dataDir, 'backups')).length === 0 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    await backups.stop();
    expect(listBackups(join(dataDir, 'backups')).map((b) => b.file)).toEqual([
      join(dataDir, 'backups', 'counterpi-2026-11-24.db'),
    ]);
  });

  it('tries a failed backup again in an hour', async () => {
    const full = Object.assign(new Error('no space left on device'), { code: 'ENOSPC' });
    const backups = backupsOf({
      store: {
        backup: () => {
          throw full;
        },
      },
      catchUpDelayMs: 10,
    });
    backups.start();
    const deadline = Date.now() + 5000;
    while (!backups.health().detail.includes('ENOSPC') && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
    await backups.stop();
    expect(backups.health().detail).toBe(
      'last backup failed 2026-11-24T17:00:00.000Z: ENOSPC; next 2026-11-24T18:00:00.000Z',
    );
  });

  it('waits for tonight when a fresh backup exists', async () => {
    await backupsOf().run();
    const backups = backupsOf({ catchUpDelayMs: 10 });
    backups.start();
    expect(backups.health().detail).toMatch(/; next 2026-11-25T08:30:00\.000Z$/);
    await backups.stop();
  });
});
