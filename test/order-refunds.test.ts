import { randomUUID } from 'node:crypto';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config/config.js';
import { createSilentLogger } from '../src/platform/logger.js';
import { buildServices } from '../src/wiring/build-services.js';
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
