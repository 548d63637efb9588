import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoSettings } from '../src/services/shop/demo-shop.js';
import { orderEventData } from '../src/services/webhooks/webhook-order-payload.js';
import { createOrdersRepo } from '../src/store/orders-repo.js';
import { type AcpCall, acpClient, createTestAcpKey } from './helpers/acp-client.js';
import { ACP_VERSION, acpSchemaErrors } from './helpers/acp-schemas.js';
import { postJsonRpc } from './helpers/mcp-post.js';
import { phoneBrowser } from './helpers/phone-browser.js';
import { seedShopOffers } from './helpers/shop-offers.js';
import { PUBLIC_URL, startTestApp, type TestApp } from './helpers/start-app.js';

type Json = Record<string, unknown>;
interface Applied {
  id: string;
  code?: string;
  coupon: Json;
  amount: number;
  automatic: boolean;
  allocations: { path: string; amount: number }[];
}
interface Discounts {
  codes: string[];
  applied: Applied[];
  rejected: { code: string; reason: string; message: string }[];
}

let t: TestApp;
let secret: string;
let acp: ReturnType<typeof acpClient>;
const NOW = Date.parse('2026-11-24T17:00:00Z');

beforeAll(async () => {
  t = await startTestApp();
  secret = createTestAcpKey(t.dataDir, 'Agent platform').secret;
  acp = acpClient(t.url, secret);
  seedShopOffers(t.app.store, NOW);
});
afterAll(async () => {
  await t.stop();
});

/** Every session answer: a valid `CheckoutSession`, and valid as the discount schema's checkout. */
function valid(res: AcpCall, status: number): Json {
  expect(res.status, JSON.stringify(res.body).slice(0, 400)).toBe(status);
  expect(acpSchemaErrors('checkout', 'CheckoutSession', res.body)).toEqual([]);
  expect(acpSchemaErrors('discount', 'checkout_with_discount', res.body)).toEqual([]);
  const extensions = ((res.body.capabilities as Json).extensions ?? []) as Json[];
  for (const e of extensions) expect(acpSchemaErrors('extension', 'extension_declaration', e)).toEqual([]);
  return res.body;
}

function total(body: Json, type: string): number | undefined {
  return (body.totals as { type: string; amount: number }[]).find((x) => x.type === type)?.amount;
}
const discountsOf = (body: Json) => body.discounts as Discounts;
const lines = (body: Json) => body.line_items as Json[];

const BUYER = { full_name: 'Ines Park', email: 'ines@example.com', phone_number: '+15555550142' };
const PAY = { payment_data: { handler_id: 'pay_at_pickup' } };

async function create(body: Json): Promise<Json> {
  return valid(await acp.post('/checkout_sessions', { buyer: BUYER, ...body }), 201);
}
async function complete(id: unknown, buyer: Json = BUYER): Promise<Json> {
  return valid(await acp.post(`/checkout_sessions/${String(id)}/complete`, { buyer, ...PAY }), 200);
}
const usesOf = (orderId: unknown) =>
  t.app.store.db.prepare('SELECT subject, state FROM offer_code_uses WHERE order_id = ?').all(orderId);
const orderTotal = (orderId: unknown) =>
  t.app.store.db.prepare('SELECT total FROM orders WHERE id = ?').pluck().get(orderId);

describe('the discount extension advertised', () => {
  it('lists discount in the discovery document and declares it on a session of an agent that understands it', async () => {
    const res = await fetch(`${t.url}/.well-known/acp.json`);
    const discovery = (await res.json()) as { capabilities: { extensions?: Json[] } };
    expect(acpSchemaErrors('checkout', 'DiscoveryResponse', discovery)).toEqual([]);
    expect(discovery.capabilities.extensions).toContainEqual({ name: 'discount' });
    const session = await create({
      line_items: [{ id: 'fries' }],
      capabilities: { extensions: ['discount'] },
    });
    expect((session.capabilities as Json).extensions).toEqual([
      {
        name: 'discount',
        extends: [
          '$.CheckoutSessionCreateRequest.discounts',
          '$.CheckoutSessionUpdateRequest.discounts',
          '$.CheckoutSession.discounts',
        ],
      },
    ]);
    expect(session.discounts).toEqual({ codes: [], applied: [], rejected: [] });
  });
});

