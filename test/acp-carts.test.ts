import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { databaseFile } from '../src/main.js';
import { createCatalogRepo } from '../src/store/catalog-repo.js';
import { openStore } from '../src/store/database.js';
import { type AcpCall, acpClient, createTestAcpKey } from './helpers/acp-client.js';
import { ACP_SPEC_DIR, ACP_VERSION, acpSchemaErrors } from './helpers/acp-schemas.js';
import { PUBLIC_URL, startTestApp, type TestApp } from './helpers/start-app.js';

type Json = Record<string, unknown>;
type Line = { id: string; item: { id: string }; quantity: number; unit_amount: number; totals: Total[] };
type Total = { type: string; amount: number };

/** Every cart answer must be a valid Cart; every error a valid Error. */
function expectCart(body: Json): void {
  expect(acpSchemaErrors('cart', 'Cart', body)).toEqual([]);
}
function expectError(res: AcpCall, status: number, code: string): void {
  expect(res.status).toBe(status);
  expect(acpSchemaErrors('checkout', 'Error', res.body)).toEqual([]);
  expect(res.body.code).toBe(code);
}

// The release's cart examples: the request bodies of schema.cart.json, and the RFC's create request.
const cartSchema = JSON.parse(
  readFileSync(join(ACP_SPEC_DIR, 'spec', ACP_VERSION, 'json-schema', 'schema.cart.json'), 'utf8'),
) as { $defs: Record<string, { example: Json }> };
const rfcCreate = ((): Json => {
  const rfc = readFileSync(join(ACP_SPEC_DIR, 'rfcs', 'rfc.cart.md'), 'utf8');
  const block = /```json\nPOST \/carts HTTP\/1\.1\n[^{]*(\{[\s\S]*?\n\})\n```/.exec(rfc)?.[1];
  if (block === undefined) throw new Error('rfc.cart.md has no create request example');
  return JSON.parse(block) as Json;
})();
/** The OpenAPI's `minimal` create example. */
const minimalCreate = { line_items: [{ id: 'item_123', quantity: 1 }] };

/** The examples' items, swapped for items of our menu. */
const OUR_ITEMS: Record<string, string> = {
  item_123: 'cheeseburger',
  item_456: 'fries',
  item_789: 'apple-pie',
};
function mapItems(request: unknown): Json {
  const copy = structuredClone(request) as Json;
  for (const item of copy.line_items as { id: string }[]) item.id = OUR_ITEMS[item.id] ?? item.id;
  return copy;
}

const linesOf = (cart: Json) => cart.line_items as Line[];
const total = (totals: unknown, type: string) => (totals as Total[]).find((t) => t.type === type)?.amount;
const refs = (cart: Json) => linesOf(cart).map((l) => [l.item.id, l.quantity]);

let t: TestApp;
let acp: ReturnType<typeof acpClient>;
let other: ReturnType<typeof acpClient>;
let secrets: { acp: string; other: string };

