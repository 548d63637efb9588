import { mkdirSync, readdirSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BOWLS_CSV } from './helpers/admin-pages.js';
import { type OrderLine, orderState, paidOrder } from './helpers/owner-browser.js';
import { CHROMIUM, HAS_CHROMIUM, PHONE, phoneShot, submit } from './helpers/real-browser.js';
import { PUBLIC_URL, startTestApp, type TestApp } from './helpers/start-app.js';

/** The onboarding imports BOWLS_CSV: the orders are a regular poke bowl. */
const BOWL: OrderLine = { item_id: 'poke-bowl', quantity: 1, option_ids: ['bowl-regular'] };

const PASSWORD = 'plenty of words here';

describe.skipIf(!HAS_CHROMIUM)(
  `the owner in a real browser (skipped when ${CHROMIUM} is missing: apt-get install chromium)`,
  () => {
    let t: TestApp;
    let browser: Browser;
    let page: Page;
    let attacker: Server;
    let shots: string;
    beforeAll(async () => {
      t = await startTestApp();
      // The screenshots go with the test's data unless SHOTS_DIR asks to keep them for a look.
      shots = process.env.SHOTS_DIR ?? join(t.dataDir, 'screenshots');
      mkdirSync(shots, { recursive: true });
      // Root in CI and containers: chromium's sandbox needs user namespaces it may not have there.
      browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
      // A phone in Paris whose owner reads French: the onboarding's first guesses come from these.
      page = await browser.newPage({ viewport: PHONE, locale: 'fr-FR', timezoneId: 'Europe/Paris' });
    });
    afterAll(async () => {
      await browser?.close();
      await new Promise((resolve) => (attacker === undefined ? resolve(undefined) : attacker.close(resolve)));
      await t?.stop();
    });

    /** Screenshots the page at phone size and holds it to the screen's width: nothing scrolls sideways. */
    async function fitsPhone(name: string): Promise<void> {
      const measured = await phoneShot(page, shots, name);
      expect(measured.scrollWidth, name).toBeLessThanOrEqual(measured.clientWidth);
      expect(measured.shotWidth, name).toBe(PHONE.width);
    }

    it('finds the owner pages from the front page, with the shop, its connector address and QR, and an icon', async () => {
      await page.goto(`${t.url}/`);
      expect(await page.textContent('h1')).toBe('Bun & Done Burger Bar');
      expect(await page.inputValue('#mcp-url')).toBe(`${PUBLIC_URL}/mcp`);
      expect(await page.getAttribute('img', 'alt')).toBe(`QR code of ${PUBLIC_URL}/mcp`);
      // Both icons decode in the browser (a string: this project's TypeScript has no DOM types).
      const iconWidth = (src: string) =>
        page.evaluate(
          `new Promise((resolve) => { const i = new Image(); i.onload = () => resolve(i.naturalWidth); i.onerror = () => resolve(0); i.src = ${JSON.stringify(src)}; })`,
        );
      expect(await iconWidth('/favicon.ico')).toBe(32);
      expect(await iconWidth('/favicon.svg')).toBeGreaterThan(0);
      await fitsPhone('home');
      await page.click('a:has-text("Owner pages")');
      expect(page.url()).toBe(`${t.url}/admin/onboarding`);
    });

    it('sets up a real shop from empty fields, guessing the time zone and language from the browser', async () => {
      expect(await page.inputValue('#name')).toBe('');
      expect(await page.inputValue('#address')).toBe('');
      expect(await page.inputValue('#tax_percent')).toBe('');
      // The browser's zone (filled in by the page's script) and language (Accept-Language) as first guesses.
      expect(await page.inputValue('#timezone')).toBe('Europe/Paris');
      expect(await page.inputValue('#locale')).toBe('fr-FR');
      expect(await page.inputValue('#currency')).toBe('EUR');
      expect(await page.locator('#timezones option[value="America/New_York"]').count()).toBe(1);
      expect(await page.locator('nav').count()).toBe(0);
      await fitsPhone('onboarding-shop');
      await page.fill('#password', PASSWORD);
      await page.fill('#password_again', PASSWORD);
      await page.fill('#name', 'Browser Burgers');
      await page.selectOption('#currency', 'USD');
      await page.fill('#tax_percent', '8.875');
      // Open around the clock, so ordering works at the test clock's hour.
      for (const day of ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun']) {
        await page.fill(`input[name=${day}_open]`, '00:00');
        await page.fill(`input[name=${day}_close]`, '24:00');
        await page.uncheck(`input[name=${day}_closed]`);
      }
      await submit(page, 'button:has-text("Save and continue")');
      expect(page.url()).toBe(`${t.url}/admin/onboarding/menu`);
      // Tapping the dashboard mid-way comes back to the step reached, not to step 1.
      await page.goto(`${t.url}/admin`);
      expect(page.url()).toBe(`${t.url}/admin/onboarding/menu`);
      expect(await page.locator('nav').count()).toBe(0);
    });

    it('starts from an empty menu, then goes back and imports a CSV file instead', async () => {
      await fitsPhone('onboarding-menu');
      await page.check('input[name=start][value=empty]');
      await submit(page, 'button:has-text("Save and continue")');
      expect(page.url()).toBe(`${t.url}/admin/onboarding/printer`);
      expect(await page.textContent('.flash')).toContain('The menu is empty');
      await page.click('.steps a:has-text("back")');
      expect(page.url()).toBe(`${t.url}/admin/onboarding/menu`);
      expect(await page.textContent('form[action="/admin/onboarding/menu"]')).toContain(
        'The menu has 0 items now',
      );
      await page.check('input[name=start][value=file]');
      await page.setInputFiles('#file', {
        name: 'bowls.csv',
        mimeType: 'text/csv',
        buffer: Buffer.from(BOWLS_CSV),
      });
      await submit(page, 'button:has-text("Save and continue")');
      expect(page.url()).toBe(`${t.url}/admin/onboarding/printer`);
      expect(await page.textContent('.flash')).toContain('The menu is imported: 2 items');
    });

    it('prints a test ticket, leaves the public address for later and lands on the dashboard', async () => {
      await fitsPhone('onboarding-printer');
      await page.check('input[name=kind][value=sim]');
      await submit(page, 'button:has-text("print a test ticket")');
      expect(await page.textContent('.flash')).toContain('test ticket was saved as a file');
      expect(readdirSync(join(t.dataDir, 'tickets')).some((f) => /^test-\d+\.txt$/.test(f))).toBe(true);
      await submit(page, 'button:has-text("Save and continue")');
      expect(page.url()).toBe(`${t.url}/admin/onboarding/address`);
      await fitsPhone('onboarding-address');
      await submit(page, 'button:has-text("finish without it")');
      expect(page.url()).toBe(`${t.url}/admin`);
      expect(await page.textContent('h1')).toBe('Orders today');
      expect(await page.textContent('header.top')).toContain('Browser Burgers');
      // Links only for the pages that exist, in the shell's nav order.
      const nav = await page.locator('nav a').allTextContents();
      const order = [
        'Dashboard',
        'Take order',
        'Sales',
        'Menu',
        'Offers',
        'Stations',
        'Settings',
        'Keys',
        'Connect',
        'Audit',
        'Backups',
        'Reports',
        'Help',
      ];
      expect(nav).toContain('Dashboard');
      expect(nav).toContain('Connect');
      expect(nav).toEqual(order.filter((label) => nav.includes(label)));
      await fitsPhone('dashboard');
    });

    it('pauses and resumes ordering from the dashboard', async () => {
      await submit(page, '#status button:has-text("Pause ordering")');
      expect(page.url()).toBe(`${t.url}/admin`);
      expect(await page.textContent('.flash')).toContain('Ordering is paused');
      expect(await page.textContent('.paused')).toContain('not taking orders');
      expect(await page.textContent('#status .ordering')).toContain('Paused');
      await fitsPhone('dashboard-paused');
      await submit(page, '.paused button:has-text("Resume ordering")');
      expect(await page.textContent('.flash')).toContain('Ordering is on again');
      expect(await page.locator('.paused').count()).toBe(0);
      expect(await page.textContent('#status .ordering')).toContain('Open: taking orders');
      await page.goto(`${t.url}/`);
      expect(await page.textContent('h1')).toBe('Browser Burgers');
      await page.goto(`${t.url}/admin`);
    });

    it('fits a phone on every owner page: none scrolls sideways', async () => {
      for (const path of [
        'menu',
        'menu/items/poke-bowl',
        'menu/import',
        'stations',
        'settings',
        'keys',
        'connect',
        'audit',
        'backups',
      ]) {
        await page.goto(`${t.url}/admin/${path}`);
        expect(page.url()).toBe(`${t.url}/admin/${path}`);
        await fitsPhone(path.replaceAll('/', '-'));
      }
      await page.goto(`${t.url}/admin`);
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
      const order = await paidOrder(t, 'Grace', BOWL);
      // No reload: the event stream tells the page, which fetches the board again.
      const card = page.locator(`#order-${order.code}`);
      await card.waitFor();
      expect(await card.textContent()).toContain('1 × Poke Bowl');
      expect(await card.textContent()).toContain('Grace');
      expect(await card.textContent()).not.toContain('Lovelace');
      await submit(page, `#order-${order.code} button:has-text("Mark ready")`);
      expect(await page.textContent('.flash')).toContain(`Order ${order.code} is ready`);
      expect(await page.getAttribute(`#order-${order.code}`, 'class')).toContain('ready');
      expect(orderState(t, order.id)).toBe('ready');
    });

    it('refuses a form without its token, and one from another site', async () => {
      const order = await paidOrder(t, 'Mallory', BOWL);
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
