import { spawnSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { type AddressInfo, createServer, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { WEEKDAYS } from '../src/domain/catalog.js';
import { createShopCalendar } from '../src/domain/shop-calendar.js';
import { BACKUP_DEFAULTS, type BackupSettings } from '../src/domain/shop-settings.js';
import { createManualClock, systemClock } from '../src/platform/clock.js';
import { createSilentLogger } from '../src/platform/logger.js';
import { createBackupKeys, SEALED_KEY_FILE } from '../src/services/operations/backup-encryption.js';
import { createBackupPlaces } from '../src/services/operations/backup-places.js';
import { createBackups } from '../src/services/operations/backups.js';
import { createOffCardCopies } from '../src/services/operations/off-card-copies.js';
import type { OffCardTarget } from '../src/services/operations/off-card-target.js';
import { listRemovableDrives } from '../src/services/operations/removable-drives.js';
import { restoreBackup } from '../src/services/operations/restore-encrypted.js';
import { openStore, type Store } from '../src/store/database.js';
import { inspectDatabaseFile } from '../src/store/database-file.js';
import { fakeDrives } from './helpers/fake-drives.js';
import { runCli } from './helpers/run-cli.js';

const calendar = createShopCalendar({
  timezone: 'America/New_York',
  weekly: Object.fromEntries(WEEKDAYS.map((day) => [day, []])) as never,
  exceptions: [],
});
const PASSPHRASE = 'rhubarb tart at noon';
const NAME = 'counterpi-2026-11-24.db';

beforeAll(() => {
  // CI installs both; a missing one fails here with its name rather than somewhere below.
  for (const tool of [
    ['rclone', 'version'],
    ['age', '--version'],
    ['age-keygen', '--version'],
  ] as const) {
    expect(spawnSync(tool[0], [tool[1]]).status, `${tool[0]} must be installed`).toBe(0);
  }
});

let root: string;
let dataDir: string;
let store: Store;
let drives: ReturnType<typeof fakeDrives>;
let settings: BackupSettings;
const clock = createManualClock('2026-11-24T17:00:00Z');

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'counterpi-offcard-'));
  dataDir = join(root, 'data');
  mkdirSync(dataDir);
  store = openStore({ file: join(dataDir, 'counterpi.db') });
  store.db
    .prepare("INSERT INTO settings (key, value, updated_at) VALUES ('marker', '\"before the fire\"', 0)")
    .run();
  drives = fakeDrives(root);
  settings = { ...BACKUP_DEFAULTS };
});

afterEach(() => {
  store.close();
  rmSync(root, { recursive: true, force: true });
});

/** The backups of the shop over `dataDir`, copied to the places picked; `wrap` stands a flaky stick in. */
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
  const backups = createBackups({
    store,
    dir: backupsDir,
    clock,
    calendar: () => calendar,
    log,
    offCard: createOffCardCopies({
      backupsDir,
      targets: () => places.targets().map(wrap),
      keys,
      clock,
      log,
      keep: 7,
    }),
  });
  return { backups, places };
}

function marker(file: string): unknown {
  const db = new Database(file, { readonly: true });
  try {
    return db.prepare("SELECT value FROM settings WHERE key = 'marker'").pluck().get();
  } finally {
    db.close();
  }
}

describe('removable drives', () => {
  it('lists the mounted partitions of removable disks only, never the SD card', () => {
    expect(listRemovableDrives(drives.roots)).toEqual([
      { device: '/dev/sda1', mountPoint: drives.stick, fsType: 'vfat', readOnly: false, disk: 'sda' },
    ]);
    drives.plug(false);
    expect(listRemovableDrives(drives.roots)).toEqual([]);
  });
});

