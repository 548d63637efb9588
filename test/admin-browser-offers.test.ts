import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { answerText, type ToolAnswer } from './helpers/mcp-answer.js';
import { onboard, PASSWORD } from './helpers/owner-browser.js';
import { phoneBrowser } from './helpers/phone-browser.js';
import { CHROMIUM, HAS_CHROMIUM, PHONE, phoneShot, submit } from './helpers/real-browser.js';
import { startTestApp, TEST_CUSTOMER_HEADER, type TestApp } from './helpers/start-app.js';
import { tempDirs } from './helpers/temp-dirs.js';

const tempDir = tempDirs();

interface Out {
  order_id: string;
  confirmation_url?: string;
  totals: { discount: { amount: number }; total: { amount: number } };
}

/** A customer's assistant: the MCP SDK client, keyed calls, errors thrown with their text. */
async function customer(t: TestApp, name: string) {
  const client = new Client({ name: 'counterpi-test', version: '1.0.0' });
  await client.connect(
    new StreamableHTTPClientTransport(new URL(`${t.url}/mcp`), {
      requestInit: { headers: { [TEST_CUSTOMER_HEADER]: name } },
    }),
  );
  const call = async (tool: string, args: Record<string, unknown>) =>
    (await client.callTool({
      name: tool,
      arguments: { idempotency_key: randomUUID(), ...args },
    })) as ToolAnswer<Out & Record<string, unknown>>;
  const pay = async (orderId: string) => {
    const placed = (await call('place_order', { order_id: orderId })).structuredContent as Out;
    await phoneBrowser(t.url).approve(placed.confirmation_url ?? '', 'online');
    return placed;
  };
  return { call, pay, close: () => client.close() };
}

describe.skipIf(!HAS_CHROMIUM)(
  `the owner's offers in a real browser (skipped when ${CHROMIUM} is missing: apt-get install chromium)`,
  () => {
    let t: TestApp;
    let browser: Browser;
    let page: Page;
    const shots = tempDir('offers-shots-');
    beforeAll(async () => {
      t = await startTestApp();
      await onboard(t);
      browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
      page = await browser.newPage({ viewport: PHONE, acceptDownloads: true });
      await page.goto(`${t.url}/admin/offers`);
      await page.fill('#password', PASSWORD);
      await submit(page, 'button:has-text("Log in")');
    });
    afterAll(async () => {
      await browser?.close();
      await t?.stop();
    });

    let codes: string[] = [];

    it('makes a promo code offer and a batch of single-use codes, and downloads them as CSV', async () => {
      await page.click('nav a:has-text("Offers")');
      expect(page.url()).toBe(`${t.url}/admin/offers`);
      await page.click('a:has-text("Add a promo code")');
      await page.fill('#name', 'Flyer $3 off');
      await page.selectOption('#value_kind', 'amount');
      await page.fill('#value', '3.O0');
      expect((await submit(page, 'button:has-text("Save the offer")')).status()).toBe(422);
      expect(await page.inputValue('#name')).toBe('Flyer $3 off');
      expect(await page.textContent('.field.invalid')).toContain('Write an amount in USD');
      await page.fill('#value', '3.00');
      await submit(page, 'button:has-text("Save the offer")');
      expect(page.url()).toBe(`${t.url}/admin/offers/flyer-3-off#codes`);

      await page.fill('#count', '5');
      await page.fill('#prefix', 'fly');
      await submit(page, 'button:has-text("Make the codes")');
      expect(await page.textContent('.flash')).toContain('5 single-use codes are made');
      const [download] = await Promise.all([
        page.waitForEvent('download'),
        page.click('a:has-text("Download CSV")'),
      ]);
      const csv = readFileSync((await download.path()) ?? '', 'utf8');
      const [header, ...rows] = csv.trim().split('\r\n');
      expect(header).toBe('code');
      codes = rows;
      expect(codes).toHaveLength(5);
      for (const code of codes) expect(code).toMatch(/^FLY-[ACDEFHJKMNPRTUVWXY34679]{8}$/);
    });

    it('makes a meal deal from a burger, any side and any drink for $12.00', async () => {
      await page.click('nav a:has-text("Offers")');
      await page.click('a:has-text("Add a meal deal")');
      await page.fill('#name', 'Lunch deal');
      await page.fill('#slot_name_1', 'Burger');
      await page.click('#slot_1 summary:has-text("Single items")');
      await page.check('input[name="slot_1"][value="item:cheeseburger"]');
      await page.fill('#slot_name_2', 'Side');
      await page.check('input[name="slot_2"][value="cat:sides"]');
      await page.fill('#slot_name_3', 'Drink');
      await page.check('input[name="slot_3"][value="cat:drinks"]');
      await page.fill('#price_value', '12.00');
      const wide = await phoneShot(page, shots, 'meal-deal-form');
      expect(wide.scrollWidth).toBeLessThanOrEqual(wide.clientWidth);
      await submit(page, 'button:has-text("Save the offer")');
      expect(page.url()).toBe(`${t.url}/admin/offers#offer-lunch-deal`);
      expect(await page.textContent('#offer-lunch-deal')).toContain('active now');
    });

    it('lets a customer use a code of the batch and the meal deal as allowed, and the owner sees the uses', async () => {
      const ada = await customer(t, 'browser-ada');
      const deal = await ada.call('create_order', {
        lines: [
          {
            item_id: 'lunch-deal',
            quantity: 1,
            choices: [{ item_id: 'cheeseburger' }, { item_id: 'fries' }, { item_id: 'cola' }],
          },
        ],
        customer_name: 'Ada',
      });
      const dealOrder = deal.structuredContent as Out;
      // $10.95 + $4.50 + $2.75 of items for $12.00.
      expect(dealOrder.totals.discount.amount).toBe(620);
      // The code does not combine with a meal deal (the owner did not tick it).
      const stacked = await ada.call('update_order', { order_id: dealOrder.order_id, promo_code: codes[0] });
      expect(answerText(stacked)).toContain('cannot be combined with a meal deal');
      const paidDeal = await ada.pay(dealOrder.order_id);

      const coded = await ada.call('create_order', {
        lines: [{ item_id: 'fries', quantity: 2 }],
        promo_code: codes[0]?.toLowerCase(),
        customer_name: 'Ada',
      });
      const codeOrder = coded.structuredContent as Out;
      expect(codeOrder.totals.discount.amount).toBe(300);
      await ada.pay(codeOrder.order_id);
      // Single use: a second customer is refused the same code.
      const ben = await customer(t, 'browser-ben');
      const again = await ben.call('create_order', {
        lines: [{ item_id: 'fries', quantity: 1 }],
        promo_code: codes[0],
      });
      expect(answerText(again)).toContain('has been used up');

      await page.click('nav a:has-text("Offers")');
      // Revenue is what the deal's order paid: $12.00 of items and the sales tax on them.
      const revenue = `$${(paidDeal.totals.total.amount / 100).toFixed(2)} revenue`;
      expect(paidDeal.totals.total.amount).toBeGreaterThan(1200);
      expect(await page.textContent('#offer-lunch-deal')).toContain(`1 use · $6.20 off · ${revenue}`);
      expect(await page.textContent('#offer-flyer-3-off')).toContain('1 use · $3.00 off');
      await page.click('#offer-flyer-3-off a');
      expect(await page.textContent('#batches')).toContain('Batch of 5 single-use codes');
      expect(await page.textContent('#batches')).toContain('1 used');
      await ada.close();
      await ben.close();
    });
  },
);
