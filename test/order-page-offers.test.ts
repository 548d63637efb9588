import { chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOffersRepo } from '../src/store/offers-repo.js';
import { createStampsRepo } from '../src/store/stamps-repo.js';
import { answerText } from './helpers/mcp-answer.js';
import { mcpCaller } from './helpers/mcp-caller.js';
import { phoneBrowser } from './helpers/phone-browser.js';
import { CHROMIUM, HAS_CHROMIUM } from './helpers/real-browser.js';
import { startTestApp, type TestApp } from './helpers/start-app.js';

interface Out {
  order_id: string;
  confirmation_url?: string;
}

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
  createOffersRepo({ store: t.app.store }).insert(
    {
      kind: 'meal_deal',
      offer: {
        id: 'lunch-deal',
        name: 'Lunch <deal>',
        price: { kind: 'fixed', amount: 1200 },
        slots: [
          { name: 'Burger', itemIds: ['cheeseburger'], categoryIds: [] },
          { name: 'Side', itemIds: [], categoryIds: ['sides'] },
          { name: 'Drink', itemIds: [], categoryIds: ['drinks'] },
        ],
      },
    },
    0,
  );
  // Two paid orders of $10.00 or more fill the card; the reward is a free cola.
  createStampsRepo({ store: t.app.store }).saveCard(
    { enabled: true, minimum: 1000, stamps: 2, reward: { kind: 'item', itemId: 'cola' } },
    0,
  );
});
afterAll(async () => {
  await t.stop();
});

async function caller(customer: string) {
  const call = await mcpCaller<Out & Record<string, unknown>>(t, customer);
  return async (name: string, args: Record<string, unknown>) => {
    const answer = await call(name, args);
    if (answer.isError) throw new Error(answerText(answer));
    return answer.structuredContent as Out;
  };
}

async function orderPage(orderId: string): Promise<string> {
  const res = await fetch(`${t.url}/o/${orderId}`);
  expect(res.status).toBe(200);
  return res.text();
}

/** The page's text with tags dropped and spaces folded, to read it as the customer does. */
const words = (html: string) =>
  html
    .replace(/<[^>]+>/g, ' ')
    .replace(/&#(\d+);/g, (_, code: string) => String.fromCharCode(Number(code)))
    .replace(/\s+/g, ' ')
    .trim();

describe('the order page of a discounted order', () => {
  it('shows the lines with their discounts, the deal with its parts under it, the offers, the totals and the stamp card', async () => {
    const call = await caller('page-dee');
    const created = await call('create_order', {
      customer_name: 'Dee',
      lines: [
        {
          item_id: 'lunch-deal',
          quantity: 1,
          choices: [
            { item_id: 'cheeseburger', note: 'no <b>onions</b> & "pickles"' },
            { item_id: 'fries', option_ids: ['side-large'] },
            { item_id: 'cola' },
          ],
        },
        { item_id: 'fries', quantity: 1 },
      ],
    });
    const placed = await call('place_order', { order_id: created.order_id });
    const waiting = await orderPage(created.order_id);
    expect(waiting).toContain('<tr><td colspan="2"><b>1 × Lunch &#60;deal&#62;</b></td></tr>');
    expect(waiting).toContain('<td class="part">1 × Cheeseburger');
    expect(waiting).toContain('Note: no &#60;b&#62;onions&#60;/b&#62; &#38; &#34;pickles&#34;');
    expect(waiting).not.toContain('<b>onions');
    const text = words(waiting);
    // $10.95 + $4.50 + $2.75 of items for $12.00 (the large fries' $1.50 as usual), then fries on their own.
    expect(text).toContain('1 × Fries Large $6.00 −$1.53');
    expect(text).toContain('Items $24.20 Lunch <deal> −$6.20 Subtotal $18.00');
    expect(text).toMatch(/1 × Fries Regular \$4\.50 Items/);
    expect(text).toContain('Stamp card: 0 of 2 stamps. 2 stamps give a free Cola.');

    await phoneBrowser(t.url).approve(placed.confirmation_url ?? '', 'online');
    const paid = words(await orderPage(created.order_id));
    expect(paid).toContain('Stamp card: 1 of 2 stamps.');

    const second = await call('create_order', { lines: [{ item_id: 'cheeseburger', quantity: 1 }] });
    const placedAgain = await call('place_order', { order_id: second.order_id });
    await phoneBrowser(t.url).approve(placedAgain.confirmation_url ?? '', 'online');
    const full = words(await orderPage(second.order_id));
    expect(full).toContain('Your stamp card is full: a free Cola comes off your next order.');
    expect(full).not.toContain('Items');
    expect(full).toMatch(/1 × Cheeseburger Beef, Brioche bun \$10\.95 Subtotal \$10\.95/);
  });
});

describe.skipIf(!HAS_CHROMIUM)(`the order page on a phone (skipped when ${CHROMIUM} is missing)`, () => {
  it('fits a 360 px wide screen with a long note, and indents the deal parts under the deal', async () => {
    const call = await caller('page-phone');
    const created = await call('create_order', {
      customer_name: 'Pat',
      lines: [
        {
          item_id: 'lunch-deal',
          quantity: 1,
          choices: [
            { item_id: 'cheeseburger', note: 'x'.repeat(120) },
            { item_id: 'fries', option_ids: ['side-large'] },
            { item_id: 'cola' },
          ],
        },
      ],
    });
    await call('place_order', { order_id: created.order_id });
    const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
    try {
      const context = await browser.newContext({ viewport: { width: 360, height: 740 }, isMobile: true });
      const page = await context.newPage();
      await page.goto(`${t.url}/o/${created.order_id}`);
      // Run in the page (a string: these tests are typed without the DOM's types).
      const layout = (await page.evaluate(`(() => {
        const deal = document.querySelector('.items td[colspan] b').getBoundingClientRect().left;
        const part = [...document.querySelectorAll('.items td.part')].find((td) => td.textContent.includes('Cheeseburger'));
        const range = document.createRange();
        range.selectNodeContents(part.firstChild);
        return { scrollWidth: document.documentElement.scrollWidth, deal, part: range.getBoundingClientRect().left };
      })()`)) as { scrollWidth: number; deal: number; part: number };
      expect(layout.scrollWidth).toBeLessThanOrEqual(360);
      expect(layout.part).toBeGreaterThan(layout.deal + 8);
    } finally {
      await browser.close();
    }
  });
});
