import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { type AddressInfo, createServer, type Socket } from 'node:net';
import { join } from 'node:path';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { OffCardTarget } from '../src/services/operations/off-card-target.js';
import { listRemovableDrives } from '../src/services/operations/removable-drives.js';
import { inspectDatabaseFile } from '../src/store/database-file.js';
import { BACKUP_NAME, expectBackupTools, MARKER, markerOf, openOffCardShop } from './helpers/offcard-shop.js';

let shop: ReturnType<typeof openOffCardShop>;
beforeAll(expectBackupTools);
beforeEach(() => {
  shop = openOffCardShop();
});
afterEach(() => shop.close());

describe('removable drives', () => {
  it('lists the mounted partitions of removable disks only, never the SD card', () => {
    expect(listRemovableDrives(shop.drives.roots)).toEqual([
      { device: '/dev/sda1', mountPoint: shop.drives.stick, fsType: 'vfat', readOnly: false, disk: 'sda' },
    ]);
    shop.drives.plug(false);
    expect(listRemovableDrives(shop.drives.roots)).toEqual([]);
  });
});

describe('a USB stick', () => {
  it('gets a copy of each backup, read back and checked, with no journal left beside it', async () => {
    const { backups, places } = shop.backupsWith();
    expect(places.pickDrive(join(shop.root, 'elsewhere'))).toBe(false);
    expect(places.pickDrive(shop.drives.stick)).toBe(true);

    const made = await backups.run();

    const copy = join(shop.drives.stick, 'counterpi-backups', BACKUP_NAME);
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
    expect(readdirSync(join(shop.drives.stick, 'counterpi-backups'))).toEqual([BACKUP_NAME]);
    expect(inspectDatabaseFile(copy, { readonly: true })).toMatchObject({ ok: true });
    expect(markerOf(copy)).toBe(MARKER);
    expect(backups.health()).toEqual({
      ok: true,
      detail: `last backup 2026-11-24T17:00:00.000Z (${BACKUP_NAME}); copied to USB stick (verified)`,
    });
  });

  it('is reported missing on the status when it is not plugged in, and nothing lands on the card', async () => {
    const { backups, places } = shop.backupsWith();
    places.pickDrive(shop.drives.stick);
    shop.drives.plug(false);

    const made = await backups.run();

    expect(made.copies).toMatchObject([{ destination: 'usb', verified: false, problem: 'not_mounted' }]);
    expect(readdirSync(shop.drives.stick)).toEqual([]);
    expect(backups.health()).toEqual({
      ok: false,
      detail: `last backup 2026-11-24T17:00:00.000Z (${BACKUP_NAME}); copy to USB stick failed: the USB stick is not plugged in (or not mounted)`,
    });
    // A new backups service (a restart) still knows the last run's copies.
    expect(shop.backupsWith().backups.health().ok).toBe(false);
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
    const { backups, places } = shop.backupsWith(garbling);
    places.pickDrive(shop.drives.stick);

    const made = await backups.run();

    expect(made.copies).toMatchObject([{ destination: 'usb', verified: false, problem: 'verify_failed' }]);
    expect(made.copies[0]?.detail).toMatch(/^(corrupt|not_sqlite|not_counterpi): /);
    expect(backups.health()).toMatchObject({
      ok: false,
      detail: expect.stringContaining('copy to USB stick failed: the copy failed its check when read back'),
    });
  });

  it('keeps the newest seven copies on the stick', async () => {
    const dir = join(shop.drives.stick, 'counterpi-backups');
    mkdirSync(dir);
    for (let day = 10; day <= 17; day += 1) writeFileSync(join(dir, `counterpi-2026-11-${day}.db`), 'old');
    writeFileSync(join(dir, 'holiday.jpg'), 'the owner’s');
    const { backups, places } = shop.backupsWith();
    places.pickDrive(shop.drives.stick);
    await backups.run();
    expect(readdirSync(dir).sort()).toEqual([
      'counterpi-2026-11-12.db',
      'counterpi-2026-11-13.db',
      'counterpi-2026-11-14.db',
      'counterpi-2026-11-15.db',
      'counterpi-2026-11-16.db',
      'counterpi-2026-11-17.db',
      BACKUP_NAME,
      'holiday.jpg',
    ]);
  });
});

describe('an rclone remote', () => {
  it('gets a copy through rclone, fetched back and checked; its config is private to counterpi', async () => {
    const share = join(shop.root, 'share');
    mkdirSync(share);
    const { backups, places } = shop.backupsWith();
    expect(places.saveRemote('[offsite]\ntype = alias\n', 'x')).toBeUndefined();
    expect(places.saveRemote('no section here', 'x')).toMatch(/exactly one section/);
    expect(
      places.saveRemote(`[offsite]\r\ntype = alias\r\nremote = ${share}\r\n`, 'shop/backups'),
    ).toBeUndefined();
    expect(statSync(join(shop.dataDir, 'rclone.conf')).mode & 0o777).toBe(0o600);

    const made = await backups.run();

    expect(made.copies).toMatchObject([
      {
        destination: 'remote',
        where: `offsite:shop/backups/${BACKUP_NAME}`,
        verified: true,
        encrypted: false,
      },
    ]);
    expect(markerOf(join(share, 'shop', 'backups', BACKUP_NAME))).toBe(MARKER);
    expect(backups.health().detail).toContain('; copied to remote (verified)');
  });

  it('reports an rclone failure without repeating the config’s values', async () => {
    // The remote's root is under a plain file, so rclone fails, naming that path in its message.
    const blocked = join(shop.root, 'token-s3cr3t');
    writeFileSync(blocked, 'a file, not a folder');
    const { backups, places } = shop.backupsWith();
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
      const { backups, places } = shop.backupsWith();
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
