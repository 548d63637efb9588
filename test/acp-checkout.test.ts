import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseFile } from '../src/main.js';
import { signedText, signRequest } from '../src/services/checkout/acp-keys.js';
import { requestHash } from '../src/services/orders/idempotency.js';
import { idempotencyLookup } from '../src/store/idempotency-lookup.js';
import { acpClient, createTestAcpKey } from './helpers/acp-client.js';
import { acpExamples, acpSchemaErrors } from './helpers/acp-schemas.js';
import { runCli } from './helpers/run-cli.js';
import { PUBLIC_URL, startTestApp, type TestApp } from './helpers/start-app.js';

type Json = Record<string, unknown>;
type Client = ReturnType<typeof acpClient>;

const examples = acpExamples('examples.agentic_checkout.json');
const multi = acpExamples('examples.multi_item_checkout.json');

/** Every checkout answer must be a valid CheckoutSession; every error a valid Error. */
function expectSession(body: Json): void {
  expect(acpSchemaErrors('checkout', 'CheckoutSession', body)).toEqual([]);
}
function expectError(body: Json, code: string): void {
  expect(acpSchemaErrors('checkout', 'Error', body)).toEqual([]);
  expect(body.code).toBe(code);
}

/** The examples' items, swapped for items of our menu. */
const OUR_ITEMS: Record<string, string> = { item_123: 'cheeseburger', item_456: 'fries' };
function mapItems(request: unknown): Json {
  const copy = structuredClone(request) as Json;
  const items = copy.line_items as { id: string }[] | undefined;
  for (const item of items ?? []) item.id = OUR_ITEMS[item.id] ?? item.id;
  return copy;
}

function total(session: Json, type: string): number | undefined {
  return (session.totals as { type: string; amount: number }[]).find((t) => t.type === type)?.amount;
}

let t: TestApp;
let acp: Client;
let other: Client;

beforeAll(async () => {
  t = await startTestApp();
  acp = acpClient(t.url, createTestAcpKey(t.dataDir, 'ChatGPT').secret);
  other = acpClient(t.url, createTestAcpKey(t.dataDir, 'Another agent').secret);
});
afterAll(async () => {
  await t.stop();
});

const BUYER = {
  first_name: 'Ada',
  last_name: 'Lovelace',
  email: 'ada@example.com',
  phone_number: '15551234567',
};

async function created(
  body: Json = { line_items: [{ id: 'cheeseburger' }], currency: 'usd', capabilities: {} },
) {
  const res = await acp.post('/checkout_sessions', body);
  expect(res.status).toBe(201);
  expectSession(res.body);
  return res.body;
}

