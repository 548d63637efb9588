import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createManualClock } from '../src/platform/clock.js';
import { acpClient, createTestAcpKey } from './helpers/acp-client.js';
import { ACP_VERSION, acpSchemaErrors } from './helpers/acp-schemas.js';
import { mcpToolCall, postJsonRpc } from './helpers/mcp-post.js';
import { audited, onboard, ownerBrowser } from './helpers/owner-browser.js';
import { startTestApp, type TestApp } from './helpers/start-app.js';

const NOT_SET = "the shop's clock is not set yet";
const dataDir = mkdtempSync(join(tmpdir(), 'counterpi-clock-'));
const sysfs = mkdtempSync(join(tmpdir(), 'counterpi-sysfs-'));
afterAll(() => {
  rmSync(dataDir, { recursive: true, force: true });
  rmSync(sysfs, { recursive: true, force: true });
});

/** One MCP tool call as the test customer: whether it failed, and its text. */
async function tool(url: string, name: string, args: Record<string, unknown>) {
  const res = await mcpToolCall(url, 'test', name, { idempotency_key: randomUUID(), ...args });
  expect(res.status).toBe(200);
  const body = (await res.json()) as {
    result: { isError?: boolean; content: { text: string }[]; structuredContent?: Record<string, unknown> };
  };
  return {
    isError: body.result.isError === true,
    text: body.result.content.map((c) => c.text).join('\n'),
    structured: body.result.structuredContent,
  };
}

async function ready(url: string) {
  const res = await fetch(`${url}/ready`);
  const body = (await res.json()) as {
    status: string;
    components: { name: string; ok: boolean; detail: string }[];
  };
  return {
    status: res.status,
    body,
    component: (name: string) => body.components.find((c) => c.name === name),
  };
}

