import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { delegatedCardRequest } from '../src/bench/checkout-flow.js';
import type { Order } from '../src/domain/order.js';
import type { OrderState } from '../src/domain/order-lifecycle.js';
import { cleanPrinterText } from '../src/domain/printer-text.js';
import { orderEventData } from '../src/services/webhooks/webhook-order-payload.js';
import { createOrdersRepo } from '../src/store/orders-repo.js';
import { createSettingsRepo } from '../src/store/settings-repo.js';
import { printedLines, unknownTokens } from './escpos.js';
import { acpClient, createTestAcpKey } from './helpers/acp-client.js';
import { acpSchemaErrors } from './helpers/acp-schemas.js';
import { type OwnerBrowser, onboard } from './helpers/owner-browser.js';
import { approvePayingOnDelivery, simTicketTokens } from './helpers/sim-tickets.js';
import { PUBLIC_URL, startTestApp, type TestApp } from './helpers/start-app.js';

type Json = Record<string, unknown>;
type Total = { type: string; amount: number };

let t: TestApp;
let owner: OwnerBrowser;
let acp: ReturnType<typeof acpClient>;
beforeAll(async () => {
  t = await startTestApp();
  owner = await onboard(t);
  acp = acpClient(t.url, createTestAcpKey(t.dataDir, 'ChatGPT').secret);
});
afterAll(async () => {
  await t.stop();
});

const BUYER = { full_name: 'Ada Lovelace', email: 'ada@example.com', phone_number: '+15551234567' };
const ADDRESS = {
  name: 'Ada Lovelace',
  line_one: '1 Main St',
  line_two: 'Apt 2',
  city: 'Springfield',
  state: 'NY',
  country: 'US',
  postal_code: '10001',
};
const DELIVERY = { type: 'local_delivery', option_id: 'delivery_asap', item_ids: [] };

function expectSession(body: Json): void {
  expect(acpSchemaErrors('checkout', 'CheckoutSession', body)).toEqual([]);
}

function amount(totals: unknown, type: string): number | undefined {
  return (totals as Total[]).find((x) => x.type === type)?.amount;
}

function errors(session: Json): Json[] {
  return (session.messages as Json[]).filter((m) => m.type === 'error');
}

async function created(items: Json[] = [{ id: 'cheeseburger' }]): Promise<Json> {
  const res = await acp.post('/checkout_sessions', { line_items: items, currency: 'usd', buyer: BUYER });
  expect(res.status).toBe(201);
  expectSession(res.body);
  return res.body;
}

async function update(id: unknown, body: Json): Promise<Json> {
  const res = await acp.post(`/checkout_sessions/${id}`, body);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  expectSession(res.body);
  return res.body;
}

/** Completes paying at pickup (no card): the session as answered. */
async function completeAtPickup(id: unknown): Promise<Json> {
  const res = await acp.post(`/checkout_sessions/${id}/complete`, {
    buyer: BUYER,
    payment_data: { handler_id: 'pay_at_pickup' },
  });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  expectSession(res.body);
  return res.body;
}

/** The owner's delivery form as a phone posts it. */
async function saveDelivery(fields: Record<string, string>) {
  const page = await owner.get('/admin/settings');
  return owner.post('/admin/settings/delivery', { csrf: page.csrf ?? '', ...fields });
}

/** The problem shown next to a field, as the owner reads it. */
function errorOf(html: string, field: string): string | undefined {
  const found = new RegExp(`id="${field}-error">([^<]*)<`).exec(html)?.[1];
  return found
    ?.replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&');
}

function storedOrder(id: string): Order {
  const order = createOrdersRepo({ store: t.app.store }).get(id);
  if (order === undefined) throw new Error(`no order ${id}`);
  return order;
}

