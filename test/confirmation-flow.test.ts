import { randomUUID } from 'node:crypto';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseFile } from '../src/main.js';
import { acpClient, createTestAcpKey } from './helpers/acp-client.js';
import { acpSchemaErrors } from './helpers/acp-schemas.js';
import type { ToolAnswer } from './helpers/mcp-answer.js';
import { phoneBrowser } from './helpers/phone-browser.js';
import { startTestApp, TEST_CUSTOMER_HEADER, type TestApp } from './helpers/start-app.js';

type Structured = Record<string, unknown> & {
  order_id: string;
  code: string;
  status: string;
  confirmation_url?: string;
  confirmation?: { state: string; binding_message: string; auth_req_id: string };
};
type CallResult = ToolAnswer<Structured>;

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => {
  await t.stop();
});

async function customer(name: string) {
  const client = new Client({ name: 'counterpi-test', version: '1.0.0' });
  await client.connect(
    new StreamableHTTPClientTransport(new URL(`${t.url}/mcp`), {
      requestInit: { headers: { [TEST_CUSTOMER_HEADER]: name } },
    }),
  );
  const call = async (tool: string, args: Record<string, unknown>) =>
    (await client.callTool({ name: tool, arguments: args })) as CallResult;
  return { client, call };
}

/** A customer orders a cheeseburger and places it: the result carries the confirmation link. */
async function placedOrder(name: string) {
  const { client, call } = await customer(name);
  const created = await call('create_order', {
    idempotency_key: randomUUID(),
    lines: [{ item_id: 'cheeseburger', quantity: 1 }],
    customer_name: `${name} Lovelace`,
    customer_phone: '+15555550123',
  });
  const orderId = created.structuredContent?.order_id ?? '';
  const placed = await call('place_order', { idempotency_key: randomUUID(), order_id: orderId });
  expect(placed.isError).toBeFalsy();
  const status = async () => {
    const answer = await call('get_order_status', { order_id: orderId });
    const orders = (answer.structuredContent?.orders ?? []) as Structured[];
    return orders[0] as Structured;
  };
  return { client, call, orderId, placed: placed.structuredContent as Structured, status };
}

function events(orderId: string): string[] {
  const db = new Database(databaseFile(t.dataDir), { readonly: true });
  const rows = db
    .prepare('SELECT event FROM order_events WHERE order_id = ? ORDER BY id')
    .pluck()
    .all(orderId);
  db.close();
  return rows as string[];
}

