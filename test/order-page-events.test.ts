import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSimGpio, type SimGpio } from '../src/devices/gpio-sim.js';
import { createSilentLogger } from '../src/platform/logger.js';
import { WATCH_LIMITS } from '../src/services/notify/order-watch.js';
import { orderState, paidOrder } from './helpers/owner-browser.js';
import { startTestApp, type TestApp } from './helpers/start-app.js';

const BUMP = 22;

/** An open event stream: what it said so far, and a wait (bounded) for some text in it. */
async function openStream(url: string) {
  const res = await fetch(url, { headers: { accept: 'text/event-stream' } });
  const reader = res.body?.getReader();
  let text = '';
  let ended = false;
  const decoder = new TextDecoder();
  const pump = (async () => {
    for (;;) {
      const chunk = await reader?.read().catch(() => ({ done: true, value: undefined }));
      if (chunk === undefined || chunk.done) break;
      text += decoder.decode(chunk.value);
    }
    ended = true;
  })();
  return {
    res,
    text: () => text,
    ended: () => ended,
    async waitFor(check: () => boolean, ms = 5000) {
      const deadline = Date.now() + ms;
      while (!check()) {
        if (Date.now() > deadline) throw new Error(`waited for the stream; it said: ${text}`);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    },
    done: pump,
  };
}

describe('the order page’s live stream', () => {
  let t: TestApp;
  let sim: SimGpio;
  beforeAll(async () => {
    sim = createSimGpio({ log: createSilentLogger() });
    t = await startTestApp({ gpio: sim });
  });
  afterAll(async () => {
    await t.stop();
  });

  it('tells each open page when the kitchen’s button marks the order ready, up to a few pages per order', async () => {
    const order = await paidOrder(t, 'Grace');
    const deadline = Date.now() + 5000;
    while (orderState(t, order.id) !== 'in_kitchen' && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    const url = `${t.url}/o/${order.id}/events`;
    const pages = await Promise.all(Array.from({ length: WATCH_LIMITS.perOrder }, () => openStream(url)));
    for (const p of pages) await p.waitFor(() => p.text().includes('event: hello'));
    const oneTooMany = await fetch(url);
    expect(oneTooMany.status).toBe(503);
    expect(oneTooMany.headers.get('retry-after')).toBe('30');
    expect((await fetch(`${t.url}/o/ord_nosuchorder/events`)).status).toBe(404);
    // The page's note comes only from its own list: an inherited name is not one.
    const odd = await fetch(`${t.url}/o/${order.id}?email=__proto__`);
    expect(odd.status).toBe(200);
    expect(odd.headers.get('content-security-policy')).toContain("script-src 'self'");

    // A short press of the bump button: the oldest order in the kitchen is ready.
    sim.drive(BUMP, 0);
    await new Promise((resolve) => setTimeout(resolve, 100));
    sim.drive(BUMP, 1);
    for (const p of pages) await p.waitFor(() => p.text().includes('event: order\ndata: ready'));
    expect(orderState(t, order.id)).toBe('ready');
    expect(pages.every((p) => !p.ended())).toBe(true);

    // Stopping the shop ends every open stream instead of waiting for the pages to leave.
    const stopped = Date.now();
    await t.stop();
    await Promise.all(pages.map((p) => p.done));
    expect(Date.now() - stopped).toBeLessThan(5000);
  });
});
