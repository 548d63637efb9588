import { existsSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestAcpKey } from './helpers/acp-client.js';
import {
  type Answer,
  audited,
  db,
  type OwnerBrowser,
  onboard,
  orderState,
  ownerBrowser,
  PASSWORD,
  paidOrder,
  shopForm,
} from './helpers/owner-browser.js';
import { runCli } from './helpers/run-cli.js';
import { PUBLIC_URL, startTestApp, TEST_PASSWORD_COST, type TestApp } from './helpers/start-app.js';

describe('onboarding on first boot', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => {
    await t.stop();
  });

  it('sends every owner page to onboarding while no password is set', async () => {
    const owner = ownerBrowser(t.url);
    expect((await owner.get('/admin')).location).toBe('/admin/onboarding');
    expect((await owner.get('/admin/login')).location).toBe('/admin/onboarding');
    const page = await owner.get('/admin/onboarding');
    expect(page.status).toBe(200);
    expect(page.text).toContain('name="password_again"');
  });

  it('lets nobody outside the shop network claim a fresh device', async () => {
    const stranger = ownerBrowser(t.url, { forwardedFor: '203.0.113.9' });
    const page = await stranger.get('/admin/onboarding');
    expect(page.status).toBe(403);
    expect(page.text).toContain('shop’s own network');
    const posted = await stranger.post(
      '/admin/onboarding',
      shopForm('x', { password: PASSWORD, password_again: PASSWORD }),
    );
    expect(posted.status).toBe(403);
  });

  it('refuses a form without its token, and names every mistake at once', async () => {
    const owner = ownerBrowser(t.url);
    const page = await owner.get('/admin/onboarding');
    const forged = await owner.post(
      '/admin/onboarding',
      shopForm('', { password: PASSWORD, password_again: PASSWORD }),
    );
    expect(forged.status).toBe(403);
    const wrong = await owner.post(
      '/admin/onboarding',
      shopForm(page.csrf ?? '', {
        password: 'short',
        password_again: 'short',
        currency: 'XYZ',
        tax_percent: 'lots',
        mon_open: '9am',
      }),
    );
    expect(wrong.status).toBe(400);
    expect(wrong.text).toContain('at least 10 characters');
    expect(wrong.text).toContain('Choose the currency');
    expect(wrong.text).toContain('tax rate');
    expect(wrong.text).toContain('Monday');
    const mismatch = await owner.post(
      '/admin/onboarding',
      shopForm(page.csrf ?? '', { password: PASSWORD, password_again: `${PASSWORD}!` }),
    );
    expect(mismatch.status).toBe(400);
    expect(mismatch.text).toContain('not the same');
    expect(db(t).prepare('SELECT count(*) FROM owner_account').pluck().get()).toBe(0);
  });

  it('sets the password (scrypt, salted), the shop, a session cookie, the menu, the printer, then refuses to run again', async () => {
    const owner = ownerBrowser(t.url);
    const page = await owner.get('/admin/onboarding');
    const saved = await owner.post(
      '/admin/onboarding',
      shopForm(page.csrf ?? '', { name: 'Chez Test', password: PASSWORD, password_again: PASSWORD }),
    );
    expect(saved.status).toBe(303);
    expect(saved.location).toBe('/admin/onboarding/menu');
    const cookie = saved.setCookies.find((c) => c.startsWith('cp_owner='));
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Strict/);
    expect(cookie).toMatch(/Path=\/admin/);
    // Reached over plain HTTP on the shop network: not Secure, or the browser would never send it back.
    expect(cookie).not.toMatch(/Secure/);
    const conn = db(t);
    const hash = conn.prepare('SELECT password_hash FROM owner_account').pluck().get() as string;
    const sessions = conn.prepare('SELECT id_hash FROM owner_sessions').pluck().all() as string[];
    conn.close();
    // The app's cost, named in the hash (test apps use the cheapest; production's is in cli.test.ts).
    const { ln, r, p } = TEST_PASSWORD_COST;
    expect(hash).toMatch(
      new RegExp(`^\\$scrypt\\$ln=${ln},r=${r},p=${p}\\$[A-Za-z0-9+/]{22}\\$[A-Za-z0-9+/]{43}$`),
    );
    expect(hash).not.toContain(PASSWORD);
    expect(sessions).toHaveLength(1);
    expect(sessions[0]).not.toBe(owner.jar.get('cp_owner'));
    // Not onboarded yet: the dashboard sends the owner back to onboarding, at the step reached, not step 1.
    expect((await owner.get('/admin')).location).toBe('/admin/onboarding');
    expect((await owner.get('/admin/onboarding')).location).toBe('/admin/onboarding/menu');
    const menu = await owner.get('/admin/onboarding/menu');
    expect(menu.text).not.toContain('<nav');
    const started = await owner.post('/admin/onboarding/menu', { csrf: menu.csrf ?? '', start: 'demo' });
    expect(started.location).toBe('/admin/onboarding/printer');

    const printer = await owner.get('/admin/onboarding/printer');
    const bad = await owner.post('/admin/onboarding/printer', {
      csrf: printer.csrf ?? '',
      kind: 'tcp',
      host: 'not a host!',
      action: 'test',
    });
    expect(bad.status).toBe(400);
    expect(bad.text).toContain('address');
    const tested = await owner.post('/admin/onboarding/printer', {
      csrf: printer.csrf ?? '',
      kind: 'sim',
      paper: '58',
      action: 'test',
    });
    expect(tested.location).toBe('/admin/onboarding/printer');
    const shown = await owner.get('/admin/onboarding/printer');
    expect(shown.text).toContain('the test ticket was saved as a file');
    const ticket = readdirSync(join(t.dataDir, 'tickets')).find((f) => /^test-\d+\.txt$/.test(f));
    expect(ticket).toBeDefined();
    const chosen = await owner.post('/admin/onboarding/printer', {
      csrf: printer.csrf ?? '',
      kind: 'sim',
      paper: '58',
      action: 'next',
    });
    expect(chosen.location).toBe('/admin/onboarding/address');
    const address = await owner.get('/admin/onboarding/address');
    const finished = await owner.post('/admin/onboarding/address', {
      csrf: address.csrf ?? '',
      action: 'skip',
    });
    expect(finished.location).toBe('/admin');
    const dashboard = await owner.get('/admin');
    expect(dashboard.status).toBe(200);
    expect(dashboard.text).toContain('Chez Test');
    expect(dashboard.text).toContain('counterpi is set up');

    expect((await owner.get('/admin/onboarding')).location).toBe('/admin');
    const again = await owner.post('/admin/onboarding', shopForm(dashboard.csrf ?? ''));
    expect(again.status).toBe(409);
    const fresh = ownerBrowser(t.url);
    expect((await fresh.get('/admin/onboarding')).location).toBe('/admin');
    for (const action of [
      'owner.password.set',
      'owner.onboarding.shop',
      'owner.onboarding.menu',
      'owner.printer.test',
      'owner.onboarding.finish',
    ]) {
      expect(audited(t, action)[0]?.actor_kind).toBe('owner');
    }
  });
});

