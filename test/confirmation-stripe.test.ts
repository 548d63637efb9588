import { randomUUID } from 'node:crypto';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import Stripe from 'stripe';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeStripe, startFakeStripe } from './helpers/fake-stripe.js';
import { phoneBrowser } from './helpers/phone-browser.js';
import { startTestApp, TEST_CUSTOMER_HEADER, type TestApp } from './helpers/start-app.js';

const WEBHOOK_SECRET = 'whsec_counterpi_e2e_secret';
type Structured = Record<string, unknown> & { order_id: string; code: string; confirmation_url?: string };

let fake: FakeStripe;
let t: TestApp;
beforeAll(async () => {
  fake = await startFakeStripe();
  t = await startTestApp({
    env: {
      PAYMENTS: 'stripe',
      STRIPE_SECRET_KEY: 'sk_test_counterpi_e2e',
      STRIPE_WEBHOOK_SECRET: WEBHOOK_SECRET,
    },
    stripeEndpoint: fake.endpoint,
  });
});
afterAll(async () => {
  await t.stop();
  await fake.close();
});

function signed(event: Record<string, unknown>): { body: string; signature: string } {
  const body = JSON.stringify(event);
  const timestamp = Math.floor(t.clock.now().getTime() / 1000);
  return {
    body,
    signature: Stripe.webhooks.generateTestHeaderString({ payload: body, secret: WEBHOOK_SECRET, timestamp }),
  };
}

describe('paying with Stripe after confirming on the phone', () => {
  it('sends the customer to Stripe Checkout and marks the order paid when Stripe says so, once', async () => {
    const client = new Client({ name: 'counterpi-test', version: '1.0.0' });
    await client.connect(
      new StreamableHTTPClientTransport(new URL(`${t.url}/mcp`), {
        requestInit: { headers: { [TEST_CUSTOMER_HEADER]: 'gus' } },
      }),
    );
    const call = async (name: string, args: Record<string, unknown>) =>
      (await client.callTool({ name, arguments: args })).structuredContent as Structured;
    const order = await call('create_order', {
      idempotency_key: randomUUID(),
      lines: [{ item_id: 'cheeseburger', quantity: 2 }],
      customer_name: 'Gus',
      customer_phone: '+15555550199',
    });
    const placed = await call('place_order', { idempotency_key: randomUUID(), order_id: order.order_id });
    const link = placed.confirmation_url ?? '';
    const phone = phoneBrowser(t.url);
    const page = await phone.open(link);
    expect(page.html).toContain('name="payment" value="online"');
    expect(page.html).not.toContain('pay_at_pickup');
    const approve = await phone.choose(link, { csrf: page.csrf, decision: 'approve', payment: 'online' });
    expect(approve.status).toBe(303);
    const created = fake.calls.find((c) => c.path === '/v1/checkout/sessions');
    expect(created?.params.client_reference_id).toBe(order.order_id);
    expect(created?.idempotencyKey).toBe(`counterpi:${order.order_id}:pay:1`);
    // Still waiting: the money is not taken until Stripe says so.
    const waiting = await call('get_order_status', { order_id: order.order_id });
    expect((waiting.orders as Structured[])[0]?.status).toBe('awaiting_confirmation');

    const total = (placed.totals as { total: { amount: number } }).total.amount;
    const event = signed({
      id: 'evt_e2e_1',
      object: 'event',
      api_version: Stripe.API_VERSION,
      created: Math.floor(t.clock.now().getTime() / 1000),
      type: 'checkout.session.completed',
      livemode: false,
      pending_webhooks: 1,
      request: { id: null, idempotency_key: null },
      data: {
        object: {
          object: 'checkout.session',
          id: 'cs_test_e2e',
          client_reference_id: order.order_id,
          metadata: { order_id: order.order_id, order_code: order.code, attempt: '1' },
          payment_status: 'paid',
          status: 'complete',
          amount_total: total,
          currency: 'usd',
          payment_intent: 'pi_test_e2e',
        },
      },
    });
    const deliver = () =>
      fetch(`${t.url}/payments/stripe/webhook`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'stripe-signature': event.signature },
        body: event.body,
      });
    expect(await (await deliver()).json()).toMatchObject({ outcome: 'applied' });
    expect(await (await deliver()).json()).toMatchObject({ outcome: 'replayed' });
    const paid = await call('get_order_status', { order_id: order.order_id });
    const settled = (paid.orders as Structured[])[0];
    expect(settled).toMatchObject({ confirmation: { state: 'approved' } });
    expect(['paid', 'in_kitchen']).toContain(settled?.status);
    const forged = await fetch(`${t.url}/payments/stripe/webhook`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'stripe-signature': 't=1,v1=00' },
      body: event.body,
    });
    expect(forged.status).toBe(400);
    await client.close();
  });
});