describe('local delivery, set up by the owner', () => {
  it('is not offered until the owner turns it on, and cannot be turned on for nowhere', async () => {
    const session = await created();
    expect((session.fulfillment_options as Json[]).every((o) => o.type === 'pickup')).toBe(true);
    const refused = await acp.post(`/checkout_sessions/${session.id}`, {
      selected_fulfillment_options: [DELIVERY],
    });
    expect(refused.status).toBe(400);
    expect(acpSchemaErrors('checkout', 'Error', refused.body)).toEqual([]);
    expect(refused.body).toMatchObject({
      code: 'invalid',
      param: '$.selected_fulfillment_options[0].option_id',
    });

    const form = await owner.get('/admin/settings');
    expect(form.text).toContain('id="delivery"');
    expect(form.text).toContain('Offer local delivery');
    const nowhere = await saveDelivery({
      enabled: 'on',
      feeMinor: '3.99',
      minimumMinor: '15',
      postalCodes: '',
      leadMinutes: '20',
    });
    expect(nowhere.status).toBe(422);
    expect(errorOf(nowhere.text, 'postalCodes')).toBe(
      'List at least one postal code you deliver to, or untick “Offer local delivery”.',
    );
    expect(nowhere.text).toContain('One thing needs fixing; nothing was saved.');
    const garbled = await saveDelivery({
      enabled: 'on',
      feeMinor: 'free',
      minimumMinor: '15',
      postalCodes: '10001, 10@02',
      leadMinutes: '-5',
    });
    expect(garbled.status).toBe(422);
    expect(errorOf(garbled.text, 'feeMinor')).toBe('Enter a number.');
    expect(errorOf(garbled.text, 'leadMinutes')).toBe('At least 0.');
    expect(errorOf(garbled.text, 'postalCodes')).toMatch(/^“10@02” is not a postal code/);
    expect((await created()).fulfillment_options).toHaveLength(
      (session.fulfillment_options as Json[]).length,
    );

    const saved = await saveDelivery({
      enabled: 'on',
      feeMinor: '3,99',
      minimumMinor: '15.00',
      postalCodes: '10001, 10002\nsw1a 1aa, 10001',
      leadMinutes: '20',
    });
    expect(saved.location).toBe('/admin/settings#delivery');
    const row = t.app.store.db.prepare("SELECT value FROM settings WHERE key = 'delivery'").pluck().get();
    expect(JSON.parse(String(row))).toEqual({
      enabled: true,
      feeMinor: 399,
      minimumMinor: 1500,
      postalCodes: ['10001', '10002', 'SW1A 1AA'],
      leadMinutes: 20,
    });
  });

  it('lists local delivery next to pickup, with its fee and a window the trip’s minutes later', async () => {
    const session = await created();
    const options = session.fulfillment_options as Json[];
    const asap = options.find((o) => o.id === 'pickup_asap');
    const delivery = options.find((o) => o.type === 'local_delivery');
    expect(delivery).toMatchObject({
      id: 'delivery_asap',
      title: 'Local delivery',
      totals: [
        { type: 'fulfillment', display_text: 'Delivery', amount: 399 },
        { type: 'total', display_text: 'Delivery', amount: 399 },
      ],
    });
    expect(String(delivery?.description)).toContain('10001, 10002, SW1A 1AA');
    expect(String(delivery?.description)).toContain('minimum $15.00');
    const window = delivery?.delivery_window as { start: string; end: string };
    const ready = Date.parse(String(asap?.ready_by));
    expect(Date.parse(window.start) - ready).toBe(20 * 60_000);
    expect(Date.parse(window.end) - Date.parse(window.start)).toBe(15 * 60_000);
    // Pickup stays the default, without a fee.
    expect(session.selected_fulfillment_options).toEqual([
      { type: 'pickup', option_id: 'pickup_asap', item_ids: ['li_1'] },
    ]);
    expect(amount(session.totals, 'fulfillment')).toBeUndefined();
  });
});