describe('owner sessions, CSRF and headers', () => {
  let t: TestApp;
  let owner: OwnerBrowser;
  beforeAll(async () => {
    t = await startTestApp();
    owner = await onboard(t);
  });
  afterAll(async () => {
    await t.stop();
  });

  it('keeps owner pages out of frames and caches, with a strict CSP', async () => {
    for (const path of ['/admin', '/admin/connect', '/admin/login']) {
      const page = await owner.get(path);
      expect(page.headers['x-frame-options']).toBe('DENY');
      expect(page.headers['cache-control']).toBe('no-store');
      const csp = String(page.headers['content-security-policy']);
      expect(csp).toContain("frame-ancestors 'none'");
      expect(csp).toContain("script-src 'self'");
      expect(csp).not.toContain('unsafe-inline');
    }
  });

  it('marks the cookies Secure when the browser came over the public HTTPS address', async () => {
    const remote = ownerBrowser(t.url, { host: new URL(PUBLIC_URL).host, forwardedFor: '198.51.100.77' });
    const page = await remote.get('/admin/login');
    expect(page.setCookies.find((c) => c.startsWith('cp_owner_pre='))).toMatch(/Secure/);
    const loggedIn = await remote.login();
    expect(loggedIn.location).toBe('/admin');
    const cookie = loggedIn.setCookies.find((c) => c.startsWith('cp_owner='));
    expect(cookie).toMatch(/Secure/);
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Strict/);
  });

  it('accepts a form only with its own session token', async () => {
    const order = await paidOrder(t, 'Csrf');
    const other = ownerBrowser(t.url);
    await other.login();
    const otherToken = (await other.get('/admin')).csrf ?? '';
    const dashboard = await owner.get('/admin');
    expect(dashboard.text).toContain(order.code);
    const action = `/admin/orders/${order.id}/ready`;
    expect((await owner.post(action, {})).status).toBe(403);
    expect((await owner.post(action, { csrf: otherToken })).status).toBe(403);
    expect((await owner.post(action, { csrf: 'x'.repeat(43) })).status).toBe(403);
    expect(orderState(t, order.id)).not.toBe('ready');
    const done = await owner.post(action, { csrf: dashboard.csrf ?? '' });
    expect(done.location).toBe('/admin');
    expect(orderState(t, order.id)).toBe('ready');
    expect((await owner.get('/admin')).text).toContain(`Order ${order.code} is ready for pickup.`);
    const moved = audited(t, 'order.mark_ready').filter((r) => r.target === order.id);
    expect(moved).toEqual([{ actor_kind: 'owner', outcome: 'ok', target: order.id }]);
  });

  it('never lets a customer token or an ACP key in', async () => {
    const key = createTestAcpKey(t.dataDir);
    const issued = await runCli(['token', 'issue', '--name', 'Mallory'], {
      DATA_DIR: t.dataDir,
      PUBLIC_URL,
    });
    expect(issued.code).toBe(0);
    const token =
      issued.stdout
        .trim()
        .split(/\s+/)
        .find((word) => word.split('.').length === 3) ?? '';
    expect(token).not.toBe('');
    const order = await paidOrder(t, 'Bearer');
    for (const secret of [token, key.secret]) {
      const stranger = ownerBrowser(t.url);
      const auth = { authorization: `Bearer ${secret}` };
      expect((await stranger.get('/admin', auth)).location).toBe('/admin/login');
      expect((await stranger.get('/admin/orders', auth)).location).toBe('/admin/login');
      expect((await stranger.get('/admin/events', auth)).location).toBe('/admin/login');
      const posted = await stranger.post(`/admin/orders/${order.id}/ready`, {}, auth);
      expect(posted.status).toBe(401);
    }
    expect(orderState(t, order.id)).not.toBe('ready');
  });

  it('ends a session at logout and after 12 idle hours, and slides it while used', async () => {
    const a = ownerBrowser(t.url);
    await a.login();
    const before = new Map(a.jar);
    const page = await a.get('/admin');
    expect((await a.post('/admin/logout', { csrf: page.csrf ?? '' })).location).toBe('/admin/login');
    for (const [k, v] of before) a.jar.set(k, v);
    expect((await a.get('/admin')).location).toBe('/admin/login');
    expect((await a.post('/admin/logout', { csrf: page.csrf ?? '' })).status).toBe(401);

    const b = ownerBrowser(t.url);
    await b.login();
    t.clock.advance(11 * 3600_000);
    expect((await b.get('/admin')).status).toBe(200);
    t.clock.advance(11 * 3600_000);
    expect((await b.get('/admin')).status).toBe(200);
    t.clock.advance(12 * 3600_000 + 60_000);
    expect((await b.get('/admin')).location).toBe('/admin/login');
  });
});