describe('discount codes on ACP checkout sessions', () => {
  it('applies a code typed in any case with its allocation, line discount and items_discount, and the order charges that total', async () => {
    const session = await create({ line_items: [{ id: 'cheeseburger' }], discounts: { codes: ['welcome'] } });
    const discounts = discountsOf(session);
    expect(discounts.codes).toEqual(['welcome']);
    expect(discounts.rejected).toEqual([]);
    expect(discounts.applied).toEqual([
      expect.objectContaining({
        code: 'welcome',
        coupon: expect.objectContaining({ name: 'Welcome 10 %', percent_off: 10 }),
        amount: 110, // 10 % of $10.95, half a cent up
        automatic: false,
        allocations: [{ path: '$.line_items[0]', amount: 110 }],
      }),
    ]);
    expect(lines(session)[0]?.discount_details).toEqual([
      expect.objectContaining({ code: 'WELCOME', type: 'percentage', amount: 110, source: 'coupon' }),
    ]);
    expect(total(session, 'items_base_amount')).toBe(1095);
    expect(total(session, 'items_discount')).toBe(110);
    expect(total(session, 'subtotal')).toBe(985);
    const done = await complete(session.id);
    const order = done.order as Json;
    expect(done.status).toBe('pending_approval');
    expect(orderTotal(order.id)).toBe(total(session, 'total'));
    // Held when placed, under the buyer's phone number; a use once the customer approves and pays.
    expect(usesOf(order.id)).toEqual([{ subject: 'acp-phone:+15555550142', state: 'held' }]);
    await phoneBrowser(t.url).approve(String(done.continue_url), 'online');
    expect(usesOf(order.id)).toEqual([{ subject: 'acp-phone:+15555550142', state: 'used' }]);
    const placed = createOrdersRepo({ store: t.app.store }).get(String(order.id));
    if (placed === undefined) throw new Error('the order is not stored');
    const data = orderEventData(placed, {
      checkoutSessionId: String(session.id),
      permalinkUrl: `${PUBLIC_URL}/o/${order.id}`,
      settings: demoSettings(),
      trail: [{ id: 1, to: 'paid', atMs: NOW }],
    });
    expect(acpSchemaErrors('checkout', 'Order', data)).toEqual([]);
    expect(data.totals).toEqual(
      expect.arrayContaining([
        { type: 'items_discount', display_text: 'Discounts', amount: 110 },
        { type: 'total', display_text: 'Total', amount: total(session, 'total') },
      ]),
    );

    // The same buyer's phone again: the per-customer limit is reached; another buyer still gets it.
    const again = await create({ line_items: [{ id: 'cheeseburger' }], discounts: { codes: ['WELCOME'] } });
    expect(discountsOf(again).applied).toEqual([]);
    expect(discountsOf(again).rejected).toEqual([
      {
        code: 'WELCOME',
        reason: 'discount_code_usage_limit_reached',
        message: expect.stringMatching(/already used/),
      },
    ]);
    expect(again.messages).toEqual([
      expect.objectContaining({
        type: 'warning',
        code: 'discount_code_usage_limit_reached',
        param: '$.discounts.codes[0]',
      }),
    ]);
    expect(total(again, 'items_discount')).toBeUndefined();
    const other = await create({
      line_items: [{ id: 'cheeseburger' }],
      buyer: { ...BUYER, phone_number: '+15555550199' },
      discounts: { codes: ['WELCOME'] },
    });
    expect(discountsOf(other).applied).toHaveLength(1);
  });

  it('applies a single-use code once: a second session is refused usage_limit_reached, and a complete that lost the race places nothing', async () => {
    const first = await create({ line_items: [{ id: 'fries' }], discounts: { codes: ['fly-7q2k'] } });
    const second = await create({
      line_items: [{ id: 'fries' }],
      buyer: { ...BUYER, phone_number: '+15555550123' },
      discounts: { codes: ['FLY-7Q2K'] },
    });
    expect(discountsOf(second).applied).toHaveLength(1);
    const won = await complete(first.id);
    expect(usesOf((won.order as Json).id)).toEqual([expect.objectContaining({ state: 'held' })]);
    // The second session showed the code applied; its last use is gone, so nothing is placed.
    const lost = await complete(second.id, second.buyer as Json);
    expect(lost.order).toBeUndefined();
    expect(lost.status).toBe('ready_for_payment');
    expect(discountsOf(lost).rejected).toEqual([
      expect.objectContaining({ code: 'FLY-7Q2K', reason: 'discount_code_usage_limit_reached' }),
    ]);
    expect(lost.messages).toContainEqual(
      expect.objectContaining({ type: 'warning', code: 'price_change', resolution: 'requires_buyer_review' }),
    );
    expect(total(lost, 'total')).toBe((total(second, 'total') ?? 0) + 300 + 27); // $3 and its 8.875 % tax back
    const later = await create({ line_items: [{ id: 'fries' }], discounts: { codes: ['FLY-7Q2K'] } });
    expect(discountsOf(later).rejected.map((r) => r.reason)).toEqual(['discount_code_usage_limit_reached']);
    // Completing again accepts the new total.
    const accepted = await complete(second.id, second.buyer as Json);
    expect(orderTotal((accepted.order as Json).id)).toBe(total(lost, 'total'));
  });

  it('answers each refusal with the extension’s reason code, and the deprecated coupons as an alias', async () => {
    const session = await create({
      line_items: [{ id: 'cheeseburger' }],
      buyer: { ...BUYER, phone_number: '+15555550177' },
      discounts: { codes: ['WELCOME', 'nope', 'big5', 'welcome'] },
    });
    expect(discountsOf(session).applied.map((a) => a.code)).toEqual(['WELCOME']);
    expect(discountsOf(session).rejected.map((r) => [r.code, r.reason])).toEqual([
      ['nope', 'discount_code_invalid'],
      ['big5', 'discount_code_combination_disallowed'],
      ['welcome', 'discount_code_already_applied'],
    ]);
    const short = valid(await acp.post(`/checkout_sessions/${session.id}`, { coupons: ['BIG5'] }), 200);
    expect(discountsOf(short).rejected).toEqual([
      { code: 'BIG5', reason: 'discount_code_minimum_not_met', message: expect.stringContaining('$20.00') },
    ]);
    expect(short.status).toBe('ready_for_payment');
  });
});