async function until(what: string, check: () => Promise<boolean>): Promise<void> {
  const end = Date.now() + 5000;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('a Pi whose clock is behind what the shop has written', () => {
  let secret = '';
  let cartId = '';
  let sessionId = '';
  let t: TestApp;

  beforeAll(async () => {
    // A day of trade at noon in New York: an order's cart and an agent's checkout session.
    const first = await startTestApp({ dataDir });
    await onboard(first);
    secret = createTestAcpKey(dataDir).secret;
    const created = await tool(first.url, 'create_order', { lines: [{ item_id: 'fries', quantity: 1 }] });
    cartId = String(created.structured?.order_id);
    const session = await acpClient(first.url, secret).post('/checkout_sessions', {
      line_items: [{ id: 'cheeseburger' }],
      currency: 'usd',
    });
    expect(session.status).toBe(201);
    sessionId = String(session.body.id);
    await first.stop();
    // It restarts two days earlier: no battery clock, no network yet.
    t = await startTestApp({
      dataDir,
      clock: createManualClock('2026-11-22T17:00:00Z'),
      clockWatch: { checkMs: 20 },
    });
  }, 60_000);
  afterAll(async () => {
    await t?.stop();
  });

  it('refuses every way of ordering with clock_not_set, says why on /ready, and lifts once the clock passes', async () => {
    const stale = await ready(t.url);
    expect(stale.status).toBe(503);
    expect(stale.body.status).toBe('not_ready');
    expect(stale.component('clock')).toMatchObject({ ok: false });
    expect(stale.component('clock')?.detail).toContain('before the newest record 2026-11-24T17:00');

    for (const [name, args] of [
      ['create_order', { lines: [{ item_id: 'fries', quantity: 1 }] }],
      ['update_order', { order_id: cartId, customer_name: 'Robin' }],
      ['place_order', { order_id: cartId }],
    ] as const) {
      const refused = await tool(t.url, name, args);
      expect(refused.isError, name).toBe(true);
      expect(refused.text, name).toContain(NOT_SET);
      expect(refused.text, name).toContain('(error code: clock_not_set)');
    }

    const acp = acpClient(t.url, secret);
    const calls = [
      acp.post('/checkout_sessions', { line_items: [{ id: 'fries' }], currency: 'usd' }),
      acp.post(`/checkout_sessions/${sessionId}`, { line_items: [{ id: 'fries' }] }),
      acp.post(`/checkout_sessions/${sessionId}/complete`, {
        buyer: { first_name: 'Ada', email: 'ada@example.com', phone_number: '15551234567' },
        payment_data: { handler_id: 'pay_at_pickup' },
      }),
      acp.post('/carts', { line_items: [{ id: 'fries' }] }),
    ];
    for (const answer of await Promise.all(calls)) {
      expect(answer.status).toBe(503);
      expect(answer.body).toMatchObject({ type: 'service_unavailable', code: 'clock_not_set' });
      expect(String(answer.body.message)).toContain(NOT_SET);
      expect(Number(answer.headers.get('retry-after'))).toBeGreaterThan(0);
      expect(acpSchemaErrors('checkout', 'Error', answer.body)).toEqual([]);
    }

    // The same refusal through ACP's MCP binding.
    const binding = await postJsonRpc(`${t.url}/acp/mcp`, secret, {
      jsonrpc: '2.0',
      id: 1,
      method: 'tools/call',
      params: {
        name: 'create_checkout_session',
        arguments: {
          meta: { api_version: ACP_VERSION },
          payload: { line_items: [{ id: 'fries' }], currency: 'usd' },
        },
      },
    });
    const rpcError = ((await binding.json()) as { error: { data: Record<string, unknown> } }).error;
    expect(rpcError.data).toMatchObject({ type: 'service_unavailable', code: 'clock_not_set' });
    expect(String(rpcError.data.message)).toContain(NOT_SET);

    const owner = ownerBrowser(t.url);
    expect((await owner.login()).location).toBe('/admin');
    const dashboard = (await owner.get('/admin')).text;
    expect(dashboard).toContain('The Pi’s clock is wrong');
    expect(dashboard).toContain('customers are told the shop’s clock is not set yet');
    // The status panel agrees with the alert: no "Open: taking orders" while none is taken.
    expect(dashboard).toContain('Not taking new orders: the Pi’s clock is not set yet (see above).');

    // The network sets the clock: orders are taken again, without a restart.
    t.clock.set('2026-11-24T17:05:00Z');
    expect((await ready(t.url)).status).toBe(200);
    const updated = await tool(t.url, 'update_order', { order_id: cartId, customer_name: 'Robin' });
    expect(updated.isError).toBe(false);
    expect((await acp.post('/carts', { line_items: [{ id: 'fries' }] })).status).toBe(201);
    expect((await owner.get('/admin')).text).not.toContain('The Pi’s clock is wrong');
  });

  it('shows a jump of the clock on the dashboard until the owner acknowledges it', async () => {
    const owner = ownerBrowser(t.url);
    await owner.login();
    t.clock.step(3 * 60 * 60_000);
    await until('the jump on the dashboard', async () =>
      (await owner.get('/admin')).text.includes('The Pi’s clock jumped forward by 3 hours'),
    );
    expect((await ready(t.url)).component('clock')?.detail).toContain('jumped forward 180 min');
    const page = await owner.get('/admin');
    const done = await owner.post('/admin/clock/acknowledge', { csrf: page.csrf ?? '' });
    expect(done.location).toBe('/admin');
    expect((await owner.get('/admin')).text).not.toContain('The Pi’s clock jumped');
    expect(audited(t, 'owner.clock.acknowledge_jump')).toHaveLength(1);
  });
});

describe('a fresh Pi and its build', () => {
  it('takes no order while the clock is earlier than the build that runs it', async () => {
    const t = await startTestApp({ clockWatch: { builtAt: new Date('2026-12-05T08:00:00Z') } });
    try {
      const stale = await ready(t.url);
      expect(stale.status).toBe(503);
      expect(stale.component('clock')?.detail).toContain('before the build time 2026-12-05T08:00:00.000Z');
      const refused = await tool(t.url, 'create_order', { lines: [{ item_id: 'fries', quantity: 1 }] });
      expect(refused.text).toContain(NOT_SET);
      t.clock.set('2026-12-05T17:00:00Z');
      expect(
        (await tool(t.url, 'create_order', { lines: [{ item_id: 'fries', quantity: 1 }] })).isError,
      ).toBe(false);
    } finally {
      await t.stop();
    }
  });
});

describe('the Pi’s power supply', () => {
  it('shows under-voltage on /ready without making the shop unready, and on the dashboard in plain words', async () => {
    const file = join(sysfs, 'get_throttled');
    writeFileSync(file, '50005\n');
    const t = await startTestApp({ env: { THROTTLED_FILE: file } });
    try {
      await until(
        'the first reading',
        async () => (await ready(t.url)).component('power')?.detail !== 'not read yet',
      );
      const answer = await ready(t.url);
      expect(answer.status).toBe(200);
      expect(answer.body.status).toBe('ready');
      expect(answer.component('power')).toEqual({
        name: 'power',
        required: false,
        ok: false,
        detail: 'throttled=0x50005: under-voltage now, under-voltage since boot, throttled now',
      });
      const owner = await onboard(t);
      const dashboard = (await owner.get('/admin')).text;
      expect(dashboard).toContain('The Pi is not getting enough power — use the official power supply.');
      expect(dashboard).toContain('Power supply');
      expect(dashboard).toContain('The Pi is short of power now: use the official power supply.');
      const orders = await tool(t.url, 'create_order', { lines: [{ item_id: 'fries', quantity: 1 }] });
      expect(orders.isError).toBe(false);
    } finally {
      await t.stop();
    }
  });
});
