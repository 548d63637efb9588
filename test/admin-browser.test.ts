import { readdirSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { orderState, paidOrder } from './helpers/owner-browser.js';
import { CHROMIUM, HAS_CHROMIUM, submit } from './helpers/real-browser.js';
import { startTestApp, type TestApp } from './helpers/start-app.js';

const PASSWORD = 'plenty of words here';

describe.skipIf(!HAS_CHROMIUM)(
  `the owner in a real browser (skipped when ${CHROMIUM} is missing: apt-get install chromium)`,
  () => {
    let t: TestApp;
    let browser: Browser;
    let page: Page;
    let attacker: Server;
    beforeAll(async () => {
      t = await startTestApp();
      // Root in CI and containers: chromium's sandbox needs user namespaces it may not have there.
      browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
      page = await browser.newPage();
    });
    afterAll(async () => {
      await browser?.close();
      await new Promise((resolve) => (attacker === undefined ? resolve(undefined) : attacker.close(resolve)));
      await t?.stop();
    });

    it('goes through onboarding, with a test ticket, to the dashboard', async () => {
      await page.goto(`${t.url}/admin`);
      expect(page.url()).toBe(`${t.url}/admin/onboarding`);
      await page.fill('#password', PASSWORD);
      await page.fill('#password_again', PASSWORD);
      await page.fill('#name', 'Browser Burgers');
      // Open around the clock, as the demo shop is, so ordering works at the test clock's hour.
      expect(await page.inputValue('input[name=mon_open]')).toBe('00:00');
      await submit(page, 'button:has-text("Save and continue")');
      expect(page.url()).toBe(`${t.url}/admin/onboarding/printer`);
      await page.check('input[name=kind][value=sim]');
      await submit(page, 'button:has-text("print a test ticket")');
      expect(await page.textContent('.flash')).toContain('Test ticket sent');
      expect(readdirSync(join(t.dataDir, 'tickets')).some((f) => /^test-\d+\.txt$/.test(f))).toBe(true);
      await submit(page, 'button:has-text("go to the dashboard")');
      expect(page.url()).toBe(`${t.url}/admin`);
      expect(await page.textContent('h1')).toBe('Orders today');
      expect(await page.textContent('header.top')).toContain('Browser Burgers');
      // Links only for the pages that exist, in the shell's nav order.
      const nav = await page.locator('nav a').allTextContents();
      const order = ['Dashboard', 'Menu', 'Settings', 'Keys', 'Connect', 'Audit', 'Backups', 'Help'];
      expect(nav).toContain('Dashboard');
      expect(nav).toContain('Connect');
      expect(nav).toEqual(order.filter((label) => nav.includes(label)));
    });

    it('logs out and in again', async () => {
      await submit(page, 'button:has-text("Log out")');
      expect(page.url()).toBe(`${t.url}/admin/login`);
      expect(await page.textContent('.flash')).toContain('logged out');
      await page.goto(`${t.url}/admin`);
      expect(page.url()).toBe(`${t.url}/admin/login`);
      await page.fill('#password', PASSWORD);
      await submit(page, 'button:has-text("Log in")');
      expect(page.url()).toBe(`${t.url}/admin`);
    });

    it('sees a new order arrive by itself and marks it ready', async () => {
      await page.waitForSelector('#live:has-text("Live")');
      const order = await paidOrder(t, 'Grace');
      // No reload: the event stream tells the page, which fetches the board again.
      const card = page.locator(`#order-${order.code}`);
      await card.waitFor();
      expect(await card.textContent()).toContain('1 × Cheeseburger');
      expect(await card.textContent()).toContain('Grace');
      expect(await card.textContent()).not.toContain('Lovelace');
      await submit(page, `#order-${order.code} button:has-text("Mark ready")`);
      expect(await page.textContent('.flash')).toContain(`Order ${order.code} is ready`);
      expect(await page.getAttribute(`#order-${order.code}`, 'class')).toContain('ready');
      expect(orderState(t, order.id)).toBe('ready');
    });

    it('refuses a form without its token, and one from another site', async () => {
      const order = await paidOrder(t, 'Mallory');
      const action = `/admin/orders/${order.id}/ready`;
      // Same origin, logged in, but no token: refused.
      const [refused] = await Promise.all([
        page.waitForResponse((r) => r.url().endsWith(action)),
        // A string: this project's TypeScript has no DOM types; it runs in the page.
        page.evaluate(
          `(() => { const f = document.createElement('form'); f.method = 'post'; f.action = ${JSON.stringify(action)}; document.body.append(f); f.submit(); })()`,
        ),
      ]);
      expect(refused.status()).toBe(403);
      await page.waitForLoadState();
      expect(await page.textContent('main')).toContain('Nothing changed');
      // Another site posting to the dashboard: the SameSite=Strict cookie stays home, and there is no token.
      attacker = createServer((_req, res) => {
        res.setHeader('content-type', 'text/html');
        res.end(
          `<form method="post" action="${t.url}${action}"></form><script>document.forms[0].submit()</script>`,
        );
      });
      await new Promise<void>((resolve) => attacker.listen(0, '127.0.0.1', resolve));
      const evil = `http://localhost:${(attacker.address() as AddressInfo).port}/`;
      const [crossSite] = await Promise.all([
        page.waitForResponse((r) => r.url().endsWith(action)),
        page.goto(evil),
      ]);
      expect([401, 403]).toContain(crossSite.status());
      expect(orderState(t, order.id)).not.toBe('ready');
    });

    it('locks the login after wrong passwords, saying when to try again', async () => {
      await page.goto(`${t.url}/admin`);
      await submit(page, 'button:has-text("Log out")');
      const answers: { status: number; retryAfter: string | undefined }[] = [];
      for (let i = 1; i <= 6; i += 1) {
        await page.goto(`${t.url}/admin/login`);
        await page.fill('#password', `not the password ${i}`);
        const response = await submit(page, 'button:has-text("Log in")');
        answers.push({ status: response.status(), retryAfter: (await response.allHeaders())['retry-after'] });
      }
      expect(answers.slice(0, 4).map((a) => a.status)).toEqual([401, 401, 401, 401]);
      expect(answers[4]?.status).toBe(429);
      expect(answers[5]?.status).toBe(429);
      expect(Number(answers[5]?.retryAfter)).toBeGreaterThan(0);
      expect(await page.textContent('main')).toContain('Login is locked');
      // Even the right password waits out the lock.
      await page.goto(`${t.url}/admin/login`);
      await page.fill('#password', PASSWORD);
      expect((await submit(page, 'button:has-text("Log in")')).status()).toBe(429);
    });
  },
);
