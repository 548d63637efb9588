import { randomUUID } from 'node:crypto';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config/config.js';
import { createSilentLogger } from '../src/platform/logger.js';
import { createOrderRefunds } from '../src/services/orders/order-refunds.js';
import { EXTERNAL_CHECK_MS } from '../src/store/change-counts.js';
import { createOffersRepo } from '../src/store/offers-repo.js';
import { buildServices } from '../src/wiring/build-services.js';
import { answerText, type ToolAnswer } from './helpers/mcp-answer.js';
import { phoneBrowser } from './helpers/phone-browser.js';
import { PUBLIC_URL, startTestApp, TEST_CUSTOMER_HEADER, type TestApp } from './helpers/start-app.js';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => {
  await t.stop();
});

/** An order placed through MCP and approved on the phone with the given way of paying. */
async function approvedOrder(customer: string, payment: 'online' | 'pay_at_pickup'): Promise<string> {
  const client = new Client({ name: 'counterpi-test', version: '1.0.0' });
  await client.connect(
    new StreamableHTTPClientTransport(new URL(`${t.url}/mcp`), {
      requestInit: { headers: { [TEST_CUSTOMER_HEADER]: customer } },
    }),
  );
  const call = async (name: string, args: Record<string, unknown>) =>
    (await client.callTool({ name, arguments: args })).structuredContent as Record<string, string>;
  const order = await call('create_order', {
    idempotency_key: randomUUID(),
    lines: [{ item_id: 'fries', quantity: 1 }],
    customer_name: customer,
    customer_phone: '+15555550111',
  });
  const placed = await call('place_order', { idempotency_key: randomUUID(), order_id: order.order_id ?? '' });
  await phoneBrowser(t.url).approve(placed.confirmation_url ?? '', payment);
  await client.close();
  return order.order_id ?? '';
}

/** The shop's services over the running shop's store, built as the shop builds its own. */
function services() {
  const config = loadConfig({ DATA_DIR: t.dataDir, PORT: '0', PUBLIC_URL });
  return buildServices({ store: t.app.store }, config, { log: createSilentLogger(), clock: t.clock });
}

/** The audit rows of an order's moves, oldest first. */
function moves(orderId: string) {
  return t.app.store.db
    .prepare(
      "SELECT action, actor, actor_kind AS actorKind FROM audit_log WHERE target = ? AND action LIKE 'order.%' ORDER BY seq",
    )
    .all(orderId);
}

describe('the shop cancels a paid order', () => {
  it('refunds a card payment and marks the order refunded', async () => {
    const id = await approvedOrder('Kai', 'online');
    const { refunds: r, ordersRepo } = await services();
    expect(['paid', 'in_kitchen']).toContain(ordersRepo.get(id)?.state);
    const result = await r.cancelPaid(id, 'owner');
    expect(result).toMatchObject({ refunded: true, order: { state: 'refunded' } });
    // The refund is in the audit log with who made it, committed with the move.
    expect(moves(id).at(-1)).toEqual({ action: 'order.refund', actor: 'owner', actorKind: 'owner' });
    await expect(r.cancelPaid(id, 'owner')).rejects.toThrow();
  });

  it('cancels an order to be paid at pickup without a refund', async () => {
    const id = await approvedOrder('Lu', 'pay_at_pickup');
    const result = await (await services()).refunds.cancelPaid(id, 'owner');
    expect(result).toMatchObject({ refunded: false, order: { state: 'canceled' } });
    expect(moves(id).at(-1)).toEqual({ action: 'order.cancel', actor: 'owner', actorKind: 'owner' });
  });
});

/** A customer's MCP calls; each answer's structured content, or its error text. */
async function customer(name: string) {
  const client = new Client({ name: 'counterpi-test', version: '1.0.0' });
  await client.connect(
    new StreamableHTTPClientTransport(new URL(`${t.url}/mcp`), {
      requestInit: { headers: { [TEST_CUSTOMER_HEADER]: name } },
    }),
  );
  return async (tool: string, args: Record<string, unknown>) => {
    const answer = (await client.callTool({
      name: tool,
      arguments: { idempotency_key: randomUUID(), ...args },
    })) as ToolAnswer<Record<string, unknown>>;
    return answer.isError ? answerText(answer) : (answer.structuredContent ?? {});
  };
}

