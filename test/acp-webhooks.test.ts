import type { ChildProcess } from 'node:child_process';
import { createHmac, timingSafeEqual } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { delegatedCardRequest } from '../src/bench/checkout-flow.js';
import { loadConfig } from '../src/config/config.js';
import type { Order } from '../src/domain/order.js';
import { ORDER_STATES, type OrderState } from '../src/domain/order-lifecycle.js';
import { type Counterpi, databaseFile, startCounterpi } from '../src/main.js';
import { createManualClock } from '../src/platform/clock.js';
import { createSilentLogger } from '../src/platform/logger.js';
import { demoSettings } from '../src/services/shop/demo-shop.js';
import { orderEventData } from '../src/services/webhooks/webhook-order-payload.js';
import { openStore } from '../src/store/database.js';
import { createOrdersRepo } from '../src/store/orders-repo.js';
import { acpClient, createTestAcpKey } from './helpers/acp-client.js';
import { ACP_SPEC_DIR, ACP_VERSION, acpDefinedValues, acpSchemaErrors } from './helpers/acp-schemas.js';
import { type AppProcess, startAppProcess } from './helpers/app-process.js';
import { runCli } from './helpers/run-cli.js';
import { PUBLIC_URL } from './helpers/start-app.js';

type Json = Record<string, unknown>;

/** `EventDataOrder` is `Order` plus these required fields (openapi.agentic_checkout_webhook.yaml). */
const WEBHOOK_OPENAPI = readFileSync(
  join(ACP_SPEC_DIR, 'spec', ACP_VERSION, 'openapi', 'openapi.agentic_checkout_webhook.yaml'),
  'utf8',
);
const EVENT_DATA_REQUIRED = (/EventDataOrder:[\s\S]*?required: \[([^\]]+)\]/.exec(WEBHOOK_OPENAPI)?.[1] ?? '')
  .split(',')
  .map((s) => s.trim());

/** The webhook OpenAPI's `WebhookEvent`: exactly `type` and `data`, `data` an `EventDataOrder`. */
function webhookEventErrors(event: Json): string[] {
  const data = event.data as Json;
  const errors = acpSchemaErrors('checkout', 'Order', data);
  if (Object.keys(event).sort().join() !== 'data,type') errors.push(`keys ${Object.keys(event)}`);
  if (!['order_create', 'order_update'].includes(String(event.type))) errors.push(`type ${event.type}`);
  for (const field of EVENT_DATA_REQUIRED)
    if (data[field] === undefined) errors.push(`data.${field} missing`);
  if (data.type !== 'order') errors.push('data.type is not "order"');
  return errors;
}

interface Received {
  readonly headers: IncomingHttpHeaders;
  readonly event: Json;
  /** Why the signature was refused; undefined when it verified. */
  readonly refused: string | undefined;
}

/** Checks `Merchant-Signature` as a receiver must: format, a 300 s window, HMAC of "t.body". */
function verify(header: string | undefined, body: string, secret: string, nowMs: number): string | undefined {
  const match = /^t=(\d+),v1=([a-f0-9]{64})$/.exec(header ?? '');
  if (match === null) return `malformed ${header}`;
  if (Math.abs(nowMs / 1000 - Number(match[1])) > 300) return 'timestamp outside the window';
  const expected = createHmac('sha256', secret).update(`${match[1]}.${body}`).digest();
  return timingSafeEqual(expected, Buffer.from(match[2] ?? '', 'hex')) ? undefined : 'wrong signature';
}

