import { randomUUID } from 'node:crypto';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { Client as ClientV1 } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport as TransportV1 } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { acpClient, createTestAcpKey } from './helpers/acp-client.js';
import { ACP_VERSION, acpExamples, acpSchemaErrors } from './helpers/acp-schemas.js';
import type { ToolAnswer } from './helpers/mcp-answer.js';
import { postJsonRpc } from './helpers/mcp-post.js';
import { startTestApp, type TestApp } from './helpers/start-app.js';

type Json = Record<string, unknown>;
type CallResult = ToolAnswer<Json>;

const TOOLS = [
  'cancel_checkout_session',
  'complete_checkout_session',
  'create_checkout_session',
  'get_checkout_session',
  'update_checkout_session',
];
const examples = acpExamples('examples.mcp.agentic_checkout.json') as Record<string, Json>;
const OUR_ITEMS: Record<string, string> = { item_123: 'cheeseburger', item_456: 'fries' };
const META = { api_version: ACP_VERSION };
const BUYER = {
  first_name: 'Ada',
  last_name: 'Lovelace',
  email: 'ada@example.com',
  phone_number: '15551234567',
};

let t: TestApp;
let secret: string;
let client: Client;

function transportOf(key: string | undefined): StreamableHTTPClientTransport {
  return new StreamableHTTPClientTransport(new URL(`${t.url}/acp/mcp`), {
    requestInit: { headers: key === undefined ? {} : { authorization: `Bearer ${key}` } },
  });
}

beforeAll(async () => {
  t = await startTestApp();
  secret = createTestAcpKey(t.dataDir, 'Agent platform').secret;
});
afterAll(async () => {
  await t.stop();
});

type Era = 'legacy' | 'modern';

/** A v2 client: the 2025 handshake (its default) or pinned to the stateless 2026-07-28 revision. */
async function v2Client(era: Era, key: string | undefined): Promise<Client> {
  const negotiation = era === 'modern' ? { versionNegotiation: { mode: { pin: '2026-07-28' } } } : {};
  const c = new Client({ name: 'acp-agent', version: '1.0.0' }, negotiation);
  await c.connect(transportOf(key));
  return c;
}

/** A successful call: the session is the structured content, its JSON the text, valid as `def`. */
async function session(name: string, args: Json, def = 'CheckoutSession'): Promise<Json> {
  const result = (await client.callTool({ name, arguments: args })) as CallResult;
  expect(result.isError).toBeUndefined();
  const body = result.structuredContent ?? {};
  expect(acpSchemaErrors('checkout', def, body)).toEqual([]);
  expect(JSON.parse(result.content[0]?.text ?? '')).toEqual(body);
  return body;
}

/** A call that fails as the binding says: JSON-RPC -32000 with a valid ACP Error as data. */
async function acpFailure(name: string, args: Json, code: string): Promise<Json> {
  const error = await client.callTool({ name, arguments: args }).then(
    () => expect.fail(`${name} succeeded`),
    (e: { code: number; message: string; data: Json }) => e,
  );
  expect(error.code).toBe(-32000);
  expect(acpSchemaErrors('checkout', 'Error', error.data)).toEqual([]);
  expect(error.data).toMatchObject({ type: 'invalid_request', code });
  expect(error.message).toBe(error.data.message);
  return error.data;
}

/** Sends one JSON-RPC message as a stateless 2025-06-18 client does, without a handshake. */
async function rpc(message: unknown, headers: Record<string, string> = {}) {
  const res = await postJsonRpc(`${t.url}/acp/mcp`, secret, message, headers);
  return { status: res.status, headers: res.headers, body: (await res.json()) as Json };
}

/** An example's tools/call with our menu's items and session id in it. */
function example(name: string, sessionId?: string): Json {
  const message = structuredClone(examples[name]) as { params: { arguments: Json } };
  const args = message.params.arguments;
  if (sessionId !== undefined) args.id = sessionId;
  const payload = (args.payload ?? {}) as { line_items?: { id: string }[] };
  for (const item of payload.line_items ?? []) item.id = OUR_ITEMS[item.id] ?? item.id;
  return message as unknown as Json;
}

