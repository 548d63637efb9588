import { randomUUID } from 'node:crypto';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { delegatedCardRequest } from '../src/bench/checkout-flow.js';
import { databaseFile } from '../src/main.js';
import { type AcpCall, acpClient, createTestAcpKey } from './helpers/acp-client.js';
import { ACP_VERSION, acpExamples, acpSchemaErrors } from './helpers/acp-schemas.js';
import { postJsonRpc } from './helpers/mcp-post.js';
import { startTestApp, type TestApp } from './helpers/start-app.js';

type Json = Record<string, unknown>;

const examples = acpExamples('examples.agentic_checkout.json');
const BUYER = { full_name: 'Ines Park', email: 'ines@example.com', phone_number: '+15555550142' };
const FIRST = { provider: 'impact.com', token: 'atp_01J8Z3WXYZ9ABC', publisher_id: 'pub_123' };
const LAST = {
  provider: 'urn:network:cj',
  publisher_id: 'pub_987',
  campaign_id: 'cmp_456',
  touchpoint: 'last',
  source: { type: 'url', url: 'https://publisher.example/reviews/best-burgers-2026-11-24' },
  metadata: { content_type: 'article', rank: 1, sponsored: false },
};

let t: TestApp;
let secret: string;
let acp: ReturnType<typeof acpClient>;
beforeAll(async () => {
  t = await startTestApp();
  secret = createTestAcpKey(t.dataDir, 'Agent platform').secret;
  acp = acpClient(t.url, secret);
});
afterAll(async () => {
  await t.stop();
});

/** A session answer, valid as the official `def`, that never carries the claim back (RFC §4.3.4). */
function valid(res: AcpCall, status: number, def = 'CheckoutSession'): Json {
  expect(res.status, JSON.stringify(res.body).slice(0, 300)).toBe(status);
  expect(acpSchemaErrors('checkout', def, res.body)).toEqual([]);
  const text = JSON.stringify(res.body);
  for (const secretPart of ['"affiliate_attribution":', FIRST.token, 'pub_123', 'pub_987', 'cmp_456']) {
    expect(text).not.toContain(secretPart);
  }
  return res.body;
}

interface Row {
  touchpoint: string;
  provider: string;
  data: string;
  order_id: string | null;
}

/** The claims the shop keeps for a session, read from its database as an analytics feed would. */
function claimsOf(sessionId: string): Row[] {
  const db = new Database(databaseFile(t.dataDir), { readonly: true });
  try {
    return db
      .prepare(
        'SELECT touchpoint, provider, data, order_id FROM affiliate_attributions WHERE checkout_session_id = ? ORDER BY touchpoint',
      )
      .all(sessionId) as Row[];
  } finally {
    db.close();
  }
}

/** Rows of the tables a refused request must leave alone. */
function counts(): { sessions: number; claims: number; orders: number } {
  const db = new Database(databaseFile(t.dataDir), { readonly: true });
  try {
    const count = (table: string) => db.prepare(`SELECT count(*) FROM ${table}`).pluck().get() as number;
    return {
      sessions: count('checkout_sessions'),
      claims: count('affiliate_attributions'),
      orders: count('orders'),
    };
  } finally {
    db.close();
  }
}

async function readySession(attribution: Json = FIRST): Promise<Json> {
  return valid(
    await acp.post('/checkout_sessions', {
      line_items: [{ id: 'cheeseburger' }],
      buyer: BUYER,
      affiliate_attribution: attribution,
    }),
    201,
  );
}

const PAY_AT_PICKUP = { handler_id: 'pay_at_pickup' };

