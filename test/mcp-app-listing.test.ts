import { randomUUID } from 'node:crypto';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WRITE_TOOLS } from '../src/mcp/mcp-route.js';
import { MENU_WIDGET_URI, ORDER_WIDGET_URI } from '../src/mcp/ui/ui-resources.js';
import { PUBLIC_URL, startTestApp, TEST_CUSTOMER_HEADER, type TestApp } from './helpers/start-app.js';

/**
 * What a directory listing reads of /mcp, through the SDK v2 client over real HTTP: each tool's display
 * title and behaviour hints (MCP 2025-11-25 schema, ToolAnnotations), the widgets' ChatGPT metadata
 * (developers.openai.com/apps-sdk/reference), and the domain-verification file of the app submission.
 */
const CHALLENGE = 'oai-apps-challenge-7f3c2a91';

let t: TestApp;
let client: Client;
beforeAll(async () => {
  t = await startTestApp({ env: { OPENAI_APPS_CHALLENGE: CHALLENGE } });
  client = new Client({ name: 'counterpi-listing-test', version: '1.0.0' });
  const transport = new StreamableHTTPClientTransport(new URL(`${t.url}/mcp`), {
    requestInit: { headers: { [TEST_CUSTOMER_HEADER]: 'sam' } },
  });
  await client.connect(transport);
});
afterAll(async () => {
  await client.close();
  await t.stop();
});

/**
 * The hints each tool must carry, and why. Reading tools change nothing. Every ordering tool takes an
 * idempotency_key, so repeating a call with the same arguments has no further effect (idempotentHint).
 * destructiveHint is false only where a call adds and never removes or overwrites: update_order removes
 * lines and replaces details, cancel_order ends an order. No tool reaches beyond this shop (openWorldHint).
 */
const READ = { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false };
const ADD = { readOnlyHint: false, destructiveHint: false, idempotentHint: true, openWorldHint: false };
const CHANGE = { ...ADD, destructiveHint: true };
const HINTS: Record<string, typeof READ> = {
  get_shop_info: READ,
  search_menu: READ,
  get_menu_item: READ,
  get_order_status: READ,
  create_order: ADD,
  place_order: ADD,
  reorder: ADD,
  update_order: CHANGE,
  cancel_order: CHANGE,
};

describe('tool annotations (MCP ToolAnnotations: title and hints)', () => {
  it('give every tool a human title and hints that match what it does', async () => {
    const { tools } = await client.listTools();
    expect(tools.map((tool) => tool.name).sort()).toEqual(Object.keys(HINTS).sort());
    for (const tool of tools) {
      const { title, ...hints } = tool.annotations ?? {};
      expect(title, tool.name).toMatch(/^[A-Z][^_]{3,40}$/);
      expect(title, tool.name).toBe(tool.title);
      expect(hints, tool.name).toEqual(HINTS[tool.name]);
      // The tools that need order:write are exactly those that are not read-only.
      expect(hints.readOnlyHint, tool.name).toBe(!WRITE_TOOLS.has(tool.name));
    }
  });
});

interface WidgetCsp {
  connect_domains: string[];
  resource_domains: string[];
  redirect_domains?: string[];
}

describe('widget resources for ChatGPT (Apps SDK reference, resource _meta)', () => {
  it('name the shop as widget domain and allow only the links the widgets open', async () => {
    const { resources } = await client.listResources();
    const meta = new Map(resources.map((r) => [r.uri, r._meta ?? {}]));
    for (const uri of [MENU_WIDGET_URI, ORDER_WIDGET_URI]) {
      expect(meta.get(uri)?.['openai/widgetDomain'], uri).toBe(PUBLIC_URL);
      // ui.domain is each host's own format; Claude refuses a widget whose ui.domain is not Claude's.
      expect(meta.get(uri)?.ui, uri).not.toHaveProperty('domain');
      const { contents } = await client.readResource({ uri });
      expect(contents[0]?._meta, uri).toEqual(meta.get(uri));
    }
    const orderCsp = meta.get(ORDER_WIDGET_URI)?.['openai/widgetCSP'] as WidgetCsp;
    expect(meta.get(MENU_WIDGET_URI)?.['openai/widgetCSP']).toEqual({
      connect_domains: [],
      resource_domains: [],
    });
    expect(orderCsp).toEqual({ connect_domains: [], resource_domains: [], redirect_domains: [PUBLIC_URL] });

    // The one link the order widget opens, the confirmation page of a placed order, is on that origin.
    const call = async (name: string, args: Record<string, unknown>) =>
      (await client.callTool({ name, arguments: { idempotency_key: randomUUID(), ...args } }))
        .structuredContent as Record<string, unknown>;
    const order = await call('create_order', {
      lines: [{ item_id: 'fries', quantity: 1 }],
      customer_name: 'Sam',
    });
    const placed = await call('place_order', { order_id: order.order_id });
    expect(orderCsp.redirect_domains).toContain(new URL(String(placed.confirmation_url)).origin);
  });
});

describe('domain verification for the app submission (/.well-known/openai-apps-challenge)', () => {
  it('answers exactly the configured token as plain text', async () => {
    const res = await fetch(`${t.url}/.well-known/openai-apps-challenge`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain\b/);
    expect(await res.text()).toBe(CHALLENGE);
  });
});
