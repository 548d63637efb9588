import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createManualClock } from '../src/platform/clock.js';
import { addScreenStation, paidOrderOf, pairingCode } from './helpers/kitchen-screen.js';
import { type OwnerBrowser, onboard, ownerBrowser, PASSWORD } from './helpers/owner-browser.js';
import { CHROMIUM, HAS_CHROMIUM, submit } from './helpers/real-browser.js';
import { startTestApp, type TestApp } from './helpers/start-app.js';

/** A tablet on the kitchen wall, on its side. */
const LANDSCAPE = { width: 1180, height: 820 } as const;
const PORTRAIT = { width: 820, height: 1180 } as const;

describe.skipIf(!HAS_CHROMIUM)(
  `the kitchen screen in a real browser (skipped when ${CHROMIUM} is missing: apt-get install chromium)`,
  () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'counterpi-kitchen-screen-'));
    const clock = createManualClock('2026-11-24T17:00:00Z');
    let t: TestApp;
    let owner: OwnerBrowser;
    let browser: Browser;
    let screen: Page;
    let grill = 0;
    let shots: string;
    const cards = (code: string) => screen.locator(`.card[data-code="${code}"]`);

    beforeAll(async () => {
      t = await startTestApp({ dataDir, clock });
      owner = await onboard(t);
      grill = await addScreenStation(owner, 'Grill', { categories: ['burgers', 'sides'], default: true });
      await addScreenStation(owner, 'Drinks', { categories: ['drinks'] });
      const page = await owner.get('/admin/stations');
      await owner.post('/admin/stations/screen/timers', { csrf: page.csrf ?? '', amber: '1', red: '2' });
      shots = process.env.SHOTS_DIR ?? join(dataDir, 'screenshots');
      mkdirSync(shots, { recursive: true });
      browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
      screen = await browser.newPage({ viewport: LANDSCAPE });
    });
    afterAll(async () => {
      await browser?.close();
      await t?.stop();
      rmSync(dataDir, { recursive: true, force: true });
    });

    it('pairs with a code typed once, then shows a new order live, bumps it and recalls it', async () => {
      await screen.goto(`${t.url}/kitchen`);
      await screen.fill('#code', await pairingCode(owner));
      await submit(screen, 'button:has-text("Pair this tablet")');
      await screen.waitForSelector('#link.live');
      await screen.selectOption('#station', String(grill));
      await screen.waitForSelector('#link.live');
      await screen.click('#sound');
      expect(await screen.getAttribute('body', 'data-chimes')).toBe('1');

      const order = await paidOrderOf(t.url, [
        { item_id: 'cheeseburger', note: 'no pickles' },
        { item_id: 'cola' },
      ]);
      await cards(order.code).waitFor();
      const text = (await cards(order.code).textContent()) ?? '';
      expect(text).toContain('Cheeseburger');
      expect(text).toContain('NOTE: no pickles');
      expect(text).toContain('AI');
      expect(text).not.toContain('Cola');
      // A new card rang the chime.
      expect(await screen.getAttribute('body', 'data-chimes')).toBe('2');
      await screen.screenshot({ path: join(shots, 'kitchen-screen-landscape.png') });

      await cards(order.code).locator('button.bump').click();
      await cards(order.code).waitFor({ state: 'detached' });
      await screen.click('#recall');
      await cards(order.code).waitFor();
      expect(await cards(order.code).count()).toBe(1);
    });

    it('survives a server restart on the same data without losing or duplicating a card', async () => {
      const before = await screen.locator('.card').count();
      expect(before).toBe(1);
      const port = new URL(t.url).port;
      await t.stop();
      await screen.waitForSelector('#link.offline');
      t = await startTestApp({ dataDir, clock, env: { PORT: port } });
      owner = ownerBrowser(t.url);
      expect((await owner.login()).status).toBe(303);
      // Three minutes on: the first card is past red (2 minutes); the new one is fresh.
      clock.advance(3 * 60_000);
      const later = await paidOrderOf(t.url, [{ item_id: 'coleslaw' }], 'bob');
      await cards(later.code).waitFor({ timeout: 20_000 });
      await screen.waitForSelector('#link.live');
      expect(await screen.locator('.card').count()).toBe(2);
      expect(await screen.locator('.card.red').count()).toBe(1);
      expect(await cards(later.code).getAttribute('class')).toBe('card');
    });

    it('shows an order keyed in on the staff order screen, marked as staff, and fits a portrait tablet', async () => {
      const till = await browser.newPage({ viewport: PORTRAIT });
      await till.goto(`${t.url}/admin/login`);
      await till.fill('#password', PASSWORD);
      await submit(till, 'button[type=submit]:has-text("Log in")');
      await till.goto(`${t.url}/admin/orders/new`);
      await submit(till, 'button.so-tile:has-text("Coleslaw")');
      await till.fill('#customer_name', 'Robin Till');
      await submit(till, 'button:has-text("Paid at the counter · cash")');
      const flash = (await till.textContent('.flash.ok')) ?? '';
      const code = /Order (\w{4}) for Robin Till/.exec(flash)?.[1] ?? '';
      expect(code).not.toBe('');
      await cards(code).waitFor();
      expect(await cards(code).locator('.tag').textContent()).toBe('STAFF');
      expect(await cards(code).textContent()).toContain('Robin');

      await screen.setViewportSize(PORTRAIT);
      await screen.screenshot({ path: join(shots, 'kitchen-screen-portrait.png') });
      const [scrollWidth, clientWidth] = (await screen.evaluate(
        '[document.documentElement.scrollWidth, document.documentElement.clientWidth]',
      )) as [number, number];
      expect(scrollWidth).toBeLessThanOrEqual(clientWidth);
      // Large type: an order code is at least 40 px high, readable across the kitchen.
      const size = (await screen.evaluate(
        `getComputedStyle(document.querySelector('.card[data-code="${code}"] .code')).fontSize`,
      )) as string;
      expect(Number.parseFloat(size)).toBeGreaterThanOrEqual(40);
    });
  },
);
