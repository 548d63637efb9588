import { randomUUID } from 'node:crypto';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { Client as ClientV1 } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport as TransportV1 } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import jsQR from 'jsqr';
import { PNG } from 'pngjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { answerText, type ToolAnswer } from './helpers/mcp-answer.js';
import { startTestApp, TEST_CUSTOMER_HEADER, type TestApp } from './helpers/start-app.js';

const TOOLS = [
  'cancel_order',
  'create_order',
  'get_menu_item',
  'get_order_status',
  'get_shop_info',
  'place_order',
  'reorder',
  'search_menu',
  'update_order',
];

interface Structured {
  [key: string]: unknown;
}
type CallResult = ToolAnswer<Structured>;

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => {
  await t.stop();
});

async function v2Client(customer: string): Promise<Client> {
  const client = new Client({ name: 'counterpi-test', version: '1.0.0' });
  const transport = new StreamableHTTPClientTransport(new URL(`${t.url}/mcp`), {
    requestInit: { headers: { [TEST_CUSTOMER_HEADER]: customer } },
  });
  await client.connect(transport);
  return client;
}

const textOf = answerText;

describe('a whole conversation with the MCP SDK v2 client', () => {
  it('searches, reads an item, builds, changes, places, follows and cancels an order', async () => {
    const client = await v2Client('sam');
    const call = async (name: string, args: Record<string, unknown>) =>
      (await client.callTool({ name, arguments: args })) as CallResult;

    const tools = await client.listTools();
    expect(tools.tools.map((tool) => tool.name).sort()).toEqual(TOOLS);
    const create = tools.tools.find((tool) => tool.name === 'create_order');
    expect(create?.annotations).toMatchObject({
      readOnlyHint: false,
      openWorldHint: false,
      idempotentHint: true,
    });
    expect(create?.outputSchema).toBeDefined();

    const info = await call('get_shop_info', {});
    expect(info.structuredContent).toMatchObject({
      name: 'Bun & Done Burger Bar',
      open_now: true,
      currency: 'USD',
    });

    const search = await call('search_menu', { query: 'cheesburger' });
    expect((search.structuredContent?.items as { item_id: string }[] | undefined)?.[0]?.item_id).toBe(
      'cheeseburger',
    );
    expect(textOf(search)).toContain('Cheeseburger (cheeseburger) $10.95');

    const item = await call('get_menu_item', { item_id: 'cheeseburger' });
    const groups = item.structuredContent?.modifier_groups as { group_id: string; min: number }[];
    expect(groups.map((g) => g.group_id)).toEqual([
      'patty',
      'doneness',
      'bun',
      'burger-extras',
      'burger-remove',
    ]);

    // "Two cheeseburgers, one without onions, and a large fries, pickup at 12:30."
    const created = await call('create_order', {
      idempotency_key: randomUUID(),
      lines: [
        { item_id: 'cheeseburger', quantity: 1 },
        { item_id: 'cheeseburger', quantity: 1, option_ids: ['no-onions'] },
        { item_id: 'fries', quantity: 1, option_ids: ['side-large'] },
      ],
      pickup_time: '12:30',
      customer_name: 'Sam',
    });
    expect(created.isError).toBeFalsy();
    const order = created.structuredContent as Structured & {
      order_id: string;
      totals: Record<string, { amount: number }>;
    };
    expect(order.status).toBe('cart');
    // 2 × 10.95 + (4.50 + 1.50) = 27.90; tax 8.875 % = 2.476… → 2.48
    expect(order.totals.subtotal?.amount).toBe(2790);
    expect(order.totals.tax?.amount).toBe(248);
    expect(order.totals.total?.amount).toBe(3038);
    expect(textOf(created)).toContain('TOTAL $30.38');

    const updated = await call('update_order', {
      idempotency_key: randomUUID(),
      order_id: order.order_id,
      update_lines: [{ line_id: 'l1', option_ids: ['patty-double'], note: 'extra crispy' }],
    });
    expect(updated.isError).toBeFalsy();
    const changed = updated.structuredContent as typeof order & {
      lines: { line_id: string; note?: string; options: { option_id: string }[] }[];
    };
    expect(changed.lines[0]).toMatchObject({ line_id: 'l1', note: 'extra crispy' });
    expect(changed.lines[0]?.options.map((o) => o.option_id)).toEqual(['patty-double', 'bun-brioche']);
    expect(changed.totals.total?.amount).toBe(3090 + 274);

    const placeKey = randomUUID();
    const placed = await call('place_order', { idempotency_key: placeKey, order_id: order.order_id });
    expect(placed.structuredContent).toMatchObject({ status: 'awaiting_confirmation' });
    const link = String(placed.structuredContent?.confirmation_url);
    expect(link).toMatch(/^https:\/\/burgers\.example\.com\/c\/[0-9a-z]{23}$/);
    expect(placed.structuredContent?.confirmation).toMatchObject({
      state: 'pending',
      url: link,
      binding_message: expect.stringMatching(/^Order [A-Z0-9]{4} · \d+ items? · \$\d+\.\d{2}$/),
      interval: 5,
    });
    expect(placed.content?.map((block) => block.type)).toEqual(['text', 'image']);
    // The QR code in the result is the link itself.
    const image = placed.content?.[1] as unknown as { data: string; mimeType: string };
    expect(image.mimeType).toBe('image/png');
    const png = PNG.sync.read(Buffer.from(image.data, 'base64'));
    expect(jsQR.default(new Uint8ClampedArray(png.data), png.width, png.height)?.data).toBe(link);
    const again = await call('place_order', { idempotency_key: placeKey, order_id: order.order_id });
    expect(again.structuredContent).toEqual(placed.structuredContent);

    const status = await call('get_order_status', { order_id: order.order_id });
    expect((status.structuredContent?.orders as { status: string }[] | undefined)?.[0]?.status).toBe(
      'awaiting_confirmation',
    );

    const canceled = await call('cancel_order', { idempotency_key: randomUUID(), order_id: order.order_id });
    expect(canceled.structuredContent).toMatchObject({ status: 'canceled' });
    await client.close();
  });
});

