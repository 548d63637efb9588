import { randomUUID } from 'node:crypto';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import type { ToolAnswer } from './mcp-answer.js';
import { TEST_CUSTOMER_HEADER, type TestApp } from './start-app.js';

/** A customer's assistant over MCP (the SDK's client; the test app trusts the customer header). */
export async function assistant<S = Record<string, unknown>>(t: Pick<TestApp, 'url'>, customer: string) {
  const client = new Client({ name: 'counterpi-test', version: '1.0.0' });
  await client.connect(
    new StreamableHTTPClientTransport(new URL(`${t.url}/mcp`), {
      requestInit: { headers: { [TEST_CUSTOMER_HEADER]: customer } },
    }),
  );
  const call = async (name: string, args: Record<string, unknown>) =>
    (await client.callTool({ name, arguments: args })) as ToolAnswer<S>;
  return { call, close: () => client.close() };
}

/** What `assistant` gives: its calls and how to close it. */
export type Assistant<S = Record<string, unknown>> = Awaited<ReturnType<typeof assistant<S>>>;

/**
 * `assistant`'s calls with a fresh idempotency key added to every tool that changes something (all but
 * `get_*` and `search_menu`), for tests that never replay one.
 */
export async function mcpCaller<S = Record<string, unknown>>(
  t: Pick<TestApp, 'url'>,
  customer: string,
): Promise<(name: string, args?: Record<string, unknown>) => Promise<ToolAnswer<S>>> {
  const { call } = await assistant<S>(t, customer);
  const reads = (name: string) => name.startsWith('get_') || name === 'search_menu';
  return (name, args = {}) => call(name, reads(name) ? args : { idempotency_key: randomUUID(), ...args });
}