describe('affiliate attribution: first and last touch (affiliate attribution RFC §4.3, §10)', () => {
  it('keeps the create’s claim as the first touch and the complete’s as the last, both tied to the order, and answers neither (RFC §4.3.1, §4.3.2, §4.3.4)', async () => {
    const example = structuredClone(examples.create_checkout_session_request_with_first_touch_attribution);
    (example as { line_items: { id: string }[] }).line_items = [{ id: 'cheeseburger' }];
    const created = valid(await acp.post('/checkout_sessions', example), 201);
    const id = String(created.id);
    const [first] = claimsOf(id);
    expect(first).toMatchObject({ touchpoint: 'first', provider: 'impact.com', order_id: null });
    expect(JSON.parse(first?.data ?? '')).toEqual({ ...FIRST, touchpoint: 'first' });
    valid(await acp.post(`/checkout_sessions/${id}`, { buyer: BUYER }), 200);
    const done = valid(
      await acp.post(`/checkout_sessions/${id}/complete`, {
        payment_data: PAY_AT_PICKUP,
        affiliate_attribution: LAST,
      }),
      200,
      'CheckoutSessionWithOrder',
    );
    const orderId = (done.order as { id: string }).id;
    const rows = claimsOf(id);
    expect(rows.map((r) => [r.touchpoint, r.provider, r.order_id])).toEqual([
      ['first', 'impact.com', orderId],
      ['last', 'urn:network:cj', orderId],
    ]);
    expect(JSON.parse(rows[1]?.data ?? '')).toEqual(LAST);
    valid(await acp.get(`/checkout_sessions/${id}`), 200);
    // RFC §7.1: "Merchants MUST avoid logging tokens in plaintext": the audit log keeps the claim redacted.
    const db = new Database(databaseFile(t.dataDir), { readonly: true });
    const logged = db
      .prepare("SELECT input_summary FROM audit_log WHERE input_summary LIKE '%impact.com%'")
      .pluck()
      .all() as string[];
    db.close();
    expect(logged.length).toBeGreaterThan(0);
    for (const summary of logged) expect(summary).not.toContain(FIRST.token);
  });

  it('ties a first touch alone to the order, and keeps no claim of a complete that did not convert (RFC §4.3.2: "recorded only on successful conversions")', async () => {
    const session = await readySession();
    const id = String(session.id);
    const handlers = (session.capabilities as { payment: { handlers: Json[] } }).payment.handlers;
    const card = handlers.find((h) => h.id === 'card_tokenized') as { config: { merchant_id: string } };
    const total = (session.totals as { type: string; amount: number }[]).find((x) => x.type === 'total');
    const delegated = await acp.post(
      '/agentic_commerce/delegate_payment',
      delegatedCardRequest({
        sessionId: id,
        merchant: card.config.merchant_id,
        maxAmount: (total?.amount ?? 0) - 1,
        expiresAt: '2026-11-24T17:30:00Z',
      }),
    );
    expect(delegated.status).toBe(201);
    const declined = await acp.post(`/checkout_sessions/${id}/complete`, {
      payment_data: {
        handler_id: 'card_tokenized',
        instrument: { type: 'card', credential: { type: 'spt', token: String(delegated.body.id) } },
      },
      affiliate_attribution: LAST,
    });
    expect(declined.status).toBe(402);
    expect(claimsOf(id).map((r) => [r.touchpoint, r.order_id])).toEqual([['first', null]]);
    const done = valid(
      await acp.post(`/checkout_sessions/${id}/complete`, { payment_data: PAY_AT_PICKUP }),
      200,
      'CheckoutSessionWithOrder',
    );
    expect(claimsOf(id).map((r) => [r.touchpoint, r.order_id])).toEqual([
      ['first', (done.order as { id: string }).id],
    ]);
  });

  it('writes a replayed create or complete once; the same key with another claim is a conflict that changes nothing (RFC §7.6, §10)', async () => {
    const key = randomUUID();
    const body = { line_items: [{ id: 'fries' }], buyer: BUYER, affiliate_attribution: FIRST };
    const first = valid(await acp.post('/checkout_sessions', body, { 'idempotency-key': key }), 201);
    const before = counts();
    const replay = await acp.post('/checkout_sessions', body, { 'idempotency-key': key });
    expect(replay.headers.get('idempotent-replayed')).toBe('true');
    expect(valid(replay, 201).id).toBe(first.id);
    const other = { ...body, affiliate_attribution: { ...FIRST, publisher_id: 'pub_999' } };
    const conflict = await acp.post('/checkout_sessions', other, { 'idempotency-key': key });
    // The checkout OpenAPI (the contract where a text differs) answers a reused key with another body 422.
    expect(conflict.status).toBe(422);
    expect(conflict.body).toMatchObject({ type: 'invalid_request', code: 'idempotency_conflict' });
    expect(counts()).toEqual(before);
    const id = String(first.id);
    const completeKey = { 'idempotency-key': randomUUID() };
    const complete = { payment_data: PAY_AT_PICKUP, affiliate_attribution: LAST };
    const done = await acp.post(`/checkout_sessions/${id}/complete`, complete, completeKey);
    valid(done, 200, 'CheckoutSessionWithOrder');
    const afterComplete = counts();
    const again = await acp.post(`/checkout_sessions/${id}/complete`, complete, completeKey);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(again.body).toEqual(done.body);
    expect(counts()).toEqual(afterComplete);
    expect(claimsOf(id).map((r) => [r.touchpoint, JSON.parse(r.data).publisher_id])).toEqual([
      ['first', 'pub_123'],
      ['last', 'pub_987'],
    ]);
  });
});

