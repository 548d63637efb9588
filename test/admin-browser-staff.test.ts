import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { printedLines, tokenize, unknownTokens } from './escpos.js';
import { capturePrinter, until } from './fixtures/capture-printer.js';
import { onboard, PASSWORD } from './helpers/owner-browser.js';
import { CHROMIUM, HAS_CHROMIUM, PHONE, phoneShot, submit } from './helpers/real-browser.js';
import { startTestApp, type TestApp } from './helpers/start-app.js';

/** A tablet at the till, held upright. */
const TABLET = { width: 820, height: 1180 } as const;

describe.skipIf(!HAS_CHROMIUM)(
  `staff taking an order in a real browser (skipped when ${CHROMIUM} is missing: apt-get install chromium)`,
  () => {
    const printer = capturePrinter();
    let t: TestApp;
    let browser: Browser;
    let page: Page;
    let shots: string;
    beforeAll(async () => {
      const port = await printer.listen(0);
      t = await startTestApp();
      await onboard(t, { printer: { kind: 'tcp', host: '127.0.0.1', port: String(port) } });
      shots = process.env.SHOTS_DIR ?? join(t.dataDir, 'screenshots');
      mkdirSync(shots, { recursive: true });
      // Root in CI and containers: chromium's sandbox needs user namespaces it may not have there.
      browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
      page = await browser.newPage({ viewport: TABLET });
    });
    afterAll(async () => {
      await browser?.close();
      await t?.stop();
      await printer.close();
    });

    it('places a counter order with options and a note that prints in the kitchen, marked as a staff order', async () => {
      await page.goto(`${t.url}/admin/login`);
      await page.fill('#password', PASSWORD);
      await submit(page, 'button[type=submit]:has-text("Log in")');
      await page.click('nav a:has-text("Take order")');
      expect(await page.textContent('h1')).toBe('Take an order');
      // Typing filters the items at once (the page's script); without it the Search button does.
      await page.fill('#q', 'slaw');
      expect(await page.isVisible('button.so-tile:has-text("Coleslaw")')).toBe(true);
      expect(await page.isVisible('button.so-tile:has-text("Cheeseburger")')).toBe(false);
      await page.fill('#q', '');
      await submit(page, 'button.so-tile:has-text("Cheeseburger")');
      expect(await page.textContent('h1')).toBe('Cheeseburger');
      await page.click('label.so-option:has-text("Double beef")');
      await page.fill('#note', 'no pickles');
      await submit(page, 'button:has-text("Add to the order")');
      await submit(page, 'button.so-tile:has-text("Coleslaw")');
      expect(await page.locator('.so-lines li').count()).toBe(2);
      await page.fill('#customer_name', 'Robin Till');
      await page.fill('#customer_phone', '(212) 555-0142');
      await page.screenshot({ path: join(shots, 'take-order-tablet.png'), fullPage: true });
      await submit(page, 'button:has-text("Paid at the counter · cash")');
      const flash = (await page.textContent('.flash.ok')) ?? '';
      const code = /Order (\w{4}) for Robin Till/.exec(flash)?.[1] ?? '';
      expect(flash).toMatch(/paid in cash · sent to the kitchen/);
      expect(code).not.toBe('');
      // The new form is empty, for the next customer.
      expect(await page.locator('.so-lines li').count()).toBe(0);

      await until(() => printer.received.some((doc) => doc.bytes.includes(code)), 10_000);
      const ticket = printer.received.find((doc) => doc.bytes.includes(code));
      const tokens = tokenize(ticket?.bytes ?? Buffer.alloc(0));
      expect(unknownTokens(tokens)).toEqual([]);
      const lines = printedLines(tokens).map((l) => l.text.trim());
      expect(lines).toContain(code);
      expect(lines).toContain('STAFF ORDER');
      expect(lines).toContain('For Robin');
      expect(lines).toContain('1 x Cheeseburger');
      expect(lines).toContain('+ Double beef');
      expect(lines).toContain('NOTE: no pickles');
      expect(lines).toContain('1 x Coleslaw');
      expect(lines.find((l) => l.startsWith('PAID'))).toMatch(/^PAID +\$\d+\.\d\d$/);

      await page.click('nav a:has-text("Dashboard")');
      expect(await page.textContent(`#order-${code}`)).toContain('Taken by staff');
    });

    it('fits a phone screen without scrolling sideways', async () => {
      await page.setViewportSize(PHONE);
      await page.goto(`${t.url}/admin/orders/new`);
      expect(await page.textContent('h1')).toBe('Take an order');
      const measured = await phoneShot(page, shots, 'take-order');
      expect(measured.scrollWidth).toBeLessThanOrEqual(measured.clientWidth);
      expect(measured.shotWidth).toBe(PHONE.width);
    });
  },
);
