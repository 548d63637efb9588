import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { expect } from 'vitest';
import { WEEKDAYS } from '../../src/domain/catalog.js';
import { createShopCalendar } from '../../src/domain/shop-calendar.js';
import { BACKUP_DEFAULTS, type BackupSettings } from '../../src/domain/shop-settings.js';
import { createManualClock } from '../../src/platform/clock.js';
import { createSilentLogger } from '../../src/platform/logger.js';
import { createBackupKeys } from '../../src/services/operations/backup-encryption.js';
import { createBackupPlaces } from '../../src/services/operations/backup-places.js';
import { createBackups } from '../../src/services/operations/backups.js';
import { createOffCardCopies } from '../../src/services/operations/off-card-copies.js';
import type { OffCardTarget } from '../../src/services/operations/off-card-target.js';
import { openStore } from '../../src/store/database.js';
import { fakeDrives } from './fake-drives.js';

const calendar = createShopCalendar({
  timezone: 'America/New_York',
  weekly: Object.fromEntries(WEEKDAYS.map((day) => [day, []])) as never,
  exceptions: [],
});

/** The name of the backup the shop makes at its frozen time. */
export const BACKUP_NAME = 'counterpi-2026-11-24.db';
/** A row every backup of the shop holds, to tell a restored database from an empty one. */
export const MARKER = '"before the fire"';

/** Fails with the tool's name when rclone or age is missing: CI installs them, nothing is skipped. */
export function expectBackupTools(): void {
  for (const [tool, flag] of [
    ['rclone', 'version'],
    ['age', '--version'],
    ['age-keygen', '--version'],
    ['script', '--version'],
  ] as const) {
    expect(spawnSync(tool, [flag]).status, `${tool} must be installed`).toBe(0);
  }
}

/** The marker row of a database file, read-only. */
export function markerOf(file: string): unknown {
  const db = new Database(file, { readonly: true });
  try {
    return db.prepare("SELECT value FROM settings WHERE key = 'marker'").pluck().get();
  } finally {
    db.close();
  }
}

/**
 * A shop's store in a temp data directory beside a fake removable drive, and its backups copied to the
 * places picked (`wrap` stands a flaky stick in). The sealed key uses a small scrypt factor, so tests are fast.
 */
export function openOffCardShop() {
  const root = mkdtempSync(join(tmpdir(), 'counterpi-offcard-'));
  const dataDir = join(root, 'data');
  mkdirSync(dataDir);
  const store = openStore({ file: join(dataDir, 'counterpi.db') });
  store.db.prepare(`INSERT INTO settings (key, value, updated_at) VALUES ('marker', '${MARKER}', 0)`).run();
  const drives = fakeDrives(root);
  const clock = createManualClock('2026-11-24T17:00:00Z');
  let settings: BackupSettings = { ...BACKUP_DEFAULTS };

  function backupsWith(wrap: (target: OffCardTarget) => OffCardTarget = (target) => target) {
    const keys = createBackupKeys(dataDir, { workFactor: 10 });
    const places = createBackupPlaces({
      dataDir,
      usbDir: undefined,
      roots: drives.roots,
      keys,
      settings: () => settings,
      save: (next) => {
        settings = next;
      },
    });
    const backupsDir = join(dataDir, 'backups');
    const log = createSilentLogger();
    const offCard = createOffCardCopies({
      backupsDir,
      targets: () => places.targets().map(wrap),
      keys,
      clock,
      log,
      keep: 7,
    });
    const backups = createBackups({ store, dir: backupsDir, clock, calendar: () => calendar, log, offCard });
    return { backups, places };
  }

  return {
    root,
    dataDir,
    drives,
    backupsWith,
    close() {
      store.close();
      rmSync(root, { recursive: true, force: true });
    },
  };
}
