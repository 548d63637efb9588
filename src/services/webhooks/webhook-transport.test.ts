import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoOrders } from '../../../test/helpers/demo-store.js';
import { createSilentLogger } from '../../platform/logger.js';
import { createWebhookRepo } from '../../store/webhook-repo.js';
import { createReceiverPolicy, type ResolveHost } from './receiver-address.js';
import { createWebhookDelivery } from './webhook-delivery.js';
import { createWebhookEndpoints } from './webhook-endpoints.js';
import { createCheckedFetch } from './webhook-transport.js';

/** A receiver on loopback that counts every TCP connection made to it, answered or not. */
let server: Server;
let port = 0;
let connections = 0;
beforeAll(async () => {
  server = createServer((_req, res) => res.writeHead(204).end());
  server.on('connection', () => {
    connections += 1;
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  port = (server.address() as AddressInfo).port;
});
afterAll(() => {
  server.close();
});

/** A resolver that answers `addresses` for every name: what a DNS server changed after the add says. */
const answering =
  (...addresses: string[]): ResolveHost =>
  async () =>
    addresses.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));

const post = () => ({
  method: 'POST',
  body: '{}',
  headers: { 'content-type': 'application/json' },
});

describe('webhook POSTs go to checked addresses only', () => {
  it('refuses a name that now resolves to loopback, before any connection is made', async () => {
    const before = connections;
    for (const addresses of [['127.0.0.1'], ['::ffff:127.0.0.1'], ['203.0.113.5', '127.0.0.1']]) {
      const send = createCheckedFetch({
        receivers: createReceiverPolicy([]),
        resolve: answering(...addresses),
      });
      const url = `http://hooks.example.com:${port}/orders`;
      await expect(send(url, post()), addresses.join()).rejects.toThrow(
        /^refused before connecting to hooks\.example\.com: .* is a loopback address/,
      );
    }
    const literal = createCheckedFetch({ receivers: createReceiverPolicy([]) });
    await expect(literal(`http://127.0.0.1:${port}/`, post())).rejects.toThrow(/loopback/);
    expect(connections).toBe(before);
  });

  it('connects to the checked address itself when the operator allows it', async () => {
    const before = connections;
    const send = createCheckedFetch({
      receivers: createReceiverPolicy(['127.0.0.1']),
      resolve: answering('127.0.0.1'),
    });
    const url = `http://receiver.example.com:${port}/orders`;
    expect((await send(url, post())).status).toBe(204);
    expect(connections).toBe(before + 1);
  });

  it('records the refusal on the delivery when an added name resolves to a private address later', async () => {
    const { store, clock, ids, orders } = demoOrders();
    const repo = createWebhookRepo({ store });
    const receivers = createReceiverPolicy([]);
    const order = orders.create({ subject: 'sam' }, [{ itemId: 'cheeseburger', quantity: 1 }], {}).order;
    // Added while it pointed elsewhere: a public name passes the add.
    const { endpoint } = createWebhookEndpoints({ repo, clock, ids, receivers }).add(
      `https://hooks.example.com:${port}/orders`,
    );
    const delivery = createWebhookDelivery({
      repo,
      receivers,
      resolve: answering('127.0.0.1'),
      clock,
      log: createSilentLogger(),
      pollMs: 5,
    });
    store.transaction(() =>
      repo.enqueue({
        eventId: 'evt_1',
        endpointId: endpoint.id,
        orderId: order.id,
        eventType: 'order_create',
        payload: '{}',
        createdAt: clock.now().getTime(),
      }),
    );
    const before = connections;
    delivery.start();
    const row = () =>
      store.db
        .prepare("SELECT attempts, last_error FROM webhook_deliveries WHERE event_id = 'evt_1'")
        .get() as {
        attempts: number;
        last_error: string | null;
      };
    for (let i = 0; i < 200 && row().attempts === 0; i++) await new Promise((r) => setTimeout(r, 10));
    await delivery.stop();
    expect(row().last_error).toMatch(
      /^refused before connecting to hooks\.example\.com: 127\.0\.0\.1 is a loopback address/,
    );
    expect(connections).toBe(before);
  });
});
