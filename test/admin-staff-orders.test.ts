import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createStampsRepo } from '../src/store/stamps-repo.js';
import { printedLines } from './escpos.js';
import { audited, db, type OwnerBrowser, onboard } from './helpers/owner-browser.js';
import { simTicketTokens } from './helpers/sim-tickets.js';
import { startTestApp, type TestApp } from './helpers/start-app.js';

let t: TestApp;
let owner: OwnerBrowser;
beforeAll(async () => {
  t = await startTestApp();
  owner = await onboard(t);
  // A stamp card any order earns: a staff order's customer is a one-off placeholder and earns none.
  createStampsRepo({ store: t.app.store }).saveCard(
    { enabled: true, minimum: 1, stamps: 5, reward: { kind: 'item', itemId: 'cola' } },
    0,
  );
});
afterAll(async () => {
  await t.stop();
});

type Pairs = [string, string][];

/** The hidden fields a page carries (the key and the lines), as the browser would send them back. */
function carried(html: string): Pairs {
  const decoded = (v: string) =>
    v
      .replace(/&quot;/g, '"')
      .replace(/&#39;/g, "'")
      .replace(/&lt;/g, '<')
      .replace(/&gt;/g, '>')
      .replace(/&amp;/g, '&');
  return [...html.matchAll(/<input type="hidden" name="(key|line)" value="([^"]*)"/g)].map(
    (m): [string, string] => [m[1] ?? '', decoded(m[2] ?? '')],
  );
}

/** A fresh quick order form: its token and one-time key. */
async function freshForm(): Promise<{ csrf: string; fields: Pairs }> {
  const page = await owner.get('/admin/orders/new');
  expect(page.status).toBe(200);
  return { csrf: page.csrf ?? '', fields: carried(page.text) };
}

/** Adds a line through the options step; returns the next page. */
async function addLine(csrf: string, fields: Pairs, item: string, extra: Pairs = []) {
  return owner.post('/admin/orders/new', [['csrf', csrf], ...fields, ['do', `line:${item}`], ...extra]);
}

function staffOrders(): { id: string; code: string; state: string; payment: string | null }[] {
  const conn = db(t);
  try {
    return conn
      .prepare(
        "SELECT o.id, o.code, o.state, o.payment FROM orders o JOIN customers c ON c.id = o.customer_id WHERE c.subject LIKE 'staff:owner:%' ORDER BY o.rowid",
      )
      .all() as { id: string; code: string; state: string; payment: string | null }[];
  } finally {
    conn.close();
  }
}

function placedTotal(orderId: string): number {
  const conn = db(t);
  try {
    return conn.prepare('SELECT total FROM orders WHERE id = ?').pluck().get(orderId) as number;
  } finally {
    conn.close();
  }
}

function stampsOf(orderId: string): number {
  const conn = db(t);
  try {
    return conn.prepare('SELECT count(*) FROM stamps WHERE order_id = ?').pluck().get(orderId) as number;
  } finally {
    conn.close();
  }
}

function printJobs(orderId: string): number {
  const conn = db(t);
  try {
    return conn
      .prepare("SELECT count(*) FROM print_jobs WHERE order_id = ? AND kind = 'ticket'")
      .pluck()
      .get(orderId) as number;
  } finally {
    conn.close();
  }
}