describe('choosing delivery', () => {
  it('needs an address in the area and the minimum, and cannot be completed before', async () => {
    const session = await created();
    const chosen = await update(session.id, { selected_fulfillment_options: [DELIVERY] });
    expect(chosen.status).toBe('not_ready_for_payment');
    expect(chosen.selected_fulfillment_options).toEqual([
      { type: 'local_delivery', option_id: 'delivery_asap', item_ids: ['li_1'] },
    ]);
    expect(errors(chosen)).toEqual([
      expect.objectContaining({
        code: 'missing',
        param: '$.fulfillment_details.address',
        resolution: 'requires_buyer_input',
      }),
      expect.objectContaining({
        code: 'minimum_not_met',
        param: '$.line_items',
        content: expect.stringContaining('at least $15.00 in items; this one has $10.95'),
      }),
    ]);
    // The fee is in the totals and in the total.
    expect(amount(chosen.totals, 'fulfillment')).toBe(399);
    expect(amount(chosen.totals, 'total')).toBe(
      (amount(chosen.totals, 'subtotal') ?? 0) + (amount(chosen.totals, 'tax') ?? 0) + 399,
    );

    const tried = await completeAtPickup(session.id);
    expect(tried.status).toBe('not_ready_for_payment');
    expect(tried.order).toBeUndefined();

    const far = await update(session.id, {
      line_items: [{ id: 'cheeseburger', quantity: 2 }],
      fulfillment_details: { address: { ...ADDRESS, postal_code: '99999' } },
    });
    expect(far.status).toBe('not_ready_for_payment');
    expect(errors(far)).toEqual([
      expect.objectContaining({
        code: 'invalid',
        param: '$.fulfillment_details.address.postal_code',
        content: expect.stringMatching(/does not deliver to 99999; it delivers to 10001, 10002, SW1A 1AA\./),
      }),
    ]);
    const blank = await update(session.id, {
      fulfillment_details: { address: { ...ADDRESS, line_one: ' ', postal_code: 'sw1a1aa' } },
    });
    expect(errors(blank)).toEqual([
      expect.objectContaining({ code: 'missing', param: '$.fulfillment_details.address.line_one' }),
    ]);
    const near = await update(session.id, {
      fulfillment_details: { address: { ...ADDRESS, postal_code: 'sw1a1aa' } },
    });
    expect(near.status).toBe('ready_for_payment');
    expect(errors(near)).toEqual([]);

    // Back to pickup: no fee, nothing about the address.
    const pickup = await update(session.id, {
      selected_fulfillment_options: [{ type: 'pickup', option_id: 'pickup_asap', item_ids: [] }],
      fulfillment_details: { address: { ...ADDRESS, postal_code: '99999' } },
    });
    expect(pickup.status).toBe('ready_for_payment');
    expect(amount(pickup.totals, 'fulfillment')).toBeUndefined();
  });
});

