import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { printedLines, unknownTokens } from './escpos.js';
import { answerText } from './helpers/mcp-answer.js';
import { mcpCaller } from './helpers/mcp-caller.js';
import { phoneBrowser } from './helpers/phone-browser.js';
import { seedShopOffers } from './helpers/shop-offers.js';
import { simTicketTokens } from './helpers/sim-tickets.js';
import { startTestApp, type TestApp } from './helpers/start-app.js';

interface Money {
  amount: number;
  display: string;
}
interface OrderOut {
  order_id: string;
  status: string;
  lines: { item_id: string; line_total: Money; discount?: Money; meal_deal?: string }[];
  totals: { subtotal: Money; discount: Money; total: Money };
  offers_applied: { kind: string; name: string; code?: string; amount: Money }[];
  confirmation_url?: string;
}

let t: TestApp;
const NOW = Date.parse('2026-11-24T17:00:00Z');

beforeAll(async () => {
  t = await startTestApp();
  seedShopOffers(t.app.store, NOW);
});
afterAll(async () => {
  await t.stop();
});

function caller(customer: string) {
  return mcpCaller<OrderOut & Record<string, unknown>>(t, customer);
}

const colas = [{ item_id: 'cola', quantity: 2 }];

describe('offers through the MCP client', () => {
  it('applies a code typed in any case, refuses it on reuse once used, and says what a minimum lacks', async () => {
    const call = await caller('cody');
    const first = await call('create_order', {
      lines: [{ item_id: 'cheeseburger', quantity: 1 }],
      promo_code: 'welcome',
      customer_name: 'Cody',
    });
    if (first.isError) throw new Error(answerText(first));
    const order = first.structuredContent as OrderOut;
    expect(order.offers_applied).toEqual([expect.objectContaining({ kind: 'promo_code', code: 'WELCOME' })]);
    expect(order.totals.discount.amount).toBe(Math.round((order.lines[0]?.line_total.amount ?? 0) / 10));
    const placed = (await call('place_order', { order_id: order.order_id })).structuredContent as OrderOut;
    expect(placed.status).toBe('awaiting_confirmation');
    const phone = phoneBrowser(t.url);
    const page = await phone.open(placed.confirmation_url ?? '');
    expect(page.html).toContain('Welcome 10 % (WELCOME)</td><td class="r">−$1.10');
    await phone.choose(placed.confirmation_url ?? '', {
      csrf: page.csrf,
      decision: 'approve',
      payment: 'online',
    });
    const uses = t.app.store.db
      .prepare('SELECT state FROM offer_code_uses WHERE order_id = ?')
      .pluck()
      .all(order.order_id);
    expect(uses).toEqual(['used']);

    const again = await call('create_order', {
      lines: [{ item_id: 'cheeseburger', quantity: 1 }],
      promo_code: 'WELCOME',
    });
    expect(again.isError).toBe(true);
    expect(answerText(again)).toMatch(/already used code WELCOME/);

    const short = await call('create_order', { lines: colas, promo_code: 'big5' });
    expect(short.isError).toBe(true);
    expect(answerText(short)).toContain('$14.50 more');
    const unknown = await call('create_order', { lines: colas, promo_code: 'NOPE' });
    expect(answerText(unknown)).toContain('There is no code "NOPE"');
  });

  it('prices a meal deal ordered with its choices, shows its parts, and keeps a code off it', async () => {
    const call = await caller('deal');
    const answer = await call('create_order', {
      lines: [
        {
          item_id: 'lunch-deal',
          quantity: 1,
          choices: [
            { item_id: 'cheeseburger' },
            { item_id: 'fries', option_ids: ['side-large'] },
            { item_id: 'cola' },
          ],
        },
      ],
    });
    const order = answer.structuredContent as OrderOut;
    expect(order.lines.map((l) => [l.item_id, l.meal_deal])).toEqual([
      ['cheeseburger', 'Lunch deal'],
      ['fries', 'Lunch deal'],
      ['cola', 'Lunch deal'],
    ]);
    // $10.95 + $4.50 + $2.75 of items for $12.00; the large fries' $1.50 is charged as usual.
    expect(order.totals.discount.amount).toBe(620);
    expect(order.totals.subtotal.amount).toBe(1350);
    expect(answerText(answer)).toContain('    - part of Lunch deal: ');
    const stacked = await call('update_order', { order_id: order.order_id, promo_code: 'FLY-7Q2K' });
    expect(stacked.isError).toBe(true);
    expect(answerText(stacked)).toContain('cannot be combined with a meal deal');
    const wrong = await call('update_order', {
      order_id: order.order_id,
      add_lines: [{ item_id: 'lunch-deal', quantity: 1, choices: [{ item_id: 'fries' }] }],
    });
    expect(answerText(wrong)).toContain('needs 3 choices');
  });

  it('prints a placed meal deal as the deal with its parts under it, and what offers took off', async () => {
    const call = await caller('deal-printed');
    const created = await call('create_order', {
      customer_name: 'Dee',
      lines: [
        {
          item_id: 'lunch-deal',
          quantity: 1,
          choices: [
            { item_id: 'cheeseburger', note: 'no pickles' },
            { item_id: 'fries', option_ids: ['side-large'] },
            { item_id: 'cola' },
          ],
        },
      ],
    });
    if (created.isError) throw new Error(answerText(created));
    const order = created.structuredContent as unknown as OrderOut & { code: string };
    const placed = (await call('place_order', { order_id: order.order_id })).structuredContent as OrderOut;
    const phone = phoneBrowser(t.url);
    const page = await phone.open(placed.confirmation_url ?? '');
    await phone.choose(placed.confirmation_url ?? '', {
      csrf: page.csrf,
      decision: 'approve',
      payment: 'online',
    });
    const tokens = await simTicketTokens(t.dataDir, order.code);
    expect(unknownTokens(tokens)).toEqual([]);
    const lines = printedLines(tokens);
    const at = (start: string) => lines.findIndex((l) => l.text.startsWith(start));
    expect(lines[at('1 x Lunch deal')]).toMatchObject({ bold: true });
    expect(at('   1 x Cheeseburger')).toBeGreaterThan(at('1 x Lunch deal'));
    expect(at('     NOTE: no pickles')).toBeGreaterThan(at('   1 x Cheeseburger'));
    expect(at('   1 x Fries')).toBeGreaterThan(at('     NOTE: no pickles'));
    expect(at('     + Large')).toBe(at('   1 x Fries') + 1);
    expect(at('   1 x Cola')).toBeGreaterThan(at('     + Large'));
    expect(lines.find((l) => l.text.startsWith('Offers'))?.text).toMatch(/^Offers +-\$6\.20$/);
    const paid = lines.find((l) => l.text.startsWith('PAID'))?.text ?? '';
    expect(paid.endsWith(` ${order.totals.total.display}`)).toBe(true);
  });

  it('lets exactly one of two orders racing for a single-use code have it; the other is refused and not placed', async () => {
    const calls = await Promise.all(['race-a', 'race-b'].map((c) => caller(c)));
    const carts = await Promise.all(
      calls.map(
        async (call, i) =>
          (
            await call('create_order', {
              lines: [{ item_id: 'fries', quantity: 1 }],
              promo_code: 'fly-7q2k',
              customer_name: `Racer ${i}`,
            })
          ).structuredContent as OrderOut,
      ),
    );
    expect(carts.map((c) => c.totals.discount.amount)).toEqual([300, 300]);
    const results = await Promise.all(
      calls.map((call, i) => call('place_order', { order_id: carts[i]?.order_id })),
    );
    const won = results.filter((r) => r.isError !== true);
    const lost = results.filter((r) => r.isError === true);
    expect(won).toHaveLength(1);
    expect(lost).toHaveLength(1);
    expect(lost.map(answerText).join('')).toMatch(/FLY-7Q2K has been used up[\s\S]*promo_code_refused/);
    const states = t.app.store.db
      .prepare('SELECT state FROM orders WHERE id IN (?, ?) ORDER BY state')
      .pluck()
      .all(...carts.map((c) => c.order_id));
    expect(states).toEqual(['awaiting_confirmation', 'cart']);
    expect(
      t.app.store.db.prepare("SELECT COUNT(*) FROM offer_code_uses WHERE code_id = 'flyer-1'").pluck().get(),
    ).toBe(1);
  });
  // Last: the clock only moves forward (a clock set back stops ordering), so this test ends the file.
  it('prices drinks at the happy-hour price at 17:05 and not at 16:55, and says so in the shop info', async () => {
    t.clock.set('2026-11-24T21:55:00Z'); // 16:55 in New York
    const before = await (await caller('hh-early'))('create_order', { lines: colas });
    expect(before.structuredContent?.totals.discount.amount).toBe(0);
    expect(before.structuredContent?.totals.subtotal.amount).toBe(550);
    const closed = await (await caller('hh-early'))('get_shop_info');
    expect(closed.structuredContent?.offers).toContainEqual(
      expect.objectContaining({ offer_id: 'happy-hour', active_now: false }),
    );

    t.clock.set('2026-11-24T22:05:00Z'); // 17:05
    const call = await caller('hh-late');
    const during = (await call('create_order', { lines: colas })).structuredContent;
    expect(during?.lines[0]?.discount?.amount).toBe(138); // 25 % of $5.50, half a cent up
    expect(during?.totals).toMatchObject({ discount: { amount: 138 }, subtotal: { amount: 412 } });
    expect(during?.offers_applied).toEqual([
      expect.objectContaining({
        kind: 'happy_hour',
        name: 'Happy hour',
        amount: expect.objectContaining({ amount: 138 }),
      }),
    ]);
    const search = await call('search_menu', { query: 'cola' });
    expect(search.structuredContent?.offers).toContainEqual(
      expect.objectContaining({ offer_id: 'happy-hour', active_now: true }),
    );
    expect(answerText(search)).toContain('never promise another discount');
  });
});
