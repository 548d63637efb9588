import type { JSONRPCRequest } from '@modelcontextprotocol/server';
import { describe, expect, it } from 'vitest';
import { demoStore } from '../../test/helpers/demo-store.js';
import { createSequentialIds } from '../platform/ids.js';
import { createSilentLogger } from '../platform/logger.js';
import { createMenuSearch } from '../services/menu/menu-search.js';
import { createIdempotency } from '../services/orders/idempotency.js';
import { createOrderService } from '../services/orders/order-service.js';
import { createConfirmationService } from '../services/payments/confirmation-service.js';
import { createDemoProvider } from '../services/payments/demo-provider.js';
import { createPaymentVault } from '../services/payments/payment-vault.js';
import { createConfirmationRepo } from '../store/confirmation-repo.js';
import { createIdempotencyRepo } from '../store/idempotency-repo.js';
import { createOrdersRepo } from '../store/orders-repo.js';
import { createVaultRepo } from '../store/vault-repo.js';
import { connectCallTransport } from './call-transport.js';
import { createCounterpiMcpServer } from './mcp-server.js';
import { createMenuFastPath } from './menu-fast-path.js';

async function setup() {
  const { store, clock, catalog, searchIndex, shop, menu } = demoStore();
  const log = createSilentLogger();
  const ordersRepo = createOrdersRepo({ store });
  const vaultTokens = createVaultRepo({ store });
  const vault = createPaymentVault({
    repo: vaultTokens,
    store,
    clock,
    ids: createSequentialIds(),
    merchantId: 'burgers.example.com',
  });
  const ids = createSequentialIds();
  const orders = createOrderService({ store, orders: ordersRepo, shop, menu, clock, ids });
  const tools = {
    shop,
    menu,
    menuSearch: createMenuSearch({ searchIndex, catalog }),
    orders,
    confirmations: createConfirmationService({
      store,
      repo: createConfirmationRepo({ store }),
      orders: { get: (id) => ordersRepo.get(id), apply: orders.transitionById },
      clock,
      ids,
      publicUrl: 'https://burgers.example.com',
      locale: () => 'en-US',
      payments: createDemoProvider({ store, vault, vaultTokens }),
    }),
    idempotency: createIdempotency({ repo: createIdempotencyRepo({ store }), store, clock }),
    clock,
    log,
    publicUrl: 'https://burgers.example.com',
  };
  const sdk = await connectCallTransport(createCounterpiMcpServer(tools, '1.0.0'));
  return { fast: createMenuFastPath(tools), sdk, clock };
}

const auth = { token: '', clientId: 'test', scopes: [], extra: { subject: 'sam' } };
const call = (id: number, name: string, args: unknown): JSONRPCRequest => ({
  jsonrpc: '2.0',
  id,
  method: 'tools/call',
  params: { name, arguments: args as Record<string, unknown> },
});

describe('the menu fast path', () => {
  it('answers exactly what the SDK answers for valid menu calls', async () => {
    const { fast, sdk } = await setup();
    const requests = [
      call(1, 'search_menu', { query: 'cheesburger' }),
      call(2, 'search_menu', { dietary: ['vegan'], max_price: 600, limit: 3 }),
      call(3, 'search_menu', { query: 'chips', available_now: true }),
      call(4, 'get_menu_item', { item_id: 'cheeseburger' }),
      call(5, 'get_menu_item', { item_id: 'cheese-burger' }),
      call(6, 'get_shop_info', {}),
      call('seven' as unknown as number, 'search_menu', {}),
    ];
    for (const request of requests) {
      const mine = await fast(request);
      expect(mine).toBeDefined();
      const theirs = await sdk.call(request, auth);
      expect(JSON.parse(mine?.text ?? '')).toEqual(theirs);
      expect({ jsonrpc: '2.0', id: request.id, result: mine?.result }).toEqual(theirs);
      // Asked again, the cached page answers the same text, with this request's id.
      const again = { ...request, id: 99 };
      expect(JSON.parse((await fast(again))?.text ?? '')).toEqual(await sdk.call(again, auth));
    }
  });

  it('presents a cached page anew when the minute turns: breakfast stops being available at 11:00', async () => {
    const { fast, clock } = await setup();
    const breakfast = async () => {
      const answer = JSON.parse(
        (await fast(call(1, 'search_menu', { category: 'breakfast', limit: 1 })))?.text ?? '',
      );
      return answer.result.structuredContent.items[0].available_now as boolean;
    };
    clock.set('2026-11-24T15:59:00Z'); // 10:59 in New York, a Tuesday
    expect(await breakfast()).toBe(true);
    expect(await breakfast()).toBe(true);
    clock.advance(60_000);
    expect(await breakfast()).toBe(false);
  });

  it('leaves invalid arguments and every other tool to the SDK', async () => {
    const { fast } = await setup();
    expect(await fast(call(1, 'search_menu', { limit: 500 }))).toBeUndefined();
    expect(await fast(call(2, 'get_menu_item', {}))).toBeUndefined();
    expect(await fast(call(3, 'create_order', { lines: [] }))).toBeUndefined();
    expect(await fast(call(4, 'toString', {}))).toBeUndefined();
  });
});
