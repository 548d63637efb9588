import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assistantReach } from '../src/services/shop/assistant-reach.js';
import {
  audited,
  db,
  type OwnerBrowser,
  onboard,
  orderState,
  ownerBrowser,
  paidOrder,
  placedOrder,
} from './helpers/owner-browser.js';
import { PUBLIC_URL, startTestApp, type TestApp } from './helpers/start-app.js';

let t: TestApp;
let owner: OwnerBrowser;
beforeAll(async () => {
  t = await startTestApp();
  owner = await onboard(t);
});
afterAll(async () => {
  await t.stop();
});

async function until(check: () => boolean, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** The section of the dashboard an order's card is in. */
function groupOf(html: string, code: string): string | undefined {
  const at = html.indexOf(`id="order-${code}"`);
  if (at === -1) return undefined;
  const sections = [...html.slice(0, at).matchAll(/<section class="group (\w+)">/g)];
  return sections.at(-1)?.[1];
}

describe('the dashboard', () => {
  it("lists today's orders by state, each with the buttons its state allows", async () => {
    const paid = await paidOrder(t, 'Ada');
    const waiting = await placedOrder(t, 'Bo');
    const page = await owner.get('/admin');
    expect(groupOf(page.text, paid.code)).toBe('kitchen');
    expect(groupOf(page.text, waiting.code)).toBe('awaiting');
    const card = page.text.slice(page.text.indexOf(`id="order-${paid.code}"`));
    expect(card.slice(0, card.indexOf('</article>'))).toMatch(
      /Mark ready[\s\S]*Reprint[\s\S]*Cancel &amp; refund/,
    );
    // First names only, as on the ticket.
    expect(page.text).toContain('Ada');
    expect(page.text).not.toContain('Lovelace');
    expect(page.text).toContain('src="/admin/assets/live.js"');
    const board = await owner.get('/admin/orders');
    expect(board.text).toContain(`id="order-${paid.code}"`);
    expect(board.text).not.toContain('<html');
  });

  it('reprints a ticket headed REPRINT, audited as the owner', async () => {
    const order = await paidOrder(t, 'Cy');
    await until(() => orderState(t, order.id) === 'in_kitchen');
    const page = await owner.get('/admin');
    const done = await owner.post(`/admin/orders/${order.id}/reprint`, { csrf: page.csrf ?? '' });
    expect(done.location).toBe('/admin');
    const conn = db(t);
    const reprints = conn
      .prepare('SELECT count(*) FROM print_jobs WHERE order_id = ? AND reprint = 1')
      .pluck()
      .get(order.id);
    conn.close();
    expect(reprints).toBe(1);
    expect(audited(t, 'owner.order.reprint').map((r) => r.target)).toContain(order.id);
  });

  it('marks ready, then collected', async () => {
    const order = await paidOrder(t, 'Di');
    const page = await owner.get('/admin');
    await owner.post(`/admin/orders/${order.id}/ready`, { csrf: page.csrf ?? '' });
    expect(groupOf((await owner.get('/admin')).text, order.code)).toBe('ready');
    await owner.post(`/admin/orders/${order.id}/collected`, { csrf: page.csrf ?? '' });
    expect(orderState(t, order.id)).toBe('collected');
    const again = await owner.post(`/admin/orders/${order.id}/collected`, { csrf: page.csrf ?? '' });
    expect(again.location).toBe('/admin');
    expect((await owner.get('/admin')).text).toMatch(/class="flash error"[^>]*>Order \w+: /);
  });

  it('cancels an unpaid order, and cancels and refunds a paid one after saying so', async () => {
    const waiting = await placedOrder(t, 'Ed');
    const ask = await owner.get(`/admin/orders/${waiting.id}/cancel`);
    expect(ask.text).toContain('Nothing was paid yet');
    await owner.post(`/admin/orders/${waiting.id}/cancel`, { csrf: ask.csrf ?? '' });
    expect(orderState(t, waiting.id)).toBe('canceled');

    const paid = await paidOrder(t, 'Flo');
    const askPaid = await owner.get(`/admin/orders/${paid.id}/cancel`);
    expect(askPaid.text).toContain('refunded through the payment provider');
    expect(askPaid.text).toContain('Cancel and refund');
    // A GET changes nothing.
    expect(['paid', 'in_kitchen']).toContain(orderState(t, paid.id));
    await owner.post(`/admin/orders/${paid.id}/cancel`, { csrf: askPaid.csrf ?? '' });
    expect(orderState(t, paid.id)).toBe('refunded');
    expect((await owner.get('/admin')).text).toContain(`Order ${paid.code} is canceled and $`);
    const refund = audited(t, 'order.refund').find((r) => r.target === paid.id);
    expect(refund?.actor_kind).toBe('owner');
  });

  it('tells an open page about every order change, as server-sent events', async () => {
    const page = await owner.get('/admin');
    expect(page.status).toBe(200);
    const abort = new AbortController();
    const res = await fetch(`${t.url}/admin/events`, {
      headers: { cookie: [...owner.jar].map(([k, v]) => `${k}=${v}`).join('; ') },
      signal: abort.signal,
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/event-stream');
    const reader = (res.body as ReadableStream<Uint8Array>).getReader();
    const decoder = new TextDecoder();
    let text = '';
    const readUntil = async (needle: string) => {
      while (!text.includes(needle)) {
        const { value, done } = await reader.read();
        if (done) throw new Error(`stream ended before ${needle}`);
        text += decoder.decode(value, { stream: true });
      }
    };
    await readUntil('event: hello');
    const order = await paidOrder(t, 'Gus');
    await readUntil(`data: ${order.id}`);
    expect(text).toContain('event: orders');
    abort.abort();
    // Without a session there is no stream, only the way to the login.
    expect((await ownerBrowser(t.url).get('/admin/events')).location).toBe('/admin/login');
  });

  it('answers an unknown owner path with a page, not JSON', async () => {
    const missing = await owner.get('/admin/nowhere');
    expect(missing.status).toBe(404);
    expect(missing.text).toContain('There is no owner page here');
  });
});

describe('the connect page', () => {
  it('gives the MCP address with its QR code, the steps per assistant and the ACP discovery', async () => {
    const page = await owner.get('/admin/connect');
    expect(page.status).toBe(200);
    expect(page.text).toContain(`value="${PUBLIC_URL}/mcp"`);
    expect(page.text).toContain(`value="${PUBLIC_URL}/.well-known/acp.json"`);
    for (const assistant of ['ChatGPT', 'Claude', 'Le Chat']) expect(page.text).toContain(assistant);
    const qr = /src="data:image\/svg\+xml;base64,([^"]+)"/.exec(page.text)?.[1] ?? '';
    expect(Buffer.from(qr, 'base64').toString()).toMatch(/^<svg[\s\S]*<\/svg>\s*$/);
    expect(page.text).not.toContain('quick tunnel');
  });

  it('warns about a quick tunnel and about an address only this machine has, whatever the self-check says', () => {
    const answered = { ok: true, detail: 'answers with our issuer' };
    const quick = assistantReach('https://calm-river-1234.trycloudflare.com', answered);
    expect(quick).toMatchObject({ tone: 'warn' });
    expect(quick.words).toContain('changes whenever the tunnel restarts');
    // The self-check skips an address on this machine and calls that fine: no assistant can reach it.
    const local = assistantReach('http://localhost:8080', { ok: true, detail: 'PUBLIC_URL is this machine' });
    expect(local).toMatchObject({ tone: 'bad' });
    expect(local.words).toContain('no assistant can reach it');
    expect(assistantReach(PUBLIC_URL, answered).tone).toBe('ok');
    expect(assistantReach(PUBLIC_URL, { ok: false, detail: 'timed out' }).tone).toBe('bad');
    expect(assistantReach(PUBLIC_URL, { ok: false, detail: 'not checked yet' }).tone).toBe('warn');
  });
});