describe('a delivered order', () => {
  let orderId = '';

  it('completes paying at pickup: the order keeps the address and the fee, the pages say delivery', async () => {
    const session = await created([{ id: 'cheeseburger', quantity: 2 }]);
    const ready = await update(session.id, {
      selected_fulfillment_options: [DELIVERY],
      fulfillment_details: {
        name: 'Ada Lovelace',
        phone_number: '+15557654321',
        address: { ...ADDRESS, postal_code: '10001-1234' },
      },
    });
    expect(ready.status).toBe('ready_for_payment');
    const total = amount(ready.totals, 'total');
    const done = await completeAtPickup(session.id);
    expect(done.status).toBe('pending_approval');
    expect(amount(done.totals, 'fulfillment')).toBe(399);
    orderId = String((done.order as Json).id);

    const order = storedOrder(orderId);
    expect(order.fulfillment).toEqual({
      type: 'delivery',
      address: {
        name: 'Ada Lovelace',
        line1: '1 Main St',
        line2: 'Apt 2',
        city: 'Springfield',
        region: 'NY',
        country: 'US',
        postalCode: '10001-1234',
        phone: '+15557654321',
      },
      leadMinutes: 20,
    });
    const totals = order.priced?.totals;
    expect(totals?.delivery).toBe(399);
    expect(totals?.total).toBe(total);
    expect(totals?.total).toBe((totals?.subtotal ?? 0) + (totals?.tax ?? 0) + 399);

    // The customer confirms on a page that lists the fee and the address.
    const confirm = await fetch(t.url + new URL(String(done.continue_url)).pathname);
    const confirmPage = await confirm.text();
    expect(confirmPage).toContain('<td>Delivery</td><td class="r">$3.99</td>');
    expect(confirmPage).toContain('Delivery to: <strong>1 Main St, Apt 2, 10001-1234 Springfield, around');
    expect(confirmPage).toContain('Pay on delivery');
    await approvePayingOnDelivery(t.url, String(done.continue_url));
    const ticket = printedLines(await simTicketTokens(t.dataDir, order.code)).map((l) => l.text.trim());
    expect(ticket).toContain('DELIVERY');
    expect(ticket).toContain('Ada Lovelace');
    expect(ticket).toContain('1 Main St');
    expect(ticket).toContain('Apt 2');
    expect(ticket).toContain('10001-1234 Springfield');
    expect(ticket).toContain('Tel +15557654321');
    expect(ticket.some((l) => /^PAY ON DELIVERY +\$27\.83$/.test(l))).toBe(true);

    const page = await (await fetch(`${t.url}/o/${orderId}`)).text();
    expect(page).toContain('Delivery to 1 Main St, Apt 2, 10001-1234 Springfield, around');
    expect(page).toContain('Pay on delivery.');
    expect(page).not.toContain('7654321');
  });

  it('reports the delivery in the webhook payload the official schema accepts, state by state', () => {
    const order = storedOrder(orderId);
    const settings = createSettingsRepo({ store: t.app.store, clock: t.clock }).load();
    if (settings === undefined) throw new Error('no settings');
    const steps: [OrderState, string][] = [
      ['awaiting_confirmation', 'pending'],
      ['in_kitchen', 'processing'],
      ['ready', 'out_for_delivery'],
      ['collected', 'delivered'],
      ['canceled', 'canceled'],
    ];
    for (const [state, status] of steps) {
      const data = orderEventData(
        { ...order, state },
        {
          checkoutSessionId: 'cs_1',
          permalinkUrl: `${PUBLIC_URL}/o/${order.id}`,
          settings,
          trail: [{ id: 1, to: state, atMs: 0 }],
        },
      );
      expect(acpSchemaErrors('checkout', 'Order', data), state).toEqual([]);
      const [fulfillment] = data.fulfillments as Json[];
      expect(fulfillment, state).toMatchObject({
        type: 'shipping',
        status,
        description: 'Local delivery by Test Burgers',
        destination: { ...ADDRESS, postal_code: '10001-1234' },
      });
      expect(amount(data.totals, 'fulfillment')).toBe(399);
    }
  });

  it('shows the address on the owner’s board', async () => {
    const board = await owner.get('/admin');
    expect(board.text).toContain('1 Main St, Apt 2, 10001-1234 Springfield');
    expect(board.text).toContain('pay on delivery');
  });

  it('pays by delegated card, the fee included, and prints a DELIVERY block with the address cleaned', async () => {
    const hostile = { name: 'Bob\u001b!\u0030 Smith\u202e', line_one: '7 Elm St\u001b@\u001dV\u0001\u0007' };
    const session = await created([{ id: 'cheeseburger', quantity: 2 }]);
    const ready = await update(session.id, {
      selected_fulfillment_options: [DELIVERY],
      fulfillment_details: { address: { ...ADDRESS, ...hostile, line_two: undefined, postal_code: '10002' } },
    });
    expect(ready.status).toBe('ready_for_payment');
    const total = amount(ready.totals, 'total') ?? 0;
    const handlers = (ready.capabilities as { payment: { handlers: Json[] } }).payment.handlers;
    const card = handlers.find((h) => h.id === 'card_tokenized') as { config: { merchant_id: string } };
    const merchant = card.config.merchant_id;
    const delegated = await acp.post(
      '/agentic_commerce/delegate_payment',
      delegatedCardRequest({
        sessionId: String(session.id),
        merchant,
        maxAmount: total,
        expiresAt: '2026-11-24T17:30:00Z',
      }),
    );
    expect(delegated.status, JSON.stringify(delegated.body)).toBe(201);
    const done = await acp.post(`/checkout_sessions/${session.id}/complete`, {
      buyer: BUYER,
      payment_data: {
        handler_id: 'card_tokenized',
        instrument: { type: 'card', credential: { type: 'spt', token: delegated.body.id } },
      },
    });
    expect(done.status).toBe(200);
    expectSession(done.body);
    expect(done.body.status).toBe('completed');
    const order = storedOrder(String((done.body.order as Json).id));
    expect(order.priced?.totals.total).toBe(total);
    expect(order.priced?.totals.delivery).toBe(399);

    const tokens = await simTicketTokens(t.dataDir, order.code);
    expect(unknownTokens(tokens)).toEqual([]);
    expect(tokens.filter((x) => x.t === 'cut')).toHaveLength(1);
    const lines = printedLines(tokens).map((l) => l.text.trim());
    expect(lines).toContain('DELIVERY');
    expect(lines.some((l) => l.startsWith('DELIVERY - ready'))).toBe(true);
    expect(lines).toContain(cleanPrinterText(hostile.name));
    expect(lines).toContain(cleanPrinterText(hostile.line_one));
    expect(cleanPrinterText(hostile.line_one)).toBe('7 Elm St@V');
    expect(lines).toContain('10002 Springfield');
    // No control or format character (ESC, GS, bidi overrides) is left in any printed line.
    expect(lines.filter((l) => /\p{Cc}|\p{Cf}/u.test(l))).toEqual([]);
    expect(lines.some((l) => l.startsWith('PAID'))).toBe(true);
  });
});

/** The ESC/POS tokens of the order's kitchen ticket, once the simulated printer has written it. */
