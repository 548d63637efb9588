import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_JSON_DEPTH } from '../src/domain/json-depth.js';
import { acpClient, createTestAcpKey } from './helpers/acp-client.js';
import { ACP_VERSION, acpSchemaErrors } from './helpers/acp-schemas.js';
import { postJsonRpc } from './helpers/mcp-post.js';
import { startTestApp, type TestApp } from './helpers/start-app.js';

// A body nested 10,000 levels deep once overflowed the stack of the idempotency hash and of the card
// masking (500), and ran an MCP tool whose audit row then failed. Every JSON surface refuses it now,
// with its own error, before anything is written.

type Json = Record<string, unknown>;

const LEVELS = 10_000;

/** JSON text nesting objects and arrays `levels` deep: `{"d":[{"d":[…]}]}`. */
function deepJson(levels: number): string {
  const pairs = Math.ceil(levels / 2);
  return `${'{"d":['.repeat(pairs)}1${']}'.repeat(pairs)}`;
}
const DEEP = deepJson(LEVELS);

let t: TestApp;
let secret: string;

beforeAll(async () => {
  t = await startTestApp();
  secret = createTestAcpKey(t.dataDir, 'Agent platform').secret;
});
afterAll(async () => {
  await t.stop();
});

/** Every row that a call could create or change, as text. */
function state(): string {
  const rows = (table: string) => t.app.store.db.prepare(`SELECT * FROM ${table} ORDER BY rowid`).all();
  return JSON.stringify(
    ['checkout_sessions', 'carts', 'vault_tokens', 'orders', 'idempotency_keys'].map(rows),
  );
}

async function acpSend(method: string, path: string, text: string) {
  const res = await fetch(t.url + path, {
    method,
    headers: {
      authorization: `Bearer ${secret}`,
      'api-version': ACP_VERSION,
      'content-type': 'application/json',
      'idempotency-key': randomUUID(),
    },
    body: text,
  });
  return { status: res.status, type: res.headers.get('content-type'), body: (await res.json()) as Json };
}

describe('bodies nested 10,000 levels deep', () => {
  it('get 400 with the ACP Error on every ACP route, and change nothing', async () => {
    const acp = acpClient(t.url, secret);
    const session = await acp.post('/checkout_sessions', { line_items: [{ id: 'fries' }] });
    const cart = await acp.post('/carts', { line_items: [{ id: 'fries', quantity: 1 }] });
    expect([session.status, cart.status]).toEqual([201, 201]);
    const before = state();
    const routes: [string, string, 'checkout' | 'delegatePayment'][] = [
      ['POST', '/checkout_sessions', 'checkout'],
      ['POST', `/checkout_sessions/${session.body.id}`, 'checkout'],
      ['POST', `/checkout_sessions/${session.body.id}/complete`, 'checkout'],
      ['POST', `/checkout_sessions/${session.body.id}/cancel`, 'checkout'],
      ['POST', '/carts', 'checkout'],
      ['PUT', `/carts/${cart.body.id}`, 'checkout'],
      ['POST', `/carts/${cart.body.id}/cancel`, 'checkout'],
      ['POST', '/agentic_commerce/delegate_payment', 'delegatePayment'],
    ];
    for (const [method, path, schema] of routes) {
      for (const body of [DEEP, `{"line_items":[{"id":"fries","quantity":1}],"metadata":${DEEP}}`]) {
        const res = await acpSend(method, path, body);
        const where = `${method} ${path}`;
        expect(res.status, where).toBe(400);
        expect(res.type, where).toContain('application/json');
        expect(acpSchemaErrors(schema, 'Error', res.body), where).toEqual([]);
        expect(res.body, where).toMatchObject({
          type: 'invalid_request',
          code: schema === 'checkout' ? 'invalid' : 'invalid_card',
          param: '$',
        });
        expect(res.body.message, where).toContain(`${MAX_JSON_DEPTH} levels`);
      }
    }
    expect(state()).toBe(before);
  });

  it('get a JSON-RPC error on the ACP MCP binding, and change nothing', async () => {
    const before = state();
    const args = `{"meta":{"api_version":"${ACP_VERSION}","idempotency_key":"${randomUUID()}"},"payload":{"line_items":[{"id":"fries"}],"currency":"usd","capabilities":{}},"extra":${DEEP}}`;
    for (const version of ['2025-06-18', '2026-07-28']) {
      const res = await postJsonRpc(
        `${t.url}/acp/mcp`,
        secret,
        `{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"create_checkout_session","arguments":${args}}}`,
        { 'mcp-protocol-version': version },
      );
      expect(res.status, version).toBe(400);
      expect(await res.json(), version).toMatchObject({ jsonrpc: '2.0', id: null, error: { code: -32600 } });
    }
    expect(state()).toBe(before);
  });

  it('as an MCP tool argument on /mcp: refused before the tool runs, no order created', async () => {
    const before = state();
    const args = `{"idempotency_key":"${randomUUID()}","lines":[{"item_id":"cheeseburger","quantity":1}],"extra":${DEEP}}`;
    for (const version of ['2025-06-18', undefined]) {
      const res = await fetch(`${t.url}/mcp`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          accept: 'application/json, text/event-stream',
          ...(version === undefined ? {} : { 'mcp-protocol-version': version }),
        },
        body: `{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"create_order","arguments":${args}}}`,
      });
      expect(res.status, String(version)).toBe(400);
      const body = (await res.json()) as { error: { code: number; message: string } };
      expect(body.error.code).toBe(-32600);
      expect(body.error.message).toContain(`${MAX_JSON_DEPTH} levels`);
    }
    expect(state()).toBe(before);
  });
});
