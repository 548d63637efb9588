import { MIN_PASSPHRASE_LENGTH } from '../services/operations/backup-encryption.js';
import { RCLONE_PRESETS } from '../services/operations/rclone-remote.js';
import { ToolError } from '../services/operations/run-tool.js';
import type { AdminRouter, AdminShell } from './admin-shell.js';
import { type BackupsPageDeps, renderBackupsPage } from './backups-page.js';
import { readForm } from './form-read.js';

const isPreset = (id: string): id is keyof typeof RCLONE_PRESETS => Object.hasOwn(RCLONE_PRESETS, id);

/** The owner's choices of places off the card: a USB drive, an rclone remote, encryption. No secret reaches the audit log. */
export function mountPlaceRoutes(router: AdminRouter, shell: AdminShell, deps: BackupsPageDeps): void {
  mountUsbRoute(router, shell, deps);
  mountRemoteRoutes(router, shell, deps);
  mountEncryptionRoutes(router, shell, deps);
}

function mountUsbRoute(router: AdminRouter, shell: AdminShell, { places }: BackupsPageDeps): void {
  router.post('/backups/usb', async (c) => {
    const mount = (await readForm(c)).text('mount');
    const picked = places.pickDrive(mount === '' ? null : mount);
    if (picked) shell.ownerAction('backup.usb', mount === '' ? undefined : mount);
    shell.flash(
      c,
      picked ? 'ok' : 'error',
      !picked
        ? 'That drive is not mounted any more: plug it in again and pick it from the list.'
        : mount === ''
          ? 'Backups are no longer copied to a USB stick.'
          : `Each backup is copied to ${mount} from now on; "Back up now" tries it at once.`,
    );
    return c.redirect('/admin/backups#usb', 303);
  });
}

function mountRemoteRoutes(router: AdminRouter, shell: AdminShell, deps: BackupsPageDeps): void {
  const { places } = deps;
  router.post('/backups/remote/preset', async (c) => {
    const preset = (await readForm(c)).text('preset');
    const text = isPreset(preset) ? RCLONE_PRESETS[preset].text : '';
    const folder = places.view().remote?.folder ?? 'counterpi';
    return renderBackupsPage(c, shell, deps, { remote: { config: text, folder, preset, errors: {} } });
  });
  router.post('/backups/remote', async (c) => {
    const form = await readForm(c);
    const config = form.text('config');
    const folder = form.text('folder') || 'counterpi';
    const problem = places.saveRemote(config, folder);
    if (problem !== undefined) {
      const field = problem.startsWith('the folder') ? 'folder' : 'config';
      return renderBackupsPage(c, shell, deps, {
        remote: { config, folder, preset: '', errors: { [field]: problem } },
        status: 422,
      });
    }
    shell.ownerAction('backup.remote', places.view().remote?.name, { input: { folder } });
    shell.flash(c, 'ok', 'The remote is saved. "Back up now" copies to it and checks the copy.');
    return c.redirect('/admin/backups#remote', 303);
  });
  router.post('/backups/remote/remove', (c) => {
    places.removeRemote();
    shell.ownerAction('backup.remote.remove');
    shell.flash(c, 'ok', 'The remote is forgotten; copies already there stay.');
    return c.redirect('/admin/backups#remote', 303);
  });
}

function mountEncryptionRoutes(router: AdminRouter, shell: AdminShell, deps: BackupsPageDeps): void {
  const { places } = deps;
  router.post('/backups/encryption', async (c) => {
    const passphrase = (await readForm(c)).text('passphrase');
    if (passphrase.length < MIN_PASSPHRASE_LENGTH) {
      return renderBackupsPage(c, shell, deps, {
        encryptionErrors: { passphrase: `Use at least ${MIN_PASSPHRASE_LENGTH} characters.` },
        status: 422,
      });
    }
    try {
      await places.setPassphrase(passphrase);
    } catch (error) {
      if (!(error instanceof ToolError && error.reason === 'missing')) throw error;
      shell.flash(
        c,
        'error',
        `Encryption needs the ${error.tool} program: sudo apt install age, then try again.`,
      );
      return c.redirect('/admin/backups#encryption', 303);
    }
    shell.ownerAction('backup.encryption', undefined, { input: { encrypted: true } });
    shell.flash(c, 'ok', 'Copies off the card are encrypted from the next backup on.');
    return c.redirect('/admin/backups#encryption', 303);
  });
  router.post('/backups/encryption/off', (c) => {
    places.disableEncryption();
    shell.ownerAction('backup.encryption', undefined, { input: { encrypted: false } });
    shell.flash(c, 'ok', 'Copies off the card are no longer encrypted.');
    return c.redirect('/admin/backups#encryption', 303);
  });
}
