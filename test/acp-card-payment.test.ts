import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { delegatedCardRequest } from '../src/bench/checkout-flow.js';
import { acpClient, createTestAcpKey } from './helpers/acp-client.js';
import { acpSchemaErrors } from './helpers/acp-schemas.js';
import { startTestApp, type TestApp } from './helpers/start-app.js';

type Json = Record<string, unknown>;

let t: TestApp;
let acp: ReturnType<typeof acpClient>;
beforeAll(async () => {
  t = await startTestApp();
  acp = acpClient(t.url, createTestAcpKey(t.dataDir, 'ChatGPT').secret);
});
afterAll(async () => {
  await t.stop();
});

const BUYER = { full_name: 'Ines Park', email: 'ines@example.com', phone_number: '+15555550142' };

/** A session for one cheeseburger, and its total. */
async function session(): Promise<{ id: string; total: number; merchant: string }> {
  const res = await acp.post('/checkout_sessions', {
    line_items: [{ id: 'cheeseburger' }],
    currency: 'usd',
    buyer: BUYER,
  });
  expect(res.status).toBe(201);
  const handlers = (res.body.capabilities as { payment: { handlers: Json[] } }).payment.handlers;
  const card = handlers.find((h) => h.id === 'card_tokenized') as { config: { merchant_id: string } };
  const total =
    (res.body.totals as { type: string; amount: number }[]).find((x) => x.type === 'total')?.amount ?? 0;
  return { id: String(res.body.id), total, merchant: card.config.merchant_id };
}

/** The agent delegates the buyer's card for one session, up to `max`, until `expires`. */
async function delegate(sessionId: string, merchant: string, max: number, expires = '2026-11-24T17:30:00Z') {
  const res = await acp.post(
    '/agentic_commerce/delegate_payment',
    delegatedCardRequest({ sessionId, merchant, maxAmount: max, expiresAt: expires }),
  );
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return String(res.body.id);
}

/** A decline is the flat ACP Error (see ACP_STATUS in src/http/error-response.ts for why). */
const DECLINED = { type: 'processing_error', code: 'payment_declined' };

const complete = (id: string, token: string) =>
  acp.post(`/checkout_sessions/${id}/complete`, {
    buyer: BUYER,
    payment_data: {
      handler_id: 'card_tokenized',
      instrument: { type: 'card', credential: { type: 'spt', token } },
    },
  });

describe('ACP checkout paid with a delegated card', () => {
  it('pays at once: completed, the order confirmed, no phone confirmation left open', async () => {
    const s = await session();
    const token = await delegate(s.id, s.merchant, s.total);
    const done = await complete(s.id, token);
    expect(done.status).toBe(200);
    expect(acpSchemaErrors('checkout', 'CheckoutSession', done.body)).toEqual([]);
    expect(done.body).toMatchObject({ status: 'completed' });
    expect(['confirmed', 'processing']).toContain((done.body.order as { status: string }).status);
    expect(done.body.continue_url).toBeUndefined();
    // Paid in the same transaction: no confirmation request was ever written for it.
    const orderId = (done.body.order as { id: string }).id;
    const requests = t.app.store.db.prepare('SELECT count(*) FROM confirmation_requests WHERE order_id = ?');
    expect(requests.pluck().get(orderId)).toBe(0);
  });

  it('declines a token spent already, one over its allowance, and one expired — creating no order', async () => {
    const first = await session();
    const token = await delegate(first.id, first.merchant, first.total);
    expect((await complete(first.id, token)).body.status).toBe('completed');
    const second = await session();
    const reused = await complete(second.id, token);
    expect(reused.status).toBe(402);
    expect(acpSchemaErrors('checkout', 'Error', reused.body)).toEqual([]);
    expect(reused.body).toMatchObject(DECLINED);
    const still = await acp.get(`/checkout_sessions/${second.id}`);
    expect(still.body.status).toBe('ready_for_payment');
    expect(still.body.order).toBeUndefined();

    const small = await session();
    const tooLittle = await complete(small.id, await delegate(small.id, small.merchant, small.total - 1));
    expect(tooLittle.status).toBe(402);
    expect(tooLittle.body).toMatchObject(DECLINED);

    const late = await session();
    const soon = await delegate(late.id, late.merchant, late.total, '2026-11-24T17:05:00Z');
    // Time passes and stays passed: a clock set back below an order taken refuses orders (clock_not_set).
    t.clock.advance(6 * 60_000);
    const expired = await complete(late.id, soon);
    expect(expired.body).toMatchObject(DECLINED);
    expect(String(expired.body.message)).toContain('expired');
  });

  it('gives exactly one order when two completes race with one token', async () => {
    const s = await session();
    const token = await delegate(s.id, s.merchant, s.total);
    const answers = await Promise.all([complete(s.id, token), complete(s.id, token), complete(s.id, token)]);
    const completed = answers.filter((a) => a.body.status === 'completed');
    expect(completed).toHaveLength(1);
    for (const other of answers.filter((a) => a.body.status !== 'completed')) expect(other.status).toBe(409);
    const orders = t.app.store.db
      .prepare(
        "SELECT count(*) FROM orders o JOIN checkout_sessions s ON s.order_id = o.id WHERE s.id = ? AND o.state IN ('paid', 'in_kitchen')",
      )
      .pluck()
      .get(s.id);
    expect(orders).toBe(1);
    // Two sessions, one token: only the session it was delegated for can spend it.
    const other = await session();
    const stolen = await complete(other.id, await delegate(s.id, s.merchant, s.total));
    expect(stolen.body).toMatchObject(DECLINED);
  });

  it('refuses a card complete without a token, and an unknown handler', async () => {
    const s = await session();
    const missing = await acp.post(`/checkout_sessions/${s.id}/complete`, {
      payment_data: { handler_id: 'card_tokenized' },
    });
    expect(missing.body).toMatchObject({
      code: 'missing',
      param: '$.payment_data.instrument.credential.token',
    });
    const unknown = await acp.post(`/checkout_sessions/${s.id}/complete`, {
      payment_data: {
        handler_id: 'apple_pay',
        instrument: { type: 'x', credential: { type: 'y', token: randomUUID() } },
      },
    });
    expect(unknown.body).toMatchObject({ code: 'invalid', param: '$.payment_data.handler_id' });
  });
});