describe.each<Era>(['legacy', 'modern'])('the ACP MCP binding with the SDK v2 client (%s)', (era) => {
  beforeAll(async () => {
    client = await v2Client(era, secret);
    expect(client.getProtocolEra()).toBe(era);
  });
  afterAll(async () => {
    await client.close();
  });

  it('lists the five tools with meta/id/payload schemas that need nothing resolved', async () => {
    const { tools } = await client.listTools();
    expect(tools.map((tool) => tool.name).sort()).toEqual(TOOLS);
    const byName = new Map(tools.map((tool) => [tool.name, tool]));
    expect(byName.get('create_checkout_session')?.inputSchema.required).toEqual(['meta', 'payload']);
    expect(byName.get('get_checkout_session')?.inputSchema.required).toEqual(['meta', 'id']);
    expect(byName.get('get_checkout_session')?.inputSchema.properties).not.toHaveProperty('payload');
    expect(byName.get('cancel_checkout_session')?.inputSchema.required).toEqual(['meta', 'id']);
    expect(byName.get('get_checkout_session')?.annotations?.readOnlyHint).toBe(true);
    for (const tool of tools) {
      expect(JSON.stringify(tool.inputSchema)).not.toContain('$ref');
      expect(tool.inputSchema.properties?.meta).toMatchObject({ required: ['api_version'] });
    }
  });

  // MCP schema ToolAnnotations: every hint set, and `annotations.title` for hosts and directory
  // checklists that know only that title (the 2025-03-26 schema has no top-level `title`).
  it('annotates every tool with its title and hints: reads read-only, cancel and update destructive', async () => {
    const { tools } = await client.listTools();
    const hints = Object.fromEntries(
      tools.map((tool) => {
        expect(tool.annotations?.title).toBe(tool.title);
        expect(tool.annotations?.title).toMatch(/^[A-Z][a-z]+ a checkout session$/);
        const { readOnlyHint, destructiveHint, idempotentHint, openWorldHint } = tool.annotations ?? {};
        return [tool.name, [readOnlyHint, destructiveHint, idempotentHint, openWorldHint]];
      }),
    );
    // [readOnly, destructive, idempotent, openWorld]. create is not idempotent: meta.idempotency_key
    // is optional in the binding, so a repeat without one opens another session.
    expect(hints).toEqual({
      create_checkout_session: [false, false, false, false],
      get_checkout_session: [true, false, true, false],
      update_checkout_session: [false, true, true, false],
      complete_checkout_session: [false, false, true, false],
      cancel_checkout_session: [false, true, true, false],
    });
  });

  it('creates, updates, reads and completes a session, and cancels another', async () => {
    const created = await session('create_checkout_session', {
      meta: { ...META, idempotency_key: randomUUID() },
      payload: { line_items: [{ id: 'cheeseburger' }], currency: 'usd', capabilities: {} },
    });
    expect(created.status).toBe('ready_for_payment');
    const options = created.fulfillment_options as { id: string }[];
    const updated = await session('update_checkout_session', {
      meta: { ...META, idempotency_key: randomUUID() },
      id: created.id,
      payload: {
        line_items: [{ id: 'cheeseburger' }, { id: 'fries' }],
        selected_fulfillment_options: [{ type: 'pickup', option_id: options[1]?.id, item_ids: [] }],
      },
    });
    expect((updated.line_items as Json[]).map((l) => l.name)).toEqual(['Cheeseburger', expect.any(String)]);
    const read = await session('get_checkout_session', { meta: META, id: created.id });
    expect({ ...read, updated_at: 0 }).toEqual({ ...updated, updated_at: 0 });
    const done = await session(
      'complete_checkout_session',
      {
        meta: { ...META, idempotency_key: randomUUID() },
        id: created.id,
        payload: { buyer: BUYER, payment_data: { handler_id: 'pay_at_pickup' } },
      },
      'CheckoutSessionWithOrder',
    );
    expect(done).toMatchObject({ status: 'pending_approval', continue_url: expect.any(String) });
    expect(done.order).toMatchObject({ checkout_session_id: created.id });

    const other = await session('create_checkout_session', {
      meta: META,
      payload: { line_items: [{ id: 'fries' }], currency: 'usd', capabilities: {} },
    });
    const canceled = await session('cancel_checkout_session', { meta: META, id: other.id });
    expect(canceled.status).toBe('canceled');
    await acpFailure('cancel_checkout_session', { meta: META, id: other.id, payload: null }, 'invalid_state');
    // Every tool call is in the audit log, as REST calls are (reads are written by the audit thread,
    // after their answers: waited for, however loaded the machine).
    const rowsOf = t.app.store.db.prepare(
      "SELECT action, outcome FROM audit_log WHERE target = ? AND action LIKE 'acp.mcp %' ORDER BY seq",
    );
    await vi.waitFor(() => expect(rowsOf.all(created.id)).toHaveLength(4), { timeout: 10_000 });
    expect(rowsOf.all(created.id)).toEqual([
      { action: 'acp.mcp create_checkout_session', outcome: 'ok' },
      { action: 'acp.mcp update_checkout_session', outcome: 'ok' },
      { action: 'acp.mcp get_checkout_session', outcome: 'ok' },
      { action: 'acp.mcp complete_checkout_session', outcome: 'ok' },
    ]);
  });

  it('answers unknown sessions, unknown items and unsupported versions with -32000 and an ACP Error', async () => {
    await acpFailure('get_checkout_session', { meta: META, id: 'cs_nope' }, 'not_found');
    const item = await acpFailure(
      'create_checkout_session',
      { meta: META, payload: { line_items: [{ id: 'fries' }, { id: 'unicorn-steak' }] } },
      'item_not_found',
    );
    expect(item.param).toBe('$.payload.line_items[1].id');
    const missing = await acpFailure('create_checkout_session', { meta: META, payload: {} }, 'missing');
    expect(missing.param).toBe('$.payload.line_items');
    const version = await acpFailure(
      'get_checkout_session',
      { meta: { api_version: '2025-09-29' }, id: 'cs_x' },
      'unsupported_api_version',
    );
    expect(version.supported_versions).toEqual([ACP_VERSION]);
  });

  it('answers a malformed envelope with -32602', async () => {
    const malformed: [string, unknown][] = [
      ['create_checkout_session', { payload: { line_items: [{ id: 'fries' }] } }],
      ['create_checkout_session', { meta: META }],
      ['create_checkout_session', { meta: META, payload: 'fries' }],
      ['create_checkout_session', { meta: {}, payload: {} }],
      ['create_checkout_session', { meta: { ...META, idempotency_key: 42 }, payload: {} }],
      ['get_checkout_session', { meta: META }],
      ['get_checkout_session', { meta: META, id: 7 }],
      ['get_checkout_session', { meta: META, id: 'cs_x', payload: {} }],
      ['complete_checkout_session', { meta: 'v1', id: 'cs_x', payload: {} }],
      ['order_pizza', { meta: META }],
    ];
    for (const [name, args] of malformed) {
      await expect(client.callTool({ name, arguments: args as Json })).rejects.toMatchObject({
        code: -32602,
      });
    }
  });

  it('replays with the same meta.idempotency_key, refuses it with another payload, shares keys with REST', async () => {
    const payload = { line_items: [{ id: 'cheeseburger' }], currency: 'usd', capabilities: {} };
    const meta = { ...META, idempotency_key: `k-${randomUUID()}` };
    const first = await session('create_checkout_session', { meta, payload });
    const again = await session('create_checkout_session', { meta, payload });
    expect(again).toEqual(first);
    await acpFailure(
      'create_checkout_session',
      { meta, payload: { ...payload, line_items: [{ id: 'fries' }] } },
      'idempotency_conflict',
    );

    const complete = {
      meta: { ...META, idempotency_key: randomUUID() },
      id: first.id,
      payload: { buyer: BUYER, payment_data: { handler_id: 'pay_at_pickup' } },
    };
    const placed = await session('complete_checkout_session', complete, 'CheckoutSessionWithOrder');
    expect(await session('complete_checkout_session', complete, 'CheckoutSessionWithOrder')).toEqual(placed);
    // A new key is a new call: the session is no longer open.
    await acpFailure(
      'complete_checkout_session',
      { ...complete, meta: { ...META, idempotency_key: randomUUID() } },
      'invalid_transition',
    );

    const key = `k-${randomUUID()}`;
    const rest = await acpClient(t.url, secret).post('/checkout_sessions', payload, {
      'idempotency-key': key,
    });
    expect(rest.status).toBe(201);
    const overMcp = await session('create_checkout_session', {
      meta: { ...META, idempotency_key: key },
      payload,
    });
    expect(overMcp.id).toBe(rest.body.id);
  });

  it('keeps each API key to its own sessions', async () => {
    const mine = await session('create_checkout_session', {
      meta: META,
      payload: { line_items: [{ id: 'fries' }], currency: 'usd', capabilities: {} },
    });
    const stranger = await v2Client(era, createTestAcpKey(t.dataDir, `Another agent (${era})`).secret);
    await expect(
      stranger.callTool({ name: 'get_checkout_session', arguments: { meta: META, id: mine.id } }),
    ).rejects.toMatchObject({ code: -32000, data: { code: 'not_found' } });
    await stranger.close();
  });
});

