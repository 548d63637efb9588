import { describe, expect, it } from 'vitest';
import { demoOrders } from '../../../test/helpers/demo-store.js';
import { createLogger, createSilentLogger } from '../../platform/logger.js';
import { createWebhookRepo } from '../../store/webhook-repo.js';
import { createReceiverPolicy } from './receiver-address.js';
import { createWebhookDelivery } from './webhook-delivery.js';
import { createWebhookEndpoints } from './webhook-endpoints.js';

const URL_ = 'http://127.0.0.1:9/hooks?token=abc';
/** The receiver is on loopback: allowed, as an operator allows a receiver on the shop's own network. */
const receivers = createReceiverPolicy(['127.0.0.1']);
const policy = { baseMs: 1_000, maxDelayMs: 4_000, giveUpAfterMs: 20_000 };

interface Sent {
  readonly url: string;
  readonly body: string;
  readonly headers: Record<string, string>;
}

/** A store with one endpoint and one order, a fake receiver answering from `answers` (then 200). */
function setup(answers: (number | 'hang')[] = []) {
  const { store, clock, ids, orders } = demoOrders();
  const order = orders.create({ subject: 'sam' }, [{ itemId: 'cheeseburger', quantity: 1 }], {}).order;
  const repo = createWebhookRepo({ store });
  const { endpoint, secret } = createWebhookEndpoints({ repo, clock, ids, receivers }).add(URL_);
  const sent: Sent[] = [];
  const lines: string[] = [];
  const fakeFetch = async (url: string | URL | Request, init?: RequestInit): Promise<Response> => {
    sent.push({
      url: String(url),
      body: String(init?.body),
      headers: Object.fromEntries(new Headers(init?.headers).entries()),
    });
    const answer = answers.shift() ?? 200;
    if (answer === 'hang') {
      return new Promise((_, reject) => {
        init?.signal?.addEventListener('abort', () => reject(init.signal?.reason));
      });
    }
    return new Response('{}', { status: answer });
  };
  const delivery = createWebhookDelivery({
    repo,
    receivers,
    clock,
    log: createLogger({ level: 'info', destination: { write: (line: string) => void lines.push(line) } }),
    pollMs: 5,
    backoff: policy,
    random: () => 0.999,
    fetch: fakeFetch as typeof fetch,
  });
  const enqueue = (eventId: string, eventType: string) =>
    store.transaction(() => {
      repo.enqueue({
        eventId,
        endpointId: endpoint.id,
        orderId: order.id,
        eventType,
        payload: JSON.stringify({ type: eventType, event: eventId }),
        createdAt: clock.now().getTime(),
      });
      delivery.wake();
    });
  const row = (eventId: string) =>
    store.db.prepare('SELECT * FROM webhook_deliveries WHERE event_id = ?').get(eventId) as {
      state: string;
      attempts: number;
      last_status: number | null;
      last_error: string | null;
      next_attempt_at: number;
    };
  return { store, clock, repo, delivery, sent, lines, secret, enqueue, row };
}

async function until(condition: () => boolean, ms = 2_000): Promise<void> {
  const started = Date.now();
  while (!condition()) {
    if (Date.now() - started > ms) throw new Error('timed out waiting');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 40));

describe('webhook delivery worker', () => {
  it('holds an update back until the create before it is delivered', async () => {
    const t = setup([500]);
    t.delivery.start();
    t.enqueue('evt_create', 'order_create');
    t.enqueue('evt_update', 'order_update');
    await until(() => t.row('evt_create').attempts === 1);
    await settle();
    expect(t.sent.map((s) => JSON.parse(s.body).event)).toEqual(['evt_create']);
    expect(t.row('evt_update')).toMatchObject({ state: 'pending', attempts: 0 });

    t.clock.advance(1_000);
    await until(() => t.row('evt_update').state === 'delivered');
    expect(t.sent.map((s) => JSON.parse(s.body).event)).toEqual(['evt_create', 'evt_create', 'evt_update']);
    expect(t.row('evt_create')).toMatchObject({ state: 'delivered', attempts: 2, last_status: 200 });
    expect(t.sent[0]?.headers['request-id']).toBe('evt_create');
    expect(t.sent[0]?.headers['merchant-signature']).toMatch(/^t=1795539600,v1=[0-9a-f]{64}$/);
    await t.delivery.stop();
  });

  it('gives a delivery up at the cap, says so in the log without the secret, and on /ready', async () => {
    const t = setup(Array.from({ length: 50 }, () => 503));
    t.delivery.start();
    t.enqueue('evt_doomed', 'order_create');
    await until(() => t.row('evt_doomed').attempts === 1);
    expect(t.delivery.health().ok).toBe(false);
    while (t.row('evt_doomed').state === 'pending') {
      const before = t.row('evt_doomed').attempts;
      t.clock.set(new Date(t.row('evt_doomed').next_attempt_at));
      await until(() => t.row('evt_doomed').attempts > before);
    }
    const done = t.row('evt_doomed');
    expect(done).toMatchObject({ state: 'failed', last_status: 503, last_error: 'HTTP 503' });
    // 1 s, 2 s, 4 s, 4 s … until 20 s after the event.
    expect(done.attempts).toBeGreaterThanOrEqual(6);
    expect(done.attempts).toBeLessThanOrEqual(8);
    expect(t.delivery.health()).toEqual({
      ok: false,
      detail: '0 pending (0 retrying), 1 given up in the last 24 h',
    });
    const log = t.lines.join('');
    expect(log).toContain('webhook delivery failed; will retry');
    expect(log).toContain('webhook delivery failed for good');
    expect(log).toContain('"host":"127.0.0.1:9"');
    expect(log).not.toContain(t.secret);
    expect(log).not.toContain('token=abc');
    await t.delivery.stop();
  });

  it('does not count an attempt cut short by stop, and sends it again after a restart', async () => {
    const t = setup(['hang']);
    t.delivery.start();
    t.enqueue('evt_cut', 'order_create');
    await until(() => t.sent.length === 1);
    await t.delivery.stop();
    expect(t.row('evt_cut')).toMatchObject({ state: 'pending', attempts: 0 });

    const again = createWebhookDelivery({
      receivers,
      repo: t.repo,
      clock: t.clock,
      log: createSilentLogger(),
      pollMs: 5,
      fetch: (async () => new Response(null, { status: 204 })) as typeof fetch,
    });
    again.start();
    await until(() => t.row('evt_cut').state === 'delivered');
    expect(t.row('evt_cut')).toMatchObject({ attempts: 1, last_status: 204 });
    expect(again.health()).toEqual({
      ok: true,
      detail: '0 pending (0 retrying), 0 given up in the last 24 h',
    });
    await again.stop();
  });
});
