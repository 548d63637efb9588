import { randomUUID } from 'node:crypto';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSequentialIds } from '../src/platform/ids.js';
import { createMenuCache } from '../src/services/menu/menu-cache.js';
import { createOrderRefunds } from '../src/services/orders/order-refunds.js';
import { createOrderService } from '../src/services/orders/order-service.js';
import { createDemoProvider } from '../src/services/payments/demo-provider.js';
import { createPaymentVault } from '../src/services/payments/payment-vault.js';
import { createShopService } from '../src/services/shop/shop-service.js';
import { createCatalogRepo } from '../src/store/catalog-repo.js';
import { createOrdersRepo } from '../src/store/orders-repo.js';
import { createSettingsRepo } from '../src/store/settings-repo.js';
import { createVaultRepo } from '../src/store/vault-repo.js';
import { phoneBrowser } from './helpers/phone-browser.js';
import { startTestApp, TEST_CUSTOMER_HEADER, type TestApp } from './helpers/start-app.js';

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

function refunds() {
  const store = t.app.store;
  const ordersRepo = createOrdersRepo({ store });
  const settings = createSettingsRepo({ store, clock: t.clock });
  const shop = createShopService({ settings, clock: t.clock });
  const menu = createMenuCache({ catalog: createCatalogRepo({ store }) });
  const ids = createSequentialIds();
  const orders = createOrderService({ store, orders: ordersRepo, shop, menu, clock: t.clock, ids });
  const vaultTokens = createVaultRepo({ store });
  const vault = createPaymentVault({
    repo: vaultTokens,
    store,
    clock: t.clock,
    ids,
    merchantId: 'burgers.example.com',
  });
  return {
    ordersRepo,
    refunds: createOrderRefunds({
      store,
      orders,
      ordersRepo,
      payments: createDemoProvider({ store, vault, vaultTokens }),
    }),
  };
}

describe('the shop cancels a paid order', () => {
  it('refunds a card payment and marks the order refunded', async () => {
    const id = await approvedOrder('Kai', 'online');
    const { refunds: r, ordersRepo } = refunds();
    expect(['paid', 'in_kitchen']).toContain(ordersRepo.get(id)?.state);
    const result = await r.cancelPaid(id, 'owner');
    expect(result).toMatchObject({ refunded: true, order: { state: 'refunded' } });
    await expect(r.cancelPaid(id, 'owner')).rejects.toThrow();
  });

  it('cancels an order to be paid at pickup without a refund', async () => {
    const id = await approvedOrder('Lu', 'pay_at_pickup');
    const result = await refunds().refunds.cancelPaid(id, 'owner');
    expect(result).toMatchObject({ refunded: false, order: { state: 'canceled' } });
  });
});