/** A claim with `change` applied: fields set, or dropped where the value is undefined. */
function claim(change: Json): Json {
  const out: Json = { ...FIRST, metadata: { placement: 'top_pick' }, ...change };
  for (const [k, v] of Object.entries(out)) if (v === undefined) delete out[k];
  return out;
}

/** Claims the RFC refuses, with the code and `param` of the answer (RFC §4.2.3, §6.1, §6.2, §7.4). */
const REFUSED: [string, Json, string, string][] = [
  [
    'no provider (§4.2.3)',
    claim({ provider: undefined }),
    'invalid_type',
    '$.affiliate_attribution.provider',
  ],
  [
    'neither token nor publisher_id (§4.2.3)',
    claim({ token: undefined, publisher_id: undefined }),
    'invalid_type',
    '$.affiliate_attribution',
  ],
  [
    'a provider that is no string (§6.1)',
    claim({ provider: 42 }),
    'invalid_type',
    '$.affiliate_attribution.provider',
  ],
  [
    'nested metadata (§6.1)',
    claim({ metadata: { placement: { slot: 1 } } }),
    'invalid_type',
    '$.affiliate_attribution.metadata.placement',
  ],
  [
    'an array in metadata (§4.2.2)',
    claim({ metadata: { tags: ['a', 'b'] } }),
    'invalid_type',
    '$.affiliate_attribution.metadata.tags',
  ],
  ['metadata that is no object', claim({ metadata: [] }), 'invalid_type', '$.affiliate_attribution.metadata'],
  [
    'a touchpoint out of the enum',
    claim({ touchpoint: 'middle' }),
    'invalid_type',
    '$.affiliate_attribution.touchpoint',
  ],
  [
    'a source type out of the enum',
    claim({ source: { type: 'billboard' } }),
    'invalid_type',
    '$.affiliate_attribution.source.type',
  ],
  [
    'an attribution that is no object',
    'impact.com' as unknown as Json,
    'invalid_type',
    '$.affiliate_attribution',
  ],
  [
    'a PII field name in metadata (§6.2)',
    claim({ metadata: { user_email: 'yes' } }),
    'pii_not_allowed',
    '$.affiliate_attribution.metadata.user_email',
  ],
  [
    'an email address in a metadata value (§7.4)',
    claim({ metadata: { note: 'ines@example.com' } }),
    'pii_not_allowed',
    '$.affiliate_attribution.metadata.note',
  ],
  [
    'a phone number in sub_id (§7.4)',
    claim({ sub_id: 'u1=15555550142' }),
    'pii_not_allowed',
    '$.affiliate_attribution.sub_id',
  ],
  [
    'an email address in the source URL (§7.4)',
    claim({ source: { type: 'url', url: 'https://publisher.example/r?u=ines@example.com' } }),
    'pii_not_allowed',
    '$.affiliate_attribution.source.url',
  ],
  [
    'more metadata than the RFC’s example limit (§4.2.2: ≤ 4KB total)',
    claim({ metadata: { note: 'x'.repeat(4100) } }),
    'invalid',
    '$.affiliate_attribution.metadata',
  ],
  [
    'more metadata keys than the RFC’s example limit (§4.2.2: ≤ 20 keys)',
    claim({ metadata: Object.fromEntries(Array.from({ length: 21 }, (_, i) => [`k${i}`, i])) }),
    'invalid',
    '$.affiliate_attribution.metadata',
  ],
];

/** A refusal as the RFC's §6 answers it: 400 and the flat ACP Error. */
function refused(res: AcpCall, code: string, param: string): void {
  expect(res.status, JSON.stringify(res.body).slice(0, 300)).toBe(400);
  expect(acpSchemaErrors('checkout', 'Error', res.body)).toEqual([]);
  expect(res.body).toMatchObject({ type: 'invalid_request', code, param });
}