describe('ACP checkout sessions', () => {
  it('creates sessions from the specification examples, priced by our menu', async () => {
    const fromExample = await created(mapItems(examples.create_checkout_session_request));
    expect(fromExample.status).toBe('ready_for_payment');
    expect(fromExample.currency).toBe('usd');
    expect((fromExample.line_items as Json[])[0]).toMatchObject({
      item: { id: 'cheeseburger' },
      quantity: 1,
      unit_amount: 1095,
    });
    expect(total(fromExample, 'total')).toBe(
      (total(fromExample, 'subtotal') ?? 0) + (total(fromExample, 'tax') ?? 0),
    );
    const several = await created(mapItems(multi.create_multi_item_checkout_request));
    expect((several.line_items as Json[]).map((l) => l.name)).toEqual(['Cheeseburger', expect.any(String)]);
    // The terms and privacy links lead to the shop's own pages.
    for (const link of fromExample.links as { type: string; url: string }[]) {
      const page = await fetch(t.url + new URL(link.url).pathname);
      expect(page.status).toBe(200);
      expect(await page.text()).toContain('Burger Bar');
    }
    expect((fromExample.links as { type: string }[]).map((l) => l.type)).toEqual([
      'terms_of_use',
      'privacy_policy',
    ]);
    const firstTouch = await created(
      mapItems(examples.create_checkout_session_request_with_first_touch_attribution),
    );
    expect(firstTouch.status).toBe('ready_for_payment');
  });

  it('carries menu options in the item id and gives them back as attributes', async () => {
    const session = await created({
      line_items: [
        { id: 'cheeseburger:extra-bacon,no-onions' },
        { id: 'cheeseburger:extra-bacon,no-onions' },
      ],
      currency: 'usd',
      capabilities: {},
    });
    const [line] = session.line_items as Json[];
    expect(line).toMatchObject({
      item: { id: 'cheeseburger:extra-bacon,no-onions' },
      quantity: 2,
      unit_amount: 1295,
    });
    expect(line?.custom_attributes).toEqual(
      expect.arrayContaining([
        { display_name: 'Extras', value: 'Bacon' },
        { display_name: 'Leave off', value: 'No onions' },
      ]),
    );
    expect(total(session, 'items_base_amount')).toBe(2590);
  });

  it('offers pickup with ready_by, lets the agent pick a slot, and reads back the same state', async () => {
    const session = await created();
    const options = session.fulfillment_options as { id: string; ready_by?: string; type: string }[];
    expect(options[0]).toMatchObject({ type: 'pickup', id: 'pickup_asap', ready_by: expect.any(String) });
    const slot = options[2];
    expect(slot).toBeDefined();
    const updated = await acp.post(`/checkout_sessions/${session.id}`, {
      selected_fulfillment_options: [{ type: 'pickup', option_id: slot?.id, item_ids: ['li_1'] }],
      line_items: [{ id: 'cheeseburger' }, { id: 'fries' }],
      fulfillment_details: { name: 'Ada', phone_number: '+15551234567' },
    });
    expect(updated.status).toBe(200);
    expectSession(updated.body);
    expect(updated.body.selected_fulfillment_options).toEqual([
      { type: 'pickup', option_id: slot?.id, item_ids: ['li_1', 'li_2'] },
    ]);
    const read = await acp.get(`/checkout_sessions/${session.id}`);
    expect(read.status).toBe(200);
    expectSession(read.body);
    expect({ ...read.body, updated_at: 0 }).toEqual({ ...updated.body, updated_at: 0 });
  });

  it('replays the example update, complete and cancel requests', async () => {
    const session = await created(mapItems(examples.create_checkout_session_request));
    const update = mapItems(examples.update_checkout_session_request);
    const options = update.selected_fulfillment_options as Json[] | undefined;
    for (const o of options ?? []) o.option_id = 'pickup_asap';
    const updated = await acp.post(`/checkout_sessions/${session.id}`, update);
    expect(updated.status).toBe(200);
    expectSession(updated.body);
    const complete = structuredClone(examples.complete_checkout_session_request) as Json;
    (complete.payment_data as Json).handler_id = 'pay_at_pickup';
    const done = await acp.post(`/checkout_sessions/${session.id}/complete`, complete);
    expect(done.status).toBe(200);
    expectSession(done.body);
    expect(done.body.status).toBe('pending_approval');
    const cancelable = await created();
    const canceled = await acp.post(
      `/checkout_sessions/${cancelable.id}/cancel`,
      examples.cancel_checkout_session_request,
    );
    expect(canceled.status).toBe(200);
    expectSession(canceled.body);
    expect(canceled.body.status).toBe('canceled');
    const deferred = await created();
    const later = await acp.post(
      `/checkout_sessions/${deferred.id}/cancel`,
      examples.cancel_checkout_session_request_timing_deferred,
    );
    expect(later.status).toBe(200);
  });

  it('completes with pay at pickup: pending_approval, the order, and a continue_url for the customer', async () => {
    const session = await created();
    const done = await acp.post(`/checkout_sessions/${session.id}/complete`, {
      buyer: BUYER,
      payment_data: { handler_id: 'pay_at_pickup' },
    });
    expect(done.status).toBe(200);
    expectSession(done.body);
    const order = done.body.order as Json;
    expect(done.body).toMatchObject({
      status: 'pending_approval',
      continue_url: expect.stringMatching(/^https:\/\/burgers\.example\.com\/c\/[0-9a-z]{23}$/),
    });
    expect(order).toMatchObject({ checkout_session_id: session.id, status: 'created' });
    expect(String(done.body.continue_url).length).toBeLessThan(100);
    expect(order.permalink_url).toBe(`${PUBLIC_URL}/o/${order.id}`);
    // The customer's page behind continue_url shows the order and the binding message.
    const page = await fetch(t.url + new URL(String(done.body.continue_url)).pathname);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain(`Order ${order.order_number}`);
    const again = await acp.post(`/checkout_sessions/${session.id}/complete`, {
      buyer: BUYER,
      payment_data: { handler_id: 'pay_at_pickup' },
    });
    expect(again.status).toBe(409);
    expectError(again.body, 'invalid_transition');
    const change = await acp.post(`/checkout_sessions/${session.id}`, { line_items: [{ id: 'fries' }] });
    expect(change.status).toBe(409);
    const db = new Database(databaseFile(t.dataDir), { readonly: true });
    const row = db
      .prepare('SELECT customer_name, customer_phone, state FROM orders WHERE id = ?')
      .get(order.id);
    db.close();
    expect(row).toEqual({
      customer_name: 'Ada Lovelace',
      customer_phone: '+15551234567',
      state: 'awaiting_confirmation',
    });
  });

  it('answers a complete that cannot be ordered with the session and a message, creating nothing', async () => {
    const session = await created();
    const res = await acp.post(`/checkout_sessions/${session.id}/complete`, {
      buyer: { first_name: 'Ada', email: 'ada@example.com' },
      payment_data: { handler_id: 'pay_at_pickup' },
    });
    expect(res.status).toBe(200);
    expectSession(res.body);
    expect(res.body.status).toBe('ready_for_payment');
    expect(res.body.order).toBeUndefined();
    expect(res.body.messages).toEqual([
      expect.objectContaining({ type: 'error', code: 'missing', param: '$.buyer.phone_number' }),
    ]);
  });

  it('reports sold-out items as out_of_stock messages and not_ready_for_payment', async () => {
    // The owner marks it sold out from another process (the CLI, the admin pages): seen within 250 ms.
    const db = new Database(databaseFile(t.dataDir));
    db.prepare("UPDATE items SET sold_out = 1 WHERE id = 'hamburger'").run();
    db.close();
    await new Promise((resolve) => setTimeout(resolve, 300));
    const session = await created({
      line_items: [{ id: 'cheeseburger' }, { id: 'hamburger' }],
      currency: 'usd',
      capabilities: {},
    });
    expect(session.status).toBe('not_ready_for_payment');
    expect(session.messages).toEqual([
      expect.objectContaining({ type: 'error', code: 'out_of_stock', param: '$.line_items[1].id' }),
    ]);
    const refused = await acp.post(`/checkout_sessions/${session.id}/complete`, {
      buyer: BUYER,
      payment_data: { handler_id: 'pay_at_pickup' },
    });
    expect(refused.body.status).toBe('not_ready_for_payment');
    expect(refused.body.order).toBeUndefined();
  });

  it('cancels with an intent trace once; a second cancel is 405', async () => {
    const session = await created();
    const first = await acp.post(`/checkout_sessions/${session.id}/cancel`, {
      intent_trace: { reason_code: 'price_sensitivity', trace_summary: 'Too pricey today.' },
    });
    expect(first.body.status).toBe('canceled');
    const second = await acp.post(`/checkout_sessions/${session.id}/cancel`, {});
    expect(second.status).toBe(405);
    expectError(second.body, 'invalid_state');
  });

  it('keeps each agent to its own sessions', async () => {
    const session = await created();
    const peek = await other.get(`/checkout_sessions/${session.id}`);
    expect(peek.status).toBe(404);
    expectError(peek.body, 'not_found');
    const unknown = await acp.get('/checkout_sessions/cs_nope');
    expect(unknown.status).toBe(404);
  });
});