describe('login lockout', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ env: { ADMIN_PASSWORD: PASSWORD } });
  });
  afterAll(async () => {
    await t.stop();
  });

  it('takes ADMIN_PASSWORD as the first password: login, then the shop steps without a password field', async () => {
    const owner = ownerBrowser(t.url);
    expect((await owner.get('/admin/onboarding')).location).toBe('/admin/login');
    expect((await owner.login()).location).toBe('/admin/onboarding');
    const page = await owner.get('/admin/onboarding');
    expect(page.status).toBe(200);
    expect(page.text).not.toContain('name="password"');
  });

  it('locks an address after 5 wrong passwords, with Retry-After, and not the others', async () => {
    const guesser = ownerBrowser(t.url, { forwardedFor: '198.51.100.1' });
    for (let i = 1; i <= 4; i += 1) {
      const wrong = await guesser.login(`wrong password ${i}`);
      expect(wrong.status).toBe(401);
      expect(wrong.text).toContain('Wrong password');
    }
    const fifth = await guesser.login('wrong password 5');
    expect(fifth.status).toBe(429);
    expect(Number(fifth.headers['retry-after'])).toBe(900);
    const right = await guesser.login();
    expect(right.status).toBe(429);
    expect(right.text).toContain('locked for 15 minutes');
    expect(Number(right.headers['retry-after'])).toBeGreaterThan(0);
    expect((await ownerBrowser(t.url, { forwardedFor: '198.51.100.2' }).login()).status).toBe(303);
    t.clock.advance(15 * 60_000 + 1000);
    expect((await guesser.login()).status).toBe(303);
    expect(audited(t, 'owner.login').map((r) => r.outcome)).toContain('locked');
  });

  it('locks every address after 20 wrong passwords spread over many', async () => {
    t.clock.advance(16 * 60_000);
    let last: Answer | undefined;
    for (let i = 1; i <= 20; i += 1) {
      last = await ownerBrowser(t.url, { forwardedFor: `192.0.2.${i}` }).login(`guess ${i}`);
    }
    expect(last?.status).toBe(429);
    const owner = await ownerBrowser(t.url, { forwardedFor: '192.0.2.200' }).login();
    expect(owner.status).toBe(429);
    expect(Number(owner.headers['retry-after'])).toBeGreaterThan(0);
    t.clock.advance(15 * 60_000 + 1000);
    expect((await ownerBrowser(t.url, { forwardedFor: '192.0.2.200' }).login()).status).toBe(303);
  });
});