/** A webhook receiver on loopback: verifies, collects, answers from a queue (then 200). */
function receiver(now: () => number) {
  const received: Received[] = [];
  const answers: { status: number; delayMs?: number }[] = [];
  let secret = '';
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const refused = verify(req.headers['merchant-signature'] as string | undefined, body, secret, now());
      received.push({ headers: req.headers, event: JSON.parse(body) as Json, refused });
      const answer = refused === undefined ? (answers.shift() ?? { status: 200 }) : { status: 401 };
      setTimeout(() => res.writeHead(answer.status).end('{"received":true}'), answer.delayMs ?? 0);
    });
  });
  return {
    received,
    answers,
    setSecret: (value: string) => {
      secret = value;
    },
    listen: (port = 0) =>
      new Promise<string>((resolve) =>
        server.listen(port, '127.0.0.1', () => {
          resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks/orders`);
        }),
      ),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
    of: (sessionId: string) =>
      received.filter((r) => (r.event.data as Json).checkout_session_id === sessionId),
  };
}

/** The receivers listen on loopback: the operator allows that address, as for a receiver on the shop's network. */
function receiverEnv(dataDir: string): Record<string, string> {
  return { DATA_DIR: dataDir, WEBHOOK_PRIVATE_RECEIVERS: '127.0.0.1' };
}

async function until(condition: () => boolean, ms = 10_000): Promise<void> {
  const started = Date.now();
  while (!condition()) {
    if (Date.now() - started > ms) throw new Error('timed out waiting');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const BUYER = {
  first_name: 'Ada',
  last_name: 'Lovelace',
  email: 'ada@example.com',
  phone_number: '+15551234567',
};

/** Creates and completes a checkout session (pay at pickup); answers the completed session. */
async function completedCheckout(acp: ReturnType<typeof acpClient>): Promise<Json> {
  const created = await acp.post('/checkout_sessions', {
    line_items: [{ id: 'cheeseburger', quantity: 2 }, { id: 'fries' }],
    currency: 'usd',
    capabilities: {},
  });
  expect(created.status).toBe(201);
  const done = await acp.post(`/checkout_sessions/${created.body.id}/complete`, {
    buyer: BUYER,
    payment_data: { handler_id: 'pay_at_pickup' },
  });
  expect(done.status, JSON.stringify(done.body)).toBe(200);
  expect(done.body.status).toBe('pending_approval');
  return done.body;
}

/** Creates a session and pays it at once with a delegated card (the demo vault); answers its id. */
async function paidCheckout(acp: ReturnType<typeof acpClient>): Promise<string> {
  const created = await acp.post('/checkout_sessions', {
    line_items: [{ id: 'cheeseburger' }],
    currency: 'usd',
    buyer: BUYER,
  });
  expect(created.status).toBe(201);
  const handlers = (created.body.capabilities as { payment: { handlers: Json[] } }).payment.handlers;
  const card = handlers.find((h) => h.id === 'card_tokenized') as { config: { merchant_id: string } };
  const total = (created.body.totals as Json[]).find((x) => x.type === 'total')?.amount as number;
  const id = String(created.body.id);
  const delegated = await acp.post(
    '/agentic_commerce/delegate_payment',
    delegatedCardRequest({
      sessionId: id,
      merchant: card.config.merchant_id,
      maxAmount: total,
      expiresAt: '2026-11-24T17:30:00Z',
    }),
  );
  expect(delegated.status).toBe(201);
  const done = await acp.post(`/checkout_sessions/${id}/complete`, {
    buyer: BUYER,
    payment_data: {
      handler_id: 'card_tokenized',
      instrument: { type: 'card', credential: { type: 'spt', token: delegated.body.id } },
    },
  });
  expect(done.status, JSON.stringify(done.body)).toBe(200);
  expect(acpSchemaErrors('checkout', 'CheckoutSessionWithOrder', done.body)).toEqual([]);
  return id;
}

/** The session as the ACP MCP binding's `get_checkout_session` answers it. */
async function mcpSession(url: string, secret: string, id: string): Promise<Json> {
  const client = new Client({ name: 'acp-agent', version: '1.0.0' });
  await client.connect(
    new StreamableHTTPClientTransport(new URL(`${url}/acp/mcp`), {
      requestInit: { headers: { authorization: `Bearer ${secret}` } },
    }),
  );
  try {
    const result = await client.callTool({
      name: 'get_checkout_session',
      arguments: { meta: { api_version: ACP_VERSION }, id },
    });
    return (result.structuredContent ?? {}) as Json;
  } finally {
    await client.close();
  }
}

function deliveryRows(dataDir: string, eventId?: string) {
  const db = new Database(databaseFile(dataDir), { readonly: true });
  try {
    const where = eventId === undefined ? '' : ' WHERE event_id = ?';
    return db
      .prepare(`SELECT * FROM webhook_deliveries${where} ORDER BY id`)
      .all(...(eventId === undefined ? [] : [eventId])) as {
      event_id: string;
      state: string;
      attempts: number;
      last_status: number | null;
      last_error: string | null;
    }[];
  } finally {
    db.close();
  }
}

describe('ACP order webhooks', () => {
  const clock = createManualClock('2026-11-24T17:00:00Z');
  const hooks = receiver(() => clock.now().getTime());
  let dataDir = '';
  let app: Counterpi;
  let acp: ReturnType<typeof acpClient>;
  let secret = '';
  let endpointId = '';
  /** The session paid by card: its events count among the endpoint's deliveries. */
  let paidSessionId = '';

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'counterpi-webhooks-'));
    app = await startCounterpi(
      loadConfig({ ...receiverEnv(dataDir), PORT: '0', LOG_LEVEL: 'silent', PUBLIC_URL }),
      {
        log: createSilentLogger(),
        clock,
        webhooks: { pollMs: 10, backoff: { baseMs: 1_000, maxDelayMs: 4_000 }, random: () => 0.999 },
      },
    );
    secret = createTestAcpKey(dataDir).secret;
    acp = acpClient(app.url, secret);
    const url = await hooks.listen();
    const added = await runCli(['webhook', 'add', url], receiverEnv(dataDir));
    expect(added.code).toBe(0);
    expect(added.stderr).toMatch(/Webhook endpoint whk_\w+ created/);
    hooks.setSecret(added.stdout.trim());
    endpointId = /(whk_\w+)/.exec(added.stderr)?.[1] ?? '';
  });
  afterAll(async () => {
    await app?.stop();
    await hooks.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('sends a signed order_create that the official schema accepts when a checkout completes', async () => {
    const session = await completedCheckout(acp);
    await until(() => hooks.of(String(session.id)).length === 1);
    const [create] = hooks.of(String(session.id));
    expect(create?.refused).toBeUndefined();
    expect(create?.headers['content-type']).toBe('application/json');
    expect(create?.headers['request-id']).toMatch(/^evt_/);
    expect(create?.headers.timestamp).toBe('2026-11-24T17:00:00.000Z');
    const event = create?.event as Json;
    expect(webhookEventErrors(event)).toEqual([]);
    const order = session.order as Json;
    const data = event.data as Json;
    expect(event.type).toBe('order_create');
    expect(data).toMatchObject({
      id: order.id,
      checkout_session_id: session.id,
      permalink_url: order.permalink_url,
      order_number: order.order_number,
      status: 'created',
      adjustments: [],
    });
    expect(data.line_items).toMatchObject([
      {
        id: 'li_1',
        title: 'Cheeseburger',
        quantity: { ordered: 2, current: 2, fulfilled: 0 },
        unit_price: 1095,
      },
      { id: 'li_2', quantity: { ordered: 1, current: 1, fulfilled: 0 }, status: 'processing' },
    ]);
    const total = (list: unknown) => (list as Json[]).find((t) => t.type === 'total')?.amount;
    expect(total(data.totals)).toBe(total(session.totals));
    const [pickup] = data.fulfillments as Json[];
    expect(pickup).toMatchObject({
      type: 'pickup',
      status: 'pending',
      line_items: [
        { id: 'li_1', quantity: 2 },
        { id: 'li_2', quantity: 1 },
      ],
    });
    expect((pickup?.estimated_delivery as Json | undefined)?.earliest).toBe(
      (session.fulfillment_options as Json[])[0]?.ready_by,
    );
  });

  it('says a paid order’s status in ACP’s words alike on REST, /acp/mcp and the webhook (rfc.orders §4.1)', async () => {
    const id = await paidCheckout(acp);
    paidSessionId = id;
    const statusOf = (session: Json) => (session.order as Json | undefined)?.status;
    // The kitchen may move a paid order on: compare once all three report the same moment.
    let seen: { rest: Json; mcp: Json; hook: unknown } = { rest: {}, mcp: {}, hook: undefined };
    for (let i = 0; i < 50; i += 1) {
      const hook = (hooks.of(id).at(-1)?.event.data as Json | undefined)?.status;
      seen = {
        rest: (await acp.get(`/checkout_sessions/${id}`)).body,
        mcp: await mcpSession(app.url, secret, id),
        hook,
      };
      const agreed = statusOf(seen.rest) === hook && statusOf(seen.mcp) === hook;
      const stillLast = hook === (hooks.of(id).at(-1)?.event.data as Json | undefined)?.status;
      if (agreed && stillLast) break;
      await pause(20);
    }
    for (const session of [seen.rest, seen.mcp]) {
      expect(acpSchemaErrors('checkout', 'CheckoutSessionWithOrder', session)).toEqual([]);
    }
    for (const received of hooks.of(id)) expect(webhookEventErrors(received.event)).toEqual([]);
    const defined = acpDefinedValues('checkout', 'Order', 'status');
    expect(['confirmed', 'processing']).toContain(statusOf(seen.rest));
    expect(defined).toContain(statusOf(seen.rest));
    expect(statusOf(seen.mcp)).toBe(statusOf(seen.rest));
    expect(seen.hook).toBe(statusOf(seen.rest));
    for (const received of hooks.of(id)) expect(defined).toContain((received.event.data as Json).status);
  });

  it('sends the cancel as order_update, and never before the create still being delivered', async () => {
    hooks.answers.push({ status: 200, delayMs: 1_000 });
    const session = await completedCheckout(acp);
    await until(() => hooks.of(String(session.id)).length === 1);
    const canceled = await acp.post(`/checkout_sessions/${session.id}/cancel`, {});
    expect(canceled.status).toBe(200);
    await pause(300);
    // The create is still being answered: the update waits its turn.
    expect(hooks.of(String(session.id))).toHaveLength(1);
    await until(() => hooks.of(String(session.id)).length === 2);
    const [create, update] = hooks.of(String(session.id)).map((r) => r.event);
    expect([create?.type, update?.type]).toEqual(['order_create', 'order_update']);
    expect(webhookEventErrors(update as Json)).toEqual([]);
    const data = update?.data as Json;
    expect(data.status).toBe('canceled');
    expect((data.line_items as Json[]).map((l) => [l.status, (l.quantity as Json).current])).toEqual([
      ['removed', 0],
      ['removed', 0],
    ]);
    expect(data.fulfillments).toMatchObject([{ status: 'canceled', events: [{ type: 'canceled' }] }]);
    expect(data.adjustments).toMatchObject([{ type: 'cancellation', status: 'completed' }]);
  });

  it('retries a failing receiver with growing waits and delivers exactly once when it answers 200', async () => {
    hooks.answers.push({ status: 500 }, { status: 500 });
    const session = await completedCheckout(acp);
    const attempts = () => hooks.of(String(session.id));
    await until(() => attempts().length === 1);
    const eventId = String(attempts()[0]?.headers['request-id']);
    await until(() => deliveryRows(dataDir, eventId)[0]?.attempts === 1);
    expect(deliveryRows(dataDir, eventId)[0]).toMatchObject({ state: 'pending', last_status: 500 });
    const ready = (await (await fetch(`${app.url}/ready`)).json()) as { status: string; components: Json[] };
    expect(ready.status).toBe('ready');
    expect(ready.components.find((c) => c.name === 'webhooks')).toMatchObject({ ok: false, required: false });
    await pause(100);
    expect(attempts()).toHaveLength(1);

    clock.advance(1_000);
    await until(() => attempts().length === 2);
    await pause(100);
    expect(attempts()).toHaveLength(2);
    clock.advance(2_000);
    await until(() => deliveryRows(dataDir, eventId)[0]?.state === 'delivered');
    clock.advance(60_000);
    await pause(100);
    expect(attempts().map((r) => [r.headers['request-id'], r.refused, r.headers.timestamp])).toEqual([
      [eventId, undefined, '2026-11-24T17:00:00.000Z'],
      [eventId, undefined, '2026-11-24T17:00:01.000Z'],
      [eventId, undefined, '2026-11-24T17:00:03.000Z'],
    ]);
    expect(deliveryRows(dataDir, eventId)[0]).toMatchObject({
      attempts: 3,
      last_status: 200,
      last_error: null,
    });
  });

  it('lists endpoints with their counts, refuses plain http to other hosts, and stops sending when removed', async () => {
    const delivered = 4 + hooks.of(paidSessionId).length;
    const list = await runCli(['webhook', 'list'], receiverEnv(dataDir));
    expect(list.code).toBe(0);
    expect(list.stdout).toMatch(
      new RegExp(
        `^${endpointId}  http://127\\.0\\.0\\.1:\\d+/hooks/orders  \\d{4}-[\\d\\-T:.]+Z  0 pending  0 failed  ${delivered} delivered\\n$`,
      ),
    );
    const refused = await runCli(['webhook', 'add', 'http://agent.example.com/hooks'], receiverEnv(dataDir));
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('https');
    expect(refused.stdout).toBe('');

    const removed = await runCli(['webhook', 'remove', endpointId], receiverEnv(dataDir));
    expect(removed.code).toBe(0);
    const before = hooks.received.length;
    await completedCheckout(acp);
    await pause(200);
    expect(hooks.received).toHaveLength(before);
    expect((await runCli(['webhook', 'list'], receiverEnv(dataDir))).stdout).toBe('');
  }, 40_000);

  it('refuses a private receiver unless the operator allows it, saying how', async () => {
    const refused = await runCli(['webhook', 'add', 'https://10.0.0.5/hooks'], { DATA_DIR: dataDir });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(
      'https://10.0.0.5/hooks cannot receive webhooks: 10.0.0.5 is a private address (WEBHOOK_PRIVATE_RECEIVERS can allow',
    );
    expect(refused.stdout).toBe('');
  });

  it('maps every order state to a payload the official schema accepts', async () => {
    const session = await completedCheckout(acp);
    const store = openStore({ file: databaseFile(dataDir) });
    const order = createOrdersRepo({ store }).get(String((session.order as Json).id)) as Order;
    store.close();
    const statuses: Record<string, [string, string]> = {};
    for (const state of [...ORDER_STATES, 'refunded_after_pickup'] as const) {
      const afterPickup = state === 'refunded_after_pickup';
      const real: OrderState = afterPickup ? 'refunded' : state;
      const trail = [
        { id: 1, to: 'awaiting_confirmation' as const, atMs: 0 },
        ...(afterPickup ? [{ id: 2, to: 'collected' as const, atMs: 1 }] : []),
        { id: 3, to: real, atMs: 2 },
      ];
      const data = orderEventData(
        { ...order, state: real },
        {
          checkoutSessionId: 'cs_1',
          permalinkUrl: `${PUBLIC_URL}/confirm/x`,
          settings: demoSettings(),
          trail,
        },
      );
      expect(webhookEventErrors({ type: 'order_update', data }), state).toEqual([]);
      statuses[state] = [String(data.status), String((data.fulfillments as Json[])[0]?.status)];
    }
    expect(statuses).toEqual({
      cart: ['created', 'pending'],
      awaiting_confirmation: ['created', 'pending'],
      paid: ['confirmed', 'pending'],
      in_kitchen: ['processing', 'processing'],
      ready: ['processing', 'ready_for_pickup'],
      collected: ['completed', 'delivered'],
      canceled: ['canceled', 'canceled'],
      expired: ['canceled', 'canceled'],
      refunded: ['canceled', 'canceled'],
      refunded_after_pickup: ['completed', 'delivered'],
    });
  });
});