type Totals = { totals: { discount: { amount: number }; total: { amount: number } } };

describe('refunding an order placed with a limited code', () => {
  const at = Date.parse('2026-11-24T17:00:00Z');
  const rule = {
    scope: { kind: 'order' as const },
    minimumSubtotal: 0,
    combinesWith: { codes: false, mealDeals: false },
  };
  beforeAll(async () => {
    const offers = createOffersRepo({ store: t.app.store });
    const value = { kind: 'percent' as const, percent: 10 };
    offers.insert(
      { kind: 'promo_code', offer: { id: 'once', name: 'Once', value, limits: { perCustomer: 1 }, ...rule } },
      at,
    );
    offers.addCodes('once', [{ id: 'code-once', code: 'ONCE' }], at);
    const dollar = { kind: 'amount' as const, amount: 100 };
    offers.insert(
      { kind: 'promo_code', offer: { id: 'flyer', name: 'Flyer', value: dollar, limits: {}, ...rule } },
      at,
    );
    offers.addCodes('flyer', [{ id: 'solo-1', code: 'SOLO-1' }], at, 'batch-r');
    // Written beside the running shop, as another process would: it sees them within EXTERNAL_CHECK_MS.
    await new Promise((resolve) => setTimeout(resolve, EXTERNAL_CHECK_MS + 50));
  });

  /** Places and pays (demo card) an order of a cheeseburger with `code`; its answer. */
  async function paidWith(call: Awaited<ReturnType<typeof customer>>, code: string) {
    const created = (await call('create_order', {
      lines: [{ item_id: 'cheeseburger', quantity: 1 }],
      promo_code: code,
      customer_name: 'Rae',
      customer_phone: '+15555550112',
    })) as Totals & Record<string, string>;
    const placed = (await call('place_order', { order_id: created.order_id })) as Record<string, string>;
    await phoneBrowser(t.url).approve(placed.confirmation_url ?? '', 'online');
    return created;
  }

  it('refunds what was charged after the discount and gives the code use back', async () => {
    const rae = await customer('refund-rae');
    const order = await paidWith(rae, 'once');
    expect(order.totals.discount.amount).toBe(110); // 10 % of $10.95
    const again = { lines: [{ item_id: 'fries', quantity: 1 }], promo_code: 'ONCE' };
    expect(await rae('create_order', again)).toMatch(/already used code ONCE/);

    const s = await services();
    const asked: number[] = [];
    const refunds = createOrderRefunds({
      store: t.app.store,
      orders: s.orders,
      ordersRepo: s.ordersRepo,
      payments: {
        name: s.payments.name,
        refund: (request) => {
          asked.push(request.amount.amount);
          return s.payments.refund(request);
        },
      },
    });
    await refunds.cancelPaid(order.order_id ?? '', 'owner');
    expect(asked).toEqual([order.totals.total.amount]);
    const uses = t.app.store.db.prepare('SELECT COUNT(*) FROM offer_code_uses WHERE order_id = ?').pluck();
    expect(uses.get(order.order_id)).toBe(0);
    expect(await rae('create_order', again)).toMatchObject({
      offers_applied: [expect.objectContaining({ code: 'ONCE' })],
    });
  });

  it('lets a single-use code from a refunded order be used once more', async () => {
    const first = await customer('refund-sol');
    const order = await paidWith(first, 'SOLO-1');
    const other = await customer('refund-ola');
    const lines = [{ item_id: 'fries', quantity: 1 }];
    expect(await other('create_order', { lines, promo_code: 'SOLO-1' })).toMatch(/SOLO-1 has been used up/);
    await (await services()).refunds.cancelPaid(order.order_id ?? '', 'owner');
    expect(await other('create_order', { lines, promo_code: 'SOLO-1' })).toMatchObject({
      totals: expect.objectContaining({ discount: expect.objectContaining({ amount: 100 }) }),
    });
  });
});
