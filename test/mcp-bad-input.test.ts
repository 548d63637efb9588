import { randomUUID } from 'node:crypto';
import { request } from 'node:http';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ToolAnswer } from './helpers/mcp-answer.js';
import { startTestApp, TEST_CUSTOMER_HEADER, type TestApp } from './helpers/start-app.js';

type CallResult = ToolAnswer;

let t: TestApp;
let client: Client;
beforeAll(async () => {
  t = await startTestApp();
  client = new Client({ name: 'bad-input-test', version: '1.0.0' });
  await client.connect(
    new StreamableHTTPClientTransport(new URL(`${t.url}/mcp`), {
      requestInit: { headers: { [TEST_CUSTOMER_HEADER]: 'mallory' } },
    }),
  );
});
afterAll(async () => {
  await client.close();
  await t.stop();
});

async function call(name: string, args: Record<string, unknown>): Promise<CallResult> {
  return (await client.callTool({ name, arguments: args })) as CallResult;
}

function text(result: CallResult): string {
  return result.content.map((c) => c.text ?? '').join('\n');
}

async function orderCount(): Promise<number> {
  return (t.app.store.db.prepare('SELECT count(*) AS n FROM orders').get() as { n: number }).n;
}

const rpc = (body: string, headers: Record<string, string> = {}) =>
  fetch(`${t.url}/mcp`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      accept: 'application/json, text/event-stream',
      'mcp-protocol-version': '2025-06-18',
      ...headers,
    },
    body,
  });

describe('bad input to the MCP tools changes nothing and says what to fix', () => {
  it('refuses an unknown tool with a JSON-RPC error', async () => {
    await expect(client.callTool({ name: 'drop_tables', arguments: {} })).rejects.toThrow(/drop_tables/);
  });

  it('names the field for wrong types and missing fields', async () => {
    const wrongType = await call('create_order', { idempotency_key: randomUUID(), lines: 'two burgers' });
    expect(wrongType.isError).toBe(true);
    expect(text(wrongType)).toMatch(/lines/);
    const missing = await call('place_order', { idempotency_key: randomUUID() });
    expect(missing.isError).toBe(true);
    expect(text(missing)).toMatch(/order_id/);
    const shortKey = await call('place_order', { idempotency_key: 'k', order_id: 'ord_x' });
    expect(text(shortKey)).toContain('idempotency_key must be at least 8 characters');
    expect(await orderCount()).toBe(0);
  });

  it('refuses a negative quantity, an option of another item and too many options', async () => {
    const negative = await call('create_order', {
      idempotency_key: randomUUID(),
      lines: [{ item_id: 'cheeseburger', quantity: -2 }],
    });
    expect(negative.isError).toBe(true);
    expect(text(negative)).toContain('quantity must be at least 1');

    const foreign = await call('create_order', {
      idempotency_key: randomUUID(),
      lines: [{ item_id: 'cola', quantity: 1, option_ids: ['extra-bacon'] }],
    });
    expect(foreign.isError).toBe(true);
    expect(text(foreign)).toContain('option_not_allowed');
    expect(text(foreign)).toContain('lines[l1]');

    const tooMany = await call('create_order', {
      idempotency_key: randomUUID(),
      lines: [{ item_id: 'cheeseburger', quantity: 1, option_ids: ['patty-beef', 'patty-chicken'] }],
    });
    expect(tooMany.isError).toBe(true);
    expect(text(tooMany)).toContain('modifier_max');
    expect(await orderCount()).toBe(0);
  });

  it('refuses a sold-out item with alternatives and an unknown item with a hint', async () => {
    const soldOut = await call('create_order', {
      idempotency_key: randomUUID(),
      lines: [{ item_id: 'craft-root-beer', quantity: 1 }],
    });
    expect(soldOut.isError).toBe(true);
    expect(text(soldOut)).toMatch(/sold out/i);
    expect(text(soldOut)).toContain('item_sold_out');
    const unknown = await call('get_menu_item', { item_id: 'cheese-burger' });
    expect(unknown.isError).toBe(true);
    expect(text(unknown)).toContain('Cheeseburger (cheeseburger)');
    expect(await orderCount()).toBe(0);
  });

  it('answers invalid JSON with a JSON-RPC parse error and a 1 MB body with 413', async () => {
    const invalid = await rpc('{"jsonrpc": "2.0", "id": 1, "method": ');
    expect(invalid.status).toBe(400);
    expect(await invalid.json()).toMatchObject({ jsonrpc: '2.0', error: { code: -32700 } });
    const huge = await rpc(
      JSON.stringify({
        jsonrpc: '2.0',
        id: 1,
        method: 'tools/list',
        params: { pad: 'x'.repeat(1024 * 1024) },
      }),
    );
    expect(huge.status).toBe(413);
    expect(await orderCount()).toBe(0);
  });

  it('refuses a spoofed Host and a foreign browser Origin (DNS rebinding)', async () => {
    const body = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list' });
    // fetch() will not send a foreign Host header; node:http will, as a rebinding browser would.
    const spoofedHost = await new Promise<number>((resolve, reject) => {
      const req = request(
        `${t.url}/mcp`,
        {
          method: 'POST',
          headers: {
            host: 'evil.example',
            'content-type': 'application/json',
            accept: 'application/json, text/event-stream',
          },
        },
        (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        },
      );
      req.once('error', reject);
      req.end(body);
    });
    expect(spoofedHost).toBe(403);
    const foreignOrigin = await rpc(body, { origin: 'https://evil.example' });
    expect(foreignOrigin.status).toBe(403);
  });

  it('answers GET and DELETE on the stateless endpoint with 405', async () => {
    expect((await fetch(`${t.url}/mcp`, { headers: { accept: 'text/event-stream' } })).status).toBe(405);
    expect((await fetch(`${t.url}/mcp`, { method: 'DELETE' })).status).toBe(405);
  });
});

describe('a chunked body without Content-Length', () => {
  it('is cut off at the limit with 413', async () => {
    const status = await new Promise<number>((resolve, reject) => {
      const req = request(`${t.url}/mcp`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          accept: 'application/json, text/event-stream',
          'mcp-protocol-version': '2025-06-18',
          'transfer-encoding': 'chunked',
        },
      });
      req.once('response', (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.once('error', reject);
      req.write('{"jsonrpc":"2.0","id":1,"method":"tools/list","params":{"pad":"');
      for (let i = 0; i < 40; i += 1) req.write('x'.repeat(16 * 1024));
      req.end('"}}');
    });
    expect(status).toBe(413);
  });
});