describe('confirming an order on the phone', () => {
  it('shows the order and its binding message, and an approval pays it', async () => {
    const { client, placed, status, orderId } = await placedOrder('Ada');
    const link = placed.confirmation_url ?? '';
    const phone = phoneBrowser(t.url);
    const page = await phone.open(link);
    expect(page.status).toBe(200);
    expect(page.html).toContain(placed.confirmation?.binding_message.replace('$', '$'));
    expect(page.html).toContain('Cheeseburger');
    expect(page.html).toContain('<svg');
    const done = await phone.choose(link, { csrf: page.csrf, decision: 'approve', payment: 'online' });
    expect(done.status).toBe(200);
    expect(done.html).toContain('is paid');
    const after = await status();
    // Paid, and (the simulated printer is quick) maybe already in the kitchen.
    expect(after).toMatchObject({ confirmation: { state: 'approved' } });
    expect(['paid', 'in_kitchen']).toContain(after.status);
    expect(after.confirmation_url).toBeUndefined();
    // The link is single-use: a second approval (a replayed form) changes nothing.
    const replay = await phone.choose(link, { csrf: page.csrf, decision: 'approve', payment: 'online' });
    expect(replay.status).toBe(409);
    expect(events(orderId).filter((e) => e === 'approve')).toHaveLength(1);
    // The decision and the payment are in the audit log, with who made them.
    const db = new Database(databaseFile(t.dataDir), { readonly: true });
    const audited = db
      .prepare(
        "SELECT actor_kind, action, outcome, input_summary FROM audit_log WHERE target = ? AND action = 'order.approve'",
      )
      .all(orderId) as { actor_kind: string; input_summary: string }[];
    db.close();
    expect(audited).toHaveLength(1);
    expect(audited[0]?.actor_kind).toBe('customer');
    expect(audited[0]?.input_summary).toContain('demo_card');
    const reopened = await phone.open(link);
    expect(reopened.html).toContain('Already decided');
    await client.close();
  });

  it('lets the customer decline: the order reopens as a cart and the assistant is told', async () => {
    const { client, placed, status } = await placedOrder('Bo');
    const phone = phoneBrowser(t.url);
    const link = placed.confirmation_url ?? '';
    const page = await phone.open(link);
    const done = await phone.choose(link, { csrf: page.csrf, decision: 'deny' });
    expect(done.html).toContain('Nothing was ordered');
    const after = await status();
    expect(after).toMatchObject({ status: 'cart', confirmation: { state: 'denied' } });
    expect(String(after.next_step)).toContain('declined');
    await client.close();
  });

  it('records pay at pickup on the order', async () => {
    const { client, placed, orderId } = await placedOrder('Cy');
    const phone = phoneBrowser(t.url);
    const link = placed.confirmation_url ?? '';
    const page = await phone.open(link);
    const done = await phone.choose(link, { csrf: page.csrf, decision: 'approve', payment: 'pay_at_pickup' });
    expect(done.html).toContain('pay when you pick it up');
    const orderPage = await fetch(`${t.url}/o/${orderId}`);
    const html = await orderPage.text();
    expect(html).toContain('Pay at pickup');
    expect(html).toContain('For Cy ·');
    expect(html).not.toContain('Lovelace');
    expect(html).not.toContain('5550123');
    await client.close();
  });

  it('refuses a form without the page token, or from another browser', async () => {
    const { client, placed } = await placedOrder('Di');
    const link = placed.confirmation_url ?? '';
    const phone = phoneBrowser(t.url);
    const page = await phone.open(link);
    expect((await phone.choose(link, { decision: 'approve', payment: 'online' })).status).toBe(403);
    const stranger = await phone.choose(
      link,
      { csrf: page.csrf, decision: 'approve', payment: 'online' },
      { withCookie: false },
    );
    expect(stranger.status).toBe(403);
    expect((await phoneBrowser(t.url).open(`${link}x`)).status).toBe(404);
    await client.close();
  });

  it('lets two taps race: exactly one approval, one payment', async () => {
    const { client, placed, orderId } = await placedOrder('Ed');
    const link = placed.confirmation_url ?? '';
    const phone = phoneBrowser(t.url);
    const page = await phone.open(link);
    const form = { csrf: page.csrf, decision: 'approve' as const, payment: 'online' };
    const answers = await Promise.all([
      phone.choose(link, form),
      phone.choose(link, form),
      phone.choose(link, form),
    ]);
    expect(answers.map((a) => a.status).sort()).toEqual([200, 409, 409]);
    expect(events(orderId).filter((e) => e === 'approve')).toHaveLength(1);
    await client.close();
  });

  it('expires after ten minutes: the order is expired, its slot freed, and the link says so', async () => {
    const { client, placed, status } = await placedOrder('Flo');
    const link = placed.confirmation_url ?? '';
    t.clock.advance(10 * 60_000);
    const after = await status();
    expect(after).toMatchObject({ status: 'expired', confirmation: { state: 'expired' } });
    const page = await phoneBrowser(t.url).open(link);
    expect(page.html).toContain('expired');
    t.clock.advance(-10 * 60_000);
    await client.close();
  });

  it('says "expired", not "already decided", when the approve tap comes after the link expired', async () => {
    const { client, placed } = await placedOrder('Gus');
    const link = placed.confirmation_url ?? '';
    const phone = phoneBrowser(t.url);
    const opened = await phone.open(link);
    t.clock.advance(10 * 60_000);
    const tapped = await phone.choose(link, {
      csrf: opened.csrf,
      decision: 'approve',
      payment: 'pay_at_pickup',
    });
    expect(tapped.status).toBe(409);
    expect(tapped.html).toContain('This link has expired');
    expect(tapped.html).not.toContain('Already decided');
    t.clock.advance(-10 * 60_000);
    await client.close();
  });
});

describe('an ACP checkout confirmed on the phone', () => {
  const buyer = { full_name: 'Hana Ito', email: 'hana@example.com', phone_number: '+15555550177' };

  async function completed() {
    const acp = acpClient(t.url, createTestAcpKey(t.dataDir, `agent-${randomUUID()}`).secret);
    const session = await acp.post('/checkout_sessions', { line_items: [{ id: 'fries' }], currency: 'usd' });
    const done = await acp.post(`/checkout_sessions/${session.body.id}/complete`, {
      buyer,
      payment_data: { handler_id: 'pay_at_pickup' },
    });
    expect(done.body.status).toBe('pending_approval');
    return { acp, id: String(session.body.id), link: String(done.body.continue_url) };
  }

  it('reports pending_approval, then completed once the buyer approves', async () => {
    const { acp, id, link } = await completed();
    const phone = phoneBrowser(t.url);
    const page = await phone.open(link);
    await phone.choose(link, { csrf: page.csrf, decision: 'approve', payment: 'pay_at_pickup' });
    const after = await acp.get(`/checkout_sessions/${id}`);
    expect(acpSchemaErrors('checkout', 'CheckoutSession', after.body)).toEqual([]);
    expect(after.body).toMatchObject({ status: 'completed' });
    expect(['confirmed', 'processing']).toContain((after.body.order as { status: string }).status);
    expect(after.body.continue_url).toBeUndefined();
  });

  it('reports canceled with a message when the buyer declines, and expired when nobody answers', async () => {
    const declined = await completed();
    const phone = phoneBrowser(t.url);
    const page = await phone.open(declined.link);
    await phone.choose(declined.link, { csrf: page.csrf, decision: 'deny' });
    const after = await declined.acp.get(`/checkout_sessions/${declined.id}`);
    expect(after.body.status).toBe('canceled');
    expect(JSON.stringify(after.body.messages)).toContain('declined');
    const silent = await completed();
    t.clock.advance(10 * 60_000);
    const expired = await silent.acp.get(`/checkout_sessions/${silent.id}`);
    t.clock.advance(-10 * 60_000);
    expect(acpSchemaErrors('checkout', 'CheckoutSession', expired.body)).toEqual([]);
    expect(expired.body.status).toBe('expired');
    expect(JSON.stringify(expired.body.messages)).toContain('did not confirm');
  });
});