describe('a USB stick', () => {
  it('gets a copy of each backup, read back and checked, with no journal left beside it', async () => {
    const { backups, places } = backupsWith();
    expect(places.pickDrive(join(root, 'elsewhere'))).toBe(false);
    expect(places.pickDrive(drives.stick)).toBe(true);

    const made = await backups.run();

    const copy = join(drives.stick, 'counterpi-backups', NAME);
    expect(made.copies).toEqual([
      {
        destination: 'usb',
        where: copy,
        at: '2026-11-24T17:00:00.000Z',
        bytes: statSync(copy).size,
        encrypted: false,
        verified: true,
      },
    ]);
    expect(readdirSync(join(drives.stick, 'counterpi-backups'))).toEqual([NAME]);
    expect(inspectDatabaseFile(copy, { readonly: true })).toMatchObject({ ok: true });
    expect(marker(copy)).toBe('"before the fire"');
    expect(backups.health()).toEqual({
      ok: true,
      detail: `last backup 2026-11-24T17:00:00.000Z (${NAME}); copied to USB stick (verified)`,
    });
  });

  it('is reported missing on the status when it is not plugged in, and nothing lands on the card', async () => {
    const { backups, places } = backupsWith();
    places.pickDrive(drives.stick);
    drives.plug(false);

    const made = await backups.run();

    expect(made.copies).toMatchObject([{ destination: 'usb', verified: false, problem: 'not_mounted' }]);
    expect(readdirSync(drives.stick)).toEqual([]);
    expect(backups.health()).toEqual({
      ok: false,
      detail: `last backup 2026-11-24T17:00:00.000Z (${NAME}); copy to USB stick failed: the USB stick is not plugged in (or not mounted)`,
    });
    // A new backups service (a restart) still knows the last run's copies.
    expect(backupsWith().backups.health().ok).toBe(false);
  });

  it('reports a copy that comes back damaged as a failed check', async () => {
    // A stick that garbles what it is given: the copy lands, but reading it back finds it damaged.
    const garbling = (target: OffCardTarget): OffCardTarget => ({
      ...target,
      async put(local, name, signal) {
        const bytes = readFileSync(local);
        bytes.fill(0x5a, 4096, bytes.length);
        const garbled = `${local}.garbled`;
        writeFileSync(garbled, bytes);
        await target.put(garbled, name, signal);
      },
    });
    const { backups, places } = backupsWith(garbling);
    places.pickDrive(drives.stick);

    const made = await backups.run();

    expect(made.copies).toMatchObject([{ destination: 'usb', verified: false, problem: 'verify_failed' }]);
    expect(made.copies[0]?.detail).toMatch(/^(corrupt|not_sqlite|not_counterpi): /);
    expect(backups.health()).toMatchObject({
      ok: false,
      detail: expect.stringContaining('copy to USB stick failed: the copy failed its check when read back'),
    });
  });

  it('keeps the newest seven copies on the stick', async () => {
    const dir = join(drives.stick, 'counterpi-backups');
    mkdirSync(dir);
    for (let day = 10; day <= 17; day += 1) writeFileSync(join(dir, `counterpi-2026-11-${day}.db`), 'old');
    writeFileSync(join(dir, 'holiday.jpg'), 'the owner’s');
    const { backups, places } = backupsWith();
    places.pickDrive(drives.stick);
    await backups.run();
    expect(readdirSync(dir).sort()).toEqual([
      'counterpi-2026-11-12.db',
      'counterpi-2026-11-13.db',
      'counterpi-2026-11-14.db',
      'counterpi-2026-11-15.db',
      'counterpi-2026-11-16.db',
      'counterpi-2026-11-17.db',
      NAME,
      'holiday.jpg',
    ]);
  });
});

describe('an rclone remote', () => {
  it('gets a copy through rclone, fetched back and checked; its config is private to counterpi', async () => {
    const share = join(root, 'share');
    mkdirSync(share);
    const { backups, places } = backupsWith();
    expect(places.saveRemote('[offsite]\ntype = alias\n', 'x')).toBeUndefined();
    expect(places.saveRemote('no section here', 'x')).toMatch(/exactly one section/);
    expect(
      places.saveRemote(`[offsite]\r\ntype = alias\r\nremote = ${share}\r\n`, 'shop/backups'),
    ).toBeUndefined();
    expect(statSync(join(dataDir, 'rclone.conf')).mode & 0o777).toBe(0o600);

    const made = await backups.run();

    expect(made.copies).toMatchObject([
      { destination: 'remote', where: `offsite:shop/backups/${NAME}`, verified: true, encrypted: false },
    ]);
    expect(marker(join(share, 'shop', 'backups', NAME))).toBe('"before the fire"');
    expect(backups.health().detail).toContain('; copied to remote (verified)');
  });

  it('reports an rclone failure without repeating the config’s values', async () => {
    // The remote's root is under a plain file, so rclone fails, naming that path in its message.
    const blocked = join(root, 'token-s3cr3t');
    writeFileSync(blocked, 'a file, not a folder');
    const { backups, places } = backupsWith();
    places.saveRemote(`[offsite]\ntype = alias\nremote = ${blocked}/below\n`, 'counterpi');

    const made = await backups.run();

    expect(made.copies).toMatchObject([{ destination: 'remote', verified: false, problem: 'rclone_failed' }]);
    expect(made.copies[0]?.detail).toContain('***');
    expect(made.copies[0]?.detail).not.toContain('s3cr3t');
    expect(backups.health()).toMatchObject({
      ok: false,
      detail: expect.stringContaining('copy to remote failed: rclone could not copy to the remote'),
    });
  });
});

