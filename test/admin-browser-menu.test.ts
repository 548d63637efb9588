import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { acpClient } from './helpers/acp-client.js';
import { BOWLS_CSV, BROKEN_BOWLS_CSV, orderOnce } from './helpers/admin-pages.js';
import { answerText } from './helpers/mcp-answer.js';
import { onboard, PASSWORD } from './helpers/owner-browser.js';
import { CHROMIUM, HAS_CHROMIUM, submit } from './helpers/real-browser.js';
import { startTestApp, type TestApp } from './helpers/start-app.js';

describe.skipIf(!HAS_CHROMIUM)(
  `the owner's menu and keys in a real browser (skipped when ${CHROMIUM} is missing: apt-get install chromium)`,
  () => {
    let t: TestApp;
    let browser: Browser;
    let page: Page;
    beforeAll(async () => {
      t = await startTestApp();
      await onboard(t);
      // Root in CI and containers: chromium's sandbox needs user namespaces it may not have there.
      browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
      page = await browser.newPage();
      await page.goto(`${t.url}/admin/menu`);
      expect(page.url()).toBe(`${t.url}/admin/login`);
      await page.fill('#password', PASSWORD);
      await submit(page, 'button:has-text("Log in")');
    });
    afterAll(async () => {
      await browser?.close();
      await t?.stop();
    });

    it('imports a menu CSV: a broken file is refused row by row, a good one replaces the menu', async () => {
      await page.click('nav a:has-text("Menu")');
      await page.click('a:has-text("Import a menu file")');
      expect(page.url()).toBe(`${t.url}/admin/menu/import`);
      const file = (text: string) => ({ name: 'bowls.csv', mimeType: 'text/csv', buffer: Buffer.from(text) });

      await page.setInputFiles('#file', file(BROKEN_BOWLS_CSV));
      expect((await submit(page, 'button:has-text("Import")')).status()).toBe(422);
      const rows = await page.locator('table.problems tbody tr').allTextContents();
      expect(rows).toHaveLength(2);
      expect(rows[0]).toMatch(/^6price/);
      expect(rows[1]).toMatch(/^7dietary'vegn' is not a dietary tag/);

      await page.setInputFiles('#file', file(BOWLS_CSV));
      await submit(page, 'button:has-text("Import")');
      expect(page.url()).toBe(`${t.url}/admin/menu`);
      expect(await page.textContent('.flash')).toContain('The menu is replaced: 2 items');
      expect(await page.textContent('#item-poke-bowl')).toContain('$13.50');
    });

    it('marks an item sold out, and the assistant is told so', async () => {
      expect((await orderOnce(t, 'poke-bowl', ['bowl-regular'])).isError).toBeFalsy();
      await submit(page, '#item-poke-bowl button:has-text("Sold out")');
      expect(page.url()).toBe(`${t.url}/admin/menu#item-poke-bowl`);
      expect(await page.textContent('.flash')).toContain('Poke Bowl is sold out');
      expect(await page.textContent('#item-poke-bowl .badge')).toBe('sold out');
      const refused = await orderOnce(t, 'poke-bowl', ['bowl-regular']);
      expect(refused.isError).toBe(true);
      expect(answerText(refused)).toContain('item_sold_out');
    });

    it('issues an ACP key, shown once, that checks out', async () => {
      await page.click('nav a:has-text("Keys")');
      await page.fill('#acp-name', 'ChatGPT');
      expect((await submit(page, 'button:has-text("Create the key")')).status()).toBe(200);
      expect(await page.textContent('main')).toContain('shown only this once');
      const secret = await page.inputValue('#secret');
      expect(secret).toMatch(/^cpk_[A-Za-z0-9_-]{43}$/);
      const created = await acpClient(t.url, secret).post('/checkout_sessions', {
        line_items: [{ id: 'tofu-bowl' }],
      });
      expect(created.status).toBe(201);
      await page.click('a:has-text("Back to the keys")');
      expect(await page.textContent('#acp')).toContain('ChatGPT');
      expect(await page.textContent('body')).not.toContain(secret);
    });
  },
);