describe('counterpi acp-key', () => {
  it('creates a key shown once, lists it by its last characters, and revokes it for the running server', async () => {
    const env = { DATA_DIR: t.dataDir, PUBLIC_URL, LOG_LEVEL: 'silent' };
    const created = await runCli(['acp-key', 'create', '--name', 'Le Chat'], env);
    expect(created.code).toBe(0);
    const secret = created.stdout.trim();
    expect(secret).toMatch(/^cpk_[A-Za-z0-9_-]{43}$/);
    const client = acpClient(t.url, secret);
    expect((await client.post('/checkout_sessions', { line_items: [{ id: 'fries' }] })).status).toBe(201);
    const listed = await runCli(['acp-key', 'list'], env);
    expect(listed.stdout).toContain(`Le Chat  …${secret.slice(-4)}`);
    const db = new Database(databaseFile(t.dataDir), { readonly: true });
    const stored = db.prepare("SELECT * FROM acp_api_keys WHERE name = 'Le Chat'").get() as Record<
      string,
      unknown
    >;
    db.close();
    expect(JSON.stringify(stored)).not.toContain(secret.slice(4));
    const revoked = await runCli(['acp-key', 'revoke', String(stored.id)], env);
    expect(revoked.code).toBe(0);
    await new Promise((resolve) => setTimeout(resolve, 300));
    const refused = await client.post('/checkout_sessions', { line_items: [{ id: 'fries' }] });
    expect(refused.status).toBe(401);
    expect((await runCli(['acp-key', 'create'], env)).code).toBe(2);
    expect((await runCli(['acp-key', 'revoke', 'key_nope'], env)).code).toBe(1);
  });
});