describe('meal deals on ACP line items', () => {
  it('prices the parts of a meal deal as the deal, shown as an automatic discount, in a session, a cart and over the MCP binding', async () => {
    const items = [{ id: 'cheeseburger' }, { id: 'fries:side-large' }, { id: 'cola' }];
    const session = await create({ line_items: items, discounts: { codes: ['BIG5'] } });
    const [deal] = discountsOf(session).applied;
    // $10.95 + $4.50 + $2.75 of items for $12.00; the large fries' $1.50 is charged as usual.
    expect(deal).toMatchObject({
      id: 'di_meal_deal_lunch-deal',
      amount: 620,
      automatic: true,
      coupon: { id: 'lunch-deal', name: 'Lunch deal', metadata: { kind: 'meal_deal', bundle_price: '1200' } },
    });
    expect(deal?.code).toBeUndefined();
    expect(deal?.allocations.map((a) => a.path)).toEqual([
      '$.line_items[0]',
      '$.line_items[1]',
      '$.line_items[2]',
    ]);
    expect(deal?.allocations.reduce((sum, a) => sum + a.amount, 0)).toBe(620);
    expect(total(session, 'items_discount')).toBe(620);
    expect(total(session, 'subtotal')).toBe(1350);
    expect(discountsOf(session).rejected.map((r) => r.reason)).toEqual([
      'discount_code_combination_disallowed',
    ]);
    const done = await complete(session.id);
    expect(orderTotal((done.order as Json).id)).toBe(total(session, 'total'));
    // The placed order keeps the prices; the session still says why the code did not apply.
    expect(discountsOf(done)).toEqual(discountsOf(session));

    const cart = await acp.post('/carts', { line_items: items });
    expect(cart.status).toBe(201);
    expect(acpSchemaErrors('cart', 'Cart', cart.body)).toEqual([]);
    expect(total(cart.body, 'items_discount')).toBe(620);
    const page = await fetch(`${t.url}${new URL(String(cart.body.continue_url)).pathname}`);
    expect(await page.text()).toContain('Lunch deal: −$6.20');
    expect(lines(cart.body)[0]?.discount_details).toEqual([
      expect.objectContaining({ type: 'fixed', source: 'automatic', description: 'Lunch deal' }),
    ]);

    const rpc = await postJsonRpc(`${t.url}/acp/mcp`, secret, {
      jsonrpc: '2.0',
      id: 1,
      method: 'tools/call',
      params: {
        name: 'create_checkout_session',
        arguments: { meta: { api_version: ACP_VERSION }, payload: { line_items: items, buyer: BUYER } },
      },
    });
    const result = ((await rpc.json()) as { result: { structuredContent: Json } }).result.structuredContent;
    expect(acpSchemaErrors('checkout', 'CheckoutSession', result)).toEqual([]);
    expect(discountsOf(result).applied.map((a) => [a.coupon.id, a.amount])).toEqual([['lunch-deal', 620]]);
  });
});