/** PUT as an agent platform sends it: the ACP client's headers, an Idempotency-Key unless told otherwise. */
async function put(
  path: string,
  body: unknown,
  headers: Record<string, string | undefined> = {},
  secret = secrets.acp,
): Promise<AcpCall> {
  const all: Record<string, string | undefined> = {
    authorization: `Bearer ${secret}`,
    'api-version': ACP_VERSION,
    'content-type': 'application/json',
    'idempotency-key': randomUUID(),
    ...headers,
  };
  const sent = Object.fromEntries(Object.entries(all).filter(([, v]) => v !== undefined)) as Record<
    string,
    string
  >;
  const res = await fetch(t.url + path, {
    method: 'PUT',
    headers: sent,
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: text === '' ? {} : (JSON.parse(text) as Json) };
}

async function created(body: unknown = { line_items: [{ id: 'cheeseburger' }] }): Promise<Json> {
  const res = await acp.post('/carts', body);
  expect(res.status).toBe(201);
  expectCart(res.body);
  return res.body;
}

/** The owner's sold-out toggle, written from a second connection as the admin page's is while the shop serves. */
function setSoldOut(itemId: string, soldOut: boolean): void {
  const store = openStore({ file: databaseFile(t.dataDir) });
  try {
    expect(createCatalogRepo({ store }).setItemSoldOut(itemId, soldOut)).toBe(true);
  } finally {
    store.close();
  }
}

const dollars = (cents: number | undefined) => `$${((cents ?? 0) / 100).toFixed(2)}`;

beforeAll(async () => {
  t = await startTestApp();
  secrets = {
    acp: createTestAcpKey(t.dataDir, 'ChatGPT').secret,
    other: createTestAcpKey(t.dataDir, 'Another agent').secret,
  };
  acp = acpClient(t.url, secrets.acp);
  other = acpClient(t.url, secrets.other);
});
afterAll(async () => {
  await t.stop();
});

describe('ACP carts', () => {
  it('creates carts from the specification examples, with estimated totals from our menu', async () => {
    const fromRfc = await created(mapItems(rfcCreate));
    expect(fromRfc.id).toMatch(/^cart_/);
    expect(refs(fromRfc)).toEqual([
      ['cheeseburger', 2],
      ['fries', 1],
    ]);
    expect(linesOf(fromRfc).map((l) => l.id)).toEqual(['li_1', 'li_2']);
    expect(fromRfc).toMatchObject({
      buyer: { email: 'buyer@example.com' },
      currency: 'usd',
      messages: [],
      expires_at: '2026-11-25T17:00:00.000Z',
    });
    const lines = linesOf(fromRfc);
    expect(lines[0]?.unit_amount).toBe(1095);
    for (const line of lines) expect(total(line.totals, 'subtotal')).toBe(line.unit_amount * line.quantity);
    const subtotal = total(fromRfc.totals, 'subtotal');
    expect(subtotal).toBe(lines.reduce((sum, l) => sum + (total(l.totals, 'subtotal') ?? 0), 0));
    expect(total(fromRfc.totals, 'total')).toBe((subtotal ?? 0) + (total(fromRfc.totals, 'tax') ?? 0));

    const fromSchema = await created(mapItems(cartSchema.$defs.CartCreateRequest?.example));
    expect(refs(fromSchema)).toEqual(refs(fromRfc));
    const minimal = await created(mapItems(minimalCreate));
    expect(refs(minimal)).toEqual([['cheeseburger', 1]]);
    expect(minimal.buyer).toBeUndefined();
  });

  it('carries menu options in the item id, as checkout does', async () => {
    const cart = await created({
      line_items: [
        { id: 'cheeseburger:extra-bacon,no-onions' },
        { id: 'cheeseburger:extra-bacon,no-onions' },
      ],
      locale: 'en-US',
    });
    const [line] = linesOf(cart) as (Line & Json)[];
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
  });

  it('replaces the whole cart on update (the example update) and reads back the same cart', async () => {
    const cart = await created(mapItems(rfcCreate));
    const updated = await put(`/carts/${cart.id}`, mapItems(cartSchema.$defs.CartUpdateRequest?.example));
    expect(updated.status).toBe(200);
    expectCart(updated.body);
    expect(refs(updated.body)).toEqual([
      ['cheeseburger', 3],
      ['apple-pie', 1],
    ]);
    expect(updated.body.buyer).toBeUndefined();
    expect(total(updated.body.totals, 'subtotal')).toBe(
      linesOf(updated.body).reduce((sum, l) => sum + l.unit_amount * l.quantity, 0),
    );
    const read = await acp.get(`/carts/${cart.id}`);
    expect(read.status).toBe(200);
    expectCart(read.body);
    expect(read.body).toEqual(updated.body);
  });

  it('becomes a checkout session the agent creates from its items', async () => {
    const cart = await created({
      line_items: [{ id: 'cheeseburger:extra-bacon', quantity: 2 }, { id: 'fries' }],
      buyer: { full_name: 'Ada Lovelace', email: 'ada@example.com', phone_number: '+15551234567' },
    });
    const read = await acp.get(`/carts/${cart.id}`);
    const session = await acp.post('/checkout_sessions', {
      line_items: linesOf(read.body).map((l) => ({ id: l.item.id, quantity: l.quantity })),
      currency: read.body.currency,
      capabilities: {},
      buyer: read.body.buyer,
    });
    expect(session.status).toBe(201);
    expect(acpSchemaErrors('checkout', 'CheckoutSession', session.body)).toEqual([]);
    expect(session.body.status).toBe('ready_for_payment');
    expect(refs(session.body)).toEqual(refs(read.body));
    expect(linesOf(session.body).map((l) => l.unit_amount)).toEqual(
      linesOf(read.body).map((l) => l.unit_amount),
    );
    expect(session.body.totals).toEqual(read.body.totals);
    expect(session.body.buyer).toEqual(read.body.buyer);
  });

  it('keeps sold-out items with a message, and refuses a cart where nothing can be had', async () => {
    // The demo menu's craft root beer is sold out.
    const cart = await created({ line_items: [{ id: 'cheeseburger' }, { id: 'craft-root-beer' }] });
    expect(refs(cart)).toEqual([
      ['cheeseburger', 1],
      ['craft-root-beer', 1],
    ]);
    expect(linesOf(cart)[1]).toMatchObject({ availability_status: 'out_of_stock' });
    expect(cart.messages).toEqual([
      expect.objectContaining({ type: 'error', code: 'out_of_stock', param: '$.line_items[1].id' }),
    ]);
    const none = await acp.post('/carts', { line_items: [{ id: 'craft-root-beer', quantity: 2 }] });
    expectError(none, 422, 'out_of_stock');
    expect(none.body.message).toContain('Craft Root Beer');
    const noneOnUpdate = await put(`/carts/${cart.id}`, { line_items: [{ id: 'craft-root-beer' }] });
    expectError(noneOnUpdate, 422, 'out_of_stock');
    expect((await acp.get(`/carts/${cart.id}`)).body).toEqual(cart);
  });

  // ACP cart §4.2 "Partial availability": the cart stays (201/200) and `messages` say which items cannot
  // be had; MessageError is the schema's shape for it ("out of stock → code out_of_stock and param").
  it('leaves a line the owner marks sold out out of the estimate, in checkout’s words, until it is back', async () => {
    const both = await created({ line_items: [{ id: 'cheeseburger' }, { id: 'bbq-burger', quantity: 2 }] });
    const alone = await created({ line_items: [{ id: 'cheeseburger' }] });
    expect(total(both.totals, 'total')).toBeGreaterThan(total(alone.totals, 'total') ?? 0);
    const read = async () => {
      const res = await acp.get(`/carts/${both.id}`);
      expect(res.status).toBe(200);
      expectCart(res.body);
      return res.body;
    };

    setSoldOut('bbq-burger', true);
    await vi.waitFor(
      async () => expect(linesOf(await read())[1]).toMatchObject({ availability_status: 'out_of_stock' }),
      {
        timeout: 3000,
      },
    );
    const soldOut = await read();
    expect(soldOut.totals).toEqual(alone.totals);
    expect(linesOf(soldOut)[1]).toMatchObject({
      quantity: 2,
      unit_amount: linesOf(both)[1]?.unit_amount,
      totals: [{ type: 'total', display_text: 'Total', amount: 0 }],
    });
    // A checkout session of the same items says the same thing, in the same words.
    const session = await acp.post('/checkout_sessions', {
      line_items: [{ id: 'cheeseburger' }, { id: 'bbq-burger', quantity: 2 }],
      currency: 'usd',
      capabilities: {},
    });
    expect(session.status).toBe(201);
    const sessionSays = (session.body.messages as Json[]).filter((m) => m.code === 'out_of_stock');
    expect(sessionSays).toHaveLength(1);
    expect(soldOut.messages).toEqual(sessionSays);
    expect(String(sessionSays[0]?.content)).toContain('BBQ');

    setSoldOut('bbq-burger', false);
    await vi.waitFor(async () => expect((await read()).totals).toEqual(both.totals), { timeout: 3000 });
    expect((await read()).messages).toEqual([]);
  });

  // MessageError.code of schema.agentic_checkout.json (carts use the same) has `not_found`: more precise
  // than `invalid`, which would say the agent sent something malformed.
  it('reports an item that left the menu as a not_found message, in the cart and in a checkout session of it', async () => {
    const items = { line_items: [{ id: 'cheeseburger' }, { id: 'onion-rings' }] };
    const cart = await created(items);
    const session = await acp.post('/checkout_sessions', { ...items, currency: 'usd', capabilities: {} });
    expect(session.status).toBe(201);
    const store = openStore({ file: databaseFile(t.dataDir) });
    try {
      store.db.prepare("DELETE FROM items WHERE id = 'onion-rings'").run();
    } finally {
      store.close();
    }
    const gone = { type: 'error', code: 'not_found', param: '$.line_items[1].id' };
    await vi.waitFor(
      async () => {
        const res = await acp.get(`/carts/${cart.id}`);
        expectCart(res.body);
        expect(res.body.messages).toEqual([expect.objectContaining(gone)]);
      },
      { timeout: 3000 },
    );
    const read = await acp.get(`/checkout_sessions/${String(session.body.id)}`);
    expect(acpSchemaErrors('checkout', 'CheckoutSession', read.body)).toEqual([]);
    expect(read.body.status).toBe('not_ready_for_payment');
    expect(read.body.messages).toEqual([expect.objectContaining(gone)]);
  });

  // ACP cart §3.3 `continue_url`: "URL for cart handoff, sharing, or session recovery"; §9 SHOULD provide it.
  it('gives each cart a continue_url: the shop’s page of the basket, gone with the cart', async () => {
    const cart = await created({
      line_items: [{ id: 'cheeseburger', quantity: 2 }, { id: 'craft-root-beer' }],
      buyer: { full_name: 'Ada Lovelace', email: 'ada@example.com' },
    });
    expect(cart.continue_url).toBe(`${PUBLIC_URL}/cart/${cart.id}`);
    const path = new URL(String(cart.continue_url)).pathname;
    const page = await fetch(t.url + path);
    expect(page.status).toBe(200);
    expect(page.headers.get('cache-control')).toBe('no-store');
    const html = await page.text();
    expect(html).toContain(`2 × Cheeseburger (Beef, Brioche bun) — ${dollars(2 * 1095)}`);
    expect(html).toContain('1 × Craft Root Beer — not available now, not counted');
    expect(html).toContain(`Estimated total ${dollars(total(cart.totals, 'total'))}`);
    expect(html).toContain(String(cart.id));
    expect(html).not.toContain('Lovelace');
    expect(html).not.toContain('ada@example.com');
    expect((await acp.get(`/carts/${cart.id}`)).body.continue_url).toBe(cart.continue_url);

    expect((await acp.post(`/carts/${cart.id}/cancel`, {})).body.continue_url).toBe(cart.continue_url);
    expect((await fetch(t.url + path)).status).toBe(404);
    expect((await fetch(`${t.url}/cart/cart_nope`)).status).toBe(404);
  });

  it('cancels with the last state, then the cart is gone', async () => {
    const cart = await created(mapItems(rfcCreate));
    const canceled = await acp.post(`/carts/${cart.id}/cancel`, '');
    expect(canceled.status).toBe(200);
    expectCart(canceled.body);
    expect(canceled.body).toEqual(cart);
    expectError(await acp.get(`/carts/${cart.id}`), 404, 'not_found');
    expectError(await put(`/carts/${cart.id}`, { line_items: [{ id: 'fries' }] }), 404, 'not_found');
    expectError(await acp.post(`/carts/${cart.id}/cancel`, {}), 404, 'not_found');
    const db = new Database(databaseFile(t.dataDir), { readonly: true });
    const row = db.prepare('SELECT id FROM carts WHERE id = ?').get(cart.id);
    db.close();
    expect(row).toBeUndefined();
    const another = await created();
    expect((await acp.post(`/carts/${another.id}/cancel`, { reason: 'changed my mind' })).status).toBe(200);
  });

  it('keeps each agent to its own carts', async () => {
    const cart = await created();
    expectError(await other.get(`/carts/${cart.id}`), 404, 'not_found');
    expectError(
      await put(`/carts/${cart.id}`, { line_items: [{ id: 'fries' }] }, {}, secrets.other),
      404,
      'not_found',
    );
    expectError(await other.post(`/carts/${cart.id}/cancel`, {}), 404, 'not_found');
    expectError(await acp.get('/carts/cart_nope'), 404, 'not_found');
    expect((await acp.get(`/carts/${cart.id}`)).body).toEqual(cart);
  });

  it('answers an update sent as POST with 405 and the methods that exist', async () => {
    const cart = await created();
    const res = await acp.post(`/carts/${cart.id}`, { line_items: [{ id: 'fries' }] });
    expectError(res, 405, 'method_not_allowed');
    // The OpenAPI's description calls update a POST, as checkout's is; its paths say PUT.
    expect(res.headers.get('allow')).toBe('GET, HEAD, PUT');
  });

  it('is advertised in discovery', async () => {
    const discovery = (await (await fetch(`${t.url}/.well-known/acp.json`)).json()) as {
      capabilities: { services: string[] };
    };
    expect(discovery.capabilities.services).toContain('carts');
  });
});

describe('ACP cart request rules', () => {
  it('needs a valid API key and a supported API-Version', async () => {
    expectError(
      await acpClient(t.url, 'cpk_wrong').post('/carts', { line_items: [{ id: 'fries' }] }),
      401,
      'unauthorized',
    );
    const versionless = await acp.get('/carts/cart_x', { 'api-version': undefined });
    expectError(versionless, 400, 'missing_api_version');
    expect(versionless.body.supported_versions).toEqual([ACP_VERSION]);
  });

  it('needs an Idempotency-Key on create, update and cancel, and echoes it and Request-Id', async () => {
    const cart = await created();
    const noKey = { 'idempotency-key': undefined };
    expectError(
      await acp.post('/carts', { line_items: [{ id: 'fries' }] }, noKey),
      400,
      'idempotency_key_required',
    );
    expectError(
      await put(`/carts/${cart.id}`, { line_items: [{ id: 'fries' }] }, noKey),
      400,
      'idempotency_key_required',
    );
    expectError(await acp.post(`/carts/${cart.id}/cancel`, {}, noKey), 400, 'idempotency_key_required');
    const echoed = await put(
      `/carts/${cart.id}`,
      { line_items: [{ id: 'fries' }] },
      { 'idempotency-key': 'k-cart-echo', 'request-id': 'req_7' },
    );
    expect(echoed.headers.get('idempotency-key')).toBe('k-cart-echo');
    expect(echoed.headers.get('request-id')).toBe('req_7');
  });

  it('replays the same key and body, and refuses the same key with another body', async () => {
    const body = { line_items: [{ id: 'cheeseburger' }], buyer: { email: 'ada@example.com' } };
    const first = await acp.post('/carts', body, { 'idempotency-key': 'k-cart' });
    const again = await acp.post(
      '/carts',
      { buyer: body.buyer, line_items: body.line_items },
      { 'idempotency-key': 'k-cart' },
    );
    expect(again.status).toBe(201);
    expect(again.body).toEqual(first.body);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expectError(
      await acp.post('/carts', { line_items: [{ id: 'fries' }] }, { 'idempotency-key': 'k-cart' }),
      422,
      'idempotency_conflict',
    );

    const path = `/carts/${first.body.id}`;
    const update = { line_items: [{ id: 'fries', quantity: 2 }] };
    const replaced = await put(path, update, { 'idempotency-key': 'k-cart-put' });
    await put(path, { line_items: [{ id: 'hamburger' }] });
    const replayed = await put(path, update, { 'idempotency-key': 'k-cart-put' });
    expect(replayed.body).toEqual(replaced.body);
    expect(replayed.headers.get('idempotent-replayed')).toBe('true');
    expect(refs((await acp.get(path)).body)).toEqual([['hamburger', 1]]);
    expectError(
      await put(path, { line_items: [{ id: 'cola' }] }, { 'idempotency-key': 'k-cart-put' }),
      422,
      'idempotency_conflict',
    );
  });

  it('refuses unknown fields, malformed JSON, wrong types and unknown items, naming where', async () => {
    const cart = await created();
    const cases: [Promise<AcpCall>, string, string][] = [
      [acp.post('/carts', { line_items: [{ id: 'fries' }], colour: 'red' }), 'invalid', '$.colour'],
      [put(`/carts/${cart.id}`, { line_items: [{ id: 'fries' }], locale: 'en-US' }), 'invalid', '$.locale'],
      [
        acp.post('/carts', { line_items: [{ id: 'fries', quantity: -2 }] }),
        'invalid',
        '$.line_items[0].quantity',
      ],
      [acp.post('/carts', { buyer: { email: 'ada@example.com' } }), 'missing', '$.line_items'],
      [put(`/carts/${cart.id}`, { line_items: [] }), 'invalid', '$.line_items'],
      [
        acp.post('/carts', { line_items: [{ id: 'fries' }], buyer: { email: 'not an email' } }),
        'invalid',
        '$.buyer.email',
      ],
      [
        acp.post('/carts', { line_items: [{ id: 'fries' }, { id: 'unicorn-steak' }] }),
        'item_not_found',
        '$.line_items[1].id',
      ],
      [
        put(`/carts/${cart.id}`, { line_items: [{ id: 'unicorn-steak' }] }),
        'item_not_found',
        '$.line_items[0].id',
      ],
    ];
    for (const [call, code, param] of cases) {
      const res = await call;
      expectError(res, 400, code);
      expect(res.body.param).toBe(param);
    }
    expectError(await acp.post('/carts', '{"line_items": ['), 400, 'invalid_json');
    expectError(await put(`/carts/${cart.id}`, '{"line_items"'), 400, 'invalid_json');
    const wrongType = await acp.post('/carts', { line_items: 'fries' });
    expectError(wrongType, 400, 'invalid');
    expect(wrongType.body.param).toBe('$.line_items');
    expectError(await acp.post(`/carts/${cart.id}/cancel`, '[]'), 400, 'invalid');
    expect((await acp.get(`/carts/${cart.id}`)).body).toEqual(cart);
  });

  it('forgets a cart a day after its last change', async () => {
    const cart = await created();
    t.clock.advance(12 * 60 * 60 * 1000);
    const touched = await put(`/carts/${cart.id}`, { line_items: [{ id: 'fries' }] });
    expect(touched.body.expires_at).toBe(
      new Date(t.clock.now().getTime() + 24 * 60 * 60 * 1000).toISOString(),
    );
    t.clock.advance(23 * 60 * 60 * 1000);
    expect((await acp.get(`/carts/${cart.id}`)).status).toBe(200);
    t.clock.advance(60 * 60 * 1000);
    expectError(await acp.get(`/carts/${cart.id}`), 404, 'not_found');
  });
});