describe('ACP request rules', () => {
  it('needs a valid API key', async () => {
    const none = await acpClient(t.url, 'cpk_wrong').post('/checkout_sessions', {});
    expect(none.status).toBe(401);
    expectError(none.body, 'unauthorized');
    const missing = await acp.post('/checkout_sessions', {}, { authorization: undefined });
    expect(missing.status).toBe(401);
  });

  it('needs a supported API-Version and says which', async () => {
    for (const version of [undefined, '2025-09-29']) {
      const res = await acp.get('/checkout_sessions/cs_x', { 'api-version': version });
      expect(res.status).toBe(400);
      expectError(res.body, version === undefined ? 'missing_api_version' : 'unsupported_api_version');
      expect(res.body.supported_versions).toEqual(['2026-04-17']);
    }
  });

  it('echoes Request-Id, needs an Idempotency-Key on POST and echoes it', async () => {
    const res = await acp.post(
      '/checkout_sessions',
      { line_items: [{ id: 'fries' }] },
      { 'request-id': 'req_42', 'idempotency-key': 'k-echo' },
    );
    expect(res.headers.get('request-id')).toBe('req_42');
    expect(res.headers.get('idempotency-key')).toBe('k-echo');
    const without = await acp.post(
      '/checkout_sessions',
      { line_items: [{ id: 'fries' }] },
      { 'idempotency-key': undefined },
    );
    expect(without.status).toBe(400);
    expectError(without.body, 'idempotency_key_required');
  });

  it('replays the same key and body, refuses the same key with another body, and says when one is in flight', async () => {
    const body = { line_items: [{ id: 'cheeseburger' }], currency: 'usd', capabilities: {} };
    const first = await acp.post('/checkout_sessions', body, { 'idempotency-key': 'k-replay' });
    const reordered = { capabilities: {}, currency: 'usd', line_items: [{ id: 'cheeseburger' }] };
    const second = await acp.post('/checkout_sessions', reordered, { 'idempotency-key': 'k-replay' });
    expect(second.status).toBe(201);
    expect(second.body).toEqual(first.body);
    expect(second.headers.get('idempotent-replayed')).toBe('true');
    const conflict = await acp.post(
      '/checkout_sessions',
      { ...body, line_items: [{ id: 'fries' }] },
      { 'idempotency-key': 'k-replay' },
    );
    expect(conflict.status).toBe(422);
    expectError(conflict.body, 'idempotency_conflict');
    // Another worker holds the key: its claim is in the store, not finished.
    const db = new Database(databaseFile(t.dataDir));
    const keyId = (db.prepare("SELECT id FROM acp_api_keys WHERE name = 'ChatGPT'").get() as { id: string })
      .id;
    db.prepare(
      "INSERT INTO idempotency_keys (lookup, request_hash, state, created_at, expires_at) VALUES (?, ?, 'in_flight', 0, ?)",
    ).run(
      idempotencyLookup(`acp ${keyId} /checkout_sessions`, 'k-busy'),
      requestHash(body),
      Date.now() + 60_000,
    );
    db.close();
    const busy = await acp.post('/checkout_sessions', body, { 'idempotency-key': 'k-busy' });
    expect(busy.status).toBe(409);
    expectError(busy.body, 'idempotency_in_flight');
    expect(busy.headers.get('retry-after')).toBe('1');
  });

  it('refuses unknown fields, malformed JSON, wrong types and unknown items, naming where', async () => {
    const unknown = await acp.post('/checkout_sessions', { line_items: [{ id: 'fries' }], colour: 'red' });
    expect(unknown.status).toBe(400);
    expect(unknown.body).toMatchObject({ code: 'invalid', param: '$.colour' });
    const malformed = await acp.post('/checkout_sessions', '{"line_items": [');
    expectError(malformed.body, 'invalid_json');
    const wrongType = await acp.post('/checkout_sessions', { line_items: [{ id: 'fries', quantity: -2 }] });
    expect(wrongType.body).toMatchObject({ code: 'invalid', param: '$.line_items[0].quantity' });
    const missing = await acp.post('/checkout_sessions', { currency: 'usd' });
    expect(missing.body).toMatchObject({ code: 'missing', param: '$.line_items' });
    const item = await acp.post('/checkout_sessions', {
      line_items: [{ id: 'fries' }, { id: 'unicorn-steak' }],
    });
    expect(item.status).toBe(400);
    expectError(item.body, 'item_not_found');
    expect(item.body.param).toBe('$.line_items[1].id');
    const currency = await acp.post('/checkout_sessions', { line_items: [{ id: 'fries' }], currency: 'eur' });
    expect(currency.body).toMatchObject({ param: '$.currency' });
    for (const res of [unknown, wrongType, missing, currency]) expectError(res.body, res.body.code as string);
  });
});