describe('taking a phone or counter order on the owner pages', () => {
  it('is in the nav, and refuses a form without the session’s token, changing nothing', async () => {
    const page = await owner.get('/admin');
    expect(page.text).toContain('href="/admin/orders/new"');
    const { fields } = await freshForm();
    const refused = await owner.post('/admin/orders/new', [
      ...fields,
      ['line', '{"i":"cheeseburger","q":1,"o":[]}'],
      ['customer_name', 'Sam'],
      ['do', 'pay:counter_cash'],
    ]);
    expect(refused.status).toBe(403);
    expect(staffOrders()).toEqual([]);
  });

  it('shows the options step with the group rules, and keeps a line that breaks min/max off the order', async () => {
    const { csrf, fields } = await freshForm();
    const options = await owner.post('/admin/orders/new', [
      ['csrf', csrf],
      ...fields,
      ['do', 'pick:cheeseburger'],
    ]);
    expect(options.status).toBe(200);
    expect(options.text).toContain('Patty <small>(choose 1)</small>');
    expect(options.text).toMatch(/type="radio" name="option" value="patty-beef" checked/);
    const tooMany = await addLine(csrf, fields, 'cheeseburger', [
      ['option', 'patty-beef'],
      ['option', 'patty-double'],
      ['customer_name', 'Kept Name'],
    ]);
    expect(tooMany.status).toBe(422);
    expect(tooMany.text).toContain('Choose at most 1 option for &quot;Patty&quot;');
    expect(tooMany.text).toContain('value="Kept Name"');
    expect(carried(tooMany.text).filter(([name]) => name === 'line')).toEqual([]);
    const unknown = await owner.post('/admin/orders/new', [
      ['csrf', csrf],
      ...fields,
      ['do', 'pick:unicorn-burger'],
    ]);
    expect(unknown.status).toBe(422);
    expect(unknown.text).toContain('There is no item &quot;unicorn-burger&quot; on the menu.');
  });

  it('refuses an empty order, a missing name and a bad phone on the form, with what was typed kept', async () => {
    const { csrf, fields } = await freshForm();
    const empty = await owner.post('/admin/orders/new', [
      ['csrf', csrf],
      ...fields,
      ['customer_name', 'Sam Typed'],
      ['do', 'pay:counter_cash'],
    ]);
    expect(empty.status).toBe(422);
    expect(empty.text).toContain('The order has no items.');
    expect(empty.text).toContain('value="Sam Typed"');
    const added = await owner.post('/admin/orders/new', [['csrf', csrf], ...fields, ['do', 'pick:coleslaw']]);
    const withFries = carried(added.text);
    expect(withFries.filter(([n]) => n === 'line')).toHaveLength(1);
    const nameless = await owner.post('/admin/orders/new', [
      ['csrf', csrf],
      ...withFries,
      ['do', 'pay:counter_card'],
    ]);
    expect(nameless.status).toBe(422);
    expect(nameless.text).toContain('The kitchen needs a name for the order.');
    const badPhone = await owner.post('/admin/orders/new', [
      ['csrf', csrf],
      ...withFries,
      ['customer_name', 'Sam'],
      ['customer_phone', '12'],
      ['do', 'pay:counter_card'],
    ]);
    expect(badPhone.status).toBe(422);
    expect(badPhone.text).toContain('too few or too many digits');
    expect(badPhone.text).toContain('value="12"');
    expect(staffOrders()).toEqual([]);
  });

  it('places a paid counter order once however often it is sent, prints it, and audits it', async () => {
    const { csrf, fields } = await freshForm();
    const page = await addLine(csrf, fields, 'cheeseburger', [
      ['option', 'patty-double'],
      ['note', 'no pickles'],
    ]);
    expect(page.status).toBe(200);
    // The form's total is the order service's own pricing: the placed order totals the same.
    const shownTotal = /<strong class="so-total">Total \$([\d.]+)<\/strong>/.exec(page.text)?.[1];
    const form: Pairs = [
      ['csrf', csrf],
      ...carried(page.text),
      ['customer_name', 'Sam Counter'],
      ['customer_phone', '(212) 555-0142'],
      ['pickup', 'asap'],
      ['do', 'pay:counter_cash'],
    ];
    const [first, second] = await Promise.all([
      owner.post('/admin/orders/new', form),
      owner.post('/admin/orders/new', form),
    ]);
    expect(first?.location).toBe('/admin/orders/new');
    expect(second?.location).toBe('/admin/orders/new');
    const again = await owner.post('/admin/orders/new', form);
    expect(again.location).toBe('/admin/orders/new');
    const orders = staffOrders();
    expect(orders).toHaveLength(1);
    const [order] = orders;
    if (order === undefined) throw new Error('no order');
    expect(['paid', 'in_kitchen']).toContain(order.state);
    expect(JSON.parse(order.payment ?? '{}')).toEqual({ method: 'counter_cash' });
    expect(placedTotal(order.id)).toBe(Math.round(Number(shownTotal) * 100));
    expect(printJobs(order.id)).toBe(1);
    expect(stampsOf(order.id)).toBe(0);
    const next = await owner.get('/admin/orders/new');
    expect(next.text).toMatch(
      new RegExp(`Order ${order.code} for Sam Counter · \\$[\\d.]+ paid in cash · sent to the kitchen`),
    );
    const lines = printedLines(await simTicketTokens(t.dataDir, order.code)).map((l) => l.text.trim());
    expect(lines).toContain('STAFF ORDER');
    expect(lines).toContain('1 x Cheeseburger');
    expect(lines).toContain('+ Double beef');
    expect(lines).toContain('NOTE: no pickles');
    expect(lines.find((l) => l.startsWith('PAID'))).toBeDefined();
    expect(audited(t, 'owner.order.take')).toEqual([
      { actor_kind: 'owner', outcome: 'ok', target: order.id },
    ]);
    expect(audited(t, 'order.approve').filter((r) => r.target === order.id)).toEqual([
      { actor_kind: 'owner', outcome: 'ok', target: order.id },
    ]);
    const dashboard = await owner.get('/admin');
    const card = dashboard.text.slice(dashboard.text.indexOf(`id="order-${order.code}"`));
    expect(card.slice(0, card.indexOf('</article>'))).toContain('Taken by staff');
    const report = await owner.get('/admin/reports');
    expect(report.text).toContain('Cash at the counter');
  });

  it('prints a pay-at-pickup order marked PAY AT PICKUP with the amount, then marks it paid by card', async () => {
    const { csrf, fields } = await freshForm();
    const page = await owner.post('/admin/orders/new', [['csrf', csrf], ...fields, ['do', 'pick:coleslaw']]);
    const placed = await owner.post('/admin/orders/new', [
      ['csrf', csrf],
      ...carried(page.text),
      ['customer_name', 'Pat Phone'],
      ['do', 'pay:pay_at_pickup'],
    ]);
    expect(placed.location).toBe('/admin/orders/new');
    const order = staffOrders().at(-1);
    if (order === undefined) throw new Error('no order');
    expect(JSON.parse(order.payment ?? '{}')).toEqual({ method: 'pay_at_pickup' });
    const lines = printedLines(await simTicketTokens(t.dataDir, order.code)).map((l) => l.text.trim());
    expect(lines.find((l) => l.startsWith('PAY AT PICKUP'))).toMatch(/^PAY AT PICKUP +\$\d+\.\d\d$/);
    const dashboard = await owner.get('/admin');
    const card = dashboard.text.slice(dashboard.text.indexOf(`id="order-${order.code}"`));
    expect(card.slice(0, card.indexOf('</article>'))).toContain(`action="/admin/orders/${order.id}/paid"`);
    const paid = await owner.post(`/admin/orders/${order.id}/paid`, {
      csrf: dashboard.csrf ?? '',
      method: 'counter_card',
    });
    expect(paid.location).toBe('/admin');
    expect(JSON.parse(staffOrders().at(-1)?.payment ?? '{}')).toEqual({ method: 'counter_card' });
    expect(audited(t, 'owner.order.settle')).toEqual([
      { actor_kind: 'owner', outcome: 'ok', target: order.id },
    ]);
    const twice = await owner.post(`/admin/orders/${order.id}/paid`, {
      csrf: dashboard.csrf ?? '',
      method: 'counter_cash',
    });
    expect(twice.location).toBe('/admin');
    expect((await owner.get('/admin')).text).toContain('is not waiting to be paid at pickup');
    // Paid at the counter: canceling gives the money back at the till, not through a provider.
    const cancel = await owner.get(`/admin/orders/${order.id}/cancel`);
    expect(cancel.text).toContain('It was paid at the counter');
    expect(cancel.text).toContain('hand the money back at the till');
    expect(JSON.parse(staffOrders().at(-1)?.payment ?? '{}')).toEqual({ method: 'counter_card' });
  });

  it('refuses while ordering is paused and when the chosen slot is full, changing nothing', async () => {
    const before = staffOrders().length;
    const { csrf, fields } = await freshForm();
    const page = await owner.post('/admin/orders/new', [['csrf', csrf], ...fields, ['do', 'pick:coleslaw']]);
    // The last slot offered: the earlier orders of this file took the first ones.
    const slot = [...page.text.matchAll(/<option value="(\d{4}-[^"]+Z)"/g)].at(-1)?.[1] ?? '';
    expect(slot).not.toBe('');
    const order: Pairs = [
      ['csrf', csrf],
      ...carried(page.text),
      ['customer_name', 'Slot Sam'],
      ['pickup', slot],
      ['do', 'pay:counter_cash'],
    ];
    await owner.post('/admin/settings/pause', { csrf, paused: 'yes' });
    const paused = await owner.post('/admin/orders/new', order);
    expect(paused.status).toBe(422);
    expect(paused.text).toMatch(/not taking orders/);
    expect(paused.text).toContain('value="Slot Sam"');
    await owner.post('/admin/settings/pause', { csrf, paused: 'no' });
    await owner.post('/admin/settings/pickup', {
      csrf,
      leadMinutes: '15',
      slotMinutes: '15',
      slotCapacity: '1',
      maxDaysAhead: '2',
    });
    const booked = await owner.post('/admin/orders/new', order);
    expect(booked.location).toBe('/admin/orders/new');
    const fresh = await freshForm();
    const full = await owner.post('/admin/orders/new', [
      ['csrf', csrf],
      ...fresh.fields.filter(([n]) => n === 'key'),
      ...carried(page.text).filter(([n]) => n === 'line'),
      ['customer_name', 'Late Lee'],
      ['pickup', slot],
      ['do', 'pay:counter_cash'],
    ]);
    expect(full.status).toBe(422);
    expect(full.text).toMatch(/full/);
    expect(staffOrders()).toHaveLength(before + 1);
  });
});