describe('affiliate attribution refused as the RFC says (affiliate attribution RFC §6)', () => {
  it('answers every invalid claim on create with 400 and the RFC’s code and param, creating nothing (RFC §6.1, §6.2)', async () => {
    const before = counts();
    for (const [, attribution, code, param] of REFUSED) {
      const res = await acp.post('/checkout_sessions', {
        line_items: [{ id: 'cheeseburger' }],
        affiliate_attribution: attribution,
      });
      refused(res, code, param);
    }
    expect(counts()).toEqual(before);
  });

  it('answers every invalid claim on complete with 400, the session still payable and no order placed (RFC §6.1, §6.2)', async () => {
    const session = await readySession();
    const id = String(session.id);
    const before = counts();
    for (const [, attribution, code, param] of REFUSED) {
      const res = await acp.post(`/checkout_sessions/${id}/complete`, {
        payment_data: PAY_AT_PICKUP,
        affiliate_attribution: attribution,
      });
      refused(res, code, param);
    }
    expect(counts()).toEqual(before);
    expect(claimsOf(id).map((r) => [r.touchpoint, r.order_id])).toEqual([['first', null]]);
    expect(valid(await acp.get(`/checkout_sessions/${id}`), 200).status).toBe('ready_for_payment');
  });

  it('refuses a claim on update, whose request schema has no such field (CheckoutSessionUpdateRequest, additionalProperties: false)', async () => {
    const session = await readySession();
    const res = await acp.post(`/checkout_sessions/${String(session.id)}`, { affiliate_attribution: LAST });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ code: 'invalid', param: '$.affiliate_attribution' });
    expect(claimsOf(String(session.id)).map((r) => r.touchpoint)).toEqual(['first']);
  });

  it('takes unknown claim fields without keeping them, and dates that are no phone numbers (RFC §8.2, §6.2)', async () => {
    const session = await readySession(
      claim({ commission_tier: 'gold', metadata: { published: '2026-11-24 10:30', rank: 2 } }),
    );
    const [row] = claimsOf(String(session.id));
    expect(JSON.parse(row?.data ?? '')).toEqual({
      ...FIRST,
      metadata: { published: '2026-11-24 10:30', rank: 2 },
    });
  });
});

describe('affiliate attribution through the MCP binding (/acp/mcp, payload = the REST body)', () => {
  async function call(
    name: string,
    args: Json,
  ): Promise<{ result?: Json; error?: { code: number; data: Json } }> {
    const res = await postJsonRpc(`${t.url}/acp/mcp`, secret, {
      jsonrpc: '2.0',
      id: 1,
      method: 'tools/call',
      params: { name, arguments: { meta: { api_version: ACP_VERSION }, ...args } },
    });
    return (await res.json()) as { result?: Json; error?: { code: number; data: Json } };
  }

  it('keeps the first and last touch of create_checkout_session and complete_checkout_session, and refuses PII as -32000 pii_not_allowed (RFC §6.2)', async () => {
    const bad = await call('create_checkout_session', {
      payload: { line_items: [{ id: 'fries' }], affiliate_attribution: claim({ metadata: { phone: 'x' } }) },
    });
    expect(bad.error?.code, JSON.stringify(bad).slice(0, 300)).toBe(-32000);
    expect(acpSchemaErrors('checkout', 'Error', bad.error?.data)).toEqual([]);
    expect(bad.error?.data).toMatchObject({
      type: 'invalid_request',
      code: 'pii_not_allowed',
      param: '$.payload.affiliate_attribution.metadata.phone',
    });
    const created = await call('create_checkout_session', {
      payload: { line_items: [{ id: 'fries' }], buyer: BUYER, affiliate_attribution: FIRST },
    });
    const session = created.result?.structuredContent as Json;
    expect(acpSchemaErrors('checkout', 'CheckoutSession', session)).toEqual([]);
    expect(JSON.stringify(created.result)).not.toContain(FIRST.token);
    const done = await call('complete_checkout_session', {
      id: session.id,
      payload: { payment_data: PAY_AT_PICKUP, affiliate_attribution: LAST },
    });
    const completed = done.result?.structuredContent as Json;
    expect(acpSchemaErrors('checkout', 'CheckoutSessionWithOrder', completed)).toEqual([]);
    const orderId = (completed.order as { id: string }).id;
    expect(claimsOf(String(session.id)).map((r) => [r.touchpoint, r.provider, r.order_id])).toEqual([
      ['first', 'impact.com', orderId],
      ['last', 'urn:network:cj', orderId],
    ]);
  });
});

describe('declaring the extension (extensions RFC §3.2)', () => {
  it('lists affiliate_attribution among the active extensions when the agent says it understands it, with request fields only', async () => {
    const session = valid(
      await acp.post('/checkout_sessions', {
        line_items: [{ id: 'cheeseburger' }],
        capabilities: { extensions: ['affiliate_attribution'] },
      }),
      201,
    );
    expect((session.capabilities as Json).extensions).toEqual([
      {
        name: 'affiliate_attribution',
        extends: [
          '$.CheckoutSessionCreateRequest.affiliate_attribution',
          '$.CheckoutSessionCompleteRequest.affiliate_attribution',
        ],
      },
    ]);
  });
});
