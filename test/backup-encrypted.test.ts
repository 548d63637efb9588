import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { systemClock } from '../src/platform/clock.js';
import { createBackupKeys, SEALED_KEY_FILE } from '../src/services/operations/backup-encryption.js';
import { restoreBackup } from '../src/services/operations/restore-encrypted.js';
import { BACKUP_NAME, expectBackupTools, MARKER, markerOf, openOffCardShop } from './helpers/offcard-shop.js';
import { runCli } from './helpers/run-cli.js';

const PASSPHRASE = 'rhubarb tart at noon';

let shop: ReturnType<typeof openOffCardShop>;
beforeAll(expectBackupTools);
beforeEach(() => {
  shop = openOffCardShop();
});
afterEach(() => shop.close());

describe('an encrypted copy', () => {
  it('is encrypted with age, restores with the passphrase and is refused without it', async () => {
    const { backups, places } = shop.backupsWith();
    places.pickDrive(shop.drives.stick);
    await expect(places.setPassphrase('short')).rejects.toThrow(/at least 12/);
    await places.setPassphrase(PASSPHRASE);
    expect(statSync(join(shop.dataDir, 'backup-identity.txt')).mode & 0o777).toBe(0o600);

    const made = await backups.run();

    const copy = join(shop.drives.stick, 'counterpi-backups', `${BACKUP_NAME}.age`);
    expect(made.copies).toMatchObject([{ where: copy, encrypted: true, verified: true }]);
    expect(readFileSync(copy).subarray(0, 21).toString()).toBe('age-encryption.org/v1');
    expect(readFileSync(copy).includes('before the fire')).toBe(false);
    expect(existsSync(join(shop.drives.stick, 'counterpi-backups', SEALED_KEY_FILE))).toBe(true);

    // A new card: an empty data directory, and the stick.
    const fresh = join(shop.root, 'new-card');
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
    expect(markerOf(deps.database)).toBe(MARKER);
    expect(readdirSync(fresh)).toEqual(['counterpi.db']);
  });

  it('is restored by the command line with a passphrase file, and refused without one', async () => {
    const { backups, places } = shop.backupsWith();
    places.pickDrive(shop.drives.stick);
    await places.setPassphrase(PASSPHRASE);
    await backups.run();
    const copy = join(shop.drives.stick, 'counterpi-backups', `${BACKUP_NAME}.age`);
    const fresh = join(shop.root, 'new-card');
    const refused = await runCli(['restore', copy], { DATA_DIR: fresh });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('is encrypted: restoring it needs the backup passphrase');
    expect(refused.stderr).toContain('Nothing was changed.');
    const file = join(shop.root, 'passphrase.txt');
    writeFileSync(file, `${PASSPHRASE}\n`);
    const restored = await runCli(['restore', copy, '--passphrase-file', file], { DATA_DIR: fresh });
    expect(restored.stderr).toMatch(/^Restored .*counterpi-2026-11-24\.db\.age: /);
    expect(restored.code).toBe(0);
    expect(markerOf(join(fresh, 'counterpi.db'))).toBe(MARKER);
  });

  it('leaves a key the stock age command opens with the passphrase', async () => {
    await createBackupKeys(shop.dataDir, { workFactor: 10 }).setPassphrase(PASSPHRASE);
    // age reads a passphrase from a terminal only: `script` gives it one, as an owner at a keyboard would.
    const out = join(shop.root, 'identity.txt');
    const run = spawnSync(
      'script',
      ['-qec', `age -d -o '${out}' '${join(shop.dataDir, SEALED_KEY_FILE)}'`, '/dev/null'],
      {
        input: `${PASSPHRASE}\n`,
        timeout: 20_000,
      },
    );
    expect(run.status).toBe(0);
    expect(readFileSync(out, 'utf8')).toBe(readFileSync(join(shop.dataDir, 'backup-identity.txt'), 'utf8'));
  });
});