describe('the same server with the v1 SDK client', () => {
  it('lists tools and orders through the 2025 protocol', async () => {
    const client = new ClientV1({ name: 'counterpi-test-v1', version: '1.0.0' });
    await client.connect(
      new TransportV1(new URL(`${t.url}/mcp`), {
        requestInit: { headers: { [TEST_CUSTOMER_HEADER]: 'lee' } },
      }),
    );
    const tools = await client.listTools();
    expect(tools.tools.map((tool) => tool.name).sort()).toEqual(TOOLS);
    const created = (await client.callTool({
      name: 'create_order',
      arguments: {
        idempotency_key: randomUUID(),
        lines: [{ item_id: 'cola', quantity: 2 }],
        customer_name: 'Lee',
      },
    })) as CallResult;
    expect(created.structuredContent).toMatchObject({
      status: 'cart',
      totals: { subtotal: { amount: 550 } },
    });
    const status = (await client.callTool({ name: 'get_order_status', arguments: {} })) as CallResult;
    expect((status.structuredContent?.orders as unknown[] | undefined)?.length).toBe(1);
    await client.close();
  });
});

describe('the wire format', () => {
  it('answers 2025-era requests with plain JSON, not an SSE stream', async () => {
    const post = (body: unknown, version: string) =>
      fetch(`${t.url}/mcp`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          accept: 'application/json, text/event-stream',
          'mcp-protocol-version': version,
          [TEST_CUSTOMER_HEADER]: 'wire',
        },
        body: JSON.stringify(body),
      });
    const init = await post(
      {
        jsonrpc: '2.0',
        id: 0,
        method: 'initialize',
        params: {
          protocolVersion: '2025-06-18',
          capabilities: {},
          clientInfo: { name: 'curl', version: '1' },
        },
      },
      '2025-06-18',
    );
    expect(init.status).toBe(200);
    expect(init.headers.get('content-type')).toMatch(/^application\/json/);
    expect(await init.json()).toMatchObject({
      id: 0,
      result: {
        protocolVersion: '2025-06-18',
        serverInfo: { name: 'counterpi' },
        capabilities: { tools: { listChanged: false }, resources: { listChanged: false } },
      },
    });
    const call = await post(
      {
        jsonrpc: '2.0',
        id: 1,
        method: 'tools/call',
        params: { name: 'search_menu', arguments: { query: 'fries' } },
      },
      '2025-11-25',
    );
    expect(call.headers.get('content-type')).toMatch(/^application\/json/);
    const body = (await call.json()) as { result: { structuredContent: { items: { item_id: string }[] } } };
    expect(body.result.structuredContent.items[0]?.item_id).toBe('fries');
  });
});