describe('webhooks across a crash', () => {
  const hooks = receiver(() => Date.now());
  const children = new Set<ChildProcess>();
  let dataDir = '';

  /** `counterpi start` in a child process; resolves with its URL once it serves. */
  function startServer(): Promise<AppProcess> {
    return startAppProcess({ ...receiverEnv(dataDir), PUBLIC_URL }, children);
  }

  beforeAll(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'counterpi-webhooks-crash-'));
  });
  afterAll(async () => {
    for (const child of children) child.kill('SIGKILL');
    await hooks.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('delivers an event made while the receiver was down once, after kill -9 and a restart', async () => {
    // Learn a free port, then leave it closed: the receiver is down.
    const url = await hooks.listen();
    const port = Number(new URL(url).port);
    await hooks.close();
    const added = await runCli(['webhook', 'add', url], receiverEnv(dataDir));
    expect(added.code).toBe(0);
    const secret = added.stdout.trim();
    hooks.setSecret(secret);

    const first = await startServer();
    const acp = acpClient(first.url, createTestAcpKey(dataDir).secret);
    const session = await completedCheckout(acp);
    await until(() => (deliveryRows(dataDir)[0]?.attempts ?? 0) >= 1);
    expect(deliveryRows(dataDir)).toMatchObject([{ state: 'pending', last_status: null }]);
    // The log is written asynchronously: its line may follow the row's commit by a moment.
    await until(() => first.output().includes('webhook delivery failed; will retry'));
    const exited = new Promise((resolve) => first.child.once('exit', resolve));
    first.child.kill('SIGKILL');
    await exited;
    expect(first.output()).toContain('webhook delivery failed; will retry');
    expect(first.output()).not.toContain(secret);

    await hooks.listen(port);
    const second = await startServer();
    await until(() => deliveryRows(dataDir)[0]?.state === 'delivered', 20_000);
    await pause(300);
    expect(hooks.received).toHaveLength(1);
    const [delivered] = hooks.received;
    expect(delivered?.refused).toBeUndefined();
    expect(delivered?.event).toMatchObject({
      type: 'order_create',
      data: { checkout_session_id: session.id },
    });
    expect(webhookEventErrors(delivered?.event as Json)).toEqual([]);
    const stopped = new Promise((resolve) => second.child.once('exit', resolve));
    second.child.kill('SIGTERM');
    await stopped;
  }, 60_000);
});