describe('shutting down', () => {
  it('stops an rclone copy under way instead of waiting for it', async () => {
    // A WebDAV server on loopback that takes the connection and never answers.
    const sockets: Socket[] = [];
    const server = createServer((socket) => sockets.push(socket));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    try {
      const { backups, places } = backupsWith();
      places.saveRemote(`[offsite]\ntype = webdav\nurl = http://127.0.0.1:${port}/\nvendor = other\n`, 'x');
      const running = backups.run();
      const deadline = Date.now() + 10_000;
      while (sockets.length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      expect(sockets.length).toBeGreaterThan(0);

      const began = Date.now();
      await backups.stop();
      expect(Date.now() - began).toBeLessThan(5_000);
      expect((await running).copies).toMatchObject([
        { destination: 'remote', problem: 'rclone_failed', detail: 'stopped: counterpi was shutting down' },
      ]);
    } finally {
      for (const socket of sockets) socket.destroy();
      server.close();
    }
  });
});

describe('an encrypted copy', () => {
  it('is encrypted with age, restores with the passphrase and is refused without it', async () => {
    const { backups, places } = backupsWith();
    places.pickDrive(drives.stick);
    await expect(places.setPassphrase('short')).rejects.toThrow(/at least 12/);
    await places.setPassphrase(PASSPHRASE);
    expect(statSync(join(dataDir, 'backup-identity.txt')).mode & 0o777).toBe(0o600);

    const made = await backups.run();

    const copy = join(drives.stick, 'counterpi-backups', `${NAME}.age`);
    expect(made.copies).toMatchObject([{ where: copy, encrypted: true, verified: true }]);
    expect(readFileSync(copy).subarray(0, 21).toString()).toBe('age-encryption.org/v1');
    expect(readFileSync(copy).includes('before the fire')).toBe(false);
    expect(existsSync(join(drives.stick, 'counterpi-backups', SEALED_KEY_FILE))).toBe(true);

    // A new card: an empty data directory, and the stick.
    const fresh = join(root, 'new-card');
    const deps = { database: join(fresh, 'counterpi.db'), dataDir: fresh, clock: systemClock };
    expect(await restoreBackup(deps, copy, undefined)).toMatchObject({
      ok: false,
      reason: 'passphrase_needed',
      message: expect.stringContaining('is encrypted: restoring it needs the backup passphrase'),
    });
    expect(await restoreBackup(deps, copy, 'rhubarb tart at one')).toMatchObject({
      ok: false,
      reason: 'wrong_passphrase',
    });
    expect(existsSync(deps.database)).toBe(false);
    expect(await restoreBackup(deps, copy, PASSPHRASE)).toMatchObject({ ok: true, previous: undefined });
    expect(marker(deps.database)).toBe('"before the fire"');
    expect(readdirSync(fresh)).toEqual(['counterpi.db']);
  });

  it('is restored by the command line with a passphrase file, and refused without one', async () => {
    const { backups, places } = backupsWith();
    places.pickDrive(drives.stick);
    await places.setPassphrase(PASSPHRASE);
    await backups.run();
    const copy = join(drives.stick, 'counterpi-backups', `${NAME}.age`);
    const fresh = join(root, 'new-card');
    const refused = await runCli(['restore', copy], { DATA_DIR: fresh });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('is encrypted: restoring it needs the backup passphrase');
    expect(refused.stderr).toContain('Nothing was changed.');
    const file = join(root, 'passphrase.txt');
    writeFileSync(file, `${PASSPHRASE}\n`);
    const restored = await runCli(['restore', copy, '--passphrase-file', file], { DATA_DIR: fresh });
    expect(restored.stderr).toMatch(/^Restored .*counterpi-2026-11-24\.db\.age: /);
    expect(restored.code).toBe(0);
    expect(marker(join(fresh, 'counterpi.db'))).toBe('"before the fire"');
  });

  it('leaves a key the stock age command opens with the passphrase', async () => {
    await createBackupKeys(dataDir, { workFactor: 10 }).setPassphrase(PASSPHRASE);
    // age reads a passphrase from a terminal only: `script` gives it one, as an owner at a keyboard would.
    const out = join(root, 'identity.txt');
    const run = spawnSync(
      'script',
      ['-qec', `age -d -o '${out}' '${join(dataDir, SEALED_KEY_FILE)}'`, '/dev/null'],
      {
        input: `${PASSPHRASE}\n`,
        timeout: 20_000,
      },
    );
    expect(run.status).toBe(0);
    expect(readFileSync(out, 'utf8')).toBe(readFileSync(join(dataDir, 'backup-identity.txt'), 'utf8'));
  });
});
