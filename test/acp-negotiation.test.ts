import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { delegatedCardRequest } from '../src/bench/checkout-flow.js';
import { type AcpCall, acpClient, createTestAcpKey } from './helpers/acp-client.js';
import { ACP_VERSION, acpSchemaErrors } from './helpers/acp-schemas.js';
import { postJsonRpc } from './helpers/mcp-post.js';
import { startTestApp, type TestApp } from './helpers/start-app.js';

type Json = Record<string, unknown>;

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

const BUYER = { full_name: 'Ines Park', email: 'ines@example.com', phone_number: '+15555550142' };

/** A session answer, valid as the official `CheckoutSession`. */
function valid(res: AcpCall, status: number): Json {
  expect(res.status, JSON.stringify(res.body).slice(0, 300)).toBe(status);
  expect(acpSchemaErrors('checkout', 'CheckoutSession', res.body)).toEqual([]);
  return res.body;
}

describe('ACP capability negotiation (capability negotiation RFC §4.5.1, §7.1)', () => {
  it('answers capabilities.interventions as the intersection of the agent’s and the shop’s (none), required [] and enforcement conditional, on create, update and read (RFC §4.5.1: "MUST compute and return the intersection")', async () => {
    const created = valid(
      await acp.post('/checkout_sessions', {
        line_items: [{ id: 'cheeseburger' }],
        capabilities: {
          interventions: { supported: ['3ds', 'address_verification'], display_context: 'native' },
        },
      }),
      201,
    );
    const negotiated = { supported: [], required: [], enforcement: 'conditional' };
    expect((created.capabilities as Json).interventions).toEqual(negotiated);
    const id = String(created.id);
    const updated = valid(await acp.post(`/checkout_sessions/${id}`, { buyer: BUYER }), 200);
    expect((updated.capabilities as Json).interventions).toEqual(negotiated);
    const read = valid(await acp.get(`/checkout_sessions/${id}`), 200);
    expect((read.capabilities as Json).interventions).toEqual(negotiated);
    // Request-only fields (display_context) are never echoed: the response carries the seller's view.
    expect(JSON.stringify(read.capabilities)).not.toContain('display_context');
  });
});

/** A ready session for one cheeseburger, its total and the vault's merchant id. */
async function readySession(): Promise<{ id: string; total: number; merchant: string }> {
  const body = valid(
    await acp.post('/checkout_sessions', { line_items: [{ id: 'cheeseburger' }], buyer: BUYER }),
    201,
  );
  const handlers = (body.capabilities as { payment: { handlers: Json[] } }).payment.handlers;
  const card = handlers.find((h) => h.id === 'card_tokenized') as { config: { merchant_id: string } };
  const total = (body.totals as { type: string; amount: number }[]).find((x) => x.type === 'total')?.amount;
  return { id: String(body.id), total: total ?? 0, merchant: card.config.merchant_id };
}

/** A complete request whose delegated token allows one cent less than the total: declined. */
async function decliningComplete(s: { id: string; total: number; merchant: string }): Promise<Json> {
  const delegated = await acp.post(
    '/agentic_commerce/delegate_payment',
    delegatedCardRequest({
      sessionId: s.id,
      merchant: s.merchant,
      maxAmount: s.total - 1,
      expiresAt: '2026-11-24T17:30:00Z',
    }),
  );
  expect(delegated.status).toBe(201);
  return {
    buyer: BUYER,
    payment_data: {
      handler_id: 'card_tokenized',
      instrument: { type: 'card', credential: { type: 'spt', token: String(delegated.body.id) } },
    },
  };
}

const DECLINED = { type: 'processing_error', code: 'payment_declined' };