// Last: the clock only moves forward (a clock set back stops ordering), so these tests end the file.
describe('a happy hour on ACP checkout sessions and the feed', () => {
  const colas = { line_items: [{ id: 'cola', quantity: 2 }] };
  const colaVariant = async () => {
    const res = await fetch(`${t.url}/feeds/menu/products`);
    const body = (await res.json()) as { products: { id: string; variants: Json[] }[] };
    expect(acpSchemaErrors('feed', 'ProductsResponse', body)).toEqual([]);
    return body.products.find((p) => p.id === 'cola')?.variants[0];
  };
  let during: Json;

  it('prices drinks at the happy-hour price at 17:05 and not at 16:55, in the session and the feed', async () => {
    t.clock.set('2026-11-24T21:55:00Z'); // 16:55 in New York
    const before = await create(colas);
    expect(total(before, 'items_discount')).toBeUndefined();
    expect(total(before, 'subtotal')).toBe(550);
    expect(before.discounts).toBeUndefined();
    expect((await colaVariant())?.price).toEqual({ amount: 275, currency: 'USD' });
    expect((await colaVariant())?.list_price).toBeUndefined();

    t.clock.set('2026-11-24T22:05:00Z'); // 17:05
    during = await create(colas);
    expect(total(during, 'items_discount')).toBe(138); // 25 % of $5.50, half a cent up
    expect(total(during, 'subtotal')).toBe(412);
    expect(discountsOf(during).applied).toEqual([
      expect.objectContaining({
        id: 'di_happy_hour_happy-hour',
        automatic: true,
        amount: 138,
        coupon: expect.objectContaining({ name: 'Happy hour', percent_off: 25 }),
        allocations: [{ path: '$.line_items[0]', amount: 138 }],
      }),
    ]);
    expect(lines(during)[0]?.totals).toEqual([
      { type: 'items_base_amount', display_text: 'Base amount', amount: 550 },
      { type: 'items_discount', display_text: 'Discount', amount: 138 },
      { type: 'subtotal', display_text: 'Subtotal', amount: 412 },
      { type: 'total', display_text: 'Total', amount: 412 },
    ]);
    expect(await colaVariant()).toMatchObject({
      price: { amount: 206, currency: 'USD' },
      list_price: { amount: 275, currency: 'USD' },
    });
    // The session created at 16:55 answered no happy hour: its complete now would charge less than shown.
    const moved = await complete(before.id);
    expect(moved.order).toBeUndefined();
    expect(moved.messages).toContainEqual(expect.objectContaining({ code: 'price_change' }));
  });

  it('refuses a complete after the happy hour ended with the new total, and charges it on the next complete', async () => {
    t.clock.set('2026-11-24T23:30:00Z'); // 18:30, in the happy hour
    const late = await create(colas);
    expect(total(late, 'total')).toBe(total(during, 'total'));
    t.clock.set('2026-11-25T00:05:00Z'); // 19:05
    expect((await colaVariant())?.list_price).toBeUndefined();
    const refused = await complete(late.id);
    expect(refused.order).toBeUndefined();
    expect(refused.status).toBe('ready_for_payment');
    expect(refused.discounts).toBeUndefined();
    expect(total(refused, 'items_discount')).toBeUndefined();
    expect(total(refused, 'subtotal')).toBe(550);
    const [warning] = (refused.messages as Json[]).filter((m) => m.code === 'price_change');
    expect(warning?.content).toMatch(/^The total is now \$5\.99, not the \$4\.49 answered before/);
    const placed = await complete(late.id);
    expect(placed.status).toBe('pending_approval');
    expect(orderTotal((placed.order as Json).id)).toBe(total(refused, 'total'));
  });
});