describe('the binding examples on the wire', () => {
  it('replays the example requests (our items, our session, our payment handler)', async () => {
    const created = await rpc(example('create_checkout_session_request'));
    expect(created.status).toBe(200);
    expect(created.body.id).toBe(1);
    const result = created.body.result as CallResult;
    const body = result.structuredContent ?? {};
    expect(acpSchemaErrors('checkout', 'CheckoutSession', body)).toEqual([]);
    expect(body).toMatchObject({ status: 'ready_for_payment', currency: 'usd' });
    expect(body.fulfillment_details).toMatchObject({ name: 'John Doe', phone_number: '15551234567' });
    const id = String(body.id);
    const replayed = await rpc(example('create_checkout_session_request'));
    expect((replayed.body.result as CallResult).structuredContent?.id).toBe(id);

    const read = await rpc(example('get_checkout_session_request', id));
    expect((read.body.result as CallResult).structuredContent).toMatchObject({
      id,
      status: 'ready_for_payment',
    });

    // The example's update and complete payloads break the release's own schema (a nested `shipping`
    // object; an instrument without type and credential). They are refused as REST refuses them.
    const update = example('update_checkout_session_request', id) as { params: { arguments: Json } };
    const updatePayload = update.params.arguments.payload as Json;
    expect(acpSchemaErrors('checkout', 'CheckoutSessionUpdateRequest', updatePayload)).not.toEqual([]);
    const refused = await rpc(update);
    expect(refused.body.error).toMatchObject({
      code: -32000,
      data: {
        type: 'invalid_request',
        param: expect.stringMatching(/^\$\.payload\.selected_fulfillment_options\[0\]\./),
      },
    });
    updatePayload.selected_fulfillment_options = [{ type: 'pickup', option_id: 'pickup_asap', item_ids: [] }];
    const updated = await rpc(update);
    expect((updated.body.result as CallResult).structuredContent).toMatchObject({
      id,
      status: 'ready_for_payment',
    });

    const complete = example('complete_checkout_session_request', id) as { params: { arguments: Json } };
    const completePayload = complete.params.arguments.payload as { payment_data: Json };
    expect(acpSchemaErrors('checkout', 'CheckoutSessionCompleteRequest', completePayload)).not.toEqual([]);
    expect((await rpc(complete)).body.error).toMatchObject({
      code: -32000,
      data: { param: '$.payload.payment_data.instrument.type' },
    });
    completePayload.payment_data = { handler_id: 'pay_at_pickup' };
    complete.params.arguments.meta = { ...META, idempotency_key: randomUUID() };
    const done = await rpc(complete);
    const order = (done.body.result as CallResult).structuredContent ?? {};
    expect(acpSchemaErrors('checkout', 'CheckoutSessionWithOrder', order)).toEqual([]);
    expect(order).toMatchObject({ id, status: 'pending_approval' });

    const fresh = example('create_checkout_session_request') as { params: { arguments: { meta: Json } } };
    fresh.params.arguments.meta.idempotency_key = randomUUID();
    const second = String(((await rpc(fresh)).body.result as CallResult).structuredContent?.id);
    const canceled = await rpc(example('cancel_checkout_session_request', second));
    expect(canceled.body.id).toBe(5);
    const cancelBody = (canceled.body.result as CallResult).structuredContent;
    expect(acpSchemaErrors('checkout', 'CheckoutSession', cancelBody)).toEqual([]);
    expect(cancelBody?.status).toBe('canceled');
  });

  it('shapes errors like the example errors, and answers malformed JSON with -32700', async () => {
    const missing = await rpc({
      jsonrpc: '2.0',
      id: 6,
      method: 'tools/call',
      params: { name: 'create_checkout_session', arguments: { meta: META, payload: { currency: 'usd' } } },
    });
    const shape = (error: Json) => ({ code: error.code, data: Object.keys(error.data as Json).sort() });
    const expected = examples.error_invalid_request?.error as Json;
    expect(shape(missing.body.error as Json)).toEqual(shape(expected));
    expect(missing.body.id).toBe(6);
    const broken = await rpc('{"jsonrpc": "2.0", "id": 1, "method": "tools/call", "params": {');
    expect(broken.status).toBe(400);
    expect(broken.body.error).toMatchObject({ code: -32700 });
  });

  it('needs the ACP API key: 401 with WWW-Authenticate, and the SDK client cannot connect', async () => {
    const none = await rpc({ jsonrpc: '2.0', id: 1, method: 'tools/list' }, { authorization: '' });
    expect(none.status).toBe(401);
    expect(none.headers.get('www-authenticate')).toBe('Bearer');
    expect(acpSchemaErrors('checkout', 'Error', (none.body.error as Json).data)).toEqual([]);
    const wrong = await rpc(
      { jsonrpc: '2.0', id: 1, method: 'tools/list' },
      { authorization: 'Bearer cpk_x' },
    );
    expect(wrong.status).toBe(401);
    expect(wrong.headers.get('www-authenticate')).toContain('invalid_token');
    await expect(v2Client('legacy', undefined)).rejects.toThrow();
    await expect(v2Client('modern', undefined)).rejects.toThrow();
  });

  it('is stateless and guards its host and origin', async () => {
    const get = await fetch(`${t.url}/acp/mcp`, { headers: { authorization: `Bearer ${secret}` } });
    expect(get.status).toBe(405);
    expect(get.headers.get('allow')).toBe('POST');
    const foreign = await rpc(
      { jsonrpc: '2.0', id: 1, method: 'tools/list' },
      { origin: 'https://evil.example' },
    );
    expect(foreign.status).toBe(403);
  });
});

describe('the ACP MCP binding with the SDK v1 client', () => {
  it('lists the tools, creates a session and gets an ACP error back', async () => {
    const v1 = new ClientV1({ name: 'acp-agent-v1', version: '1.0.0' });
    await v1.connect(
      new TransportV1(new URL(`${t.url}/acp/mcp`), {
        requestInit: { headers: { authorization: `Bearer ${secret}` } },
      }),
    );
    expect((await v1.listTools()).tools.map((tool) => tool.name).sort()).toEqual(TOOLS);
    const created = (await v1.callTool({
      name: 'create_checkout_session',
      arguments: {
        meta: META,
        payload: { line_items: [{ id: 'fries' }], currency: 'usd', capabilities: {} },
      },
    })) as CallResult;
    expect(acpSchemaErrors('checkout', 'CheckoutSession', created.structuredContent)).toEqual([]);
    await expect(
      v1.callTool({ name: 'get_checkout_session', arguments: { meta: META, id: 'cs_nope' } }),
    ).rejects.toMatchObject({ code: -32000, data: { type: 'invalid_request', code: 'not_found' } });
    await v1.close();
  });
});