describe('a declined payment on complete (OpenAPI completeCheckoutSession: 200 is CheckoutSessionWithOrder)', () => {
  it('answers REST with HTTP 402 and the flat ACP Error processing_error/payment_declined, and the session stays payable', async () => {
    const s = await readySession();
    const res = await acp.post(`/checkout_sessions/${s.id}/complete`, await decliningComplete(s));
    expect(res.status, JSON.stringify(res.body).slice(0, 300)).toBe(402);
    expect(acpSchemaErrors('checkout', 'Error', res.body)).toEqual([]);
    expect(res.body).toMatchObject({ ...DECLINED, param: '$.payment_data.instrument.credential.token' });
    const after = valid(await acp.get(`/checkout_sessions/${s.id}`), 200);
    expect(after.status).toBe('ready_for_payment');
    expect(after.order).toBeUndefined();
  });

  it('answers the MCP binding with JSON-RPC -32000 and the same Error as data (binding example error_payment_declined)', async () => {
    const s = await readySession();
    const payload = await decliningComplete(s);
    const res = await postJsonRpc(`${t.url}/acp/mcp`, secret, {
      jsonrpc: '2.0',
      id: 7,
      method: 'tools/call',
      params: {
        name: 'complete_checkout_session',
        arguments: { meta: { api_version: ACP_VERSION }, id: s.id, payload },
      },
    });
    const body = (await res.json()) as { error?: { code: number; message: string; data: Json } };
    expect(body.error?.code, JSON.stringify(body).slice(0, 300)).toBe(-32000);
    expect(acpSchemaErrors('checkout', 'Error', body.error?.data)).toEqual([]);
    expect(body.error?.data).toMatchObject({
      ...DECLINED,
      param: '$.payload.payment_data.instrument.credential.token',
    });
  });
});

describe('discount codes the shop does not know (discount extension RFC §4.5, §7, §10.1)', () => {
  it('answers every code, from discounts.codes or the deprecated coupons, as rejected discount_code_invalid with a warning, the session still ready', async () => {
    const created = valid(
      await acp.post('/checkout_sessions', {
        line_items: [{ id: 'cheeseburger' }],
        buyer: BUYER,
        discounts: { codes: ['SAVE10', 'FREEFRIES'] },
      }),
      201,
    );
    expect(created.status).toBe('ready_for_payment');
    const discounts = created.discounts as { codes: string[]; applied: unknown[]; rejected: Json[] };
    expect(discounts.codes).toEqual(['SAVE10', 'FREEFRIES']);
    expect(discounts.applied).toEqual([]);
    expect(discounts.rejected).toEqual([
      { code: 'SAVE10', reason: 'discount_code_invalid', message: expect.stringContaining('SAVE10') },
      { code: 'FREEFRIES', reason: 'discount_code_invalid', message: expect.stringContaining('FREEFRIES') },
    ]);
    expect(acpSchemaErrors('discount', 'discounts_response', discounts)).toEqual([]);
    expect(created.messages).toEqual([
      expect.objectContaining({
        type: 'warning',
        code: 'discount_code_invalid',
        param: '$.discounts.codes[0]',
      }),
      expect.objectContaining({
        type: 'warning',
        code: 'discount_code_invalid',
        param: '$.discounts.codes[1]',
      }),
    ]);
    expect((created.capabilities as { extensions: Json[] }).extensions).toEqual([
      expect.objectContaining({ name: 'discount' }),
    ]);

    // §10.1: coupons is an alias; §6.1: submitted codes replace the earlier ones.
    const id = String(created.id);
    const coupons = valid(await acp.post(`/checkout_sessions/${id}`, { coupons: ['WELCOME'] }), 200);
    expect((coupons.discounts as { rejected: Json[] }).rejected.map((r) => r.code)).toEqual(['WELCOME']);
    const cleared = valid(await acp.post(`/checkout_sessions/${id}`, { discounts: { codes: [] } }), 200);
    expect(cleared.discounts).toMatchObject({ codes: [], applied: [], rejected: [] });
    expect(cleared.messages).toEqual([]);
    expect(cleared.status).toBe('ready_for_payment');
  });

  it('adds no discounts and declares no extension for an agent that sent no codes and got no discount', async () => {
    const plain = valid(await acp.post('/checkout_sessions', { line_items: [{ id: 'cheeseburger' }] }), 201);
    expect(plain.discounts).toBeUndefined();
    expect((plain.capabilities as Json).extensions).toBeUndefined();
  });
});
