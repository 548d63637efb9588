import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fakeDrives } from './helpers/fake-drives.js';
import { audited, db, type OwnerBrowser, onboard } from './helpers/owner-browser.js';
import { startTestApp, type TestApp } from './helpers/start-app.js';

const root = mkdtempSync(join(tmpdir(), 'counterpi-offcard-page-'));
const drives = fakeDrives(root);
const share = join(root, 'share');
const NAME = 'counterpi-2026-11-24.db';
let t: TestApp;
let owner: OwnerBrowser;

beforeAll(async () => {
  mkdirSync(share);
  t = await startTestApp({ backups: { drives: drives.roots, catchUpDelayMs: 3_600_000 } });
  owner = await onboard(t);
});
afterAll(async () => {
  await t?.stop();
  rmSync(root, { recursive: true, force: true });
});

async function csrf(): Promise<string> {
  return (await owner.get('/admin/backups')).csrf ?? '';
}

/** Text as the page shows it: hono/jsx escapes quotes. */
const shown = (html: string) => html.replace(/&#39;/g, "'").replace(/&quot;/g, '"');

function setting(key: string): unknown {
  const conn = db(t);
  try {
    return JSON.parse(conn.prepare('SELECT value FROM settings WHERE key = ?').pluck().get(key) as string);
  } finally {
    conn.close();
  }
}

describe('the Backups page', () => {
  it('lists the mounted removable drive and takes only a listed one', async () => {
    const page = await owner.get('/admin/backups');
    expect(page.text).toContain('No USB stick is chosen.');
    expect(page.text).toContain(`<code>${drives.stick}</code>`);

    const elsewhere = await owner.post('/admin/backups/usb', { csrf: await csrf(), mount: '/etc' });
    expect(elsewhere.status).toBe(303);
    expect(shown((await owner.get('/admin/backups')).text)).toContain('That drive is not mounted any more');

    const picked = await owner.post('/admin/backups/usb', { csrf: await csrf(), mount: drives.stick });
    expect(picked.location).toBe('/admin/backups#usb');
    expect(setting('backups')).toEqual({ usbMount: drives.stick, remoteFolder: 'counterpi' });
    expect(audited(t, 'owner.backup.usb')).toEqual([
      { actor_kind: 'owner', outcome: 'ok', target: drives.stick },
    ]);
  });

  it('fills a preset, refuses a section it cannot read, and keeps a saved remote private', async () => {
    const preset = await owner.post('/admin/backups/remote/preset', { csrf: await csrf(), preset: 'alias' });
    expect(preset.status).toBe(200);
    expect(preset.text).toContain('type = alias');

    const wrong = await owner.post('/admin/backups/remote', {
      csrf: await csrf(),
      config: 'type = alias',
      folder: 'counterpi',
    });
    expect(wrong.status).toBe(422);
    expect(wrong.text).toContain('paste exactly one section');
    expect(existsSync(join(t.dataDir, 'rclone.conf'))).toBe(false);

    const saved = await owner.post('/admin/backups/remote', {
      csrf: await csrf(),
      config: `[offsite]\ntype = alias\nremote = ${share}\n`,
      folder: 'shop',
    });
    expect(saved.location).toBe('/admin/backups#remote');
    expect(statSync(join(t.dataDir, 'rclone.conf')).mode & 0o777).toBe(0o600);
    const page = await owner.get('/admin/backups');
    expect(page.text).toContain('<code>offsite:shop</code> (alias)');
    expect(page.text).not.toContain(share);
    expect(audited(t, 'owner.backup.remote')).toEqual([
      { actor_kind: 'owner', outcome: 'ok', target: 'offsite' },
    ]);
  });

  it('refuses a short passphrase', async () => {
    const short = await owner.post('/admin/backups/encryption', { csrf: await csrf(), passphrase: 'tiny' });
    expect(short.status).toBe(422);
    expect(short.text).toContain('Use at least 12 characters.');
    expect(existsSync(join(t.dataDir, 'counterpi-backup-key.age'))).toBe(false);
  });

  it('backs up to the stick and the remote, and shows each copy checked', async () => {
    await owner.post('/admin/backups/run', { csrf: await csrf() });
    const page = shown((await owner.get('/admin/backups')).text);
    expect(page).toContain(`Backed up: ${NAME}`);
    expect(page).toContain('Copied off the card and verified (2).');
    expect(page).toContain(`<code>${join(drives.stick, 'counterpi-backups', NAME)}</code>`);
    expect(page).toContain(`<code>offsite:shop/${NAME}</code>`);
    expect(page.match(/<span class="badge ok">verified<\/span>/g)).toHaveLength(2);
    expect(existsSync(join(share, 'shop', NAME))).toBe(true);
    expect(
      readFileSync(join(drives.stick, 'counterpi-backups', NAME))
        .subarray(0, 15)
        .toString(),
    ).toBe('SQLite format 3');
  });

  it('shows a stick pulled out on the dashboard’s backups status', async () => {
    drives.plug(false);
    await owner.post('/admin/backups/run', { csrf: await csrf() });
    const page = shown((await owner.get('/admin/backups')).text);
    expect(page).toContain('1 of 2 copies off the card failed: see below.');
    expect(page).toContain('failed: the USB stick is not plugged in (or not mounted)');

    const dashboard = shown((await owner.get('/admin')).text);
    expect(dashboard).toMatch(
      /<span class="name">Backups<\/span> <span class="badge">Problem<\/span> <span>Last backup [^<]*; copy to USB stick failed: the USB stick is not plugged in \(or not mounted\); copied to remote \(verified\)/,
    );
    const ready = (await (await fetch(`${t.url}/ready`)).json()) as {
      components: { name: string; ok: boolean; detail: string }[];
    };
    expect(ready.components.find((c) => c.name === 'backups')).toMatchObject({ ok: false });
  });
});