describe('ACP request signing', () => {
  it('requires a valid Signature and a fresh Timestamp from a key that signs', async () => {
    const key = createTestAcpKey(t.dataDir, 'Signed agent', { signing: true });
    const client = acpClient(t.url, key.secret);
    const body = { line_items: [{ id: 'fries' }], currency: 'usd' };
    const sign = (method: string, path: string, payload: unknown, at = t.clock.now()) => {
      const timestamp = at.toISOString();
      const text = signedText(timestamp, method, path, payload);
      return { timestamp, signature: signRequest(key.signingSecret ?? '', text) };
    };
    const unsigned = await client.post('/checkout_sessions', body);
    expect(unsigned.status).toBe(401);
    expectError(unsigned.body, 'invalid_signature');
    const created = await client.post('/checkout_sessions', body, sign('POST', '/checkout_sessions', body));
    expect(created.status).toBe(201);
    const tampered = await client.post(
      '/checkout_sessions',
      { ...body, line_items: [{ id: 'cheeseburger' }] },
      sign('POST', '/checkout_sessions', body),
    );
    expect(tampered.status).toBe(401);
    const stale = await client.post(
      '/checkout_sessions',
      body,
      sign('POST', '/checkout_sessions', body, new Date(t.clock.now().getTime() - 301_000)),
    );
    expect(stale.body.message).toContain('300 s');
    const path = `/checkout_sessions/${created.body.id}`;
    expect((await client.get(path)).status).toBe(401);
    expect((await client.get(path, sign('GET', path, undefined))).status).toBe(200);
    // Keys that do not sign are not asked to.
    expect((await acp.get(path)).status).toBe(404);
  });
});
