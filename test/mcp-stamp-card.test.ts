import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config/config.js';
import { createSilentLogger } from '../src/platform/logger.js';
import { createStampsRepo } from '../src/store/stamps-repo.js';
import { buildServices } from '../src/wiring/build-services.js';
import { answerText } from './helpers/mcp-answer.js';
import { mcpCaller } from './helpers/mcp-caller.js';
import { phoneBrowser } from './helpers/phone-browser.js';
import { PUBLIC_URL, startTestApp, type TestApp } from './helpers/start-app.js';

interface Money {
  amount: number;
}
interface Card {
  stamps: number;
  stamps_needed: number;
  reward: string;
  reward_waiting: boolean;
}
interface Out {
  order_id: string;
  confirmation_url?: string;
  lines: { item_id: string; discount?: Money }[];
  totals: { subtotal: Money; discount: Money };
  offers_applied: { kind: string; amount: Money }[];
  stamp_card?: Card;
}

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
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
  const mcp = await mcpCaller<Out & Record<string, unknown>>(t, customer);
  const call = async (name: string, args: Record<string, unknown> = {}) => {
    const answer = await mcp(name, args);
    if (answer.isError) throw new Error(answerText(answer));
    return answer;
  };
  /** An order of `lines` placed and paid on the phone; its last answer. */
  const paidOrder = async (lines: { item_id: string; quantity: number }[]) => {
    const created = (await call('create_order', { lines, customer_name: customer })).structuredContent as Out;
    const placed = (await call('place_order', { order_id: created.order_id })).structuredContent as Out;
    await phoneBrowser(t.url).approve(placed.confirmation_url ?? '', 'online');
    return { created, placed };
  };
  const card = async () => (await call('get_shop_info')).structuredContent?.stamp_card as Card | undefined;
  return { call, paidOrder, card };
}

const burger = [{ item_id: 'cheeseburger', quantity: 1 }];
const burgerAndCola = [...burger, { item_id: 'cola', quantity: 1 }];

describe('the stamp card through the MCP client', () => {
  it('collects a stamp per paid order over the minimum, gives the reward on the next order, and shows it', async () => {
    const ana = await caller('stamp-ana');
    expect(await ana.card()).toMatchObject({ stamps: 0, stamps_needed: 2, reward_waiting: false });
    await ana.paidOrder([{ item_id: 'fries', quantity: 1 }]); // $4.50: under the minimum
    expect((await ana.card())?.stamps).toBe(0);
    await ana.paidOrder(burger);
    const one = await ana.call('get_shop_info');
    expect(one.structuredContent?.stamp_card).toMatchObject({ stamps: 1, reward: 'a free Cola (cola)' });
    expect(answerText(one)).toContain('Stamp card: 1 of 2 stamps');
    const { placed } = await ana.paidOrder(burger);
    expect(placed.stamp_card?.stamps).toBe(1); // shown as of placing: this order's stamp comes with payment
    expect(await ana.card()).toMatchObject({ stamps: 2, reward_waiting: true });

    const next = (await ana.call('create_order', { lines: burgerAndCola, customer_name: 'Ana' }))
      .structuredContent as Out;
    expect(next.lines.map((l) => l.discount?.amount ?? 0)).toEqual([0, 275]);
    expect(next.offers_applied).toEqual([
      expect.objectContaining({ kind: 'stamp_card', amount: expect.objectContaining({ amount: 275 }) }),
    ]);
    expect(next.stamp_card?.reward_waiting).toBe(true);
    const placed2 = (await ana.call('place_order', { order_id: next.order_id })).structuredContent as Out;
    await phoneBrowser(t.url).approve(placed2.confirmation_url ?? '', 'online');
    // The two stamps went on the cola; the burger over the minimum earned a new one.
    expect(await ana.card()).toMatchObject({ stamps: 1, reward_waiting: false });
  });

  it('is one card per signed-in customer: another customer has no stamps and no reward', async () => {
    const ben = await caller('stamp-ben');
    expect((await ben.card())?.stamps).toBe(0);
    const order = (await ben.call('create_order', { lines: burgerAndCola })).structuredContent as Out;
    expect(order.totals.discount.amount).toBe(0);
  });

  it('takes a refunded order’s stamp back, and gives back the stamps a refunded reward used', async () => {
    const cy = await caller('stamp-cy');
    const first = await cy.paidOrder(burger);
    await cy.paidOrder(burger);
    const rewarded = await cy.paidOrder(burgerAndCola);
    expect(rewarded.created.totals.discount.amount).toBe(275);
    expect((await cy.card())?.stamps).toBe(1);
    const config = loadConfig({ DATA_DIR: t.dataDir, PORT: '0', PUBLIC_URL });
    const s = await buildServices({ store: t.app.store }, config, {
      log: createSilentLogger(),
      clock: t.clock,
    });
    // The first order's stamp was spent on the reward: refunding it leaves the card as it is.
    await s.refunds.cancelPaid(first.created.order_id, 'owner');
    expect(await cy.card()).toMatchObject({ stamps: 1, reward_waiting: false });
    // The rewarded order refunded: its own stamp goes, the two it spent come back.
    await s.refunds.cancelPaid(rewarded.created.order_id, 'owner');
    expect(await cy.card()).toMatchObject({ stamps: 2, reward_waiting: true });
  });
});