describe('a forgotten owner password', () => {
  it('is cleared by the reset file at start, with every session, and set again from the shop network', async () => {
    const first = await startTestApp({ env: { ADMIN_PASSWORD: PASSWORD } });
    const dataDir = first.dataDir;
    const owner = ownerBrowser(first.url);
    expect((await owner.login()).status).toBe(303);
    await first.app.stop();
    writeFileSync(join(dataDir, 'reset-owner-password'), '');
    const again = await startTestApp({ dataDir });
    try {
      expect(existsSync(join(dataDir, 'reset-owner-password'))).toBe(false);
      const stale = ownerBrowser(again.url);
      for (const [k, v] of owner.jar) stale.jar.set(k, v);
      expect((await stale.get('/admin')).location).toBe('/admin/onboarding');
      expect((await stale.get('/admin/login')).location).toBe('/admin/onboarding');
      const page = await stale.get('/admin/onboarding');
      expect(page.text).toContain('name="password_again"');
      const saved = await stale.post(
        '/admin/onboarding',
        shopForm(page.csrf ?? '', {
          password: 'a brand new password',
          password_again: 'a brand new password',
        }),
      );
      expect(saved.status).toBe(303);
      expect((await ownerBrowser(again.url).login('a brand new password')).status).toBe(303);
      expect((await ownerBrowser(again.url).login()).status).toBe(401);
    } finally {
      await again.stop();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
